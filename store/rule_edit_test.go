package store_test

import (
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

func ruleIDs(tb testing.TB, s *store.Store, userID int64) []int64 {
	tb.Helper()
	rules, err := s.FindRules(ctx, userID)
	if err != nil {
		tb.Fatal(err)
	}
	var ids []int64
	for i, r := range rules {
		if r.Position != i+1 {
			tb.Fatalf("rule %d is at position %d, the %d-th in the list", r.ID, r.Position, i+1)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

// TestRules_EditAndMove: an edited rule keeps its place and is what later
// syncs follow; moving a rule changes which one wins; an edit by hand is
// never overwritten when the edited rule is applied; bad input and another
// user's rule change nothing.
func TestRules_EditAndMove(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		u := b.user
		mustUpsert(t, s, u, cardTx(b.checking, 1, "CB SPOTIFY 01/02", -1099), cardTx(b.checking, 2, "CB SPOTIFY 01/03", -1099),
			cardTx(b.checking, 3, "CB SPOTIFY 01/04", -1099))
		culture, restaurants, telecom := categoryByKey(t, s, u.ID, "culture"), categoryByKey(t, s, u.ID, "restaurants"), categoryByKey(t, s, u.ID, "telecom")
		a := &freenahi.Rule{UserID: u.ID, Name: "A", If: freenahi.RuleConditions{WordingContains: "netflix"},
			Then: freenahi.RuleActions{CategoryID: &culture.ID}}
		bb := &freenahi.Rule{UserID: u.ID, Name: "B", If: freenahi.RuleConditions{WordingContains: "netflix"},
			Then: freenahi.RuleActions{CategoryID: &restaurants.ID}}
		c := &freenahi.Rule{UserID: u.ID, Name: "C", If: freenahi.RuleConditions{WordingContains: "zzz"},
			Then: freenahi.RuleActions{Payee: "Z"}}
		for _, r := range []*freenahi.Rule{a, bb, c} {
			if err := s.CreateRule(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		mustUpsert(t, s, u, cardTx(b.checking, 30, "CB NETFLIX.COM", -1399))
		if got := txByPowensID(t, s, u.ID, 30); *got.CategoryID != culture.ID {
			t.Fatalf("A first: category %d, want culture %d", *got.CategoryID, culture.ID)
		}

		if err := s.MoveRule(ctx, u.ID, bb.ID, 1); err != nil {
			t.Fatal(err)
		}
		if got, want := ruleIDs(t, s, u.ID), []int64{bb.ID, a.ID, c.ID}; !slices.Equal(got, want) {
			t.Fatalf("after moving B first: %v, want %v", got, want)
		}
		mustUpsert(t, s, u, cardTx(b.checking, 31, "CB NETFLIX.COM", -1399))
		if got := txByPowensID(t, s, u.ID, 31); *got.CategoryID != restaurants.ID {
			t.Fatalf("B first: category %d, want restaurants %d", *got.CategoryID, restaurants.ID)
		}
		if err := s.MoveRule(ctx, u.ID, bb.ID, 3); err != nil {
			t.Fatal(err)
		}
		if got, want := ruleIDs(t, s, u.ID), []int64{a.ID, c.ID, bb.ID}; !slices.Equal(got, want) {
			t.Fatalf("after moving B last: %v, want %v", got, want)
		}

		// The person sorted one Spotify payment by hand.
		if _, err := s.EditTransaction(ctx, u.ID, txByPowensID(t, s, u.ID, 2).ID, freenahi.TransactionEdit{CategoryID: &restaurants.ID}); err != nil {
			t.Fatal(err)
		}
		edit := &freenahi.Rule{ID: a.ID, UserID: u.ID, Name: "Music", If: freenahi.RuleConditions{WordingContains: "spotify", Sign: freenahi.SignDebit},
			Then: freenahi.RuleActions{CategoryID: &telecom.ID, Tags: []string{"music"}}}
		// Three Spotify payments; the one sorted by hand would only gain the tag.
		if n, err := s.DryRunRule(ctx, edit); err != nil || n != 3 {
			t.Fatalf("dry-run of the edit: %d, %v; want 3", n, err)
		}
		if err := s.UpdateRule(ctx, edit); err != nil {
			t.Fatal(err)
		}
		if edit.Position != 1 || ruleIDs(t, s, u.ID)[0] != a.ID {
			t.Fatalf("the edited rule moved: position %d", edit.Position)
		}
		rules, _ := s.FindRules(ctx, u.ID)
		if r := rules[0]; r.Name != "Music" || r.If.WordingContains != "spotify" || r.If.Sign != freenahi.SignDebit ||
			*r.Then.CategoryID != telecom.ID || !slices.Equal(r.Then.Tags, []string{"music"}) {
			t.Fatalf("stored rule after the edit: %+v", r)
		}
		if n, err := s.ApplyRule(ctx, u.ID, a.ID); err != nil || n != 3 {
			t.Fatalf("apply the edited rule: %d, %v; want 3", n, err)
		}
		if got := txByPowensID(t, s, u.ID, 2); *got.CategoryID != restaurants.ID || !slices.Equal(got.Tags, []string{"music"}) {
			t.Fatalf("the manual category was overwritten: category %d tags %v", *got.CategoryID, got.Tags)
		}
		if got := txByPowensID(t, s, u.ID, 1); *got.CategoryID != telecom.ID {
			t.Fatalf("the edited rule did not apply: category %d", *got.CategoryID)
		}
		// A sync of the hand-sorted payment keeps the person's category.
		mustUpsert(t, s, u, cardTx(b.checking, 2, "CB SPOTIFY 01/03", -1099))
		if got := txByPowensID(t, s, u.ID, 2); *got.CategoryID != restaurants.ID {
			t.Fatalf("a sync after the edit: category %d", *got.CategoryID)
		}

		bad := &freenahi.Rule{ID: a.ID, UserID: u.ID, Then: freenahi.RuleActions{Payee: "X"}}
		wantField(t, s.UpdateRule(ctx, bad), "conditions")
		if rules, _ := s.FindRules(ctx, u.ID); rules[0].Name != "Music" {
			t.Fatalf("a refused edit changed the rule: %+v", rules[0])
		}
		wantField(t, s.MoveRule(ctx, u.ID, a.ID, 0), "position")
		wantField(t, s.MoveRule(ctx, u.ID, a.ID, 4), "position")
		other := MustCreateUser(t, s, "ben@example.com", 0)
		wantCode(t, s.MoveRule(ctx, other.ID, a.ID, 1), freenahi.ENOTFOUND, "move another user's rule")
		theirs := &freenahi.Rule{ID: a.ID, UserID: other.ID, If: freenahi.RuleConditions{WordingContains: "x"}, Then: freenahi.RuleActions{Payee: "X"}}
		wantCode(t, s.UpdateRule(ctx, theirs), freenahi.ENOTFOUND, "update another user's rule")
		if rules, _ := s.FindRules(ctx, u.ID); rules[0].Then.Payee != "" || rules[0].If.WordingContains != "spotify" {
			t.Fatalf("another user's update reached the rule: %+v", rules[0])
		}
	})
}
