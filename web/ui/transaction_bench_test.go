package ui_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// BenchmarkUITransactions renders the transactions page through the whole
// handler (session, store query, template) with 1,000,000 transactions
// stored: the first page, a page 900,000 rows deep (keyset, so it should
// cost what the first costs), a text search, a date and amount filter, deep
// pages requested in parallel, and the CSV of one month.
//
//	go test ./web/ui -run '^$' -bench UITransactions -benchtime 200x
//
// FREENAHI_BENCH_ROWS changes the row count.
func BenchmarkUITransactions(b *testing.B) {
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
	srv, _ := newBenchServer(b, s)
	u, err := s.CreateUser(ctx, "ana@example.com", "")
	if err != nil {
		b.Fatal(err)
	}
	webtest.MustAddData(b, s, u, 42)
	start := time.Now()
	deep := webtest.MustBulkTransactions(b, dbURL, u.ID, rows)
	b.Logf("%d transactions stored in %s", rows, time.Since(start).Round(time.Millisecond))
	session, err := s.CreateSession(ctx, u.ID, time.Hour, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, query string }{
		{"FirstPage", ""},
		{"DeepPage", "cursor=" + deep.String()},
		{"Search", "q=bulk+77777"},
		{"Filtered", "from=2024-01-01&to=2024-01-31&min_amount=-50&max_amount=-10"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				benchGet(b, srv, "/transactions?"+bc.query, session)
			}
		})
	}
	// Many people (or tabs) paging at once, on the two cores of this machine.
	b.Run("DeepPageParallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				benchGet(b, srv, "/transactions?cursor="+deep.String(), session)
			}
		})
	})
	b.Run("CSVOneMonth", func(b *testing.B) {
		for b.Loop() {
			benchGet(b, srv, "/transactions.csv?from=2024-01-01&to=2024-01-31", session)
		}
	})
}

// newBenchServer is the UI's handler without a listener: the benchmark
// measures rendering, not the loopback network.
func newBenchServer(b *testing.B, s *store.Store) (http.Handler, *web.Server) {
	srv := &web.Server{Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s, Sessions: s}
	return srv.Handler(), srv
}

func benchGet(b *testing.B, h http.Handler, path, session string) {
	req := httptest.NewRequest("GET", path, nil)
	req.AddCookie(&http.Cookie{Name: "freenahi_session", Value: session})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		b.Fatalf("%s: status %d: %s", path, w.Code, webtest.Excerpt(w.Body.String()))
	}
}
