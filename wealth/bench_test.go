package wealth_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
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
// and 1,000,000 transactions on SQLite, from 16 concurrent clients, and
// reports p50 and p99. BenchmarkNetWorth_Reference sums the same
// transactions in one query, the floor of any history built from them.
//
//	go test ./wealth -run '^$' -bench NetWorth -benchtime 200x
func BenchmarkNetWorth(b *testing.B) {
	svc, userID, _ := benchStore(b)
	q := freenahi.NetWorthQuery{UserID: userID, Interval: freenahi.IntervalMonth, To: freenahi.Date{Year: 2026, Month: 12, Day: 6}}
	runClients(b, func() error { _, err := svc.NetWorth(context.Background(), q); return err })
}

func BenchmarkNetWorth_Reference(b *testing.B) {
	_, userID, db := benchStore(b)
	runClients(b, func() error {
		var sum int64
		return db.QueryRow(`SELECT COALESCE(SUM(value_minor), 0) FROM transactions WHERE user_id = $1`, userID).Scan(&sum)
	})
}

// runClients runs fn b.N times from 16 goroutines and reports latencies.
func runClients(b *testing.B, fn func() error) {
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(8) // 16 clients on 2 CPUs
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
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}

var bench struct {
	once   sync.Once
	svc    *wealth.Service
	userID int64
	db     *sql.DB
	err    error
}

// benchStore builds the data once per test binary.
func benchStore(b *testing.B) (*wealth.Service, int64, *sql.DB) {
	b.Helper()
	bench.once.Do(func() {
		rows := 1_000_000
		if n, err := strconv.Atoi(os.Getenv("FREENAHI_BENCH_ROWS")); err == nil && n > 0 {
			rows = n
		}
		dir, err := os.MkdirTemp("", "freenahi-bench-")
		if err != nil {
			bench.err = err
			return
		}
		dbURL := "sqlite:" + dir + "/freenahi.db"
		s, err := store.Open(context.Background(), dbURL, store.Options{Secrets: storetest.Key(b), Migrate: true})
		if err != nil {
			bench.err = err
			return
		}
		u, _ := s.CreateUser(context.Background(), "ana@example.com", "")
		if _, err := s.LinkPowensUser(context.Background(), freenahi.PowensUser{UserID: u.ID, PowensUserID: 42, Token: "t"}); err != nil {
			bench.err = err
			return
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
		db, err := sql.Open("sqlite", "file:"+dir+"/freenahi.db?_pragma=busy_timeout(10000)")
		if err != nil {
			bench.err = err
			return
		}
		_, bench.err = db.Exec(`
			WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $3)
			INSERT INTO transactions (user_id, account_id, powens_id, date, value_minor, original_wording,
				simplified_wording, search_text, coming, active, created_at, updated_at)
			SELECT $1, (SELECT MIN(id) FROM accounts) + i % 200, 10000000 + i,
				CAST(strftime('%Y%m%d', date('2026-12-06', '-' || (i % 1096) || ' days')) AS INTEGER),
				-(i % 9973), 'BULK', 'BULK', 'bulk', FALSE, TRUE, 0, 0
			FROM seq`, u.ID, 0, rows)
		if bench.err == nil {
			_, bench.err = db.Exec(`ANALYZE`)
		}
		bench.svc, bench.userID, bench.db = &wealth.Service{Accounts: s, Source: s}, u.ID, db
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.svc, bench.userID, bench.db
}
