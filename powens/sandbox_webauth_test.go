package powens_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// Browser-side flows against the sandbox: the webauth redirect to the bank
// page and back, and the webview links.

// noRedirect is a browser that stops at each redirect so the test can look.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// authorizeAtBank follows a webauth URL to the sandbox bank page and
// answers it, returning the callback query.
func authorizeAtBank(t *testing.T, webauthURL, action string) url.Values {
	t.Helper()
	res, err := noRedirect.Get(webauthURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := res.Location()
	if err != nil || res.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("webauth answered %d, location %v", res.StatusCode, err)
	}
	form := url.Values{"session": {loc.Query().Get("session")}, "action": {action}, "login": {"demo"}}
	res, err = noRedirect.PostForm(loc.String(), form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, err := res.Location()
	if err != nil || !strings.HasPrefix(back.String(), callbackURL+"?") {
		t.Fatalf("bank page answered %d, location %v (%v)", res.StatusCode, back, err)
	}
	return back.Query()
}

func TestSandbox_Webauth(t *testing.T) {
	ctx := context.Background()
	e := MustStartSandbox(t)
	u, _ := e.MustCreateUser(t)

	t.Run("WebauthURL", func(t *testing.T) {
		link, err := u.WebauthURL(ctx, powens.Webauth{RedirectURI: callbackURL, ConnectorUUID: testBank, Source: "openapi", State: "st-1"})
		if err != nil {
			t.Fatal(err)
		}
		cb, err := powens.ParseWebviewCallback(authorizeAtBank(t, link, "authorize"))
		if err != nil || cb.Failed() || cb.ConnectionID == 0 || cb.State != "st-1" {
			t.Fatalf("callback %+v, %v", cb, err)
		}
		conn, err := u.GetConnection(ctx, cb.ConnectionID)
		if err != nil || conn.ConnectionState() != freenahi.StateOK {
			t.Errorf("connection %+v, %v", conn, err)
		}
		// An up-to-date connection needs no repair: Powens answers 409.
		_, err = u.WebauthURL(ctx, powens.Webauth{RedirectURI: callbackURL, ConnectionID: cb.ConnectionID})
		if !powens.IsConflict(err) {
			t.Errorf("repair of a healthy connection: err=%v, want a conflict", err)
		}
	})
	t.Run("BrowserURLDenied", func(t *testing.T) {
		code, err := u.TemporaryCode(ctx, powens.CodeSingleAccess)
		if err != nil {
			t.Fatal(err)
		}
		link, err := e.client.BrowserWebauthURL(powens.Webauth{RedirectURI: callbackURL, ConnectorUUID: testBank, State: "st-2"}, code.Code)
		if err != nil {
			t.Fatal(err)
		}
		cb, err := powens.ParseWebviewCallback(authorizeAtBank(t, link, "deny"))
		if err != nil || !cb.Failed() || cb.Error != powens.WebviewAccessDenied || cb.State != "st-2" {
			t.Errorf("callback %+v, %v", cb, err)
		}
	})
}

func TestSandbox_Webview(t *testing.T) {
	ctx := context.Background()
	e := MustStartSandbox(t)
	u, _ := e.MustCreateUser(t)
	code, err := u.TemporaryCode(ctx, powens.CodeRequestAccess)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		flow powens.WebviewFlow
		w    powens.Webview
	}{
		"Connect": {powens.FlowConnect, powens.Webview{Lang: "fr", RedirectURI: callbackURL, Code: code.Code, ConnectorUUIDs: []string{testBank}}},
		"Manage":  {powens.FlowManage, powens.Webview{Lang: "en", Code: code.Code}},
	} {
		link, err := e.client.WebviewURL(tc.flow, tc.w)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res, err := noRedirect.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: %s answered %d", name, link, res.StatusCode)
		}
	}
}
