package sandbox

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/powens"
)

var sessionRE = regexp.MustCompile(`name="session" value="([^"]+)"`)

// webview starts a flow and returns the session id found in its first page.
func (h *harness) webview(path string, q url.Values, wantText string) string {
	h.tb.Helper()
	q.Set("domain", "freenahi-sandbox.biapi.pro")
	q.Set("client_id", "1234")
	status, b, _ := h.do("GET", path+"?"+q.Encode(), "", nil)
	if status != 200 || !strings.Contains(string(b), wantText) {
		h.tb.Fatalf("GET %s: %d %s", path, status, b)
	}
	m := sessionRE.FindSubmatch(b)
	if m == nil {
		h.tb.Fatalf("no session in %s", b)
	}
	return string(m[1])
}

// post submits a webview form; it returns the page, or the redirect target.
func (h *harness) post(path string, form url.Values) (string, *url.URL) {
	h.tb.Helper()
	status, b, hdr := h.do("POST", path, "", form)
	if status == 303 {
		u, _ := url.Parse(hdr.Get("Location"))
		return "", u
	}
	if status != 200 {
		h.tb.Fatalf("POST %s: %d %s", path, status, b)
	}
	return string(b), nil
}

func TestWebview(t *testing.T) {
	h := newHarness(t, nil)
	cb := "https://app.example/callback"

	t.Run("ConnectAnonymousWith2FA", func(t *testing.T) {
		sess := h.webview("/fr/connect", url.Values{"redirect_uri": {cb}, "state": {"st"}}, "Connecteur de test")
		page, _ := h.post("/fr/connect", url.Values{"session": {sess}, "step": {"pick"}, "connector": {"40"}})
		if !strings.Contains(page, `name="password"`) || !strings.Contains(page, "wrongpass") {
			t.Fatalf("form page %s", page)
		}
		page, _ = h.post("/fr/connect", url.Values{"session": {sess}, "step": {"credentials"}, "login": {"wrongpass"}, "password": {"x"}})
		if !strings.Contains(page, "incorrect") {
			t.Fatalf("wrongpass page %s", page)
		}
		page, _ = h.post("/fr/connect", url.Values{"session": {sess}, "step": {"credentials"}, "login": {"2fa"}, "password": {"x"}})
		if !strings.Contains(page, `name="otp"`) {
			t.Fatalf("otp page %s", page)
		}
		page, _ = h.post("/fr/connect", url.Values{"session": {sess}, "step": {"otp"}, "otp": {"123456"}})
		m := regexp.MustCompile(`name="account" value="(\d+)"`).FindAllStringSubmatch(page, -1)
		if len(m) != 4 {
			t.Fatalf("accounts page %s", page)
		}
		_, u := h.post("/fr/connect", url.Values{"session": {sess}, "step": {"accounts"}, "account": {m[0][1], m[1][1]}})
		q := u.Query()
		if !strings.HasPrefix(u.String(), cb) || q.Get("connection_id") == "" || q.Get("state") != "st" || q.Get("code") == "" {
			t.Fatalf("callback %s", u)
		}
		var tok map[string]string
		h.call("POST", "/2.0/auth/token/access", "", map[string]string{"client_id": "1234", "client_secret": "s3cret", "code": q.Get("code")}, 200, &tok)
		var list struct{ Accounts []powens.Account }
		h.call("GET", "/2.0/users/me/accounts", tok["access_token"], nil, 200, &list)
		if len(list.Accounts) != 2 {
			t.Fatalf("%d accounts activated, want 2", len(list.Accounts))
		}
	})

	t.Run("Cancel", func(t *testing.T) {
		sess := h.webview("/en/connect", url.Values{"redirect_uri": {cb}, "state": {"z"}, "connector_ids": {"41"}}, "Banque Démo Pro")
		_, u := h.post("/en/connect", url.Values{"session": {sess}, "step": {"cancel"}})
		if q := u.Query(); q.Get("error") != "access_denied" || q.Get("error_description") == "" || q.Get("state") != "z" {
			t.Fatalf("callback %s", u)
		}
	})

	t.Run("ReconnectAndManage", func(t *testing.T) {
		tok := h.user()
		c := h.connect(tok, "expired", 201)
		var code struct{ Code string }
		h.call("GET", "/2.0/auth/token/code", tok, nil, 200, &code)
		sess := h.webview("/en/reconnect", url.Values{"redirect_uri": {cb}, "code": {code.Code}, "connection_id": {itoa(c.ID)}}, "passwordExpired")
		_, u := h.post("/en/reconnect", url.Values{"session": {sess}, "step": {"credentials"}, "password": {"new"}})
		if u == nil || u.Query().Get("error") != "" {
			t.Fatalf("reconnect did not finish: %v", u)
		}
		h.call("GET", "/2.0/users/me/connections/"+itoa(c.ID), tok, nil, 200, &c)
		if c.StateString() != "" {
			t.Fatalf("state after reconnect %q", c.StateString())
		}
		h.call("GET", "/2.0/auth/token/code", tok, nil, 200, &code)
		sess = h.webview("/en/manage", url.Values{"code": {code.Code}}, "Connecteur de test")
		page, _ := h.post("/en/manage", url.Values{"session": {sess}, "enable": {itoa(h.accounts(tok, c.ID)[0].ID)}})
		if !strings.Contains(page, ">Disable<") {
			t.Fatalf("manage page %s", page)
		}
		h.post("/en/manage", url.Values{"session": {sess}, "delete": {itoa(c.ID)}})
		h.call("GET", "/2.0/users/me/connections/"+itoa(c.ID), tok, nil, 404, nil)
	})

	t.Run("BadLinks", func(t *testing.T) {
		for _, path := range []string{"/en/connect?client_id=9&domain=freenahi-sandbox&redirect_uri=x", "/xx/connect", "/en/reconnect?client_id=1234&domain=freenahi-sandbox"} {
			if status, _, _ := h.do("GET", path, "", nil); status == 200 {
				t.Errorf("GET %s accepted", path)
			}
		}
		if status, b, _ := h.do("GET", "/", "", nil); status != 200 || !strings.Contains(string(b), "decoupled") {
			t.Errorf("index page %d", status)
		}
	})
}
