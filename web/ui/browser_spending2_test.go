package ui_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_SortPagesAndRuleEdit: the transactions sorted by amount,
// highest first, a next and a previous page, then a rule edited with its
// dry-run count and moved, on a desktop and a phone, in English and
// French, with screenshots. The fixture's largest amount is the ACME
// salary (2,500.00); mustManyTransactions adds 120 payments "BULK i".
func TestBrowser_SortPagesAndRuleEdit(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	base := spendingUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	mustManyTransactions(t, s, ana.ID, 120)
	for _, r := range []*freenahi.Rule{
		{UserID: ana.ID, Name: "EDF", If: freenahi.RuleConditions{WordingContains: "edf"}, Then: freenahi.RuleActions{Tags: []string{"energie"}}},
		{UserID: ana.ID, Name: "Bulk", If: freenahi.RuleConditions{WordingContains: "bulk"}, Then: freenahi.RuleActions{Tags: []string{"vrac"}}},
	} {
		if err := s.CreateRule(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rules, _ := s.FindRules(ctx, ana.ID)
	b := newTab(t, base)
	b.signIn("ana@example.com")

	b.open("/transactions")
	b.do(chromedp.SetValue(chromedp.ID("sort"), "amount_desc"), chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)))
	b.waitLocation("sort=amount_desc")
	b.waitText("Next page", false)
	if text := b.mainText(); strings.Index(text, "VIR SEPA SALAIRE") > strings.Index(text, "BULK") {
		t.Fatal("sorted by amount, highest first, the salary is not above the payments")
	}
	b.shot("sort-amount-desktop")
	b.do(chromedp.Click(chromedp.CSS(`a[rel=next]`)))
	b.waitText("Previous page", false)
	b.do(chromedp.Click(chromedp.CSS(`a[rel=prev]`)))
	b.waitText("VIR SEPA SALAIRE", false)
	if strings.Contains(b.html(), `rel="prev"`) {
		t.Fatal("the first page, reached back, offers a previous page")
	}

	b.open(fmt.Sprintf("/rules/%d/edit", rules[1].ID))
	b.fill(map[string]string{"wording": "bulk 1"}, `button[value=check]`)
	b.waitText("This rule would change", false)
	b.shot("rule-edit-desktop")
	b.do(chromedp.Click(chromedp.CSS(`button[value=save]`)))
	b.waitText("Rule changed.", false)
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="/rules/%d/move"] button[value=up]`, rules[1].ID))))
	b.waitText("Rule moved.", false)
	b.shot("rules-desktop")
	if got, _ := s.FindRules(ctx, ana.ID); got[0].ID != rules[1].ID || got[0].If.WordingContains != "bulk 1" {
		t.Fatalf("after the edit and the move: %+v", got[0])
	}

	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.open("/transactions?sort=amount_asc&q=bulk")
	b.waitText("Next page", false)
	b.shot("sort-amount-phone")
	b.open(fmt.Sprintf("/rules/%d/edit", rules[0].ID))
	b.waitText("Edit the rule EDF", false)
	b.shot("rule-edit-phone")

	b.open("/lang/fr?back=/transactions%3Fsort%3Damount_asc%26q%3Dbulk")
	b.waitText("Page suivante", false)
	b.shot("sort-amount-phone-fr")
	b.open(fmt.Sprintf("/rules/%d/edit", rules[0].ID))
	b.waitText("Modifier la règle EDF", false)
	b.shot("rule-edit-phone-fr")
	b.do(chromedp.EmulateViewport(1280, 900))
	b.open("/rules")
	b.waitText("Modifier", false)
	b.shot("rules-desktop-fr")
	b.open("/transactions?sort=date_asc")
	b.waitText("Plus anciennes d’abord", false)
	b.shot("sort-date-desktop-fr")
}

// TestBrowser_ManualBalance: a manual account made by an import gets its
// balance set on a day through the account page (87.70 from the lines,
// then 50.00 on 2024-03-04 plus the 100.00 of 03-05: 150.00), on a
// desktop and a phone, in English and French, with screenshots.
func TestBrowser_ManualBalance(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	base := importUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	im := &bankfile.Importer{Store: s, Accounts: s}
	out, err := im.Import(ctx, bankfile.Request{UserID: ana.ID, Options: bankfile.Options{DayFirst: true},
		Data:       []byte("Date;Libellé;Montant\n02/03/2024;CB BOULANGERIE;-12,30\n05/03/2024;VIR RECU;100,00\n"),
		NewAccount: &freenahi.Account{Name: "Joint", Currency: freenahi.Currency{Code: "EUR"}}})
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/accounts/%d", out.Result.Account.ID)
	b := newTab(t, base)
	b.signIn("ana@example.com")
	b.open(page)
	b.waitText("87.70", false)
	b.do(chromedp.Click(chromedp.CSS(`#manual-balance summary`)))
	b.do(chromedp.SetValue(chromedp.ID("mb-date"), "2024-03-04"))
	b.fill(map[string]string{"mb-balance": "50,00"}, `#manual-balance button[type=submit]`)
	b.waitText("Balance saved.", false)
	b.waitText("150.00", false)
	b.shot("manual-balance-desktop")
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.open(page)
	b.do(chromedp.Click(chromedp.CSS(`#manual-balance summary`)))
	b.shot("manual-balance-phone")
	b.open("/lang/fr?back=" + page)
	b.waitText("Indiquer le solde à une date", false)
	b.do(chromedp.Click(chromedp.CSS(`#manual-balance summary`)))
	b.shot("manual-balance-phone-fr")
	b.do(chromedp.EmulateViewport(1280, 900))
	b.open(page)
	b.waitText("150,00", false)
	b.shot("manual-balance-desktop-fr")
}
