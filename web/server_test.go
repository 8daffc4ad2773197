package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
)

// panickyUsers panics where a token is checked: a bug deep in a handler.
type panickyUsers struct{ *store.Store }

func (panickyUsers) AuthenticateAPIToken(context.Context, string) (*freenahi.User, error) {
	panic("a bug")
}

func get(t *testing.T, h http.Handler, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Result(), string(b)
}

// TestServer_Wiring: the one server answers each kind of route the way it
// should — the API with problem documents, the UI with pages — recovers from
// a panic without leaking it, and reports the database's readiness.
func TestServer_Wiring(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	srv := &web.Server{Users: panickyUsers{s}, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s, Sessions: s,
		Ping: func(context.Context) error { return errors.New("connection refused") }}
	h := srv.Handler()

	res, body := get(t, h, "/api/v1/accounts", "Authorization", "Bearer x", "X-Request-Id", "req-12345678")
	if res.StatusCode != 500 || res.Header.Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(body, "req-12345678") || strings.Contains(body, "a bug") {
		t.Errorf("panic: %d %s %s; want a 500 problem with the request id and no cause", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if res, _ := get(t, h, "/readyz"); res.StatusCode != 503 {
		t.Errorf("/readyz with the database down: %d, want 503", res.StatusCode)
	}
	if res, body := get(t, h, "/api/v1/nope"); res.StatusCode != 404 || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("unknown API route: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	res, body = get(t, h, "/nope")
	if res.StatusCode != 404 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "<main") {
		t.Errorf("unknown page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("a page without the security headers: CSP %q", csp)
	}
	// A request id that is not well formed is replaced, never echoed.
	res, _ = get(t, h, "/healthz", "X-Request-Id", "<script>")
	if id := res.Header.Get("X-Request-Id"); id == "" || strings.Contains(id, "<") {
		t.Errorf("request id %q", id)
	}

	// Without sessions, the server has no UI: pages are not found as problems.
	api := (&web.Server{Users: s, Inbox: s}).Handler()
	if res, _ := get(t, api, "/accounts"); res.StatusCode != 404 || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("an API-only server answered a page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
