package ui_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/wealth"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// BenchmarkDashboard serves the dashboard page (net worth, its daily
// chart, connections, latest and coming transactions) and GET
// /api/v1/networth through the whole handler (session or token, store,
// template or JSON) to 16 concurrent clients, with 200 accounts and
// 1,000,000 transactions stored over three years, on both engines, and
// reports p50 and p99. The data is unchanged between requests, as between
// two syncs; BenchmarkNetWorth (package wealth) measures the first request
// after a change. Reference: the transactions page's first page, served
// the same way in the same run.
//
//	go test ./web/ui -run '^$' -bench Dashboard -benchtime 4000x
//
// FREENAHI_BENCH_ROWS changes the row count.
func BenchmarkDashboard(b *testing.B) {
	rows := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("FREENAHI_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			env := webtest.MustWealthBench(b, engine, rows)
			s := env.Store
			// Wired as cmd/freenahi wires them: the page also reads budgets
			// and assets.
			srv := &web.Server{Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s, Sessions: s,
				Spending: s, Assets: s, History: &wealth.Service{Accounts: s, Source: s, Assets: s}}
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
				{"Page", "/"},
				{"API", "/api/v1/networth"},
				{"Reference/TransactionsPage", "/transactions"},
			} {
				b.Run(bc.name, func(b *testing.B) {
					get := func() {
						req := httptest.NewRequest("GET", bc.path, nil)
						req.AddCookie(&http.Cookie{Name: "freenahi_session", Value: session})
						if bc.name == "API" {
							req.Header.Set("Authorization", "Bearer "+token.Secret)
						}
						w := newSocketWriter()
						h.ServeHTTP(w, req)
						if w.Code != http.StatusOK {
							b.Fatalf("%s: status %d: %s", bc.path, w.Code, w.Excerpt())
						}
					}
					get() // the first request after the data was written fills the cache
					serveConcurrently(b, get)
				})
			}
		})
	}
}
