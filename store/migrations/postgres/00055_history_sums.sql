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
);

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
);

INSERT INTO transaction_days (user_id, account_id, date, sum_minor, n)
SELECT user_id, account_id, date, SUM(value_minor), COUNT(*) FROM transactions
WHERE coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown'
GROUP BY user_id, account_id, date;

-- +goose StatementBegin
CREATE FUNCTION history_version_bump(uid BIGINT, aid BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO history_versions (user_id, account_id, version)
    VALUES (uid, aid, CAST(extract(epoch FROM now()) * 1000000 AS BIGINT))
    ON CONFLICT (user_id, account_id) DO UPDATE SET version = history_versions.version + 1;
$$;
-- +goose StatementEnd

-- An update takes the old row out of its day and puts the new one into
-- its own, each only when it counts; an insert only puts, a delete only
-- takes out.
-- +goose StatementBegin
CREATE FUNCTION transaction_days_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.coming = FALSE AND OLD.deleted_at IS NULL AND OLD.amount_origin <> 'unknown' THEN
            PERFORM history_version_bump(OLD.user_id, OLD.account_id);
            UPDATE transaction_days SET sum_minor = sum_minor - OLD.value_minor, n = n - 1
            WHERE user_id = OLD.user_id AND account_id = OLD.account_id AND date = OLD.date;
            DELETE FROM transaction_days
            WHERE user_id = OLD.user_id AND account_id = OLD.account_id AND date = OLD.date AND n = 0;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.coming = FALSE AND NEW.deleted_at IS NULL AND NEW.amount_origin <> 'unknown' THEN
            PERFORM history_version_bump(NEW.user_id, NEW.account_id);
            INSERT INTO transaction_days (user_id, account_id, date, sum_minor, n)
            VALUES (NEW.user_id, NEW.account_id, NEW.date, NEW.value_minor, 1)
            ON CONFLICT (user_id, account_id, date)
            DO UPDATE SET sum_minor = transaction_days.sum_minor + excluded.sum_minor, n = transaction_days.n + 1;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER transaction_days_insert AFTER INSERT ON transactions
FOR EACH ROW WHEN (NEW.coming = FALSE AND NEW.deleted_at IS NULL AND NEW.amount_origin <> 'unknown')
EXECUTE FUNCTION transaction_days_sync();

CREATE TRIGGER transaction_days_delete AFTER DELETE ON transactions
FOR EACH ROW WHEN (OLD.coming = FALSE AND OLD.deleted_at IS NULL AND OLD.amount_origin <> 'unknown')
EXECUTE FUNCTION transaction_days_sync();

-- Ingest rewrites every column of a transaction it sees again: the WHEN
-- clause skips those that change nothing a history counts.
CREATE TRIGGER transaction_days_update
AFTER UPDATE OF user_id, account_id, date, value_minor, coming, deleted_at, amount_origin ON transactions
FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.account_id IS DISTINCT FROM NEW.account_id
    OR OLD.date IS DISTINCT FROM NEW.date OR OLD.value_minor IS DISTINCT FROM NEW.value_minor
    OR OLD.coming IS DISTINCT FROM NEW.coming OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
    OR OLD.amount_origin IS DISTINCT FROM NEW.amount_origin)
EXECUTE FUNCTION transaction_days_sync();

-- Balance snapshots are the other input of a history.
-- +goose StatementBegin
CREATE FUNCTION history_versions_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM history_version_bump(OLD.user_id, OLD.account_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM history_version_bump(NEW.user_id, NEW.account_id);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER history_versions_snapshot AFTER INSERT OR UPDATE OR DELETE ON balance_snapshots
FOR EACH ROW EXECUTE FUNCTION history_versions_snapshot();

-- +goose Down
DROP TRIGGER history_versions_snapshot ON balance_snapshots;
DROP FUNCTION history_versions_snapshot();
DROP TRIGGER transaction_days_update ON transactions;
DROP TRIGGER transaction_days_delete ON transactions;
DROP TRIGGER transaction_days_insert ON transactions;
DROP FUNCTION transaction_days_sync();
DROP FUNCTION history_version_bump(BIGINT, BIGINT);
DROP TABLE history_versions;
DROP TABLE transaction_days;
