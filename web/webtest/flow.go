package webtest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
)

// Flow is the UI wired to the real aggregator over a real Powens sandbox,
// both over HTTP, with a signed-in person: what the connection screens run on.
type Flow struct {
	// Store is the SQLite store the UI runs on.
	Store *store.Store
	// Sandbox is the Powens sandbox, and SandboxURL its address.
	Sandbox    *sandbox.Server
	SandboxURL string
	// Aggregator is the service the UI connects banks through.
	Aggregator *aggregator.Service
	// URL is the UI's base URL.
	URL string
	// User is the signed-in person, ana@example.com, and Client her browser.
	User   *freenahi.User
	Client *Client
	// StopJobs stops the instance's job runner, as a shutdown does.
	StopJobs func()

	t *testing.T
}

// NewFlow starts the sandbox and the UI, and signs ana@example.com in.
func NewFlow(t *testing.T) *Flow {
	t.Helper()
	s := storetest.MustOpen(t, store.SQLite)
	sb, sbURL, pc := newPowens(t, sandbox.Config{DecoupledDelay: 50 * time.Millisecond, SlowDelay: 3 * time.Second,
		RetryDelay: time.Hour})
	ui := httptest.NewUnstartedServer(nil)
	agg := &aggregator.Service{Powens: pc, Store: s, RedirectURL: "http://" + ui.Listener.Addr().String() + "/webview/callback",
		StateKey: []byte("state-key")}
	srv := &web.Server{Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s, Sessions: s,
		History: History(s), Aggregator: agg}
	_, stopJobs := StartJobs(t, s, srv)
	ui.Config.Handler = srv.Handler()
	ui.Start()
	t.Cleanup(ui.Close)
	f := &Flow{t: t, Store: s, Sandbox: sb, SandboxURL: sbURL, Aggregator: agg, URL: ui.URL, StopJobs: stopJobs}
	f.User = MustUserWithPassword(t, s, "ana@example.com")
	f.Client = NewClient(t, ui.URL)
	f.Client.SignIn("ana@example.com")
	return f
}

var pollPath = regexp.MustCompile(`data-poll="(/connect/jobs/[^/"]+)/status"`)

// Settle follows redirects within the UI, waiting on progress pages until
// their job is done; it stops at a page or at a redirect leaving the UI.
func (f *Flow) Settle(r *Page) *Page {
	f.t.Helper()
	testenv.WaitFor(f.t, 30*time.Second, "the flow to settle", func() bool {
		switch {
		case r.Status >= 300 && r.Status < 400:
			loc := r.Header.Get("Location")
			if strings.HasPrefix(loc, "http") && !strings.HasPrefix(loc, f.URL) {
				return true
			}
			r = f.Client.Get(strings.TrimPrefix(loc, f.URL))
			return false
		case r.Status == http.StatusAccepted && strings.Contains(r.Body, "data-poll="):
			r = f.Client.Get(pollPath.FindStringSubmatch(r.Body)[1])
			return false
		default:
			return true
		}
	})
	return r
}

// Connect opens the connector's form and posts a login (password
// "secret"), as a person would, and settles.
func (f *Flow) Connect(uuid, login string, extra url.Values) *Page {
	f.t.Helper()
	MustStatus(f.t, f.Client.Get("/connect/bank/"+uuid), http.StatusOK)
	form := url.Values{"f.login": {login}, "f.password": {"secret"}}
	for k, v := range extra {
		form[k] = v
	}
	return f.Settle(f.Client.Post("/connect/bank/"+uuid, form))
}

// Drain processes what the aggregator queued in the inbox.
func (f *Flow) Drain() { DrainInbox(f.t, f.Store) }

var connectionPath = regexp.MustCompile(`/connect/c/(\d+)`)

// PowensID reads the Powens connection id in a page's URLs.
func PowensID(tb testing.TB, body string) string {
	tb.Helper()
	m := connectionPath.FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("no connection in page:\n%s", Excerpt(body))
	}
	return m[1]
}

// AtBank follows a redirect to the sandbox's bank page and answers it with
// action ("authorize", "deny"), then settles the redirect back to the UI's
// callback.
func (f *Flow) AtBank(r *Page, action string) *Page {
	f.t.Helper()
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, f.SandboxURL+"/2.0/webauth?") {
		f.t.Fatalf("expected a redirect to the bank, got %d %q\n%s", r.Status, loc, Excerpt(r.Body))
	}
	q, _ := url.Parse(loc)
	if back := q.Query().Get("redirect_uri"); back != f.URL+"/connect/callback" {
		f.t.Fatalf("redirect_uri=%q", back)
	}
	res, err := f.Client.HTTP.Get(loc)
	if err != nil {
		f.t.Fatal(err)
	}
	res.Body.Close()
	bank, _ := res.Location()
	form := url.Values{"session": {bank.Query().Get("session")}, "action": {action}, "login": {"demo"}}
	res, err = f.Client.HTTP.PostForm(bank.String(), form)
	if err != nil {
		f.t.Fatal(err)
	}
	res.Body.Close()
	back, err := res.Location()
	if err != nil || !strings.HasPrefix(back.String(), f.URL+"/connect/callback?") {
		f.t.Fatalf("the bank sent us to %v (%v)", back, err)
	}
	return f.Settle(f.Client.Get(strings.TrimPrefix(back.String(), f.URL)))
}

// StartWorker processes the inbox in the background, as serve does, so
// pulled data shows without the test draining it.
func (f *Flow) StartWorker() {
	ctx, cancel := context.WithCancel(context.Background())
	w := &ingest.Worker{Inbox: f.Store, PollInterval: 50 * time.Millisecond, MaxAttempts: 5,
		Backoff: func(int) time.Duration { return 20 * time.Millisecond }, Logger: testLogger(f.t)}
	f.Aggregator.EventQueued = w.Wake
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	f.t.Cleanup(func() { cancel(); <-done })
}

// testLogger sends warnings and errors to the test's log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
