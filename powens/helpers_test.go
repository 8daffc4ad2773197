package powens

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// seen is one request as the fake server received it.
type seen struct {
	Method string
	Path   string
	Query  string
	Auth   string
	Body   string
	Header http.Header
}

// JSON decodes the request body for comparison.
func (s seen) JSON(tb testing.TB) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s.Body), &m); err != nil {
		tb.Fatalf("request body %q is not a JSON object: %v", s.Body, err)
	}
	return m
}

// fake is an httptest server recording requests and answering with a
// handler; the client under test sleeps through a recorder.
type fake struct {
	mu     sync.Mutex
	reqs   []seen
	waits  []time.Duration
	srv    *httptest.Server
	client *Client
}

// MustNewFake starts a fake Powens answering with h and a client on it.
func MustNewFake(tb testing.TB, h http.HandlerFunc, opts ...func(*ClientConfig)) *fake {
	tb.Helper()
	f := &fake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, seen{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Auth: r.Header.Get("Authorization"), Body: string(body), Header: r.Header.Clone()})
		f.mu.Unlock()
		h(w, r)
	}))
	tb.Cleanup(f.srv.Close)
	cfg := ClientConfig{
		BaseURL:      f.srv.URL + "/2.0/",
		ClientID:     "1234",
		ClientSecret: "s3cret",
		Sleep: func(ctx context.Context, d time.Duration) error {
			f.mu.Lock()
			f.waits = append(f.waits, d)
			f.mu.Unlock()
			return ctx.Err()
		},
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	f.client = c
	return f
}

// Requests returns what the server received so far.
func (f *fake) Requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.reqs...)
}

// Waits returns the sleeps the client asked for.
func (f *fake) Waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// Last returns the only request received, failing otherwise.
func (f *fake) Only(tb testing.TB) seen {
	tb.Helper()
	reqs := f.Requests()
	if len(reqs) != 1 {
		tb.Fatalf("server got %d requests, want 1: %+v", len(reqs), reqs)
	}
	return reqs[0]
}

// reply answers status with a raw body.
func reply(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// sequence answers the i-th request with hs[i], repeating the last one.
func sequence(hs ...http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	i := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := hs[min(i, len(hs)-1)]
		i++
		mu.Unlock()
		h(w, r)
	}
}

// checkRequest compares method, path, query and bearer token.
func checkRequest(tb testing.TB, got seen, method, path, query, token string) {
	tb.Helper()
	if got.Method != method || got.Path != path {
		tb.Errorf("request %s %s, want %s %s", got.Method, got.Path, method, path)
	}
	if got.Query != query {
		tb.Errorf("query %q, want %q", got.Query, query)
	}
	want := ""
	if token != "" {
		want = "Bearer " + token
	}
	if got.Auth != want {
		tb.Errorf("Authorization %q, want %q", got.Auth, want)
	}
}
