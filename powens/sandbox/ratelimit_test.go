package sandbox

import (
	"strings"
	"testing"
	"time"
)

// TestRateLimit checks Powens' fair-usage limit of sandbox domains, 30
// calls a minute, counted per user and answered 429 with Retry-After.
func TestRateLimit(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.RateLimit = 30 })
	tok, other := h.user(), h.user()
	for range 30 {
		h.call("GET", "/2.0/users/me", tok, nil, 200, nil)
	}
	h.clock.Add(20 * time.Second)
	status, b, header := h.do("GET", "/2.0/users/me/connections", tok, nil)
	if status != 429 || header.Get("Retry-After") != "40" || !strings.Contains(string(b), `"code":"rateLimiting"`) {
		t.Fatalf("31st call in a minute: %d Retry-After %q %s", status, header.Get("Retry-After"), b)
	}
	h.call("GET", "/2.0/users/me", other, nil, 200, nil) // per user
	h.call("GET", "/2.0/connectors", "", nil, 200, nil)  // no user token, not counted
	h.clock.Add(40 * time.Second)
	h.call("GET", "/2.0/users/me", tok, nil, 200, nil)
}
