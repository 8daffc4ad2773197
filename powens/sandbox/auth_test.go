package sandbox

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

func TestAuth(t *testing.T) {
	rc := newReceiver(t)
	h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls("user_deleted") })

	t.Run("InitPermanentAndTemporary", func(t *testing.T) {
		var perm, temp map[string]any
		h.call("POST", "/2.0/auth/init", "", map[string]string{"client_id": "1234", "client_secret": "s3cret"}, 200, &perm)
		if perm["type"] != "permanent" || perm["expires_in"] != nil || perm["id_user"] == nil {
			t.Fatalf("permanent init = %v", perm)
		}
		h.call("POST", "/2.0/auth/init", "", nil, 200, &temp)
		if got, want := temp["type"], "temporary"; got != want {
			t.Fatalf("type=%v, want %v", got, want)
		}
		if got, want := temp["expires_in"], 1800.0; got != want {
			t.Fatalf("expires_in=%v, want %v", got, want)
		}
		status, _, _ := h.do("POST", "/2.0/auth/init", "", url.Values{"client_id": {"1234"}, "client_secret": {"nope"}})
		if status != 403 {
			t.Fatalf("bad secret: status %d, want 403", status)
		}
	})

	t.Run("Unauthorized", func(t *testing.T) {
		for _, path := range []string{"/2.0/users/me", "/2.0/users/me/connections", "/2.0/users/me/accounts", "/2.0/users/me/transactions?limit=10"} {
			status, b, _ := h.do("GET", path, "bogus", nil)
			var e map[string]any
			json.Unmarshal(b, &e)
			if status != 401 || e["code"] == nil || e["description"] == nil || e["request_id"] == nil {
				t.Fatalf("GET %s: %d %s", path, status, b)
			}
		}
	})

	t.Run("CodeExchangeRenewRevoke", func(t *testing.T) {
		var temp struct {
			AuthToken string `json:"auth_token"`
			IDUser    int64  `json:"id_user"`
		}
		h.call("POST", "/2.0/auth/init", "", nil, 200, &temp)
		var code map[string]any
		h.call("GET", "/2.0/auth/token/code?type=singleAccess", temp.AuthToken, nil, 200, &code)
		if code["access"] != "single" || code["type"] != "temporary" {
			t.Fatalf("code = %v", code)
		}
		var tok map[string]string
		// Form-encoded, as Powens accepts flat bodies both ways.
		h.call("POST", "/2.0/auth/token/access", "", url.Values{"client_id": {"1234"}, "client_secret": {"s3cret"},
			"code": {code["code"].(string)}, "grant_type": {"authorization_code"}}, 200, &tok)
		if tok["token_type"] != "Bearer" || tok["access_token"] == "" {
			t.Fatalf("exchange = %v", tok)
		}
		// Single use.
		h.call("POST", "/2.0/auth/token/access", "", map[string]string{"client_id": "1234", "client_secret": "s3cret", "code": code["code"].(string)}, 400, nil)
		var me map[string]any
		h.call("GET", "/2.0/users/me", tok["access_token"], nil, 200, &me)
		if int64(me["id"].(float64)) != temp.IDUser || me["signin"] == nil {
			t.Fatalf("me = %v", me)
		}
		var renewed map[string]string
		h.call("POST", "/2.0/auth/renew", "", map[string]any{"grant_type": "client_credentials", "client_id": "1234",
			"client_secret": "s3cret", "id_user": temp.IDUser, "revoke_previous": true}, 200, &renewed)
		h.call("GET", "/2.0/users/me", tok["access_token"], nil, 401, nil)
		h.call("DELETE", "/2.0/auth/token", renewed["access_token"], nil, 204, nil)
		h.call("GET", "/2.0/users/me", renewed["access_token"], nil, 401, nil)
	})

	t.Run("CodeWithSlashAndPlus", func(t *testing.T) {
		tok := h.user()
		for range 20 {
			var code map[string]any
			h.call("GET", "/2.0/auth/token/code", tok, nil, 200, &code)
			if c := code["code"].(string); strings.ContainsAny(c, "/+") {
				h.call("GET", "/2.0/users/me", c, nil, 200, nil) // a code works as a bearer too
				return
			}
		}
		t.Fatal("no code with / or + in 20 tries")
	})

	t.Run("DeleteUser", func(t *testing.T) {
		tok := h.user()
		var me map[string]any
		h.call("GET", "/2.0/users/me", tok, nil, 200, &me)
		h.call("DELETE", "/2.0/users/me", tok, nil, 204, nil)
		h.call("GET", "/2.0/users/me", tok, nil, 401, nil)
		got := rc.wait(t, 1)
		var body map[string]any
		json.Unmarshal(got[0].Body, &body)
		if body["id"] != me["id"] || body["id_webhook_data"] == nil {
			t.Fatalf("USER_DELETED body = %s", got[0].Body)
		}
		if got, want := got[0].Header.Get("Authorization"), "Bearer "+tok; got != want {
			t.Fatalf("Authorization=%q, want %q", got, want)
		}
	})
}

func TestConnectors(t *testing.T) {
	h := newHarness(t, nil)
	var list struct{ Connectors []map[string]any }
	h.call("GET", "/2.0/connectors?expand=sources,fields", "", nil, 200, &list)
	if len(list.Connectors) < 2 {
		t.Fatalf("%d connectors", len(list.Connectors))
	}
	test := list.Connectors[0]
	if test["name"] != "Connecteur de test" {
		t.Fatalf("first connector %v", test["name"])
	}
	srcs := test["sources"].([]any)
	s0, s1 := srcs[0].(map[string]any), srcs[1].(map[string]any)
	if s0["name"] != "directaccess" || s0["auth_mechanism"] != "credentials" || s0["priority"] != 1.0 ||
		s1["name"] != "openapi" || s1["auth_mechanism"] != "webauth" || s1["priority"] != 2.0 {
		t.Fatalf("sources = %v", srcs)
	}
	var one map[string]any
	h.call("GET", "/2.0/connectors/"+test["uuid"].(string), "", nil, 200, &one)
	if one["id"] != 40.0 || one["sources"] != nil {
		t.Fatalf("by uuid = %v", one)
	}
	var fields struct{ Fields []map[string]any }
	h.call("GET", "/2.0/connectors/41/fields", "", nil, 200, &fields)
	if fields.Fields[0]["name"] != "website" || fields.Fields[0]["type"] != "list" || len(fields.Fields[0]["values"].([]any)) != 2 {
		t.Fatalf("fields = %v", fields)
	}
	h.call("GET", "/2.0/connectors/40/sources", "", nil, 200, nil)
	h.call("GET", "/2.0/connectors/999", "", nil, 404, nil)
	h.call("GET", "/2.0/connectors?country_codes=DE", "", nil, 200, &list)
	if len(list.Connectors) != 0 {
		t.Fatalf("country filter kept %d connectors", len(list.Connectors))
	}
	var key map[string]any
	h.call("GET", "/2.0/publickey", "", nil, 200, &key)
	if key["kty"] != "RSA" || key["kid"] == nil || key["n"] == nil {
		t.Fatalf("publickey = %v", key)
	}
}
