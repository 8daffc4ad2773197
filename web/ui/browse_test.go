package ui_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

var ctx = context.Background()

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// accountIDs returns the ids in the account links of a page, in order.
func accountIDs(body string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`href="/accounts/(\d+)"`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func TestUI_Accounts(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts, _ := webtest.NewUIServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		c := webtest.NewClient(t, ts.URL)
		c.SignInAs(s, a.ID)

		r := c.Get("/accounts")
		webtest.MustStatus(t, r, http.StatusOK)
		webtest.MustContain(t, r, "Checking accounts", "Savings", "Investments", "Loans",
			"€123,456,789.99", "¥150,000", "TND\u00a01,234.567", "€10,512.40", `class="amount neg">-€150,000.00`,
			"Compte chèque", "Last update:")
		if ids := accountIDs(r.Body); len(ids) != 5 {
			t.Fatalf("account links %v, want 5", ids)
		}
		// Groups come in display order.
		if i, j := strings.Index(r.Body, `id="g-checking"`), strings.Index(r.Body, `id="g-loans"`); i > j {
			t.Error("checking accounts are not listed before loans")
		}

		t.Run("French", func(t *testing.T) {
			r := c.Get("/lang/fr?back=/accounts")
			if webtest.MustStatus(t, r, http.StatusSeeOther); r.Header.Get("Location") != "/accounts" {
				t.Fatalf("language switch → %q", r.Header.Get("Location"))
			}
			r = c.Get("/accounts")
			webtest.MustContain(t, r, `<html lang="fr">`, "Comptes courants", "123\u202f456\u202f789,99\u00a0€", "-150\u202f000,00\u00a0€", "English")
			c.Get("/lang/en?back=/")
		})
		t.Run("AccountPage", func(t *testing.T) {
			id := accountIDs(r.Body)[0]
			r := c.Get("/accounts/" + id)
			webtest.MustStatus(t, r, http.StatusOK)
			webtest.MustContain(t, r, "Compte chèque", "FR76 3000 6000 0112 3456 7890 189", "Balance history", "CB CARREFOUR 13/01",
				"/transactions?account_id="+id)
		})
	})
}

func TestUI_Transactions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts, _ := webtest.NewUIServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		c := webtest.NewClient(t, ts.URL)
		c.SignInAs(s, a.ID)

		r := c.Get("/transactions")
		webtest.MustStatus(t, r, http.StatusOK)
		webtest.MustContain(t, r, "CB CARREFOUR 13/01", "PRLV SEPA EDF", `class="badge badge-coming">coming`, "-€12.30",
			`<label for="q">`, `<label for="from">`, `<label for="min_amount">`, `href="/transactions.csv?"`)
		for _, tc := range []struct{ query, want, not string }{
			{"q=carrefour", "CB CARREFOUR", "EDF"},
			{"q=SALAIRE+acme", "VIR SEPA SALAIRE ACME", "CARREFOUR"},
			{"from=2025-01-11&to=2025-01-14", "CB TOKYO", "SALAIRE"},
			{"min_amount=-12.30&max_amount=0", "CARREFOUR", "SALAIRE"},
		} {
			r := c.Get("/transactions?" + tc.query)
			webtest.MustStatus(t, r, http.StatusOK)
			webtest.MustContain(t, r, tc.want)
			webtest.MustNotContain(t, r, tc.not)
		}
		t.Run("BadFilterShownBack", func(t *testing.T) {
			r := c.Get("/transactions?from=2025-02-30&q=edf")
			webtest.MustStatus(t, r, http.StatusBadRequest)
			webtest.MustContain(t, r, `role="alert"`, "Start date: &#34;2025-02-30&#34; is not a date", `value="edf"`)
		})
	})
}

func TestUI_TransactionsKeysetPages(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	a := webtest.MustUserWithData(t, s, "a@example.com", 42)
	mustManyTransactions(t, s, a.ID, 120)
	c := webtest.NewClient(t, ts.URL)
	c.SignInAs(s, a.ID)

	seen := map[string]bool{}
	next, pages := "/transactions?q=bulk", 0
	for ; next != ""; pages++ {
		r := c.Get(next)
		webtest.MustStatus(t, r, http.StatusOK)
		for _, m := range regexp.MustCompile(`BULK (\d+)\s*<`).FindAllStringSubmatch(r.Body, -1) {
			if seen[m[1]] {
				t.Fatalf("transaction %s shown twice", m[1])
			}
			seen[m[1]] = true
		}
		next = ""
		if m := regexp.MustCompile(`href="(/transactions\?[^"]*cursor=[^"]+)" rel="next"`).FindStringSubmatch(r.Body); m != nil {
			next = strings.ReplaceAll(m[1], "&amp;", "&")
			if !strings.Contains(next, "q=bulk") {
				t.Fatalf("next link %q drops the filter", next)
			}
			if strings.Contains(next, "offset") || strings.Contains(next, "page=") {
				t.Fatalf("next link %q is not a keyset cursor", next)
			}
		}
	}
	if len(seen) != 120 || pages != 3 {
		t.Fatalf("saw %d transactions in %d pages, want 120 in 3", len(seen), pages)
	}
}

func TestUI_TransactionsCSV(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	a := webtest.MustUserWithData(t, s, "a@example.com", 42)
	mustManyTransactions(t, s, a.ID, 2500) // several keyset pages of the export
	c := webtest.NewClient(t, ts.URL)
	c.SignInAs(s, a.ID)

	r := c.Get("/transactions.csv")
	webtest.MustStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+5+2500 {
		t.Fatalf("%d rows, want header + 2505", len(rows))
	}
	byLabel := map[string][]string{}
	for _, row := range rows[1:] {
		byLabel[row[5]] = row
	}
	if row := byLabel["CB CARREFOUR 13/01"]; row[7] != "-12.30" || row[8] != "EUR" || row[9] != "false" {
		t.Errorf("carrefour row %q", row)
	}
	if row := byLabel["INTERETS"]; row[7] != "0.001" || row[8] != "TND" {
		t.Errorf("TND row %q: amounts must keep the currency's exponent", row)
	}
	if row := byLabel["PRLV SEPA EDF"]; row[9] != "true" {
		t.Errorf("coming row %q", row)
	}

	r = c.Get("/transactions.csv?q=carrefour")
	if n := strings.Count(r.Body, "\n"); n != 2 {
		t.Fatalf("filtered CSV has %d lines, want 2:\n%s", n, r.Body)
	}
}

// mustManyTransactions adds n transactions labelled "BULK i" to the user's
// first account through the inbox, as Powens would deliver them.
func mustManyTransactions(t testing.TB, s *store.Store, userID int64, n int) {
	t.Helper()
	var txs []string
	for i := range n {
		day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%300)
		txs = append(txs, fmt.Sprintf(`{"id":%d,"id_account":100,"date":%q,"value":-%d.%02d,"original_wording":"BULK %d","coming":false,"active":true}`,
			100000+i, day.Format(time.DateOnly), 1+i%90, i%100, i))
	}
	body := `{"user":{"id":42},"connection":{"id":10,"id_user":42,"state":null,"accounts":[{"id":100,"id_connection":10,` +
		`"name":"Compte chèque","balance":1,"currency":{"id":"EUR"},"type":"checking","transactions":[` + strings.Join(txs, ",") + `]}]}}`
	pid := int64(42)
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: fmt.Sprintf("bulk:%d:%d", userID, n),
		PowensUserID: &pid, Auth: freenahi.AuthHMAC, Body: []byte(body)}
	if _, err := s.ReceiveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	webtest.DrainInbox(t, s)
}

func TestUI_Tokens(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	c := webtest.NewClient(t, ts.URL)
	c.SignIn("ana@example.com")

	r := c.Get("/settings/tokens")
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "No token yet.", `<label for="name">`)
	r = c.Post("/settings/tokens", url.Values{"name": {"accountant"}})
	webtest.MustStatus(t, r, http.StatusCreated)
	secret := regexp.MustCompile(`value="(fnh_[A-Za-z0-9_-]+)"`).FindStringSubmatch(r.Body)
	if secret == nil {
		t.Fatalf("the new token's secret is not shown:\n%s", webtest.Excerpt(r.Body))
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q on the page showing a secret", cc)
	}
	if got, err := s.AuthenticateAPIToken(ctx, secret[1]); err != nil || got.ID != u.ID {
		t.Fatalf("shown token does not authenticate: %v", err)
	}
	r = c.Get("/settings/tokens")
	webtest.MustContain(t, r, "accountant")
	webtest.MustNotContain(t, r, secret[1])

	tokens, _ := s.FindAPITokens(ctx, u.ID)
	r = c.Post(fmt.Sprintf("/settings/tokens/%d/revoke", tokens[0].ID), nil)
	webtest.MustStatus(t, r, http.StatusSeeOther)
	webtest.MustContain(t, c.Follow(r), "The token is revoked.")
	if _, err := s.AuthenticateAPIToken(ctx, secret[1]); err == nil {
		t.Fatal("revoked token still authenticates")
	}
}

// TestUI_OwnerScoping changes ids in URLs and forms: another person's
// accounts, transactions, connections and tokens are never reachable.
func TestUI_OwnerScoping(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts, _ := webtest.NewUIServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		b := webtest.MustUserWithData(t, s, "b@example.com", 43)
		ca, cb := webtest.NewClient(t, ts.URL), webtest.NewClient(t, ts.URL)
		ca.SignInAs(s, a.ID)
		cb.SignInAs(s, b.ID)

		aAccounts := accountIDs(ca.Get("/accounts").Body)
		aConns, _ := s.FindConnections(ctx, a.ID)
		aTokens, _ := s.FindAPITokens(ctx, a.ID)
		for _, path := range []string{
			"/accounts/" + aAccounts[0],
			fmt.Sprintf("/connections/%d/delete", aConns[0].ID),
			fmt.Sprintf("/connections/%d/repair", aConns[0].ID),
			fmt.Sprintf("/connections/%d/accounts", aConns[0].ID),
		} {
			r := cb.Get(path)
			webtest.MustStatus(t, r, http.StatusNotFound)
			webtest.MustContain(t, r, "Not found")
			webtest.MustNotContain(t, r, "Compte chèque")
		}
		r := cb.Get("/transactions?account_id=" + aAccounts[0])
		webtest.MustStatus(t, r, http.StatusOK)
		webtest.MustContain(t, r, "No transaction matches.")
		r = cb.Get("/transactions.csv?account_id=" + aAccounts[0])
		if strings.Count(r.Body, "\n") != 1 {
			t.Fatalf("b's CSV of a's account has rows:\n%s", r.Body)
		}
		for _, path := range []string{fmt.Sprintf("/connections/%d/delete", aConns[0].ID), fmt.Sprintf("/settings/tokens/%d/revoke", aTokens[0].ID)} {
			webtest.MustStatus(t, cb.Post(path, nil), http.StatusNotFound)
		}
		if got, _ := s.FindAPITokens(ctx, a.ID); len(got) != 1 {
			t.Fatal("b revoked a's token")
		}
		if c, _ := s.FindConnectionByID(ctx, a.ID, aConns[0].ID); c.Deleted != nil {
			t.Fatal("b deleted a's connection")
		}
	})
}

func TestUI_NotFoundIsHTML(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	c := webtest.NewClient(t, ts.URL)
	r := c.Get("/no/such/page")
	webtest.MustStatus(t, r, http.StatusNotFound)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("Content-Type %q, want HTML", ct)
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Fatalf("CSP %q", csp)
	}
	r = c.Get("/api/v1/nothing")
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("API 404 Content-Type %q, want problem+json", ct)
	}
	r = c.Get("/static/app.css?v=x")
	webtest.MustStatus(t, r, http.StatusOK)
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Fatalf("asset Cache-Control %q", cc)
	}
}
