package export_test

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// BenchmarkExportFromStore measures the whole pipeline, database to file:
// an account with n booked transactions (about 550 a day) exported as CFONB
// (per day: the reference), camt.053 and OFX to a counting writer, on
// SQLite (and PostgreSQL when its URL is set).
// It reports transactions and records per second and the peak heap during
// the export, which must stay flat from 100,000 to 1,000,000 transactions.
// FREENAHI_BENCH_MAX caps n (default 1,000,000). Setup inserts the rows
// first and is not timed.
// Run: go test ./export -run '^$' -bench ExportFromStore -benchtime=1x
func BenchmarkExportFromStore(b *testing.B) {
	max := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("FREENAHI_BENCH_MAX")); err == nil && v > 0 {
		max = v
	}
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		for _, n := range []int{100_000, 1_000_000} {
			if n > max {
				continue
			}
			b.Run(fmt.Sprintf("%s/%d", engine, n), func(b *testing.B) {
				s := storetest.MustOpen(b, engine)
				f := MustFixture(b, s, "bench@example.com", 70, testIBAN)
				last := fillAccount(b, f, n)
				// CFONB is the reference the XML formats are measured beside,
				// in the same run, on the same rows.
				for _, format := range []string{freenahi.FormatCFONB, freenahi.FormatCamt053, freenahi.FormatOFX} {
					b.Run(format, func(b *testing.B) {
						req := freenahi.StatementRequest{UserID: f.user.ID, AccountID: f.account.ID,
							From: freenahi.Date{Year: 2020, Month: 1, Day: 1}, To: last, Format: format}
						benchExport(b, s, req, n)
					})
				}
			})
		}
	}
}

// benchExport exports req to a counting writer and reports transactions
// per second, CFONB records per second (122-byte records; for the XML
// formats one entry per transaction) and the peak heap during the export.
func benchExport(b *testing.B, s *store.Store, req freenahi.StatementRequest, n int) {
	ex := &export.Exporter{Source: s}
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	peak, stop := sampleHeap()
	var records int64
	b.ResetTimer()
	for b.Loop() {
		cw := &countingWriter{}
		if _, err := ex.ExportStatement(ctx, cw, req); err != nil {
			b.Fatal(err)
		}
		if req.Format == freenahi.FormatCFONB {
			records += cw.n / 122
		} else {
			records += int64(n)
		}
	}
	b.StopTimer()
	stop()
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "transactions/s")
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(peak.Load()-int64(base.HeapAlloc))/(1<<20), "peak-heap-MiB")
}

// fillAccount stores n booked transactions in batches of 50,000 and returns
// the last date.
func fillAccount(b *testing.B, f *fixture, n int) freenahi.Date {
	b.Helper()
	day := freenahi.Date{Year: 2020, Month: 1, Day: 1}
	labels := []string{"CB CARREFOUR MARKET 12/03", "VIR SEPA RECU ACME SAS FACT 2026-0042 REGLEMENT", "PRLV SEPA EDF", "FRAIS TENUE DE COMPTE"}
	types := []string{"card", "transfer", "order", "bank"}
	var balance int64
	for done := 0; done < n; {
		k := min(50_000, n-done)
		txs := make([]*freenahi.Transaction, k)
		for i := range txs {
			j := done + i
			if j%550 == 0 && j > 0 {
				day = day.AddDays(1)
			}
			t := tx(int64(j+1), day.String(), int64(-(j%9000)-1), types[j%4], labels[j%4])
			if j%4 == 1 {
				t.ValueMinor = -t.ValueMinor
				t.Counterparty = &freenahi.Counterparty{Label: "ACME SAS"}
			}
			balance += t.ValueMinor
			txs[i] = t
		}
		f.sync(b, balance, txs...)
		done += k
	}
	return day
}

// sampleHeap records the largest live heap seen until stop is called.
func sampleHeap() (*atomic.Int64, func()) {
	var peak atomic.Int64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if v := int64(ms.HeapAlloc); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return &peak, func() { close(done); <-finished }
}

// countingWriter counts bytes and drops them.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)
