package ui_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestUI_OpenRedirectWithControlCharacters (issue 10, item 5): browsers drop
// tabs and newlines from a URL and read a backslash as a slash, so a
// Location of "/\t/evil.example" leads to //evil.example. Over HTTP, through
// /lang and /signin, only clean paths of this site come back.
func TestUI_OpenRedirectWithControlCharacters(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts, _ := webtest.NewUIServer(t, s)
		webtest.MustUserWithPassword(t, s, "ana@example.com")
		hostile := []string{"%2F%09%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%0D%2Fevil.example", "%2F%5Cevil.example",
			"%5C%2Fevil.example", "%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%2F%00%2Fevil.example", "%09%2F%2Fevil.example"}
		for _, back := range hostile {
			c := webtest.NewClient(t, ts.URL)
			r := c.Get("/lang/fr?back=" + back)
			if r.Status != http.StatusSeeOther || r.Location() != "/" {
				t.Errorf("/lang/fr?back=%s → %d %q, want 303 to /", back, r.Status, r.Location())
			}
			next, _ := url.QueryUnescape(back)
			c.Get("/signin")
			r = c.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}, "next": {next}})
			if r.Location() != "/accounts" {
				t.Errorf("sign-in with next=%q → %q, want /accounts", next, r.Location())
			}
		}
		// A clean path of the site is kept.
		c := webtest.NewClient(t, ts.URL)
		if r := c.Get("/lang/fr?back=%2Ftransactions%3Faccount%3D3"); r.Location() != "/transactions?account=3" {
			t.Fatalf("clean back path → %q", r.Location())
		}
	})
}

// TestUI_WebviewCallbackErrorHeaders (issue 10, item 12): the callback's
// error pages carry no-store and the security headers of every other page.
func TestUI_WebviewCallbackErrorHeaders(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s) // no Powens configured: the callback fails
	for _, q := range []string{"state=forged&connection_id=1", "error=server_error", "connection_id=abc", ""} {
		r := webtest.NewClient(t, ts.URL).Get("/webview/callback?" + q)
		if r.Status < 400 {
			t.Fatalf("callback ?%s: status %d, want an error page", q, r.Status)
		}
		for k, want := range map[string]string{
			"Cache-Control":          "no-store",
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "same-origin",
		} {
			if got := r.Header.Get(k); got != want {
				t.Errorf("callback ?%s: %s=%q, want %q", q, k, got, want)
			}
		}
		if r.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("callback ?%s: no Content-Security-Policy", q)
		}
	}
}
