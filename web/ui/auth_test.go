package ui_test

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

func TestUI_Setup(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	c := webtest.NewClient(t, ts.URL)

	r := c.Get("/")
	if webtest.MustStatus(t, r, http.StatusSeeOther); r.Header.Get("Location") != "/setup" {
		t.Fatalf("home without users → %q, want /setup", r.Header.Get("Location"))
	}
	r = c.Get("/signin")
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/setup" {
		t.Fatalf("sign-in without users → %d %q, want setup", r.Status, r.Header.Get("Location"))
	}
	r = c.Get("/setup")
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, `<label for="email">`, `<label for="password">`, `<label for="confirm">`)

	t.Run("Refusals", func(t *testing.T) {
		r := c.Post("/setup", url.Values{"email": {"ana@example.com"}, "password": {"short"}, "confirm": {"short"}})
		webtest.MustStatus(t, r, http.StatusBadRequest)
		webtest.MustContain(t, r, "at least 10 characters")
		for pw, why := range map[string]string{
			"aaaaaaaaaa":  "This password repeats characters or a pattern (such as aaaa or abcabc)",
			"azertyuiop":  "This password is one of the most common ones",
			"abcdefghijk": "This password is a sequence (such as abcdef or 123456)",
		} {
			r = c.Post("/setup", url.Values{"email": {"ana@example.com"}, "password": {pw}, "confirm": {pw}})
			webtest.MustStatus(t, r, http.StatusBadRequest)
			webtest.MustContain(t, r, why)
		}
		if n, _ := s.CountUsers(ctx); n != 0 {
			t.Fatalf("%d users after refused setups", n)
		}
		r = c.Post("/setup", url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}, "confirm": {"other password!"}})
		webtest.MustStatus(t, r, http.StatusBadRequest)
		webtest.MustContain(t, r, "The two passwords differ.")
		r = c.Post("/setup", url.Values{"email": {"not an address"}, "password": {webtest.Password}, "confirm": {webtest.Password}})
		webtest.MustStatus(t, r, http.StatusBadRequest)
	})

	r = c.Post("/setup", url.Values{"email": {"Ana@Example.com"}, "password": {webtest.Password}, "confirm": {webtest.Password}})
	webtest.MustStatus(t, r, http.StatusSeeOther)
	r = c.Follow(r)
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "Your account is ready", "Sign out")

	t.Run("OnlyWhileNoUser", func(t *testing.T) {
		other := webtest.NewClient(t, ts.URL)
		webtest.MustStatus(t, other.Get("/setup"), http.StatusNotFound)
		other.Get("/signin")
		r := other.Post("/setup", url.Values{"email": {"eve@example.com"}, "password": {webtest.Password}, "confirm": {webtest.Password}})
		webtest.MustStatus(t, r, http.StatusNotFound)
		if n, _ := s.CountUsers(ctx); n != 1 {
			t.Fatalf("users=%d after a late setup, want 1", n)
		}
	})
}

func TestUI_SignInAndOut(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	webtest.MustUserWithPassword(t, s, "ana@example.com")
	c := webtest.NewClient(t, ts.URL)

	r := c.Get("/accounts")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/signin?next=%2Faccounts") {
		t.Fatalf("anonymous /accounts → %d %q", r.Status, r.Header.Get("Location"))
	}
	r = c.Get("/signin?next=/transactions")
	webtest.MustContain(t, r, `name="next" value="/transactions"`)
	r = c.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {"wrong password"}, "next": {"/transactions"}})
	webtest.MustStatus(t, r, http.StatusUnauthorized)
	webtest.MustContain(t, r, "Wrong e-mail address or password.")
	r = c.Post("/signin", url.Values{"email": {"ANA@example.com"}, "password": {webtest.Password}, "next": {"/transactions"}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/transactions" {
		t.Fatalf("sign-in → %d %q", r.Status, r.Header.Get("Location"))
	}
	// The session, and the device cookie that keeps the owner's browser out
	// of strangers' sign-in throttling.
	cookies := map[string]string{}
	for _, c := range r.Header.Values("Set-Cookie") {
		name, _, _ := strings.Cut(c, "=")
		cookies[name] = c
	}
	for _, name := range []string{"freenahi_session", "freenahi_device"} {
		cookie := cookies[name]
		for _, attr := range []string{name + "=", "HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(cookie, attr) {
				t.Errorf("cookie %q lacks %s", cookie, attr)
			}
		}
		if strings.Contains(cookie, "Secure") {
			t.Errorf("cookie over plain HTTP is Secure: %q", cookie)
		}
	}
	r = c.Get("/transactions")
	webtest.MustStatus(t, r, http.StatusOK)

	t.Run("NextStaysOnSite", func(t *testing.T) {
		c2 := webtest.NewClient(t, ts.URL)
		c2.Get("/signin")
		r := c2.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}, "next": {"//evil.example/"}})
		if r.Header.Get("Location") != "/accounts" {
			t.Fatalf("next=//evil.example → %q, want /accounts", r.Header.Get("Location"))
		}
	})

	r = c.Post("/signout", nil)
	webtest.MustStatus(t, r, http.StatusSeeOther)
	r = c.Get("/accounts")
	if r.Status != http.StatusSeeOther {
		t.Fatalf("after sign-out /accounts answered %d", r.Status)
	}
}

func TestUI_SecureCookie(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	webtest.MustUserWithPassword(t, s, "ana@example.com")
	for name, tc := range map[string]struct {
		trusted bool
		secure  bool
	}{"TrustedProxy": {true, true}, "UntrustedPeer": {false, false}} {
		t.Run(name, func(t *testing.T) {
			ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) {
				if tc.trusted {
					srv.TrustedProxies = mustPrefixes("127.0.0.0/8", "::1/128")
				}
			})
			c := webtest.NewClient(t, ts.URL)
			c.Get("/signin")
			form := url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}, "csrf": {c.CSRF}}
			req, _ := http.NewRequest("POST", ts.URL+"/signin", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-Proto", "https")
			r := c.Do(req)
			webtest.MustStatus(t, r, http.StatusSeeOther)
			if got := strings.Contains(r.Header.Get("Set-Cookie"), "Secure"); got != tc.secure {
				t.Fatalf("Secure=%v, want %v: %q", got, tc.secure, r.Header.Get("Set-Cookie"))
			}
		})
	}
}

func TestUI_CSRF(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	c := webtest.NewClient(t, ts.URL)
	c.SignIn("ana@example.com")

	send := func(form url.Values, headers map[string]string) *webtest.Page {
		req, _ := http.NewRequest("POST", ts.URL+"/settings/tokens", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		return c.Do(req)
	}
	good := c.CSRF
	for name, tc := range map[string]struct {
		form    url.Values
		headers map[string]string
	}{
		"CrossSite":    {url.Values{"name": {"x"}, "csrf": {good}}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		"OtherOrigin":  {url.Values{"name": {"x"}, "csrf": {good}}, map[string]string{"Origin": "https://evil.example"}},
		"MissingToken": {url.Values{"name": {"x"}}, map[string]string{"Sec-Fetch-Site": "same-origin"}},
		"WrongToken":   {url.Values{"name": {"x"}, "csrf": {good + "x"}}, map[string]string{"Sec-Fetch-Site": "same-origin"}},
	} {
		t.Run(name, func(t *testing.T) {
			r := send(tc.form, tc.headers)
			webtest.MustStatus(t, r, http.StatusForbidden)
			if tokens, _ := s.FindAPITokens(ctx, u.ID); len(tokens) != 0 {
				t.Fatalf("a refused post created tokens: %d", len(tokens))
			}
		})
	}
	t.Run("SameSiteWithToken", func(t *testing.T) {
		r := send(url.Values{"name": {"x"}, "csrf": {good}}, map[string]string{"Sec-Fetch-Site": "same-origin"})
		webtest.MustStatus(t, r, http.StatusCreated)
	})
	t.Run("SignInForm", func(t *testing.T) {
		anon := webtest.NewClient(t, ts.URL)
		anon.Get("/signin")
		r := anon.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}, "csrf": {"forged"}})
		webtest.MustStatus(t, r, http.StatusForbidden)
	})
}

// outageUsers is the store with its user lookup failing, as during a
// database outage.
type outageUsers struct{ *store.Store }

func (outageUsers) FindUserByEmail(context.Context, string) (*freenahi.User, error) {
	return nil, errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
}

// TestUI_SignInDuringOutage: a database failure is not a wrong password:
// the person is told something failed on our side, and nothing counts
// against their sign-in attempts.
func TestUI_SignInDuringOutage(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	webtest.MustUserWithPassword(t, s, "ana@example.com")
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) { srv.Users = outageUsers{s} })
	c := webtest.NewClient(t, ts.URL)
	c.Get("/signin")
	for range 7 { // more than the per-e-mail limit
		r := c.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}})
		webtest.MustStatus(t, r, http.StatusInternalServerError)
		if strings.Contains(r.Body, "Wrong e-mail or password") || strings.Contains(r.Body, "Too many failed attempts") {
			t.Fatalf("an outage answered as a refused password:\n%s", webtest.Excerpt(r.Body))
		}
		webtest.MustContain(t, r, "Something went wrong on our side.")
		// The request id goes to the logs and the X-Request-Id header, for
		// whoever runs the server, not on the person's page.
		if r.Header.Get("X-Request-Id") == "" || strings.Contains(r.Body, r.Header.Get("X-Request-Id")) {
			t.Fatalf("request id %q: want it in the header only:\n%s", r.Header.Get("X-Request-Id"), webtest.Excerpt(r.Body))
		}
	}
}

func mustPrefixes(list ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range list {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}
