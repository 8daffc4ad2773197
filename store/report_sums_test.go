package store_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestReportSums_RandomWrites drives every kind of write that changes what
// the reports count, at random and in random order, on two people's
// accounts in three currencies: ingest batches (soft deletions, unknown
// amounts, moves between accounts), edits of category, payee, transfer mark
// and splits, category merges, hiding, moves into the transfers group, rules
// applied to the past, transfer pairing, imports into manual accounts, and
// statements behind the store's back (dates moved across months, amounts,
// categories of many rows at once, split parts and transactions removed,
// an account's currency changed). After each write the monthly sums must
// equal the same sums rebuilt with a GROUP BY written here; every few
// writes, each report (cash flow, spending by category and by payee, the
// months of budget progress) over random periods, most starting and ending
// mid-month, must equal the test's own query over transactions and split
// parts. Last, a copy into an empty database must rebuild the same sums.
func TestReportSums_RandomWrites(t *testing.T) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			key := storetest.Key(t)
			url := storetest.MigratedURL(t, engine)
			s, err := store.Open(ctx, url, store.Options{Secrets: key, Migrate: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			clk := &clock{now: t0}
			s.Now = func() time.Time { return clk.now }
			db := rawDB(t, url)
			banks := []*bank{
				MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1)),
				MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2)),
			}
			r := rand.New(rand.NewPCG(11, uint64(len(engine))))
			words := []string{"carrefour", "sncf", "edf", "loyer", "urssaf", "amazon", "virement"}
			payees := []string{"", "Carrefour", "SNCF", "EDF", "Loyer", "Amazon"}
			start := date("2025-12-01")
			randomTx := func(b *bank) *freenahi.Transaction {
				accounts := []*freenahi.Account{b.checking, b.card, b.savings, b.yen}
				tx := &freenahi.Transaction{AccountID: accounts[r.IntN(len(accounts))].ID, PowensID: int64(1 + r.IntN(300)),
					Date: start.AddDays(r.IntN(150)), ValueMinor: r.Int64N(40001) - 25000, Active: true, Coming: r.IntN(8) == 0,
					Wording: "CB " + strings.ToUpper(words[r.IntN(len(words))]) + fmt.Sprint(" ", r.IntN(3))}
				if r.IntN(10) == 0 {
					tx.Deleted = ptr(clk.now)
				}
				if r.IntN(12) == 0 {
					tx.AmountOrigin = freenahi.AmountUnknown
				}
				return tx
			}
			liveCategories := func(b *bank) []*freenahi.Category {
				cats, err := s.FindCategories(ctx, b.user.ID)
				if err != nil {
					t.Fatal(err)
				}
				var out []*freenahi.Category
				for _, c := range cats {
					if c.MergedInto == nil && c.ParentID != nil {
						out = append(out, c)
					}
				}
				return out
			}
			someTx := func(b *bank) *freenahi.Transaction {
				var id int64
				err := db.QueryRowContext(ctx, `SELECT id FROM transactions WHERE user_id = $1 ORDER BY (id * $2) % 1009, id LIMIT 1`,
					b.user.ID, 1+r.IntN(1000)).Scan(&id)
				if err == sql.ErrNoRows {
					return nil
				} else if err != nil {
					t.Fatal(err)
				}
				tx, err := s.FindTransactionByID(ctx, b.user.ID, id)
				if err != nil {
					t.Fatal(err)
				}
				return tx
			}
			for round := range 60 {
				b := banks[r.IntN(len(banks))]
				uid := b.user.ID
				op := r.IntN(15)
				if round < 3 {
					op = 0 // something to work on first
				}
				switch op {
				case 0, 1, 2: // a sync: one to two batches
					txs := make([]*freenahi.Transaction, 1+r.IntN(600))
					for i := range txs {
						txs[i] = randomTx(b)
					}
					MustSync(t, s, b.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
				case 3, 4: // an edit by hand
					tx := someTx(b)
					if tx == nil {
						continue
					}
					cats := liveCategories(b)
					var e freenahi.TransactionEdit
					if r.IntN(2) == 0 {
						e.CategoryID = ptr(cats[r.IntN(len(cats))].ID)
						if r.IntN(5) == 0 {
							e.CategoryID = ptr(int64(0))
						}
					}
					if r.IntN(3) == 0 {
						e.Payee = ptr(payees[r.IntN(len(payees))])
					}
					if r.IntN(4) == 0 {
						e.Transfer = ptr(r.IntN(2) == 0)
					}
					if r.IntN(2) == 0 && tx.AmountKnown() {
						var parts []freenahi.SplitPart
						if r.IntN(4) > 0 {
							first := r.Int64N(30001) - 15000
							exp := tx.Currency.Exponent
							for _, m := range []int64{first, tx.ValueMinor - first} {
								parts = append(parts, freenahi.SplitPart{CategoryID: cats[r.IntN(len(cats))].ID, Amount: freenahi.NewDecimal(m, exp)})
							}
						}
						e.Splits = &parts
					}
					if e == (freenahi.TransactionEdit{}) {
						e.Note = ptr("n")
					}
					if _, err := s.EditTransaction(ctx, uid, tx.ID, e); err != nil && freenahi.ErrorCode(err) != freenahi.EINVALID {
						t.Fatalf("round %d: edit: %v", round, err)
					}
				case 5: // two categories merged
					cats := liveCategories(b)
					from, into := cats[r.IntN(len(cats))], cats[r.IntN(len(cats))]
					if from.ID != into.ID {
						if _, err := s.MergeCategory(ctx, uid, from.ID, into.ID); err != nil && freenahi.ErrorCode(err) != freenahi.EINVALID {
							t.Fatalf("round %d: merge: %v", round, err)
						}
					}
				case 6: // a category hidden, or moved into the transfers group
					cats := liveCategories(b)
					c := cats[r.IntN(len(cats))]
					upd := freenahi.CategoryUpdate{Hidden: ptr(true)}
					if r.IntN(2) == 0 {
						upd = freenahi.CategoryUpdate{ParentID: ptr(categoryByKey(t, s, uid, "transfers").ID)}
					}
					if _, err := s.UpdateCategory(ctx, uid, c.ID, upd); err != nil && freenahi.ErrorCode(err) != freenahi.EINVALID {
						t.Fatalf("round %d: update category: %v", round, err)
					}
				case 7: // a rule applied to the past
					cats := liveCategories(b)
					rule := &freenahi.Rule{UserID: uid, If: freenahi.RuleConditions{WordingContains: words[r.IntN(len(words))]}}
					switch r.IntN(3) {
					case 0:
						rule.Then.CategoryID = ptr(cats[r.IntN(len(cats))].ID)
					case 1:
						rule.Then.Payee = payees[1+r.IntN(len(payees)-1)]
					default:
						rule.Then.Transfer = ptr(r.IntN(3) > 0)
					}
					if err := s.CreateRule(ctx, rule); err != nil {
						t.Fatalf("round %d: create rule: %v", round, err)
					}
					if _, err := s.ApplyRule(ctx, uid, rule.ID); err != nil {
						t.Fatalf("round %d: apply rule: %v", round, err)
					}
				case 8: // transfers paired
					if _, err := s.DetectTransfers(ctx, uid); err != nil {
						t.Fatalf("round %d: detect transfers: %v", round, err)
					}
				case 9: // an import into a new manual account
					lines := make([]freenahi.ImportLine, 1+r.IntN(40))
					for i := range lines {
						lines[i] = freenahi.ImportLine{Line: i + 1, Key: fmt.Sprint("k", round, "-", i), Date: start.AddDays(r.IntN(150)),
							AmountMinor: r.Int64N(20001) - 12000, Wording: "CB " + strings.ToUpper(words[r.IntN(len(words))])}
					}
					cur := []string{"USD", "EUR", "JPY"}[r.IntN(3)]
					if _, err := s.ImportTransactions(ctx, &freenahi.Import{UserID: uid, Lines: lines,
						NewAccount: &freenahi.Account{Name: fmt.Sprint("Cash ", round), Currency: freenahi.Currency{Code: cur}, Type: "other"}}); err != nil {
						t.Fatalf("round %d: import: %v", round, err)
					}
				case 10: // dates and amounts moved behind the store's back, across months
					if _, err := db.ExecContext(ctx, `UPDATE transactions SET date = CASE WHEN date % 100 > 20 AND date % 10000 < 1200 THEN date + 100 - 15 ELSE date END,
						value_minor = value_minor + $1 WHERE user_id = $2 AND id % 5 = $3 AND date < 20260400`, r.Int64N(2000)-1000, uid, r.IntN(5)); err != nil {
						t.Fatal(err)
					}
				case 11: // many rows recategorised in one statement, some marked as transfers
					cats := liveCategories(b)
					if _, err := db.ExecContext(ctx, `UPDATE transactions SET category_id = $1, transfer = (id % 13 = 0), payee = $2
						WHERE user_id = $3 AND id % 4 = $4`, cats[r.IntN(len(cats))].ID, payees[r.IntN(len(payees))], uid, r.IntN(4)); err != nil {
						t.Fatal(err)
					}
				case 12: // split parts removed in one statement, transactions removed outright
					if _, err := db.ExecContext(ctx, `DELETE FROM transaction_splits WHERE user_id = $1 AND transaction_id % 2 = $2`, uid, r.IntN(2)); err != nil {
						t.Fatal(err)
					}
					if _, err := db.ExecContext(ctx, `DELETE FROM transactions WHERE user_id = $1 AND id % 17 = $2`, uid, r.IntN(17)); err != nil {
						t.Fatal(err)
					}
				case 13: // an account's currency changed
					if _, err := db.ExecContext(ctx, `UPDATE accounts SET currency = $1, currency_exponent = $2 WHERE id = $3`,
						[]string{"EUR", "USD", "CHF"}[r.IntN(3)], 2, b.savings.ID); err != nil {
						t.Fatal(err)
					}
				default: // a category made for transfers, and rows filed in it
					c, err := s.CreateCategory(ctx, uid, fmt.Sprint("Moves ", round), ptr(categoryByKey(t, s, uid, "transfers").ID))
					if err != nil {
						t.Fatalf("round %d: create category: %v", round, err)
					}
					if _, err := db.ExecContext(ctx, `UPDATE transactions SET category_id = $1 WHERE user_id = $2 AND id % 9 = 0`, c.ID, uid); err != nil {
						t.Fatal(err)
					}
				}
				checkReportSums(t, db, fmt.Sprint("round ", round, " (op ", op, ")"))
				if round%6 == 5 {
					for range 4 {
						from := start.AddDays(r.IntN(160) - 10)
						to := from.AddDays(r.IntN(140))
						if r.IntN(4) == 0 { // whole months only
							from = freenahi.Date{Year: from.Year, Month: from.Month, Day: 1}
							to = freenahi.Date{Year: to.Year, Month: to.Month, Day: 1}.AddDays(40)
							to = freenahi.Date{Year: to.Year, Month: to.Month, Day: 1}.AddDays(-1)
						}
						for _, bk := range banks {
							checkReports(t, s, db, bk.user.ID, from, to, fmt.Sprint("round ", round))
						}
					}
				}
			}

			// A copy into an empty database rebuilds the sums as it loads.
			dstURL := storetest.URL(t, engine)
			if _, err := s.CopyTo(ctx, dstURL, "copy-reports", store.RestoreOptions{Secrets: key}); err != nil {
				t.Fatal(err)
			}
			checkReportSums(t, rawDB(t, dstURL), "copy")
			if got, want := readRows(t, rawDB(t, dstURL), keptFlows), readRows(t, db, keptFlows); !slices.Equal(got, want) {
				t.Fatalf("copy: report_flows\n%v\ndiffers from the source's\n%v", got, want)
			}
		})
	}
}

// The monthly sums as kept, and as the test rebuilds them from the
// transactions, their split parts and accounts (migration 00110 says what
// they hold); each row as text, sorted.
const (
	keptFlows    = `SELECT user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n FROM report_flows`
	keptParts    = `SELECT user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n FROM report_parts`
	rebuiltFlows = `SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(t.category_id, 0),
		SUM(CASE WHEN t.value_minor > 0 THEN t.value_minor ELSE 0 END), SUM(CASE WHEN t.value_minor < 0 THEN -t.value_minor ELSE 0 END), COUNT(*)
		FROM transactions t, accounts a WHERE a.id = t.account_id
		AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
		GROUP BY t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(t.category_id, 0)`
	rebuiltParts = `SELECT user_id, month, currency, currency_exponent, category_id, payee,
		SUM(CASE WHEN p < 0 THEN -p ELSE 0 END), SUM(CASE WHEN p < 0 THEN 1 ELSE 0 END), SUM(CASE WHEN p > 0 THEN p ELSE 0 END), COUNT(*)
		FROM (
			SELECT t.user_id, t.date / 100 AS month, a.currency, a.currency_exponent, sp.category_id, t.payee, sp.amount_minor AS p
			FROM transactions t, accounts a, transaction_splits sp
			WHERE a.id = t.account_id AND sp.transaction_id = t.id AND sp.user_id = t.user_id
			AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
			UNION ALL
			SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(t.category_id, 0), t.payee, t.value_minor
			FROM transactions t, accounts a
			WHERE a.id = t.account_id AND NOT EXISTS (SELECT 1 FROM transaction_splits sp WHERE sp.transaction_id = t.id AND sp.user_id = t.user_id)
			AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
		) x GROUP BY user_id, month, currency, currency_exponent, category_id, payee`
)

// checkReportSums fails unless the kept sums are the rebuilt ones.
func checkReportSums(t *testing.T, db *sql.DB, when string) {
	t.Helper()
	for _, c := range [][2]string{{keptFlows, rebuiltFlows}, {keptParts, rebuiltParts}} {
		if got, want := readRows(t, db, c[0]), readRows(t, db, c[1]); !slices.Equal(got, want) {
			t.Fatalf("%s: kept\n%s\nrebuilt\n%s", when, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// readRows returns a query's rows, each as its values joined by "|", sorted.
func readRows(tb testing.TB, db *sql.DB, query string, args ...any) []string {
	tb.Helper()
	out := scanRows(tb, db, query, args...)
	slices.Sort(out)
	return out
}

// scanRows returns a query's rows in its order, each as its values joined
// by "|".
func scanRows(tb testing.TB, db *sql.DB, query string, args ...any) []string {
	tb.Helper()
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			tb.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = "NULL"
			if v.Valid {
				parts[i] = v.String
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// testTransferCategories is the test's own reading of which categories
// hold transfers: those of the default transfer keys, and, until nothing
// changes, those under or merged into one of them.
func testTransferCategories(tb testing.TB, db *sql.DB, userID int64) string {
	tb.Helper()
	type cat struct {
		id, parent, merged int64
		key                string
	}
	var cats []cat
	for _, row := range readRows(tb, db, `SELECT id, COALESCE(parent_id, 0), COALESCE(merged_into_id, 0), key FROM categories WHERE user_id = $1`, userID) {
		var c cat
		f := strings.SplitN(row, "|", 4)
		fmt.Sscan(f[0], &c.id)
		fmt.Sscan(f[1], &c.parent)
		fmt.Sscan(f[2], &c.merged)
		c.key = f[3]
		cats = append(cats, c)
	}
	in := map[int64]bool{}
	for changed := true; changed; {
		changed = false
		for _, c := range cats {
			if !in[c.id] && (slices.Contains(freenahi.TransferCategoryKeys, c.key) || in[c.parent] || in[c.merged]) {
				in[c.id], changed = true, true
			}
		}
	}
	ids := []string{"-1"}
	for id := range in {
		ids = append(ids, fmt.Sprint(id))
	}
	return strings.Join(ids, ", ")
}

// checkReports compares each report of from…to with the test's own query
// over the transactions and split parts.
func checkReports(t *testing.T, s *store.Store, db *sql.DB, userID int64, from, to freenahi.Date, when string) {
	t.Helper()
	when = fmt.Sprintf("%s: user %d, %s…%s", when, userID, from, to)
	counts := `t.user_id = $1 AND t.date >= $2 AND t.date <= $3 AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown'
		AND t.transfer = FALSE AND a.id = t.account_id`
	transfers := testTransferCategories(t, db, userID)
	args := []any{userID, from.Int(), to.Int()}

	flows, err := s.Cashflow(ctx, userID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range flows {
		got = append(got, fmt.Sprintf("%s|%s|%d|%d|%d", strings.ReplaceAll(f.Month, "-", ""), f.Currency, f.Exponent, f.IncomeMinor, f.SpendingMinor))
	}
	want := readOrdered(t, db, `SELECT t.date / 100, a.currency, a.currency_exponent,
		SUM(CASE WHEN t.value_minor > 0 THEN t.value_minor ELSE 0 END), SUM(CASE WHEN t.value_minor < 0 THEN -t.value_minor ELSE 0 END)
		FROM transactions t, accounts a WHERE `+counts+` AND (t.category_id IS NULL OR t.category_id NOT IN (`+transfers+`))
		GROUP BY t.date / 100, a.currency, a.currency_exponent ORDER BY 1, 2, 3`, args...)
	if !slices.Equal(got, want) {
		t.Fatalf("%s: cash flow\n%v\nwant\n%v", when, got, want)
	}

	rep, err := s.Spending(ctx, userID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	parts := `FROM transactions t LEFT JOIN transaction_splits sp ON sp.transaction_id = t.id AND sp.user_id = t.user_id, accounts a
		WHERE ` + counts + ` AND COALESCE(sp.amount_minor, t.value_minor) < 0
		AND (COALESCE(sp.category_id, t.category_id) IS NULL OR COALESCE(sp.category_id, t.category_id) NOT IN (` + transfers + `))`
	for _, by := range []struct {
		col, tail string
		lines     []freenahi.SpendingLine
	}{{"COALESCE(sp.category_id, t.category_id)", "", rep.ByCategory}, {"t.payee", " LIMIT 20", rep.ByPayee}} {
		got = nil
		for _, l := range by.lines {
			k := l.Payee
			if by.tail == "" {
				k = "NULL"
				if l.CategoryID != nil {
					k = fmt.Sprint(*l.CategoryID)
				}
			}
			got = append(got, fmt.Sprintf("%s|%s|%d|%d|%d", k, l.Currency, l.Exponent, l.SpendingMinor, l.Count))
		}
		want = readOrdered(t, db, `SELECT `+by.col+`, a.currency, a.currency_exponent, SUM(-COALESCE(sp.amount_minor, t.value_minor)), COUNT(*) `+parts+`
			GROUP BY `+by.col+`, a.currency, a.currency_exponent ORDER BY 4 DESC, 2, 3, 1`+by.tail, args...)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: spending by %s\n%v\nwant\n%v", when, by.col, got, want)
		}
	}

	for _, cur := range []string{"EUR", "JPY", "USD"} {
		spent, err := s.SpentByMonth(ctx, userID, cur, from, to)
		if err != nil {
			t.Fatal(err)
		}
		got = nil
		for m, cats := range spent {
			for c, v := range cats {
				got = append(got, fmt.Sprintf("%d|%d|%d", m.Int()/100, c, v))
			}
		}
		slices.Sort(got)
		want = readRows(t, db, `SELECT t.date / 100, COALESCE(sp.category_id, t.category_id), SUM(-COALESCE(sp.amount_minor, t.value_minor))
			FROM transactions t LEFT JOIN transaction_splits sp ON sp.transaction_id = t.id AND sp.user_id = t.user_id, accounts a
			WHERE `+counts+` AND a.currency = $4 AND COALESCE(sp.category_id, t.category_id) IS NOT NULL
			AND COALESCE(sp.category_id, t.category_id) NOT IN (`+transfers+`)
			GROUP BY t.date / 100, COALESCE(sp.category_id, t.category_id)`, append(args, cur)...)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: budget sums in %s\n%v\nwant\n%v", when, cur, got, want)
		}
	}
}

// readOrdered is readRows keeping the query's order.
func readOrdered(tb testing.TB, db *sql.DB, query string, args ...any) []string {
	tb.Helper()
	return scanRows(tb, db, query, args...)
}
