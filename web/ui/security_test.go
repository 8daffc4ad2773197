package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi/notify"
	"github.com/freenahi/freenahi/notify/outbox"
	"github.com/freenahi/freenahi/password"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// mailServer starts an SMTP server (the outbox, a real SMTP protocol
// server over TCP) and wires the UI's mail to it.
func mailServer(t *testing.T) (*outbox.Server, func(*web.Server)) {
	t.Helper()
	ob, err := outbox.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ob.Close() })
	m, err := notify.ParseSMTPURL(ob.URL(), "freenahi@test.example")
	if err != nil {
		t.Fatal(err)
	}
	return ob, func(srv *web.Server) {
		srv.Mailer = m
		srv.UI.MailConfigured = true
		srv.UI.PublicURL = func() string { return "https://money.example" }
	}
}

// waitMail waits for the n-th mail to an address (the mail leaves after
// the answer), for as long as a loaded machine may need.
func waitMail(t *testing.T, ob *outbox.Server, to string, n int) outbox.Mail {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := ob.Mails(to); len(m) >= n {
			return m[0]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no mail #%d to %s", n, to)
	return outbox.Mail{}
}

var resetLink = regexp.MustCompile(`https://money\.example(/signin/reset\?token=[A-Za-z0-9_%-]+)`)

// settledClock is a clock for the store and the server, moved by hand.
type settledClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *settledClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *settledClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// TestUIPasswordReset: the link arrives by SMTP, works once, ends the
// account's sessions; an unknown address gets the same answer and no mail;
// requests are throttled alike for both.
func TestUIPasswordReset(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ob, withMail := mailServer(t)
		ts, _ := webtest.NewUIServer(t, s, withMail)
		u := webtest.MustUserWithPassword(t, s, "ana@example.com")
		old := webtest.NewClient(t, ts.URL)
		old.SignIn(u.Email)

		ask := func(email string) *webtest.Page {
			c := webtest.NewClient(t, ts.URL)
			c.Get("/signin/forgot")
			return c.Post("/signin/forgot", url.Values{"email": {email}})
		}
		known, unknown := ask("ana@example.com"), ask("nobody@example.com")
		if known.Status != http.StatusSeeOther || unknown.Status != known.Status || unknown.Location() != known.Location() || unknown.Body != known.Body {
			t.Fatalf("known and unknown addresses answered differently: %d %q / %d %q", known.Status, known.Location(), unknown.Status, unknown.Location())
		}
		m := waitMail(t, ob, "ana@example.com", 1)
		if len(ob.Mails("nobody@example.com")) != 0 {
			t.Fatal("a mail went to an address without an account")
		}
		link := resetLink.FindStringSubmatch(m.Body)
		if link == nil {
			t.Fatalf("no reset link in the mail:\n%s", m.Body)
		}
		c := webtest.NewClient(t, ts.URL)
		form := c.Get(link[1])
		webtest.MustStatus(t, form, http.StatusOK)
		webtest.MustContain(t, form, "ana@example.com")
		token, _ := url.QueryUnescape(strings.TrimPrefix(link[1], "/signin/reset?token="))
		r := c.Post("/signin/reset", url.Values{"token": {token}, "new": {"short"}, "confirm": {"short"}})
		webtest.MustStatus(t, r, http.StatusUnprocessableEntity)
		if h, _ := s.UserPasswordHash(context.Background(), u.ID); password.Verify(h, webtest.Password) != nil {
			t.Fatal("a refused reset changed the password")
		}
		r = c.Post("/signin/reset", url.Values{"token": {token}, "new": {"a brand new secret"}, "confirm": {"a brand new secret"}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		webtest.MustContain(t, c.Follow(r), "Your password is set.")
		if h, _ := s.UserPasswordHash(context.Background(), u.ID); password.Verify(h, "a brand new secret") != nil {
			t.Fatal("the new password does not verify")
		}
		if r := old.Get("/accounts"); r.Status != http.StatusSeeOther {
			t.Fatalf("a session survived the reset: %d", r.Status)
		}
		// Single use.
		r = c.Post("/signin/reset", url.Values{"token": {token}, "new": {"yet another secret"}, "confirm": {"yet another secret"}})
		webtest.MustStatus(t, r, http.StatusBadRequest)
		webtest.MustContain(t, r, "This link does not work any more")
		webtest.MustStatus(t, c.Get(link[1]), http.StatusBadRequest)

		// Throttled alike: the fourth request of an address from one client
		// waits, known or not (the reset forgot Ana's earlier request; the
		// unknown address has one already).
		for _, tc := range []struct {
			email string
			free  int
		}{{"ana@example.com", 3}, {"nobody@example.com", 2}} {
			for range tc.free {
				webtest.MustStatus(t, ask(tc.email), http.StatusSeeOther)
			}
			r := ask(tc.email)
			webtest.MustStatus(t, r, http.StatusTooManyRequests)
			webtest.MustContain(t, r, "A link was asked for this address several times already. Try again in 1 minute.")
		}
	})
}

// TestUIPasswordReset_NoMail: without mail the page says who can help, in
// French, and posting sends nothing.
func TestUIPasswordReset_NoMail(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	webtest.MustUserWithPassword(t, s, "ana@example.com")
	c := webtest.NewClient(t, ts.URL)
	toFrench(t, c)
	f := &frenchPages{t: t}
	r := c.Get("/signin/forgot")
	f.check("forgot without mail", r, http.StatusOK)
	webtest.MustContain(t, r, "freenahi user set-password")
	webtest.MustNotContain(t, r, `action="/signin/forgot"`)
	webtest.MustContain(t, c.Get("/signin"), `href="/signin/forgot"`)
}

// secretField finds the key shown as text, grouped by four for typing.
var secretField = regexp.MustCompile(`<code id="secret">([A-Z2-7 ]+)</code>`)
var recoveryCode = regexp.MustCompile(`<code>([a-z2-9]{5}-[a-z2-9]{5})</code>`)

// enrolTOTP turns two-factor sign-in on for c's user and returns the
// secret and the recovery codes.
func enrolTOTP(t *testing.T, c *webtest.Client, now time.Time) (string, []string) {
	t.Helper()
	webtest.MustStatus(t, c.Get("/settings/security"), http.StatusOK)
	r := c.Follow(c.Post("/settings/security/2fa/start", nil))
	webtest.MustContain(t, r, `<img class="qr" src="data:image/png;base64,`, `inputmode="numeric"`, `autocomplete="one-time-code"`)
	m := secretField.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no secret on the enrolment page:\n%s", webtest.Excerpt(r.Body))
	}
	bad := c.Post("/settings/security/2fa", url.Values{"code": {"000000"}})
	webtest.MustStatus(t, bad, http.StatusUnprocessableEntity)
	r = c.Post("/settings/security/2fa", url.Values{"code": {webtest.TOTP(t, strings.ReplaceAll(m[1], " ", ""), now)}})
	webtest.MustStatus(t, r, http.StatusOK)
	var codes []string
	for _, c := range recoveryCode.FindAllStringSubmatch(r.Body, -1) {
		codes = append(codes, c[1])
	}
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	return strings.ReplaceAll(m[1], " ", ""), codes
}

// TestUITwoFactor: enrolment with a code of the test's own TOTP; sign-in
// then asks for a code; a code serves once; a recovery code serves once;
// turning it off needs the password.
func TestUITwoFactor(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		clk := &settledClock{now: time.Date(2026, 4, 1, 9, 0, 10, 0, time.UTC)}
		s.Now = clk.Now
		ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) { srv.Now = clk.Now })
		u := webtest.MustUserWithPassword(t, s, "ana@example.com")
		c := webtest.NewClient(t, ts.URL)
		c.SignIn(u.Email)
		secret, codes := enrolTOTP(t, c, clk.Now())
		if st, err := s.FindTOTP(context.Background(), u.ID); err != nil || !st.Enabled || st.Secret != secret {
			t.Fatalf("stored state: %+v, %v", st, err)
		}
		webtest.MustContain(t, c.Get("/settings/security"), "10 recovery codes left.")

		signin := func(c *webtest.Client) *webtest.Page {
			c.Get("/signin")
			return c.Post("/signin", url.Values{"email": {u.Email}, "password": {webtest.Password}, "next": {"/reports"}})
		}
		b := webtest.NewClient(t, ts.URL)
		r := signin(b)
		webtest.MustStatus(t, r, http.StatusSeeOther)
		if !strings.HasPrefix(r.Location(), "/signin/2fa") {
			t.Fatalf("password alone went to %q", r.Location())
		}
		if r := b.Get("/accounts"); r.Status != http.StatusSeeOther {
			t.Fatalf("signed in before the code: %d", r.Status)
		}
		webtest.MustStatus(t, b.Get(r.Location()), http.StatusOK)
		// The code of enrolment's step was used: refused; a wrong one too.
		webtest.MustStatus(t, b.Post("/signin/2fa", url.Values{"code": {webtest.TOTP(t, secret, clk.Now())}}), http.StatusUnauthorized)
		webtest.MustStatus(t, b.Post("/signin/2fa", url.Values{"code": {"123456"}}), http.StatusUnauthorized)
		clk.Add(30 * time.Second)
		code := webtest.TOTP(t, secret, clk.Now())
		r = b.Post("/signin/2fa", url.Values{"code": {code}, "next": {"/reports"}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		if r.Location() != "/reports" {
			t.Fatalf("after the code: %q", r.Location())
		}
		webtest.MustStatus(t, b.Get("/accounts"), http.StatusOK)
		// The same code in another browser, within its 30 seconds: refused.
		other := webtest.NewClient(t, ts.URL)
		signin(other)
		webtest.MustStatus(t, other.Post("/signin/2fa", url.Values{"code": {code}}), http.StatusUnauthorized)
		// A recovery code, once.
		r = other.Post("/signin/2fa", url.Values{"code": {strings.ToUpper(codes[3])}, "recovery": {"1"}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		third := webtest.NewClient(t, ts.URL)
		signin(third)
		webtest.MustStatus(t, third.Post("/signin/2fa", url.Values{"code": {codes[3]}, "recovery": {"1"}}), http.StatusUnauthorized)
		// The pending cookie does not travel to another browser.
		fourth := webtest.NewClient(t, ts.URL)
		fourth.Get("/signin")
		base, _ := url.Parse(ts.URL)
		for _, ck := range third.HTTP.Jar.Cookies(base) {
			if ck.Name == "freenahi_2fa" {
				fourth.HTTP.Jar.SetCookies(base, []*http.Cookie{{Name: ck.Name, Value: ck.Value, Path: "/"}})
			}
		}
		r = fourth.Post("/signin/2fa", url.Values{"code": {codes[4]}, "recovery": {"1"}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/signin?") {
			t.Fatalf("a pending cookie in another browser: %d %q", r.Status, r.Location())
		}
		// New recovery codes, with the password: the old ones stop working.
		webtest.MustStatus(t, c.Post("/settings/security/recovery", url.Values{"password": {"wrong"}}), http.StatusUnprocessableEntity)
		r = c.Post("/settings/security/recovery", url.Values{"password": {webtest.Password}})
		webtest.MustStatus(t, r, http.StatusOK)
		fresh := recoveryCode.FindAllStringSubmatch(r.Body, -1)
		if len(fresh) != 10 || fresh[0][1] == codes[0] {
			t.Fatalf("new codes: %v", fresh)
		}
		fifth := webtest.NewClient(t, ts.URL)
		signin(fifth)
		webtest.MustStatus(t, fifth.Post("/signin/2fa", url.Values{"code": {codes[5]}, "recovery": {"1"}}), http.StatusUnauthorized)
		webtest.MustStatus(t, fifth.Post("/signin/2fa", url.Values{"code": {fresh[0][1]}, "recovery": {"1"}}), http.StatusSeeOther)
		// Off: the password is needed.
		webtest.MustStatus(t, c.Post("/settings/security/2fa/disable", url.Values{"password": {"wrong"}}), http.StatusUnprocessableEntity)
		r = c.Post("/settings/security/2fa/disable", url.Values{"password": {webtest.Password}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		r = signin(webtest.NewClient(t, ts.URL))
		if r.Location() != "/reports" {
			t.Fatalf("after turning it off, sign-in went to %q", r.Location())
		}
	})
}

// TestUITwoFactor_Throttled: someone who knows the password guesses codes
// slowly, while the owner's known browser still gets in.
func TestUITwoFactor_Throttled(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	clk := &settledClock{now: time.Date(2026, 4, 1, 9, 0, 10, 0, time.UTC)}
	s.Now = clk.Now
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) { srv.Now = clk.Now })
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	owner := webtest.NewClient(t, ts.URL)
	owner.SignIn(u.Email)
	secret, _ := enrolTOTP(t, owner, clk.Now())
	owner.Post("/signout", nil)

	thief := webtest.NewClient(t, ts.URL)
	thief.Get("/signin")
	thief.Post("/signin", url.Values{"email": {u.Email}, "password": {webtest.Password}})
	statuses := map[int]int{}
	for range 8 {
		statuses[thief.Post("/signin/2fa", url.Values{"code": {"000000"}}).Status]++
	}
	if statuses[http.StatusUnauthorized] != 5 || statuses[http.StatusTooManyRequests] != 3 {
		t.Fatalf("8 wrong codes answered %v; want 5 refusals then waits", statuses)
	}
	clk.Add(30 * time.Second)
	owner.Get("/signin")
	owner.Post("/signin", url.Values{"email": {u.Email}, "password": {webtest.Password}})
	r := owner.Post("/signin/2fa", url.Values{"code": {webtest.TOTP(t, secret, clk.Now())}})
	webtest.MustStatus(t, r, http.StatusSeeOther)
	webtest.MustStatus(t, owner.Get("/accounts"), http.StatusOK)
}

// TestUISessionsList: the list shows both browsers, this one marked; one
// revoked ends there only; sign-out everywhere ends all; another user's
// session cannot be revoked.
func TestUISessionsList(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustUserWithPassword(t, s, "bob@example.com")
	a, b := webtest.NewClient(t, ts.URL), webtest.NewClient(t, ts.URL)
	a.SignIn(u.Email)
	b.SignIn(u.Email)
	bob := webtest.NewClient(t, ts.URL)
	bob.SignIn("bob@example.com")
	r := a.Get("/settings/security")
	webtest.MustContain(t, r, "this browser", "Where you are signed in")
	refs := regexp.MustCompile(`/settings/sessions/([0-9a-f]{64})/revoke`).FindAllStringSubmatch(r.Body, -1)
	if len(refs) != 2 {
		t.Fatalf("%d sessions listed, want 2", len(refs))
	}
	// Bob cannot end Ana's sessions.
	webtest.MustStatus(t, bob.Post("/settings/sessions/"+refs[0][1]+"/revoke", nil), http.StatusNotFound)
	webtest.MustStatus(t, b.Get("/accounts"), http.StatusOK)
	// Ana ends the other browser's session: the one b's page marks as its own.
	bPage := b.Get("/settings/security").Body
	bRef := regexp.MustCompile(`this browser</span>\s*<span class="sub">[^<]*</span></span>\s*<form method="post" action="/settings/sessions/([0-9a-f]{64})/revoke"`).FindStringSubmatch(bPage)
	if bRef == nil {
		t.Fatalf("no session marked as this browser:\n%s", webtest.Excerpt(bPage))
	}
	webtest.MustStatus(t, a.Post("/settings/sessions/"+bRef[1]+"/revoke", nil), http.StatusSeeOther)
	if r := b.Get("/accounts"); r.Status != http.StatusSeeOther {
		t.Fatalf("the revoked session still works: %d", r.Status)
	}
	webtest.MustStatus(t, a.Get("/accounts"), http.StatusOK)
	b.SignIn(u.Email)
	r = a.Post("/settings/sessions/signout-all", nil)
	webtest.MustStatus(t, r, http.StatusSeeOther)
	for _, c := range []*webtest.Client{a, b} {
		if r := c.Get("/accounts"); r.Status != http.StatusSeeOther {
			t.Fatalf("a session survived sign-out everywhere: %d", r.Status)
		}
	}
	webtest.MustStatus(t, bob.Get("/accounts"), http.StatusOK)
}

// TestUI_LockoutCannotKeepOwnerOut: strangers guessing the owner's password
// and asking for reset links from other addresses delay the owner's new
// browser at sign-in, but not the owner's reset request; the link ends the
// delay at once. (The owner's known browser is never delayed: see
// TestUI_SigninOwnerNotLockedOut.)
func TestUI_LockoutCannotKeepOwnerOut(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ob, withMail := mailServer(t)
		base, _, _ := signinServer(t, s, withMail, func(srv *web.Server) { srv.TrustedProxies = mustPrefixes("127.0.0.1/32", "::1/128") })
		webtest.MustUserWithPassword(t, s, "ana@example.com")
		post := func(c *webtest.Client, path, from string, form url.Values) int {
			form.Set("csrf", c.CSRF)
			req, _ := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("X-Forwarded-For", from)
			res, err := c.HTTP.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		// Strangers from 30 addresses: wrong passwords and reset requests.
		for i := range 30 {
			c := webtest.NewClient(t, base)
			c.Get("/signin")
			from := "203.0.113." + itoa(int64(i+1))
			post(c, "/signin", from, url.Values{"email": {"ana@example.com"}, "password": {"guess"}})
			post(c, "/signin/forgot", from, url.Values{"email": {"ana@example.com"}})
		}
		owner := webtest.NewClient(t, base)
		owner.Get("/signin")
		if st := post(owner, "/signin", "198.51.100.4", url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}}); st != http.StatusTooManyRequests {
			t.Fatalf("the owner's new browser after 30 strangers: %d; the test expects the account's shared delay", st)
		}
		before := len(ob.Mails("ana@example.com"))
		owner.Get("/signin/forgot")
		if st := post(owner, "/signin/forgot", "198.51.100.4", url.Values{"email": {"ana@example.com"}}); st != http.StatusSeeOther {
			t.Fatalf("the owner's reset request: %d", st)
		}
		// The strangers' mails came first; the owner's is the newest.
		m := waitMail(t, ob, "ana@example.com", before+1)
		link := resetLink.FindStringSubmatch(m.Body)
		if link == nil {
			t.Fatalf("no link in:\n%s", m.Body)
		}
		token, _ := url.QueryUnescape(strings.TrimPrefix(link[1], "/signin/reset?token="))
		owner.Get(link[1])
		if st := post(owner, "/signin/reset", "198.51.100.4", url.Values{"token": {token}, "new": {"the owner's new secret"}, "confirm": {"the owner's new secret"}}); st != http.StatusSeeOther {
			t.Fatalf("the owner's reset: %d", st)
		}
		owner.Get("/signin")
		if st := post(owner, "/signin", "198.51.100.4", url.Values{"email": {"ana@example.com"}, "password": {"the owner's new secret"}}); st != http.StatusSeeOther {
			t.Fatalf("the owner after the reset: %d", st)
		}
	})
}

// TestUIFrench_Security: every page of account security speaks French.
func TestUIFrench_Security(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	clk := &settledClock{now: time.Date(2026, 4, 1, 9, 0, 10, 0, time.UTC)}
	s.Now = clk.Now
	ob, withMail := mailServer(t)
	ts, _ := webtest.NewUIServer(t, s, withMail, func(srv *web.Server) { srv.Now = clk.Now })
	admin := webtest.MustUserWithPassword(t, s, "admin@example.com")
	webtest.MustUserWithPassword(t, s, "bob@example.com")
	c := webtest.NewClient(t, ts.URL)
	c.SignIn(admin.Email)
	toFrench(t, c)
	f := &frenchPages{t: t}
	f.check("security", c.Get("/settings/security"), http.StatusOK)
	f.check("enrolment", c.Follow(c.Post("/settings/security/2fa/start", nil)), http.StatusOK)
	f.check("wrong enrolment code", c.Post("/settings/security/2fa", url.Values{"code": {"000000"}}), http.StatusUnprocessableEntity)
	secret := strings.ReplaceAll(secretField.FindStringSubmatch(c.Get("/settings/security/2fa").Body)[1], " ", "")
	f.check("recovery codes", c.Post("/settings/security/2fa", url.Values{"code": {webtest.TOTP(t, secret, clk.Now())}}), http.StatusOK)
	f.check("wrong password", c.Post("/settings/security/recovery", url.Values{"password": {"no"}}), http.StatusUnprocessableEntity)
	f.check("users", c.Get("/users"), http.StatusOK)
	f.check("invitation", c.Post("/users/invite", url.Values{"email": {"cleo@example.com"}}), http.StatusOK)
	f.check("delete user", c.Get("/users/2/delete"), http.StatusOK)
	f.check("delete mismatch", c.Post("/users/2/delete", url.Values{"confirm": {"x@example.com"}}), http.StatusUnprocessableEntity)

	anon := webtest.NewClient(t, ts.URL)
	toFrench(t, anon)
	f.check("forgot", anon.Get("/signin/forgot"), http.StatusOK)
	f.check("reset sent", anon.Follow(anon.Post("/signin/forgot", url.Values{"email": {"bob@example.com"}})), http.StatusOK)
	m := waitMail(t, ob, "bob@example.com", 1)
	if !strings.Contains(m.Subject, "nouveau mot de passe") {
		t.Errorf("the reset mail is not in French: %q", m.Subject)
	}
	link := resetLink.FindStringSubmatch(m.Body)[1]
	f.check("reset form", anon.Get(link), http.StatusOK)
	f.check("used link", anon.Get("/signin/reset?token=nope"), http.StatusBadRequest)
	invite := regexp.MustCompile(`(/invite\?token=[A-Za-z0-9_%-]+)`).FindStringSubmatch(waitMail(t, ob, "cleo@example.com", 1).Body)[1]
	f.check("invitation form", anon.Get(invite), http.StatusOK)
	anon.Get("/signin")
	anon.Post("/signin", url.Values{"email": {admin.Email}, "password": {webtest.Password}})
	f.check("code form", anon.Get("/signin/2fa"), http.StatusOK)
	f.check("recovery form", anon.Get("/signin/2fa?recovery=1"), http.StatusOK)
	f.check("wrong code", anon.Post("/signin/2fa", url.Values{"code": {"000000"}}), http.StatusUnauthorized)
	if f.seen < 15 {
		t.Fatalf("only %d pages checked", f.seen)
	}
}
