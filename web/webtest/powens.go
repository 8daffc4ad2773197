package webtest

import (
	"net/http/httptest"
	"testing"

	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/web"
)

// newPowens serves a Powens sandbox configured by cfg (its client, domain,
// seed and sync interval set here) over HTTP until cleanup, and returns it,
// its URL and a client of it.
func newPowens(t *testing.T, cfg sandbox.Config) (*sandbox.Server, string, *powens.Client) {
	t.Helper()
	cfg.ClientID, cfg.ClientSecret, cfg.Domain, cfg.Seed, cfg.MinSyncInterval = "1234", "sec", "freenahi-sandbox", 1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(sb)
	t.Cleanup(func() { sb.Close(); api.Close() })
	pc, err := powens.NewClient(powens.ClientConfig{BaseURL: api.URL + "/2.0/", Domain: cfg.Domain, ClientID: cfg.ClientID,
		ClientSecret: cfg.ClientSecret, WebviewURL: api.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	return sb, api.URL, pc
}

// NewSandboxServer is NewServer with an aggregator (and UI sessions) over a
// real Powens sandbox; the aggregator speaks French and sends the webview
// back to https://freenahi.test/webview/callback.
func NewSandboxServer(t *testing.T, s *store.Store) (*Server, *aggregator.Service) {
	t.Helper()
	_, _, pc := newPowens(t, sandbox.Config{})
	agg := &aggregator.Service{Powens: pc, Store: s, RedirectURL: "https://freenahi.test/webview/callback", Language: "fr",
		StateKey: []byte("state-key")}
	ts := NewServer(t, s, func(srv *web.Server) { srv.Aggregator, srv.Sessions = agg, s })
	return ts, agg
}
