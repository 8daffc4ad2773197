package export

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/freenahi/freenahi"
)

// TestGuardedHTTPClient: the address actually dialled decides, so a host
// name that resolves to this computer is refused like the address itself.
func TestGuardedHTTPClient(t *testing.T) {
	var hits atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer ts.Close()
	byName := strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
	for _, u := range []string{ts.URL, byName} {
		_, err := guardedHTTPClient(false).Get(u)
		if freenahi.ErrorCode(err) != freenahi.EINVALID || !strings.Contains(err.Error(), "on this computer or a private network") {
			t.Fatalf("GET %s without loopback: %v, want the guard's refusal", u, err)
		}
	}
	if hits.Load() != 0 {
		t.Fatal("a refused address was reached")
	}
	res, err := guardedHTTPClient(true).Get(ts.URL)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET with loopback allowed: %v", err)
	}
	res.Body.Close()
}
