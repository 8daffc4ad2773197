package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/seal"
)

// TestHistoryPlans asks SQLite's planner (not ours) how it runs what every
// dashboard and net-worth request reads: the history versions, the day
// sums, snapshots and loans of each half (own, shared), and the coming debits.
// Each must search an index for the person; none may scan a table, which
// read every person's rows ("user_id = $1 OR account_id IN (shared)" could
// use no index), and the day sums must come in key order, unsorted.
func TestHistoryPlans(t *testing.T) {
	ctx := context.Background()
	text, _ := seal.GenerateKeyText()
	key, _ := seal.ParseKey(text)
	s, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "plan.db"), Options{Secrets: key, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	account := int64(7)
	start := freenahi.Date{Year: 2025, Month: 12, Day: 1}
	type planned struct {
		sql  string
		args []any
		want string // the first step
	}
	cases := map[string]planned{
		"versions": {historyVersionsSQL, []any{1}, "SEARCH history_versions USING PRIMARY KEY (user_id=?)"},
	}
	for i, part := range historyParts {
		half := []string{"own", "shared"}[i]
		for _, acc := range []*int64{nil, &account} {
			for _, from := range []freenahi.Date{{}, start} {
				name := half
				if acc != nil {
					name += "/account"
				}
				if !from.IsZero() {
					name += "/from"
				}
				q, args := historyDaysSQL(part.days, part.daysOwner, 1, acc, from)
				want := "SEARCH d USING PRIMARY KEY (user_id=?"
				if i == 1 {
					want = "SEARCH s USING " // a share index, then the owner's rows by key
				}
				cases["days/"+name] = planned{q, args, want}
				q, args = historySnapshotsSQL(part.snapshots, part.snapshotsOwner, 1, acc, from)
				want = "SEARCH b USING INDEX balance_snapshots_user_at (user_id=?)"
				if i == 1 {
					want = "SEARCH s USING " // a share index, then the owner's rows by key
				}
				cases["snapshots/"+name] = planned{q, args, want}
			}
			name := half
			if acc != nil {
				name += "/account"
			}
			q, args := historyLoansSQL(part.loans, part.loansOwner, 1, acc)
			want := "SEARCH l USING INDEX loans_user (user_id=?)"
			if acc != nil {
				want = "SEARCH l USING INDEX sqlite_autoindex_loans_1 (account_id=?)"
			}
			if i == 1 {
				want = "SEARCH s USING "
			}
			cases["loans/"+name] = planned{q, args, want}
		}
	}
	q, _, err := s.filterQuery(ctx, freenahi.TransactionFilter{UserID: 1, Limit: 8, ComingOnly: true, Direction: freenahi.DirectionSpending})
	if err != nil {
		t.Fatal(err)
	}
	cases["coming"] = planned{transactionSelect + " WHERE " + q.sql() + " ORDER BY " + orderBy("", false) + " LIMIT 9", q.args,
		"SEARCH t USING INDEX transactions_coming (user_id=?)"}
	for name, c := range cases {
		rows, err := s.rdb.QueryContext(ctx, `EXPLAIN QUERY PLAN `+c.sql, c.args...)
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
		first := ""
		for _, step := range plan {
			if strings.HasPrefix(step, "SEARCH") && first == "" {
				first = step
			}
			if strings.HasPrefix(step, "SCAN") {
				t.Errorf("%s: plan %q scans", name, plan)
			}
			if strings.HasPrefix(name, "days/own") && strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("%s: plan %q sorts", name, plan)
			}
		}
		if !strings.HasPrefix(first, c.want) {
			t.Errorf("%s: plan %q, want it to start with %q", name, plan, c.want)
		}
	}
}
