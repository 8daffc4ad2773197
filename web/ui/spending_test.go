package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// spendingUI serves the UI with categories, rules and reports over s.
func spendingUI(t *testing.T, s *store.Store) string {
	t.Helper()
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) { srv.Spending = s })
	return ts.URL
}

// carrefour returns the fixture's Carrefour card payment of the user.
func carrefour(t *testing.T, s *store.Store, userID int64) *freenahi.Transaction {
	t.Helper()
	txs, _, err := s.FindTransactions(context.Background(), freenahi.TransactionFilter{UserID: userID, Query: "carrefour"})
	if err != nil || len(txs) != 1 {
		t.Fatalf("the fixture's Carrefour payment: %d, %v", len(txs), err)
	}
	return txs[0]
}

func categoryID(t *testing.T, s *store.Store, userID int64, key string) int64 {
	t.Helper()
	cs, err := s.FindCategories(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Key == key {
			return c.ID
		}
	}
	t.Fatalf("no category %s", key)
	return 0
}

// TestUISpending walks the pages as a person without JavaScript: the
// detail page, a correction, a rule checked then saved, the reports with
// their drill-down, and the categories.
func TestUISpending(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	base := spendingUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	c := webtest.NewClient(t, base)
	c.SignIn("ana@example.com")
	tx := carrefour(t, s, ana.ID)
	detail := fmt.Sprintf("/transactions/%d", tx.ID)

	r := c.Get("/transactions")
	webtest.MustContain(t, r, `href="`+detail+`"`, "Groceries")
	r = c.Get(detail)
	webtest.MustContain(t, r, "CB CARREFOUR 13/01", "Chosen by freenahi from the wording.", `value="Carrefour"`)

	restaurants := categoryID(t, s, ana.ID, "restaurants")
	form := url.Values{"category_id": {fmt.Sprint(restaurants)}, "payee": {"Carrefour"}, "tags": {"courses, famille"}, "note": {"anniversaire"}}
	r = c.Post(detail, form)
	webtest.MustStatus(t, r, http.StatusSeeOther)
	r = c.Follow(r)
	webtest.MustContain(t, r, "Saved.", "Chosen by you.", `value="courses, famille"`, "anniversaire")
	got, _ := s.FindTransactionByID(context.Background(), ana.ID, tx.ID)
	if got.Edits != freenahi.EditedCategory|freenahi.EditedTags|freenahi.EditedNote {
		t.Fatalf("the form marked %b as edited; only what changed should be", got.Edits)
	}
	// A category that is not a number is refused with the page, changing nothing.
	r = c.Post(detail, url.Values{"category_id": {"lots"}, "note": {"changed"}})
	webtest.MustStatus(t, r, http.StatusBadRequest)
	webtest.MustContain(t, r, "Category: is not one of your categories")
	if got, _ := s.FindTransactionByID(context.Background(), ana.ID, tx.ID); got.Note != "anniversaire" {
		t.Fatalf("a refused form changed the note to %q", got.Note)
	}

	// A rule from the correction: checked first (nothing saved), then saved.
	r = c.Get(detail)
	webtest.MustContain(t, r, "/rules?category_id=")
	rule := url.Values{"wording": {"EDF"}, "sign": {"debit"}, "category_id": {fmt.Sprint(categoryID(t, s, ana.ID, "water"))}, "action": {"check"}}
	r = c.Post("/rules", rule)
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "This rule would change 1 transaction.")
	if rules, _ := s.FindRules(context.Background(), ana.ID); len(rules) != 0 {
		t.Fatal("checking a rule saved it")
	}
	rule.Set("action", "save")
	rule.Set("apply_to_past", "on")
	r = c.Follow(c.Post("/rules", rule))
	webtest.MustContain(t, r, "Rule saved.", "wording contains “EDF”")
	r = c.Post("/rules", url.Values{"wording": {"x"}, "min_amount": {"douze"}, "tags": {"a"}, "action": {"check"}})
	webtest.MustStatus(t, r, http.StatusBadRequest)
	webtest.MustContain(t, r, "Minimum amount: &#34;douze&#34; is not an amount")

	r = c.Get("/reports?from=2025-01-01&to=2025-01-31")
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "Income and spending per month", "2025-01", "Restaurants", "Water",
		fmt.Sprintf(`/transactions?category_id=%d&amp;from=2025-01-01&amp;to=2025-01-31`, restaurants))
	r = c.Follow(c.Post("/transfers/detect", nil))
	webtest.MustContain(t, r, "Transfers between your accounts are paired and left out.")
	r = c.Get(fmt.Sprintf("/transactions?category_id=%d&from=2025-01-01&to=2025-01-31", restaurants))
	webtest.MustContain(t, r, "CB CARREFOUR 13/01")
	webtest.MustNotContain(t, r, "PRLV SEPA EDF")

	r = c.Get("/categories")
	webtest.MustContain(t, r, "Groceries", "Merge into")
	groceries := categoryID(t, s, ana.ID, "groceries")
	r = c.Follow(c.Post(fmt.Sprintf("/categories/%d", groceries), url.Values{"name": {"Supermarchés"}}))
	webtest.MustContain(t, r, "Category saved.", "Supermarchés")
	r = c.Post(fmt.Sprintf("/categories/%d/merge", groceries), url.Values{"into": {fmt.Sprint(groceries)}})
	webtest.MustStatus(t, r, http.StatusBadRequest)

	// Another person sees none of it.
	ben := webtest.MustUserWithPassword(t, s, "ben@example.com")
	cb := webtest.NewClient(t, base)
	cb.SignIn(ben.Email)
	webtest.MustStatus(t, cb.Get(detail), http.StatusNotFound)
	webtest.MustStatus(t, cb.Post(fmt.Sprintf("/categories/%d", groceries), url.Values{"name": {"x"}}), http.StatusNotFound)
}

// TestUISpending_French renders every new page in French.
func TestUISpending_French(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	base := spendingUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	c := webtest.NewClient(t, base)
	c.SignIn("ana@example.com")
	toFrench(t, c)
	f := &frenchPages{t: t}
	tx := carrefour(t, s, ana.ID)
	f.check("transaction", c.Get(fmt.Sprintf("/transactions/%d", tx.ID)), http.StatusOK)
	f.check("transactions", c.Get("/transactions"), http.StatusOK)
	f.check("categories", c.Get("/categories"), http.StatusOK)
	f.check("rules", c.Get("/rules"), http.StatusOK)
	r := c.Post("/rules", url.Values{"wording": {"EDF"}, "category_id": {fmt.Sprint(categoryID(t, s, ana.ID, "water"))}, "action": {"check"}})
	f.check("rule checked", r, http.StatusOK)
	webtest.MustContain(t, r, "Cette règle modifierait 1 opération.")
	f.check("rule refused", c.Post("/rules", url.Values{"action": {"check"}}), http.StatusBadRequest)
	f.check("reports", c.Get("/reports?from=2025-01-01&to=2025-01-31"), http.StatusOK)
	f.check("transfers detected", c.Follow(c.Post("/transfers/detect", nil)), http.StatusOK)
	f.check("reports refused", c.Get("/reports?from=2025-02-01&to=2025-01-31"), http.StatusBadRequest)
	r = c.Get("/reports?from=2025-01-01&to=2025-01-31")
	if !strings.Contains(r.Body, "Courses") || !strings.Contains(r.Body, "Revenus et dépenses par mois") {
		t.Fatalf("French report without French category names:\n%s", webtest.Excerpt(r.Body))
	}
}
