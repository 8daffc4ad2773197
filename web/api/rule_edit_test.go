package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

type ruleBody struct {
	ID       int64  `json:"id"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	If       struct {
		WordingContains string `json:"wording_contains"`
		Sign            string `json:"sign"`
	} `json:"if"`
	Then struct {
		Payee string   `json:"payee"`
		Tags  []string `json:"tags"`
	} `json:"then"`
	Changed int `json:"changed"`
}

// TestAPI_RuleEdit edits a rule through PATCH after its dry-run, applies
// it (one salary in the fixture, ingest/testdata/connection_synced.json),
// moves another first, and refuses bad input and another user's token
// without changing the rule.
func TestAPI_RuleEdit(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		a := webtest.MustUserWithData(t, s, "a@example.com", 42)
		b := webtest.MustUserWithData(t, s, "b@example.com", 43)
		var r1, r2 ruleBody
		ts.PostJSON(a.Token, "/api/v1/rules", `{"name": "Courses", "if": {"wording_contains": "carrefour"}, "then": {"payee": "Carrefour"}}`).Decode(t, &r1)
		ts.PostJSON(a.Token, "/api/v1/rules", `{"name": "EDF", "if": {"wording_contains": "edf"}, "then": {"tags": ["energie"]}}`).Decode(t, &r2)
		if r1.Position != 1 || r2.Position != 2 {
			t.Fatalf("positions %d %d", r1.Position, r2.Position)
		}
		edited := `{"name": "Paie", "if": {"wording_contains": "salaire", "sign": "credit"}, "then": {"tags": ["paie"]}}`
		var dry struct {
			WouldChange int `json:"would_change"`
		}
		ts.PostJSON(a.Token, "/api/v1/rules/dry-run", edited).Decode(t, &dry)
		if dry.WouldChange != 1 {
			t.Fatalf("dry-run of the edit: %d, want the one salary", dry.WouldChange)
		}
		path := fmt.Sprintf("/api/v1/rules/%d", r1.ID)
		r := patch(ts, a.Token, path, `{"name": "Paie", "if": {"wording_contains": "salaire", "sign": "credit"}, "then": {"tags": ["paie"]}, "apply_to_past": true}`)
		var got ruleBody
		r.Decode(t, &got)
		if r.Status != http.StatusOK || got.Name != "Paie" || got.If.WordingContains != "salaire" || got.If.Sign != "credit" ||
			got.Then.Payee != "" || !slices.Equal(got.Then.Tags, []string{"paie"}) || got.Changed != 1 || got.Position != 1 {
			t.Fatalf("PATCH: %d %+v", r.Status, got)
		}
		var paie transactionsBody
		ts.Get(a.Token, "/api/v1/transactions?tag=paie").Decode(t, &paie)
		if len(paie.Transactions) != 1 || paie.Transactions[0].PowensID != 3 {
			t.Fatalf("tagged by the edited rule: %+v, want the salary (3)", paie.Transactions)
		}
		// Only the name: the rest stays.
		patch(ts, a.Token, path, `{"name": "Salaire"}`).Decode(t, &got)
		if got.Name != "Salaire" || got.If.WordingContains != "salaire" {
			t.Fatalf("renamed: %+v", got)
		}
		r = patch(ts, a.Token, fmt.Sprintf("/api/v1/rules/%d", r2.ID), `{"position": 1}`)
		if r.Status != http.StatusOK {
			t.Fatalf("move: %d %s", r.Status, r.Body)
		}
		var list struct{ Rules []ruleBody }
		ts.Get(a.Token, "/api/v1/rules").Decode(t, &list)
		if len(list.Rules) != 2 || list.Rules[0].ID != r2.ID || list.Rules[1].ID != r1.ID || list.Rules[0].Position != 1 {
			t.Fatalf("order after the move: %+v", list.Rules)
		}
		for _, c := range []struct {
			token, body string
			status      int
			field       string
		}{
			{a.Token, `{"position": 3}`, 400, "position"},
			{a.Token, `{"if": {}}`, 400, "conditions"},
			{a.Token, `{"then": {}}`, 400, "actions"},
			{a.Token, `{"if": {"wording_matches": "("}}`, 400, "wording_matches"},
			{a.Token, `{"positon": 1}`, 400, "body"},
			{b.Token, `{"name": "mine"}`, 404, ""},
			{b.Token, `{"position": 1}`, 404, ""},
		} {
			r := patch(ts, c.token, path, c.body)
			if r.Status != c.status || r.Problem(t).Field != c.field {
				t.Fatalf("PATCH %s: %d %s, want %d on %q", c.body, r.Status, r.Body, c.status, c.field)
			}
		}
		ts.Get(a.Token, "/api/v1/rules").Decode(t, &list)
		if r := list.Rules[1]; r.Name != "Salaire" || r.If.WordingContains != "salaire" || r.Position != 2 {
			t.Fatalf("refused edits changed the rule: %+v", r)
		}
	})
}
