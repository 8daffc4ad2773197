package ui_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// BenchmarkReportsConcurrent serves the reports page (its default: the last
// twelve months) and the spending and cash-flow reports of the API (a year
// and a month) through the whole handler to 16 concurrent clients, with 200
// accounts and 1,000,000 transactions over three years (a year is a third
// of them), spread over 300 payees and the person's categories, about 1 %
// marked as transfers, on both engines, and reports p50 and p99.
// Reference, same run and clients: counting the person's transactions.
// Each also reports this process's CPU time per request (cpu-ms/op).
//
//	go test ./web/ui -run '^$' -bench ReportsConcurrent -benchtime 20x
//
// FREENAHI_BENCH_ROWS changes the row count.
func BenchmarkReportsConcurrent(b *testing.B) {
	rows := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("FREENAHI_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			env := webtest.MustWealthBench(b, engine, rows)
			s := env.Store
			// Categories and payees as a person's data has them: the
			// seeded tree's ids are consecutive.
			if _, err := env.DB.Exec(`UPDATE transactions SET payee = 'Payee ' || (id % 300),
				category_id = (SELECT MIN(id) FROM categories WHERE user_id = $1) + id % 40, transfer = (id % 101 = 0)
				WHERE user_id = $1`, env.UserID); err != nil {
				b.Fatal(err)
			}
			vacuum := `ANALYZE`
			if engine == store.Postgres {
				vacuum = `VACUUM ANALYZE transactions` // as autovacuum leaves it after a large write
			}
			if _, err := env.DB.Exec(vacuum); err != nil {
				b.Fatal(err)
			}
			srv := &web.Server{Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s, Sessions: s, Spending: s}
			h := srv.Handler()
			session, err := s.CreateSession(ctx, env.UserID, time.Hour, time.Hour)
			if err != nil {
				b.Fatal(err)
			}
			token, err := s.CreateAPIToken(ctx, env.UserID, "bench")
			if err != nil {
				b.Fatal(err)
			}
			for _, bc := range []struct{ name, path string }{
				{"Page", "/reports"},
				{"API/spending-year", "/api/v1/reports/spending?from=2025-12-01&to=2026-11-30"},
				{"API/cashflow-year", "/api/v1/reports/cashflow?from=2025-12-01&to=2026-11-30"},
				{"API/spending-month", "/api/v1/reports/spending?from=2026-11-01&to=2026-11-30"},
				{"Reference/count", ""},
			} {
				b.Run(bc.name, func(b *testing.B) {
					get := func() {
						if bc.path == "" {
							var n int64
							if err := env.DB.QueryRow(`SELECT count(*) FROM transactions WHERE user_id = $1`, env.UserID).Scan(&n); err != nil {
								b.Fatal(err)
							}
							return
						}
						req := httptest.NewRequest("GET", bc.path, nil)
						req.AddCookie(&http.Cookie{Name: "freenahi_session", Value: session})
						req.Header.Set("Authorization", "Bearer "+token.Secret)
						w := newSocketWriter()
						h.ServeHTTP(w, req)
						if w.Code != http.StatusOK {
							b.Fatalf("%s: status %d: %s", bc.path, w.Code, w.Excerpt())
						}
					}
					get()
					serveConcurrently(b, get)
				})
			}
		})
	}
}

// socketWriter is a ResponseWriter that sends the body nowhere, as a
// server's writes go to a 4 KB buffer and the socket: httptest's recorder
// keeps every body whole, some 80 KB a dashboard, which was two thirds of
// what a benchmark of a cached page allocated and collected, the test's
// garbage slowing the server under test. It keeps the status and the
// body's first 512 bytes, for the message of a failure.
type socketWriter struct {
	header http.Header
	Code   int
	head   []byte
}

func newSocketWriter() *socketWriter {
	return &socketWriter{header: http.Header{}, Code: http.StatusOK}
}

func (w *socketWriter) Header() http.Header  { return w.header }
func (w *socketWriter) WriteHeader(code int) { w.Code = code }

func (w *socketWriter) Write(b []byte) (int, error)       { return keepHead(w, b) }
func (w *socketWriter) WriteString(s string) (int, error) { return keepHead(w, s) }

// keepHead keeps what of p fits in the first 512 bytes of the body.
func keepHead[T string | []byte](w *socketWriter, p T) (int, error) {
	if n := min(len(p), 512-len(w.head)); n > 0 {
		w.head = append(w.head, p[:n]...)
	}
	return len(p), nil
}

// Excerpt is the start of the body, for a failure's message.
func (w *socketWriter) Excerpt() string { return string(w.head) }

// warmUpRounds is how many untimed requests each client makes first.
const warmUpRounds = 8

// processCPU is the CPU time (user and system) this process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serveConcurrently calls get from 16 concurrent clients (8 per CPU on this
// 2-core kind of machine) for b.N requests in all, and reports the p50 and
// p99 latencies and this process's CPU time per request: on a loaded
// machine the latencies measure the machine as much as the code.
//
// The clients first make warmUpRounds requests each, untimed: the first
// requests of a new server open the database pool's connections (a
// PostgreSQL session takes milliseconds to start) and fill SQLite's page
// caches. What is reported is a server in its steady state; use at least
// -benchtime 4000x so that the p99 rests on 40 requests, not 4 (at 400x
// the same binary's p99 moved between 30 and 60 ms from run to run).
func serveConcurrently(b *testing.B, get func()) {
	var warm sync.WaitGroup
	for range 8 * runtime.GOMAXPROCS(0) {
		warm.Go(func() {
			for range warmUpRounds {
				get()
			}
		})
	}
	warm.Wait()
	cpu0 := processCPU(b)
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			start := time.Now()
			get()
			mu.Lock()
			lat = append(lat, time.Since(start))
			mu.Unlock()
		}
	})
	b.StopTimer()
	b.ReportMetric(float64((processCPU(b)-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}
