-- +goose Up
-- Ingest applies the monthly report sums (migration 00110) once per event
-- instead of once per statement (issue 13). An event of ten accounts writes
-- ten statements of transactions (one per account); each brought the same
-- months, categories and payees to report_apply, which upserted about 3,600
-- keys for 5,000 rows, ten times over: 980 ms of server CPU for 50,000
-- categorised rows against 500 ms for one apply of all 50,000 (psql, on the
-- rows of BenchmarkIngest).
--
-- A transaction that calls report_defer() has the three statement triggers
-- of transactions note the rows they move in a temporary table
-- (report_pending, one per session, emptied at commit) instead of applying
-- them; report_undefer() applies them in one go and ends the deferral.
-- Sums are derived only from the transactions and their accounts and
-- splits, and addition commutes, so the result is the one the statements
-- gave one by one, provided nothing reads a sum, or derives one from
-- transactions that are in the table but not yet in the sums, meanwhile:
-- the triggers of accounts and transaction_splits do exactly that (they
-- move an account's or a transaction's existing rows), so what is pending
-- of the account (or everything, for a split) is applied before them. Only the
-- ingest of one event defers, and it calls report_undefer() before it
-- marks the event processed and commits; nothing in it reads the sums.
-- Other sessions never see the setting (it is local to the transaction)
-- nor the table (temporary).

-- +goose StatementBegin
CREATE FUNCTION report_defer() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    CREATE TEMPORARY TABLE IF NOT EXISTS report_pending (
        id BIGINT, user_id BIGINT, account_id BIGINT, date INTEGER, category_id BIGINT, payee TEXT, value_minor BIGINT, s INTEGER
    ) ON COMMIT DELETE ROWS;
    PERFORM set_config('freenahi.report_defer', 'on', true);
END;
$$;
-- +goose StatementEnd

-- report_apply_pending applies the pending rows when accounts is NULL or
-- some are of one of these accounts (see report_account), and empties the
-- table; nothing outside a deferral. Sorting 50,000 rows by the keys spilt
-- to disk at the default work_mem (4 MB).
-- +goose StatementBegin
CREATE FUNCTION report_apply_pending(accounts BIGINT[]) RETURNS void LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
    IF current_setting('freenahi.report_defer', true) IS DISTINCT FROM 'on' THEN
        RETURN;
    END IF;
    IF accounts IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_temp.report_pending WHERE account_id = ANY (accounts)) THEN
        RETURN;
    END IF;
    INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
    SELECT m.user_id, m.date / 100, a.currency, a.currency_exponent, COALESCE(m.category_id, 0),
        SUM(m.s * GREATEST(m.value_minor, 0)), SUM(m.s * GREATEST(-m.value_minor, 0)), SUM(m.s)
    FROM pg_temp.report_pending m JOIN accounts a ON a.id = m.account_id
    GROUP BY 1, 2, 3, 4, 5
    HAVING SUM(m.s) <> 0 OR SUM(m.s * GREATEST(m.value_minor, 0)) <> 0 OR SUM(m.s * GREATEST(-m.value_minor, 0)) <> 0
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
        income_minor = report_flows.income_minor + excluded.income_minor,
        spending_minor = report_flows.spending_minor + excluded.spending_minor, n = report_flows.n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT m.user_id, m.date / 100, a.currency, a.currency_exponent, COALESCE(sp.category_id, m.category_id, 0), m.payee,
        SUM(m.s * GREATEST(-COALESCE(sp.amount_minor, m.value_minor), 0)),
        SUM(m.s * CASE WHEN COALESCE(sp.amount_minor, m.value_minor) < 0 THEN 1 ELSE 0 END),
        SUM(m.s * GREATEST(COALESCE(sp.amount_minor, m.value_minor), 0)), SUM(m.s)
    FROM pg_temp.report_pending m JOIN accounts a ON a.id = m.account_id
    LEFT JOIN transaction_splits sp ON sp.transaction_id = m.id AND sp.user_id = m.user_id
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING SUM(m.s) <> 0 OR SUM(m.s * GREATEST(-COALESCE(sp.amount_minor, m.value_minor), 0)) <> 0
        OR SUM(m.s * CASE WHEN COALESCE(sp.amount_minor, m.value_minor) < 0 THEN 1 ELSE 0 END) <> 0
        OR SUM(m.s * GREATEST(COALESCE(sp.amount_minor, m.value_minor), 0)) <> 0
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = report_parts.debit_minor + excluded.debit_minor, debit_n = report_parts.debit_n + excluded.debit_n,
        credit_minor = report_parts.credit_minor + excluded.credit_minor, n = report_parts.n + excluded.n;
    DELETE FROM report_flows f USING (SELECT DISTINCT user_id, date / 100 AS month FROM pg_temp.report_pending WHERE s < 0) d
    WHERE f.user_id = d.user_id AND f.month = d.month AND f.n = 0;
    DELETE FROM report_parts p USING (SELECT DISTINCT user_id, date / 100 AS month FROM pg_temp.report_pending WHERE s < 0) d
    WHERE p.user_id = d.user_id AND p.month = d.month AND p.n = 0;
    TRUNCATE pg_temp.report_pending;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION report_undefer() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_apply_pending(NULL);
    PERFORM set_config('freenahi.report_defer', 'off', true);
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('freenahi.report_defer', true) = 'on' THEN
        INSERT INTO pg_temp.report_pending
        SELECT id, user_id, account_id, date, category_id, payee, value_minor, 1 FROM new_rows
        WHERE deleted_at IS NULL AND amount_origin <> 'unknown' AND transfer = FALSE;
        RETURN NULL;
    END IF;
    PERFORM report_apply(ARRAY(
        SELECT ROW(id, user_id, account_id, date, category_id, payee, value_minor, 1)::report_moved FROM new_rows
        WHERE deleted_at IS NULL AND amount_origin <> 'unknown' AND transfer = FALSE));
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('freenahi.report_defer', true) = 'on' THEN
        INSERT INTO pg_temp.report_pending
        SELECT id, user_id, account_id, date, category_id, payee, value_minor, -1 FROM old_rows
        WHERE deleted_at IS NULL AND amount_origin <> 'unknown' AND transfer = FALSE;
        RETURN NULL;
    END IF;
    PERFORM report_apply(ARRAY(
        SELECT ROW(id, user_id, account_id, date, category_id, payee, value_minor, -1)::report_moved FROM old_rows
        WHERE deleted_at IS NULL AND amount_origin <> 'unknown' AND transfer = FALSE));
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('freenahi.report_defer', true) = 'on' THEN
        INSERT INTO pg_temp.report_pending
        WITH changed AS (
            SELECT o.id AS o_id, o.user_id AS o_user, o.account_id AS o_account, o.date AS o_date, o.category_id AS o_category,
                o.payee AS o_payee, o.value_minor AS o_value,
                o.deleted_at IS NULL AND o.amount_origin <> 'unknown' AND o.transfer = FALSE AS o_counts,
                n.id AS n_id, n.user_id AS n_user, n.account_id AS n_account, n.date AS n_date, n.category_id AS n_category,
                n.payee AS n_payee, n.value_minor AS n_value,
                n.deleted_at IS NULL AND n.amount_origin <> 'unknown' AND n.transfer = FALSE AS n_counts
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.user_id, o.account_id, o.date, o.value_minor, o.category_id, o.payee, o.transfer, o.deleted_at, o.amount_origin)
                IS DISTINCT FROM (n.user_id, n.account_id, n.date, n.value_minor, n.category_id, n.payee, n.transfer, n.deleted_at, n.amount_origin)
        )
        SELECT o_id, o_user, o_account, o_date, o_category, o_payee, o_value, -1 FROM changed WHERE o_counts
        UNION ALL
        SELECT n_id, n_user, n_account, n_date, n_category, n_payee, n_value, 1 FROM changed WHERE n_counts;
        RETURN NULL;
    END IF;
    PERFORM report_apply(ARRAY(
        WITH changed AS (
            SELECT o.id AS o_id, o.user_id AS o_user, o.account_id AS o_account, o.date AS o_date, o.category_id AS o_category,
                o.payee AS o_payee, o.value_minor AS o_value,
                o.deleted_at IS NULL AND o.amount_origin <> 'unknown' AND o.transfer = FALSE AS o_counts,
                n.id AS n_id, n.user_id AS n_user, n.account_id AS n_account, n.date AS n_date, n.category_id AS n_category,
                n.payee AS n_payee, n.value_minor AS n_value,
                n.deleted_at IS NULL AND n.amount_origin <> 'unknown' AND n.transfer = FALSE AS n_counts
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.user_id, o.account_id, o.date, o.value_minor, o.category_id, o.payee, o.transfer, o.deleted_at, o.amount_origin)
                IS DISTINCT FROM (n.user_id, n.account_id, n.date, n.value_minor, n.category_id, n.payee, n.transfer, n.deleted_at, n.amount_origin)
        )
        SELECT ROW(o_id, o_user, o_account, o_date, o_category, o_payee, o_value, -1)::report_moved FROM changed WHERE o_counts
        UNION ALL
        SELECT ROW(n_id, n_user, n_account, n_date, n_category, n_payee, n_value, 1)::report_moved FROM changed WHERE n_counts));
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- An account's triggers read its currency as it is after the change
-- (AFTER ROW, 00110); its pending rows were written while it had the old
-- one, so they are applied before the change, with it.
-- +goose StatementBegin
CREATE FUNCTION report_account_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM report_apply_pending(ARRAY[OLD.id]);
        RETURN OLD;
    END IF;
    IF OLD.id <> NEW.id OR OLD.currency <> NEW.currency OR OLD.currency_exponent <> NEW.currency_exponent THEN
        PERFORM report_apply_pending(ARRAY[OLD.id]);
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER report_account_pending BEFORE DELETE OR UPDATE OF id, currency, currency_exponent ON accounts
FOR EACH ROW EXECUTE FUNCTION report_account_pending();

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_split() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parts BIGINT;
BEGIN
    PERFORM report_apply_pending(NULL);
    IF TG_OP <> 'INSERT' THEN
        PERFORM report_part(OLD.user_id, OLD.transaction_id, OLD.category_id, OLD.amount_minor, -1);
        IF TG_OP = 'DELETE' OR OLD.transaction_id <> NEW.transaction_id OR OLD.user_id <> NEW.user_id THEN
            SELECT COUNT(*) INTO parts FROM transaction_splits WHERE transaction_id = OLD.transaction_id AND user_id = OLD.user_id;
            IF parts = 1 THEN
                PERFORM report_part(OLD.user_id, OLD.transaction_id, NULL, NULL, 1);
            END IF;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT' OR OLD.transaction_id <> NEW.transaction_id OR OLD.user_id <> NEW.user_id THEN
        IF NOT EXISTS (SELECT 1 FROM transaction_splits WHERE transaction_id = NEW.transaction_id AND user_id = NEW.user_id) THEN
            PERFORM report_part(NEW.user_id, NEW.transaction_id, NULL, NULL, -1);
        END IF;
    END IF;
    PERFORM report_part(NEW.user_id, NEW.transaction_id, NEW.category_id, NEW.amount_minor, 1);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER report_account_pending ON accounts;
DROP FUNCTION report_account_pending();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_split() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parts BIGINT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM report_part(OLD.user_id, OLD.transaction_id, OLD.category_id, OLD.amount_minor, -1);
        IF TG_OP = 'DELETE' OR OLD.transaction_id <> NEW.transaction_id OR OLD.user_id <> NEW.user_id THEN
            SELECT COUNT(*) INTO parts FROM transaction_splits WHERE transaction_id = OLD.transaction_id AND user_id = OLD.user_id;
            IF parts = 1 THEN
                PERFORM report_part(OLD.user_id, OLD.transaction_id, NULL, NULL, 1);
            END IF;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT' OR OLD.transaction_id <> NEW.transaction_id OR OLD.user_id <> NEW.user_id THEN
        IF NOT EXISTS (SELECT 1 FROM transaction_splits WHERE transaction_id = NEW.transaction_id AND user_id = NEW.user_id) THEN
            PERFORM report_part(NEW.user_id, NEW.transaction_id, NULL, NULL, -1);
        END IF;
    END IF;
    PERFORM report_part(NEW.user_id, NEW.transaction_id, NEW.category_id, NEW.amount_minor, 1);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_apply(ARRAY(
        SELECT ROW(id, user_id, account_id, date, category_id, payee, value_minor, 1)::report_moved FROM new_rows
        WHERE deleted_at IS NULL AND amount_origin <> 'unknown' AND transfer = FALSE));
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_apply(ARRAY(
        SELECT ROW(id, user_id, account_id, date, category_id, payee, value_minor, -1)::report_moved FROM old_rows
        WHERE deleted_at IS NULL AND amount_origin <> 'unknown' AND transfer = FALSE));
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_apply(ARRAY(
        WITH changed AS (
            SELECT o.id AS o_id, o.user_id AS o_user, o.account_id AS o_account, o.date AS o_date, o.category_id AS o_category,
                o.payee AS o_payee, o.value_minor AS o_value,
                o.deleted_at IS NULL AND o.amount_origin <> 'unknown' AND o.transfer = FALSE AS o_counts,
                n.id AS n_id, n.user_id AS n_user, n.account_id AS n_account, n.date AS n_date, n.category_id AS n_category,
                n.payee AS n_payee, n.value_minor AS n_value,
                n.deleted_at IS NULL AND n.amount_origin <> 'unknown' AND n.transfer = FALSE AS n_counts
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.user_id, o.account_id, o.date, o.value_minor, o.category_id, o.payee, o.transfer, o.deleted_at, o.amount_origin)
                IS DISTINCT FROM (n.user_id, n.account_id, n.date, n.value_minor, n.category_id, n.payee, n.transfer, n.deleted_at, n.amount_origin)
        )
        SELECT ROW(o_id, o_user, o_account, o_date, o_category, o_payee, o_value, -1)::report_moved FROM changed WHERE o_counts
        UNION ALL
        SELECT ROW(n_id, n_user, n_account, n_date, n_category, n_payee, n_value, 1)::report_moved FROM changed WHERE n_counts));
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
DROP FUNCTION report_undefer();
DROP FUNCTION report_apply_pending(BIGINT[]);
DROP FUNCTION report_defer();
