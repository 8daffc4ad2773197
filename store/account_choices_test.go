package store_test

import (
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

func TestAccountService_UpdateAccountChoices(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		uid := ana.user.ID

		t.Run("SurvivesSync", func(t *testing.T) {
			g := freenahi.GroupSavings
			a, err := s.UpdateAccountChoices(ctx, uid, ana.checking.ID, freenahi.AccountChoices{
				Name: ptr("  Joint account, rue Blanche "), Hidden: ptr(true), Archived: ptr(true), Group: &g})
			if err != nil {
				t.Fatal(err)
			}
			if a.DisplayName != "Joint account, rue Blanche" || !a.Hidden || !a.Archived || a.ChosenGroup != g {
				t.Fatalf("after update: %+v", a)
			}
			// The bank renames the account and the next sync writes it the
			// way ingestion does, with everything Powens sent.
			clk.Add(3600e9)
			again := *ana.checking
			again.ID = 0
			again.Name, again.OriginalName, again.BalanceMinor = "CPTE CHEQUES", "CPTE CHEQUES 0001", ptr(int64(170000))
			MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertAccount(ctx, &again) })
			got, err := s.FindAccountByID(ctx, uid, ana.checking.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "CPTE CHEQUES" || *got.BalanceMinor != 170000 {
				t.Fatalf("the sync did not land: name %q balance %d", got.Name, *got.BalanceMinor)
			}
			if got.DisplayName != "Joint account, rue Blanche" || !got.Hidden || !got.Archived || got.ChosenGroup != g {
				t.Fatalf("the sync overwrote the person's choices: %+v", got)
			}
			if got.Title() != "Joint account, rue Blanche" || got.Group() != g || got.Counted() {
				t.Fatalf("Title %q Group %q Counted %v", got.Title(), got.Group(), got.Counted())
			}
			if got.BankName != "Banque Test" {
				t.Fatalf("BankName = %q, want the connection's", got.BankName)
			}
		})
		t.Run("ClearGivesPowensBack", func(t *testing.T) {
			none := freenahi.AccountGroup("")
			a, err := s.UpdateAccountChoices(ctx, uid, ana.checking.ID, freenahi.AccountChoices{
				Name: ptr(""), Hidden: ptr(false), Archived: ptr(false), Group: &none})
			if err != nil {
				t.Fatal(err)
			}
			if a.Title() != "CPTE CHEQUES" || a.Group() != freenahi.GroupChecking || !a.Counted() {
				t.Fatalf("Title %q Group %q Counted %v", a.Title(), a.Group(), a.Counted())
			}
		})
		t.Run("OnlyGivenFieldsChange", func(t *testing.T) {
			if _, err := s.UpdateAccountChoices(ctx, uid, ana.savings.ID, freenahi.AccountChoices{Name: ptr("Rainy day")}); err != nil {
				t.Fatal(err)
			}
			a, err := s.UpdateAccountChoices(ctx, uid, ana.savings.ID, freenahi.AccountChoices{Hidden: ptr(true)})
			if err != nil {
				t.Fatal(err)
			}
			if a.DisplayName != "Rainy day" || !a.Hidden || a.Archived {
				t.Fatalf("%+v", a)
			}
		})
		t.Run("BadInputChangesNothing", func(t *testing.T) {
			bad := freenahi.AccountGroup("cash")
			for _, tc := range []struct {
				field string
				c     freenahi.AccountChoices
			}{
				{"group", freenahi.AccountChoices{Name: ptr("Kept?"), Group: &bad}},
				{"name", freenahi.AccountChoices{Name: ptr(string(make([]byte, 101)))}},
				{"name", freenahi.AccountChoices{Name: ptr("tab\there"), Hidden: ptr(false)}},
			} {
				_, err := s.UpdateAccountChoices(ctx, uid, ana.savings.ID, tc.c)
				if freenahi.ErrorCode(err) != freenahi.EINVALID || freenahi.ErrorField(err) != tc.field {
					t.Fatalf("%+v: err %v, want EINVALID on %s", tc.c, err, tc.field)
				}
			}
			a, _ := s.FindAccountByID(ctx, uid, ana.savings.ID)
			if a.DisplayName != "Rainy day" || !a.Hidden {
				t.Fatalf("a refused change was stored: %+v", a)
			}
		})
		t.Run("AnotherUsersAccount", func(t *testing.T) {
			_, err := s.UpdateAccountChoices(ctx, uid, bob.checking.ID, freenahi.AccountChoices{Name: ptr("Mine now")})
			if freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
				t.Fatalf("err %v, want ENOTFOUND", err)
			}
			b, _ := s.FindAccountByID(ctx, bob.user.ID, bob.checking.ID)
			if b.DisplayName != "" {
				t.Fatalf("bob's account was renamed: %q", b.DisplayName)
			}
		})
	})
}
