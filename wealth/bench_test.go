package wealth_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
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
			q := freenahi.NetWorthQuery{UserID: env.userID, Interval: freenahi.IntervalMonth, To: freenahi.Date{Year: 2026, Month: 12, Day: 6}}
			b.Run("Warm", func(b *testing.B) {
				svc := &wealth.Service{Accounts: env.s, Source: env.s}
				if _, err := svc.NetWorth(context.Background(), q); err != nil { // fills the cache
					b.Fatal(err)
				}
				runClients(b, 8, func() error { _, err := svc.NetWorth(context.Background(), q); return err })
			})
			b.Run("Cold", func(b *testing.B) {
				runClients(b, 0, func() error {
					svc := &wealth.Service{Accounts: env.s, Source: env.s}
					_, err := svc.NetWorth(context.Background(), q)
					return err
				})
			})
			b.Run("Reference/count", func(b *testing.B) {
				runClients(b, 8, func() error {
					var n int64
					return env.db.QueryRow(`SELECT count(*) FROM transactions WHERE user_id = $1`, env.userID).Scan(&n)
				})
			})
			b.Run("Reference/scan", func(b *testing.B) {
				runClients(b, 0, func() error {
					rows, err := env.db.Query(`SELECT account_id, date, sum_minor FROM transaction_days WHERE user_id = $1`, env.userID)
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
// reports latencies.
func runClients(b *testing.B, parallelism int, fn func() error) {
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

func reportLatencies(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// benchEnv is a store holding the benchmark's person, and a plain
// connection to its database for the references.
type benchEnv struct {
	s      *store.Store
	userID int64
	db     *sql.DB
	err    error
}

var benchEnvs = map[store.Engine]*benchEnv{}

// benchStore builds the data once per engine and test binary: 200 accounts
// (checking, savings, PEA, mortgage in turn) with a snapshot a month over
// three years, and the transactions spread over them and the three years,
// inserted in one statement (the triggers keep the day sums as it runs).
func benchStore(b *testing.B, engine store.Engine) *benchEnv {
	b.Helper()
	if env := benchEnvs[engine]; env != nil {
		if env.err != nil {
			b.Fatal(env.err)
		}
		return env
	}
	env := &benchEnv{}
	benchEnvs[engine] = env
	env.err = buildBench(b, env, engine)
	if env.err != nil {
		b.Fatal(env.err)
	}
	return env
}

func buildBench(b *testing.B, env *benchEnv, engine store.Engine) error {
	rows := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("FREENAHI_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	ctx := context.Background()
	url := storetest.URL(b, engine)
	s, err := store.Open(ctx, url, store.Options{Secrets: storetest.Key(b), Migrate: true})
	if err != nil {
		return err
	}
	b.Cleanup(func() { s.Close() })
	u, err := s.CreateUser(ctx, "ana@example.com", "")
	if err != nil {
		return err
	}
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 42, Token: "t"}); err != nil {
		return err
	}
	types := []string{"checking", "livret_a", "pea", "mortgage"}
	webtest.MustSync(b, s, 42, func(ctx context.Context, w freenahi.SyncWriter) error {
		c := &freenahi.Connection{PowensID: 1}
		if err := w.UpsertConnection(ctx, c); err != nil {
			return err
		}
		for i := range 200 {
			bal := int64(100000 * i)
			a := &freenahi.Account{ConnectionID: c.ID, PowensID: int64(i + 1), PowensConnectionID: 1, Type: types[i%4],
				Name: fmt.Sprint("Account ", i), Currency: freenahi.Currency{Code: "EUR", Exponent: 2}, BalanceMinor: &bal}
			if err := w.UpsertAccount(ctx, a); err != nil {
				return err
			}
			for m := range 36 { // a snapshot a month
				at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC).AddDate(0, -m, 0)
				if err := w.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: a.ID, At: at, BalanceMinor: bal - int64(m)*1000}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	driver, target := "sqlite", ""
	if e, t := store.ParseURL(url); e == store.Postgres {
		driver, target = "pgx", t
	} else {
		target = t + "?_pragma=busy_timeout(10000)"
		if !strings.HasPrefix(target, "file:") {
			target = "file:" + target
		}
	}
	db, err := sql.Open(driver, target)
	if err != nil {
		return err
	}
	b.Cleanup(func() { db.Close() })
	day := `CAST(strftime('%Y%m%d', date('2026-12-06', '-' || (i % 1096) || ' days')) AS INTEGER)`
	seq := `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $2) `
	from := `FROM seq`
	if engine == store.Postgres {
		day = `CAST(to_char(DATE '2026-12-06' - CAST(i % 1096 AS INTEGER), 'YYYYMMDD') AS INTEGER)`
		seq, from = ``, `FROM generate_series(1, $2) AS i`
	}
	if _, err := db.Exec(seq+`INSERT INTO transactions (user_id, account_id, powens_id, date, value_minor, original_wording,
			simplified_wording, search_text, coming, active, created_at, updated_at)
		SELECT $1, (SELECT MIN(id) FROM accounts) + i % 200, 10000000 + i, `+day+`,
			-(i % 9973), 'BULK', 'BULK', 'bulk', FALSE, TRUE, 0, 0 `+from, u.ID, rows); err != nil {
		return err
	}
	if _, err := db.Exec(`ANALYZE`); err != nil {
		return err
	}
	env.s, env.userID, env.db = s, u.ID, db
	return nil
}
