package store_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/web/webtest"
)

// BenchmarkReports measures the reports that count split parts (a LEFT
// JOIN of transaction_splits) and a month of budget progress, over
// FREENAHI_BENCH_ROWS transactions (default 1,000,000, ten years) on
// SQLite, each beside a reference run in the same process: the same
// report's query without the join, as it was before splits.
//
//	go test ./store -run '^$' -bench Reports -benchtime 20x
func BenchmarkReports(b *testing.B) {
	rows := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("FREENAHI_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	s, _, url := MustOpenStoreURL(b, store.SQLite)
	bank := MustSeedBank(b, s, MustCreateUser(b, s, "ana@example.com", 1))
	u := bank.user
	webtest.MustBulkTransactions(b, url, u.ID, rows)
	groceries := categoryByKey(b, s, u.ID, "groceries")
	amount := freenahi.MustParseDecimal("400")
	if _, err := s.CreateBudget(ctx, u.ID, freenahi.BudgetInput{CategoryID: &groceries.ID, Amount: &amount, Rollover: ptr(true)}); err != nil {
		b.Fatal(err)
	}
	// A year: 1/10 of the rows.
	from, to := date("2024-01-01"), date("2024-12-31")
	db := rawDB(b, url)
	// The transfer categories the reports leave out: the transfers group
	// and its categories (the seeded tree has no merge).
	transfers := categoryByKey(b, s, u.ID, "transfers")
	ids := []string{strconv.FormatInt(transfers.ID, 10)}
	cats, err := s.FindCategories(ctx, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range cats {
		if c.ParentID != nil && *c.ParentID == transfers.ID {
			ids = append(ids, strconv.FormatInt(c.ID, 10))
		}
	}
	where := `t.user_id = $1 AND t.date >= $2 AND t.date <= $3 AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown'
		AND t.transfer = FALSE AND (t.category_id IS NULL OR t.category_id NOT IN (` + strings.Join(ids, ", ") + `))`
	run := func(b *testing.B, queries ...string) {
		for b.Loop() {
			for _, q := range queries {
				rs, err := db.QueryContext(ctx, q, u.ID, from.Int(), to.Int())
				if err != nil {
					b.Fatal(err)
				}
				for rs.Next() {
				}
				rs.Close()
			}
		}
	}
	spendingBy := func(col, tail string) string {
		return `SELECT ` + col + `, a.currency, a.currency_exponent, SUM(-t.value_minor), COUNT(*)
			FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE ` + where + ` AND t.value_minor < 0
			GROUP BY ` + col + `, a.currency, a.currency_exponent ORDER BY 4 DESC, 2` + tail
	}
	b.Run("reference/spending-queries-without-splits", func(b *testing.B) {
		run(b, spendingBy("t.category_id", ""), spendingBy("t.payee", " LIMIT 20"))
	})
	b.Run("reference/cashflow-query-without-splits", func(b *testing.B) {
		run(b, `SELECT t.date / 100, a.currency, a.currency_exponent,
			COALESCE(SUM(CASE WHEN t.value_minor > 0 THEN t.value_minor ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN t.value_minor < 0 THEN -t.value_minor ELSE 0 END), 0)
			FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE `+where+`
			GROUP BY t.date / 100, a.currency, a.currency_exponent ORDER BY 1, 2`)
	})
	b.Run("spending-report-year", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Spending(ctx, u.ID, from, to); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cashflow-year", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Cashflow(ctx, u.ID, from, to); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("budget-progress-month", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.BudgetProgress(ctx, u.ID, date("2024-12-15")); err != nil {
				b.Fatal(err)
			}
		}
	})
}
