package store_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// BenchmarkIngestBatches writes 10 accounts × 5,000 transactions (one a day
// per account, as scripts/ingestbench.sh sends them) through the sync path in
// batches of 400, as ingest does: into an empty store (First) and again
// (Redelivery, which changes nothing). Besides wall time it reports the CPU
// time the process spent (cpu-ms/op, user and system, from getrusage), which
// moves less than wall time when other work shares the machine: compare
// builds (or a build without the derived-data triggers, as a reference) by
// running this same file on each, alternately.
//
//	go test ./store -run '^$' -bench IngestBatches -benchtime 3x
func BenchmarkIngestBatches(b *testing.B) {
	for _, engine := range engines {
		for _, again := range []bool{false, true} {
			name := string(engine) + "/First"
			if again {
				name = string(engine) + "/Redelivery"
			}
			b.Run(name, func(b *testing.B) {
				var cpu, wall time.Duration
				for range b.N {
					b.StopTimer()
					s, _, _ := MustOpenStoreURL(b, engine)
					bk := MustSeedBank(b, s, MustCreateUser(b, s, "bench@example.com", 1))
					txs := benchBatchTransactions(bk)
					if again {
						syncBatches(b, s, bk.user, txs)
					}
					c0, w0 := processCPU(b), time.Now()
					b.StartTimer()
					syncBatches(b, s, bk.user, txs)
					b.StopTimer()
					cpu, wall = cpu+processCPU(b)-c0, wall+time.Since(w0)
					s.Close()
				}
				b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
				b.ReportMetric(float64(50_000*b.N)/wall.Seconds(), "tx/s")
			})
		}
	}
}

func benchBatchTransactions(bk *bank) []*freenahi.Transaction {
	labels := []string{"PRLV SEPA EDF CLIENTS PARTICULIERS", "CB CARREFOUR MARKET", "VIR SALAIRE ACME", "CB SNCF INTERNET"}
	accounts := []*freenahi.Account{bk.checking, bk.card, bk.savings}
	var txs []*freenahi.Transaction
	for k := range 10 {
		for i := range 5000 {
			id := int64(k*5000 + i + 1)
			l := labels[i%len(labels)]
			txs = append(txs, &freenahi.Transaction{AccountID: accounts[k%3].ID, PowensID: id,
				Date: date("2026-06-30").AddDays(-i), ValueMinor: -int64(id%20000) - 1, Active: true,
				OriginalWording: fmt.Sprint(l, " ", id), SimplifiedWording: l})
		}
	}
	return txs
}

// syncBatches writes txs in one event, 400 at a time.
func syncBatches(tb testing.TB, s *store.Store, u *freenahi.User, txs []*freenahi.Transaction) {
	tb.Helper()
	MustSync(tb, s, u, func(w freenahi.SyncWriter) error {
		for i := 0; i < len(txs); i += 400 {
			if err := w.UpsertTransactions(ctx, txs[i:min(i+400, len(txs))]); err != nil {
				return err
			}
		}
		return nil
	})
}

// processCPU is the user and system time the process has used.
func processCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
