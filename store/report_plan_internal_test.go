package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/seal"
)

// TestReportPlans asks SQLite's planner (not ours) how it runs the reports'
// queries over the days of partial months at a period's edges (whole
// months come from the monthly sums): each must read the days from the covering index
// transactions_report, transactions first, never walking the accounts and
// looking transactions up in the table, which took seconds for a year of
// 1,000,000 transactions.
func TestReportPlans(t *testing.T) {
	ctx := context.Background()
	text, _ := seal.GenerateKeyText()
	key, _ := seal.ParseKey(text)
	s, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "plan.db"), Options{Secrets: key, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The statistics ANALYZE wrote for 1,000,000 transactions over three
	// years and 200 accounts of one person (the benchmarks' data): with an
	// empty database the planner has nothing to choose between.
	db := s.wdb
	stats := [][3]string{
		{"accounts", "accounts_user", "200 200 200 1"},
		{"accounts", "accounts_connection", "200 200"},
		{"accounts", "sqlite_autoindex_accounts_1", "200 200 1"},
		{"transactions", "transactions_report", "990100 990100 904 37 1 1 1 1 1 1"},
		{"transactions", "transactions_booked", "1000000 1000000 5000 37 1 1 1 1"},
		{"transactions", "transactions_user_powens", "1000000 1000000 1"},
		{"transactions", "transactions_account_date", "1000000 5000 37 1"},
		{"transactions", "transactions_user_date", "1000000 1000000 913 1"},
		{"transactions", "sqlite_autoindex_transactions_1", "1000000 5000 1"},
	}
	if _, err := db.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM sqlite_stat1`); err != nil {
		t.Fatal(err)
	}
	for _, st := range stats {
		if _, err := db.ExecContext(ctx, `INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ($1, $2, $3)`, st[0], st[1], st[2]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `ANALYZE sqlite_schema`); err != nil { // reload the statistics
		t.Fatal(err)
	}
	transfers := []*freenahi.Category{{ID: 7, Key: freenahi.TransferCategoryKeys[0]}}
	from, to := freenahi.Date{Year: 2025, Month: 12, Day: 1}, freenahi.Date{Year: 2026, Month: 11, Day: 30}
	whole, err := reportWhereOf(1, from, to, transfers, "t.category_id")
	if err != nil {
		t.Fatal(err)
	}
	parts, err := reportWhereOf(1, from, to, transfers, partCategory)
	if err != nil {
		t.Fatal(err)
	}
	parts.where(partAmount + " < 0")
	for name, c := range map[string]struct {
		sql string
		q   *query
	}{
		"cashflow":          {cashflowSQL(whole), whole},
		"spending/category": {spendingSQL(parts, partCategory), parts},
		"spending/payee":    {spendingSQL(parts, "t.payee"), parts},
	} {
		rows, err := db.QueryContext(ctx, `EXPLAIN QUERY PLAN `+c.sql, c.q.args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if len(plan) == 0 || !strings.HasPrefix(plan[0], "SEARCH t USING COVERING INDEX transactions_report (user_id=? AND date>? AND date<?)") {
			t.Errorf("%s: plan %q, want transactions_report first, covering", name, plan)
		}
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN") {
				t.Errorf("%s: plan %q scans", name, plan)
			}
		}
	}
}
