package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens"
)

func TestWebhooks(t *testing.T) {
	t.Run("SignedAndVerifiable", func(t *testing.T) {
		rc := newReceiver(t)
		h := newHarness(t, func(c *Config) {
			c.WebhookURLs, c.WebhookSecret = rc.urls("connection_synced"), "hmac-secret"
		})
		tok := h.user()
		c := h.connect(tok, "demo", 201)
		hk := rc.wait(t, 1)[0]
		err := powens.VerifySignature("hmac-secret", "POST", hk.Path, hk.Header.Get(powens.HeaderSignatureDate),
			hk.Header.Get(powens.HeaderSignature), hk.Body, h.clock.Now(), 5*time.Minute)
		if err != nil {
			t.Fatalf("signature: %v", err)
		}
		if got, want := hk.Header.Get("Authorization"), "Bearer "+tok; got != want {
			t.Fatalf("Authorization=%q, want %q", got, want)
		}
		var p powens.ConnectionSynced
		if err := json.Unmarshal(hk.Body, &p); err != nil {
			t.Fatal(err)
		}
		if p.IDWebhookData == nil || p.User == nil || p.Connection.ID != c.ID || p.Connection.Connector == nil ||
			len(p.Connection.Sources) != 1 {
			t.Fatalf("payload %s", hk.Body)
		}
	})

	t.Run("ActivationSendsHistory", func(t *testing.T) {
		rc := newReceiver(t)
		h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls("connection_synced", "account_enabled") })
		tok := h.user()
		c := h.connect(tok, "demo", 201)
		h.activate(tok, c.ID)
		n := 0
		for _, hk := range rc.wait(t, 6) { // synced, 4 × enabled, synced
			if !strings.Contains(hk.Path, "connection_synced") {
				continue
			}
			var p powens.ConnectionSynced
			json.Unmarshal(hk.Body, &p)
			for _, a := range p.Connection.Accounts {
				powens.DecodeTransactions(a.Transactions, func(int, *powens.Transaction) error { n++; return nil })
			}
		}
		if got := len(h.transactions(tok, "")); n != got {
			t.Fatalf("webhooks carried %d transactions, the API lists %d", n, got)
		}
	})

	t.Run("RetriedAfterFailures", func(t *testing.T) {
		rc := newReceiver(t)
		rc.fail = 2
		h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls("connection_synced") })
		h.connect(h.user(), "demo", 201)
		got := rc.wait(t, 3)
		for _, hk := range got[1:] {
			if string(hk.Body) != string(got[0].Body) {
				t.Fatal("retry changed the body")
			}
		}
	})

	t.Run("FlusherPausesAfterTenFailures", func(t *testing.T) {
		rc := newReceiver(t)
		rc.fail = 10
		const pause = time.Second
		h := newHarness(t, func(c *Config) {
			c.WebhookURLs, c.WebhookFlushInterval = rc.urls("connection_synced"), pause
		})
		h.connect(h.user(), "demo", 201)
		// Ten failures 10 ms apart, then the run stops; the next run resends
		// the unprocessed data. A slow machine only widens the gaps, so the
		// pause is told by a lower bound on the gap after the tenth.
		got := rc.wait(t, 11)
		if gap := got[10].At.Sub(got[9].At); gap < pause {
			t.Fatalf("11th attempt %v after the 10th, want a pause of at least %v", gap, pause)
		}
		if string(got[10].Body) != string(got[0].Body) {
			t.Fatal("the resend after the pause is not the same delivery")
		}
	})

	t.Run("DroppedByFault", func(t *testing.T) {
		rc := newReceiver(t)
		h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls("connection_synced") })
		h.call("POST", "/__sandbox/faults", "", map[string]int{"drop_webhooks": 1}, 204, nil)
		tok := h.user()
		h.connect(tok, "demo", 201)
		second := h.connect(tok, "demo", 201)
		waitWebhooksDelivered(t, h) // the dropped one counts as delivered
		got := rc.wait(t, 1)
		var p powens.ConnectionSynced
		json.Unmarshal(got[0].Body, &p)
		if len(got) != 1 || p.Connection.ID != second.ID {
			t.Fatalf("got %d webhooks, for connection %d; want only %d's", len(got), p.Connection.ID, second.ID)
		}
	})

	t.Run("GzipAndFailedSyncState", func(t *testing.T) {
		rc := newReceiver(t)
		h := newHarness(t, func(c *Config) {
			c.WebhookURLs, c.WebhookGzip, c.WebhookSecret = rc.urls("connection_synced", "connection_deleted"), true, "k"
		})
		tok := h.user()
		c := h.connect(tok, "action", 201)
		hk := rc.wait(t, 1)[0]
		if hk.Header.Get("Content-Encoding") != "gzip" {
			t.Fatal("not gzipped")
		}
		if err := powens.VerifySignature("k", "POST", hk.Path, hk.Header.Get(powens.HeaderSignatureDate),
			hk.Header.Get(powens.HeaderSignature), hk.Body, h.clock.Now(), time.Minute); err != nil {
			t.Fatalf("signature over the decompressed body: %v", err)
		}
		var p powens.ConnectionSynced
		json.Unmarshal(hk.Body, &p)
		if p.Connection.StateString() != "actionNeeded" {
			t.Fatalf("failed sync webhook state %q", p.Connection.StateString())
		}
		h.call("DELETE", "/2.0/users/me/connections/"+itoa(c.ID), tok, nil, 204, nil)
		var del map[string]any
		json.Unmarshal(rc.wait(t, 2)[1].Body, &del)
		if del["id"] != float64(c.ID) || del["id_user"] == nil {
			t.Fatalf("CONNECTION_DELETED %v", del)
		}
	})

	t.Run("HeldUntilPermanent", func(t *testing.T) {
		rc := newReceiver(t)
		h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls("connection_synced") })
		var temp struct {
			AuthToken string `json:"auth_token"`
		}
		h.call("POST", "/2.0/auth/init", "", nil, 200, &temp)
		h.connect(temp.AuthToken, "demo", 201)
		var code struct{ Code string }
		h.call("GET", "/2.0/auth/token/code", temp.AuthToken, nil, 200, &code)
		var perm map[string]string
		h.call("POST", "/2.0/auth/token/access", "", url.Values{"client_id": {"1234"}, "client_secret": {"s3cret"}, "code": {code.Code}}, 200, &perm)
		if got := rc.wait(t, 1)[0].Header.Get("Authorization"); got != "Bearer "+perm["access_token"] {
			t.Fatalf("Authorization=%q", got)
		}
	})
}

func TestFaults(t *testing.T) {
	h := newHarness(t, nil)
	tok := h.user()
	h.s.InjectFault(Fault{Path: "/2.0/users/me", Count: 2, Status: 429, RetryAfter: 7})
	for range 2 {
		status, _, hdr := h.do("GET", "/2.0/users/me", tok, nil)
		if status != 429 || hdr.Get("Retry-After") != "7" {
			t.Fatalf("status %d Retry-After %q", status, hdr.Get("Retry-After"))
		}
	}
	h.call("GET", "/2.0/users/me", tok, nil, 200, nil)
	h.call("POST", "/__sandbox/faults", "", []map[string]any{{"path": "/2.0/connectors", "status": 500}, {"path": "/2.0/users", "delay_ms": 80}}, 204, nil)
	h.call("GET", "/2.0/connectors", "", nil, 500, nil)
	start := time.Now()
	h.call("GET", "/2.0/users/me", tok, nil, 200, nil)
	if time.Since(start) < 80*time.Millisecond {
		t.Fatal("not delayed")
	}

	t.Run("ControlSyncAndState", func(t *testing.T) {
		c := h.connect(tok, "sca", 201)
		var out struct{ Connections []map[string]any }
		h.call("POST", "/__sandbox/sync", "", map[string]int64{"id_connection": c.ID}, 200, &out)
		if len(out.Connections) != 1 || out.Connections[0]["state"] != "SCARequired" {
			t.Fatalf("sync = %v", out)
		}
		var st map[string]any
		b := h.call("GET", "/__sandbox/state", "", nil, 200, &st)
		if strings.Contains(string(b), tok) || st["users"] == nil {
			t.Fatalf("state %s", b)
		}
	})
}

func TestStatePath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	h := newHarness(t, func(c *Config) { c.StatePath, c.Key = path, nil })
	tok := h.user()
	c := h.connect(tok, "demo", 201)
	h.activate(tok, c.ID)
	before := h.call("GET", "/2.0/users/me/transactions?limit=1000", tok, nil, 200, nil)
	var key1 map[string]any
	h.call("GET", "/2.0/publickey", "", nil, 200, &key1)
	h.srv.Close()
	if err := h.s.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v %v", fi, err)
	}
	h2 := newHarness(t, func(c *Config) { c.StatePath, c.Key = path, nil })
	h2.clock.Set(h.clock.Now())
	after := h2.call("GET", "/2.0/users/me/transactions?limit=1000", tok, nil, 200, nil)
	if strings.ReplaceAll(string(before), h.srv.URL, "") != strings.ReplaceAll(string(after), h2.srv.URL, "") {
		t.Fatal("transactions changed across a restart")
	}
	var key2 map[string]any
	h2.call("GET", "/2.0/publickey", "", nil, 200, &key2)
	if key1["kid"] != key2["kid"] {
		t.Fatal("key changed across a restart")
	}
}

func TestStartClose(t *testing.T) {
	s, err := New(Config{ClientID: "1", ClientSecret: "2", Key: testKey()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := s.Start(ctx, "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + s.Addr() + "/2.0/connectors")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	cancel()
	// Close runs in the goroutine that watched the context.
	testenv.WaitFor(t, time.Minute, "the sandbox to stop with its context", func() bool {
		resp, err := http.Get("http://" + s.Addr() + "/2.0/connectors")
		if err == nil {
			resp.Body.Close()
		}
		return err != nil
	})
}

// TestWebhookTimeouts checks the other stop of Powens' flusher: two
// timeouts of the same webhook end the run, and the next run resends it.
func TestWebhookTimeouts(t *testing.T) {
	rc := newReceiver(t)
	rc.delay = 2
	const pause = time.Second
	h := newHarness(t, func(c *Config) {
		c.WebhookURLs, c.WebhookFlushInterval = rc.urls("connection_synced"), pause
		c.HTTPClient = &http.Client{Timeout: 50 * time.Millisecond}
	})
	h.connect(h.user(), "demo", 201)
	got := rc.wait(t, 3)
	if gap := got[2].At.Sub(got[1].At); gap < pause {
		t.Fatalf("3rd attempt %v after the 2nd timeout, want a pause of at least %v", gap, pause)
	}
	waitWebhooksDelivered(t, h)
}
