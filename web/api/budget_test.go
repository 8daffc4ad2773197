package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// del sends a DELETE, validated against the document.
func del(ts *webtest.Server, token, path string) *webtest.Response {
	req, _ := http.NewRequest("DELETE", ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return ts.Do(req, nil)
}

type progressBody struct {
	Month   string `json:"month"`
	Budgets []struct {
		Budget struct {
			ID         int64  `json:"id"`
			CategoryID int64  `json:"category_id"`
			Amount     string `json:"amount"`
		} `json:"budget"`
		Spent, Carried, Available, Left string
		Over                            bool
	} `json:"budgets"`
}

// TestAPI_BudgetsAndSplits: the fixture's Carrefour payment of 12.30 on
// 14 January 2025 split 10.00 groceries, 2.30 restaurants; budgets on
// groceries and on the food group; figures worked out by hand.
func TestAPI_BudgetsAndSplits(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		b := webtest.MustUserWithData(t, s, "b@example.com", 43)
		var cats categoriesBody
		ts.Get(a.Token, "/api/v1/categories").Decode(t, &cats)
		ids := map[string]int64{}
		for _, c := range cats.Categories {
			if c.Key != nil {
				ids[*c.Key] = c.ID
			}
		}
		var page struct {
			Transactions []struct {
				ID     int64  `json:"id"`
				Amount string `json:"amount"`
				Date   string `json:"date"`
			}
		}
		ts.Get(a.Token, "/api/v1/transactions?from=2025-01-14&to=2025-01-14").Decode(t, &page)
		if len(page.Transactions) != 1 || page.Transactions[0].Amount != "-12.30" {
			t.Fatalf("the fixture's payment: %+v", page.Transactions)
		}
		path := fmt.Sprintf("/api/v1/transactions/%d", page.Transactions[0].ID)
		split := func(a, b string) string {
			return fmt.Sprintf(`{"splits": [{"category_id": %d, "amount": %q}, {"category_id": %d, "amount": %q}]}`,
				ids["groceries"], a, ids["restaurants"], b)
		}
		for _, c := range []struct{ body, field string }{
			{split("-10.00", "-2.31"), "splits"},
			{split("-10.00", "-2.305"), "splits[1].amount"},
			{split("-12.30", "0"), "splits[1].amount"},
		} {
			if r := patch(ts, a.Token, path, c.body); r.Status != 400 || r.Problem(t).Field != c.field {
				t.Fatalf("PATCH %s: %d %s, want 400 on %s", c.body, r.Status, r.Body, c.field)
			}
		}
		if r := patch(ts, b.Token, path, split("-10.00", "-2.30")); r.Status != 404 {
			t.Fatalf("another user's split: %d", r.Status)
		}
		var edited struct {
			Splits []struct {
				CategoryID int64  `json:"category_id"`
				Category   string `json:"category"`
				Amount     string `json:"amount"`
			} `json:"splits"`
		}
		r := patch(ts, a.Token, path, split("-10", "-2.3"))
		if r.Status != 200 {
			t.Fatalf("split: %d %s", r.Status, r.Body)
		}
		r.Decode(t, &edited)
		if len(edited.Splits) != 2 || edited.Splits[0].Amount != "-10.00" || edited.Splits[1].Amount != "-2.30" || edited.Splits[1].Category != "Restaurants" {
			t.Fatalf("split: %s", r.Body)
		}

		var groceries, food struct {
			ID       int64  `json:"id"`
			Amount   string `json:"amount"`
			Rollover bool   `json:"rollover"`
		}
		r = ts.PostJSON(a.Token, "/api/v1/budgets", fmt.Sprintf(`{"category_id": %d, "amount": "50", "rollover": true}`, ids["groceries"]))
		if r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		r.Decode(t, &groceries)
		ts.PostJSON(a.Token, "/api/v1/budgets", fmt.Sprintf(`{"category_id": %d, "amount": "20.00"}`, ids["food"])).Decode(t, &food)
		if groceries.Amount != "50.00" || !groceries.Rollover || food.ID == 0 {
			t.Fatalf("created %+v %+v", groceries, food)
		}
		for _, c := range []struct{ body, field string }{
			{fmt.Sprintf(`{"category_id": %d, "amount": "0"}`, ids["cafes"]), "amount"},
			{fmt.Sprintf(`{"category_id": %d, "amount": "1.001"}`, ids["cafes"]), "amount"},
			{`{"amount": "10"}`, "category_id"},
		} {
			if r := ts.PostJSON(a.Token, "/api/v1/budgets", c.body); r.Status != 400 || r.Problem(t).Field != c.field {
				t.Fatalf("POST %s: %d %s, want 400 on %s", c.body, r.Status, r.Body, c.field)
			}
		}
		if r := ts.PostJSON(a.Token, "/api/v1/budgets", fmt.Sprintf(`{"category_id": %d, "amount": "1"}`, ids["groceries"])); r.Status != 409 {
			t.Fatalf("a second budget on groceries: %d", r.Status)
		}
		if r := ts.PostJSON(b.Token, "/api/v1/budgets", fmt.Sprintf(`{"category_id": %d, "amount": "1"}`, ids["groceries"])); r.Status != 400 {
			t.Fatalf("a budget on another user's category: %d", r.Status)
		}

		// January 2025: groceries 10.00 of 50.00 (the budget starts later:
		// nothing carried); food 10.00 + 2.30 = 12.30 of 20.00.
		var prog progressBody
		ts.Get(a.Token, "/api/v1/budgets/progress?month=2025-01").Decode(t, &prog)
		want := map[int64][4]string{groceries.ID: {"10.00", "0.00", "50.00", "40.00"}, food.ID: {"12.30", "0.00", "20.00", "7.70"}}
		if prog.Month != "2025-01" || len(prog.Budgets) != 2 {
			t.Fatalf("progress: %+v", prog)
		}
		for _, p := range prog.Budgets {
			if got := [4]string{p.Spent, p.Carried, p.Available, p.Left}; got != want[p.Budget.ID] || p.Over {
				t.Fatalf("budget %d: %v, want %v", p.Budget.ID, got, want[p.Budget.ID])
			}
		}
		if r := patch(ts, a.Token, fmt.Sprintf("/api/v1/budgets/%d", food.ID), `{"amount": "12.29"}`); r.Status != 200 {
			t.Fatalf("PATCH: %d %s", r.Status, r.Body)
		}
		ts.Get(a.Token, "/api/v1/budgets/progress?month=2025-01").Decode(t, &prog)
		for _, p := range prog.Budgets {
			if p.Budget.ID == food.ID && (p.Left != "-0.01" || !p.Over) {
				t.Fatalf("food after lowering: %+v", p)
			}
		}
		if r := ts.Get(a.Token, "/api/v1/budgets/progress?month=2025-13"); r.Status != 400 || r.Problem(t).Field != "month" {
			t.Fatalf("month 13: %d %s", r.Status, r.Body)
		}
		// Another user sees none of it and changes nothing.
		var bProg progressBody
		ts.Get(b.Token, "/api/v1/budgets/progress?month=2025-01").Decode(t, &bProg)
		if len(bProg.Budgets) != 0 {
			t.Fatalf("b sees %+v", bProg)
		}
		if r := patch(ts, b.Token, fmt.Sprintf("/api/v1/budgets/%d", food.ID), `{"amount": "1"}`); r.Status != 404 {
			t.Fatalf("b's PATCH: %d", r.Status)
		}
		if r := del(ts, b.Token, fmt.Sprintf("/api/v1/budgets/%d", food.ID)); r.Status != 404 {
			t.Fatalf("b's DELETE: %d", r.Status)
		}
		if r := del(ts, a.Token, fmt.Sprintf("/api/v1/budgets/%d", food.ID)); r.Status != 204 {
			t.Fatalf("DELETE: %d", r.Status)
		}
		var list struct{ Budgets []struct{ ID int64 } }
		ts.Get(a.Token, "/api/v1/budgets").Decode(t, &list)
		if len(list.Budgets) != 1 || list.Budgets[0].ID != groceries.ID {
			t.Fatalf("after delete: %+v", list)
		}

		// Recurring: the fixture holds no series; a dismissal round-trips.
		var rec struct{ Recurring []any }
		if r := ts.Get(a.Token, "/api/v1/reports/recurring?on=2025-01-20"); r.Status != 200 {
			t.Fatalf("recurring: %d %s", r.Status, r.Body)
		} else if r.Decode(t, &rec); len(rec.Recurring) != 0 {
			t.Fatalf("recurring: %s", r.Body)
		}
		if r := ts.PostJSON(a.Token, "/api/v1/reports/recurring/dismissals", `{"key": "netflix|EUR"}`); r.Status != 200 {
			t.Fatalf("dismiss: %d %s", r.Status, r.Body)
		}
		if r := ts.PostJSON(a.Token, "/api/v1/reports/recurring/dismissals", `{"key": ""}`); r.Status != 400 || r.Problem(t).Field != "key" {
			t.Fatalf("empty key: %d %s", r.Status, r.Body)
		}
	})
}
