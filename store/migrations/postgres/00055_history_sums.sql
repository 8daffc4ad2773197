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

-- Statement-level triggers over the rows a statement inserted, updated or
-- deleted (transition tables): one set-based pass per statement, so an
-- ingest batch of thousands of transactions, or a restore, changes the day
-- sums in three statements instead of three per row. Each builds the
-- change of every day touched (the rows that leave it, negated, and those
-- that join it), applies it, and removes the days left with no
-- transaction. An update that changes nothing a history counts (ingest
-- rewrites every column of each transaction it sees again; an edit of its
-- category) contributes nothing.
-- +goose StatementBegin
CREATE FUNCTION transaction_days_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH delta AS (
        SELECT user_id, account_id, date, SUM(value_minor) AS s, COUNT(*) AS n FROM new_rows
        WHERE coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown'
        GROUP BY user_id, account_id, date
    ), bumped AS (
        INSERT INTO history_versions (user_id, account_id, version)
        SELECT DISTINCT user_id, account_id, CAST(extract(epoch FROM now()) * 1000000 AS BIGINT) FROM delta
        ON CONFLICT (user_id, account_id) DO UPDATE SET version = history_versions.version + 1
    )
    INSERT INTO transaction_days (user_id, account_id, date, sum_minor, n)
    SELECT user_id, account_id, date, s, n FROM delta
    ON CONFLICT (user_id, account_id, date)
    DO UPDATE SET sum_minor = transaction_days.sum_minor + excluded.sum_minor, n = transaction_days.n + excluded.n;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION transaction_days_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    emptied_users BIGINT[];
    emptied_accounts BIGINT[];
    emptied_dates INTEGER[];
BEGIN
    WITH changed AS (
        SELECT o.user_id AS o_user, o.account_id AS o_account, o.date AS o_date, o.value_minor AS o_value,
            o.coming = FALSE AND o.deleted_at IS NULL AND o.amount_origin <> 'unknown' AS o_counts,
            n.user_id AS n_user, n.account_id AS n_account, n.date AS n_date, n.value_minor AS n_value,
            n.coming = FALSE AND n.deleted_at IS NULL AND n.amount_origin <> 'unknown' AS n_counts
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.user_id, o.account_id, o.date, o.value_minor, o.coming, o.deleted_at, o.amount_origin)
            IS DISTINCT FROM (n.user_id, n.account_id, n.date, n.value_minor, n.coming, n.deleted_at, n.amount_origin)
    ), delta AS (
        SELECT user_id, account_id, date, SUM(s) AS s, SUM(k) AS n FROM (
            SELECT o_user AS user_id, o_account AS account_id, o_date AS date, -o_value AS s, -1 AS k FROM changed WHERE o_counts
            UNION ALL
            SELECT n_user, n_account, n_date, n_value, 1 FROM changed WHERE n_counts
        ) x GROUP BY user_id, account_id, date
        HAVING SUM(s) <> 0 OR SUM(k) <> 0
    ), bumped AS (
        INSERT INTO history_versions (user_id, account_id, version)
        SELECT DISTINCT user_id, account_id, CAST(extract(epoch FROM now()) * 1000000 AS BIGINT) FROM delta
        ON CONFLICT (user_id, account_id) DO UPDATE SET version = history_versions.version + 1
    )
    , applied AS (
        INSERT INTO transaction_days (user_id, account_id, date, sum_minor, n)
        SELECT user_id, account_id, date, s, n FROM delta
        ON CONFLICT (user_id, account_id, date)
        DO UPDATE SET sum_minor = transaction_days.sum_minor + excluded.sum_minor, n = transaction_days.n + excluded.n
        RETURNING user_id, account_id, date, n
    )
    SELECT array_agg(user_id), array_agg(account_id), array_agg(date) INTO emptied_users, emptied_accounts, emptied_dates
    FROM applied WHERE n = 0;
    -- A statement may not change a row twice: the days it emptied go in a
    -- second one.
    IF emptied_users IS NOT NULL THEN
        DELETE FROM transaction_days d USING unnest(emptied_users, emptied_accounts, emptied_dates) AS e(user_id, account_id, date)
        WHERE d.user_id = e.user_id AND d.account_id = e.account_id AND d.date = e.date AND d.n = 0;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION transaction_days_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    emptied_users BIGINT[];
    emptied_accounts BIGINT[];
    emptied_dates INTEGER[];
BEGIN
    WITH delta AS (
        SELECT user_id, account_id, date, -SUM(value_minor) AS s, -COUNT(*) AS n FROM old_rows
        WHERE coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown'
        GROUP BY user_id, account_id, date
    ), bumped AS (
        INSERT INTO history_versions (user_id, account_id, version)
        SELECT DISTINCT user_id, account_id, CAST(extract(epoch FROM now()) * 1000000 AS BIGINT) FROM delta
        ON CONFLICT (user_id, account_id) DO UPDATE SET version = history_versions.version + 1
    )
    , applied AS (
        UPDATE transaction_days d SET sum_minor = d.sum_minor + delta.s, n = d.n + delta.n FROM delta
        WHERE d.user_id = delta.user_id AND d.account_id = delta.account_id AND d.date = delta.date
        RETURNING d.user_id, d.account_id, d.date, d.n
    )
    SELECT array_agg(user_id), array_agg(account_id), array_agg(date) INTO emptied_users, emptied_accounts, emptied_dates
    FROM applied WHERE n = 0;
    IF emptied_users IS NOT NULL THEN
        DELETE FROM transaction_days d USING unnest(emptied_users, emptied_accounts, emptied_dates) AS e(user_id, account_id, date)
        WHERE d.user_id = e.user_id AND d.account_id = e.account_id AND d.date = e.date AND d.n = 0;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER transaction_days_insert AFTER INSERT ON transactions
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION transaction_days_insert();

CREATE TRIGGER transaction_days_update AFTER UPDATE ON transactions
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION transaction_days_update();

CREATE TRIGGER transaction_days_delete AFTER DELETE ON transactions
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION transaction_days_delete();

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
DROP FUNCTION transaction_days_delete();
DROP FUNCTION transaction_days_update();
DROP FUNCTION transaction_days_insert();
DROP FUNCTION history_version_bump(BIGINT, BIGINT);
DROP TABLE history_versions;
DROP TABLE transaction_days;
