package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// TestTransactionDays_IngestBatches drives ingest's batch path with random
// operations mixed with writes behind the store's back: syncs of up to
// 1,000 transactions (several batches of 400, the same transaction listed
// twice, moves between accounts, coming ones booked, deletions, unknown
// amounts, changed wordings), the last sync delivered again, a sync that
// fails after writing (rolled back), and rows changed and removed with
// plain SQL. After each round the kept day sums must equal the GROUP BY
// query over transactions and the test's own model, the version of every
// account whose days changed must have moved, and on SQLite the full-text
// index must pass FTS4's own integrity check against its content and find
// exactly the rows a LIKE scan finds. It is the oracle any change to how
// ingest keeps these derived data (per row, per statement or per batch)
// must pass on both engines.
func TestTransactionDays_IngestBatches(t *testing.T) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			s, clk, url := MustOpenStoreURL(t, engine)
			db := rawDB(t, url)
			ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
			bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
			banks := []*bank{ana, bob}
			r := rand.New(rand.NewPCG(7, uint64(len(engine))))
			model := map[[2]int64]*modelTx{}
			words := []string{"loyer", "carrefour", "sncf", "edf", "urssaf", "zanzibar", "quokka", "boulangerie"}
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
			perAccount := func(sums map[dayKey][2]int64) map[[2]int64]string {
				out := map[[2]int64]string{}
				for k, v := range sums {
					out[[2]int64{k.user, k.account}] += fmt.Sprint(k.date, v, ";")
				}
				for k, v := range out { // order-free comparison: sort the entries
					parts := strings.Split(v, ";")
					slices.Sort(parts)
					out[k] = strings.Join(parts, ";")
				}
				return out
			}
			check := func(round int, before map[[2]int64]int64, beforeDays map[[2]int64]string) {
				t.Helper()
				kept := readSums(t, db, `SELECT user_id, account_id, date, sum_minor, n FROM transaction_days`)
				if want := groupBySums(t, db); !mapsEqual(kept, want) {
					t.Fatalf("round %d: kept sums\n%v\ndiffer from GROUP BY\n%v", round, kept, want)
				}
				if want := modelSums(); !mapsEqual(kept, want) {
					t.Fatalf("round %d: kept sums\n%v\ndiffer from the model\n%v", round, kept, want)
				}
				after, afterDays := versions(), perAccount(kept)
				for acc := range mergeKeys(beforeDays, afterDays) {
					if beforeDays[acc] != afterDays[acc] && before[acc] == after[acc] {
						t.Fatalf("round %d: account %v changed its days but its version stayed %d", round, acc, after[acc])
					}
				}
				if engine != store.SQLite {
					return
				}
				if _, err := db.ExecContext(ctx, `INSERT INTO transactions_search (transactions_search) VALUES ('integrity-check')`); err != nil {
					t.Fatalf("round %d: search index integrity: %v", round, err)
				}
				for _, w := range words {
					got := readIDs(t, db, `SELECT docid FROM transactions_search WHERE transactions_search MATCH $1 ORDER BY docid`, `"`+w+`*"`)
					want := readIDs(t, db, `SELECT id FROM transactions WHERE search_text LIKE $1 ORDER BY id`, "%"+w+"%")
					if got != want {
						t.Fatalf("round %d: the index finds %q in rows %s, a scan in %s", round, w, got, want)
					}
				}
			}
			randomTx := func(b *bank) *freenahi.Transaction {
				accounts := []*freenahi.Account{b.checking, b.card, b.savings}
				tx := &freenahi.Transaction{AccountID: accounts[r.IntN(3)].ID, PowensID: int64(1 + r.IntN(1500)),
					Date: date("2026-01-01").AddDays(r.IntN(60)), ValueMinor: r.Int64N(200001) - 100000, Active: true,
					Coming: r.IntN(5) == 0, Wording: "CB " + strings.ToUpper(words[r.IntN(len(words))]) + fmt.Sprint(" ", r.IntN(3))}
				if r.IntN(10) == 0 {
					tx.Deleted = ptr(clk.now)
				}
				if r.IntN(12) == 0 {
					tx.AmountOrigin = freenahi.AmountUnknown
				}
				return tx
			}
			remember := func(b *bank, txs []*freenahi.Transaction) {
				for _, tx := range txs { // the last listing of a transaction wins
					model[[2]int64{b.user.ID, tx.PowensID}] = &modelTx{user: b.user.ID, account: tx.AccountID, date: tx.Date,
						minor: tx.ValueMinor, counts: !tx.Coming && tx.Deleted == nil && tx.AmountOrigin != freenahi.AmountUnknown}
				}
			}
			var last []*freenahi.Transaction
			var lastBank *bank
			for round := range 20 {
				before, beforeDays := versions(), perAccount(modelSums())
				b := banks[r.IntN(2)]
				switch op := r.IntN(10); {
				case op < 5: // a sync of one to three batches
					txs := make([]*freenahi.Transaction, 1+r.IntN(1000))
					for i := range txs {
						txs[i] = randomTx(b)
					}
					MustSync(t, s, b.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
					remember(b, txs)
					last, lastBank = txs, b
				case op == 5 && last != nil: // the last sync again: it restores what was changed or removed since
					MustSync(t, s, lastBank.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, last) })
					remember(lastBank, last)
				case op == 6: // a sync that fails after writing: rolled back, nothing kept
					txs := make([]*freenahi.Transaction, 1+r.IntN(900))
					for i := range txs {
						txs[i] = randomTx(b)
					}
					e := mustReceive(t, s, freenahi.EventConnectionSynced, fmt.Sprintf("fail:%d", round), *b.user.PowensUserID)
					claimed := mustClaim(t, s, e.ID)
					boom := errors.New("boom")
					err := s.ProcessEvent(ctx, claimed, func(ctx context.Context, w freenahi.SyncWriter) error {
						if err := w.UpsertTransactions(ctx, txs); err != nil {
							return err
						}
						return boom
					})
					if err == nil {
						t.Fatalf("round %d: a failing sync reported no error", round)
					}
					// The event waits for its retry and holds back the person's
					// later ones: retried, it now writes nothing.
					clk.now = clk.now.Add(24 * time.Hour)
					if err := s.ProcessEvent(ctx, mustClaim(t, s, e.ID), func(context.Context, freenahi.SyncWriter) error { return nil }); err != nil {
						t.Fatalf("round %d: retry: %v", round, err)
					}
				case op < 9: // amounts, dates and wordings changed behind the store's back
					shift, add := r.IntN(3)-1, r.Int64N(100)
					if _, err := db.ExecContext(ctx, `UPDATE transactions SET date = date + $1, value_minor = value_minor + $2,
						search_text = search_text || ' quokka' WHERE user_id = $3 AND powens_id % 7 = 0 AND date BETWEEN 20260102 AND 20260130`,
						shift, add, b.user.ID); err != nil {
						t.Fatal(err)
					}
					for k, m := range model {
						if k[0] == b.user.ID && k[1]%7 == 0 && m.date.Int() >= 20260102 && m.date.Int() <= 20260130 {
							m.date, m.minor = m.date.AddDays(shift), m.minor+add
						}
					}
				default: // rows removed outright
					if _, err := db.ExecContext(ctx, `DELETE FROM transactions WHERE user_id = $1 AND powens_id % 11 = $2`, b.user.ID, round%11); err != nil {
						t.Fatal(err)
					}
					for k := range model {
						if k[0] == b.user.ID && k[1]%11 == int64(round%11) {
							delete(model, k)
						}
					}
				}
				check(round, before, beforeDays)
			}
		})
	}
}

// readIDs returns the ids a query of one argument lists, as text.
func readIDs(tb testing.TB, db *sql.DB, query string, arg any) string {
	tb.Helper()
	rows, err := db.QueryContext(ctx, query, arg)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, fmt.Sprint(id))
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return strings.Join(ids, ",")
}

// mergeKeys returns the keys of a and b.
func mergeKeys[K comparable, V any](a, b map[K]V) map[K]bool {
	out := map[K]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
