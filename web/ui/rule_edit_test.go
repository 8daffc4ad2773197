package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestUIRules_EditAndMove edits a rule through its page (checked first,
// nothing saved, then saved), keeps a condition the form does not show,
// moves rules up and down, and lets no one else reach them.
func TestUIRules_EditAndMove(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	base := spendingUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	c := webtest.NewClient(t, base)
	c.SignIn("ana@example.com")
	water := categoryID(t, s, ana.ID, "water")
	rules := []*freenahi.Rule{
		{UserID: ana.ID, Name: "Eau", If: freenahi.RuleConditions{WordingContains: "edf", WordingMatches: "^PRLV"}, Then: freenahi.RuleActions{CategoryID: &water}},
		{UserID: ana.ID, Name: "Deux", If: freenahi.RuleConditions{WordingContains: "zzz"}, Then: freenahi.RuleActions{Payee: "Z"}},
		{UserID: ana.ID, Name: "Trois", If: freenahi.RuleConditions{WordingContains: "yyy"}, Then: freenahi.RuleActions{Payee: "Y"}},
	}
	for _, r := range rules {
		if err := s.CreateRule(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	edit := fmt.Sprintf("/rules/%d", rules[0].ID)
	r := c.Get(edit + "/edit")
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, `action="`+edit+`"`, `value="edf"`, fmt.Sprintf(`<option value="%d" selected>Water</option>`, water),
		`value="Eau"`, "wording matches ^PRLV")

	// The edited rule: the salary (one credit in the fixture) gets a tag.
	form := url.Values{"wording": {"salaire"}, "sign": {"credit"}, "tags": {"paie"}, "name": {"Paie"}, "action": {"check"}}
	r = c.Post(edit, form)
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "This rule would change 0 transactions.")
	// ^PRLV is kept: no salary matches it. Without it, one would.
	if got, _ := s.FindRules(ctx, ana.ID); got[0].Name != "Eau" {
		t.Fatal("checking the edit saved it")
	}
	r = c.Follow(c.Post(edit, url.Values{"wording": {"salaire"}, "tags": {"paie"}, "name": {"Paie"}, "action": {"save"}}))
	webtest.MustContain(t, r, "Rule changed.", "Paie")
	got, _ := s.FindRules(ctx, ana.ID)
	if g := got[0]; g.ID != rules[0].ID || g.Name != "Paie" || g.If.WordingContains != "salaire" || g.If.WordingMatches != "^PRLV" ||
		g.Then.CategoryID != nil || !slices.Equal(g.Then.Tags, []string{"paie"}) {
		t.Fatalf("after the edit: %+v", g)
	}
	// A bad amount shows the page again with the field, and changes nothing.
	r = c.Post(edit, url.Values{"wording": {"x"}, "min_amount": {"douze"}, "tags": {"a"}, "action": {"save"}})
	webtest.MustStatus(t, r, http.StatusBadRequest)
	webtest.MustContain(t, r, "Minimum amount: &#34;douze&#34; is not an amount", `value="douze"`)
	if got, _ := s.FindRules(ctx, ana.ID); got[0].Name != "Paie" {
		t.Fatal("a refused edit changed the rule")
	}

	r = c.Get("/rules")
	webtest.MustContain(t, r, `href="`+edit+`/edit"`, `aria-label="Move the rule Deux up"`, `aria-label="Move the rule Deux down"`)
	webtest.MustNotContain(t, r, `aria-label="Move the rule Paie up"`, `aria-label="Move the rule Trois down"`)
	r = c.Follow(c.Post(fmt.Sprintf("/rules/%d/move", rules[2].ID), url.Values{"direction": {"up"}}))
	webtest.MustContain(t, r, "Rule moved.")
	c.Post(fmt.Sprintf("/rules/%d/move", rules[0].ID), url.Values{"direction": {"down"}})
	var ids []int64
	got, _ = s.FindRules(ctx, ana.ID)
	for _, g := range got {
		ids = append(ids, g.ID)
	}
	if want := []int64{rules[2].ID, rules[0].ID, rules[1].ID}; !slices.Equal(ids, want) {
		t.Fatalf("order %v, want %v", ids, want)
	}
	webtest.MustStatus(t, c.Post(fmt.Sprintf("/rules/%d/move", rules[0].ID), url.Values{"direction": {"sideways"}}), http.StatusBadRequest)

	ben := webtest.MustUserWithPassword(t, s, "ben@example.com")
	cb := webtest.NewClient(t, base)
	cb.SignIn(ben.Email)
	webtest.MustStatus(t, cb.Get(edit+"/edit"), http.StatusNotFound)
	webtest.MustStatus(t, cb.Post(edit, url.Values{"wording": {"x"}, "tags": {"a"}, "action": {"save"}}), http.StatusNotFound)
	webtest.MustStatus(t, cb.Post(edit+"/move", url.Values{"direction": {"down"}}), http.StatusNotFound)
	if got, _ := s.FindRules(ctx, ana.ID); got[1].Name != "Paie" {
		t.Fatal("another person changed the rule")
	}

	toFrench(t, c)
	r = c.Get(edit + "/edit")
	webtest.MustContain(t, r, "Modifier la règle Paie", "Enregistrer les modifications")
}
