package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/freenahi/freenahi/bankfile"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/freenahi/freenahi/metrics"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/wealth"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/api"
	"github.com/freenahi/freenahi/web/respond"
	"github.com/freenahi/freenahi/web/webhook"
)

// WebhookSecret is the HMAC secret of the webhooks a Server accepts.
const WebhookSecret = "test-webhook-secret"

// Server is a real server over a real store, with the OpenAPI document
// loaded to validate every response the tests see.
type Server struct {
	// Store is the store the server runs on.
	Store *store.Store
	// URL is the base URL the server listens on.
	URL string

	t      *testing.T
	router routers.Router
}

// NewServer serves everything but the web UI over s, with a job runner and
// metrics, after configure has adjusted the wiring; it stops at cleanup.
func NewServer(t *testing.T, s *store.Store, configure ...func(*web.Server)) *Server {
	t.Helper()
	srv := &web.Server{
		Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, History: History(s), Inbox: s, Ping: s.Ping, Spending: s, Assets: s,
		Imports: &bankfile.Importer{Store: s, Accounts: s},
		Version: "test", Webhook: webhook.Config{Secret: WebhookSecret}, Metrics: metrics.New(s),
	}
	for _, f := range configure {
		f(srv)
	}
	StartJobs(t, s, srv)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &Server{Store: s, URL: hs.URL, t: t, router: openAPIRouter(t)}
}

// With returns a copy of ts reporting to t, for use inside subtests.
func (ts *Server) With(t *testing.T) *Server {
	c := *ts
	c.t = t
	return &c
}

func init() {
	// HTML pages, CSV files and the statements (camt.053, OFX) are
	// described in the document; their bodies are not JSON (text/plain has
	// a decoder of its own).
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/xml", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/x-ofx", openapi3filter.FileBodyDecoder)
}

// openAPI is the document the api package serves, loaded and checked once
// per test binary.
var openAPI struct {
	once   sync.Once
	router routers.Router
	err    error
}

// openAPIRouter returns a router over the API's own OpenAPI document, as
// the api package serves it at /api/openapi.json.
func openAPIRouter(t *testing.T) routers.Router {
	t.Helper()
	openAPI.once.Do(func() { openAPI.router, openAPI.err = loadOpenAPI() })
	if openAPI.err != nil {
		t.Fatal(openAPI.err)
	}
	return openAPI.router
}

func loadOpenAPI() (routers.Router, error) {
	mux := http.NewServeMux()
	(&api.Handler{}).Register(mux)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/api/openapi.json", nil))
	if w.Code != http.StatusOK {
		return nil, fmt.Errorf("GET /api/openapi.json: status %d", w.Code)
	}
	doc, err := openapi3.NewLoader().LoadFromData(w.Body.Bytes())
	if err != nil {
		return nil, fmt.Errorf("openapi.json does not load: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.json is not a valid OpenAPI document: %w", err)
	}
	return legacy.NewRouter(doc)
}

// Response is a decoded HTTP answer of a Server.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Decode unmarshals the JSON body into v, failing the test if it cannot.
func (r *Response) Decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Problem decodes an application/problem+json body, failing the test if
// the answer is something else.
func (r *Response) Problem(tb testing.TB) respond.Problem {
	tb.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		tb.Fatalf("Content-Type=%q, want application/problem+json; body %s", ct, r.Body)
	}
	var p respond.Problem
	r.Decode(tb, &p)
	return p
}

// Get calls the API with a token (none when empty) and validates the
// response against the OpenAPI document.
func (ts *Server) Get(token, path string) *Response {
	ts.t.Helper()
	return ts.send("GET", token, path, "", nil)
}

// Post calls the API with a token and no body, and validates the response.
func (ts *Server) Post(token, path string) *Response {
	ts.t.Helper()
	return ts.send("POST", token, path, "", nil)
}

// PostJSON calls the API with a token and a JSON body, and validates the
// response.
func (ts *Server) PostJSON(token, path, body string) *Response {
	ts.t.Helper()
	return ts.send("POST", token, path, "application/json", []byte(body))
}

// PostBody calls the API with a token and a body of any content type (a
// file), and validates the response.
func (ts *Server) PostBody(token, path, contentType string, body []byte) *Response {
	ts.t.Helper()
	return ts.send("POST", token, path, contentType, body)
}

func (ts *Server) send(method, token, path, contentType string, body []byte) *Response {
	ts.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		ts.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return ts.Do(req, body)
}

// Do sends req and validates the response against the OpenAPI document;
// reqBody is the body req carries, if any.
func (ts *Server) Do(req *http.Request, reqBody []byte) *Response {
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
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

func (ts *Server) validate(req *http.Request, reqBody []byte, resp *http.Response, body []byte) {
	ts.t.Helper()
	vreq := req.Clone(context.Background())
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
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		ts.t.Fatalf("%s %s answered %d, which openapi.json does not describe: %v\nbody: %s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
}

// History is the wealth service over s, as serve wires it.
func History(s *store.Store) *wealth.Service {
	return &wealth.Service{Accounts: s, Source: s, Assets: s}
}
