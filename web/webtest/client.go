package webtest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/web"

	"golang.org/x/crypto/argon2"
)

// Helpers of the web UI tests: a server with the UI on a real store, and a
// browser-like client with a cookie jar that stops at redirects, sends the
// headers a browser sends on a same-origin form post, and remembers the
// CSRF token of the last page it saw.

// Password is the password of the users MustUserWithPassword creates.
const Password = "correct horse battery"

// NewUIServer serves the UI (and everything else) over a real store, with a
// job runner, after configure has adjusted the wiring; it stops at cleanup.
func NewUIServer(t *testing.T, s *store.Store, configure ...func(*web.Server)) (*httptest.Server, *web.Server) {
	t.Helper()
	srv := &web.Server{Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s, Sessions: s,
		History: History(s), Ping: s.Ping, Version: "test", Assets: s}
	for _, f := range configure {
		f(srv)
	}
	StartJobs(t, s, srv)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, srv
}

// Client is a browser without JavaScript.
type Client struct {
	// Base is the URL the paths of Get and Post are relative to.
	Base string
	// HTTP keeps the cookies and stops at redirects.
	HTTP *http.Client
	// CSRF is the CSRF token of the last page seen, which Post sends.
	CSRF string

	t *testing.T
}

// NewClient returns a client of the server at base, without cookies.
func NewClient(t *testing.T, base string) *Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, Base: base, HTTP: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Page is an answer of the UI, its body as text.
type Page struct {
	Status int
	Header http.Header
	Body   string
}

// Location returns the redirect target (a path with its query, or a URL
// leaving the server).
func (r *Page) Location() string { return r.Header.Get("Location") }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// Do sends req as is and reads the answer, remembering its CSRF token.
func (c *Client) Do(req *http.Request) *Page {
	c.t.Helper()
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if m := csrfField.FindStringSubmatch(string(b)); m != nil {
		c.CSRF = m[1]
	}
	return &Page{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// Get requests path, with the client's cookies.
func (c *Client) Get(path string) *Page {
	c.t.Helper()
	req, err := http.NewRequest("GET", c.Base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.Do(req)
}

// GetWithToken calls the JSON API with a bearer token through c.
func (c *Client) GetWithToken(token, path string) *Page {
	c.t.Helper()
	req, err := http.NewRequest("GET", c.Base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return c.Do(req)
}

// Post sends a same-origin form with the current CSRF token (unless form
// has one), as a browser would.
func (c *Client) Post(path string, form url.Values) *Page {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") {
		form.Set("csrf", c.CSRF)
	}
	req, err := http.NewRequest("POST", c.Base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.Base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Do(req)
}

// Follow follows redirects within the server from r, returning the last answer.
func (c *Client) Follow(r *Page) *Page {
	c.t.Helper()
	for i := 0; i < 10 && r.Status >= 300 && r.Status < 400; i++ {
		loc := r.Header.Get("Location")
		if strings.HasPrefix(loc, "http") {
			return r
		}
		r = c.Get(loc)
	}
	return r
}

// SignIn signs c in as email through the sign-in form, with Password.
func (c *Client) SignIn(email string) {
	c.t.Helper()
	c.Get("/signin")
	r := c.Post("/signin", url.Values{"email": {email}, "password": {Password}})
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d\n%s", email, r.Status, Excerpt(r.Body))
	}
	c.Get("/accounts") // picks the session's CSRF token
}

// SignInAs gives c a session of userID straight from the store, for users
// created without a password (MustUserWithData).
func (c *Client) SignInAs(s *store.Store, userID int64) {
	c.t.Helper()
	id, err := s.CreateSession(context.Background(), userID, time.Hour, time.Hour)
	if err != nil {
		c.t.Fatal(err)
	}
	u, _ := url.Parse(c.Base)
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "freenahi_session", Value: id, Path: "/"}})
	MustStatus(c.t, c.Get("/accounts"), http.StatusOK)
}

// MustStatus fails the test unless r has status want.
func MustStatus(tb testing.TB, r *Page, want int) {
	tb.Helper()
	if r.Status != want {
		tb.Fatalf("status=%d, want %d; location %q; body:\n%s", r.Status, want, r.Header.Get("Location"), Excerpt(r.Body))
	}
}

// MustContain fails the test unless r's body holds every part.
func MustContain(tb testing.TB, r *Page, parts ...string) {
	tb.Helper()
	for _, p := range parts {
		if !strings.Contains(r.Body, p) {
			tb.Fatalf("page lacks %q:\n%s", p, Excerpt(r.Body))
		}
	}
}

// MustNotContain fails the test if r's body holds any of parts.
func MustNotContain(tb testing.TB, r *Page, parts ...string) {
	tb.Helper()
	for _, p := range parts {
		if strings.Contains(r.Body, p) {
			tb.Fatalf("page contains %q:\n%s", p, Excerpt(r.Body))
		}
	}
}

// Excerpt keeps failure output readable: the page's main element, cut at
// 4,000 bytes.
func Excerpt(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if len(body) > 4000 {
		body = body[:4000] + "…"
	}
	return body
}

// MustUserWithPassword creates a user who can sign in with Password. The
// stored hash is argon2id at the lowest cost its format allows (8 KiB, one
// pass) instead of password.Hash's 19 MiB and two passes: sign-in still
// checks it with password.Verify, which reads the cost from the hash, and
// the tests sign in hundreds of times, where each real hash took about
// 0.2 s under -race. Passwords set through the UI or the commands keep
// the real cost.
func MustUserWithPassword(tb testing.TB, s *store.Store, email string) *freenahi.User {
	tb.Helper()
	u, err := s.CreateUser(context.Background(), email, cheapHash(Password))
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// cheapHash is pw's argon2id hash in the PHC string format of password.Hash,
// written here apart from it, with the smallest memory argon2 takes for
// one lane (8 KiB) and one pass.
func cheapHash(pw string) string {
	const memoryKiB, passes, lanes = 8, 1, 1
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, passes, memoryKiB, lanes, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memoryKiB, passes, lanes,
		enc.EncodeToString(salt), enc.EncodeToString(key))
}
