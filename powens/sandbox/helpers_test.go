package sandbox

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens"
)

// testKey is generated once per test binary: RSA generation is slow.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// startTime is Sunday 16 March 2025, noon in Paris: the Saturday before has a
// pre-authorisation still coming.
var startTime = time.Date(2025, 3, 16, 12, 0, 0, 0, powens.Paris)

// harness is a sandbox served over real HTTP with a test clock.
type harness struct {
	tb    testing.TB
	s     *Server
	srv   *httptest.Server
	clock *testenv.Clock
}

func newHarness(tb testing.TB, mut func(*Config)) *harness {
	tb.Helper()
	h := &harness{tb: tb, clock: testenv.NewClock(startTime)}
	cfg := Config{ClientID: "1234", ClientSecret: "s3cret", Domain: "freenahi-sandbox", Seed: 42, Now: h.clock.Now,
		DecoupledDelay: 50 * time.Millisecond, SlowDelay: 50 * time.Millisecond, RetryDelay: time.Hour,
		MinSyncInterval: -1, WebhookRetry: []time.Duration{10 * time.Millisecond}, WebhookFlushInterval: 50 * time.Millisecond,
		Key: testKey(), HistoryDays: 60}
	if mut != nil {
		mut(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	h.s = s
	h.srv = httptest.NewServer(s)
	tb.Cleanup(func() {
		h.srv.Close()
		s.Close()
	})
	return h
}

// do sends a request; body is JSON (map, struct), a url.Values form, or nil.
func (h *harness) do(method, path, token string, body any) (int, []byte, http.Header) {
	h.tb.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ct = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			h.tb.Fatal(err)
		}
		rd, ct = bytes.NewReader(j), "application/json"
	}
	u := path
	if !strings.HasPrefix(path, "http") {
		u = h.srv.URL + path
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		h.tb.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		h.tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

// call sends a request, checks the status and decodes the JSON answer into out.
func (h *harness) call(method, path, token string, body any, want int, out any) []byte {
	h.tb.Helper()
	status, b, _ := h.do(method, path, token, body)
	if status != want {
		h.tb.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, b)
	}
	if out != nil {
		// Decode into a zero value: omitted fields must not keep older values.
		reflect.ValueOf(out).Elem().SetZero()
		if err := json.Unmarshal(b, out); err != nil {
			h.tb.Fatalf("%s %s: decode: %v: %s", method, path, err, b)
		}
	}
	return b
}

// user creates a permanent user and returns its token.
func (h *harness) user() string {
	h.tb.Helper()
	var out struct {
		AuthToken string `json:"auth_token"`
	}
	h.call("POST", "/2.0/auth/init", "", map[string]string{"client_id": "1234", "client_secret": "s3cret"}, 200, &out)
	return out.AuthToken
}

// connect creates a connection on "Connecteur de test" with login.
func (h *harness) connect(token, login string, want int) powens.Connection {
	h.tb.Helper()
	var c powens.Connection
	h.call("POST", "/2.0/users/me/connections", token, map[string]any{"id_connector": 40, "login": login, "password": "x"}, want, &c)
	return c
}

// accounts lists all accounts of a connection (?all).
func (h *harness) accounts(token string, conn int64) []powens.Account {
	h.tb.Helper()
	var out struct{ Accounts []powens.Account }
	h.call("GET", "/2.0/users/me/connections/"+itoa(conn)+"/accounts?all", token, nil, 200, &out)
	return out.Accounts
}

// activate enables every account of a connection.
func (h *harness) activate(token string, conn int64) []powens.Account {
	h.tb.Helper()
	var ids []string
	for _, a := range h.accounts(token, conn) {
		ids = append(ids, itoa(a.ID))
	}
	var out struct{ Accounts []powens.Account }
	h.call("PUT", "/2.0/users/me/connections/"+itoa(conn)+"/accounts/"+strings.Join(ids, ",")+"?all", token,
		map[string]bool{"disabled": false}, 200, &out)
	return out.Accounts
}

// transactions pages through /users/me/transactions with query q.
func (h *harness) transactions(token, q string) []powens.Transaction {
	h.tb.Helper()
	var all []powens.Transaction
	next := "/2.0/users/me/transactions?limit=1000&" + q
	for pages := 0; next != ""; pages++ {
		if pages > 200 {
			h.tb.Fatal("too many pages")
		}
		var page struct {
			Transactions []powens.Transaction
			Links        struct {
				Next *struct{ Href string }
			} `json:"_links"`
		}
		h.call("GET", next, token, nil, 200, &page)
		all = append(all, page.Transactions...)
		next = ""
		if page.Links.Next != nil {
			next = page.Links.Next.Href
		}
	}
	return all
}

// hook is one webhook delivery received by a receiver.
type hook struct {
	Path   string
	Header http.Header
	Body   []byte    // decompressed
	At     time.Time // when the receiver read it
}

// receiver is a webhook endpoint that records deliveries and can fail on purpose.
type receiver struct {
	mu    sync.Mutex
	hooks []hook
	fail  int // answer 500 to the next fail deliveries
	delay int // answer the next delay deliveries after 200 ms, past a short client timeout
	srv   *httptest.Server
	got   chan struct{}
}

func newReceiver(tb testing.TB) *receiver {
	rc := &receiver{got: make(chan struct{}, 1000)}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			body = zr
		}
		b, _ := io.ReadAll(body)
		rc.mu.Lock()
		rc.hooks = append(rc.hooks, hook{Path: r.URL.Path, Header: r.Header.Clone(), Body: b, At: time.Now()})
		failing := rc.fail > 0
		if failing {
			rc.fail--
		}
		slow := rc.delay > 0
		if slow {
			rc.delay--
		}
		rc.mu.Unlock()
		rc.got <- struct{}{}
		if slow {
			time.Sleep(200 * time.Millisecond)
		}
		if failing {
			http.Error(w, "try later", http.StatusInternalServerError)
		}
	}))
	tb.Cleanup(rc.srv.Close)
	return rc
}

// wait waits for n deliveries in total and returns them all. The deadline
// only ends a failing test: the "big" login's 50,000-transaction webhook
// takes seconds to build and send on a loaded machine under -race.
func (rc *receiver) wait(tb testing.TB, n int) []hook {
	tb.Helper()
	deadline := time.After(2 * time.Minute)
	for {
		rc.mu.Lock()
		got := append([]hook(nil), rc.hooks...)
		rc.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-rc.got:
		case <-deadline:
			tb.Fatalf("received %d webhooks, want %d", len(got), n)
		}
	}
}

// waitWebhooksDelivered waits until the sandbox has no webhook left to
// send: each one was answered 2xx, or dropped by a fault.
func waitWebhooksDelivered(tb testing.TB, h *harness) {
	tb.Helper()
	testenv.WaitFor(tb, 2*time.Minute, "the sandbox's webhooks to be delivered", func() bool { return h.s.WebhooksPending() == 0 })
}

func (rc *receiver) urls(events ...string) map[string]string {
	m := map[string]string{}
	for _, e := range events {
		m[e] = rc.srv.URL + "/webhook/" + e + "/"
	}
	return m
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
