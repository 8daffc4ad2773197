package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// patch sends a PATCH with a JSON body, validated against the document.
func patch(ts *webtest.Server, token, path, body string) *webtest.Response {
	req, _ := http.NewRequest("PATCH", ts.URL+path, bytes.NewReader([]byte(body)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	return ts.Do(req, []byte(body))
}

type txBody struct {
	ID             int64    `json:"id"`
	Payee          string   `json:"payee"`
	CategoryID     *int64   `json:"category_id"`
	Category       *string  `json:"category"`
	CategorySource *string  `json:"category_source"`
	Tags           []string `json:"tags"`
	Transfer       bool     `json:"transfer"`
	Note           string   `json:"note"`
}

type categoriesBody struct {
	Categories []struct {
		ID       int64   `json:"id"`
		ParentID *int64  `json:"parent_id"`
		Key      *string `json:"key"`
		Name     string  `json:"name"`
	} `json:"categories"`
}

func TestAPI_Spending(t *testing.T) {
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
		if len(cats.Categories) < 50 || ids["groceries"] == 0 {
			t.Fatalf("%d categories", len(cats.Categories))
		}
		var page struct{ Transactions []txBody }
		ts.Get(a.Token, "/api/v1/transactions?limit=1").Decode(t, &page)
		tx := page.Transactions[0]

		r := patch(ts, a.Token, fmt.Sprintf("/api/v1/transactions/%d", tx.ID),
			fmt.Sprintf(`{"category_id": %d, "payee": "Mon épicier", "note": "à rembourser", "tags": ["pro", "pro", " voyage "], "transfer": false}`, ids["groceries"]))
		var edited txBody
		if r.Status != http.StatusOK {
			t.Fatalf("PATCH: %d %s", r.Status, r.Body)
		}
		r.Decode(t, &edited)
		if *edited.CategoryID != ids["groceries"] || *edited.Category != "Groceries" || *edited.CategorySource != "manual" ||
			edited.Payee != "Mon épicier" || edited.Note != "à rembourser" || fmt.Sprint(edited.Tags) != "[pro voyage]" {
			t.Fatalf("edited: %+v", edited)
		}
		// Bad input names its field and changes nothing; another user's
		// transaction and category are not found.
		for _, c := range []struct {
			token, path, body string
			status            int
			field             string
		}{
			{a.Token, fmt.Sprintf("/api/v1/transactions/%d", tx.ID), `{"note": "x", "tags": ["a,b"]}`, 400, "tags"},
			{a.Token, fmt.Sprintf("/api/v1/transactions/%d", tx.ID), `{"categroy_id": 3}`, 400, "body"},
			{a.Token, fmt.Sprintf("/api/v1/transactions/%d", tx.ID), `{"category_id": 999999}`, 400, "category_id"},
			{b.Token, fmt.Sprintf("/api/v1/transactions/%d", tx.ID), `{"note": "mine"}`, 404, ""},
			{b.Token, fmt.Sprintf("/api/v1/categories/%d", ids["groceries"]), `{"name": "Mine"}`, 404, ""},
		} {
			r := patch(ts, c.token, c.path, c.body)
			if r.Status != c.status || r.Problem(t).Field != c.field {
				t.Fatalf("PATCH %s %s: %d %s, want %d on %q", c.path, c.body, r.Status, r.Body, c.status, c.field)
			}
		}
		var again txBody
		ts.Get(a.Token, fmt.Sprintf("/api/v1/transactions/%d", tx.ID)).Decode(t, &again)
		if again.Note != "à rembourser" || *again.CategoryID != ids["groceries"] {
			t.Fatalf("a refused edit changed the transaction: %+v", again)
		}

		// A rule: dry-run count, then saved and applied to the past.
		rule := fmt.Sprintf(`{"name": "Everything big", "if": {"min_amount": "0"}, "then": {"tags": ["seen"]}}`)
		var dry struct {
			WouldChange int `json:"would_change"`
		}
		ts.PostJSON(a.Token, "/api/v1/rules/dry-run", rule).Decode(t, &dry)
		var all struct{ Transactions []txBody }
		ts.Get(a.Token, "/api/v1/transactions?limit=1000").Decode(t, &all)
		if dry.WouldChange == 0 || dry.WouldChange > len(all.Transactions) {
			t.Fatalf("dry-run would change %d of %d", dry.WouldChange, len(all.Transactions))
		}
		var created struct {
			ID      int64 `json:"id"`
			Changed int   `json:"changed"`
		}
		r = ts.PostJSON(a.Token, "/api/v1/rules", `{"if": {"min_amount": "0"}, "then": {"tags": ["seen"]}, "apply_to_past": true}`)
		r.Decode(t, &created)
		if r.Status != http.StatusCreated || created.Changed != dry.WouldChange {
			t.Fatalf("create rule: %d %s; dry-run said %d", r.Status, r.Body, dry.WouldChange)
		}
		if r := ts.PostJSON(a.Token, "/api/v1/rules/dry-run", `{"if": {}, "then": {"tags": ["x"]}}`); r.Status != 400 || r.Problem(t).Field != "conditions" {
			t.Fatalf("a rule without conditions: %d %s", r.Status, r.Body)
		}
		if r := ts.Post(b.Token, fmt.Sprintf("/api/v1/rules/%d/apply", created.ID)); r.Status != 404 {
			t.Fatalf("apply another user's rule: %d", r.Status)
		}

		// Reports answer, and refuse a period without its end.
		if r := ts.Get(a.Token, "/api/v1/reports/cashflow?from=2021-01-01&to=2030-12-31"); r.Status != 200 {
			t.Fatalf("cashflow: %d %s", r.Status, r.Body)
		}
		if r := ts.Get(a.Token, "/api/v1/reports/spending?from=2021-01-01&to=2030-12-31"); r.Status != 200 {
			t.Fatalf("spending: %d %s", r.Status, r.Body)
		}
		if r := ts.Get(a.Token, "/api/v1/reports/spending?from=2000-01-01"); r.Status != 400 || r.Problem(t).Field != "to" {
			t.Fatalf("spending without to: %d %s", r.Status, r.Body)
		}
		var detected struct {
			Pairs int `json:"pairs"`
		}
		if r := ts.Post(a.Token, "/api/v1/transfers/detect"); r.Status != 200 {
			t.Fatalf("detect transfers: %d %s", r.Status, r.Body)
		} else {
			r.Decode(t, &detected)
		}
		var drill struct{ Transactions []txBody }
		ts.Get(a.Token, fmt.Sprintf("/api/v1/transactions?category_id=%d", ids["groceries"])).Decode(t, &drill)
		if len(drill.Transactions) == 0 {
			t.Fatal("drill-down to groceries found nothing")
		}
		for _, d := range drill.Transactions {
			if d.CategoryID == nil || *d.CategoryID != ids["groceries"] {
				t.Fatalf("drill-down to groceries returned %+v", d)
			}
		}
	})
}
