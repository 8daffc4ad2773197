package ui_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_Search: a text search with its count and exact sum, saved
// under a name and run again from the list, on a desktop and a phone, in
// English and French, with screenshots. The figures are the fixture's
// (ingest/testdata/connection_synced.json): "SEPA" is in the EDF direct
// debit (-0.01 EUR) and the ACME salary (+2,500.00 EUR).
func TestBrowser_Search(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	base := spendingUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	b := newTab(t, base)
	b.signIn("ana@example.com")

	b.open("/transactions")
	b.do(chromedp.SetValue(chromedp.ID("q"), "Sépa"), chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)))
	b.waitText("2 transactions", false)
	b.waitText("2,499.99", false)
	b.do(chromedp.SetValue(chromedp.ID("search-name"), "SEPA transfers"), chromedp.Click(chromedp.CSS(`#save-search button[type=submit]`)))
	b.waitText("Search saved.", false)
	b.waitText("SEPA transfers", false)
	b.shot("search-desktop")

	// The saved search runs again from the plain page.
	b.open("/transactions?direction=spending")
	b.waitText("3 transactions", false)
	b.do(chromedp.Click(chromedp.CSS(`#saved-searches a[href*="q="]`)))
	b.waitText("2 transactions", false)

	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)) // a phone
	b.open("/transactions?q=sepa&direction=any")
	b.waitText("SEPA transfers", false)
	b.shot("search-phone")

	b.open("/lang/fr?back=/transactions%3Fq%3Dsepa%26direction%3Dspending%26max_amount%3D12%2C30")
	b.waitText("1 opération", false)
	b.waitText("Recherches enregistrées", false)
	b.shot("search-phone-fr")
	b.do(chromedp.EmulateViewport(1280, 900))
	b.open("/transactions?q=sepa")
	b.waitText("2 opérations", false)
	b.waitText("499,99", false)
	b.shot("search-desktop-fr")
}
