package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// BenchmarkHistorySums_IngestCost measures what keeping the day sums costs
// the sync path: batches of 5,000 transactions written through
// UpsertTransactions, new (First), the same again unchanged (Redelivery)
// and with every amount changed (Changed), into two stores of the same
// engine, one of which has had the day-sum triggers dropped: the same-run
// reference. Batches alternate between the two, so both share the
// machine's load of the moment; overhead-% is the difference.
//
//	go test ./store -run '^$' -bench HistorySums_IngestCost -benchtime 4x
func BenchmarkHistorySums_IngestCost(b *testing.B) {
	const batch = 5000
	for _, engine := range engines {
		b.Run(string(engine), func(b *testing.B) {
			type side struct {
				s    *store.Store
				bank *bank
				busy map[string]time.Duration
			}
			var sides [2]*side
			for i := range sides {
				s, _, url := MustOpenStoreURL(b, engine)
				sides[i] = &side{s: s, bank: MustSeedBank(b, s, MustCreateUser(b, s, "ana@example.com", 1)), busy: map[string]time.Duration{}}
				if i == 1 {
					drop := []string{`DROP TRIGGER transaction_days_insert`, `DROP TRIGGER transaction_days_update`, `DROP TRIGGER transaction_days_delete`}
					if engine == store.Postgres {
						for k := range drop {
							drop[k] += ` ON transactions`
						}
					}
					db := rawDB(b, url)
					for _, q := range drop {
						if _, err := db.ExecContext(ctx, q); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
			txs := func(bk *bank, n, add int) []*freenahi.Transaction {
				out := make([]*freenahi.Transaction, batch)
				accounts := []*freenahi.Account{bk.checking, bk.card, bk.savings}
				for k := range out {
					id := int64(n*batch + k + 1)
					out[k] = &freenahi.Transaction{AccountID: accounts[k%3].ID, PowensID: id, Date: date("2024-01-01").AddDays(k % 1000),
						ValueMinor: -int64(k%9973) - int64(add), Active: true, OriginalWording: fmt.Sprint("CB ", k), Coming: k%50 == 0}
				}
				return out
			}
			write := func(sd *side, what string, list []*freenahi.Transaction) {
				start := time.Now()
				MustSync(b, sd.s, sd.bank.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, list) })
				sd.busy[what] += time.Since(start)
			}
			b.ResetTimer()
			for i := range b.N {
				for k := range 2 {
					sd := sides[(i+k)%2] // alternate which goes first
					write(sd, "First", txs(sd.bank, i, 0))
					write(sd, "Redelivery", txs(sd.bank, i, 0))
					write(sd, "Changed", txs(sd.bank, i, 1))
				}
			}
			for _, what := range []string{"First", "Redelivery", "Changed"} {
				with, without := sides[0].busy[what].Seconds(), sides[1].busy[what].Seconds()
				b.ReportMetric(float64(batch*b.N)/with, what+"-tx/s")
				b.ReportMetric(float64(batch*b.N)/without, what+"-reference-tx/s")
				b.ReportMetric((with/without-1)*100, what+"-overhead-%")
			}
		})
	}
}
