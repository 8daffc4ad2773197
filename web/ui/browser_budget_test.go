package ui_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// mustAddNetflix writes four monthly payments of 13.49 to Netflix on the
// person's French account: a subscription, next due on 6 February 2025 (a
// month after the last, which came a day late), 161.88 a year.
func mustAddNetflix(t *testing.T, s *store.Store, u *freenahi.User, powensUser int64) {
	t.Helper()
	a := webtest.FrenchAccount(t, s, u.ID)
	var txs []*freenahi.Transaction
	for i, day := range []string{"2024-10-05", "2024-11-05", "2024-12-05", "2025-01-06"} {
		d, _ := freenahi.ParseDate(day)
		txs = append(txs, &freenahi.Transaction{AccountID: a.ID, PowensID: int64(9001 + i), Date: d, Currency: a.Currency,
			ValueMinor: -1349, Type: "order", OriginalWording: "PRLV SEPA NETFLIX.COM", Active: true})
	}
	mustSyncTransactions(t, s, powensUser, "netflix:"+u.Email, txs)
}

// mustSyncTransactions writes transactions through the sync path, as
// ingestion does, in an event of its own named key.
func mustSyncTransactions(t *testing.T, s *store.Store, powensUser int64, key string, txs []*freenahi.Transaction) {
	t.Helper()
	ctx := context.Background()
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: key, PowensUserID: &powensUser,
		Auth: freenahi.AuthHMAC, Body: []byte("{}")}
	if _, err := s.ReceiveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.ClaimEvent(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ProcessEvent(ctx, claimed, func(ctx context.Context, w freenahi.SyncWriter) error {
		return w.UpsertTransactions(ctx, txs)
	}); err != nil {
		t.Fatal(err)
	}
}

// TestBrowser_Budgets: add a budget and see its progress, on the budgets
// page and the dashboard; a detected subscription; split a payment across
// two categories; on a desktop and a phone, in English and French.
func TestBrowser_Budgets(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	base := budgetUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	mustAddNetflix(t, s, ana, 42)
	tx := carrefour(t, s, ana.ID)
	groceries, restaurants := categoryID(t, s, ana.ID, "groceries"), categoryID(t, s, ana.ID, "restaurants")
	b := newTab(t, base)
	b.signIn("ana@example.com")

	b.open("/budgets")
	b.waitText("No budget yet.", false)
	b.do(chromedp.SetValue(chromedp.ID("category_id"), fmt.Sprint(groceries)),
		chromedp.SendKeys(chromedp.ID("amount"), "50,00"),
		chromedp.Click(chromedp.CSS(`#new-budget input[name=rollover]`)),
		chromedp.Click(chromedp.CSS(`#new-budget button[type=submit]`)))
	b.waitText("Budget added.", false)
	// By hand: the Carrefour payment of 12.30 in groceries.
	b.waitText("€37.70 left of €50.00", false)

	b.open(fmt.Sprintf("/transactions/%d", tx.ID))
	b.waitText("Split across categories", false)
	b.do(chromedp.SetValue(chromedp.ID("split-cat-0"), fmt.Sprint(groceries)), chromedp.SendKeys(chromedp.ID("split-amount-0"), "10"),
		chromedp.SetValue(chromedp.ID("split-cat-1"), fmt.Sprint(restaurants)), chromedp.SendKeys(chromedp.ID("split-amount-1"), "2,30"),
		chromedp.Click(chromedp.CSS(`#split button.primary`)))
	b.waitText("Split saved.", false)
	got, err := s.FindTransactionByID(context.Background(), ana.ID, tx.ID)
	if err != nil || len(got.Splits) != 2 || got.Splits[1].AmountMinor != -230 {
		t.Fatalf("the split stored: %+v %v", got.Splits, err)
	}
	// Groceries now count the part only: 10.00 spent, 40.00 left.
	b.open("/budgets")
	b.waitText("€40.00 left of €50.00", false)

	b.open("/recurring")
	b.waitText("Netflix", false)
	b.waitText("next on 6 Feb 2025", false)
	b.waitText("€161.88 a year", false)

	pages := []struct{ path, text, name string }{
		{"/budgets", "€40.00 left of €50.00", "budgets"},
		{"/", "Budgets this month", "dashboard-budgets"},
		{"/recurring", "Netflix", "recurring"},
		{fmt.Sprintf("/transactions/%d#split", tx.ID), "Split across categories", "split"},
	}
	french := map[string]string{"budgets": "Reste 40,00\u00a0€ sur 50,00\u00a0€", "dashboard-budgets": "Budgets du mois",
		"recurring": "prochain le 6 févr. 2025", "split": "Répartir entre catégories"}
	b.eachView(func(view, lang string) {
		for _, p := range pages {
			b.open(p.path)
			text := p.text
			if lang == "fr" {
				text = french[p.name]
			}
			b.waitText(text, false)
			b.shot(p.name + "-" + view + "-" + lang)
		}
	})
}
