package sandbox

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestConcurrentUse hammers one sandbox from several clients; run with -race.
func TestConcurrentUse(t *testing.T) {
	rc := newReceiver(t)
	h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls("connection_synced", "account_enabled") })
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok := h.user()
			c := h.connect(tok, []string{"demo", "sca", "webauth"}[i%3], 201)
			h.activate(tok, c.ID)
			for range 3 {
				h.do("PUT", "/2.0/users/me/connections/"+itoa(c.ID), tok, nil)
				h.do("GET", "/2.0/users/me/transactions?limit=50", tok, nil)
				h.do("POST", "/__sandbox/sync", "", map[string]int64{"id_connection": c.ID})
				h.do("GET", "/__sandbox/state", "", nil)
			}
		}()
	}
	wg.Wait()
}

// TestCloseStopsGoroutines checks that Close leaves no goroutine behind,
// even with deliveries pending to a dead receiver and timers armed.
func TestCloseStopsGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	h := newHarness(t, func(c *Config) {
		c.WebhookURLs = map[string]string{"connection_synced": "http://127.0.0.1:1/hook"}
		c.RetryDelay, c.DecoupledDelay = time.Hour, time.Hour
	})
	tok := h.user()
	h.connect(tok, "down", 201)
	c := h.connect(tok, "decoupled", 202)
	h.do("POST", "/2.0/users/me/connections/"+itoa(c.ID)+"?background", tok, map[string]bool{"resume": true})
	h.srv.Close()
	h.s.Close()
	h.srv.Client().CloseIdleConnections()
	// Goroutines end a little after Close returns (the HTTP client's
	// connections, say): wait for the count to come back, then tell which.
	deadline := time.Now().Add(30 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines after Close, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
