package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// BenchmarkAPITransactions serves GET /api/v1/transactions over loopback HTTP
// to 16 concurrent clients with 1,000,000 transactions stored: a page of 50
// with account and date filters, first page and 900,000 rows deep. It
// reports p50 and p99 latency per request.
//
//	go test ./web/api -run '^$' -bench APITransactions -benchtime 5000x
func BenchmarkAPITransactions(b *testing.B) {
	rows := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("FREENAHI_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	dbURL := storetest.URL(b, store.SQLite)
	s, err := store.Open(ctx, dbURL, store.Options{Secrets: storetest.Key(b), Migrate: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	u, _ := s.CreateUser(ctx, "ana@example.com", "")
	token := webtest.MustAddData(b, s, u, 42).Token
	deep := webtest.MustBulkTransactions(b, dbURL, u.ID, rows)
	accounts, _ := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: u.ID})
	srv := httptest.NewServer((&web.Server{Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s}).Handler())
	b.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	base := srv.URL + "/api/v1/transactions?limit=50&account_id=" + strconv.FormatInt(accounts[0].ID, 10) +
		"&from=2015-01-01&to=2025-12-31"
	for _, bc := range []struct{ name, url string }{
		{"FirstPage", base},
		{"DeepPage", base + "&cursor=" + deep.String()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var mu sync.Mutex
			var lat []time.Duration
			b.SetParallelism(8) // 16 clients on 2 CPUs
			b.RunParallel(func(pb *testing.PB) {
				var mine []time.Duration
				for pb.Next() {
					start := time.Now()
					req, _ := http.NewRequest("GET", bc.url, nil)
					req.Header.Set("Authorization", "Bearer "+token)
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
					mine = append(mine, time.Since(start))
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
			slices.Sort(lat)
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			}
		})
	}
}
