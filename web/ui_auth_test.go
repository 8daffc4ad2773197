package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
)

func TestUI_Setup(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := newUIServer(t, s)
	c := newUIClient(t, ts.URL)

	r := c.get("/")
	if mustStatus(t, r, http.StatusSeeOther); r.Header.Get("Location") != "/setup" {
		t.Fatalf("home without users → %q, want /setup", r.Header.Get("Location"))
	}
	r = c.get("/signin")
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/setup" {
		t.Fatalf("sign-in without users → %d %q, want setup", r.Status, r.Header.Get("Location"))
	}
	r = c.get("/setup")
	mustStatus(t, r, http.StatusOK)
	mustContain(t, r, `<label for="email">`, `<label for="password">`, `<label for="confirm">`)

	t.Run("Refusals", func(t *testing.T) {
		r := c.post("/setup", url.Values{"email": {"ana@example.com"}, "password": {"short"}, "confirm": {"short"}})
		mustStatus(t, r, http.StatusBadRequest)
		mustContain(t, r, "at least 10 characters")
		r = c.post("/setup", url.Values{"email": {"ana@example.com"}, "password": {testPassword}, "confirm": {"other password!"}})
		mustStatus(t, r, http.StatusBadRequest)
		mustContain(t, r, "The two passwords differ.")
		r = c.post("/setup", url.Values{"email": {"not an address"}, "password": {testPassword}, "confirm": {testPassword}})
		mustStatus(t, r, http.StatusBadRequest)
	})

	r = c.post("/setup", url.Values{"email": {"Ana@Example.com"}, "password": {testPassword}, "confirm": {testPassword}})
	mustStatus(t, r, http.StatusSeeOther)
	r = c.follow(r)
	mustStatus(t, r, http.StatusOK)
	mustContain(t, r, "Your account is ready", "Sign out")

	t.Run("OnlyWhileNoUser", func(t *testing.T) {
		other := newUIClient(t, ts.URL)
		mustStatus(t, other.get("/setup"), http.StatusNotFound)
		other.get("/signin")
		r := other.post("/setup", url.Values{"email": {"eve@example.com"}, "password": {testPassword}, "confirm": {testPassword}})
		mustStatus(t, r, http.StatusNotFound)
		if n, _ := s.CountUsers(ctx); n != 1 {
			t.Fatalf("users=%d after a late setup, want 1", n)
		}
	})
}

func TestUI_SignInAndOut(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := newUIServer(t, s)
	mustUserWithPassword(t, s, "ana@example.com")
	c := newUIClient(t, ts.URL)

	r := c.get("/accounts")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/signin?next=%2Faccounts") {
		t.Fatalf("anonymous /accounts → %d %q", r.Status, r.Header.Get("Location"))
	}
	r = c.get("/signin?next=/transactions")
	mustContain(t, r, `name="next" value="/transactions"`)
	r = c.post("/signin", url.Values{"email": {"ana@example.com"}, "password": {"wrong password"}, "next": {"/transactions"}})
	mustStatus(t, r, http.StatusUnauthorized)
	mustContain(t, r, "Wrong e-mail address or password.")
	r = c.post("/signin", url.Values{"email": {"ANA@example.com"}, "password": {testPassword}, "next": {"/transactions"}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/transactions" {
		t.Fatalf("sign-in → %d %q", r.Status, r.Header.Get("Location"))
	}
	cookie := r.Header.Get("Set-Cookie")
	for _, attr := range []string{"freenahi_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("session cookie %q lacks %s", cookie, attr)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("cookie over plain HTTP is Secure: %q", cookie)
	}
	r = c.get("/transactions")
	mustStatus(t, r, http.StatusOK)

	t.Run("NextStaysOnSite", func(t *testing.T) {
		c2 := newUIClient(t, ts.URL)
		c2.get("/signin")
		r := c2.post("/signin", url.Values{"email": {"ana@example.com"}, "password": {testPassword}, "next": {"//evil.example/"}})
		if r.Header.Get("Location") != "/accounts" {
			t.Fatalf("next=//evil.example → %q, want /accounts", r.Header.Get("Location"))
		}
	})

	r = c.post("/signout", nil)
	mustStatus(t, r, http.StatusSeeOther)
	r = c.get("/accounts")
	if r.Status != http.StatusSeeOther {
		t.Fatalf("after sign-out /accounts answered %d", r.Status)
	}
}

func TestUI_SecureCookie(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	mustUserWithPassword(t, s, "ana@example.com")
	for name, tc := range map[string]struct {
		trusted bool
		secure  bool
	}{"TrustedProxy": {true, true}, "UntrustedPeer": {false, false}} {
		t.Run(name, func(t *testing.T) {
			ts, _ := newUIServer(t, s, func(srv *web.Server) {
				if tc.trusted {
					srv.TrustedProxies = mustPrefixes("127.0.0.0/8", "::1/128")
				}
			})
			c := newUIClient(t, ts.URL)
			c.get("/signin")
			form := url.Values{"email": {"ana@example.com"}, "password": {testPassword}, "csrf": {c.csrf}}
			req, _ := http.NewRequest("POST", ts.URL+"/signin", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-Proto", "https")
			r := c.do(req)
			mustStatus(t, r, http.StatusSeeOther)
			if got := strings.Contains(r.Header.Get("Set-Cookie"), "Secure"); got != tc.secure {
				t.Fatalf("Secure=%v, want %v: %q", got, tc.secure, r.Header.Get("Set-Cookie"))
			}
		})
	}
}

func TestUI_CSRF(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := newUIServer(t, s)
	u := mustUserWithPassword(t, s, "ana@example.com")
	c := newUIClient(t, ts.URL)
	c.signIn("ana@example.com")

	send := func(form url.Values, headers map[string]string) *uiResponse {
		req, _ := http.NewRequest("POST", ts.URL+"/settings/tokens", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		return c.do(req)
	}
	good := c.csrf
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
			mustStatus(t, r, http.StatusForbidden)
			if tokens, _ := s.FindAPITokens(ctx, u.ID); len(tokens) != 0 {
				t.Fatalf("a refused post created tokens: %d", len(tokens))
			}
		})
	}
	t.Run("SameSiteWithToken", func(t *testing.T) {
		r := send(url.Values{"name": {"x"}, "csrf": {good}}, map[string]string{"Sec-Fetch-Site": "same-origin"})
		mustStatus(t, r, http.StatusCreated)
	})
	t.Run("SignInForm", func(t *testing.T) {
		anon := newUIClient(t, ts.URL)
		anon.get("/signin")
		r := anon.post("/signin", url.Values{"email": {"ana@example.com"}, "password": {testPassword}, "csrf": {"forged"}})
		mustStatus(t, r, http.StatusForbidden)
	})
}

func TestUI_LoginRateLimit(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	ts, _ := newUIServer(t, s, func(srv *web.Server) {
		srv.Now = func() time.Time { return now }
		srv.UI.MaxLoginFailuresPerEmail, srv.UI.MaxLoginFailuresPerIP = 3, 5
	})
	mustUserWithPassword(t, s, "ana@example.com")
	mustUserWithPassword(t, s, "bob@example.com")
	c := newUIClient(t, ts.URL)
	c.get("/signin")
	try := func(email, pw string) *uiResponse {
		return c.post("/signin", url.Values{"email": {email}, "password": {pw}})
	}

	t.Run("PerEmail", func(t *testing.T) {
		for range 3 {
			mustStatus(t, try("ana@example.com", "wrong"), http.StatusUnauthorized)
		}
		r := try("ana@example.com", testPassword) // right password, but blocked
		mustStatus(t, r, http.StatusTooManyRequests)
		mustContain(t, r, "Too many failed attempts. Try again in 15 minutes.")
		if got := r.Header.Get("Retry-After"); got != "900" {
			t.Fatalf("Retry-After=%q, want 900", got)
		}
		mustStatus(t, try("bob@example.com", testPassword), http.StatusSeeOther)
	})
	t.Run("PerIP", func(t *testing.T) {
		c.post("/signout", nil)
		c.get("/signin")
		mustStatus(t, try("carol@example.com", "wrong"), http.StatusUnauthorized)
		mustStatus(t, try("dave@example.com", "wrong"), http.StatusUnauthorized)
		// Five failures from this address now (three for ana, two here).
		mustStatus(t, try("bob@example.com", testPassword), http.StatusTooManyRequests)
	})
	t.Run("WindowEnds", func(t *testing.T) {
		now = now.Add(16 * time.Minute)
		mustStatus(t, try("ana@example.com", testPassword), http.StatusSeeOther)
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
	mustUserWithPassword(t, s, "ana@example.com")
	ts, _ := newUIServer(t, s, func(srv *web.Server) { srv.Users = outageUsers{s} })
	c := newUIClient(t, ts.URL)
	c.get("/signin")
	for range 7 { // more than the per-e-mail limit
		r := c.post("/signin", url.Values{"email": {"ana@example.com"}, "password": {testPassword}})
		mustStatus(t, r, http.StatusInternalServerError)
		if strings.Contains(r.Body, "Wrong e-mail or password") || strings.Contains(r.Body, "Too many failed attempts") {
			t.Fatalf("an outage answered as a refused password:\n%s", excerpt(r.Body))
		}
		mustContain(t, r, "Request id")
	}
}
