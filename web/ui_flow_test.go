package web_test

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
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
)

// flowEnv is the UI wired to the real aggregator over a real sandbox, both
// over HTTP, with a signed-in person: what the connection screens run on.
type flowEnv struct {
	t       *testing.T
	store   *store.Store
	sandbox *sandbox.Server
	sbURL   string
	agg     *aggregator.Service
	srv     *web.Server
	url     string
	user    *freenahi.User
	c       *uiClient
	// stopJobs stops the instance's job runner, as a shutdown does.
	stopJobs func()
}

const (
	testBankUUID = "3a2c0f1e-7b4d-4c1a-9e59-0c7d1f0a4040" // Connecteur de test: directaccess then openapi (webauth)
	proBankUUID  = "3a2c0f1e-7b4d-4c1a-9e59-0c7d1f0a4041" // Banque Démo Pro: a website list field
)

func newFlowEnv(t *testing.T) *flowEnv {
	t.Helper()
	s := storetest.MustOpen(t, store.SQLite)
	sb, err := sandbox.New(sandbox.Config{ClientID: "1234", ClientSecret: "sec", Domain: "freenahi-sandbox", Seed: 1,
		DecoupledDelay: 50 * time.Millisecond, SlowDelay: 3 * time.Second, MinSyncInterval: -1, RetryDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(sb)
	t.Cleanup(func() { sb.Close(); api.Close() })
	pc, err := powens.NewClient(powens.ClientConfig{BaseURL: api.URL + "/2.0/", Domain: "freenahi-sandbox", ClientID: "1234",
		ClientSecret: "sec", WebviewURL: api.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	ui := httptest.NewUnstartedServer(nil)
	agg := &aggregator.Service{Powens: pc, Store: s, RedirectURL: "http://" + ui.Listener.Addr().String() + "/webview/callback",
		StateKey: []byte("state-key")}
	srv := &web.Server{Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s, Sessions: s,
		Aggregator: agg}
	_, stopJobs := startJobs(t, s, srv)
	ui.Config.Handler = srv.Handler()
	ui.Start()
	t.Cleanup(ui.Close)
	e := &flowEnv{t: t, store: s, sandbox: sb, sbURL: api.URL, agg: agg, srv: srv, url: ui.URL, stopJobs: stopJobs}
	e.user = mustUserWithPassword(t, s, "ana@example.com")
	e.c = newUIClient(t, ui.URL)
	e.c.signIn("ana@example.com")
	return e
}

// settle follows redirects within the UI, waiting on progress pages until
// their job is done; it stops at a page or at a redirect leaving the UI.
func (e *flowEnv) settle(r *uiResponse) *uiResponse {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		switch {
		case r.Status >= 300 && r.Status < 400:
			loc := r.Header.Get("Location")
			if strings.HasPrefix(loc, "http") && !strings.HasPrefix(loc, e.url) {
				return r
			}
			r = e.c.get(strings.TrimPrefix(loc, e.url))
		case r.Status == http.StatusAccepted && strings.Contains(r.Body, "data-poll="):
			time.Sleep(30 * time.Millisecond)
			r = e.c.get(regexp.MustCompile(`data-poll="(/connect/jobs/[^/"]+)/status"`).FindStringSubmatch(r.Body)[1])
		default:
			return r
		}
	}
	e.t.Fatal("the flow did not settle in 30 s")
	return nil
}

// connect opens the connector's form and posts a login, as a person would.
func (e *flowEnv) connect(uuid, login string, extra url.Values) *uiResponse {
	e.t.Helper()
	mustStatus(e.t, e.c.get("/connect/bank/"+uuid), http.StatusOK)
	form := url.Values{"f.login": {login}, "f.password": {"secret"}}
	for k, v := range extra {
		form[k] = v
	}
	return e.settle(e.c.post("/connect/bank/"+uuid, form))
}

// drain processes what the aggregator queued in the inbox.
func (e *flowEnv) drain() { drainInbox(e.t, e.store) }

// powensID reads the Powens connection id in the current page's URLs.
func powensID(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`/connect/c/(\d+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no connection in page:\n%s", excerpt(body))
	}
	return m[1]
}

// atBank follows a redirect to the sandbox's bank page and answers it,
// returning the redirect back to the UI's callback.
func (e *flowEnv) atBank(r *uiResponse, action string) *uiResponse {
	e.t.Helper()
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, e.sbURL+"/2.0/webauth?") {
		e.t.Fatalf("expected a redirect to the bank, got %d %q\n%s", r.Status, loc, excerpt(r.Body))
	}
	q, _ := url.Parse(loc)
	if back := q.Query().Get("redirect_uri"); back != e.url+"/connect/callback" {
		e.t.Fatalf("redirect_uri=%q", back)
	}
	res, err := e.c.http.Get(loc)
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	bank, _ := res.Location()
	form := url.Values{"session": {bank.Query().Get("session")}, "action": {action}, "login": {"demo"}}
	res, err = e.c.http.PostForm(bank.String(), form)
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	back, err := res.Location()
	if err != nil || !strings.HasPrefix(back.String(), e.url+"/connect/callback?") {
		e.t.Fatalf("the bank sent us to %v (%v)", back, err)
	}
	return e.settle(e.c.get(strings.TrimPrefix(back.String(), e.url)))
}

// startWorker processes the inbox in the background, as serve does, so
// pulled data shows without the test draining it.
func (e *flowEnv) startWorker() {
	ctx, cancel := context.WithCancel(context.Background())
	w := &ingest.Worker{Inbox: e.store, PollInterval: 50 * time.Millisecond, MaxAttempts: 5,
		Backoff: func(int) time.Duration { return 20 * time.Millisecond }, Logger: testLogger(e.t)}
	e.agg.EventQueued = w.Wake
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	e.t.Cleanup(func() { cancel(); <-done })
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
