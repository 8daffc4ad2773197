package wealth_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/wealth"
	"github.com/freenahi/freenahi/web/webtest"
)

// BenchmarkNetWorth reads a person's whole net-worth history (monthly
// points, every account rebuilt daily over three years) with 200 accounts
// and 1,000,000 transactions, on SQLite and PostgreSQL, from 16 concurrent
// clients, and reports p50 and p99:
//
//   - Warm: the steady state, the data unchanged since the last request
//     (the service checks the per-account versions, then serves from memory).
//
//   - Cold: a new service each time, which reads every day sum and rebuilds
//     every daily balance (3 years × 200 accounts), one client.
//
//   - Reference: the driver's raw rate over the same data, in the same run:
//     Reference/count counts the user's transactions (16 clients, like
//     Warm), Reference/scan reads the day sums the cold path reads (one
//     client, like Cold).
//
//     go test ./wealth -run '^$' -bench NetWorth -benchtime 400x
//
// FREENAHI_BENCH_ROWS changes the number of transactions.
func BenchmarkNetWorth(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			env := benchStore(b, engine)
			q := freenahi.NetWorthQuery{UserID: env.UserID, Interval: freenahi.IntervalMonth, To: freenahi.Date{Year: 2026, Month: 12, Day: 6}}
			b.Run("Warm", func(b *testing.B) {
				svc := &wealth.Service{Accounts: env.Store, Source: env.Store}
				if _, err := svc.NetWorth(context.Background(), q); err != nil { // fills the cache
					b.Fatal(err)
				}
				runClients(b, 8, func() error { _, err := svc.NetWorth(context.Background(), q); return err })
			})
			b.Run("Cold", func(b *testing.B) {
				runClients(b, 0, func() error {
					svc := &wealth.Service{Accounts: env.Store, Source: env.Store}
					_, err := svc.NetWorth(context.Background(), q)
					return err
				})
			})
			b.Run("Reference/count", func(b *testing.B) {
				runClients(b, 8, func() error {
					var n int64
					return env.DB.QueryRow(`SELECT count(*) FROM transactions WHERE user_id = $1`, env.UserID).Scan(&n)
				})
			})
			b.Run("Reference/scan", func(b *testing.B) {
				runClients(b, 0, func() error {
					rows, err := env.DB.Query(`SELECT account_id, date, sum_minor FROM transaction_days WHERE user_id = $1`, env.UserID)
					if err != nil {
						return err
					}
					defer rows.Close()
					var a, d, m int64
					for rows.Next() {
						if err := rows.Scan(&a, &d, &m); err != nil {
							return err
						}
					}
					return rows.Err()
				})
			})
		})
	}
}

// runClients runs fn b.N times from parallelism × GOMAXPROCS goroutines
// (8: 16 clients on 2 CPUs), or from one when parallelism is 0, and
// reports latencies and this process's CPU per call.
func runClients(b *testing.B, parallelism int, fn func() error) {
	cpu0 := processCPU(b)
	defer func() {
		b.ReportMetric(float64((processCPU(b)-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}()
	var mu sync.Mutex
	var lat []time.Duration
	if parallelism == 0 {
		b.ResetTimer()
		for range b.N {
			start := time.Now()
			if err := fn(); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
		reportLatencies(b, lat)
		return
	}
	b.SetParallelism(parallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			start := time.Now()
			if err := fn(); err != nil {
				b.Error(err)
				return
			}
			mu.Lock()
			lat = append(lat, time.Since(start))
			mu.Unlock()
		}
	})
	reportLatencies(b, lat)
}

// processCPU is the CPU time this process has used (user and system): on
// a machine loaded by others, CPU per operation moves less than latencies.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportLatencies(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}

var benchEnvs = map[store.Engine]*webtest.WealthBench{}

// benchStore builds the data once per engine and test binary.
func benchStore(b *testing.B, engine store.Engine) *webtest.WealthBench {
	b.Helper()
	if env := benchEnvs[engine]; env != nil {
		return env
	}
	rows := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("FREENAHI_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	env := webtest.MustWealthBench(b, engine, rows)
	benchEnvs[engine] = env
	return env
}
