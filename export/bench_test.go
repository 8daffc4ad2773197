package export_test

import (
	"database/sql"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// BenchmarkExportFromStore measures the whole pipeline, database to file:
// an account with n booked transactions (about 550 a day) exported as CFONB
// (per day), camt.053 and OFX to a counting writer, on SQLite (and
// PostgreSQL when its URL is set).
// The reference, measured first in the same run on the same rows, is
// "scan": the driver alone reading the rows an export reads (the same
// columns and conditions, one query, into reused variables), the fastest
// any export from that database can go. Each sub-benchmark reports records
// and transactions per second of wall time, records per second of this
// process's CPU time (on a loaded machine the wall rate measures the load
// as much as the code; for PostgreSQL the server's CPU is not counted),
// and the peak heap during the export, which must stay flat from 100,000
// to 1,000,000 transactions.
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
				url := storetest.MigratedURL(b, engine)
				s, err := store.Open(ctx, url, store.Options{Secrets: storetest.Key(b), Migrate: true})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { s.Close() })
				f := MustFixture(b, s, "bench@example.com", 70, testIBAN)
				last := fillAccount(b, f, n)
				from := freenahi.Date{Year: 2020, Month: 1, Day: 1}
				b.Run("scan", func(b *testing.B) { benchScan(b, url, f.account.ID, from, last, n) })
				for _, format := range []string{freenahi.FormatCFONB, freenahi.FormatCamt053, freenahi.FormatOFX} {
					b.Run(format, func(b *testing.B) {
						req := freenahi.StatementRequest{UserID: f.user.ID, AccountID: f.account.ID,
							From: from, To: last, Format: format}
						benchExport(b, s, req, n)
					})
				}
			})
		}
	}
}

// benchScan reads the rows of an export with the driver alone, through a
// connection of its own: the reference the exports are measured beside.
func benchScan(b *testing.B, url string, accountID int64, from, to freenahi.Date, n int) {
	engine, target := store.ParseURL(url)
	driver := "pgx"
	if engine == store.SQLite {
		driver = store.SQLiteDriver
	}
	db, err := sql.Open(driver, target)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	m := startMeasure()
	for b.Loop() {
		rows, err := db.QueryContext(ctx, `SELECT t.id, t.powens_id, t.date + 0, t.vdate + 0, t.value_minor, t.type,
			t.original_wording, t.wording, t.simplified_wording, t.counterparty_label FROM transactions t
			WHERE t.account_id = $1 AND t.date >= $2 AND t.date <= $3
			AND t.coming = FALSE AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown'
			ORDER BY t.date, t.id`, accountID, int64(from.Int()), int64(to.Int()))
		if err != nil {
			b.Fatal(err)
		}
		var id, powensID, date, value int64
		var vdate sql.NullInt64
		var typ, original, wording, simplified string
		var counterparty sql.NullString
		got := 0
		for rows.Next() {
			if err := rows.Scan(&id, &powensID, &date, &vdate, &value, &typ, &original, &wording, &simplified, &counterparty); err != nil {
				b.Fatal(err)
			}
			got++
		}
		if err := rows.Err(); err != nil || got != n {
			b.Fatalf("scanned %d rows of %d: %v", got, n, err)
		}
		rows.Close()
	}
	m.report(b, n, int64(n)*int64(b.N))
}

// benchExport exports req to a counting writer and reports its rates, CFONB
// records counting as 120-byte lines; for the XML formats a record is an
// entry, one per transaction.
func benchExport(b *testing.B, s *store.Store, req freenahi.StatementRequest, n int) {
	ex := &export.Exporter{Source: s}
	var records int64
	m := startMeasure()
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
	m.report(b, n, records)
}

// measure samples the heap and the process's CPU time over a benchmark.
type measure struct {
	base    runtime.MemStats
	peak    *atomic.Int64
	stop    func()
	cpuFrom time.Duration
}

func startMeasure() *measure {
	m := &measure{}
	runtime.GC()
	runtime.ReadMemStats(&m.base)
	m.peak, m.stop = sampleHeap()
	m.cpuFrom = cpuTime()
	return m
}

// report stops the clock and reports transactions and records per second
// of wall time, records per CPU second, and the peak heap growth.
func (m *measure) report(b *testing.B, n int, records int64) {
	b.StopTimer()
	cpu := cpuTime() - m.cpuFrom
	m.stop()
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "transactions/s")
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(records)/cpu.Seconds(), "records/cpu-s")
	b.ReportMetric(float64(m.peak.Load()-int64(m.base.HeapAlloc))/(1<<20), "peak-heap-MiB")
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
