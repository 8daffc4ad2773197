package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

func TestOps(t *testing.T) {
	ts := webtest.NewServer(t, storetest.MustOpen(t, store.SQLite))
	for _, path := range []string{"/healthz", "/readyz", "/version", "/api/openapi.json"} {
		if r := ts.Get("", path); r.Status != http.StatusOK {
			t.Errorf("%s: status=%d", path, r.Status)
		}
	}
	r := ts.Get("", "/metrics")
	if r.Status != http.StatusOK {
		t.Fatalf("/metrics status=%d", r.Status)
	}
	for _, name := range []string{"freenahi_inbox_events", "freenahi_http_requests_total", "go_goroutines"} {
		if !strings.Contains(string(r.Body), name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	if r := ts.Get("", "/api/v1/nope"); r.Status != http.StatusNotFound {
		t.Fatalf("unknown API route: status=%d", r.Status)
	}
}
