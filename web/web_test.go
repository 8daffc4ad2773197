package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/freenahi/freenahi/web/respond"
	"github.com/freenahi/freenahi/web/webhook"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/metrics"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/web"
)

var ctx = context.Background()

const webhookSecret = "test-webhook-secret"

// testServer is a real server over a real store, with the OpenAPI document
// loaded to validate every response the tests see.
type testServer struct {
	t      *testing.T
	store  *store.Store
	server *web.Server
	http   *httptest.Server
	router routers.Router
}

func newTestServer(t *testing.T, s *store.Store, configure ...func(*web.Server)) *testServer {
	t.Helper()
	srv := &web.Server{
		Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s, Ping: s.Ping,
		Version: "test", Webhook: webhook.Config{Secret: webhookSecret}, Metrics: metrics.New(s),
	}
	for _, f := range configure {
		f(srv)
	}
	startJobs(t, s, srv)
	ts := &testServer{t: t, store: s, server: srv, http: httptest.NewServer(srv.Handler())}
	t.Cleanup(ts.http.Close)
	ts.router = openAPIRouter(t)
	return ts
}

// with returns a copy of ts reporting to t, for use inside subtests.
func (ts *testServer) with(t *testing.T) *testServer {
	c := *ts
	c.t = t
	return &c
}

func init() {
	// HTML pages are described in the document; their bodies are not JSON.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.FileBodyDecoder)
}

func openAPIRouter(t *testing.T) routers.Router {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("api", "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatalf("openapi.json does not load: %v", err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return router
}

// response is a decoded HTTP answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r *response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

func (r *response) problem(t *testing.T) respond.Problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type=%q, want application/problem+json; body %s", ct, r.Body)
	}
	var p respond.Problem
	r.decode(t, &p)
	return p
}

// get calls the API with a token and validates the response against the
// OpenAPI document.
func (ts *testServer) get(token, path string) *response {
	ts.t.Helper()
	req, err := http.NewRequest("GET", ts.http.URL+path, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return ts.do(req, nil)
}

func (ts *testServer) do(req *http.Request, reqBody []byte) *response {
	ts.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.validate(req, reqBody, resp, body)
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

func (ts *testServer) validate(req *http.Request, reqBody []byte, resp *http.Response, body []byte) {
	ts.t.Helper()
	vreq := req.Clone(ctx)
	vreq.URL.Host, vreq.URL.Scheme, vreq.Host = "", "", ""
	route, params, err := ts.router.FindRoute(vreq)
	if err != nil {
		if resp.StatusCode == http.StatusNotFound {
			return // unknown routes are not in the document, by design
		}
		ts.t.Fatalf("%s %s is not in openapi.json: %v", req.Method, req.URL.Path, err)
	}
	if reqBody != nil {
		vreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: true}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		ts.t.Fatalf("%s %s answered %d, which openapi.json does not describe: %v\nbody: %s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
}

// user is a freenahi user with data from the fixture and an API token.
type user struct {
	*freenahi.User
	token string
}

// mustUserWithData creates a user linked to a Powens user, ingests the
// fixture for it (with the Powens ids shifted by offset so users differ), and
// gives it an API token.
func mustUserWithData(t *testing.T, s *store.Store, email string, powensUser int64) *user {
	t.Helper()
	u, err := s.CreateUser(ctx, email, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: powensUser, Token: "powens-token-" + email}); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile("../ingest/testdata/connection_synced.json")
	if err != nil {
		t.Fatal(err)
	}
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "test:" + email, PowensUserID: &powensUser,
		Auth: freenahi.AuthHMAC, Body: body}
	if _, err := s.ReceiveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	w := &ingest.Worker{Inbox: s, MaxAttempts: 1}
	if n, err := w.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain: %d %v", n, err)
	}
	tok, err := s.CreateAPIToken(ctx, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return &user{User: u, token: tok.Secret}
}

func drainInbox(t *testing.T, s *store.Store) {
	t.Helper()
	w := &ingest.Worker{Inbox: s, MaxAttempts: 1}
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}
