package api_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// contractPowens answers the reconcile pull's calls with the contract
// documents (powens/testdata/contract, written by hand from Powens'
// documentation), not with anything the sandbox or the client produced.
// Their _links point at a Powens domain: they are made to point here, as
// the real ones point at the API host the client talks to.
func contractPowens(t *testing.T) *httptest.Server {
	t.Helper()
	doc := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "powens", "testdata", "contract", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var body []byte
		switch r.URL.Path {
		case "/2.0/users/me/connections":
			body = doc("connections-list.json")
		case "/2.0/users/me/accounts":
			body = doc("accounts-list.json")
		case "/2.0/users/me/investments":
			body = doc("investments.json")
		case "/2.0/users/me/transactions":
			if r.URL.Query().Get("cursor") != "" { // the last page
				body = []byte(`{"transactions": [], "first_date": null, "last_date": null, "result_min_date": null,
					"result_max_date": null, "_links": {"self": {"href": "x"}, "prev": null, "next": null}}`)
				break
			}
			body = []byte(strings.ReplaceAll(string(doc("transactions-page.json")), "https://exemple-sandbox.biapi.pro", srv.URL))
		default:
			w.WriteHeader(http.StatusNotFound)
			body = []byte(`{"code": "notFound", "description": "no such route in the contract server"}`)
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestContract_PullThroughTheAPI: the reconcile pull reads Powens' answers
// as the contract documents write them, and the JSON API then says what they
// say (values read off the documents by hand).
func TestContract_PullThroughTheAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		fake := contractPowens(t)
		pc, err := powens.NewClient(powens.ClientConfig{BaseURL: fake.URL + "/2.0/", Domain: "exemple-sandbox", ClientID: "1",
			ClientSecret: "x", MaxAttempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		agg := &aggregator.Service{Powens: pc, Store: s}
		ts := webtest.NewServer(t, s, func(srv *web.Server) { srv.Aggregator = agg })
		u, err := s.CreateUser(ctx, "contract@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 4821, Token: "tok"}); err != nil {
			t.Fatal(err)
		}
		tok, err := s.CreateAPIToken(ctx, u.ID, "contract")
		if err != nil {
			t.Fatal(err)
		}
		if r := ts.Post(tok.Secret, "/api/v1/sync"); r.Status != http.StatusAccepted {
			t.Fatalf("sync: %d %s", r.Status, r.Body)
		}
		webtest.DrainInbox(t, s)
		failed := freenahi.StatusFailed
		if events, _ := s.FindEvents(ctx, freenahi.InboxFilter{Status: &failed}); len(events) > 0 {
			t.Fatalf("pulled event failed: %s", events[0].LastError)
		}

		var conns struct {
			Connections []struct {
				PowensID int64  `json:"powens_id"`
				State    string `json:"state"`
			} `json:"connections"`
		}
		ts.Get(tok.Secret, "/api/v1/connections").Decode(t, &conns)
		states := map[int64]string{}
		for _, c := range conns.Connections {
			states[c.PowensID] = c.State
		}
		for id, want := range map[int64]string{90120: "SCARequired", 90126: "passwordExpired", 90131: "notSupported",
			90132: "actionNeeded"} {
			if states[id] != want {
				t.Errorf("connection %d: state %q, want %q", id, states[id], want)
			}
		}
		if len(conns.Connections) != 14 {
			t.Errorf("%d connections, want the document's 14", len(conns.Connections))
		}

		var page struct {
			Transactions []struct {
				PowensID int64   `json:"powens_id"`
				Amount   *string `json:"amount"`
				Coming   bool    `json:"coming"`
				Deleted  bool    `json:"deleted"`
			} `json:"transactions"`
		}
		ts.Get(tok.Secret, "/api/v1/transactions?include_deleted=true&limit=100").Decode(t, &page)
		got := map[int64]string{}
		for _, x := range page.Transactions {
			if x.Amount != nil {
				got[x.PowensID] = *x.Amount
			}
			if x.PowensID == 5550117 && !x.Deleted {
				t.Error("transaction 5550117, deleted in the document, is live")
			}
		}
		for id, want := range map[int64]string{5550120: "-27.63", 5550119: "19.99", 5550101: "-42.90"} {
			if got[id] != want {
				t.Errorf("transaction %d: amount %q, want %s", id, got[id], want)
			}
		}
	})
}
