package sandbox

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
)

// object decodes a JSON object keeping numbers as written.
func decodeObject(tb testing.TB, b []byte) map[string]any {
	tb.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		tb.Fatalf("decode %s: %v", b, err)
	}
	return m
}

// rawTransactions lists every transaction of an account, as JSON objects.
func (h *harness) rawTransactions(tok string, account int64) []map[string]any {
	h.tb.Helper()
	b := h.call("GET", "/2.0/users/me/accounts/"+itoa(account)+"/transactions?limit=1000&all", tok, nil, 200, nil)
	var out []map[string]any
	for _, t := range decodeObject(h.tb, b)["transactions"].([]any) {
		out = append(out, t.(map[string]any))
	}
	return out
}

func TestGrossLogin(t *testing.T) {
	h := newHarness(t, nil)
	tok := h.user()
	c := h.connect(tok, "gross", 201)
	checking := h.activate(tok, c.ID)[0]
	var sum, splits, usd, unknown int64
	for _, tx := range h.rawTransactions(tok, checking.ID) {
		if tx["deleted"] != nil || tx["coming"] == true {
			continue
		}
		if tx["value"] != nil {
			sum += cents(t, tx["value"])
			continue
		}
		splits++
		cc, _ := tx["commission_currency"].(map[string]any)
		switch {
		case tx["gross_value"] == nil:
			unknown++
			if tx["commission"] != nil {
				t.Errorf("amount unknown but commission %v", tx["commission"])
			}
		case cc != nil && cc["id"] == "USD":
			usd++
			sum += cents(t, tx["gross_value"]) // a commission in another currency is not deducted
		default:
			if cc != nil && cc["id"] != "EUR" {
				t.Errorf("commission_currency %v", cc)
			}
			g, com := cents(t, tx["gross_value"]), cents(t, tx["commission"])
			if want := -(divRound(g*290, 10000) + 35); com != want {
				t.Errorf("gross %d, commission %d, want %d", g, com, want)
			}
			sum += g + com
		}
	}
	if splits < 10 || usd != 1 || unknown != 1 {
		t.Fatalf("%d transactions with value null, %d with a USD commission, %d of unknown amount", splits, usd, unknown)
	}
	if got := minor(t, checking.Balance); got != sum {
		t.Fatalf("balance %d cents, the derived amounts sum to %d", got, sum)
	}
}

// cents reads a JSON number of an amount.
func cents(tb testing.TB, v any) int64 {
	tb.Helper()
	n, ok := v.(json.Number)
	if !ok {
		tb.Fatalf("%v is not a JSON number", v)
	}
	return minorOf(tb, n.String())
}

func TestOldErrorLogin(t *testing.T) {
	h := newHarness(t, nil)
	tok := h.user()
	b := h.call("POST", "/2.0/users/me/connections?expand=sources", tok,
		map[string]any{"id_connector": 40, "login": "olderror", "password": "x"}, 201, nil)
	c := decodeObject(t, b)
	src := c["sources"].([]any)[0].(map[string]any)
	if c["state"] != nil || c["error"] != "actionNeeded" || c["error_message"] != actionMessage || src["state"] != nil {
		t.Fatalf("state %v error %v error_message %v source state %v", c["state"], c["error"], c["error_message"], src["state"])
	}
	id := c["id"].(json.Number).String()
	h.call("PUT", "/2.0/users/me/connections/"+id+"?psu_requested=false", tok, nil, 200, &c)
	if c["error"] != "actionNeeded" {
		t.Fatalf("a background sync cleared it: %v", c)
	}
	h.call("PUT", "/2.0/users/me/connections/"+id, tok, nil, 200, &c)
	if c["error"] != nil || c["state"] != nil {
		t.Fatalf("after the person acted: error %v state %v", c["error"], c["state"])
	}
}

func TestCreateErrors(t *testing.T) {
	h := newHarness(t, nil)
	tok := h.user()
	for _, tc := range []struct {
		login, code string
		status      int
		message     bool
	}{
		{"err-passwordexpired", "passwordExpired", 400, true},
		{"err-action", "actionNeeded", 400, true},
		{"err-down", "websiteUnavailable", 503, false},
		{"err-bug", "bug", 500, false},
		{"err-ratelimit", "rateLimiting", 429, false},
	} {
		status, b, header := h.do("POST", "/2.0/users/me/connections", tok,
			map[string]any{"id_connector": 40, "login": tc.login, "password": "x"})
		e := decodeObject(t, b)
		if status != tc.status || e["code"] != tc.code || e["description"] == "" || (e["message"] != nil) != tc.message {
			t.Errorf("%s: %d %s", tc.login, status, b)
		}
		if tc.status == 429 && header.Get("Retry-After") == "" {
			t.Errorf("%s: no Retry-After", tc.login)
		}
	}
	if got := len(h.s.Records(1).Connections); got != 0 {
		t.Fatalf("%d connections created", got)
	}

	t.Run("DecoupledPending", func(t *testing.T) {
		pending := h.connect(tok, "decoupled", 202)
		var e map[string]any
		h.call("POST", "/2.0/users/me/connections", tok, map[string]any{"id_connector": 40, "login": "demo", "password": "x"}, 400, &e)
		if e["code"] != "badRequest" || !strings.Contains(e["description"].(string), "resume") {
			t.Fatalf("creation while %d waits: %v", pending.ID, e)
		}
		h.connect(tok, "demo", 400)
		h.call("POST", "/2.0/users/me/connections", tok, map[string]any{"id_connector": 42, "login": "demo", "password": "x"}, 201, nil)
		h.call("POST", "/2.0/users/me/connections/"+itoa(pending.ID), tok, map[string]bool{"resume": true}, 200, nil)
		h.connect(tok, "demo", 201)
	})
}

// minorOf parses exact decimal text into cents.
func minorOf(tb testing.TB, s string) int64 {
	tb.Helper()
	v, err := freenahi.ParseAmount("amount", s, 2)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}
