-- +goose Up
-- Balance histories and net worth are rebuilt from each account's booked
-- transactions summed per day. Summing a million transactions on every
-- request took seconds, so the sums are kept here, derived from
-- transactions by the triggers below: every write that changes what a
-- history counts (a new booked transaction, an edit of its amount or date,
-- a move to another account, a coming one booked, a soft or hard delete)
-- updates the day it leaves and the day it joins in the same statement.
-- n counts the day's transactions: a day whose last one leaves is removed,
-- so the rows are exactly those of
--   SELECT user_id, account_id, date, SUM(value_minor), COUNT(*)
--   FROM transactions WHERE <exportable> GROUP BY user_id, account_id, date.
-- Derived data: backups leave it out and a restore rebuilds it (the
-- triggers fire as the transactions are loaded).
CREATE TABLE transaction_days (
    user_id    BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    date       INTEGER NOT NULL,
    sum_minor  BIGINT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (user_id, account_id, date)
) WITHOUT ROWID;

-- A counter per account, raised by every change of its history data
-- (transaction days above, balance snapshots), so that readers can cache
-- histories and know when they are stale: a history computed from data read
-- after the counter said v is exact while it still says v. Rows are never
-- removed (not even with their account), so a counter never goes back; a
-- new one starts at the current time in microseconds, so a database
-- restored or rebuilt later does not count again through values seen before.
-- One row per account, not per user: two connections of one person syncing
-- at once do not wait on each other, and a reader reloads only the accounts
-- that changed.
CREATE TABLE history_versions (
    user_id    BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    version    BIGINT NOT NULL,
    PRIMARY KEY (user_id, account_id)
) WITHOUT ROWID;

INSERT INTO transaction_days (user_id, account_id, date, sum_minor, n)
SELECT user_id, account_id, date, SUM(value_minor), COUNT(*) FROM transactions
WHERE coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown'
GROUP BY user_id, account_id, date;

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
CREATE TRIGGER transaction_days_delete AFTER DELETE ON transactions
WHEN OLD.coming = FALSE AND OLD.deleted_at IS NULL AND OLD.amount_origin <> 'unknown'
BEGIN
    INSERT INTO history_versions (user_id, account_id, version)
    VALUES (OLD.user_id, OLD.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
    UPDATE transaction_days SET sum_minor = sum_minor - OLD.value_minor, n = n - 1
    WHERE user_id = OLD.user_id AND account_id = OLD.account_id AND date = OLD.date;
    DELETE FROM transaction_days
    WHERE user_id = OLD.user_id AND account_id = OLD.account_id AND date = OLD.date AND n = 0;
END;
-- +goose StatementEnd

-- An update takes the old row out of its day and puts the new one into
-- its own, each only when it counts. Ingest rewrites every column of a
-- transaction it sees again: the WHEN clause skips those that change
-- nothing a history counts.
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

-- Balance snapshots are the other input of a history.
-- +goose StatementBegin
CREATE TRIGGER history_versions_snapshot_insert AFTER INSERT ON balance_snapshots
BEGIN
    INSERT INTO history_versions (user_id, account_id, version)
    VALUES (NEW.user_id, NEW.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER history_versions_snapshot_update AFTER UPDATE ON balance_snapshots
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
CREATE TRIGGER history_versions_snapshot_delete AFTER DELETE ON balance_snapshots
BEGIN
    INSERT INTO history_versions (user_id, account_id, version)
    VALUES (OLD.user_id, OLD.account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER history_versions_snapshot_delete;
DROP TRIGGER history_versions_snapshot_update;
DROP TRIGGER history_versions_snapshot_insert;
DROP TRIGGER transaction_days_update;
DROP TRIGGER transaction_days_delete;
DROP TRIGGER transaction_days_insert;
DROP TABLE history_versions;
DROP TABLE transaction_days;
