package sandbox

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestLegacyBank(t *testing.T) {
	rc := newReceiver(t)
	h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls("connection_synced", "connection_deleted") })
	tok := h.user()
	var fields struct{ Fields []map[string]any }
	h.call("GET", "/2.0/connectors/43/fields", "", nil, 200, &fields)
	for _, f := range fields.Fields {
		if _, ok := f["required"]; ok {
			t.Errorf("field %v has required", f["name"])
		}
	}
	var c struct{ ID int64 }
	h.call("POST", "/2.0/users/me/connections", tok, map[string]any{"id_connector": 43, "login": "demo", "password": "x"}, 201, &c)
	h.activate(tok, c.ID)
	b := h.call("GET", "/2.0/users/me/accounts", tok, nil, 200, nil)
	var types []string
	for _, a := range decodeObject(t, b)["accounts"].([]any) {
		a := a.(map[string]any)
		types = append(types, a["type"].(string))
		if a["bookmarked"] != json.Number("0") {
			t.Errorf("bookmarked %v, want 0", a["bookmarked"])
		}
	}
	if got := strings.Join(types, ","); got != "checking,livret_a,ldds,csl" {
		t.Errorf("types %s", got)
	}
	status, body, _ := h.do("DELETE", "/2.0/users/me/connections/"+itoa(c.ID), tok, nil)
	if status != 200 || strings.TrimSpace(string(body)) != "{}" {
		t.Errorf("DELETE answered %d %s, want 200 {}", status, body)
	}
	waitWebhooksDelivered(t, h)
	for _, hk := range rc.wait(t, 3) {
		if bytes.Contains(hk.Body, []byte("id_webhook_data")) {
			t.Errorf("%s carries id_webhook_data", hk.Path)
		}
	}

	h.s.InjectFault(Fault{Path: "/2.0/users/me", Status: 401})
	status, body, _ = h.do("GET", "/2.0/users/me", tok, nil)
	if status != 401 || strings.TrimSpace(string(body)) != `{"code":"unauthorized"}` {
		t.Errorf("401 fault answered %d %s", status, body)
	}
}
