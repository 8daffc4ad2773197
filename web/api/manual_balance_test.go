package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// put sends a PUT with a JSON body, validated against the document.
func put(ts *webtest.Server, token, path, body string) *webtest.Response {
	req, _ := http.NewRequest("PUT", ts.URL+path, bytes.NewReader([]byte(body)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	return ts.Do(req, []byte(body))
}

// TestAPI_ManualBalance: an import's balance (the lines' sum, written by
// hand: -12.30 + 100.00 = 87.70), then a balance set on a day before the
// second line: 50.00 + 100.00 = 150.00; bad input names its field, another
// user and a synced account are refused, nothing changes.
func TestAPI_ManualBalance(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		b := webtest.MustUserWithData(t, s, "b@example.com", 43)
		csv := []byte("Date;Libellé;Montant\n02/03/2024;CB BOULANGERIE;-12,30\n05/03/2024;VIR RECU;100,00\n")
		r := ts.PostBody(a.Token, "/api/v1/imports?new_account_name=Joint&new_account_currency=EUR", "text/csv", csv)
		var imp struct {
			Account struct {
				ID      int64   `json:"id"`
				Balance *string `json:"balance"`
			} `json:"account"`
			Transactions []struct {
				Type string `json:"type"`
			} `json:"transactions"`
		}
		r.Decode(t, &imp)
		if r.Status != http.StatusCreated || imp.Account.Balance == nil || *imp.Account.Balance != "87.70" {
			t.Fatalf("import: %d %s", r.Status, r.Body)
		}
		if len(imp.Transactions) != 2 || imp.Transactions[0].Type != "card" || imp.Transactions[1].Type != "transfer" {
			t.Fatalf("kinds of the imported lines: %+v, want card and transfer", imp.Transactions)
		}
		path := fmt.Sprintf("/api/v1/accounts/%d/balance", imp.Account.ID)
		var acct struct {
			Balance *string `json:"balance"`
		}
		r = put(ts, a.Token, path, `{"date": "2024-03-04", "balance": "50,00"}`)
		r.Decode(t, &acct)
		if r.Status != http.StatusOK || acct.Balance == nil || *acct.Balance != "150.00" {
			t.Fatalf("set balance: %d %s, want 150.00", r.Status, r.Body)
		}
		var accounts struct {
			Accounts []struct {
				ID int64 `json:"id"`
			} `json:"accounts"`
		}
		ts.Get(a.Token, "/api/v1/accounts").Decode(t, &accounts)
		synced := accounts.Accounts[0].ID
		if synced == imp.Account.ID {
			synced = accounts.Accounts[1].ID
		}
		for _, c := range []struct {
			token, path, body string
			status            int
			field             string
		}{
			{a.Token, path, `{"date": "2024-02-30", "balance": "1"}`, 400, "date"},
			{a.Token, path, `{"date": "2024-03-04", "balance": "douze"}`, 400, "balance"},
			{a.Token, path, `{"date": "2024-03-04", "balance": "1.001"}`, 400, "balance"},
			{a.Token, fmt.Sprintf("/api/v1/accounts/%d/balance", synced), `{"date": "2024-03-04", "balance": "1"}`, 400, "account_id"},
			{b.Token, path, `{"date": "2024-03-04", "balance": "1"}`, 404, ""},
		} {
			r := put(ts, c.token, c.path, c.body)
			if r.Status != c.status || r.Problem(t).Field != c.field {
				t.Fatalf("PUT %s %s: %d %s, want %d on %q", c.path, c.body, r.Status, r.Body, c.status, c.field)
			}
		}
		ts.Get(a.Token, fmt.Sprintf("/api/v1/accounts/%d", imp.Account.ID)).Decode(t, &acct)
		if *acct.Balance != "150.00" {
			t.Fatalf("refused requests changed the balance to %s", *acct.Balance)
		}
	})
}
