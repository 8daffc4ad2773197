-- +goose Up
-- One counter per person, raised by every write that can change what their
-- dashboard or net worth shows; see the PostgreSQL migration of the same
-- number. SQLite has no statement-level triggers, and a row trigger on
-- transactions would cost ingest an upsert per transaction: the store raises
-- the counter itself, once per write transaction, where it writes
-- transactions (store.bumpPageVersion). The other tables, written a few
-- rows at a time, raise it here.
CREATE TABLE page_versions (
    user_id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
) WITHOUT ROWID;

-- +goose StatementBegin
CREATE TRIGGER page_versions_accounts_insert AFTER INSERT ON accounts
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_accounts_update AFTER UPDATE ON accounts
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_accounts_delete AFTER DELETE ON accounts
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (OLD.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_connections_insert AFTER INSERT ON connections
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_connections_update AFTER UPDATE ON connections
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_connections_delete AFTER DELETE ON connections
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (OLD.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_balance_snapshots_insert AFTER INSERT ON balance_snapshots
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_balance_snapshots_update AFTER UPDATE ON balance_snapshots
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_balance_snapshots_delete AFTER DELETE ON balance_snapshots
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (OLD.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_investments_insert AFTER INSERT ON investments
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_investments_update AFTER UPDATE ON investments
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_investments_delete AFTER DELETE ON investments
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (OLD.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_loans_insert AFTER INSERT ON loans
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_loans_update AFTER UPDATE ON loans
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_loans_delete AFTER DELETE ON loans
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (OLD.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_assets_insert AFTER INSERT ON assets
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_assets_update AFTER UPDATE ON assets
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_assets_delete AFTER DELETE ON assets
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (OLD.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_asset_values_insert AFTER INSERT ON asset_values
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_asset_values_update AFTER UPDATE ON asset_values
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_asset_values_delete AFTER DELETE ON asset_values
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (OLD.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_budgets_insert AFTER INSERT ON budgets
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_budgets_update AFTER UPDATE ON budgets
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_budgets_delete AFTER DELETE ON budgets
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (OLD.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_categories_insert AFTER INSERT ON categories
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_categories_update AFTER UPDATE ON categories
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_categories_delete AFTER DELETE ON categories
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (OLD.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_transaction_splits_insert AFTER INSERT ON transaction_splits
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_transaction_splits_update AFTER UPDATE ON transaction_splits
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_transaction_splits_delete AFTER DELETE ON transaction_splits
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (OLD.user_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_account_shares_insert AFTER INSERT ON account_shares
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.owner_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
    INSERT INTO page_versions (user_id, version) VALUES (NEW.grantee_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_account_shares_update AFTER UPDATE ON account_shares
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.owner_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
    INSERT INTO page_versions (user_id, version) VALUES (NEW.grantee_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_account_shares_delete AFTER DELETE ON account_shares
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (OLD.owner_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
    INSERT INTO page_versions (user_id, version) VALUES (OLD.grantee_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER page_versions_users_update AFTER UPDATE OF email ON users
BEGIN
    INSERT INTO page_versions (user_id, version) VALUES (NEW.id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER page_versions_accounts_insert;
DROP TRIGGER page_versions_accounts_update;
DROP TRIGGER page_versions_accounts_delete;
DROP TRIGGER page_versions_connections_insert;
DROP TRIGGER page_versions_connections_update;
DROP TRIGGER page_versions_connections_delete;
DROP TRIGGER page_versions_balance_snapshots_insert;
DROP TRIGGER page_versions_balance_snapshots_update;
DROP TRIGGER page_versions_balance_snapshots_delete;
DROP TRIGGER page_versions_investments_insert;
DROP TRIGGER page_versions_investments_update;
DROP TRIGGER page_versions_investments_delete;
DROP TRIGGER page_versions_loans_insert;
DROP TRIGGER page_versions_loans_update;
DROP TRIGGER page_versions_loans_delete;
DROP TRIGGER page_versions_assets_insert;
DROP TRIGGER page_versions_assets_update;
DROP TRIGGER page_versions_assets_delete;
DROP TRIGGER page_versions_asset_values_insert;
DROP TRIGGER page_versions_asset_values_update;
DROP TRIGGER page_versions_asset_values_delete;
DROP TRIGGER page_versions_budgets_insert;
DROP TRIGGER page_versions_budgets_update;
DROP TRIGGER page_versions_budgets_delete;
DROP TRIGGER page_versions_categories_insert;
DROP TRIGGER page_versions_categories_update;
DROP TRIGGER page_versions_categories_delete;
DROP TRIGGER page_versions_transaction_splits_insert;
DROP TRIGGER page_versions_transaction_splits_update;
DROP TRIGGER page_versions_transaction_splits_delete;
DROP TRIGGER page_versions_account_shares_insert;
DROP TRIGGER page_versions_account_shares_update;
DROP TRIGGER page_versions_account_shares_delete;
DROP TRIGGER page_versions_users_update;
DROP TABLE page_versions;
