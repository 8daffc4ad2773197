package webhook_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// The contract documents (powens/testdata/contract) are Powens' webhook
// bodies written by hand from its documentation. Here each goes through the
// receiver, the inbox and ingestion, and what the JSON API then answers is
// checked against values read off the documents by hand.

func contractDoc(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "powens", "testdata", "contract", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type apiAccount struct {
	ID       int64   `json:"id"`
	PowensID int64   `json:"powens_id"`
	Name     string  `json:"name"`
	Type     string  `json:"type"`
	Balance  *string `json:"balance"`
	Currency string  `json:"currency"`
	Disabled bool    `json:"disabled"`
}

type apiTransaction struct {
	PowensID     int64   `json:"powens_id"`
	AccountID    int64   `json:"account_id"`
	Amount       *string `json:"amount"`
	AmountOrigin string  `json:"amount_origin"`
	GrossAmount  *string `json:"gross_amount"`
	Commission   *string `json:"commission"`
	Coming       bool    `json:"coming"`
	Type         string  `json:"type"`
}

func TestContract_WebhooksThroughTheAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
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
		for _, d := range []struct{ event, doc string }{
			{"connection_synced", "connection-synced.json"},
			{"connection_synced", "connection-synced-older.json"},
			{"account_synced", "account-synced.json"},
			{"accounts_fetched", "accounts-fetched.json"},
		} {
			if r := deliver(t, ts, delivery{path: "/webhook/" + d.event + "/", body: contractDoc(t, d.doc)}); r.Status != 200 {
				t.Fatalf("%s: status %d %s", d.doc, r.Status, r.Body)
			}
		}
		webtest.DrainInbox(t, s)
		failed := freenahi.StatusFailed
		if events, _ := s.FindEvents(ctx, freenahi.InboxFilter{Status: &failed}); len(events) > 0 {
			t.Fatalf("event %s failed: %s", events[0].Event, events[0].LastError)
		}

		var accounts struct {
			Accounts []apiAccount `json:"accounts"`
		}
		ts.Get(tok.Secret, "/api/v1/accounts").Decode(t, &accounts)
		byPowens := map[int64]apiAccount{}
		for _, a := range accounts.Accounts {
			byPowens[a.PowensID] = a
		}
		for _, want := range []struct {
			id       int64
			name     string
			balance  string
			disabled bool
		}{
			{301, "Compte chèques", "2483.17", false},
			{303, "Livret A", "11442.00", false},
			{304, "PEA", "1731.67", false},
			{310, "PayPlat", "1208.45", false},
			{340, "Livret A", "2150.30", false},
			{320, "Compte de dépôt", "742.08", true}, // ACCOUNTS_FETCHED: waiting for activation
			{321, "LDDS", "5200.00", true},
		} {
			a, ok := byPowens[want.id]
			if !ok {
				t.Errorf("account %d is not in the API's answer", want.id)
				continue
			}
			if a.Name != want.name || a.Balance == nil || *a.Balance != want.balance || a.Currency != "EUR" {
				t.Errorf("account %d: %q %v %s, want %q %s EUR", want.id, a.Name, a.Balance, a.Currency, want.name, want.balance)
			}
		}

		var page struct {
			Transactions []apiTransaction `json:"transactions"`
		}
		ts.Get(tok.Secret, "/api/v1/transactions?limit=200").Decode(t, &page)
		tx := map[int64]apiTransaction{}
		for _, x := range page.Transactions {
			tx[x.PowensID] = x
		}
		str := func(p *string) string {
			if p == nil {
				return "null"
			}
			return *p
		}
		for _, want := range []struct {
			id                int64
			amount, origin    string
			gross, commission string
			coming            bool
		}{
			{5550101, "-42.90", "value", "-42.90", "null", false},
			{5550102, "3120.55", "value", "3120.55", "null", false},
			{5550108, "-61.40", "value", "-61.40", "null", true},
			{5550114, "-512.40", "value", "-511.00", "-1.40", false}, // a market order with its commission
			{5550116, "0.00", "value", "0.00", "null", false},
			{5560201, "28.78", "gross_commission", "30.00", "-1.22", false}, // commission_currency null
			{5560202, "81.70", "gross_commission", "84.50", "-2.80", false}, // commission in EUR
			{5560203, "45.00", "gross", "45.00", "-1.65", false},            // commission in USD
			{5560204, "null", "unknown", "null", "null", true},
			{5560205, "-500.00", "value", "-500.00", "null", false},
		} {
			got, ok := tx[want.id]
			if !ok {
				t.Errorf("transaction %d is not in the API's answer", want.id)
				continue
			}
			if str(got.Amount) != want.amount || got.AmountOrigin != want.origin || str(got.GrossAmount) != want.gross ||
				str(got.Commission) != want.commission || got.Coming != want.coming {
				t.Errorf("transaction %d: amount %s (%s) gross %s commission %s coming %v; want %s (%s) %s %s %v", want.id,
					str(got.Amount), got.AmountOrigin, str(got.GrossAmount), str(got.Commission), got.Coming,
					want.amount, want.origin, want.gross, want.commission, want.coming)
			}
		}

		var conns struct {
			Connections []struct {
				PowensID int64  `json:"powens_id"`
				State    string `json:"state"`
				Message  string `json:"error_message"`
			} `json:"connections"`
		}
		ts.Get(tok.Secret, "/api/v1/connections").Decode(t, &conns)
		states := map[int64]string{}
		for _, c := range conns.Connections {
			states[c.PowensID] = c.State + "|" + c.Message
		}
		if got := states[90132]; got != "actionNeeded|Merci de confirmer vos coordonnées sur le site de votre banque." {
			t.Errorf("connection 90132, whose problem is in the deprecated error field: %q", got)
		}
		if got := states[90117]; got != "|" && got != "ok|" {
			t.Errorf("connection 90117: %q, want no problem", got)
		}
		if len(page.Transactions) < 20 {
			t.Errorf("%d transactions in the API, want every one of the documents", len(page.Transactions))
		}
	})
}
