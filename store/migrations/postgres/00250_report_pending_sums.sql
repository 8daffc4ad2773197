-- +goose Up
-- The deferred apply of the monthly report sums (00220) sums the pending
-- rows where they are instead of copying them into an array for
-- report_apply_now (issue 13). That array was built from all of an
-- event's rows, unnested again by each of its statements, and the parts'
-- statement sorted every row to merge-join the split parts, which only a
-- transaction a person split has. On the 50,000 categorised rows of
-- BenchmarkIngest the apply took about 230 ms of server time, 115 ms with
-- payee and category emptied; this about 55 and 20 (psql, same session).
--
-- One GROUP BY of the pending rows, each joined to its account's currency,
-- by report_parts' key (person, month, currency, category, payee) gives
-- what they add to both tables: report_parts takes those sums, report_flows
-- sums them again without the payee, and the same HAVING as
-- report_apply_now's leaves out what nets to nothing. Grouping by account
-- instead and joining the currency to the groups kept nine times as many
-- groups on those rows (one account per statement of ten) and took 75 ms.
-- A split transaction counts in report_parts by its parts, not as a whole:
-- a second, separate GROUP BY takes its whole row back out of the group
-- the first one put it in and adds each part under the part's category.
-- Its two joins hash the split parts (few: people split by hand) and probe
-- them with each pending row, a fraction of the sort they replace; with no
-- part stored at all, a hash join stops before reading its other side.
-- Both halves feed the same sums, so a key's sums may come from either.
--
-- The rows that no longer count anything were only ever looked for in the
-- months a pending row left (s < 0); when none did, as in an event of new
-- transactions only, the two DELETEs are not run at all (each scanned its
-- whole table for rows of count zero before finding no month to look in).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_apply_pending(accounts BIGINT[]) RETURNS void LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
    IF current_setting('freenahi.report_defer', true) IS DISTINCT FROM 'on' THEN
        RETURN;
    END IF;
    IF accounts IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_temp.report_pending WHERE account_id = ANY (accounts)) THEN
        RETURN;
    END IF;
    WITH g AS MATERIALIZED (
        SELECT r.user_id, r.date / 100 AS month, a.currency, a.currency_exponent, COALESCE(r.category_id, 0) AS category_id, r.payee,
            SUM(r.s * GREATEST(r.value_minor, 0)) AS income, SUM(r.s * GREATEST(-r.value_minor, 0)) AS spending, SUM(r.s) AS flow_n,
            SUM(r.s * GREATEST(-r.value_minor, 0)) AS debit, SUM(CASE WHEN r.value_minor < 0 THEN r.s ELSE 0 END) AS debit_n,
            SUM(r.s * GREATEST(r.value_minor, 0)) AS credit, SUM(r.s) AS part_n
        FROM pg_temp.report_pending r JOIN accounts a ON a.id = r.account_id
        GROUP BY 1, 2, 3, 4, 5, 6
        UNION ALL
        SELECT user_id, month, currency, currency_exponent, category_id, payee, 0, 0, 0,
            SUM(s * GREATEST(-v, 0)), SUM(CASE WHEN v < 0 THEN s ELSE 0 END), SUM(s * GREATEST(v, 0)), SUM(s)
        FROM (
            SELECT r.user_id, r.date / 100 AS month, a.currency, a.currency_exponent, COALESCE(r.category_id, 0) AS category_id,
                r.payee, r.value_minor AS v, -r.s AS s
            FROM pg_temp.report_pending r JOIN accounts a ON a.id = r.account_id
            WHERE EXISTS (SELECT 1 FROM transaction_splits sp WHERE sp.transaction_id = r.id AND sp.user_id = r.user_id)
            UNION ALL
            SELECT r.user_id, r.date / 100, a.currency, a.currency_exponent, sp.category_id, r.payee, sp.amount_minor, r.s
            FROM pg_temp.report_pending r JOIN accounts a ON a.id = r.account_id
            JOIN transaction_splits sp ON sp.transaction_id = r.id AND sp.user_id = r.user_id
        ) split
        GROUP BY 1, 2, 3, 4, 5, 6
    ), flows AS (
        INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
        SELECT user_id, month, currency, currency_exponent, category_id, SUM(income), SUM(spending), SUM(flow_n)
        FROM g
        GROUP BY 1, 2, 3, 4, 5
        HAVING SUM(flow_n) <> 0 OR SUM(income) <> 0 OR SUM(spending) <> 0
        ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
            income_minor = report_flows.income_minor + excluded.income_minor,
            spending_minor = report_flows.spending_minor + excluded.spending_minor, n = report_flows.n + excluded.n
    )
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT user_id, month, currency, currency_exponent, category_id, payee, SUM(debit), SUM(debit_n), SUM(credit), SUM(part_n)
    FROM g
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING SUM(part_n) <> 0 OR SUM(debit) <> 0 OR SUM(debit_n) <> 0 OR SUM(credit) <> 0
    ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
        debit_minor = report_parts.debit_minor + excluded.debit_minor, debit_n = report_parts.debit_n + excluded.debit_n,
        credit_minor = report_parts.credit_minor + excluded.credit_minor, n = report_parts.n + excluded.n;
    IF EXISTS (SELECT 1 FROM pg_temp.report_pending WHERE s < 0) THEN
        DELETE FROM report_flows f USING (SELECT DISTINCT user_id, date / 100 AS month FROM pg_temp.report_pending WHERE s < 0) d
        WHERE f.user_id = d.user_id AND f.month = d.month AND f.n = 0;
        DELETE FROM report_parts p USING (SELECT DISTINCT user_id, date / 100 AS month FROM pg_temp.report_pending WHERE s < 0) d
        WHERE p.user_id = d.user_id AND p.month = d.month AND p.n = 0;
    END IF;
    TRUNCATE pg_temp.report_pending;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_apply_pending(accounts BIGINT[]) RETURNS void LANGUAGE plpgsql SET work_mem = '64MB' AS $$
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
