-- +goose Up
-- A loan's past in its balance history is computed from its terms (rate,
-- start of repayment, number of payments: freenahi.LoanPast), so a change
-- of those terms changes the history as a new snapshot does: it bumps the
-- account's history version, which tells caches of histories to read again.
-- The snapshots' trigger function of 00055 does exactly that for any row
-- with user_id and account_id.
CREATE TRIGGER history_versions_loan AFTER INSERT OR UPDATE OR DELETE ON loans
FOR EACH ROW EXECUTE FUNCTION history_versions_snapshot();

-- +goose Down
DROP TRIGGER history_versions_loan ON loans;
