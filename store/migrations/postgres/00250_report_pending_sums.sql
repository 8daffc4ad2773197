-- +goose Up
-- The deferred apply of the monthly report sums (00220) sums the pending
-- rows where they are instead of copying them into an array for
-- report_apply_now (issue 13). That array was built from all of an
-- event's rows, unnested again by each of its statements, and the parts'
-- statement sorted every row to merge-join the split parts, which only a
-- transaction a person split has. On the 50,000 categorised rows of
-- BenchmarkIngest the apply took about 230 ms of server time, 115 ms with
-- payee and category emptied; this about 60 and 20 (psql, same session).
--
-- One GROUP BY of the pending rows by person, account, month, category and
-- payee gives what each adds to both tables: categorised rows fall into
-- about a third as many groups, uncategorised ones into a few hundred.
-- The account's currency is joined to those groups, not to every row, and
-- each table sums them by its own key, as report_apply_now's GROUP BY did
-- row by row; the same HAVING leaves out what nets to nothing. A split
-- transaction counts in report_parts by its parts, not as a whole: a
-- second, separate GROUP BY takes its whole row back out of the group the
-- first one put it in and adds each part under the part's category. Its
-- two joins hash the split parts (few: people split by hand) and probe
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
        SELECT user_id, account_id, date / 100 AS month, COALESCE(category_id, 0) AS category_id, payee,
            SUM(s * GREATEST(value_minor, 0)) AS income, SUM(s * GREATEST(-value_minor, 0)) AS spending, SUM(s) AS flow_n,
            SUM(s * GREATEST(-value_minor, 0)) AS debit, SUM(CASE WHEN value_minor < 0 THEN s ELSE 0 END) AS debit_n,
            SUM(s * GREATEST(value_minor, 0)) AS credit, SUM(s) AS part_n
        FROM pg_temp.report_pending
        GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT user_id, account_id, month, category_id, payee, 0, 0, 0,
            SUM(s * GREATEST(-v, 0)), SUM(CASE WHEN v < 0 THEN s ELSE 0 END), SUM(s * GREATEST(v, 0)), SUM(s)
        FROM (
            SELECT r.user_id, r.account_id, r.date / 100 AS month, COALESCE(r.category_id, 0) AS category_id, r.payee,
                r.value_minor AS v, -r.s AS s
            FROM pg_temp.report_pending r
            WHERE EXISTS (SELECT 1 FROM transaction_splits sp WHERE sp.transaction_id = r.id AND sp.user_id = r.user_id)
            UNION ALL
            SELECT r.user_id, r.account_id, r.date / 100, sp.category_id, r.payee, sp.amount_minor, r.s
            FROM pg_temp.report_pending r JOIN transaction_splits sp ON sp.transaction_id = r.id AND sp.user_id = r.user_id
        ) split
        GROUP BY 1, 2, 3, 4, 5
    ), flows AS (
        INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
        SELECT g.user_id, g.month, a.currency, a.currency_exponent, g.category_id, SUM(g.income), SUM(g.spending), SUM(g.flow_n)
        FROM g JOIN accounts a ON a.id = g.account_id
        GROUP BY 1, 2, 3, 4, 5
        HAVING SUM(g.flow_n) <> 0 OR SUM(g.income) <> 0 OR SUM(g.spending) <> 0
        ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
            income_minor = report_flows.income_minor + excluded.income_minor,
            spending_minor = report_flows.spending_minor + excluded.spending_minor, n = report_flows.n + excluded.n
    )
    INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
    SELECT g.user_id, g.month, a.currency, a.currency_exponent, g.category_id, g.payee,
        SUM(g.debit), SUM(g.debit_n), SUM(g.credit), SUM(g.part_n)
    FROM g JOIN accounts a ON a.id = g.account_id
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING SUM(g.part_n) <> 0 OR SUM(g.debit) <> 0 OR SUM(g.debit_n) <> 0 OR SUM(g.credit) <> 0
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
