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
--     COALESCE(t.category_id, 0), SUM(MAX(t.value_minor, 0)),
--     SUM(MAX(-t.value_minor, 0)), COUNT(*)
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
) WITHOUT ROWID;

-- report_parts, for spending by category and payee and budgets: the parts
-- of split transactions, each whole transaction as one part, by the part's
-- category and the transaction's payee: the debits (parts below zero),
-- how many, the credits, and how many parts in all; exactly
--   SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent,
--     COALESCE(sp.category_id, t.category_id, 0), t.payee,
--     SUM(MAX(-p, 0)), SUM(p < 0), SUM(MAX(p, 0)), COUNT(*)
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
) WITHOUT ROWID;

INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(t.category_id, 0),
    SUM(MAX(t.value_minor, 0)), SUM(MAX(-t.value_minor, 0)), COUNT(*)
FROM transactions t JOIN accounts a ON a.id = t.account_id
WHERE t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(sp.category_id, t.category_id, 0), t.payee,
    SUM(MAX(-COALESCE(sp.amount_minor, t.value_minor), 0)), SUM(COALESCE(sp.amount_minor, t.value_minor) < 0),
    SUM(MAX(COALESCE(sp.amount_minor, t.value_minor), 0)), COUNT(*)
FROM transactions t JOIN accounts a ON a.id = t.account_id
LEFT JOIN transaction_splits sp ON sp.transaction_id = t.id AND sp.user_id = t.user_id
WHERE t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
GROUP BY 1, 2, 3, 4, 5, 6;

-- SQLite has no statement-level triggers: these run per row, each an
-- upsert of one key per table (and of each part of a split transaction).
-- A transaction adds itself (as one part when it has no split parts).
-- +goose StatementBegin
CREATE TRIGGER report_insert AFTER INSERT ON transactions
WHEN NEW.deleted_at IS NULL AND NEW.amount_origin <> 'unknown' AND NEW.transfer = FALSE
BEGIN
    INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
    SELECT NEW.user_id, NEW.date / 100, a.currency, a.currency_exponent, COALESCE(NEW.category_id, 0),
        MAX(NEW.value_minor, 0), MAX(-NEW.value_minor, 0), 1
    FROM accounts a WHERE a.id = NEW.account_id
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
        income_minor = income_minor + excluded.income_minor, spending_minor = spending_minor + excluded.spending_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT NEW.user_id, NEW.date / 100, a.currency, a.currency_exponent, p.category_id, NEW.payee,
        MAX(-p.amount, 0), p.amount < 0, MAX(p.amount, 0), 1
    FROM accounts a, (SELECT category_id, amount_minor AS amount FROM transaction_splits WHERE transaction_id = NEW.id AND user_id = NEW.user_id
        UNION ALL SELECT COALESCE(NEW.category_id, 0), NEW.value_minor
        WHERE NOT EXISTS (SELECT 1 FROM transaction_splits WHERE transaction_id = NEW.id AND user_id = NEW.user_id)) p
    WHERE a.id = NEW.account_id
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_delete AFTER DELETE ON transactions
WHEN OLD.deleted_at IS NULL AND OLD.amount_origin <> 'unknown' AND OLD.transfer = FALSE
BEGIN
    INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
    SELECT OLD.user_id, OLD.date / 100, a.currency, a.currency_exponent, COALESCE(OLD.category_id, 0),
        -MAX(OLD.value_minor, 0), -MAX(-OLD.value_minor, 0), -1
    FROM accounts a WHERE a.id = OLD.account_id
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
        income_minor = income_minor + excluded.income_minor, spending_minor = spending_minor + excluded.spending_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT OLD.user_id, OLD.date / 100, a.currency, a.currency_exponent, p.category_id, OLD.payee,
        -MAX(-p.amount, 0), -(p.amount < 0), -MAX(p.amount, 0), -1
    FROM accounts a, (SELECT category_id, amount_minor AS amount FROM transaction_splits WHERE transaction_id = OLD.id AND user_id = OLD.user_id
        UNION ALL SELECT COALESCE(OLD.category_id, 0), OLD.value_minor
        WHERE NOT EXISTS (SELECT 1 FROM transaction_splits WHERE transaction_id = OLD.id AND user_id = OLD.user_id)) p
    WHERE a.id = OLD.account_id
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    DELETE FROM report_flows WHERE user_id = OLD.user_id AND month = OLD.date / 100 AND n = 0;
    DELETE FROM report_parts WHERE user_id = OLD.user_id AND month = OLD.date / 100 AND n = 0;
END;
-- +goose StatementEnd

-- An update takes the old row out and puts the new one in, each only when
-- it counts. Ingest rewrites every column of a transaction it sees again:
-- the WHEN clause skips those that change nothing a report reads.
-- +goose StatementBegin
CREATE TRIGGER report_update AFTER UPDATE OF user_id, account_id, date, value_minor, category_id, payee, transfer, deleted_at, amount_origin ON transactions
WHEN OLD.user_id IS NOT NEW.user_id OR OLD.account_id IS NOT NEW.account_id OR OLD.date IS NOT NEW.date
    OR OLD.value_minor IS NOT NEW.value_minor OR OLD.category_id IS NOT NEW.category_id OR OLD.payee IS NOT NEW.payee
    OR OLD.transfer IS NOT NEW.transfer OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.amount_origin IS NOT NEW.amount_origin
BEGIN
    INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
    SELECT OLD.user_id, OLD.date / 100, a.currency, a.currency_exponent, COALESCE(OLD.category_id, 0),
        -MAX(OLD.value_minor, 0), -MAX(-OLD.value_minor, 0), -1
    FROM accounts a WHERE a.id = OLD.account_id
        AND OLD.deleted_at IS NULL AND OLD.amount_origin <> 'unknown' AND OLD.transfer = FALSE
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
        income_minor = income_minor + excluded.income_minor, spending_minor = spending_minor + excluded.spending_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT OLD.user_id, OLD.date / 100, a.currency, a.currency_exponent, p.category_id, OLD.payee,
        -MAX(-p.amount, 0), -(p.amount < 0), -MAX(p.amount, 0), -1
    FROM accounts a, (SELECT category_id, amount_minor AS amount FROM transaction_splits WHERE transaction_id = OLD.id AND user_id = OLD.user_id
        UNION ALL SELECT COALESCE(OLD.category_id, 0), OLD.value_minor
        WHERE NOT EXISTS (SELECT 1 FROM transaction_splits WHERE transaction_id = OLD.id AND user_id = OLD.user_id)) p
    WHERE a.id = OLD.account_id
        AND OLD.deleted_at IS NULL AND OLD.amount_origin <> 'unknown' AND OLD.transfer = FALSE
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    DELETE FROM report_flows WHERE user_id = OLD.user_id AND month = OLD.date / 100 AND n = 0;
    DELETE FROM report_parts WHERE user_id = OLD.user_id AND month = OLD.date / 100 AND n = 0;
    INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
    SELECT NEW.user_id, NEW.date / 100, a.currency, a.currency_exponent, COALESCE(NEW.category_id, 0),
        MAX(NEW.value_minor, 0), MAX(-NEW.value_minor, 0), 1
    FROM accounts a WHERE a.id = NEW.account_id
        AND NEW.deleted_at IS NULL AND NEW.amount_origin <> 'unknown' AND NEW.transfer = FALSE
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
        income_minor = income_minor + excluded.income_minor, spending_minor = spending_minor + excluded.spending_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT NEW.user_id, NEW.date / 100, a.currency, a.currency_exponent, p.category_id, NEW.payee,
        MAX(-p.amount, 0), p.amount < 0, MAX(p.amount, 0), 1
    FROM accounts a, (SELECT category_id, amount_minor AS amount FROM transaction_splits WHERE transaction_id = NEW.id AND user_id = NEW.user_id
        UNION ALL SELECT COALESCE(NEW.category_id, 0), NEW.value_minor
        WHERE NOT EXISTS (SELECT 1 FROM transaction_splits WHERE transaction_id = NEW.id AND user_id = NEW.user_id)) p
    WHERE a.id = NEW.account_id
        AND NEW.deleted_at IS NULL AND NEW.amount_origin <> 'unknown' AND NEW.transfer = FALSE
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
END;
-- +goose StatementEnd

-- Split parts: a transaction's first part takes the place of the whole
-- transaction in report_parts, and its last part removed gives it back.
-- Each statement reads the transaction (and its account) and does nothing
-- when it does not count.
-- +goose StatementBegin
CREATE TRIGGER report_split_insert AFTER INSERT ON transaction_splits
BEGIN
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(t.category_id, 0), t.payee,
        -MAX(-t.value_minor, 0), -(t.value_minor < 0), -MAX(t.value_minor, 0), -1
    FROM transactions t JOIN accounts a ON a.id = t.account_id
    WHERE t.id = NEW.transaction_id AND t.user_id = NEW.user_id
        AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
        AND (SELECT COUNT(*) FROM transaction_splits WHERE transaction_id = NEW.transaction_id AND user_id = NEW.user_id) = 1
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, NEW.category_id, t.payee,
        MAX(-NEW.amount_minor, 0), NEW.amount_minor < 0, MAX(NEW.amount_minor, 0), 1
    FROM transactions t JOIN accounts a ON a.id = t.account_id
    WHERE t.id = NEW.transaction_id AND t.user_id = NEW.user_id
        AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    DELETE FROM report_parts WHERE n = 0 AND user_id = NEW.user_id
        AND month IN (SELECT date / 100 FROM transactions WHERE id = NEW.transaction_id AND user_id = NEW.user_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_split_delete AFTER DELETE ON transaction_splits
BEGIN
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, OLD.category_id, t.payee,
        -MAX(-OLD.amount_minor, 0), -(OLD.amount_minor < 0), -MAX(OLD.amount_minor, 0), -1
    FROM transactions t JOIN accounts a ON a.id = t.account_id
    WHERE t.id = OLD.transaction_id AND t.user_id = OLD.user_id
        AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(t.category_id, 0), t.payee,
        MAX(-t.value_minor, 0), t.value_minor < 0, MAX(t.value_minor, 0), 1
    FROM transactions t JOIN accounts a ON a.id = t.account_id
    WHERE t.id = OLD.transaction_id AND t.user_id = OLD.user_id
        AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
        AND NOT EXISTS (SELECT 1 FROM transaction_splits WHERE transaction_id = OLD.transaction_id AND user_id = OLD.user_id)
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    DELETE FROM report_parts WHERE n = 0 AND user_id = OLD.user_id
        AND month IN (SELECT date / 100 FROM transactions WHERE id = OLD.transaction_id AND user_id = OLD.user_id);
END;
-- +goose StatementEnd

-- A part moved to another category (a merge) or amount; moved to another
-- transaction, it leaves the old one (whole again when it was its last)
-- and joins the new one (no longer whole when it is its first).
-- +goose StatementBegin
CREATE TRIGGER report_split_update AFTER UPDATE ON transaction_splits
BEGIN
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, OLD.category_id, t.payee,
        -MAX(-OLD.amount_minor, 0), -(OLD.amount_minor < 0), -MAX(OLD.amount_minor, 0), -1
    FROM transactions t JOIN accounts a ON a.id = t.account_id
    WHERE t.id = OLD.transaction_id AND t.user_id = OLD.user_id
        AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(t.category_id, 0), t.payee,
        MAX(-t.value_minor, 0), t.value_minor < 0, MAX(t.value_minor, 0), 1
    FROM transactions t JOIN accounts a ON a.id = t.account_id
    WHERE t.id = OLD.transaction_id AND t.user_id = OLD.user_id
        AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
        AND (OLD.transaction_id <> NEW.transaction_id OR OLD.user_id <> NEW.user_id)
        AND NOT EXISTS (SELECT 1 FROM transaction_splits WHERE transaction_id = OLD.transaction_id AND user_id = OLD.user_id)
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(t.category_id, 0), t.payee,
        -MAX(-t.value_minor, 0), -(t.value_minor < 0), -MAX(t.value_minor, 0), -1
    FROM transactions t JOIN accounts a ON a.id = t.account_id
    WHERE t.id = NEW.transaction_id AND t.user_id = NEW.user_id
        AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
        AND (OLD.transaction_id <> NEW.transaction_id OR OLD.user_id <> NEW.user_id)
        AND (SELECT COUNT(*) FROM transaction_splits WHERE transaction_id = NEW.transaction_id AND user_id = NEW.user_id) = 1
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, NEW.category_id, t.payee,
        MAX(-NEW.amount_minor, 0), NEW.amount_minor < 0, MAX(NEW.amount_minor, 0), 1
    FROM transactions t JOIN accounts a ON a.id = t.account_id
    WHERE t.id = NEW.transaction_id AND t.user_id = NEW.user_id
        AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    DELETE FROM report_parts WHERE n = 0 AND user_id IN (OLD.user_id, NEW.user_id)
        AND month IN (SELECT date / 100 FROM transactions WHERE id IN (OLD.transaction_id, NEW.transaction_id) AND user_id IN (OLD.user_id, NEW.user_id));
END;
-- +goose StatementEnd

-- An account's currency is read when its transactions are summed: an
-- account created after its transactions (a restore may load them first)
-- brings them in, a deleted one takes them out, a change of currency
-- moves them. Rare writes: each reads the account's transactions once.
-- +goose StatementBegin
CREATE TRIGGER report_account_insert AFTER INSERT ON accounts
BEGIN
    INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
    SELECT t.user_id, t.date / 100, NEW.currency, NEW.currency_exponent, COALESCE(t.category_id, 0),
        SUM(MAX(t.value_minor, 0)), SUM(MAX(-t.value_minor, 0)), COUNT(*)
    FROM transactions t
    WHERE t.account_id = NEW.id AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
        income_minor = income_minor + excluded.income_minor, spending_minor = spending_minor + excluded.spending_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, NEW.currency, NEW.currency_exponent, COALESCE(sp.category_id, t.category_id, 0), t.payee,
        SUM(MAX(-COALESCE(sp.amount_minor, t.value_minor), 0)), SUM(COALESCE(sp.amount_minor, t.value_minor) < 0),
        SUM(MAX(COALESCE(sp.amount_minor, t.value_minor), 0)), COUNT(*)
    FROM transactions t LEFT JOIN transaction_splits sp ON sp.transaction_id = t.id AND sp.user_id = t.user_id
    WHERE t.account_id = NEW.id AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_account_delete AFTER DELETE ON accounts
BEGIN
    INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
    SELECT t.user_id, t.date / 100, OLD.currency, OLD.currency_exponent, COALESCE(t.category_id, 0),
        -SUM(MAX(t.value_minor, 0)), -SUM(MAX(-t.value_minor, 0)), -COUNT(*)
    FROM transactions t
    WHERE t.account_id = OLD.id AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
        income_minor = income_minor + excluded.income_minor, spending_minor = spending_minor + excluded.spending_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, OLD.currency, OLD.currency_exponent, COALESCE(sp.category_id, t.category_id, 0), t.payee,
        -SUM(MAX(-COALESCE(sp.amount_minor, t.value_minor), 0)), -SUM(COALESCE(sp.amount_minor, t.value_minor) < 0),
        -SUM(MAX(COALESCE(sp.amount_minor, t.value_minor), 0)), -COUNT(*)
    FROM transactions t LEFT JOIN transaction_splits sp ON sp.transaction_id = t.id AND sp.user_id = t.user_id
    WHERE t.account_id = OLD.id AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    DELETE FROM report_flows WHERE n = 0 AND user_id IN (SELECT DISTINCT user_id FROM transactions WHERE account_id = OLD.id);
    DELETE FROM report_parts WHERE n = 0 AND user_id IN (SELECT DISTINCT user_id FROM transactions WHERE account_id = OLD.id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_account_currency AFTER UPDATE OF id, currency, currency_exponent ON accounts
WHEN OLD.id IS NOT NEW.id OR OLD.currency IS NOT NEW.currency OR OLD.currency_exponent IS NOT NEW.currency_exponent
BEGIN
    INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
    SELECT t.user_id, t.date / 100, OLD.currency, OLD.currency_exponent, COALESCE(t.category_id, 0),
        -SUM(MAX(t.value_minor, 0)), -SUM(MAX(-t.value_minor, 0)), -COUNT(*)
    FROM transactions t
    WHERE t.account_id = OLD.id AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
        income_minor = income_minor + excluded.income_minor, spending_minor = spending_minor + excluded.spending_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, OLD.currency, OLD.currency_exponent, COALESCE(sp.category_id, t.category_id, 0), t.payee,
        -SUM(MAX(-COALESCE(sp.amount_minor, t.value_minor), 0)), -SUM(COALESCE(sp.amount_minor, t.value_minor) < 0),
        -SUM(MAX(COALESCE(sp.amount_minor, t.value_minor), 0)), -COUNT(*)
    FROM transactions t LEFT JOIN transaction_splits sp ON sp.transaction_id = t.id AND sp.user_id = t.user_id
    WHERE t.account_id = OLD.id AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
    SELECT t.user_id, t.date / 100, NEW.currency, NEW.currency_exponent, COALESCE(t.category_id, 0),
        SUM(MAX(t.value_minor, 0)), SUM(MAX(-t.value_minor, 0)), COUNT(*)
    FROM transactions t
    WHERE t.account_id = NEW.id AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
        income_minor = income_minor + excluded.income_minor, spending_minor = spending_minor + excluded.spending_minor, n = n + excluded.n;
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT t.user_id, t.date / 100, NEW.currency, NEW.currency_exponent, COALESCE(sp.category_id, t.category_id, 0), t.payee,
        SUM(MAX(-COALESCE(sp.amount_minor, t.value_minor), 0)), SUM(COALESCE(sp.amount_minor, t.value_minor) < 0),
        SUM(MAX(COALESCE(sp.amount_minor, t.value_minor), 0)), COUNT(*)
    FROM transactions t LEFT JOIN transaction_splits sp ON sp.transaction_id = t.id AND sp.user_id = t.user_id
    WHERE t.account_id = NEW.id AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
        credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n;
    DELETE FROM report_flows WHERE n = 0 AND user_id IN (SELECT DISTINCT user_id FROM transactions WHERE account_id IN (OLD.id, NEW.id));
    DELETE FROM report_parts WHERE n = 0 AND user_id IN (SELECT DISTINCT user_id FROM transactions WHERE account_id IN (OLD.id, NEW.id));
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER report_account_currency;
DROP TRIGGER report_account_delete;
DROP TRIGGER report_account_insert;
DROP TRIGGER report_split_update;
DROP TRIGGER report_split_delete;
DROP TRIGGER report_split_insert;
DROP TRIGGER report_update;
DROP TRIGGER report_delete;
DROP TRIGGER report_insert;
DROP TABLE report_parts;
DROP TABLE report_flows;
