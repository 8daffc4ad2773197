package sandbox

import (
	"net/url"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/powens"
)

// bankPage follows a /webauth URL to the bank page and returns its session id.
func (h *harness) bankPage(webauthURL string) string {
	h.tb.Helper()
	status, _, hdr := h.do("GET", webauthURL, "", nil)
	if status != 307 {
		h.tb.Fatalf("GET /webauth: status %d, want 307", status)
	}
	loc := hdr.Get("Location")
	status, page, _ := h.do("GET", loc, "", nil)
	if status != 200 || !strings.Contains(string(page), "Authorize") || !strings.Contains(string(page), "Deny") {
		h.tb.Fatalf("bank page: %d %s", status, page)
	}
	u, _ := url.Parse(loc)
	return u.Query().Get("session")
}

// decide posts the bank page form and returns the callback query.
func (h *harness) decide(session, action, login string) url.Values {
	h.tb.Helper()
	status, _, hdr := h.do("POST", "/bank/authorize", "", url.Values{"session": {session}, "action": {action}, "login": {login}})
	if status != 303 {
		h.tb.Fatalf("bank decision: status %d", status)
	}
	u, err := url.Parse(hdr.Get("Location"))
	if err != nil || !strings.HasPrefix(u.String(), "https://app.example/callback") {
		h.tb.Fatalf("redirect to %q", hdr.Get("Location"))
	}
	return u.Query()
}

func (h *harness) webauthURL(tok string, q url.Values) string {
	h.tb.Helper()
	q.Set("client_id", "1234")
	q.Set("redirect_uri", "https://app.example/callback")
	var out struct{ URL string }
	h.call("GET", "/2.0/webauth-url?"+q.Encode(), tok, nil, 200, &out)
	return out.URL
}

func TestWebauth(t *testing.T) {
	h := newHarness(t, nil)

	t.Run("NewConnectionAuthorize", func(t *testing.T) {
		tok := h.user()
		sess := h.bankPage(h.webauthURL(tok, url.Values{"id_connector": {"40"}, "state": {"xyz"}}))
		q := h.decide(sess, "authorize", "demo")
		if q.Get("state") != "xyz" || q.Get("id_connection") == "" || q.Get("error") != "" {
			t.Fatalf("callback %v", q)
		}
		var c powens.Connection
		h.call("GET", "/2.0/users/me/connections/"+q.Get("id_connection")+"?expand=sources", tok, nil, 200, &c)
		if c.StateString() != "" || len(c.Sources) != 1 || c.Sources[0].Name != "openapi" {
			t.Fatalf("connection %+v", c)
		}
		if n := len(h.accounts(tok, c.ID)); n != 2 {
			t.Fatalf("openapi found %d accounts, want 2 (PEA, life insurance)", n)
		}
	})

	t.Run("Deny", func(t *testing.T) {
		tok := h.user()
		sess := h.bankPage(h.webauthURL(tok, url.Values{"connector_uuid": {TestBankUUID}, "state": {"s1"}}))
		q := h.decide(sess, "deny", "")
		if q.Get("error") != "access_denied" || q.Get("state") != "s1" || q.Get("id_connection") != "" {
			t.Fatalf("callback %v", q)
		}
	})

	t.Run("WrongpassOnBankPage", func(t *testing.T) {
		tok := h.user()
		q := h.decide(h.bankPage(h.webauthURL(tok, url.Values{"id_connector": {"40"}})), "authorize", "wrongpass")
		if q.Get("error") != "wrongpass" {
			t.Fatalf("callback %v", q)
		}
	})

	t.Run("RepairWebauthLogin", func(t *testing.T) {
		tok := h.user()
		c := h.connect(tok, "webauth", 201)
		path := "/2.0/users/me/connections/" + itoa(c.ID)
		// Up to date: no webauth URL, like Powens.
		var e map[string]any
		h.call("GET", "/2.0/webauth-url?client_id=1234&redirect_uri=https://app.example/callback&id_connection="+itoa(c.ID), tok, nil, 409, &e)
		if e["code"] != "invalidValue" {
			t.Fatalf("409 body %v", e)
		}
		h.call("PUT", path, tok, nil, 200, &c)
		if c.StateString() != "webauthRequired" {
			t.Fatalf("state %q", c.StateString())
		}
		q := h.decide(h.bankPage(h.webauthURL(tok, url.Values{"id_connection": {itoa(c.ID)}})), "authorize", "")
		if q.Get("id_connection") != itoa(c.ID) {
			t.Fatalf("callback %v", q)
		}
		h.call("GET", path, tok, nil, 200, &c)
		if c.StateString() != "" {
			t.Fatalf("after webauth: %q", c.StateString())
		}
	})

	t.Run("AddSecondSource", func(t *testing.T) {
		tok := h.user()
		c := h.connect(tok, "demo", 201)
		path := "/2.0/users/me/connections/" + itoa(c.ID)
		h.call("POST", path+"?source=openapi", tok, nil, 200, &c)
		if c.StateString() != "webauthRequired" {
			t.Fatalf("state %q", c.StateString())
		}
		q := h.decide(h.bankPage(h.webauthURL(tok, url.Values{"id_connection": {itoa(c.ID)}, "source": {"openapi"}})), "authorize", "")
		if q.Get("error") != "" {
			t.Fatalf("callback %v", q)
		}
		h.call("GET", path+"?expand=sources", tok, nil, 200, &c)
		if c.StateString() != "" || len(c.Sources) != 2 {
			t.Fatalf("connection %+v", c)
		}
		if n := len(h.accounts(tok, c.ID)); n != 6 {
			t.Fatalf("%d accounts after both sources, want 6", n)
		}
	})

	t.Run("BadParameters", func(t *testing.T) {
		tok := h.user()
		h.call("GET", "/2.0/webauth-url?client_id=999&redirect_uri=https://x&id_connector=40", tok, nil, 400, nil)
		h.call("GET", "/2.0/webauth-url?client_id=1234&redirect_uri=https://x?a=1&id_connector=40", tok, nil, 400, nil)
		h.call("GET", "/2.0/webauth?client_id=1234&token=nope&redirect_uri=https://x&id_connector=40", "", nil, 401, nil)
	})
}
