package ingest_test

import (
	"runtime"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// BenchmarkDetectTransfers times the transfer detection that follows every
// burst of events, over a person's 50,000 transactions of BenchmarkIngest's
// payload, once their pairs are made: what each later detection costs.
//
//	go test ./ingest -run '^$' -bench DetectTransfers -benchtime 10x
func BenchmarkDetectTransfers(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			s := storetest.MustOpen(b, engine)
			w := benchSetup(b, s)
			queue(b, s, 1)
			processOne(b, w)
			u, err := s.FindUserByEmail(ctx, "bench@example.com")
			if err != nil {
				b.Fatal(err)
			}
			id := u.ID
			if _, err := s.DetectTransfers(ctx, id); err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			b.ResetTimer()
			for range b.N {
				if n, err := s.DetectTransfers(ctx, id); err != nil || n != 0 {
					b.Fatalf("DetectTransfers=%d, %v", n, err)
				}
			}
			b.ReportMetric(float64(benchTransactions)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
		})
	}
}
