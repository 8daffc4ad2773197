package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/freenahi/freenahi/password"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// signinServer serves the UI over s with the store's clock standing still
// until advance moves it, and counts the password hashes computed.
func signinServer(t *testing.T, s *store.Store, configure ...func(*web.Server)) (base string, advance func(time.Duration), hashes *atomic.Int64) {
	t.Helper()
	clock := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	s.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	advance = func(d time.Duration) { mu.Lock(); defer mu.Unlock(); clock = clock.Add(d) }
	hashes = &atomic.Int64{}
	ts, _ := webtest.NewUIServer(t, s, append([]func(*web.Server){func(srv *web.Server) {
		srv.UI.VerifyPassword = func(hash, pw string) error { hashes.Add(1); return password.Verify(hash, pw) }
	}}, configure...)...)
	return ts.URL, advance, hashes
}

// signinForm posts a sign-in from a fresh browser (its own cookies), with
// extra headers, from any goroutine.
func signinFrom(base string, c *webtest.Client, email, pw string, headers map[string]string) (int, string, error) {
	form := url.Values{"email": {email}, "password": {pw}, "csrf": {c.CSRF}}
	req, _ := http.NewRequest("POST", base+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return 0, "", err
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Retry-After"), nil
}

// TestUI_SigninParallel is the attack of issue 10: 40 wrong passwords at
// once. Each attempt is counted before the hash, so only the 5 free ones
// are hashed; the other 35 are refused without hashing.
func TestUI_SigninParallel(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		base, _, hashes := signinServer(t, s)
		webtest.MustUserWithPassword(t, s, "ana@example.com")
		clients := make([]*webtest.Client, 40)
		for i := range clients {
			clients[i] = webtest.NewClient(t, base)
			clients[i].Get("/signin")
		}
		var wg sync.WaitGroup
		statuses := make([]int, len(clients))
		start := make(chan struct{})
		for i, c := range clients {
			wg.Go(func() {
				<-start
				st, _, err := signinFrom(base, c, "ana@example.com", "wrong password "+c.CSRF[:4], nil)
				if err != nil {
					t.Error(err)
				}
				statuses[i] = st
			})
		}
		close(start)
		wg.Wait()
		counts := map[int]int{}
		for _, st := range statuses {
			counts[st]++
		}
		if counts[http.StatusUnauthorized] != 5 || counts[http.StatusTooManyRequests] != 35 {
			t.Fatalf("40 parallel wrong passwords answered %v; want 5 × 401 and 35 × 429", counts)
		}
		if n := hashes.Load(); n != 5 {
			t.Fatalf("%d password hashes computed for 40 parallel attempts, want 5 (the limit)", n)
		}
	})
}

// TestUI_SigninEqualWork: an unknown e-mail, an account without a password
// (API only), a wrong password and a right one each cost exactly one hash
// and, when refused, the same answer; a throttled attempt costs none,
// whether or not the account exists. (freenahi has no disabled accounts: a
// deleted one is an unknown e-mail.) Hashes are counted, not timed.
func TestUI_SigninEqualWork(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		base, _, hashes := signinServer(t, s, func(srv *web.Server) { srv.UI.MaxLoginFailuresPerEmail = 2 })
		webtest.MustUserWithPassword(t, s, "ana@example.com")
		webtest.MustUserWithData(t, s, "api-only@example.com", 7)
		var refusals []string
		for _, tc := range []struct {
			name, email, pw string
			status          int
			hashes          int64
		}{
			{"UnknownEmail", "nobody@example.com", webtest.Password, http.StatusUnauthorized, 1},
			{"WithoutPassword", "api-only@example.com", webtest.Password, http.StatusUnauthorized, 1},
			{"WrongPassword", "ana@example.com", "not the password", http.StatusUnauthorized, 1},
			{"RightPassword", "ana@example.com", webtest.Password, http.StatusSeeOther, 1},
			// Each account from this client has 2 free attempts.
			{"UnknownEmailAgain", "nobody@example.com", "x", http.StatusUnauthorized, 1},
			{"UnknownEmailThrottled", "nobody@example.com", "x", http.StatusTooManyRequests, 0},
			{"WithoutPasswordAgain", "api-only@example.com", "x", http.StatusUnauthorized, 1},
			{"WithoutPasswordThrottled", "api-only@example.com", "x", http.StatusTooManyRequests, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := webtest.NewClient(t, base)
				c.Get("/signin")
				before := hashes.Load()
				r := c.Post("/signin", url.Values{"email": {tc.email}, "password": {tc.pw}})
				webtest.MustStatus(t, r, tc.status)
				if got := hashes.Load() - before; got != tc.hashes {
					t.Fatalf("%d password hashes, want %d", got, tc.hashes)
				}
				if tc.status == http.StatusUnauthorized {
					_, msg, _ := strings.Cut(r.Body, `class="error"`)
					msg, _, _ = strings.Cut(msg, "</p>")
					refusals = append(refusals, msg)
				}
			})
		}
		for _, r := range refusals[1:] {
			if r != refusals[0] {
				t.Fatalf("refusals differ:\n%s\n%s", refusals[0], r)
			}
		}
	})
}

// TestUI_SigninGrowingDelays: after the free attempts each one waits 10 s,
// then 20 s, …, never for good.
func TestUI_SigninGrowingDelays(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	base, advance, _ := signinServer(t, s)
	webtest.MustUserWithPassword(t, s, "ana@example.com")
	c := webtest.NewClient(t, base)
	c.Get("/signin")
	try := func(pw string) *webtest.Page {
		return c.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {pw}})
	}
	for range 5 {
		webtest.MustStatus(t, try("wrong"), http.StatusUnauthorized)
	}
	r := try(webtest.Password) // the right password, but it must wait
	webtest.MustStatus(t, r, http.StatusTooManyRequests)
	webtest.MustContain(t, r, "Too many failed attempts. Try again in 10 seconds.")
	if got := r.Header.Get("Retry-After"); got != "10" {
		t.Fatalf("Retry-After=%q, want 10", got)
	}
	advance(10 * time.Second)
	webtest.MustStatus(t, try("wrong"), http.StatusUnauthorized)
	r = try(webtest.Password)
	webtest.MustStatus(t, r, http.StatusTooManyRequests)
	if got := r.Header.Get("Retry-After"); got != "20" {
		t.Fatalf("Retry-After=%q after the 6th failure, want 20", got)
	}
	advance(20 * time.Second)
	webtest.MustStatus(t, try(webtest.Password), http.StatusSeeOther)
}

// TestUI_SigninOwnerNotLockedOut: strangers failing on the owner's account
// delay strangers, never the owner's own browser (a signed device cookie
// set at sign-in); a forged cookie is a stranger; unlock clears the rest.
func TestUI_SigninOwnerNotLockedOut(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		base, _, hashes := signinServer(t, s)
		webtest.MustUserWithPassword(t, s, "ana@example.com")
		owner := webtest.NewClient(t, base)
		owner.SignIn("ana@example.com")
		owner.Post("/signout", nil)

		// Strangers from 30 addresses behind a trusted proxy would be
		// another test; here one stranger tries 30 times from this address.
		stranger := webtest.NewClient(t, base)
		stranger.Get("/signin")
		for range 30 {
			stranger.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {"guess"}})
		}
		if n := hashes.Load(); n != 1+5 {
			t.Fatalf("%d hashes: want 1 for the owner and 5 for the stranger", n)
		}
		newBrowser := webtest.NewClient(t, base)
		newBrowser.Get("/signin")
		r := newBrowser.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}})
		webtest.MustStatus(t, r, http.StatusTooManyRequests)

		owner.Get("/signin")
		r = owner.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}})
		webtest.MustStatus(t, r, http.StatusSeeOther)

		forged := webtest.NewClient(t, base)
		u, _ := url.Parse(base)
		var device *http.Cookie
		for _, ck := range owner.HTTP.Jar.Cookies(u) {
			if ck.Name == "freenahi_device" {
				device = ck
			}
		}
		if device == nil {
			t.Fatal("no device cookie after sign-in")
		}
		forged.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "freenahi_device", Value: device.Value + "x", Path: "/"}})
		forged.Get("/signin")
		r = forged.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}})
		webtest.MustStatus(t, r, http.StatusTooManyRequests)

		if n, err := s.UnlockSignin(t.Context(), "ana@example.com"); err != nil || n == 0 {
			t.Fatalf("UnlockSignin=%d, %v", n, err)
		}
		r = newBrowser.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
	})
}

// TestUI_SigninBehindProxy: behind a trusted reverse proxy each client
// address has its own bucket; without trust, X-Forwarded-For is ignored
// and everyone behind it shares the proxy's.
func TestUI_SigninBehindProxy(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trusted []string
		owner   int
	}{
		{"Trusted", []string{"127.0.0.1/32", "::1/128"}, http.StatusSeeOther},
		{"NotTrusted", nil, http.StatusTooManyRequests},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := storetest.MustOpen(t, store.SQLite)
			base, _, _ := signinServer(t, s, func(srv *web.Server) { srv.TrustedProxies = mustPrefixes(tc.trusted...) })
			webtest.MustUserWithPassword(t, s, "ana@example.com")
			stranger := webtest.NewClient(t, base)
			stranger.Get("/signin")
			for range 6 {
				if _, _, err := signinFrom(base, stranger, "ana@example.com", "guess", map[string]string{"X-Forwarded-For": "203.0.113.9"}); err != nil {
					t.Fatal(err)
				}
			}
			owner := webtest.NewClient(t, base)
			owner.Get("/signin")
			st, _, err := signinFrom(base, owner, "ana@example.com", webtest.Password, map[string]string{"X-Forwarded-For": "198.51.100.4"})
			if err != nil {
				t.Fatal(err)
			}
			if st != tc.owner {
				t.Fatalf("owner from another address behind the proxy: status %d, want %d", st, tc.owner)
			}
		})
	}
}
