package ingest_test

import (
	"bytes"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestApply_KeepsPersonsChoices delivers a sync, lets the person rename,
// hide, archive and regroup accounts, then delivers the next sync (the bank
// renamed the account and its balance moved): Powens' fields change, the
// person's choices do not.
func TestApply_KeepsPersonsChoices(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "a@example.com", 42)
		body := fixture(t)
		receive(t, s, freenahi.EventConnectionSynced, "wd:9001", 42, body)
		drain(t, s)
		st := dump(t, s, u.ID)
		checking, yen := accountByPowensID(t, st, 100), accountByPowensID(t, st, 101)
		name, yes, savings := "Our joint account", true, freenahi.GroupSavings
		if _, err := s.UpdateAccountChoices(ctx, u.ID, checking.ID, freenahi.AccountChoices{Name: &name, Hidden: &yes, Group: &savings}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateAccountChoices(ctx, u.ID, yen.ID, freenahi.AccountChoices{Archived: &yes}); err != nil {
			t.Fatal(err)
		}

		next := bytes.Replace(body, []byte(`"name": "Compte chèque", "balance": 123456789.99`), []byte(`"name": "CPTE CHEQUE", "balance": 100.01`), 1)
		if bytes.Equal(next, body) {
			t.Fatal("the fixture changed: the account's name and balance were not found")
		}
		receive(t, s, freenahi.EventConnectionSynced, "wd:9002", 42, next)
		drain(t, s)
		after := dump(t, s, u.ID)
		a, y := accountByPowensID(t, after, 100), accountByPowensID(t, after, 101)
		if a.Name != "CPTE CHEQUE" || *a.BalanceMinor != 10001 {
			t.Fatalf("the second sync did not land: %q %v", a.Name, *a.BalanceMinor)
		}
		if a.DisplayName != name || !a.Hidden || a.Archived || a.ChosenGroup != savings || a.Title() != name {
			t.Fatalf("the sync changed the person's choices: %+v", a)
		}
		if !y.Archived || y.Hidden || y.DisplayName != "" || y.Title() != "Compte yen" {
			t.Fatalf("the sync changed the yen account's choices: %+v", y)
		}
	})
}
