-- +goose Up
-- Ingest keeps the day sums (migration 55) and the search index (migration
-- 65) itself, once per batch of transactions (store/sync_derived.go): one
-- grouped upsert of the days a batch changed, one version bump per account,
-- one insert into the index, where the row triggers ran three statements per
-- row and made ingest more than twice as slow. While a batch is written, the
-- batch writer holds the one row of ingest_batch, and the row triggers of
-- the insert and update paths stand aside; the writer removes the row before
-- its transaction ends, so no other writer (edits, deletions, imports of
-- other kinds, a restore) ever sees it and they keep the triggers.
CREATE TABLE ingest_batch (
    id INTEGER PRIMARY KEY CHECK (id = 1)
);

DROP TRIGGER transaction_days_insert;
DROP TRIGGER transaction_days_update;
DROP TRIGGER transactions_search_insert;
DROP TRIGGER transactions_search_update;

-- +goose StatementBegin
CREATE TRIGGER transaction_days_insert AFTER INSERT ON transactions
WHEN NEW.coming = FALSE AND NEW.deleted_at IS NULL AND NEW.amount_origin <> 'unknown'
    AND NOT EXISTS (SELECT 1 FROM ingest_batch)
BEGIN
    INSERT INTO history_versions (user_id, account_id, version)
    VALUES (NEW.user_id, NEW.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
    INSERT INTO transaction_days (user_id, account_id, date, sum_minor, n)
    VALUES (NEW.user_id, NEW.account_id, NEW.date, NEW.value_minor, 1)
    ON CONFLICT (user_id, account_id, date) DO UPDATE SET sum_minor = sum_minor + excluded.sum_minor, n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER transaction_days_update AFTER UPDATE OF user_id, account_id, date, value_minor, coming, deleted_at, amount_origin ON transactions
WHEN (OLD.user_id IS NOT NEW.user_id OR OLD.account_id IS NOT NEW.account_id OR OLD.date IS NOT NEW.date
    OR OLD.value_minor IS NOT NEW.value_minor OR OLD.coming IS NOT NEW.coming
    OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.amount_origin IS NOT NEW.amount_origin)
    AND NOT EXISTS (SELECT 1 FROM ingest_batch)
BEGIN
    INSERT INTO history_versions (user_id, account_id, version)
    SELECT OLD.user_id, OLD.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
    WHERE OLD.coming = FALSE AND OLD.deleted_at IS NULL AND OLD.amount_origin <> 'unknown'
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
    UPDATE transaction_days SET sum_minor = sum_minor - OLD.value_minor, n = n - 1
    WHERE user_id = OLD.user_id AND account_id = OLD.account_id AND date = OLD.date
        AND OLD.coming = FALSE AND OLD.deleted_at IS NULL AND OLD.amount_origin <> 'unknown';
    DELETE FROM transaction_days
    WHERE user_id = OLD.user_id AND account_id = OLD.account_id AND date = OLD.date AND n = 0;
    INSERT INTO history_versions (user_id, account_id, version)
    SELECT NEW.user_id, NEW.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
    WHERE NEW.coming = FALSE AND NEW.deleted_at IS NULL AND NEW.amount_origin <> 'unknown'
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
    INSERT INTO transaction_days (user_id, account_id, date, sum_minor, n)
    SELECT NEW.user_id, NEW.account_id, NEW.date, NEW.value_minor, 1
    WHERE NEW.coming = FALSE AND NEW.deleted_at IS NULL AND NEW.amount_origin <> 'unknown'
    ON CONFLICT (user_id, account_id, date) DO UPDATE SET sum_minor = sum_minor + excluded.sum_minor, n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER transactions_search_insert AFTER INSERT ON transactions
WHEN NOT EXISTS (SELECT 1 FROM ingest_batch) BEGIN
    INSERT INTO transactions_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER transactions_search_update AFTER UPDATE OF search_text ON transactions
WHEN old.search_text IS NOT new.search_text AND NOT EXISTS (SELECT 1 FROM ingest_batch) BEGIN
    INSERT INTO transactions_search (transactions_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO transactions_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER transactions_search_update;
DROP TRIGGER transactions_search_insert;
DROP TRIGGER transaction_days_update;
DROP TRIGGER transaction_days_insert;

-- +goose StatementBegin
CREATE TRIGGER transaction_days_insert AFTER INSERT ON transactions
WHEN NEW.coming = FALSE AND NEW.deleted_at IS NULL AND NEW.amount_origin <> 'unknown'
BEGIN
    INSERT INTO history_versions (user_id, account_id, version)
    VALUES (NEW.user_id, NEW.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
    INSERT INTO transaction_days (user_id, account_id, date, sum_minor, n)
    VALUES (NEW.user_id, NEW.account_id, NEW.date, NEW.value_minor, 1)
    ON CONFLICT (user_id, account_id, date) DO UPDATE SET sum_minor = sum_minor + excluded.sum_minor, n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER transaction_days_update AFTER UPDATE OF user_id, account_id, date, value_minor, coming, deleted_at, amount_origin ON transactions
WHEN OLD.user_id IS NOT NEW.user_id OR OLD.account_id IS NOT NEW.account_id OR OLD.date IS NOT NEW.date
    OR OLD.value_minor IS NOT NEW.value_minor OR OLD.coming IS NOT NEW.coming
    OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.amount_origin IS NOT NEW.amount_origin
BEGIN
    INSERT INTO history_versions (user_id, account_id, version)
    SELECT OLD.user_id, OLD.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
    WHERE OLD.coming = FALSE AND OLD.deleted_at IS NULL AND OLD.amount_origin <> 'unknown'
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
    UPDATE transaction_days SET sum_minor = sum_minor - OLD.value_minor, n = n - 1
    WHERE user_id = OLD.user_id AND account_id = OLD.account_id AND date = OLD.date
        AND OLD.coming = FALSE AND OLD.deleted_at IS NULL AND OLD.amount_origin <> 'unknown';
    DELETE FROM transaction_days
    WHERE user_id = OLD.user_id AND account_id = OLD.account_id AND date = OLD.date AND n = 0;
    INSERT INTO history_versions (user_id, account_id, version)
    SELECT NEW.user_id, NEW.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
    WHERE NEW.coming = FALSE AND NEW.deleted_at IS NULL AND NEW.amount_origin <> 'unknown'
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
    INSERT INTO transaction_days (user_id, account_id, date, sum_minor, n)
    SELECT NEW.user_id, NEW.account_id, NEW.date, NEW.value_minor, 1
    WHERE NEW.coming = FALSE AND NEW.deleted_at IS NULL AND NEW.amount_origin <> 'unknown'
    ON CONFLICT (user_id, account_id, date) DO UPDATE SET sum_minor = sum_minor + excluded.sum_minor, n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER transactions_search_insert AFTER INSERT ON transactions BEGIN
    INSERT INTO transactions_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER transactions_search_update AFTER UPDATE OF search_text ON transactions
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO transactions_search (transactions_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO transactions_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd

DROP TABLE ingest_batch;
