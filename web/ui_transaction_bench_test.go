package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
)

// BenchmarkUITransactions renders the transactions page through the whole
// handler (session, store query, template) with 1,000,000 transactions
// stored: the first page, a page 900,000 rows deep (keyset, so it should
// cost what the first costs), a text search, a date and amount filter, deep
// pages requested in parallel, and the CSV of one month.
//
//	go test ./web -run '^$' -bench UITransactions -benchtime 200x
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
	mustBenchFixture(b, s, u.ID)
	start := time.Now()
	deep := mustBulkTransactions(b, dbURL, u.ID, rows)
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
		b.Fatalf("%s: status %d: %s", path, w.Code, excerpt(w.Body.String()))
	}
}

// mustBenchFixture gives the user the fixture's accounts.
func mustBenchFixture(b *testing.B, s *store.Store, userID int64) {
	b.Helper()
	body, err := os.ReadFile("../ingest/testdata/connection_synced.json")
	if err != nil {
		b.Fatal(err)
	}
	pid := int64(42)
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: userID, PowensUserID: pid, Token: "tok"}); err != nil {
		b.Fatal(err)
	}
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "bench", PowensUserID: &pid, Auth: freenahi.AuthHMAC, Body: body}
	if _, err := s.ReceiveEvent(ctx, e); err != nil {
		b.Fatal(err)
	}
	if _, err := (&ingest.Worker{Inbox: s, MaxAttempts: 1}).Drain(ctx); err != nil {
		b.Fatal(err)
	}
}

// mustBulkTransactions inserts n transactions over ten years into the
// user's first account in one statement (the ingest path would take
// minutes), and returns the keyset cursor 90 % deep.
func mustBulkTransactions(b *testing.B, dbURL string, userID int64, n int) freenahi.Cursor {
	b.Helper()
	_, path := store.ParseURL(dbURL)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var account int64
	if err := db.QueryRow(`SELECT MIN(id) FROM accounts WHERE user_id = $1`, userID).Scan(&account); err != nil {
		b.Fatal(err)
	}
	_, err = db.ExecContext(context.Background(), `
		WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $3)
		INSERT INTO transactions (user_id, account_id, powens_id, date, value_minor, original_wording,
			simplified_wording, search_text, coming, active, created_at, updated_at)
		SELECT $1, $2, 10000000 + i,
			CAST(strftime('%Y%m%d', date('2025-01-01', '-' || (i % 3650) || ' days')) AS INTEGER),
			-(i % 9973), 'PRLV BULK ' || i, 'BULK ' || i, 'prlv bulk ' || i || ' bulk ' || i, i % 97 = 0, TRUE, 0, 0
		FROM seq`, userID, account, n)
	if err != nil {
		b.Fatal(err)
	}
	var c freenahi.Cursor
	var date int
	err = db.QueryRow(`SELECT date, id FROM transactions WHERE user_id = $1 ORDER BY date DESC, id DESC LIMIT 1 OFFSET $2`,
		userID, n*9/10).Scan(&date, &c.ID)
	if err != nil {
		b.Fatal(err)
	}
	c.Date = freenahi.DateFromInt(date)
	return c
}
