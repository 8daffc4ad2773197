-- +goose Up
-- A loan's past in its balance history is computed from its terms (rate,
-- start of repayment, number of payments: freenahi.LoanPast), so a change
-- of those terms changes the history as a new snapshot does: it bumps the
-- account's history version, which tells caches of histories to read again.
-- +goose StatementBegin
CREATE TRIGGER history_versions_loan_insert AFTER INSERT ON loans
BEGIN
    INSERT INTO history_versions (user_id, account_id, version)
    VALUES (NEW.user_id, NEW.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER history_versions_loan_update AFTER UPDATE ON loans
BEGIN
    INSERT INTO history_versions (user_id, account_id, version)
    VALUES (OLD.user_id, OLD.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
    INSERT INTO history_versions (user_id, account_id, version)
    VALUES (NEW.user_id, NEW.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER history_versions_loan_delete AFTER DELETE ON loans
BEGIN
    INSERT INTO history_versions (user_id, account_id, version)
    VALUES (OLD.user_id, OLD.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER history_versions_loan_delete;
DROP TRIGGER history_versions_loan_update;
DROP TRIGGER history_versions_loan_insert;
