package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/password"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/web"
)

// Helpers of the web UI tests: a server with the UI on a real store, and a
// browser-like client with a cookie jar that stops at redirects, sends the
// headers a browser sends on a same-origin form post, and remembers the
// CSRF token of the last page it saw.

const testPassword = "correct horse battery"

// newUIServer serves the UI (and everything else) over a real store.
func newUIServer(t *testing.T, s *store.Store, configure ...func(*web.Server)) (*httptest.Server, *web.Server) {
	t.Helper()
	srv := &web.Server{Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s, Sessions: s,
		Ping: s.Ping, Version: "test"}
	for _, f := range configure {
		f(srv)
	}
	startJobs(t, s, srv)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, srv
}

// uiClient is a browser without JavaScript.
type uiClient struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func newUIClient(t *testing.T, base string) *uiClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &uiClient{t: t, base: base, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// uiResponse is an answer of the UI.
type uiResponse struct {
	Status int
	Header http.Header
	Body   string
}

// location returns the redirect target path (with query).
func (r *uiResponse) location() string {
	loc := r.Header.Get("Location")
	if u, err := url.Parse(loc); err == nil && u.Host != "" {
		return loc
	}
	return loc
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *uiClient) do(req *http.Request) *uiResponse {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if m := csrfField.FindStringSubmatch(string(b)); m != nil {
		c.csrf = m[1]
	}
	return &uiResponse{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

func (c *uiClient) get(path string) *uiResponse {
	c.t.Helper()
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post sends a same-origin form with the current CSRF token, as a browser would.
func (c *uiClient) post(path string, form url.Values) *uiResponse {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") {
		form.Set("csrf", c.csrf)
	}
	req, err := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// follow follows redirects within the server from r, returning the last answer.
func (c *uiClient) follow(r *uiResponse) *uiResponse {
	c.t.Helper()
	for i := 0; i < 10 && r.Status >= 300 && r.Status < 400; i++ {
		loc := r.Header.Get("Location")
		if strings.HasPrefix(loc, "http") {
			return r
		}
		r = c.get(loc)
	}
	return r
}

func mustStatus(t *testing.T, r *uiResponse, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status=%d, want %d; location %q; body:\n%s", r.Status, want, r.Header.Get("Location"), excerpt(r.Body))
	}
}

func mustContain(t *testing.T, r *uiResponse, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.Body, p) {
			t.Fatalf("page lacks %q:\n%s", p, excerpt(r.Body))
		}
	}
}

func mustNotContain(t *testing.T, r *uiResponse, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(r.Body, p) {
			t.Fatalf("page contains %q:\n%s", p, excerpt(r.Body))
		}
	}
}

// excerpt keeps failure output readable: the page's main element.
func excerpt(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if len(body) > 4000 {
		body = body[:4000] + "…"
	}
	return body
}

// mustUserWithPassword creates a user who can sign in.
func mustUserWithPassword(t *testing.T, s *store.Store, email string) *freenahi.User {
	t.Helper()
	h, err := password.Hash(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(ctx, email, h)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// signIn signs c in as email and checks it landed on next.
func (c *uiClient) signIn(email string) {
	c.t.Helper()
	c.get("/signin")
	r := c.post("/signin", url.Values{"email": {email}, "password": {testPassword}})
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d\n%s", email, r.Status, excerpt(r.Body))
	}
	c.get("/accounts") // picks the session's CSRF token
}

func mustPrefixes(list ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range list {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}
