-- +goose Up
-- The reports (cash flow, spending by category and by payee, budget
-- progress) sum a period of a person's live, known-amount transactions that
-- are not marked as transfers, each in its account's currency. Summing a
-- year of 1,000,000 transactions took hundreds of milliseconds of CPU per
-- request, so whole months are kept summed here, derived from transactions,
-- their split parts and their accounts' currencies by the triggers below, in
-- the same statement as every write of those (ingest, edits, rules, splits,
-- category merges, imports, deletions, a restore loading rows). The reports
-- read these for the whole months of a period and the transactions for the
-- days of partial months at its edges.
--
-- A transaction counts when deleted_at IS NULL AND amount_origin <> 'unknown'
-- AND transfer = FALSE and its account exists. The transfer categories are
-- not left out here: which categories they are changes with the person's
-- tree (a merge, a category moved into the transfers group), so the rows
-- keep the category and the reports leave those out as they read.
-- category_id 0 stands for none (NULL would make every key distinct).
-- The account is not kept, its currency is: a month of 200 accounts paying
-- the same 300 payees would otherwise keep about as many rows as
-- transactions. An account whose currency changes moves its sums.
--
-- report_flows, for the cash flow: whole transactions (a split one by its
-- own category and amount), their credits and debits and how many; exactly
--   SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent,
--     COALESCE(t.category_id, 0), SUM(GREATEST(t.value_minor, 0)),
--     SUM(GREATEST(-t.value_minor, 0)), COUNT(*)
--   FROM transactions t JOIN accounts a ON a.id = t.account_id
--   WHERE <counts> GROUP BY 1, 2, 3, 4, 5.
CREATE TABLE report_flows (
    user_id           BIGINT NOT NULL,
    month             INTEGER NOT NULL, -- YYYYMM
    currency          TEXT NOT NULL,
    currency_exponent INTEGER NOT NULL,
    category_id       BIGINT NOT NULL,
    income_minor      BIGINT NOT NULL,
    spending_minor    BIGINT NOT NULL,
    n                 BIGINT NOT NULL,
    PRIMARY KEY (user_id, month, currency, currency_exponent, category_id)
);

-- report_parts, for spending by category and payee and budgets: the parts
-- of split transactions, each whole transaction as one part, by the part's
-- category and the transaction's payee: the debits (parts below zero),
-- how many, the credits, and how many parts in all; exactly
--   SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent,
--     COALESCE(sp.category_id, t.category_id, 0), t.payee,
--     SUM(GREATEST(-p, 0)), COUNT(*) FILTER (WHERE p < 0), SUM(GREATEST(p, 0)), COUNT(*)
--   FROM transactions t JOIN accounts a ON a.id = t.account_id
--   LEFT JOIN transaction_splits sp ON sp.transaction_id = t.id AND sp.user_id = t.user_id
--   WHERE <counts> GROUP BY 1, 2, 3, 4, 5, 6    (p = COALESCE(sp.amount_minor, t.value_minor)).
-- A row whose count falls to zero is removed, in both tables.
-- Derived data: backups leave both out and a restore rebuilds them.
CREATE TABLE report_parts (
    user_id           BIGINT NOT NULL,
    month             INTEGER NOT NULL,
    currency          TEXT NOT NULL,
    currency_exponent INTEGER NOT NULL,
    category_id       BIGINT NOT NULL,
    payee             TEXT NOT NULL,
    debit_minor       BIGINT NOT NULL,
    debit_n           BIGINT NOT NULL,
    credit_minor      BIGINT NOT NULL,
    n                 BIGINT NOT NULL,
    PRIMARY KEY (user_id, month, currency, currency_exponent, category_id, payee)
);

-- Transactions that join or leave the sums, each with its sign s (+1, -1).
CREATE TYPE report_moved AS (
    id BIGINT, user_id BIGINT, account_id BIGINT, date INTEGER, category_id BIGINT, payee TEXT, value_minor BIGINT, s INTEGER
);

-- report_apply adds the moved transactions to both tables in two
-- set-based statements (split ones by their parts), then removes the rows
-- of the months they left that no longer count anything.
-- +goose StatementBegin
CREATE FUNCTION report_apply(moved report_moved[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(moved) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
    SELECT m.user_id, m.date / 100, a.currency, a.currency_exponent, COALESCE(m.category_id, 0),
        SUM(m.s * GREATEST(m.value_minor, 0)), SUM(m.s * GREATEST(-m.value_minor, 0)), SUM(m.s)
    FROM unnest(moved) m JOIN accounts a ON a.id = m.account_id
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
    FROM unnest(moved) m JOIN accounts a ON a.id = m.account_id
    LEFT JOIN transaction_splits sp ON sp.transaction_id = m.id AND sp.user_id = m.user_id
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING SUM(m.s) <> 0 OR SUM(m.s * GREATEST(-COALESCE(sp.amount_minor, m.value_minor), 0)) <> 0
        OR SUM(m.s * CASE WHEN COALESCE(sp.amount_minor, m.value_minor) < 0 THEN 1 ELSE 0 END) <> 0
        OR SUM(m.s * GREATEST(COALESCE(sp.amount_minor, m.value_minor), 0)) <> 0
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = report_parts.debit_minor + excluded.debit_minor, debit_n = report_parts.debit_n + excluded.debit_n,
        credit_minor = report_parts.credit_minor + excluded.credit_minor, n = report_parts.n + excluded.n;
    DELETE FROM report_flows f USING (SELECT DISTINCT user_id, date / 100 AS month FROM unnest(moved) WHERE s < 0) d
    WHERE f.user_id = d.user_id AND f.month = d.month AND f.n = 0;
    DELETE FROM report_parts p USING (SELECT DISTINCT user_id, date / 100 AS month FROM unnest(moved) WHERE s < 0) d
    WHERE p.user_id = d.user_id AND p.month = d.month AND p.n = 0;
END;
$$;
-- +goose StatementEnd

-- Statement-level triggers over the rows a statement wrote (transition
-- tables), as for the day sums of 00055: an ingest batch of hundreds of
-- transactions changes the sums in a few set-based statements. An update
-- that changes nothing a report reads (ingest rewrites every column of each
-- transaction it sees again) moves nothing.
-- +goose StatementBegin
CREATE FUNCTION report_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_apply(ARRAY(
        SELECT ROW(id, user_id, account_id, date, category_id, payee, value_minor, 1)::report_moved FROM new_rows
        WHERE deleted_at IS NULL AND amount_origin <> 'unknown' AND transfer = FALSE));
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION report_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_apply(ARRAY(
        SELECT ROW(id, user_id, account_id, date, category_id, payee, value_minor, -1)::report_moved FROM old_rows
        WHERE deleted_at IS NULL AND amount_origin <> 'unknown' AND transfer = FALSE));
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION report_update() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER report_insert AFTER INSERT ON transactions
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_insert();

CREATE TRIGGER report_update AFTER UPDATE ON transactions
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_update();

CREATE TRIGGER report_delete AFTER DELETE ON transactions
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_delete();

-- One part of a transaction (or the whole one, as a part: part_category
-- NULL) joins report_parts with sign s, when the transaction counts.
-- +goose StatementBegin
CREATE FUNCTION report_part(uid BIGINT, txid BIGINT, part_category BIGINT, part_amount BIGINT, s INTEGER) RETURNS void LANGUAGE sql AS $$
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(part_category, t.category_id, 0), t.payee,
        s * GREATEST(-COALESCE(part_amount, t.value_minor), 0),
        s * CASE WHEN COALESCE(part_amount, t.value_minor) < 0 THEN 1 ELSE 0 END,
        s * GREATEST(COALESCE(part_amount, t.value_minor), 0), s
    FROM transactions t JOIN accounts a ON a.id = t.account_id
    WHERE t.id = txid AND t.user_id = uid AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = report_parts.debit_minor + excluded.debit_minor, debit_n = report_parts.debit_n + excluded.debit_n,
        credit_minor = report_parts.credit_minor + excluded.credit_minor, n = report_parts.n + excluded.n;
    DELETE FROM report_parts WHERE n = 0 AND user_id = uid
        AND month IN (SELECT date / 100 FROM transactions WHERE id = txid AND user_id = uid);
$$;
-- +goose StatementEnd

-- Split parts are few and written one transaction at a time: row-level
-- BEFORE triggers, which see the rows of the same statement processed
-- before (a statement replacing three parts counts them one by one). A
-- transaction's first part takes the place of the whole transaction, and
-- its last part removed gives it back.
-- +goose StatementBegin
CREATE FUNCTION report_split() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER report_split BEFORE INSERT OR UPDATE OR DELETE ON transaction_splits
FOR EACH ROW EXECUTE FUNCTION report_split();

-- An account's currency is read when its transactions are summed: an
-- account created after its transactions (a restore may load them first)
-- brings them in, a deleted one takes them out, a change of currency
-- moves them. Rare writes: each reads the account's transactions once.
-- report_account_move adds (s = 1) or takes out (s = -1) every counted
-- transaction of one account, in the currency given.
-- +goose StatementBegin
CREATE FUNCTION report_account_move(aid BIGINT, cur TEXT, exp INTEGER, s INTEGER) RETURNS void LANGUAGE sql AS $$
    INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
    SELECT t.user_id, t.date / 100, cur, exp, COALESCE(t.category_id, 0),
        s * SUM(GREATEST(t.value_minor, 0)), s * SUM(GREATEST(-t.value_minor, 0)), s * COUNT(*)
    FROM transactions t
    WHERE t.account_id = aid AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
        income_minor = report_flows.income_minor + excluded.income_minor,
        spending_minor = report_flows.spending_minor + excluded.spending_minor, n = report_flows.n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, cur, exp, COALESCE(sp.category_id, t.category_id, 0), t.payee,
        s * SUM(GREATEST(-COALESCE(sp.amount_minor, t.value_minor), 0)),
        s * COUNT(*) FILTER (WHERE COALESCE(sp.amount_minor, t.value_minor) < 0),
        s * SUM(GREATEST(COALESCE(sp.amount_minor, t.value_minor), 0)), s * COUNT(*)
    FROM transactions t LEFT JOIN transaction_splits sp ON sp.transaction_id = t.id AND sp.user_id = t.user_id
    WHERE t.account_id = aid AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = report_parts.debit_minor + excluded.debit_minor, debit_n = report_parts.debit_n + excluded.debit_n,
        credit_minor = report_parts.credit_minor + excluded.credit_minor, n = report_parts.n + excluded.n;
    DELETE FROM report_flows WHERE n = 0 AND user_id IN (SELECT DISTINCT user_id FROM transactions WHERE account_id = aid);
    DELETE FROM report_parts WHERE n = 0 AND user_id IN (SELECT DISTINCT user_id FROM transactions WHERE account_id = aid);
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION report_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.id = NEW.id AND OLD.currency = NEW.currency AND OLD.currency_exponent = NEW.currency_exponent THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM report_account_move(OLD.id, OLD.currency, OLD.currency_exponent, -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM report_account_move(NEW.id, NEW.currency, NEW.currency_exponent, 1);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER report_account AFTER INSERT OR DELETE OR UPDATE OF id, currency, currency_exponent ON accounts
FOR EACH ROW EXECUTE FUNCTION report_account();

INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(t.category_id, 0),
    SUM(GREATEST(t.value_minor, 0)), SUM(GREATEST(-t.value_minor, 0)), COUNT(*)
FROM transactions t JOIN accounts a ON a.id = t.account_id
WHERE t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(sp.category_id, t.category_id, 0), t.payee,
    SUM(GREATEST(-COALESCE(sp.amount_minor, t.value_minor), 0)),
    COUNT(*) FILTER (WHERE COALESCE(sp.amount_minor, t.value_minor) < 0),
    SUM(GREATEST(COALESCE(sp.amount_minor, t.value_minor), 0)), COUNT(*)
FROM transactions t JOIN accounts a ON a.id = t.account_id
LEFT JOIN transaction_splits sp ON sp.transaction_id = t.id AND sp.user_id = t.user_id
WHERE t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
GROUP BY 1, 2, 3, 4, 5, 6;

-- +goose Down
DROP TRIGGER report_account ON accounts;
DROP FUNCTION report_account();
DROP FUNCTION report_account_move(BIGINT, TEXT, INTEGER, INTEGER);
DROP TRIGGER report_split ON transaction_splits;
DROP FUNCTION report_split();
DROP FUNCTION report_part(BIGINT, BIGINT, BIGINT, BIGINT, INTEGER);
DROP TRIGGER report_delete ON transactions;
DROP TRIGGER report_update ON transactions;
DROP TRIGGER report_insert ON transactions;
DROP FUNCTION report_update();
DROP FUNCTION report_delete();
DROP FUNCTION report_insert();
DROP FUNCTION report_apply(report_moved[]);
DROP TYPE report_moved;
DROP TABLE report_parts;
DROP TABLE report_flows;
