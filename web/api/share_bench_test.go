package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// BenchmarkShareTransactions serves the first page of GET
// /api/v1/transactions (limit 50) with FREENAHI_BENCH_ROWS (200,000)
// transactions on Ana's checking account, which she shares with Bob: as
// Ana (the owner: the plain user_id condition, the reference) and as Bob
// (his own fixture transactions or those of the shared account).
//
//	go test ./web/api -run '^$' -bench ShareTransactions -benchtime 300x
func BenchmarkShareTransactions(b *testing.B) {
	rows := 200_000
	if n, err := strconv.Atoi(os.Getenv("FREENAHI_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	dbURL := storetest.URL(b, store.SQLite)
	s, err := store.Open(ctx, dbURL, store.Options{Secrets: storetest.Key(b), Migrate: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ana, _ := s.CreateUser(ctx, "ana@example.com", "")
	bob, _ := s.CreateUser(ctx, "bob@example.com", "")
	anaToken := webtest.MustAddData(b, s, ana, 42).Token
	bobToken := webtest.MustAddData(b, s, bob, 43).Token
	webtest.MustBulkTransactions(b, dbURL, ana.ID, rows)
	accounts, _ := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: ana.ID})
	if _, err := s.ShareAccount(ctx, freenahi.ShareInput{OwnerID: ana.ID, AccountID: accounts[0].ID, Email: "bob@example.com",
		Access: freenahi.ShareRead}); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer((&web.Server{Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s}).Handler())
	b.Cleanup(srv.Close)
	for _, bc := range []struct{ name, token, query string }{
		{"OwnerFirstPage", anaToken, ""},
		{"GranteeFirstPage", bobToken, ""},
		{"OwnerSearch", anaToken, "&q=bulk+1999"},
		{"GranteeSearch", bobToken, "&q=bulk+1999"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				req, _ := http.NewRequest("GET", srv.URL+"/api/v1/transactions?limit=50"+bc.query, nil)
				req.Header.Set("Authorization", "Bearer "+bc.token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
		})
	}
}
