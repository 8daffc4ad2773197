package web_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// signInAs gives c a session of userID straight from the store, for users
// created without a password (mustUserWithData).
func (c *uiClient) signInAs(s *store.Store, userID int64) {
	c.t.Helper()
	id, err := s.CreateSession(ctx, userID, time.Hour, time.Hour)
	if err != nil {
		c.t.Fatal(err)
	}
	u, _ := url.Parse(c.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "freenahi_session", Value: id, Path: "/"}})
	mustStatus(c.t, c.get("/accounts"), http.StatusOK)
}

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
		ts, _ := newUIServer(t, s)
		a := mustUserWithData(t, s, "a@example.com", 42)
		c := newUIClient(t, ts.URL)
		c.signInAs(s, a.ID)

		r := c.get("/accounts")
		mustStatus(t, r, http.StatusOK)
		mustContain(t, r, "Checking accounts", "Savings", "Investments", "Loans",
			"€123,456,789.99", "¥150,000", "TND\u00a01,234.567", "€10,512.40", `class="amount neg">-€150,000.00`,
			"Compte chèque", "Last update:")
		if ids := accountIDs(r.Body); len(ids) != 5 {
			t.Fatalf("account links %v, want 5", ids)
		}
		// Groups come in display order.
		if i, j := strings.Index(r.Body, "Checking accounts"), strings.Index(r.Body, "Loans"); i > j {
			t.Error("checking accounts are not listed before loans")
		}

		t.Run("French", func(t *testing.T) {
			r := c.get("/lang/fr?back=/accounts")
			if mustStatus(t, r, http.StatusSeeOther); r.Header.Get("Location") != "/accounts" {
				t.Fatalf("language switch → %q", r.Header.Get("Location"))
			}
			r = c.get("/accounts")
			mustContain(t, r, `<html lang="fr">`, "Comptes courants", "123\u202f456\u202f789,99\u00a0€", "-150\u202f000,00\u00a0€", "English")
			c.get("/lang/en?back=/")
		})
		t.Run("AccountPage", func(t *testing.T) {
			id := accountIDs(r.Body)[0]
			r := c.get("/accounts/" + id)
			mustStatus(t, r, http.StatusOK)
			mustContain(t, r, "Compte chèque", "FR7630006000011234567890189", "Balance history", "CB CARREFOUR 13/01",
				"/transactions?account_id="+id)
		})
	})
}

func TestUI_Transactions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts, _ := newUIServer(t, s)
		a := mustUserWithData(t, s, "a@example.com", 42)
		c := newUIClient(t, ts.URL)
		c.signInAs(s, a.ID)

		r := c.get("/transactions")
		mustStatus(t, r, http.StatusOK)
		mustContain(t, r, "CB CARREFOUR 13/01", "PRLV SEPA EDF", `class="badge badge-coming">coming`, "-€12.30",
			`<label for="q">`, `<label for="from">`, `<label for="min_amount">`, `href="/transactions.csv?"`)
		for _, tc := range []struct{ query, want, not string }{
			{"q=carrefour", "CB CARREFOUR", "EDF"},
			{"q=SALAIRE+acme", "VIR SEPA SALAIRE ACME", "CARREFOUR"},
			{"from=2025-01-11&to=2025-01-14", "CB TOKYO", "SALAIRE"},
			{"min_amount=-12.30&max_amount=0", "CARREFOUR", "SALAIRE"},
		} {
			r := c.get("/transactions?" + tc.query)
			mustStatus(t, r, http.StatusOK)
			mustContain(t, r, tc.want)
			mustNotContain(t, r, tc.not)
		}
		t.Run("BadFilterShownBack", func(t *testing.T) {
			r := c.get("/transactions?from=2025-02-30&q=edf")
			mustStatus(t, r, http.StatusBadRequest)
			mustContain(t, r, `role="alert"`, "Start date: &#34;2025-02-30&#34; is not a date", `value="edf"`)
		})
	})
}

func TestUI_TransactionsKeysetPages(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := newUIServer(t, s)
	a := mustUserWithData(t, s, "a@example.com", 42)
	mustManyTransactions(t, s, a.ID, 120)
	c := newUIClient(t, ts.URL)
	c.signInAs(s, a.ID)

	seen := map[string]bool{}
	next, pages := "/transactions?q=bulk", 0
	for ; next != ""; pages++ {
		r := c.get(next)
		mustStatus(t, r, http.StatusOK)
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
	ts, _ := newUIServer(t, s)
	a := mustUserWithData(t, s, "a@example.com", 42)
	mustManyTransactions(t, s, a.ID, 2500) // several keyset pages of the export
	c := newUIClient(t, ts.URL)
	c.signInAs(s, a.ID)

	r := c.get("/transactions.csv")
	mustStatus(t, r, http.StatusOK)
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

	r = c.get("/transactions.csv?q=carrefour")
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
	drainInbox(t.(*testing.T), s)
}

func TestUI_Tokens(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := newUIServer(t, s)
	u := mustUserWithPassword(t, s, "ana@example.com")
	c := newUIClient(t, ts.URL)
	c.signIn("ana@example.com")

	r := c.get("/settings/tokens")
	mustStatus(t, r, http.StatusOK)
	mustContain(t, r, "No token yet.", `<label for="name">`)
	r = c.post("/settings/tokens", url.Values{"name": {"accountant"}})
	mustStatus(t, r, http.StatusCreated)
	secret := regexp.MustCompile(`value="(fnh_[A-Za-z0-9_-]+)"`).FindStringSubmatch(r.Body)
	if secret == nil {
		t.Fatalf("the new token's secret is not shown:\n%s", excerpt(r.Body))
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q on the page showing a secret", cc)
	}
	if got, err := s.AuthenticateAPIToken(ctx, secret[1]); err != nil || got.ID != u.ID {
		t.Fatalf("shown token does not authenticate: %v", err)
	}
	r = c.get("/settings/tokens")
	mustContain(t, r, "accountant")
	mustNotContain(t, r, secret[1])

	tokens, _ := s.FindAPITokens(ctx, u.ID)
	r = c.post(fmt.Sprintf("/settings/tokens/%d/revoke", tokens[0].ID), nil)
	mustStatus(t, r, http.StatusSeeOther)
	mustContain(t, c.follow(r), "The token is revoked.")
	if _, err := s.AuthenticateAPIToken(ctx, secret[1]); err == nil {
		t.Fatal("revoked token still authenticates")
	}
}

// TestUI_OwnerScoping changes ids in URLs and forms: another person's
// accounts, transactions, connections and tokens are never reachable.
func TestUI_OwnerScoping(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts, _ := newUIServer(t, s)
		a := mustUserWithData(t, s, "a@example.com", 42)
		b := mustUserWithData(t, s, "b@example.com", 43)
		ca, cb := newUIClient(t, ts.URL), newUIClient(t, ts.URL)
		ca.signInAs(s, a.ID)
		cb.signInAs(s, b.ID)

		aAccounts := accountIDs(ca.get("/accounts").Body)
		aConns, _ := s.FindConnections(ctx, a.ID)
		aTokens, _ := s.FindAPITokens(ctx, a.ID)
		for _, path := range []string{
			"/accounts/" + aAccounts[0],
			fmt.Sprintf("/connections/%d/delete", aConns[0].ID),
			fmt.Sprintf("/connections/%d/repair", aConns[0].ID),
			fmt.Sprintf("/connections/%d/accounts", aConns[0].ID),
		} {
			r := cb.get(path)
			mustStatus(t, r, http.StatusNotFound)
			mustContain(t, r, "Not found")
			mustNotContain(t, r, "Compte chèque")
		}
		r := cb.get("/transactions?account_id=" + aAccounts[0])
		mustStatus(t, r, http.StatusOK)
		mustContain(t, r, "No transaction matches.")
		r = cb.get("/transactions.csv?account_id=" + aAccounts[0])
		if strings.Count(r.Body, "\n") != 1 {
			t.Fatalf("b's CSV of a's account has rows:\n%s", r.Body)
		}
		for _, path := range []string{fmt.Sprintf("/connections/%d/delete", aConns[0].ID), fmt.Sprintf("/settings/tokens/%d/revoke", aTokens[0].ID)} {
			mustStatus(t, cb.post(path, nil), http.StatusNotFound)
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
	ts, _ := newUIServer(t, s)
	c := newUIClient(t, ts.URL)
	r := c.get("/no/such/page")
	mustStatus(t, r, http.StatusNotFound)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("Content-Type %q, want HTML", ct)
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Fatalf("CSP %q", csp)
	}
	r = c.get("/api/v1/nothing")
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("API 404 Content-Type %q, want problem+json", ct)
	}
	r = c.get("/static/app.css?v=x")
	mustStatus(t, r, http.StatusOK)
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Fatalf("asset Cache-Control %q", cc)
	}
}
