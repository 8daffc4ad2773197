package store_test

import (
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestStore_PageVersion: a person's page version moves with their writes,
// with those of an owner sharing an account with them and with the share
// itself, and with nothing of a stranger's or of their own sessions.
func TestStore_PageVersion(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ana := MustCreateUser(t, s, "ana@example.com", 1)
		bob := MustCreateUser(t, s, "bob@example.com", 2)
		carol := MustCreateUser(t, s, "carol@example.com", 3)
		anaBank, bobBank := MustSeedBank(t, s, ana), MustSeedBank(t, s, bob)
		version := func(u *freenahi.User) string {
			t.Helper()
			v, err := s.PageVersion(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		moves := func(name string, u *freenahi.User, want bool, write func()) {
			t.Helper()
			before := version(u)
			write()
			if after := version(u); (after != before) != want {
				t.Fatalf("%s: %s's page version %q → %q, want moved=%v", name, u.Email, before, after, want)
			}
		}
		moves("a stranger's asset", ana, false, func() { mustCreateAsset(t, s, carol.ID, "Bateau", freenahi.AssetVehicle, "EUR") })
		moves("a session of her own", ana, false, func() {
			if _, err := s.CreateSession(ctx, ana.ID, time.Hour, time.Hour); err != nil {
				t.Fatal(err)
			}
		})
		anaSync := func(powensID int64) func() {
			return func() {
				MustSync(t, s, ana, func(w freenahi.SyncWriter) error {
					return w.UpsertTransactions(ctx, []*freenahi.Transaction{{AccountID: anaBank.checking.ID, PowensID: powensID,
						Date: freenahi.Date{Year: 2026, Month: 3, Day: 2}, ValueMinor: -200, Currency: anaBank.checking.Currency,
						OriginalWording: "PAIN", Wording: "PAIN", Active: true}})
				})
			}
		}
		moves("her sync", ana, true, anaSync(9002))
		moves("her category edit", ana, true, func() {
			txs, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: ana.ID, Limit: 1})
			if err != nil || len(txs) == 0 {
				t.Fatalf("transactions: %v %v", txs, err)
			}
			none := int64(0)
			if _, err := s.EditTransaction(ctx, ana.ID, txs[0].ID, freenahi.TransactionEdit{CategoryID: &none}); err != nil {
				t.Fatal(err)
			}
		})
		moves("her account renamed", ana, true, func() {
			name := "Joint"
			if _, err := s.UpdateAccountChoices(ctx, ana.ID, anaBank.checking.ID, freenahi.AccountChoices{Name: &name}); err != nil {
				t.Fatal(err)
			}
		})
		moves("Bob's account before he shares it", ana, false, func() {
			name := "Bob's"
			if _, err := s.UpdateAccountChoices(ctx, bob.ID, bobBank.checking.ID, freenahi.AccountChoices{Name: &name}); err != nil {
				t.Fatal(err)
			}
		})
		var share *freenahi.AccountShare
		moves("Bob shares", ana, true, func() {
			var err error
			if share, err = s.ShareAccount(ctx, freenahi.ShareInput{OwnerID: bob.ID, AccountID: bobBank.checking.ID,
				Email: ana.Email, Access: freenahi.ShareRead}); err != nil {
				t.Fatal(err)
			}
		})
		moves("Bob's sync", ana, true, func() {
			MustSync(t, s, bob, func(w freenahi.SyncWriter) error {
				return w.UpsertTransactions(ctx, []*freenahi.Transaction{{AccountID: bobBank.checking.ID, PowensID: 9001,
					Date: freenahi.Date{Year: 2026, Month: 3, Day: 2}, ValueMinor: -100, Currency: bobBank.checking.Currency,
					OriginalWording: "CAFE", Wording: "CAFE", Active: true}})
			})
		})
		moves("Ana's sync, for Bob", bob, false, anaSync(9003))
		moves("Bob revokes", ana, true, func() {
			if err := s.RevokeShare(ctx, bob.ID, share.ID); err != nil {
				t.Fatal(err)
			}
		})
		moves("Bob's account after he revoked", ana, false, func() {
			name := "Bob's own"
			if _, err := s.UpdateAccountChoices(ctx, bob.ID, bobBank.checking.ID, freenahi.AccountChoices{Name: &name}); err != nil {
				t.Fatal(err)
			}
		})
	})
}
