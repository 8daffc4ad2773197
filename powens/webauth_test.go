package powens

import (
	"context"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUserClient_WebauthURL(t *testing.T) {
	f := MustNewFake(t, reply(200, `{"url": "https://bank.example/authorize?x=1"}`))
	got, err := f.client.User("tok").WebauthURL(context.Background(), Webauth{
		RedirectURI: "https://app.example/powens/callback", ConnectionID: 7, State: "s t",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != "https://bank.example/authorize?x=1" {
		t.Errorf("url=%q", got)
	}
	checkRequest(t, f.Only(t), "GET", "/2.0/webauth-url",
		"client_id=1234&id_connection=7&redirect_uri=https%3A%2F%2Fapp.example%2Fpowens%2Fcallback&state=s+t", "tok")

	f = MustNewFake(t, reply(409, `{"code": "invalidValue", "description": "connection is up to date"}`))
	if _, err := f.client.User("tok").WebauthURL(context.Background(), Webauth{RedirectURI: "https://a.example/cb", ConnectionID: 7}); !IsConflict(err) {
		t.Errorf("err=%v, want a conflict", err)
	}
}

func TestClient_BrowserWebauthURL(t *testing.T) {
	f := MustNewFake(t, reply(500, ``))
	got, err := f.client.BrowserWebauthURL(Webauth{
		RedirectURI:   "https://app.example/cb",
		ConnectorUUID: "338178e6-3d01-564f-9a7b-52ca442459bf",
		Source:        "openapi",
		State:         "xyz",
		Fields:        map[string]string{"website": "par"},
	}, "tmp/code+1")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if want := f.srv.URL + "/2.0/webauth"; u.Scheme+"://"+u.Host+u.Path != want {
		t.Errorf("url %q, want under %q", got, want)
	}
	want := url.Values{
		"client_id": {"1234"}, "redirect_uri": {"https://app.example/cb"}, "token": {"tmp/code+1"},
		"connector_uuid": {"338178e6-3d01-564f-9a7b-52ca442459bf"}, "source": {"openapi"}, "state": {"xyz"}, "website": {"par"},
	}
	if diff := cmp.Diff(want, u.Query()); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("building a URL sent %d requests", n)
	}
}

func TestWebauth_Validation(t *testing.T) {
	f := MustNewFake(t, reply(200, `{"url": "x"}`))
	for name, w := range map[string]Webauth{
		"NoRedirect":       {ConnectorID: 40},
		"RedirectQuery":    {RedirectURI: "https://a.example/cb?x=1", ConnectorID: 40},
		"RelativeRedirect": {RedirectURI: "/cb", ConnectorID: 40},
		"Neither":          {RedirectURI: "https://a.example/cb"},
		"Both":             {RedirectURI: "https://a.example/cb", ConnectorID: 40, ConnectionID: 7},
		"FieldOverrides":   {RedirectURI: "https://a.example/cb", ConnectorID: 40, Fields: map[string]string{"token": "x"}},
	} {
		if _, err := f.client.BrowserWebauthURL(w, "code"); err == nil {
			t.Errorf("%s: BrowserWebauthURL succeeded", name)
		}
		if _, err := f.client.User("tok").WebauthURL(context.Background(), w); err == nil {
			t.Errorf("%s: WebauthURL succeeded", name)
		}
	}
	if _, err := f.client.BrowserWebauthURL(Webauth{RedirectURI: "https://a.example/cb", ConnectorID: 40}, ""); err == nil {
		t.Error("BrowserWebauthURL without a code succeeded")
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("invalid input sent %d requests", n)
	}
}
