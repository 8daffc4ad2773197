package sandbox

import (
	"encoding/json"
	"net/http"
	"testing"
)

// checkVariants drives the logins and the bank that answer in the shapes
// real Powens sends besides the usual ones (issue 9), and validates each
// answer; it returns the legacy bank's connections, whose webhooks carry no
// id_webhook_data.
func checkVariants(o *apiOracle, tok string) (legacy map[int64]bool) {
	// Creation refused with an HTTP error: nothing is created.
	for login, status := range map[string]int{"err-passwordexpired": 400, "err-action": 400, "err-down": 503,
		"err-bug": 500, "err-ratelimit": 429} {
		o.connect(tok, 40, login, status)
	}
	older := o.connect(tok, 40, "olderror", 201)
	var c map[string]any
	json.Unmarshal(o.check("GET", "/2.0/users/me/connections/"+itoa(older)+"?expand=sources", tok, nil, 200), &c)
	if c["state"] != nil || c["error"] != "actionNeeded" || c["error_message"] == nil {
		o.t.Errorf("olderror: state %v, error %v, error_message %v", c["state"], c["error"], c["error_message"])
	}

	gross := o.connect(tok, 40, "gross", 201)
	partial := o.connect(tok, 40, "partial", 201)
	reissue := o.connect(tok, 40, "reissue", 201)
	old := o.connect(tok, 43, "demo", 201)
	o.check("GET", "/2.0/connectors/43?expand=fields", "", nil, 200)
	for _, id := range []int64{gross, partial, reissue, old} {
		o.h.activate(tok, id)
	}
	// The next syncs push a partial history and re-issue transactions.
	for range 2 {
		o.check("PUT", "/2.0/users/me/connections/"+itoa(partial), tok, nil, 200)
		o.check("PUT", "/2.0/users/me/connections/"+itoa(reissue), tok, nil, 200)
	}
	var accounts struct{ Accounts []struct{ ID int64 } }
	json.Unmarshal(o.check("GET", "/2.0/users/me/connections/"+itoa(gross)+"/accounts", tok, nil, 200), &accounts)
	b := o.check("GET", "/2.0/users/me/accounts/"+itoa(accounts.Accounts[0].ID)+"/transactions?limit=1000&all", tok, nil, 200)
	var page struct{ Transactions []map[string]any }
	json.Unmarshal(b, &page)
	nulls := 0
	for _, t := range page.Transactions {
		if t["value"] == nil {
			nulls++
		}
	}
	if nulls < 3 {
		o.t.Errorf("the gross login's checking account has %d transactions with value null, want several", nulls)
	}
	o.check("GET", "/2.0/users/me/accounts?all", tok, nil, 200) // bookmarked 0, livret_a, ldds, csl

	// Older bodies: 401 with a code alone, DELETE answering 200 {}.
	o.h.s.InjectFault(Fault{Path: "/2.0/users/me", Method: http.MethodGet, Status: http.StatusUnauthorized})
	o.check("GET", "/2.0/users/me", tok, nil, 401)
	extra := o.connect(tok, 43, "demo", 201)
	o.check("DELETE", "/2.0/users/me/connections/"+itoa(extra), tok, nil, 200)
	return map[int64]bool{old: true, extra: true}
}

// checkRateLimit validates the 429 of a user beyond the calls-per-minute limit.
func checkRateLimit(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.RateLimit = 2 })
	o := newAPIOracle(t, h)
	tok := h.user()
	o.check("GET", "/2.0/users/me", tok, nil, 200)
	o.check("GET", "/2.0/users/me", tok, nil, 200)
	_, _, header := h.do("GET", "/2.0/users/me", tok, nil)
	if header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	o.check("GET", "/2.0/users/me", tok, nil, 429)
}

// connectionOf is the connection id a webhook body is about, or 0.
func connectionOf(event string, body map[string]any) int64 {
	var id any
	switch event {
	case "connection_synced", "accounts_fetched":
		c, _ := body["connection"].(map[string]any)
		id = c["id"]
	case "connection_deleted":
		id = body["id"]
	default:
		id = body["id_connection"]
	}
	f, _ := id.(float64)
	return int64(f)
}

// checkOracleRejects shows the document is not vacuous: answers a little
// off Powens' reference fail it.
func checkOracleRejects(t *testing.T, o *apiOracle) {
	for _, tc := range []struct {
		schema string
		json   string
	}{
		{"Connection", `{"id": 1, "id_connector": 40, "created": "2025-03-16 12:00:00", "active": true, "state": "nope"}`},
		{"Connection", `{"id": 1, "id_connector": "40", "created": "2025-03-16 12:00:00", "active": true}`},
		{"Connection", `{"id": 1, "id_connector": 40, "created": "2025-03-16T12:00:00Z", "active": true}`},
		{"Connection", `{"id": 1, "id_connector": 40, "created": "2025-03-16 12:00:00"}`},
		{"Connection", `{"id": 1, "id_connector": 40, "created": "2025-03-16 12:00:00", "active": true, "invented": 1}`},
		{"Transaction", `{"id": 1, "id_account": 2, "date": "2025-03-16", "rdate": "2025-03-16", "type": "card",
			"date_scraped": "2025-03-16 12:00:00", "coming": false, "active": true, "value": "12.30"}`},
		{"Transaction", `{"id": 1, "id_account": 2, "date": null, "rdate": "2025-03-16", "type": "card",
			"date_scraped": "2025-03-16 12:00:00", "coming": false, "active": true}`},
		{"BankAccount", `{"id": 1, "id_connection": 1, "id_user": 1, "id_source": 1, "name": "x", "original_name": "x",
			"type": "current", "id_type": 2, "usage": "PRIV", "display": true, "bookmarked": false}`},
		{"Investment", `{"id": 1, "id_account": 2, "label": "Fonds euros", "code": null, "code_type": null}`},
		{"Error", `{"code": "wrongpass"}`},
	} {
		var v any
		if err := json.Unmarshal([]byte(tc.json), &v); err != nil {
			t.Fatal(err)
		}
		if err := o.visit(tc.schema, v); err == nil {
			t.Errorf("%s accepted %s", tc.schema, tc.json)
		}
	}
}
