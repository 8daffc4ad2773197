package ui_test

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
	"github.com/freenahi/freenahi/web/webtest"
)

// statementClock is the UI servers' "now" in these tests: the last full
// month is January 2025, the fixture's.
func statementClock() time.Time { return time.Date(2025, 2, 10, 9, 0, 0, 0, time.UTC) }

// withStatements gives a UI server the statement exporter and the clock.
func withStatements(s *store.Store) func(*web.Server) {
	return func(w *web.Server) { w.Statements, w.Now = &export.Exporter{Source: s}, statementClock }
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
		ts, _ := webtest.NewUIServer(t, s, withStatements(s))
		ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
		bob := webtest.MustUserWithData(t, s, "bob@example.com", 43)
		eur, jpy := webtest.FrenchAccount(t, s, ana.ID), accountOf(t, s, ana.ID, "JPY")
		c := webtest.NewClient(t, ts.URL)
		c.SignInAs(s, ana.ID)
		download := fmt.Sprintf("/accounts/%d/statement?", eur.ID)

		t.Run("Form", func(t *testing.T) {
			r := c.Get(fmt.Sprintf("/accounts/%d", eur.ID))
			webtest.MustStatus(t, r, http.StatusOK)
			webtest.MustContain(t, r, `action="/accounts/`+itoa(eur.ID)+`/statement"`, `name="from" type="date" value="2025-01-01"`,
				`name="to" type="date" value="2025-01-31"`, `value="cfonb" checked`, `name="per_period" value="false" checked`,
				"the last full month, 1 Jan 2025 – 31 Jan 2025")
			webtest.MustNotContain(t, r, `name="rib"`) // a French IBAN needs no RIB
			r = c.Get(fmt.Sprintf("/accounts/%d", jpy.ID))
			webtest.MustContain(t, r, `name="rib"`, "Your bank gives no IBAN for this account")
		})
		t.Run("SameBytesAsTheAPI", func(t *testing.T) {
			for _, tc := range []struct{ query, api string }{
				{"from=2025-01-01&to=2025-01-31&format=cfonb&per_period=false", "export.cfonb?from=2025-01-01&to=2025-01-31"},
				{"from=2025-01-01&to=2025-01-31&format=cfonb&per_period=true", "export.cfonb?from=2025-01-01&to=2025-01-31&per_period=true"},
				{"from=2025-01-12&to=2025-01-20&format=csv", "export.csv?from=2025-01-12&to=2025-01-20"},
			} {
				ui := c.Get(download + tc.query)
				api := c.GetWithToken(ana.Token, fmt.Sprintf("/api/v1/accounts/%d/%s", eur.ID, tc.api))
				webtest.MustStatus(t, ui, http.StatusOK)
				webtest.MustStatus(t, api, http.StatusOK)
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
			r := c.Get(q + url.QueryEscape("30006 00001 12345678901 89"))
			webtest.MustStatus(t, r, http.StatusOK)
			api := c.GetWithToken(ana.Token, fmt.Sprintf("/api/v1/accounts/%d/export.cfonb?from=2025-01-01&to=2025-01-31&rib=%s",
				jpy.ID, url.QueryEscape("30006 00001 12345678901 89")))
			if r.Body != api.Body || !strings.Contains(r.Body, "JPY0") {
				t.Fatalf("with a RIB:\n%s\n---\n%s", r.Body, api.Body)
			}
			// CSV names no account: no RIB needed.
			webtest.MustStatus(t, c.Get(fmt.Sprintf("/accounts/%d/statement?from=2025-01-01&to=2025-01-31&format=csv", jpy.ID)), http.StatusOK)
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
				r := c.Get(tc.path)
				webtest.MustStatus(t, r, http.StatusBadRequest)
				if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Fatalf("Content-Type %q: a refusal is the account page", ct)
				}
				webtest.MustContain(t, r, append(tc.want, `role="alert"`, `id="h-statement"`, "Latest transactions")...)
			})
		}
		t.Run("French", func(t *testing.T) {
			c.Get("/lang/fr?back=/")
			defer c.Get("/lang/en?back=/")
			r := c.Get(download + "from=2025-02-01&to=2025-01-31")
			webtest.MustStatus(t, r, http.StatusBadRequest)
			webtest.MustContain(t, r, "Le premier jour est après le dernier", "Télécharger un relevé")
			r = c.Get(fmt.Sprintf("/accounts/%d", jpy.ID))
			webtest.MustContain(t, r, "Votre banque ne donne pas d’IBAN pour ce compte", "le dernier mois complet, du 1 janv. 2025 au 31 janv. 2025")
		})
		t.Run("OthersAccount", func(t *testing.T) {
			cb := webtest.NewClient(t, ts.URL)
			cb.SignInAs(s, bob.ID)
			r := cb.Get(download + "from=2025-01-01&to=2025-01-31")
			webtest.MustStatus(t, r, http.StatusNotFound)
			webtest.MustNotContain(t, r, "Compte chèque", "FREENAHI")
		})
		t.Run("SignedOut", func(t *testing.T) {
			r := webtest.NewClient(t, ts.URL).Get(download + "from=2025-01-01&to=2025-01-31")
			if webtest.MustStatus(t, r, http.StatusSeeOther); !strings.HasPrefix(r.Header.Get("Location"), "/signin?next=") {
				t.Fatalf("Location %q", r.Header.Get("Location"))
			}
		})
	})
}

// TestUI_StatementNotConfigured: without an exporter the account page has
// no form, and the download says the service is unavailable.
func TestUI_StatementNotConfigured(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
	eur := webtest.FrenchAccount(t, s, ana.ID)
	c := webtest.NewClient(t, ts.URL)
	c.SignInAs(s, ana.ID)
	webtest.MustNotContain(t, c.Get(fmt.Sprintf("/accounts/%d", eur.ID)), `id="h-statement"`)
	r := c.Get(fmt.Sprintf("/accounts/%d/statement?from=2025-01-01&to=2025-01-31", eur.ID))
	webtest.MustStatus(t, r, http.StatusServiceUnavailable)
	if !bytes.Contains([]byte(r.Body), []byte("Exports are not configured")) {
		t.Fatalf("body:\n%s", webtest.Excerpt(r.Body))
	}
}
