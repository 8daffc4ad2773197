package store_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// dayKey names one account's day in the oracles below.
type dayKey struct {
	user, account int64
	date          int
}

// groupBySums is the query histories ran before the sums were kept:
// the booked, non-deleted transactions with a known amount, summed per
// account and day, read straight from the transactions table.
func groupBySums(tb testing.TB, db *sql.DB) map[dayKey][2]int64 {
	tb.Helper()
	return readSums(tb, db, `SELECT user_id, account_id, date, SUM(value_minor), COUNT(*) FROM transactions
		WHERE coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown' GROUP BY user_id, account_id, date`)
}

func readSums(tb testing.TB, db *sql.DB, query string) map[dayKey][2]int64 {
	tb.Helper()
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	out := map[dayKey][2]int64{}
	for rows.Next() {
		var k dayKey
		var sum, n int64
		if err := rows.Scan(&k.user, &k.account, &k.date, &sum, &n); err != nil {
			tb.Fatal(err)
		}
		out[k] = [2]int64{sum, n}
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// modelTx is what the test itself remembers of a transaction it wrote.
type modelTx struct {
	user, account int64
	date          freenahi.Date
	minor         int64
	counts        bool
}

// TestTransactionDays_FollowTransactions writes random transactions through
// the sync path (new ones, coming ones booked, amounts and dates changed,
// moves between accounts, Powens deletions, unknown amounts), edits and
// deletes rows behind the store's back and deletes a user, and after each
// round compares the kept day sums with two oracles: the GROUP BY query over
// the transactions table, and the test's own model of what it wrote. The
// per-account versions must change for every account whose sums changed.
func TestTransactionDays_FollowTransactions(t *testing.T) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			s, clk, url := MustOpenStoreURL(t, engine)
			db := rawDB(t, url)
			ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
			bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
			r := rand.New(rand.NewPCG(1, uint64(len(engine))))
			model := map[[2]int64]*modelTx{} // (user, powens id) → last written
			banks := []*bank{ana, bob}
			versions := func() map[[2]int64]int64 {
				out := map[[2]int64]int64{}
				for _, b := range banks {
					v, err := s.HistoryVersions(ctx, b.user.ID)
					if err != nil {
						t.Fatal(err)
					}
					for a, n := range v {
						out[[2]int64{b.user.ID, a}] = n
					}
				}
				return out
			}
			modelSums := func() map[dayKey][2]int64 {
				out := map[dayKey][2]int64{}
				for _, m := range model {
					if m.counts {
						k := dayKey{m.user, m.account, m.date.Int()}
						out[k] = [2]int64{out[k][0] + m.minor, out[k][1] + 1}
					}
				}
				return out
			}
			byAccount := func(sums map[dayKey][2]int64) map[[2]int64]string {
				keys := make([]dayKey, 0, len(sums))
				for k := range sums {
					keys = append(keys, k)
				}
				slices.SortFunc(keys, func(a, b dayKey) int { return a.date - b.date })
				out := map[[2]int64]string{}
				for _, k := range keys {
					out[[2]int64{k.user, k.account}] += fmt.Sprint(k.date, sums[k], " ")
				}
				return out
			}
			check := func(round int, before map[[2]int64]int64, beforeSums map[[2]int64]string) {
				t.Helper()
				kept := readSums(t, db, `SELECT user_id, account_id, date, sum_minor, n FROM transaction_days`)
				if want := groupBySums(t, db); !mapsEqual(kept, want) {
					t.Fatalf("round %d: kept sums\n%v\ndiffer from GROUP BY\n%v", round, kept, want)
				}
				if want := modelSums(); !mapsEqual(kept, want) {
					t.Fatalf("round %d: kept sums\n%v\ndiffer from the model\n%v", round, kept, want)
				}
				after := versions()
				for acc, sums := range byAccount(kept) {
					if beforeSums[acc] != sums && before[acc] == after[acc] {
						t.Fatalf("round %d: account %v changed (%s → %s) but its version stayed %d", round, acc, beforeSums[acc], sums, after[acc])
					}
				}
				for acc := range beforeSums {
					if _, ok := byAccount(kept)[acc]; !ok && before[acc] == after[acc] {
						t.Fatalf("round %d: account %v lost its days but its version stayed %d", round, acc, after[acc])
					}
				}
			}
			day0 := date("2026-01-01")
			for round := range 40 {
				before, beforeSums := versions(), byAccount(modelSums())
				b := banks[r.IntN(2)]
				accounts := []*freenahi.Account{b.checking, b.card, b.savings}
				switch op := r.IntN(10); {
				case op < 7: // a sync: new transactions and changed ones
					var txs []*freenahi.Transaction
					for range 1 + r.IntN(30) {
						id := int64(1 + r.IntN(60))
						tx := &freenahi.Transaction{AccountID: accounts[r.IntN(3)].ID, PowensID: id,
							Date: day0.AddDays(r.IntN(20)), ValueMinor: r.Int64N(20001) - 10000, Active: true,
							Coming: r.IntN(4) == 0}
						if r.IntN(8) == 0 {
							tx.Deleted = ptr(clk.now)
						}
						if r.IntN(10) == 0 {
							tx.AmountOrigin = freenahi.AmountUnknown
						}
						if slices.ContainsFunc(txs, func(o *freenahi.Transaction) bool { return o.PowensID == id }) {
							continue
						}
						txs = append(txs, tx)
					}
					MustSync(t, s, b.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
					for _, tx := range txs {
						model[[2]int64{b.user.ID, tx.PowensID}] = &modelTx{user: b.user.ID, account: tx.AccountID, date: tx.Date,
							minor: tx.ValueMinor, counts: !tx.Coming && tx.Deleted == nil && tx.AmountOrigin != freenahi.AmountUnknown}
					}
				case op < 9: // amounts and dates changed in place, one statement
					shift, add := r.IntN(3)-1, r.Int64N(100)
					if _, err := db.ExecContext(ctx, `UPDATE transactions SET date = date + $1, value_minor = value_minor + $2
						WHERE user_id = $3 AND powens_id % 3 = 0 AND date BETWEEN 20260102 AND 20260119`, shift, add, b.user.ID); err != nil {
						t.Fatal(err)
					}
					for k, m := range model {
						if k[0] == b.user.ID && k[1]%3 == 0 && m.date.Int() >= 20260102 && m.date.Int() <= 20260119 {
							m.date, m.minor = m.date.AddDays(shift), m.minor+add
						}
					}
				default: // rows removed outright
					if _, err := db.ExecContext(ctx, `DELETE FROM transactions WHERE user_id = $1 AND powens_id % 5 = $2`, b.user.ID, round%5); err != nil {
						t.Fatal(err)
					}
					for k := range model {
						if k[0] == b.user.ID && k[1]%5 == int64(round%5) {
							delete(model, k)
						}
					}
				}
				check(round, before, beforeSums)
			}
			// Deleting a person removes their days and leaves the other's.
			before, beforeSums := versions(), byAccount(modelSums())
			if err := s.DeleteUser(ctx, bob.user.ID); err != nil {
				t.Fatal(err)
			}
			for k := range model {
				if k[0] == bob.user.ID {
					delete(model, k)
				}
			}
			check(-1, before, beforeSums)
		})
	}
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestMigration_HistorySums runs migration 55 on a database that already
// holds transactions: the day sums it fills in are those of the GROUP BY
// query, and the triggers it installs keep them from then on.
func TestMigration_HistorySums(t *testing.T) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			s, clk, url := MustOpenStoreURL(t, engine)
			b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
			coming := &freenahi.Transaction{AccountID: b.savings.ID, PowensID: 4, Date: date("2026-03-02"), ValueMinor: 70, Active: true, Coming: true}
			gone := &freenahi.Transaction{AccountID: b.checking.ID, PowensID: 5, Date: date("2026-03-02"), ValueMinor: 11, Active: true, Deleted: ptr(clk.now)}
			MustSync(t, s, b.user, func(w freenahi.SyncWriter) error {
				return w.UpsertTransactions(ctx, []*freenahi.Transaction{
					{AccountID: b.checking.ID, PowensID: 1, Date: date("2026-03-01"), ValueMinor: -1000, Active: true},
					{AccountID: b.checking.ID, PowensID: 2, Date: date("2026-03-01"), ValueMinor: 250, Active: true},
					{AccountID: b.card.ID, PowensID: 3, Date: date("2026-03-02"), ValueMinor: -99, Active: true},
					coming, gone,
				})
			})
			s.Close()
			db := rawDB(t, url)
			undo := []string{`DROP TRIGGER history_versions_snapshot_delete`, `DROP TRIGGER history_versions_snapshot_update`,
				`DROP TRIGGER history_versions_snapshot_insert`, `DROP TRIGGER transaction_days_update`,
				`DROP TRIGGER transaction_days_delete`, `DROP TRIGGER transaction_days_insert`}
			if engine == store.Postgres {
				undo = []string{`DROP TRIGGER history_versions_snapshot ON balance_snapshots`, `DROP FUNCTION history_versions_snapshot()`,
					`DROP TRIGGER transaction_days_update ON transactions`, `DROP TRIGGER transaction_days_delete ON transactions`,
					`DROP TRIGGER transaction_days_insert ON transactions`, `DROP FUNCTION transaction_days_insert()`,
					`DROP FUNCTION transaction_days_update()`, `DROP FUNCTION transaction_days_delete()`,
					`DROP FUNCTION history_version_bump(BIGINT, BIGINT)`}
			}
			undo = append(undo, `DROP TABLE history_versions`, `DROP TABLE transaction_days`, `DELETE FROM goose_db_version WHERE version_id = 55`)
			for _, q := range undo {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			// Written while the triggers were missing: the migration counts it.
			if _, err := db.ExecContext(ctx, `UPDATE transactions SET coming = FALSE WHERE powens_id = 4`); err != nil {
				t.Fatal(err)
			}
			s, err := store.Open(ctx, url, store.Options{Secrets: storetest.Key(t), Migrate: true})
			if err != nil {
				t.Fatalf("migrate: %v", err)
			}
			defer s.Close()
			want := map[dayKey][2]int64{
				{b.user.ID, b.checking.ID, 20260301}: {-750, 2},
				{b.user.ID, b.card.ID, 20260302}:     {-99, 1},
				{b.user.ID, b.savings.ID, 20260302}:  {70, 1},
			}
			if got := readSums(t, db, `SELECT user_id, account_id, date, sum_minor, n FROM transaction_days`); !mapsEqual(got, want) {
				t.Fatalf("after the migration: %v, want %v", got, want)
			}
			if _, err := db.ExecContext(ctx, `UPDATE transactions SET deleted_at = 1 WHERE powens_id = 2`); err != nil {
				t.Fatal(err)
			}
			want[dayKey{b.user.ID, b.checking.ID, 20260301}] = [2]int64{-1000, 1}
			if got := readSums(t, db, `SELECT user_id, account_id, date, sum_minor, n FROM transaction_days`); !mapsEqual(got, want) {
				t.Fatalf("after a deletion: %v, want %v", got, want)
			}
		})
	}
}
