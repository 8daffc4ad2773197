-- +goose Up
-- Ingest applies the monthly report sums (migration 00110) once per event
-- instead of once per statement (issue 13). An event of ten accounts writes
-- ten statements of transactions (one per account); each brought the same
-- months, categories and payees to report_apply, which upserted about 3,600
-- keys for 5,000 rows, ten times over: 980 ms of server CPU for 50,000
-- categorised rows against 500 ms for one apply of all 50,000 (psql, on the
-- rows of BenchmarkIngest).
--
-- The mechanism changes where the triggers of 00110 hand their rows over:
-- report_apply, which they call, now notes the rows in a temporary table
-- (report_pending, one per session, emptied at commit) while the
-- transaction has called report_defer(), and otherwise applies them at once
-- through report_apply_now (00110's report_apply, renamed);
-- report_undefer() applies what is noted in one go and ends the deferral.
-- Sums are derived only from the transactions and their accounts and
-- splits, and addition commutes, so the result is the one the statements
-- gave one by one, provided nothing reads a sum, or changes what an apply
-- joins to, meanwhile: an account's currency and its deletion (00110's
-- trigger on accounts moves its existing rows), the splits (the apply reads
-- them). So before any of those, what is pending is applied. Only the
-- ingest of one event defers, and it calls report_undefer() before it marks
-- the event processed and commits; nothing in it reads the sums. Other
-- sessions never see the setting (it is local to the transaction) nor the
-- table (temporary).

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

ALTER FUNCTION report_apply(report_moved[]) RENAME TO report_apply_now;

-- +goose StatementBegin
CREATE FUNCTION report_apply(moved report_moved[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('freenahi.report_defer', true) = 'on' THEN
        INSERT INTO pg_temp.report_pending SELECT * FROM unnest(moved);
        RETURN;
    END IF;
    PERFORM report_apply_now(moved);
END;
$$;
-- +goose StatementEnd

-- report_apply_pending applies the pending rows when accounts is NULL or
-- some are of one of these accounts, and empties the table; nothing outside
-- a deferral. Sorting 50,000 rows by the keys spilt to disk at the default
-- work_mem (4 MB).
-- +goose StatementBegin
CREATE FUNCTION report_apply_pending(accounts BIGINT[]) RETURNS void LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
    IF current_setting('freenahi.report_defer', true) IS DISTINCT FROM 'on' THEN
        RETURN;
    END IF;
    IF accounts IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_temp.report_pending WHERE account_id = ANY (accounts)) THEN
        RETURN;
    END IF;
    PERFORM report_apply_now(ARRAY(
        SELECT ROW(id, user_id, account_id, date, category_id, payee, value_minor, s)::report_moved FROM pg_temp.report_pending));
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

-- An account's trigger (00110) reads its currency as it is after the change
-- (AFTER ROW); its pending rows were noted while it had the old one, so
-- they are applied before the change, with it.
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

-- A split changes what the apply reads of its transaction: the pending
-- rows are applied with the splits as they were when they were noted.
-- +goose StatementBegin
CREATE FUNCTION report_split_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_apply_pending(NULL);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER report_split_pending BEFORE INSERT OR UPDATE OR DELETE ON transaction_splits
FOR EACH STATEMENT EXECUTE FUNCTION report_split_pending();

-- +goose Down
DROP TRIGGER report_split_pending ON transaction_splits;
DROP FUNCTION report_split_pending();
DROP TRIGGER report_account_pending ON accounts;
DROP FUNCTION report_account_pending();
DROP FUNCTION report_undefer();
DROP FUNCTION report_apply_pending(BIGINT[]);
DROP FUNCTION report_apply(report_moved[]);
ALTER FUNCTION report_apply_now(report_moved[]) RENAME TO report_apply;
DROP FUNCTION report_defer();
