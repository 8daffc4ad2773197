package sandbox

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens"
)

func stateOf(c powens.Connection) string { return c.StateString() }

func TestScriptedLogins(t *testing.T) {
	h := newHarness(t, nil)
	path := func(c powens.Connection) string { return "/2.0/users/me/connections/" + itoa(c.ID) }

	t.Run("Default", func(t *testing.T) {
		tok := h.user()
		c := h.connect(tok, "demo", 201)
		if stateOf(c) != "" || c.LastUpdate.IsZero() {
			t.Fatalf("state=%q last_update=%v", stateOf(c), c.LastUpdate)
		}
		accts := h.accounts(tok, c.ID)
		if len(accts) != 4 {
			t.Fatalf("%d accounts from directaccess, want 4", len(accts))
		}
		for _, a := range accts {
			if a.Disabled.IsZero() {
				t.Fatalf("account %d created enabled", a.ID)
			}
		}
	})

	t.Run("2fa", func(t *testing.T) {
		tok := h.user()
		c := h.connect(tok, "2fa", 202)
		if stateOf(c) != "additionalInformationNeeded" || len(c.Fields) != 1 || c.Fields[0].Name != "otp" ||
			c.Fields[0].Regex == nil || *c.Fields[0].Regex != `^\d{6}$` {
			t.Fatalf("connection = %+v", c)
		}
		var e map[string]any
		h.call("POST", path(c), tok, map[string]string{"otp": "000000"}, 400, &e)
		if e["code"] != "wrongpass" {
			t.Fatalf("wrong otp answered %v", e)
		}
		h.call("POST", path(c), tok, map[string]string{"otp": "123456"}, 200, &c)
		if stateOf(c) != "" || len(h.accounts(tok, c.ID)) == 0 {
			t.Fatalf("after otp: state %q", stateOf(c))
		}
	})

	t.Run("Decoupled", func(t *testing.T) {
		tok := h.user()
		c := h.connect(tok, "decoupled", 202)
		if stateOf(c) != "decoupled" {
			t.Fatalf("state %q", stateOf(c))
		}
		h.call("POST", path(c)+"?background=true", tok, map[string]bool{"resume": true}, 202, &c)
		if stateOf(c) != "validating" {
			t.Fatalf("after resume: %q, want validating", stateOf(c))
		}
		// The validation ends on the sandbox's timer: poll as a client would.
		testenv.WaitFor(t, time.Minute, "the decoupled validation to end", func() bool {
			h.call("GET", path(c), tok, nil, 200, &c)
			return stateOf(c) != "validating"
		})
		if stateOf(c) != "" {
			t.Fatalf("after validation: %q", stateOf(c))
		}
		// Held: still validating ten times the harness's DecoupledDelay
		// (50 ms) later, until released.
		c = h.connect(tok, "decoupled", 202)
		release := h.s.HoldDecoupled()
		h.call("POST", path(c)+"?background=true", tok, map[string]bool{"resume": true}, 202, &c)
		time.Sleep(500 * time.Millisecond)
		if h.call("GET", path(c), tok, nil, 200, &c); stateOf(c) != "validating" {
			t.Fatalf("held validation: %q, want validating", stateOf(c))
		}
		release()
		testenv.WaitFor(t, time.Minute, "the released validation to end", func() bool {
			h.call("GET", path(c), tok, nil, 200, &c)
			return stateOf(c) != "validating"
		})
		if stateOf(c) != "" {
			t.Fatalf("after release: %q", stateOf(c))
		}
		// Blocking resume returns the final state.
		c = h.connect(tok, "decoupled", 202)
		h.call("POST", path(c), tok, map[string]bool{"resume": true}, 200, &c)
		if stateOf(c) != "" {
			t.Fatalf("blocking resume: %q", stateOf(c))
		}
	})

	t.Run("Wrongpass", func(t *testing.T) {
		tok := h.user()
		var e map[string]any
		h.call("POST", "/2.0/users/me/connections", tok, map[string]any{"id_connector": 40, "login": "wrongpass", "password": "x"}, 400, &e)
		if e["code"] != "wrongpass" {
			t.Fatalf("error = %v", e)
		}
		var list struct{ Connections []powens.Connection }
		h.call("GET", "/2.0/users/me/connections", tok, nil, 200, &list)
		if len(list.Connections) != 0 {
			t.Fatalf("%d connections created", len(list.Connections))
		}
	})

	t.Run("SCA", func(t *testing.T) {
		tok := h.user()
		c := h.connect(tok, "sca", 201)
		h.call("PUT", path(c), tok, nil, 200, &c)
		if stateOf(c) != "SCARequired" {
			t.Fatalf("next sync: %q", stateOf(c))
		}
		h.call("PUT", path(c)+"?psu_requested=false", tok, nil, 200, &c)
		if stateOf(c) != "SCARequired" {
			t.Fatalf("background sync: %q", stateOf(c))
		}
		h.call("PUT", path(c), tok, nil, 200, &c)
		if stateOf(c) != "" {
			t.Fatalf("after re-authentication: %q", stateOf(c))
		}
	})

	t.Run("Webauth", func(t *testing.T) {
		tok := h.user()
		c := h.connect(tok, "webauth", 201)
		h.call("PUT", path(c), tok, nil, 200, &c)
		h.call("POST", path(c), tok, nil, 200, &c)
		if stateOf(c) != "webauthRequired" {
			t.Fatalf("next syncs: %q", stateOf(c))
		}
		// Repair through the webauth page is tested in TestWebauth.
	})

	t.Run("Action", func(t *testing.T) {
		tok := h.user()
		c := h.connect(tok, "action", 201)
		if stateOf(c) != "actionNeeded" || c.ErrorMessage == nil || *c.ErrorMessage == "" {
			t.Fatalf("connection = %+v", c)
		}
	})

	t.Run("Expired", func(t *testing.T) {
		tok := h.user()
		c := h.connect(tok, "expired", 201)
		if stateOf(c) != "passwordExpired" {
			t.Fatalf("state %q", stateOf(c))
		}
		h.call("PUT", path(c), tok, nil, 200, &c)
		if stateOf(c) != "passwordExpired" {
			t.Fatalf("plain sync repaired it: %q", stateOf(c))
		}
		h.call("POST", path(c), tok, map[string]string{"password": "new"}, 200, &c)
		if stateOf(c) != "" {
			t.Fatalf("after new password: %q", stateOf(c))
		}
	})

	for login, want := range map[string]string{"down": "websiteUnavailable", "ratelimit": "rateLimiting"} {
		t.Run(login, func(t *testing.T) {
			tok := h.user()
			c := h.connect(tok, login, 201)
			if stateOf(c) != want || c.NextTry.IsZero() {
				t.Fatalf("state %q next_try %v", stateOf(c), c.NextTry)
			}
			h.call("PUT", path(c), tok, nil, 200, &c)
			if stateOf(c) != "" {
				t.Fatalf("later sync: %q", stateOf(c))
			}
		})
	}

	t.Run("DownRetriedAutomatically", func(t *testing.T) {
		h := newHarness(t, func(c *Config) { c.RetryDelay = 30 * time.Millisecond })
		tok := h.user()
		c := h.connect(tok, "down", 201)
		testenv.WaitFor(t, time.Minute, "the automatic retry to succeed", func() bool {
			h.call("GET", path(c), tok, nil, 200, &c)
			return stateOf(c) == ""
		})
	})

	t.Run("Slow", func(t *testing.T) {
		tok := h.user()
		start := time.Now()
		h.connect(tok, "slow", 201)
		if d := time.Since(start); d < 50*time.Millisecond {
			t.Fatalf("answered after %v, want at least SlowDelay", d)
		}
	})

	t.Run("Big", func(t *testing.T) {
		h := newHarness(t, func(c *Config) { c.BigDays = 40 })
		tok := h.user()
		c := h.connect(tok, "big", 201)
		h.activate(tok, c.ID)
		if got, want := len(h.transactions(tok, "")), 40*50; got != want {
			t.Fatalf("%d transactions, want %d", got, want)
		}
	})

	t.Run("JSONFieldsPresent", func(t *testing.T) {
		tok := h.user()
		c := h.connect(tok, "demo", 201)
		var raw map[string]json.RawMessage
		h.call("GET", path(c)+"?expand=sources,connector,all_accounts", tok, nil, 200, &raw)
		for _, k := range []string{"id", "id_user", "id_connector", "connector_uuid", "state", "error_message", "last_update", "created", "active", "sources", "connector", "all_accounts"} {
			if _, ok := raw[k]; !ok {
				t.Errorf("connection has no %q", k)
			}
		}
	})
}

// TestLoginDocs checks that the login table shown on the sandbox's pages
// lists every scripted login.
func TestLoginDocs(t *testing.T) {
	documented := map[string]bool{}
	for _, d := range loginDocs {
		documented[d.Login] = true
	}
	for _, login := range scripts {
		if !documented[login] {
			t.Errorf("login %q is not in loginDocs", login)
		}
	}
	for login := range createErrors {
		if !documented[login] {
			t.Errorf("login %q is not in loginDocs", login)
		}
	}
}
