package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

var _ freenahi.SpendingService = (*Store)(nil)

// transferCategories returns the ids of the user's categories that hold
// moves between their own accounts: the default transfer ones, whatever
// sits in the transfers group, and what was merged into them.
func transferCategories(all []*freenahi.Category) []int64 {
	transfer := map[int64]bool{}
	for _, c := range all {
		if slices.Contains(freenahi.TransferCategoryKeys, c.Key) {
			transfer[c.ID] = true
		}
	}
	for range 3 { // children of the group, then merges into any of them
		for _, c := range all {
			if c.ParentID != nil && transfer[*c.ParentID] || c.MergedInto != nil && transfer[*c.MergedInto] {
				transfer[c.ID] = true
			}
		}
	}
	var ids []int64
	for id := range transfer {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// A split transaction counts by its parts: the reports that sort by
// category join its parts (one row each; none for a whole transaction)
// and read each row's category and amount through these expressions.
const (
	splitJoin    = `LEFT JOIN transaction_splits sp ON sp.transaction_id = t.id AND sp.user_id = t.user_id`
	partCategory = `COALESCE(sp.category_id, t.category_id)`
	partAmount   = `COALESCE(sp.amount_minor, t.value_minor)`
)

// reportFrom is where the reports read the days of a period that are not
// whole months (see report_months.go): the person's transactions first,
// then each one's account (the caller's WHERE holds a.id = t.account_id).
// CROSS JOIN fixes that order on SQLite, whose planner otherwise walks the
// accounts and looks every transaction of the period up in the table, one
// account after the other (seconds for a year of 1,000,000 transactions);
// in this order the period is one range of transactions_report (migration
// 105), read without the table. PostgreSQL plans it as an inner join.
const reportFrom = `transactions t CROSS JOIN accounts a`

// reportWhereOf is the WHERE clause shared by the reports' reads of
// transactions: the user's live transactions of the period with a known
// amount, transfers left out (all is the user's category tree); category
// is the expression of a row's category (t.category_id, or partCategory
// for a query that joins the split parts).
func reportWhereOf(userID int64, from, to freenahi.Date, all []*freenahi.Category, category string) (*query, error) {
	if err := freenahi.ValidatePeriod(from, to); err != nil {
		return nil, err
	}
	q := &query{}
	addReportWhere(q, userID, from, to, transferCategories(all), category)
	return q, nil
}

// addReportWhere adds reportWhereOf's conditions to q, transfers the ids of
// the transfer categories.
func addReportWhere(q *query, userID int64, from, to freenahi.Date, transfers []int64, category string) {
	q.where("t.user_id = $?", userID)
	q.where("t.date >= $?", int64(from.Int()))
	q.where("t.date <= $?", int64(to.Int()))
	q.where("a.id = t.account_id")
	// Written out, not bound: a planner uses the partial index
	// transactions_report only when the query states its condition.
	q.where("t.deleted_at IS NULL")
	q.where("t.amount_origin <> '" + string(freenahi.AmountUnknown) + "'")
	q.where("t.transfer = FALSE")
	if len(transfers) > 0 {
		q.where("(" + category + " IS NULL OR " + category + " NOT IN (" + idList(q, transfers) + "))")
	}
}

// idList adds ids to q's arguments and returns their placeholders.
func idList(q *query, ids []int64) string {
	marks := make([]string, len(ids))
	for i, id := range ids {
		q.args = append(q.args, id)
		marks[i] = "$" + strconv.Itoa(len(q.args))
	}
	return strings.Join(marks, ", ")
}

// Cashflow returns income and spending per month and currency. It counts
// whole transactions: the parts of a split add up to its amount.
func (s *Store) Cashflow(ctx context.Context, userID int64, from, to freenahi.Date) ([]freenahi.MonthFlow, error) {
	transfers, err := s.reportTransfers(ctx, userID, from, to)
	if err != nil {
		return nil, err
	}
	u := &query{}
	union := reportUnion(u, spanOf(from, to), func(b *query, from, to freenahi.Date) string {
		addReportWhere(b, userID, from, to, transfers, "t.category_id")
		return cashflowSQL(b)
	}, func(b *query, m1, m2 int) string {
		return `SELECT month, currency, currency_exponent, SUM(income_minor) AS income, SUM(spending_minor) AS spending
			FROM report_flows WHERE ` + monthsWhere(b, userID, m1, m2, transfers) + `
			GROUP BY month, currency, currency_exponent`
	})
	rows, err := s.readQuery(ctx, `SELECT month, currency, currency_exponent, CAST(SUM(income) AS BIGINT), CAST(SUM(spending) AS BIGINT)
		FROM (`+union+`) x GROUP BY month, currency, currency_exponent ORDER BY 1, 2, 3`, u.args...)
	if err != nil {
		return nil, fmt.Errorf("cashflow of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []freenahi.MonthFlow
	for rows.Next() {
		var ym int64
		var m freenahi.MonthFlow
		if err := rows.Scan(&ym, &m.Currency, &m.Exponent, &m.IncomeMinor, &m.SpendingMinor); err != nil {
			return nil, fmt.Errorf("cashflow of user %d: %w", userID, err)
		}
		m.Month = strconv.FormatInt(ym/100, 10) + "-" + fmt.Sprintf("%02d", ym%100)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Spending returns the period's debits by category and by payee (the 20
// largest), largest first; ties by currency, then category or payee.
func (s *Store) Spending(ctx context.Context, userID int64, from, to freenahi.Date) (*freenahi.SpendingReport, error) {
	transfers, err := s.reportTransfers(ctx, userID, from, to)
	if err != nil {
		return nil, err
	}
	rep := &freenahi.SpendingReport{From: from, To: to}
	span := spanOf(from, to)
	for _, by := range []struct {
		raw, kept string
		dst       *[]freenahi.SpendingLine
		tail      string
	}{{partCategory, "NULLIF(category_id, 0)", &rep.ByCategory, ""}, {"t.payee", "payee", &rep.ByPayee, " LIMIT 20"}} {
		u := &query{}
		union := reportUnion(u, span, func(b *query, from, to freenahi.Date) string {
			addReportWhere(b, userID, from, to, transfers, partCategory)
			b.where(partAmount + " < 0")
			return spendingSQL(b, by.raw)
		}, func(b *query, m1, m2 int) string {
			return `SELECT ` + by.kept + ` AS k, currency, currency_exponent, SUM(debit_minor) AS spent, SUM(debit_n) AS n
				FROM report_parts WHERE ` + monthsWhere(b, userID, m1, m2, transfers) + ` AND debit_n > 0
				GROUP BY 1, currency, currency_exponent`
		})
		rows, err := s.readQuery(ctx, `SELECT k, currency, currency_exponent, CAST(SUM(spent) AS BIGINT), CAST(SUM(n) AS BIGINT)
			FROM (`+union+`) x GROUP BY k, currency, currency_exponent ORDER BY 4 DESC, 2, 3, 1`+by.tail, u.args...)
		if err != nil {
			return nil, fmt.Errorf("spending of user %d: %w", userID, err)
		}
		for rows.Next() {
			var l freenahi.SpendingLine
			key := any(intPtr{&l.CategoryID})
			if by.raw == "t.payee" {
				key = &l.Payee
			}
			if err := rows.Scan(key, &l.Currency, &l.Exponent, &l.SpendingMinor, &l.Count); err != nil {
				rows.Close()
				return nil, fmt.Errorf("spending of user %d: %w", userID, err)
			}
			*by.dst = append(*by.dst, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("spending of user %d: %w", userID, err)
		}
	}
	return rep, nil
}

// reportTransfers checks the period and returns the ids of the user's
// transfer categories, which the reports leave out.
func (s *Store) reportTransfers(ctx context.Context, userID int64, from, to freenahi.Date) ([]int64, error) {
	if err := freenahi.ValidatePeriod(from, to); err != nil {
		return nil, err
	}
	all, err := s.allCategories(ctx, s.rdb, userID)
	if err != nil {
		return nil, fmt.Errorf("read categories: %w", err)
	}
	return transferCategories(all), nil
}

// cashflowSQL is Cashflow's query over transactions: income and spending
// per month and currency of the rows q selects.
func cashflowSQL(q *query) string {
	return `SELECT t.date / 100 AS month, a.currency AS currency, a.currency_exponent AS currency_exponent,
		COALESCE(SUM(CASE WHEN t.value_minor > 0 THEN t.value_minor ELSE 0 END), 0) AS income,
		COALESCE(SUM(CASE WHEN t.value_minor < 0 THEN -t.value_minor ELSE 0 END), 0) AS spending
		FROM ` + reportFrom + ` WHERE ` + q.sql() + `
		GROUP BY t.date / 100, a.currency, a.currency_exponent`
}

// spendingSQL is one of Spending's queries over transactions: the debits
// of the parts q selects, summed by col (a category or the payee).
func spendingSQL(q *query, col string) string {
	return `SELECT ` + col + ` AS k, a.currency AS currency, a.currency_exponent AS currency_exponent,
		SUM(-` + partAmount + `) AS spent, COUNT(*) AS n
		FROM ` + reportFrom + ` ` + splitJoin + ` WHERE ` + q.sql() + `
		GROUP BY ` + col + `, a.currency, a.currency_exponent`
}
