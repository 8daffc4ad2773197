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

// TestForcedSyncTooSoon checks Powens' refusal of a forced sync right after
// a successful one: 409 tooManySync until MinSyncInterval has passed; a
// connection in trouble may be synced again at once.
func TestForcedSyncTooSoon(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MinSyncInterval = 30 * time.Second })
	o := newAPIOracle(t, h)
	tok := h.user()
	c := h.connect(tok, "demo", 201)
	b := o.check("PUT", "/2.0/users/me/connections/"+itoa(c.ID), tok, nil, 409)
	if !strings.Contains(string(b), `"code":"tooManySync"`) {
		t.Fatalf("409 body %s", b)
	}
	h.clock.Add(30 * time.Second)
	o.check("PUT", "/2.0/users/me/connections/"+itoa(c.ID), tok, nil, 200)
	broken := h.connect(tok, "action", 201)
	o.check("PUT", "/2.0/users/me/connections/"+itoa(broken.ID), tok, nil, 200)
}
