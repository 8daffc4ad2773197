package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

type importBody struct {
	Format  string `json:"format"`
	DryRun  bool   `json:"dry_run"`
	Account struct {
		ID       int64  `json:"id"`
		Name     string `json:"name"`
		Manual   bool   `json:"manual"`
		Currency string `json:"currency"`
	} `json:"account"`
	Added        int `json:"added"`
	Skipped      int `json:"skipped"`
	Transactions []struct {
		Date     string  `json:"date"`
		Value    *string `json:"amount"`
		Category *string `json:"category"`
	} `json:"transactions"`
	Errors []struct {
		Line  int    `json:"line"`
		Field string `json:"field"`
	} `json:"errors"`
	Mapping *struct {
		Separator  string `json:"separator"`
		DateFormat string `json:"date_format"`
		Decimal    string `json:"decimal"`
		Debit      int    `json:"debit_column"`
	} `json:"mapping"`
}

func testFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../bankfile/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAPI_Import(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		b := webtest.MustUserWithData(t, s, "b@example.com", 43)
		csv := testFile(t, "bank-fr-1252.csv")
		newAcct := "/api/v1/imports?new_account_name=" + url.QueryEscape("Compte joint (2019)") + "&new_account_currency=EUR"
		count := func(token string) int {
			var page struct{ Transactions []struct{} }
			ts.Get(token, "/api/v1/transactions?limit=1000").Decode(t, &page)
			return len(page.Transactions)
		}
		before := count(a.Token)

		// Preview: the rows as they will be stored, the lines left out, the
		// mapping guessed; nothing kept.
		r := ts.PostBody(a.Token, newAcct+"&dry_run=true", "text/csv", csv)
		if r.Status != http.StatusOK {
			t.Fatalf("dry run: %d %s", r.Status, r.Body)
		}
		var prev importBody
		r.Decode(t, &prev)
		if prev.Added != 3 || !prev.DryRun || len(prev.Errors) != 3 || prev.Errors[0].Line != 5 || prev.Errors[0].Field != "date" ||
			*prev.Transactions[0].Value != "-42.50" || prev.Transactions[0].Date != "2024-01-03" || prev.Mapping == nil ||
			prev.Mapping.Separator != ";" || prev.Mapping.Decimal != "," || prev.Mapping.Debit != 3 || !prev.Account.Manual {
			t.Fatalf("preview: %s", r.Body)
		}
		if got := count(a.Token); got != before {
			t.Fatalf("a dry run stored %d transactions", got-before)
		}

		r = ts.PostBody(a.Token, newAcct, "text/csv", csv)
		var done importBody
		r.Decode(t, &done)
		if r.Status != http.StatusCreated || done.Added != 3 || done.Account.Name != "Compte joint (2019)" || done.Account.ID == 0 {
			t.Fatalf("import: %d %s", r.Status, r.Body)
		}
		if prev.Transactions[1].Category == nil || done.Transactions[1].Category == nil || *done.Transactions[1].Category != *prev.Transactions[1].Category {
			t.Fatalf("the salary is categorised %v in the preview, %v when stored", prev.Transactions[1].Category, done.Transactions[1].Category)
		}
		into := fmt.Sprintf("/api/v1/imports?account_id=%d", done.Account.ID)

		// The same file again adds nothing; an OFX file in euros adds its lines.
		r = ts.PostBody(a.Token, into, "text/csv", csv)
		r.Decode(t, &done)
		if done.Added != 0 || done.Skipped != 3 {
			t.Fatalf("re-import: %s", r.Body)
		}
		r = ts.PostBody(a.Token, into+"&format=ofx", "text/plain", testFile(t, "sgml-v102.ofx"))
		r.Decode(t, &done)
		if r.Status != http.StatusCreated || done.Added != 2 || done.Format != "ofx" {
			t.Fatalf("OFX: %d %s", r.Status, r.Body)
		}
		if got := count(a.Token); got != before+5 {
			t.Fatalf("%d transactions added in all, want 5", got-before)
		}

		// Refusals name the field and store nothing.
		var accounts struct {
			Accounts []struct {
				ID     int64 `json:"id"`
				Manual bool  `json:"manual"`
			}
		}
		ts.Get(a.Token, "/api/v1/accounts").Decode(t, &accounts)
		var bank int64
		for _, acc := range accounts.Accounts {
			if !acc.Manual {
				bank = acc.ID
			}
		}
		for _, c := range []struct {
			token, path string
			body        []byte
			status      int
			field       string
		}{
			{a.Token, into, testFile(t, "xml-v220.ofx"), http.StatusBadRequest, "currency"},
			{a.Token, fmt.Sprintf("/api/v1/imports?account_id=%d", bank), csv, http.StatusBadRequest, "account_id"},
			{b.Token, into, csv, http.StatusNotFound, ""},
			{a.Token, "/api/v1/imports", csv, http.StatusBadRequest, "account_id"},
			{a.Token, into + "&date_column=0&amount_column=99", csv, http.StatusBadRequest, "amount_column"},
			{a.Token, into + "&format=xls", csv, http.StatusBadRequest, "format"},
			{a.Token, newAcct[:len(newAcct)-3] + "EURO", csv, http.StatusBadRequest, "currency"},
			{a.Token, into + "&format=cfonb", csv, http.StatusBadRequest, "file"},
		} {
			r := ts.PostBody(c.token, c.path, "text/csv", c.body)
			if p := r.Problem(t); r.Status != c.status || p.Field != c.field {
				t.Errorf("POST %s: %d %s, want %d on %q", c.path, r.Status, r.Body, c.status, c.field)
			}
		}
		if got := count(a.Token); got != before+5 {
			t.Fatalf("refused imports changed the transactions: %d", got-before-5)
		}
		if got := count(b.Token); got == 0 || got != len(mustAll(t, s, b.ID)) {
			t.Fatal("b's transactions changed")
		}
	})
}

func mustAll(t *testing.T, s *store.Store, userID int64) []*freenahi.Transaction {
	t.Helper()
	txs, _, err := s.FindTransactions(t.Context(), freenahi.TransactionFilter{UserID: userID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return txs
}
