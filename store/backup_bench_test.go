package store_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// BenchmarkBackupRestore measures a backup and a restore of 100,000
// transactions, beside a reference measured in the same run on the same
// driver: a plain SELECT * of the transactions table scanned into values
// (what any dump must at least do).
func BenchmarkBackupRestore(b *testing.B) {
	for _, engine := range engines {
		b.Run(string(engine), func(b *testing.B) {
			key := storetest.Key(b)
			url := storetest.URL(b, engine)
			s, err := store.Open(ctx, url, store.Options{Secrets: key, Migrate: true})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			bk := MustSeedBank(b, s, MustCreateUser(b, s, "ana@example.com", 1))
			const n = 100_000
			for chunk := range 10 {
				var txs []*freenahi.Transaction
				for i := range n / 10 {
					id := chunk*n/10 + i
					txs = append(txs, &freenahi.Transaction{AccountID: bk.checking.ID, PowensID: int64(id + 1), Date: date("2026-01-01").AddDays(id % 300),
						ValueMinor: int64(id%5000 - 2500), OriginalWording: fmt.Sprintf("CB CARREFOUR MARKET %d", id), Type: "card", Active: true, Currency: eur})
				}
				MustSync(b, s, bk.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
			}
			db := rawDB(b, url)
			b.ResetTimer()
			var scan, backup, restore time.Duration
			var size int
			for range b.N {
				start := time.Now()
				rows, err := db.QueryContext(ctx, `SELECT * FROM transactions ORDER BY id`)
				if err != nil {
					b.Fatal(err)
				}
				cols, _ := rows.Columns()
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				for rows.Next() {
					rows.Scan(ptrs...)
				}
				rows.Close()
				scan += time.Since(start)

				var buf bytes.Buffer
				start = time.Now()
				if _, err := s.Backup(ctx, &buf, store.BackupOptions{}); err != nil {
					b.Fatal(err)
				}
				backup += time.Since(start)
				size = buf.Len()

				target := storetest.URL(b, engine)
				start = time.Now()
				if _, err := store.Restore(ctx, target, func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil },
					store.RestoreOptions{Secrets: key, Check: true}); err != nil {
					b.Fatal(err)
				}
				restore += time.Since(start)
			}
			per := func(d time.Duration) float64 { return float64(n) * float64(b.N) / d.Seconds() }
			b.ReportMetric(per(scan), "ref-scan-tx/s")
			b.ReportMetric(per(backup), "backup-tx/s")
			b.ReportMetric(per(restore), "restore-tx/s")
			b.ReportMetric(float64(size)/n, "archive-B/tx")
		})
	}
}
