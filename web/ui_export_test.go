package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
)

// statementClock is the UI servers' "now" in these tests: the last full
// month is January 2025, the fixture's.
func statementClock() time.Time { return time.Date(2025, 2, 10, 9, 0, 0, 0, time.UTC) }

// withStatements gives a UI server the statement exporter and the clock.
func withStatements(s *store.Store) func(*web.Server) {
	return func(w *web.Server) { w.Statements, w.Now = &export.Exporter{Source: s}, statementClock }
}

// apiGet calls the JSON API with a token through c (no cookies needed).
func (c *uiClient) apiGet(token, path string) *uiResponse {
	c.t.Helper()
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return c.do(req)
}

// accountOf returns the user's fixture account in currency code.
func accountOf(t *testing.T, s *store.Store, userID int64, code string) *freenahi.Account {
	t.Helper()
	accounts, err := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: userID})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		if a.Currency.Code == code {
			return a
		}
	}
	t.Fatalf("no %s account", code)
	return nil
}

func TestUI_Statement(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts, _ := newUIServer(t, s, withStatements(s))
		ana := mustUserWithData(t, s, "ana@example.com", 42)
		bob := mustUserWithData(t, s, "bob@example.com", 43)
		eur, jpy := frenchAccount(t, s, ana), accountOf(t, s, ana.ID, "JPY")
		c := newUIClient(t, ts.URL)
		c.signInAs(s, ana.ID)
		download := fmt.Sprintf("/accounts/%d/statement?", eur.ID)

		t.Run("Form", func(t *testing.T) {
			r := c.get(fmt.Sprintf("/accounts/%d", eur.ID))
			mustStatus(t, r, http.StatusOK)
			mustContain(t, r, `action="/accounts/`+itoa(eur.ID)+`/statement"`, `name="from" type="date" value="2025-01-01"`,
				`name="to" type="date" value="2025-01-31"`, `value="cfonb" checked`, `name="per_period" value="false" checked`,
				"the last full month, 1 Jan 2025 – 31 Jan 2025")
			mustNotContain(t, r, `name="rib"`) // a French IBAN needs no RIB
			r = c.get(fmt.Sprintf("/accounts/%d", jpy.ID))
			mustContain(t, r, `name="rib"`, "Your bank gives no IBAN for this account")
		})
		t.Run("SameBytesAsTheAPI", func(t *testing.T) {
			for _, tc := range []struct{ query, api string }{
				{"from=2025-01-01&to=2025-01-31&format=cfonb&per_period=false", "export.cfonb?from=2025-01-01&to=2025-01-31"},
				{"from=2025-01-01&to=2025-01-31&format=cfonb&per_period=true", "export.cfonb?from=2025-01-01&to=2025-01-31&per_period=true"},
				{"from=2025-01-12&to=2025-01-20&format=csv", "export.csv?from=2025-01-12&to=2025-01-20"},
			} {
				ui := c.get(download + tc.query)
				api := c.apiGet(ana.token, fmt.Sprintf("/api/v1/accounts/%d/%s", eur.ID, tc.api))
				mustStatus(t, ui, http.StatusOK)
				mustStatus(t, api, http.StatusOK)
				if ui.Body != api.Body || len(ui.Body) < 200 {
					t.Fatalf("%s: the UI's %d bytes differ from the API's %d:\n%s\n---\n%s", tc.query, len(ui.Body), len(api.Body), ui.Body, api.Body)
				}
				for _, h := range []string{"Content-Type", "Content-Disposition", "Cache-Control"} {
					if ui.Header.Get(h) != api.Header.Get(h) {
						t.Errorf("%s: %s %q, the API says %q", tc.query, h, ui.Header.Get(h), api.Header.Get(h))
					}
				}
			}
		})
		t.Run("RIBOverride", func(t *testing.T) {
			q := fmt.Sprintf("/accounts/%d/statement?from=2025-01-01&to=2025-01-31&format=cfonb&rib=", jpy.ID)
			r := c.get(q + url.QueryEscape("30006 00001 12345678901 89"))
			mustStatus(t, r, http.StatusOK)
			api := c.apiGet(ana.token, fmt.Sprintf("/api/v1/accounts/%d/export.cfonb?from=2025-01-01&to=2025-01-31&rib=%s",
				jpy.ID, url.QueryEscape("30006 00001 12345678901 89")))
			if r.Body != api.Body || !strings.Contains(r.Body, "JPY0") {
				t.Fatalf("with a RIB:\n%s\n---\n%s", r.Body, api.Body)
			}
			// CSV names no account: no RIB needed.
			mustStatus(t, c.get(fmt.Sprintf("/accounts/%d/statement?from=2025-01-01&to=2025-01-31&format=csv", jpy.ID)), http.StatusOK)
		})
		for _, tc := range []struct {
			name, path string
			want       []string
		}{
			{"FromAfterTo", download + "from=2025-02-01&to=2025-01-31&format=cfonb",
				[]string{"The first day is after the last day", `value="2025-02-01"`, `aria-invalid="true"`}},
			{"NotADate", download + "from=2025-02-30&to=2025-03-31", []string{"Enter a date (YYYY-MM-DD)."}},
			{"NoFrom", download + "to=2025-01-31", []string{"Choose the first day of the period."}},
			{"BadFormat", download + "from=2025-01-01&to=2025-01-31&format=pdf", []string{"Choose one of the listed values."}},
			{"UnknownParameter", download + "from=2025-01-01&to=2025-01-31&separator=x", []string{"separator&#34; is not a parameter of this address"}},
			{"NoIBAN", fmt.Sprintf("/accounts/%d/statement?from=2025-01-01&to=2025-01-31&format=cfonb", jpy.ID),
				[]string{"Your bank gives no IBAN for this account", "Type its RIB, or choose CSV.", `id="st-rib"`}},
			{"BadRIBKey", fmt.Sprintf("/accounts/%d/statement?from=2025-01-01&to=2025-01-31&rib=30006000011234567890100", jpy.ID),
				[]string{"The statement could not be written: RIB: key 00 does not match", `value="30006000011234567890100"`}},
			{"BeforeCFONBDates", download + "from=1970-01-01&to=1970-01-31", []string{"The statement could not be written: Start date: 1970-01-01 is before"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := c.get(tc.path)
				mustStatus(t, r, http.StatusBadRequest)
				if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Fatalf("Content-Type %q: a refusal is the account page", ct)
				}
				mustContain(t, r, append(tc.want, `role="alert"`, `id="h-statement"`, "Latest transactions")...)
			})
		}
		t.Run("French", func(t *testing.T) {
			c.get("/lang/fr?back=/")
			defer c.get("/lang/en?back=/")
			r := c.get(download + "from=2025-02-01&to=2025-01-31")
			mustStatus(t, r, http.StatusBadRequest)
			mustContain(t, r, "Le premier jour est après le dernier", "Télécharger un relevé")
			r = c.get(fmt.Sprintf("/accounts/%d", jpy.ID))
			mustContain(t, r, "Votre banque ne donne pas d’IBAN pour ce compte", "le dernier mois complet, du 1 janv. 2025 au 31 janv. 2025")
		})
		t.Run("OthersAccount", func(t *testing.T) {
			cb := newUIClient(t, ts.URL)
			cb.signInAs(s, bob.ID)
			r := cb.get(download + "from=2025-01-01&to=2025-01-31")
			mustStatus(t, r, http.StatusNotFound)
			mustNotContain(t, r, "Compte chèque", "FREENAHI")
		})
		t.Run("SignedOut", func(t *testing.T) {
			r := newUIClient(t, ts.URL).get(download + "from=2025-01-01&to=2025-01-31")
			if mustStatus(t, r, http.StatusSeeOther); !strings.HasPrefix(r.Header.Get("Location"), "/signin?next=") {
				t.Fatalf("Location %q", r.Header.Get("Location"))
			}
		})
	})
}

// TestUI_StatementNotConfigured: without an exporter the account page has
// no form, and the download says the service is unavailable.
func TestUI_StatementNotConfigured(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := newUIServer(t, s)
	ana := mustUserWithData(t, s, "ana@example.com", 42)
	eur := frenchAccount(t, s, ana)
	c := newUIClient(t, ts.URL)
	c.signInAs(s, ana.ID)
	mustNotContain(t, c.get(fmt.Sprintf("/accounts/%d", eur.ID)), `id="h-statement"`)
	r := c.get(fmt.Sprintf("/accounts/%d/statement?from=2025-01-01&to=2025-01-31", eur.ID))
	mustStatus(t, r, http.StatusServiceUnavailable)
	if !bytes.Contains([]byte(r.Body), []byte("Exports are not configured")) {
		t.Fatalf("body:\n%s", excerpt(r.Body))
	}
}
