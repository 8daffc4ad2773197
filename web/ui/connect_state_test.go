package ui_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// Every connection state Powens documents, and one it may add later, gets
// its own screen. The sandbox cannot reach all of them (notSupported, bug,
// an unknown state), so a minimal fake Powens answers the connection read.

// fakeStates maps a Powens connection id to its state and extras.
var fakeStates = []struct {
	state, message string
	fields         bool
	screen, text   string
}{
	{"additionalInformationNeeded", "", true, "answer", `name="f.otp"`},
	{"decoupled", "", false, "decoupled", "I approved it, continue"},
	{"validating", "", false, "validating", "This page updates by itself."},
	{"SCARequired", "", false, "sca", "Authenticate again"},
	{"webauthRequired", "", false, "webauth", "Continue to the bank’s page"},
	{"wrongpass", "", true, "credentials", "Enter your current credentials for this bank."},
	{"passwordExpired", "", false, "credentials", "Change it on your bank’s website first"},
	{"actionNeeded", "<script>alert(1)</script> Signez le contrat.", false, "action", "&lt;script&gt;alert(1)&lt;/script&gt; Signez le contrat."},
	{"rateLimiting", "", false, "transient", "Your bank is limiting access for now."},
	{"websiteUnavailable", "", false, "transient", "Your bank’s website is unavailable."},
	{"bug", "", false, "transient", "Powens met an internal problem"},
	{"notSupported", "", false, "fatal", "cannot be synchronised by freenahi"},
	{"quantumEntanglement", "", false, "fatal", "State reported: <code>quantumEntanglement</code>"},
}

// fakePowens answers GET connections/{id} from fakeStates (ids from 1), the
// connector with its credentials fields, and 404 otherwise.
func fakePowens(t *testing.T) *httptest.Server {
	otp := powens.Field{Name: "otp", Label: "Code", Type: "text", Required: true, Regex: ptr(`^\d{6}$`)}
	creds := []powens.Field{{Name: "login", Label: "Identifiant", Type: "text", Required: true, ConnectorSources: []string{"directaccess"}},
		{Name: "password", Label: "Mot de passe", Type: "password", Required: true, ConnectorSources: []string{"directaccess"}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasPrefix(r.URL.Path, "/2.0/connectors/") {
			json.NewEncoder(w).Encode(powens.Connector{ID: 40, UUID: sandbox.TestBankUUID, Name: "Banque Fictive", Fields: creds,
				Sources: []powens.ConnectorSource{{ID: 1, Name: "directaccess", AuthMechanism: ptr("credentials"), Priority: 1}}})
			return
		}
		id, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/2.0/users/me/connections/"))
		if id < 1 || id > len(fakeStates) || r.Method != http.MethodGet {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"code":"notFound"}`))
			return
		}
		st := fakeStates[id-1]
		c := powens.Connection{ID: int64(id), ConnectorUUID: sandbox.TestBankUUID, State: ptr(st.state),
			Connector: &powens.Connector{ID: 40, UUID: sandbox.TestBankUUID, Name: "Banque Fictive"},
			Sources:   []powens.ConnectionSource{{ID: 1, Name: "directaccess", State: ptr(st.state)}},
			NextTry:   powens.Time{Time: time.Date(2025, 3, 10, 12, 0, 0, 0, powens.Paris)}}
		if st.message != "" {
			c.ErrorMessage = ptr(st.message)
		}
		if st.fields && st.state == "additionalInformationNeeded" {
			c.Fields = []powens.Field{otp}
		} else if st.fields {
			c.Fields = creds
		}
		json.NewEncoder(w).Encode(c)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func ptr[T any](v T) *T { return &v }

func TestUIState_EveryScreen(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	fake := fakePowens(t)
	pc, err := powens.NewClient(powens.ClientConfig{BaseURL: fake.URL + "/2.0/", Domain: "fake", ClientID: "1", ClientSecret: "x", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	agg := &aggregator.Service{Powens: pc, Store: s}
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) { srv.Aggregator = agg })
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 7, Token: "tok"}); err != nil {
		t.Fatal(err)
	}
	c := webtest.NewClient(t, ts.URL)
	c.SignIn("ana@example.com")

	for i, st := range fakeStates {
		t.Run(st.state, func(t *testing.T) {
			r := c.Get(fmt.Sprintf("/connect/c/%d", i+1))
			webtest.MustStatus(t, r, http.StatusOK)
			webtest.MustContain(t, r, `data-screen="`+st.screen+`"`, st.text, "Banque Fictive")
			if strings.Contains(r.Body, "<script>alert") {
				t.Fatal("the bank's message reached the page unescaped")
			}
		})
	}
	t.Run("Unknown", func(t *testing.T) {
		webtest.MustStatus(t, c.Get("/connect/c/999"), http.StatusNotFound)
	})
	t.Run("French", func(t *testing.T) {
		c.Get("/lang/fr?back=/")
		r := c.Get("/connect/c/4")
		webtest.MustContain(t, r, "Votre banque a besoin que vous confirmiez votre identité.", "M’authentifier à nouveau")
		c.Get("/lang/en?back=/")
	})
}

func TestUI_ConnectionsConsentExpiry(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) {
		// The listing needs no Powens call; the aggregator only enables the actions.
		srv.Now, srv.Aggregator = func() time.Time { return now }, &aggregator.Service{}
	})
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 7, Token: "tok"}); err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct{ bank, expire, state string }{
		{"Banque Bientôt", "2025-03-20 10:00:00", "null"},
		{"Banque Tranquille", "2025-09-01 10:00:00", `"SCARequired"`},
	} {
		body := fmt.Sprintf(`{"user":{"id":7},"connection":{"id":%d,"id_user":7,"state":%s,"last_update":"2025-03-09 08:00:00",`+
			`"connector":{"id":40,"name":%q},"sources":[{"id":%d,"name":"openapi","access_expire":%q}],"accounts":[]}}`, i+1, c.state, c.bank, i+1, c.expire)
		pid := int64(7)
		if _, err := s.ReceiveEvent(ctx, &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "c" + c.bank,
			PowensUserID: &pid, Auth: freenahi.AuthHMAC, Body: []byte(body)}); err != nil {
			t.Fatal(err)
		}
	}
	webtest.DrainInbox(t, s)
	cl := webtest.NewClient(t, ts.URL)
	cl.SignIn("ana@example.com")
	r := cl.Get("/connections")
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "Banque Bientôt", `<dd class="warn">expires in 10 days — renew it soon`, "Banque Tranquille",
		"expires in 175 days", "9 Mar 2025 08:00", "Your bank needs you to confirm your identity.", "/repair")
	if strings.Count(r.Body, `class="warn"`) != 1 {
		t.Fatal("a consent far from expiry is shown as a warning")
	}
}

// TestUI_ConnectionsWarnOfRefusedDeliveries: refused webhook deliveries of
// the last day, for an authentication reason, show on the connections page.
func TestUI_ConnectionsWarnOfRefusedDeliveries(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	webtest.MustUserWithPassword(t, s, "ana@example.com")
	c := webtest.NewClient(t, ts.URL)
	c.SignIn("ana@example.com")
	webtest.MustNotContain(t, c.Get("/connections"), "were refused")
	now := time.Now()
	err := s.RecordRefusals(ctx, []freenahi.WebhookRefusal{
		{Hour: now, Event: "connection_synced", Reason: "bad_token", Count: 3, LastAt: now, LastDetail: "The bearer token is not the one of this Powens user."},
		{Hour: now, Event: "other", Reason: "too_large", Count: 50, LastAt: now, LastDetail: "big"}, // not about authentication
	})
	if err != nil {
		t.Fatal(err)
	}
	webtest.MustContain(t, c.Get("/connections"), "refused 3 times in the last 24 hours", "POWENS_WEBHOOK_SECRET", "<code>bad_token</code>")
	c.Get("/lang/fr?back=/")
	webtest.MustContain(t, c.Get("/connections"), "refusés 3\u00a0fois ces dernières 24\u00a0heures")
}
