package powens

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustWebviewClient(tb testing.TB, cfg ClientConfig) *Client {
	tb.Helper()
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://example-sandbox.biapi.pro/2.0/"
	}
	if cfg.ClientID == "" {
		cfg.ClientID = "1234"
	}
	c, err := NewClient(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestClient_WebviewURL(t *testing.T) {
	c := mustWebviewClient(t, ClientConfig{})
	for _, tc := range []struct {
		name  string
		flow  WebviewFlow
		in    Webview
		path  string
		query url.Values
	}{
		{"Connect", FlowConnect,
			Webview{Lang: "fr", RedirectURI: "https://app.example/cb", Code: "a/b+c", State: "st", ConnectorUUIDs: []string{"u1", "u2"},
				ConnectorCapabilities: []string{"bank"}, AccountTypes: []string{"checking", "card"}, MaxConnections: 3,
				Extra: url.Values{"u1.website": {"par"}}},
			"/fr/connect",
			url.Values{"domain": {"example-sandbox"}, "client_id": {"1234"}, "redirect_uri": {"https://app.example/cb"}, "code": {"a/b+c"},
				"state": {"st"}, "connector_uuids": {"u1,u2"}, "connector_capabilities": {"bank"}, "account_types": {"checking,card"},
				"max_connections": {"3"}, "u1.website": {"par"}}},
		{"ConnectAnonymous", FlowConnect, Webview{RedirectURI: "https://app.example/cb", ConnectorIDs: []int64{40}},
			"/connect",
			url.Values{"domain": {"example-sandbox"}, "client_id": {"1234"}, "redirect_uri": {"https://app.example/cb"}, "connector_ids": {"40"}}},
		{"Reconnect", FlowReconnect,
			Webview{Lang: "en", RedirectURI: "https://app.example/cb", Code: "c", ConnectionID: 7, ResetCredentials: true, ConnectionSources: []string{"openapi"}},
			"/en/reconnect",
			url.Values{"domain": {"example-sandbox"}, "client_id": {"1234"}, "redirect_uri": {"https://app.example/cb"}, "code": {"c"},
				"connection_id": {"7"}, "reset_credentials": {"true"}, "connection_sources": {"openapi"}}},
		{"Manage", FlowManage, Webview{Code: "c", ConnectionID: 7, State: "s"},
			"/manage",
			url.Values{"domain": {"example-sandbox"}, "client_id": {"1234"}, "code": {"c"}, "connection_id": {"7"}, "state": {"s"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.WebviewURL(tc.flow, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(got)
			if err != nil {
				t.Fatal(err)
			}
			if u.Scheme != "https" || u.Host != "webview.powens.com" || u.Path != tc.path {
				t.Errorf("url %q, want https://webview.powens.com%s", got, tc.path)
			}
			if diff := cmp.Diff(tc.query, u.Query()); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClient_WebviewURL_Config(t *testing.T) {
	c := mustWebviewClient(t, ClientConfig{BaseURL: "http://127.0.0.1:9/2.0/", Domain: "local", WebviewURL: "http://127.0.0.1:9/webview"})
	got, err := c.WebviewURL(FlowManage, Webview{Code: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://127.0.0.1:9/webview/manage?client_id=1234&code=c&domain=local"; got != want {
		t.Errorf("url %q, want %q", got, want)
	}
	noDomain := mustWebviewClient(t, ClientConfig{BaseURL: "http://127.0.0.1:9/2.0/"})
	if _, err := noDomain.WebviewURL(FlowManage, Webview{Code: "c"}); err == nil {
		t.Error("WebviewURL without a domain succeeded")
	}
}

func TestClient_WebviewURL_Validation(t *testing.T) {
	c := mustWebviewClient(t, ClientConfig{})
	for name, tc := range map[string]struct {
		flow WebviewFlow
		in   Webview
	}{
		"ConnectNoRedirect":  {FlowConnect, Webview{}},
		"RedirectWithQuery":  {FlowConnect, Webview{RedirectURI: "https://a.example/cb?x=1"}},
		"ReconnectNoCode":    {FlowReconnect, Webview{RedirectURI: "https://a.example/cb", ConnectionID: 7}},
		"ReconnectNoConn":    {FlowReconnect, Webview{RedirectURI: "https://a.example/cb", Code: "c"}},
		"ManageNoCode":       {FlowManage, Webview{}},
		"BadLang":            {FlowManage, Webview{Code: "c", Lang: "../x"}},
		"UnknownFlow":        {"payment", Webview{Code: "c"}},
		"ExtraOverridesCode": {FlowManage, Webview{Code: "c", Extra: url.Values{"code": {"other"}}}},
	} {
		if got, err := c.WebviewURL(tc.flow, tc.in); err == nil {
			t.Errorf("%s: WebviewURL=%q, want an error", name, got)
		}
	}
}

func TestParseWebviewCallback(t *testing.T) {
	for _, tc := range []struct {
		name, query string
		want        WebviewCallback
	}{
		{"Connect", "connection_id=7&code=a%2Fb%2Bc&state=s", WebviewCallback{ConnectionID: 7, Code: "a/b+c", State: "s"}},
		{"Multi", "connection_ids=7,8,9&state=s", WebviewCallback{ConnectionID: 7, ConnectionIDs: []int64{7, 8, 9}, State: "s"}},
		{"Webauth", "id_connection=12&state=null", WebviewCallback{ConnectionID: 12, State: "null"}},
		{"ManageDeleted", "connection_id=7&connection_deleted=true", WebviewCallback{ConnectionID: 7, ConnectionDeleted: true}},
		{"Error", "error=access_denied&error_description=User+cancelled&state=s",
			WebviewCallback{Error: WebviewAccessDenied, ErrorDescription: "User cancelled", State: "s"}},
		{"UnknownError", "error=somethingNew", WebviewCallback{Error: "somethingNew"}},
		{"ReconnectStateOnly", "state=s&unknown=1", WebviewCallback{State: "s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseWebviewCallback(q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tc.want, got); diff != "" {
				t.Errorf("callback (-want +got):\n%s", diff)
			}
			if got.Failed() != (tc.want.Error != "") {
				t.Errorf("Failed()=%v", got.Failed())
			}
		})
	}
	for _, bad := range []string{"connection_id=x", "connection_id=-1", "connection_ids=1,,2", "connection_deleted=maybe", "id_connection=1e3"} {
		q, _ := url.ParseQuery(bad)
		if got, err := ParseWebviewCallback(q); err == nil {
			t.Errorf("ParseWebviewCallback(%s)=%+v, want an error", bad, got)
		}
	}
}
