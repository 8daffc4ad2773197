package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// budgetUI serves the UI with spending over s, its clock on 20 January
// 2025, the month of the fixture's transactions.
func budgetUI(t *testing.T, s *store.Store) string {
	t.Helper()
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) {
		srv.Spending = s
		srv.Now = func() time.Time { return time.Date(2025, 1, 20, 10, 0, 0, 0, time.UTC) }
	})
	return ts.URL
}

// TestUIBudgets: a budget typed with a decimal comma, its progress on the
// budgets page and the dashboard (the fixture's Carrefour payment of 12.30
// in groceries: 37.70 left of 50.00, by hand), a refused amount that
// stores nothing, a split that does not add up then one that does, the
// recurring page; another person reaches none of it.
func TestUIBudgets(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	base := budgetUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	c := webtest.NewClient(t, base)
	c.SignIn("ana@example.com")
	groceries, restaurants := categoryID(t, s, ana.ID, "groceries"), categoryID(t, s, ana.ID, "restaurants")

	webtest.MustContain(t, c.Get("/budgets"), "No budget yet.", "Jan 2025")
	r := c.Post("/budgets", url.Values{"category_id": {fmt.Sprint(groceries)}, "amount": {"douze"}})
	webtest.MustStatus(t, r, http.StatusBadRequest)
	webtest.MustContain(t, r, "Amount: ", `value="douze"`)
	if bs, _ := s.FindBudgets(context.Background(), ana.ID); len(bs) != 0 {
		t.Fatalf("a refused budget was stored: %+v", bs)
	}
	r = c.Post("/budgets", url.Values{"category_id": {fmt.Sprint(groceries)}, "amount": {"50,00"}, "rollover": {"on"}})
	webtest.MustStatus(t, r, http.StatusSeeOther)
	r = c.Follow(r)
	webtest.MustContain(t, r, "Budget added.", "Groceries", "€37.70 left of €50.00", "24 % spent")
	webtest.MustContain(t, c.Get("/"), "Budgets this month", "€12.30 spent of €50.00", "€37.70 left")

	bs, _ := s.FindBudgets(context.Background(), ana.ID)
	if len(bs) != 1 || bs[0].AmountMinor != 5000 || !bs[0].Rollover {
		t.Fatalf("stored %+v", bs)
	}
	r = c.Follow(c.Post(fmt.Sprintf("/budgets/%d", bs[0].ID), url.Values{"amount": {"10"}}))
	webtest.MustContain(t, r, "Budget saved.", "€2.30 over")

	// The split: 10.00 groceries and 2.31 restaurants is a cent too much.
	tx := carrefour(t, s, ana.ID)
	split := fmt.Sprintf("/transactions/%d/split", tx.ID)
	form := url.Values{"split_category": {fmt.Sprint(groceries), fmt.Sprint(restaurants), "", ""}, "split_amount": {"10", "2,31", "", ""}}
	r = c.Post(split, form)
	webtest.MustStatus(t, r, http.StatusBadRequest)
	webtest.MustContain(t, r, "the parts add up to -12.31, not to the amount -12.30")
	form["split_amount"][1] = "2,30"
	r = c.Follow(c.Post(split, form))
	webtest.MustContain(t, r, "Split saved.", "Restaurants", "-€2.30")
	got, _ := s.FindTransactionByID(context.Background(), ana.ID, tx.ID)
	if len(got.Splits) != 2 || got.Splits[0] != (freenahi.Split{CategoryID: groceries, AmountMinor: -1000}) ||
		got.Splits[1] != (freenahi.Split{CategoryID: restaurants, AmountMinor: -230}) {
		t.Fatalf("stored split %+v", got.Splits)
	}
	// Now groceries spent 10.00 of 10.00: nothing left, not over.
	webtest.MustContain(t, c.Get("/budgets"), "€0.00 left of €10.00", "100 % spent")
	// The bank books it for 12.50: the split stays, and the page says the
	// parts no longer make the amount.
	got.ValueMinor, got.Splits = -1250, nil
	mustSyncTransactions(t, s, 42, "rebooked", []*freenahi.Transaction{got})
	after, _ := s.FindTransactionByID(context.Background(), ana.ID, tx.ID)
	if after.ValueMinor != -1250 || len(after.Splits) != 2 {
		t.Fatalf("after the sync: %d %+v", after.ValueMinor, after.Splits)
	}
	webtest.MustContain(t, c.Get(fmt.Sprintf("/transactions/%d", tx.ID)), "The bank changed the amount since you split it")

	webtest.MustContain(t, c.Get("/recurring"), "No recurring payment found yet")

	ben := webtest.MustUserWithPassword(t, s, "ben@example.com")
	cb := webtest.NewClient(t, base)
	cb.SignIn(ben.Email)
	webtest.MustNotContain(t, cb.Get("/budgets"), "Groceries</h2>")
	webtest.MustStatus(t, cb.Post(fmt.Sprintf("/budgets/%d/delete", bs[0].ID), nil), http.StatusNotFound)
	webtest.MustStatus(t, cb.Post(split, url.Values{"split_category": form["split_category"], "split_amount": form["split_amount"]}), http.StatusNotFound)
	webtest.MustStatus(t, c.Follow(c.Post(fmt.Sprintf("/budgets/%d/delete", bs[0].ID), nil)), http.StatusOK)
}

// TestUIBudgets_French renders the new pages in French.
func TestUIBudgets_French(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	base := budgetUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	c := webtest.NewClient(t, base)
	c.SignIn("ana@example.com")
	toFrench(t, c)
	f := &frenchPages{t: t}
	groceries := categoryID(t, s, ana.ID, "groceries")
	f.check("budgets empty", c.Get("/budgets"), http.StatusOK)
	f.check("budget refused", c.Post("/budgets", url.Values{"category_id": {fmt.Sprint(groceries)}, "amount": {"0"}}), http.StatusBadRequest)
	r := c.Follow(c.Post("/budgets", url.Values{"category_id": {fmt.Sprint(groceries)}, "amount": {"50,00"}}))
	f.check("budgets", r, http.StatusOK)
	webtest.MustContain(t, r, "Reste 37,70\u00a0€ sur 50,00\u00a0€", "Courses")
	f.check("dashboard", c.Get("/"), http.StatusOK)
	f.check("recurring", c.Get("/recurring"), http.StatusOK)
	tx := carrefour(t, s, ana.ID)
	f.check("transaction", c.Get(fmt.Sprintf("/transactions/%d", tx.ID)), http.StatusOK)
	r = c.Post(fmt.Sprintf("/transactions/%d/split", tx.ID), url.Values{"split_category": {fmt.Sprint(groceries), ""}, "split_amount": {"12,30", ""}})
	f.check("split refused", r, http.StatusBadRequest)
	webtest.MustContain(t, r, "doit avoir entre 2 et 20 parts")
}
