-- +goose Up
-- One counter per person, raised in the transaction of every write that can
-- change what their dashboard or net worth shows: their transactions, accounts,
-- connections, balances, investments, loans, assets and their values,
-- budgets, categories, splits, the shares they give or receive, and their
-- e-mail address (shown as "Shared by" to the people they share with). A
-- server caches those pages' data under the counters of the person and of
-- the owners of the accounts shared with them (store.PageVersion), so any
-- instance on this database sees another's write at its next request. Rows
-- are never removed, and a new one starts at the current time in
-- microseconds, so a counter never goes back, even through a restore.
-- Statement-level triggers: one upsert per statement and person, whatever
-- the number of rows (ingest writes thousands of transactions a statement).
CREATE TABLE page_versions (
    user_id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION page_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- In user order, so that two statements raising the same people never
    -- wait on each other in opposite orders.
    INSERT INTO page_versions (user_id, version)
    SELECT u, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT
    FROM (SELECT DISTINCT user_id AS u FROM changed) x ORDER BY 1
    ON CONFLICT (user_id) DO UPDATE SET version = page_versions.version + 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION page_versions_bump_share() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO page_versions (user_id, version)
    SELECT u, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT
    FROM (SELECT owner_id AS u FROM changed UNION SELECT grantee_id FROM changed) x ORDER BY 1
    ON CONFLICT (user_id) DO UPDATE SET version = page_versions.version + 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- A person's address changes rarely: a row trigger, which can look at
-- the column (a statement trigger with a transition table cannot).
-- +goose StatementBegin
CREATE FUNCTION page_versions_bump_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO page_versions (user_id, version)
    VALUES (NEW.id, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT)
    ON CONFLICT (user_id) DO UPDATE SET version = page_versions.version + 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER page_versions_transactions_insert AFTER INSERT ON transactions
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_transactions_update AFTER UPDATE ON transactions
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_transactions_delete AFTER DELETE ON transactions
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_accounts_insert AFTER INSERT ON accounts
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_accounts_update AFTER UPDATE ON accounts
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_accounts_delete AFTER DELETE ON accounts
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_connections_insert AFTER INSERT ON connections
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_connections_update AFTER UPDATE ON connections
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_connections_delete AFTER DELETE ON connections
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_balance_snapshots_insert AFTER INSERT ON balance_snapshots
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_balance_snapshots_update AFTER UPDATE ON balance_snapshots
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_balance_snapshots_delete AFTER DELETE ON balance_snapshots
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_investments_insert AFTER INSERT ON investments
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_investments_update AFTER UPDATE ON investments
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_investments_delete AFTER DELETE ON investments
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_loans_insert AFTER INSERT ON loans
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_loans_update AFTER UPDATE ON loans
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_loans_delete AFTER DELETE ON loans
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_assets_insert AFTER INSERT ON assets
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_assets_update AFTER UPDATE ON assets
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_assets_delete AFTER DELETE ON assets
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_asset_values_insert AFTER INSERT ON asset_values
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_asset_values_update AFTER UPDATE ON asset_values
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_asset_values_delete AFTER DELETE ON asset_values
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_budgets_insert AFTER INSERT ON budgets
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_budgets_update AFTER UPDATE ON budgets
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_budgets_delete AFTER DELETE ON budgets
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_categories_insert AFTER INSERT ON categories
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_categories_update AFTER UPDATE ON categories
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_categories_delete AFTER DELETE ON categories
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_transaction_splits_insert AFTER INSERT ON transaction_splits
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_transaction_splits_update AFTER UPDATE ON transaction_splits
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_transaction_splits_delete AFTER DELETE ON transaction_splits
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump();
CREATE TRIGGER page_versions_account_shares_insert AFTER INSERT ON account_shares
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump_share();
CREATE TRIGGER page_versions_account_shares_update AFTER UPDATE ON account_shares
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump_share();
CREATE TRIGGER page_versions_account_shares_delete AFTER DELETE ON account_shares
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION page_versions_bump_share();
CREATE TRIGGER page_versions_users_update AFTER UPDATE OF email ON users
FOR EACH ROW WHEN (OLD.email IS DISTINCT FROM NEW.email) EXECUTE FUNCTION page_versions_bump_user();

-- +goose Down
DROP TRIGGER page_versions_transactions_insert ON transactions;
DROP TRIGGER page_versions_transactions_update ON transactions;
DROP TRIGGER page_versions_transactions_delete ON transactions;
DROP TRIGGER page_versions_accounts_insert ON accounts;
DROP TRIGGER page_versions_accounts_update ON accounts;
DROP TRIGGER page_versions_accounts_delete ON accounts;
DROP TRIGGER page_versions_connections_insert ON connections;
DROP TRIGGER page_versions_connections_update ON connections;
DROP TRIGGER page_versions_connections_delete ON connections;
DROP TRIGGER page_versions_balance_snapshots_insert ON balance_snapshots;
DROP TRIGGER page_versions_balance_snapshots_update ON balance_snapshots;
DROP TRIGGER page_versions_balance_snapshots_delete ON balance_snapshots;
DROP TRIGGER page_versions_investments_insert ON investments;
DROP TRIGGER page_versions_investments_update ON investments;
DROP TRIGGER page_versions_investments_delete ON investments;
DROP TRIGGER page_versions_loans_insert ON loans;
DROP TRIGGER page_versions_loans_update ON loans;
DROP TRIGGER page_versions_loans_delete ON loans;
DROP TRIGGER page_versions_assets_insert ON assets;
DROP TRIGGER page_versions_assets_update ON assets;
DROP TRIGGER page_versions_assets_delete ON assets;
DROP TRIGGER page_versions_asset_values_insert ON asset_values;
DROP TRIGGER page_versions_asset_values_update ON asset_values;
DROP TRIGGER page_versions_asset_values_delete ON asset_values;
DROP TRIGGER page_versions_budgets_insert ON budgets;
DROP TRIGGER page_versions_budgets_update ON budgets;
DROP TRIGGER page_versions_budgets_delete ON budgets;
DROP TRIGGER page_versions_categories_insert ON categories;
DROP TRIGGER page_versions_categories_update ON categories;
DROP TRIGGER page_versions_categories_delete ON categories;
DROP TRIGGER page_versions_transaction_splits_insert ON transaction_splits;
DROP TRIGGER page_versions_transaction_splits_update ON transaction_splits;
DROP TRIGGER page_versions_transaction_splits_delete ON transaction_splits;
DROP TRIGGER page_versions_account_shares_insert ON account_shares;
DROP TRIGGER page_versions_account_shares_update ON account_shares;
DROP TRIGGER page_versions_account_shares_delete ON account_shares;
DROP TRIGGER page_versions_users_update ON users;
DROP FUNCTION page_versions_bump_user();
DROP FUNCTION page_versions_bump_share();
DROP FUNCTION page_versions_bump();
DROP TABLE page_versions;
