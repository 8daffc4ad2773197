package ui_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_Spending: categorise a payment by hand, make a rule from the
// correction and see its dry-run count, then the monthly report, on a
// desktop and a phone, in English and French, with screenshots.
func TestBrowser_Spending(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	base := spendingUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	tx := carrefour(t, s, ana.ID)
	restaurants := categoryID(t, s, ana.ID, "restaurants")
	b := newTab(t, base)
	b.signIn("ana@example.com")

	b.open("/transactions")
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/transactions/%d"]`, tx.ID))))
	b.waitText("What the bank says", false)
	b.do(chromedp.SetValue(chromedp.ID("category_id"), fmt.Sprint(restaurants)), chromedp.Click(chromedp.CSS(`#edit button[type=submit]`)))
	b.waitText("Saved.", false)
	b.waitText("Chosen by you.", false)
	b.shot("transaction-desktop")

	b.do(chromedp.Click(chromedp.CSS(`#edit a[href^="/rules?"]`)))
	b.waitText("New rule", false)
	b.do(chromedp.Click(chromedp.CSS(`button[value=check]`)))
	// The only Carrefour payment is the one just corrected: nothing to change.
	b.waitText("This rule would change 0 transactions.", false)
	b.shot("rule-dry-run-desktop")
	b.do(chromedp.Click(chromedp.CSS(`button[value=save]`)))
	b.waitText("Rule saved.", false)

	b.open("/reports?from=2025-01-01&to=2025-01-31")
	b.waitText("Income and spending per month", false)
	b.waitText("Restaurants", false)
	b.shot("reports-desktop")
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#by-category a[href^="/transactions?category_id=%d"]`, restaurants))))
	b.waitText("CB CARREFOUR 13/01", false)

	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)) // a phone
	b.open("/reports?from=2025-01-01&to=2025-01-31")
	b.waitText("Spending by category", false)
	b.shot("reports-phone")
	b.open(fmt.Sprintf("/transactions/%d", tx.ID))
	b.waitText("What the bank says", false)
	b.shot("transaction-phone")

	b.open("/lang/fr?back=/reports%3Ffrom%3D2025-01-01%26to%3D2025-01-31")
	b.waitText("Revenus et dépenses par mois", false)
	b.shot("reports-phone-fr")
	b.open(fmt.Sprintf("/rules?wording=EDF&category_id=%d", categoryID(t, s, ana.ID, "water")))
	b.do(chromedp.Click(chromedp.CSS(`button[value=check]`)))
	b.waitText("Cette règle modifierait 1 opération.", false)
	b.shot("rule-dry-run-phone-fr")
	b.open("/categories")
	b.waitText("Nouvelle catégorie", false)
	b.shot("categories-phone-fr")
}
