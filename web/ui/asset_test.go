package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestUIAccountChoices renames, regroups and hides an account through its
// form and checks every page that lists it, against the fixture's
// balances added up by hand.
func TestUIAccountChoices(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	today := parisToday()
	ana := webtest.MustUserWithWealth(t, s, "ana@example.com", 42, today)
	bob := webtest.MustUserWithWealth(t, s, "bob@example.com", 43, today)
	c := webtest.NewClient(t, ts.URL)
	c.SignInAs(s, ana.ID)
	checking := fmt.Sprintf("/accounts/%d", ana.Checking.ID)

	t.Run("BankAndConnectionShown", func(t *testing.T) {
		webtest.MustContain(t, c.Get("/accounts"), "Compte chèques", fmt.Sprintf("Banque Test · connection %d", ana.Checking.ConnectionID))
	})
	t.Run("Rename", func(t *testing.T) {
		c.Get(checking)
		r := c.Post(checking+"/choices", url.Values{"name": {"Joint account"}, "group": {""}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		page := c.Follow(r)
		webtest.MustContain(t, page, "<h2>Joint account</h2>", "Name at the bank", "Compte chèques", "Synchronisations will keep your choices.")
		webtest.MustContain(t, c.Get("/"), "Joint account", "Accounts and assets")
		webtest.MustContain(t, c.Get("/accounts"), "Joint account")
		webtest.MustContain(t, c.Get("/transactions"), "Joint account")
	})
	t.Run("HideLeavesTotals", func(t *testing.T) {
		c.Get(checking)
		r := c.Post(checking+"/choices", url.Values{"name": {"Joint account"}, "hidden": {"1"}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		// −149,459.15 without the 2,345.67 of the checking account.
		d := c.Get("/")
		webtest.MustContain(t, d, "-€151,804.82", "Show 1 hidden or archived account")
		webtest.MustNotContain(t, d, ">Checking accounts<")
		list := c.Get("/accounts")
		webtest.MustNotContain(t, list, "Joint account")
		webtest.MustContain(t, c.Get("/accounts?hidden=1"), "Joint account", "Hidden and archived accounts")
		// Still reachable, and shown back.
		webtest.MustContain(t, c.Get(checking), "Hidden", "count in no total")
		c.Post(checking+"/choices", url.Values{"name": {"Joint account"}})
		webtest.MustContain(t, c.Get("/"), "-€149,459.15")
	})
	t.Run("RegroupAsSavings", func(t *testing.T) {
		c.Get(checking)
		c.Post(checking+"/choices", url.Values{"name": {"Joint account"}, "group": {"savings"}})
		// Savings: 12,000.00 + 2,345.67.
		webtest.MustContain(t, c.Get("/"), "€14,345.67")
	})
	t.Run("BadChoiceChangesNothing", func(t *testing.T) {
		c.Get(checking)
		r := c.Post(checking+"/choices", url.Values{"name": {strings.Repeat("x", 101)}, "group": {"savings"}})
		webtest.MustStatus(t, r, http.StatusBadRequest)
		webtest.MustContain(t, r, "is longer than 100 characters", `aria-invalid="true"`)
		r = c.Post(checking+"/choices", url.Values{"name": {"Joint account"}, "group": {"boats"}})
		webtest.MustStatus(t, r, http.StatusBadRequest)
		webtest.MustContain(t, r, "Group of accounts")
		webtest.MustContain(t, c.Get(checking), "<h2>Joint account</h2>")
	})
	t.Run("AnotherPersonsAccount", func(t *testing.T) {
		c.Get(checking)
		r := c.Post(fmt.Sprintf("/accounts/%d/choices", bob.Checking.ID), url.Values{"name": {"Mine"}})
		webtest.MustStatus(t, r, http.StatusNotFound)
	})
	t.Run("French", func(t *testing.T) {
		webtest.MustStatus(t, c.Get("/lang/fr?back=/"), http.StatusSeeOther)
		webtest.MustContain(t, c.Get(checking), "Nom à la banque", "Votre nom pour ce compte", "Masquer ce compte")
	})
}

// TestUIAssets creates an asset and a debt with dated values and checks the
// pages and the dashboard's net worth against sums done by hand.
func TestUIAssets(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	today := parisToday()
	ana := webtest.MustUserWithWealth(t, s, "ana@example.com", 42, today)
	bob := webtest.MustUserWithWealth(t, s, "bob@example.com", 43, today)
	c := webtest.NewClient(t, ts.URL)
	c.SignInAs(s, ana.ID)
	var flat string

	t.Run("Create", func(t *testing.T) {
		c.Get("/assets")
		r := c.Post("/assets", url.Values{"name": {"Flat in Lyon"}, "kind": {"property"}, "currency": {"EUR"},
			"value": {"250 000,50"}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		flat = strings.SplitN(r.Location(), "?", 2)[0]
		webtest.MustContain(t, c.Follow(r), "Flat in Lyon", "€250,000.50", "Property")
	})
	t.Run("CreateBad", func(t *testing.T) {
		c.Get("/assets")
		r := c.Post("/assets", url.Values{"name": {"Boat"}, "kind": {"other"}, "currency": {"EURO"}})
		webtest.MustStatus(t, r, http.StatusBadRequest)
		webtest.MustContain(t, r, "Currency", "is not an ISO 4217 currency code", `value="Boat"`)
		webtest.MustNotContain(t, c.Get("/assets"), ">Boat<")
	})
	t.Run("Values", func(t *testing.T) {
		c.Get(flat)
		r := c.Post(flat+"/values", url.Values{"date": {today.AddDays(-400).String()}, "value": {"210000"}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		page := c.Follow(r)
		webtest.MustContain(t, page, "€210,000.00", `class="chart-svg"`, "Value saved.")
		r = c.Post(flat+"/values", url.Values{"date": {"2024-02-30"}, "value": {"1"}})
		webtest.MustStatus(t, r, http.StatusBadRequest)
		webtest.MustContain(t, r, "is not a date")
		r = c.Post(flat+"/values", url.Values{"date": {today.String()}, "value": {"-5"}})
		webtest.MustStatus(t, r, http.StatusBadRequest)
		webtest.MustContain(t, r, "must not be negative")
	})
	t.Run("DebtAndNetWorth", func(t *testing.T) {
		c.Get("/assets")
		r := c.Post("/assets", url.Values{"name": {"Loan from Mum"}, "kind": {"loan"}, "currency": {"EUR"}, "value": {"5000"}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		// −149,459.15 + 250,000.50 − 5,000.00 = 95,541.35; other assets
		// 250,000.50; loans −182,345.12 − 5,000.00.
		d := c.Get("/")
		webtest.MustContain(t, d, "€95,541.35", "€250,000.50", "-€187,345.12", "Flat in Lyon", "Loan from Mum")
		webtest.MustContain(t, c.Get("/assets"), "In net worth:", "€245,000.50")
	})
	t.Run("Scoped", func(t *testing.T) {
		b := webtest.NewClient(t, ts.URL)
		b.SignInAs(s, bob.ID)
		webtest.MustStatus(t, b.Get(flat), http.StatusNotFound)
		b.Get("/assets")
		webtest.MustStatus(t, b.Post(flat+"/delete", url.Values{}), http.StatusNotFound)
		webtest.MustNotContain(t, b.Get("/assets"), "Flat in Lyon")
	})
	t.Run("DeleteValueThenAsset", func(t *testing.T) {
		c.Get(flat)
		r := c.Post(flat+"/values/"+today.String()+"/delete", url.Values{})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		webtest.MustContain(t, c.Follow(r), "€210,000.00")
		c.Get(flat)
		webtest.MustStatus(t, c.Post(flat+"/delete", url.Values{}), http.StatusSeeOther)
		webtest.MustStatus(t, c.Get(flat), http.StatusNotFound)
	})
	t.Run("French", func(t *testing.T) {
		webtest.MustStatus(t, c.Get("/lang/fr?back=/"), http.StatusSeeOther)
		webtest.MustContain(t, c.Get("/assets"), "Vos biens", "Argent que vous devez", "Ajouter un bien ou une dette")
	})
}
