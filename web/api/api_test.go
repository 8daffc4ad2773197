package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

var ctx = context.Background()

type accountsBody struct {
	Accounts []struct {
		ID       int64   `json:"id"`
		PowensID int64   `json:"powens_id"`
		IBAN     *string `json:"iban"`
		Balance  *string `json:"balance"`
		Currency string  `json:"currency"`
		Group    string  `json:"group"`
	} `json:"accounts"`
	Totals []struct {
		Group, Amount, Currency string
		Accounts                int
	} `json:"totals"`
}

type transactionsBody struct {
	Transactions []struct {
		ID       int64  `json:"id"`
		PowensID int64  `json:"powens_id"`
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
		Coming   bool   `json:"coming"`
		Date     string `json:"date"`
	} `json:"transactions"`
	NextCursor *string `json:"next_cursor"`
	Next       *string `json:"next"`
}

func TestAPI_Accounts(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		r := ts.Get(a.Token, "/api/v1/accounts")
		if r.Status != http.StatusOK {
			t.Fatalf("status=%d body=%s", r.Status, r.Body)
		}
		var body accountsBody
		r.Decode(t, &body)
		if len(body.Accounts) != 5 {
			t.Fatalf("accounts=%d, want 5", len(body.Accounts))
		}
		first := body.Accounts[0]
		if *first.Balance != "123456789.99" || first.Currency != "EUR" || *first.IBAN != "FR7630006000011234567890189" || first.PowensID != 100 {
			t.Fatalf("first account=%+v", first)
		}
		totals := map[string]string{}
		for _, tot := range body.Totals {
			totals[tot.Group+" "+tot.Currency] = tot.Amount
		}
		want := map[string]string{"checking EUR": "123456789.99", "checking JPY": "150000", "savings TND": "1234.567",
			"investments EUR": "10512.40", "loans EUR": "-150000.00"}
		if fmt.Sprint(totals) != fmt.Sprint(want) {
			t.Fatalf("totals=%v, want %v", totals, want)
		}

		r = ts.Get(a.Token, "/api/v1/accounts?group=savings")
		r.Decode(t, &body)
		if len(body.Accounts) != 1 || body.Accounts[0].Currency != "TND" {
			t.Fatalf("savings=%+v", body.Accounts)
		}
		r = ts.Get(a.Token, fmt.Sprintf("/api/v1/accounts/%d/balances", first.ID))
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"balance":"123456789.99"`) {
			t.Fatalf("balances: %d %s", r.Status, r.Body)
		}
	})
}

func TestAPI_TransactionsPagination(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		var all []int64
		next := "/api/v1/transactions?limit=2"
		for pages := 0; next != ""; pages++ {
			if pages > 10 {
				t.Fatal("pagination does not end")
			}
			r := ts.Get(a.Token, next)
			if r.Status != http.StatusOK {
				t.Fatalf("status=%d body=%s", r.Status, r.Body)
			}
			var body transactionsBody
			r.Decode(t, &body)
			for _, tx := range body.Transactions {
				all = append(all, tx.PowensID)
			}
			next = ""
			if body.Next != nil {
				next = *body.Next
			}
		}
		// Newest first; coming transaction 2 (2025-01-16) included and flagged.
		if got, want := fmt.Sprint(all), "[2 1 10 20 3]"; got != want {
			t.Fatalf("transactions in page order=%s, want %s", got, want)
		}
	})
}

func TestAPI_TransactionFilters(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		var accounts accountsBody
		ts.Get(a.Token, "/api/v1/accounts").Decode(t, &accounts)
		checking := accounts.Accounts[0].ID
		for _, tc := range []struct {
			query string
			want  string
		}{
			{fmt.Sprintf("account_id=%d", checking), "[2 1 3]"},
			{"from=2025-01-11&to=2025-01-14", "[1 10 20]"},
			{"min_amount=-12.30&max_amount=0", "[2 1]"},
			{"min_amount=-12.299", "[2 20 3]"},
			{"q=carrefour", "[1]"},
			{"q=SALAIRE%20acme", "[3]"},
			{"q=edf", "[2]"},
			{"exclude_coming=true&to=2025-01-20", "[1 10 20 3]"},
		} {
			r := ts.Get(a.Token, "/api/v1/transactions?"+tc.query)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: status=%d body=%s", tc.query, r.Status, r.Body)
			}
			var body transactionsBody
			r.Decode(t, &body)
			var got []int64
			for _, tx := range body.Transactions {
				got = append(got, tx.PowensID)
			}
			if fmt.Sprint(got) != tc.want {
				t.Errorf("%s: got %v, want %s", tc.query, got, tc.want)
			}
		}
	})
}

func TestAPI_BadParameters(t *testing.T) {
	ts := webtest.NewServer(t, storetest.MustOpen(t, store.SQLite))
	a := webtest.MustUserWithData(t, ts.Store, "a@example.com", 42)
	for _, tc := range []struct{ query, field string }{
		{"limit=0", "limit"}, {"limit=1001", "limit"}, {"limit=ten", "limit"}, {"from=2025-02-30", "from"},
		{"from=2025-02-01&to=2025-01-01", "to"}, {"min_amount=abc", "min_amount"}, {"min_amount=5&max_amount=1", "max_amount"},
		{"include_deleted=maybe", "include_deleted"}, {"cursor=%21%21", "cursor"}, {"acount_id=1", "acount_id"},
		{"account_id=-3", "account_id"}, {"q=" + strings.Repeat("x", 201), "q"},
	} {
		r := ts.Get(a.Token, "/api/v1/transactions?"+tc.query)
		if r.Status != http.StatusBadRequest {
			t.Errorf("%s: status=%d, want 400", tc.query, r.Status)
			continue
		}
		if p := r.Problem(t); p.Field != tc.field || p.Code != "invalid" || !strings.Contains(p.Detail, tc.field) {
			t.Errorf("%s: problem=%+v, want field %s named in the detail", tc.query, p, tc.field)
		}
	}
}

func TestAPI_Unauthorized(t *testing.T) {
	ts := webtest.NewServer(t, storetest.MustOpen(t, store.SQLite))
	a := webtest.MustUserWithData(t, ts.Store, "a@example.com", 42)
	for _, token := range []string{"", "fnh_wrong", "not-even-a-token", a.Token + "x"} {
		r := ts.Get(token, "/api/v1/accounts")
		if r.Status != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("token %q: status=%d, want 401 with WWW-Authenticate", token, r.Status)
		}
	}
	tokens, _ := ts.Store.FindAPITokens(ctx, a.ID)
	if err := ts.Store.RevokeAPIToken(ctx, a.ID, tokens[0].ID); err != nil {
		t.Fatal(err)
	}
	if r := ts.Get(a.Token, "/api/v1/accounts"); r.Status != http.StatusUnauthorized {
		t.Fatalf("revoked token: status=%d, want 401", r.Status)
	}
}

// TestAPI_OwnerScoping proves that user A's token never reads user B's data:
// B's ids are not found through A's token on every endpoint that takes an id,
// and lists hold only A's rows.
func TestAPI_OwnerScoping(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		b := webtest.MustUserWithData(t, s, "b@example.com", 43)
		var bAccounts accountsBody
		ts.Get(b.Token, "/api/v1/accounts").Decode(t, &bAccounts)
		var bTxs transactionsBody
		ts.Get(b.Token, "/api/v1/transactions").Decode(t, &bTxs)
		var bConns struct {
			Connections []struct{ ID int64 } `json:"connections"`
		}
		ts.Get(b.Token, "/api/v1/connections").Decode(t, &bConns)

		for _, path := range []string{
			fmt.Sprintf("/api/v1/accounts/%d", bAccounts.Accounts[0].ID),
			fmt.Sprintf("/api/v1/accounts/%d/balances", bAccounts.Accounts[0].ID),
			fmt.Sprintf("/api/v1/transactions/%d", bTxs.Transactions[0].ID),
			fmt.Sprintf("/api/v1/connections/%d", bConns.Connections[0].ID),
		} {
			if r := ts.Get(a.Token, path); r.Status != http.StatusNotFound {
				t.Errorf("A reading B's %s: status=%d, want 404", path, r.Status)
			}
			if r := ts.Get(b.Token, path); r.Status != http.StatusOK {
				t.Errorf("B reading own %s: status=%d, want 200", path, r.Status)
			}
		}
		for _, path := range []string{
			fmt.Sprintf("/api/v1/transactions?account_id=%d", bAccounts.Accounts[0].ID),
			fmt.Sprintf("/api/v1/investments?account_id=%d", bAccounts.Accounts[3].ID),
		} {
			r := ts.Get(a.Token, path)
			if r.Status != http.StatusOK || strings.Contains(string(r.Body), `"id"`) {
				t.Errorf("A filtering on B's account %s: status=%d body=%s, want an empty list", path, r.Status, r.Body)
			}
		}
		bIDs := map[string]bool{}
		for _, acc := range bAccounts.Accounts {
			bIDs[fmt.Sprintf("account %d", acc.ID)] = true
		}
		for _, tx := range bTxs.Transactions {
			bIDs[fmt.Sprintf("transaction %d", tx.ID)] = true
		}
		var aAccounts accountsBody
		ts.Get(a.Token, "/api/v1/accounts").Decode(t, &aAccounts)
		var aTxs transactionsBody
		ts.Get(a.Token, "/api/v1/transactions?limit=1000").Decode(t, &aTxs)
		for _, acc := range aAccounts.Accounts {
			if bIDs[fmt.Sprintf("account %d", acc.ID)] {
				t.Errorf("A's account list holds B's account %d", acc.ID)
			}
		}
		for _, tx := range aTxs.Transactions {
			if bIDs[fmt.Sprintf("transaction %d", tx.ID)] {
				t.Errorf("A's transaction list holds B's transaction %d", tx.ID)
			}
		}
		for _, path := range []string{"/api/v1/investments", "/api/v1/loans", "/api/v1/connections"} {
			ra, rb := ts.Get(a.Token, path), ts.Get(b.Token, path)
			if ra.Status != 200 || rb.Status != 200 || string(ra.Body) == string(rb.Body) && strings.Contains(string(ra.Body), `"id"`) {
				t.Errorf("%s: A and B see the same rows", path)
			}
		}
	})
}

// TestAPI_SearchChoices: a decimal comma, sizes with a direction, and the
// count and exact sum per currency of the whole filter, written by hand from
// the fixture (ingest/testdata/connection_synced.json).
func TestAPI_SearchChoices(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		for _, tc := range []struct {
			query, want, totals string
		}{
			{"direction=spending&min_amount=12,30", "[1 10]", ""},
			{"direction=spending&max_amount=12,30", "[2 1]", ""},
			{"direction=income", "[20 3]", ""},
			{"direction=any&min_amount=-0,01&max_amount=12.3", "[2 1]", ""},
			{"min_amount=-12,30&max_amount=0", "[2 1]", ""},
			{"q=cb&totals=true&limit=1", "[1]", "[{EUR 1 -12.30} {JPY 1 -1500}]"},
			{"totals=true&limit=1", "[2]", "[{EUR 3 2487.69} {JPY 1 -1500} {TND 1 0.001}]"},
			{"q=nothing&totals=true", "[]", "[]"},
		} {
			r := ts.Get(a.Token, "/api/v1/transactions?"+tc.query)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: status=%d body=%s", tc.query, r.Status, r.Body)
			}
			var body struct {
				transactionsBody
				Totals []struct {
					Currency string `json:"currency"`
					Count    int64  `json:"count"`
					Sum      string `json:"sum"`
				} `json:"totals"`
			}
			r.Decode(t, &body)
			got := []int64{}
			for _, tx := range body.Transactions {
				got = append(got, tx.PowensID)
			}
			if fmt.Sprint(got) != tc.want {
				t.Errorf("%s: got %v, want %s", tc.query, got, tc.want)
			}
			if tc.totals != "" && fmt.Sprint(body.Totals) != tc.totals {
				t.Errorf("%s: totals %v, want %s", tc.query, body.Totals, tc.totals)
			}
		}
		r := ts.Get(a.Token, "/api/v1/transactions?direction=out")
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "direction") {
			t.Errorf("direction=out: status %d body %s, want 400 naming direction", r.Status, r.Body)
		}
	})
}
