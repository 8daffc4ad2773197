package store_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

func TestStore_InqomCredentials(t *testing.T) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			s, clk, url := MustOpenStoreURL(t, engine)
			ana := MustCreateUser(t, s, "ana@example.com", 0)
			bob := MustCreateUser(t, s, "bob@example.com", 0)
			_, err := s.FindInqomCredentials(ctx, ana.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "no credentials")

			creds := func(userID int64, password string) *freenahi.InqomCredentials {
				return &freenahi.InqomCredentials{UserID: userID, Username: "compta@example.com", Password: password,
					ClientID: "cid", ClientSecret: "secret-in-clear", Environment: "staging", AuthURL: "http://127.0.0.1:1/auth"}
			}
			for _, field := range []string{"username", "password", "client_id", "client_secret"} {
				c := creds(ana.ID, "pw")
				switch field {
				case "username":
					c.Username = " "
				case "password":
					c.Password = ""
				case "client_id":
					c.ClientID = ""
				case "client_secret":
					c.ClientSecret = ""
				}
				err := s.SaveInqomCredentials(ctx, c)
				wantCode(t, err, freenahi.EINVALID, "credentials without "+field)
				if got := freenahi.ErrorField(err); got != field {
					t.Fatalf("error names field %q, want %q", got, field)
				}
			}
			wantCode(t, s.SaveInqomCredentials(ctx, creds(bob.ID+100, "pw")), freenahi.ENOTFOUND, "credentials of a user that does not exist")

			if err := s.SaveInqomCredentials(ctx, creds(ana.ID, "first")); err != nil {
				t.Fatal(err)
			}
			clk.Add(time.Hour)
			if err := s.SaveInqomCredentials(ctx, creds(ana.ID, "pa55-word-in-clear")); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindInqomCredentials(ctx, ana.ID)
			if err != nil || got.Password != "pa55-word-in-clear" || got.ClientSecret != "secret-in-clear" || got.Environment != "staging" ||
				got.AuthURL != "http://127.0.0.1:1/auth" || got.UserID != ana.ID || !got.UpdatedAt.Equal(clk.now) {
				t.Fatalf("FindInqomCredentials=%+v, %v; want the second ones", got, err)
			}
			_, err = s.FindInqomCredentials(ctx, bob.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "bob reading credentials he has not saved")

			// At rest, neither secret is readable.
			db := rawDB(t, url)
			var pw, cs []byte
			if err := db.QueryRowContext(ctx, `SELECT password_sealed, client_secret_sealed FROM inqom_credentials`).Scan(&pw, &cs); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(pw, []byte("pa55")) || bytes.Contains(cs, []byte("secret-in-clear")) {
				t.Fatal("an Inqom secret is stored in clear")
			}
			// A sealed password copied into another user's row does not open.
			if _, err := db.ExecContext(ctx, `INSERT INTO inqom_credentials SELECT $1, username, password_sealed, client_id, client_secret_sealed,
				environment, auth_url, banking_url, updated_at FROM inqom_credentials WHERE user_id = $2`, bob.ID, ana.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindInqomCredentials(ctx, bob.ID); err == nil {
				t.Fatal("a sealed secret opened in another user's row")
			}
		})
	}
}

// mustMapping maps the bank's checking account to dossier 7.
func mustMapping(tb testing.TB, s *store.Store, b *bank) *freenahi.InqomMapping {
	tb.Helper()
	m := &freenahi.InqomMapping{UserID: b.user.ID, AccountID: b.checking.ID, DossierID: 7, IBAN: b.checking.IBAN, BankName: "Banque Test",
		CFONBControl: true}
	if created, err := s.CreateInqomMapping(ctx, m); err != nil || !created {
		tb.Fatalf("create mapping: %v %v", created, err)
	}
	return m
}

func TestStore_InqomMappings(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		m := mustMapping(t, s, ana)
		bobs := mustMapping(t, s, bob) // the same dossier and IBAN, another user
		if !m.CreatedAt.Equal(t0) || m.ID == bobs.ID {
			t.Fatalf("mapping %+v", m)
		}

		t.Run("Twice", func(t *testing.T) {
			again := &freenahi.InqomMapping{UserID: ana.user.ID, AccountID: ana.checking.ID, DossierID: 7, IBAN: "other", BankName: "x"}
			if created, err := s.CreateInqomMapping(ctx, again); err != nil || created || again.ID != m.ID || again.IBAN != m.IBAN {
				t.Fatalf("mapping twice: created=%v %v %+v, want the first one back", created, err, again)
			}
		})
		t.Run("Refused", func(t *testing.T) {
			_, err := s.CreateInqomMapping(ctx, &freenahi.InqomMapping{UserID: ana.user.ID, AccountID: bob.savings.ID, DossierID: 8, IBAN: "FR76x"})
			wantCode(t, err, freenahi.ENOTFOUND, "ana mapping bob's account")
			_, err = s.CreateInqomMapping(ctx, &freenahi.InqomMapping{UserID: ana.user.ID, AccountID: ana.savings.ID, DossierID: 7, IBAN: m.IBAN})
			wantCode(t, err, freenahi.ECONFLICT, "another account with the same IBAN in the same dossier")
		})
		t.Run("Find", func(t *testing.T) {
			got, err := s.FindInqomMappingByID(ctx, ana.user.ID, m.ID)
			if err != nil || got.AccountID != ana.checking.ID || got.DossierID != 7 || got.IBAN != m.IBAN || !got.CFONBControl ||
				got.RegisteredAt != nil || got.ChainDate != nil || got.ChainMinor != nil {
				t.Fatalf("FindInqomMappingByID=%+v, %v", got, err)
			}
			_, err = s.FindInqomMappingByID(ctx, ana.user.ID, bobs.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "ana reading bob's mapping")
			mine, err := s.FindInqomMappings(ctx, ana.user.ID)
			if err != nil || len(mine) != 1 || mine[0].ID != m.ID {
				t.Fatalf("FindInqomMappings(ana)=%v, %v", mine, err)
			}
			all, err := s.FindInqomMappings(ctx, 0)
			if err != nil || len(all) != 2 {
				t.Fatalf("FindInqomMappings(0), for the background push, gave %d mappings, %v", len(all), err)
			}
		})
		t.Run("Registration", func(t *testing.T) {
			if err := s.RecordInqomRegistration(ctx, m.ID, "", freenahi.Errorf(freenahi.EINVALID, "Inqom refused the IBAN")); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.FindInqomMappingByID(ctx, ana.user.ID, m.ID); got.RegisteredAt != nil || got.LastError == nil || got.LastError.Message != "Inqom refused the IBAN" {
				t.Fatalf("after a refusal: %+v", got)
			}
			registered := clk.now
			if err := s.RecordInqomRegistration(ctx, m.ID, "acc-1", nil); err != nil {
				t.Fatal(err)
			}
			// Registering again (Inqom already has it, no id) keeps the first time and id.
			clk.Add(time.Hour)
			if err := s.RecordInqomRegistration(ctx, m.ID, "", nil); err != nil {
				t.Fatal(err)
			}
			got, _ := s.FindInqomMappingByID(ctx, ana.user.ID, m.ID)
			if got.RegisteredAt == nil || !got.RegisteredAt.Equal(registered) || got.InqomAccountID != "acc-1" || got.LastError != nil {
				t.Fatalf("after registering twice: %+v", got)
			}
			if err := s.RecordInqomError(ctx, m.ID, &freenahi.Error{Code: freenahi.EINVALID, Message: strings.Repeat("x", 3000)}); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.FindInqomMappingByID(ctx, ana.user.ID, m.ID); got.LastError == nil || len(got.LastError.Message) > 2000 {
				t.Fatalf("a long error kept %+v, want at most 2,000 bytes of it", got.LastError)
			}
			if err := s.RecordInqomError(ctx, m.ID, nil); err != nil {
				t.Fatal(err)
			}
			wantCode(t, s.RecordInqomRegistration(ctx, 1<<40, "", nil), freenahi.ENOTFOUND, "registering an unknown mapping")
			wantCode(t, s.RecordInqomError(ctx, 1<<40, freenahi.Errorf(freenahi.EINVALID, "x")), freenahi.ENOTFOUND, "an error of an unknown mapping")
		})
		t.Run("DeleteUser", func(t *testing.T) {
			if err := s.DeleteUser(ctx, bob.user.ID); err != nil {
				t.Fatal(err)
			}
			all, err := s.FindInqomMappings(ctx, 0)
			if err != nil || !slices.EqualFunc(all, []*freenahi.InqomMapping{m}, func(a, b *freenahi.InqomMapping) bool { return a.ID == b.ID }) {
				t.Fatalf("after bob's deletion: %d mappings, %v; want only ana's", len(all), err)
			}
		})
	})
}

func TestStore_InqomMappingLease(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		m := mustMapping(t, s, MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1)))
		claim := func(owner string) bool {
			t.Helper()
			ok, err := s.ClaimInqomMapping(ctx, m.ID, owner, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !claim("a-1") {
			t.Fatal("first claim refused")
		}
		if claim("b-1") {
			t.Fatal("a live lease was claimed by another owner")
		}
		if claim("a-2") {
			t.Fatal("a live lease was claimed again by the same process")
		}
		clk.Add(time.Minute)
		if claim("b-1") {
			t.Fatal("a lease was taken over the instant it ends")
		}
		clk.Add(time.Microsecond) // the holder died: its lease has ended
		if !claim("b-1") {
			t.Fatal("an expired lease could not be taken over")
		}
		if again, err := s.ReleaseInqomMapping(ctx, m.ID, "a-1", false); err != nil || again {
			t.Fatalf("a stale owner's release: %v, %v", again, err)
		}
		if claim("c-1") {
			t.Fatal("a stale owner released the new owner's lease")
		}
		// c-1's refused claim asked b-1 to look again: b-1 keeps the lease
		// once, then lets go.
		if again, err := s.ReleaseInqomMapping(ctx, m.ID, "b-1", false); err != nil || !again {
			t.Fatalf("release after a refused claim: %v, %v; want the lease kept to look again", again, err)
		}
		if claim("c-1") {
			t.Fatal("a mapping was claimed while its holder looks again")
		}
		if again, err := s.ReleaseInqomMapping(ctx, m.ID, "b-1", false); err != nil || !again {
			t.Fatalf("second request: %v, %v; want the lease kept again", again, err)
		}
		if again, err := s.ReleaseInqomMapping(ctx, m.ID, "b-1", false); err != nil || again {
			t.Fatalf("release with nothing asked: %v, %v; want the lease ended", again, err)
		}
		if !claim("c-1") {
			t.Fatal("a released mapping could not be claimed")
		}
		if ok, err := s.ClaimInqomMapping(ctx, 1<<40, "x", time.Minute); ok || err != nil {
			t.Fatalf("claiming an unknown mapping: %v, %v", ok, err)
		}
	})
}

// TestStore_InqomMappingRescanOnShutdown: a holder that stops (shutdown)
// lets go whatever was asked, and the request waits for the next holder,
// which looks again before it lets go in turn.
func TestStore_InqomMappingRescanOnShutdown(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		m := mustMapping(t, s, MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1)))
		steps := []struct {
			do          string // "claim" or "release" or "stop"
			owner       string
			want, again bool
		}{
			{"claim", "a-1", true, false},
			{"claim", "b-1", false, false}, // asks a-1 to look again
			{"stop", "a-1", false, false},  // shutdown: lets go, the request stays
			{"claim", "c-1", true, false},
			{"release", "c-1", false, true}, // the request of b-1, for c-1 now
			{"release", "c-1", false, false},
			{"claim", "d-1", true, false},
			{"release", "d-1", false, false}, // nothing asked any more
		}
		for i, st := range steps {
			switch st.do {
			case "claim":
				ok, err := s.ClaimInqomMapping(ctx, m.ID, st.owner, time.Minute)
				if err != nil || ok != st.want {
					t.Fatalf("step %d: claim by %s: %v, %v; want %v", i, st.owner, ok, err, st.want)
				}
			default:
				again, err := s.ReleaseInqomMapping(ctx, m.ID, st.owner, st.do == "stop")
				if err != nil || again != st.again {
					t.Fatalf("step %d: %s by %s: again %v, %v; want %v", i, st.do, st.owner, again, err, st.again)
				}
			}
		}
	})
}

// TestStore_InqomMappingLeaseRenewal (issue 10, item 11): a run renews its
// short lease while it works; once it stops (crash), another instance takes
// the mapping over as soon as the lease ends; the dead owner cannot renew.
func TestStore_InqomMappingLeaseRenewal(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		m := mustMapping(t, s, MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1)))
		const lease = 30 * time.Second
		if ok, err := s.ClaimInqomMapping(ctx, m.ID, "a-1", lease); err != nil || !ok {
			t.Fatalf("claim: %v, %v", ok, err)
		}
		for range 6 { // two minutes of work, renewed every 10 s
			clk.Add(lease / 3)
			if ok, err := s.RenewInqomMapping(ctx, m.ID, "a-1", lease); err != nil || !ok {
				t.Fatalf("renewal: %v, %v", ok, err)
			}
			if ok, _ := s.ClaimInqomMapping(ctx, m.ID, "b-1", lease); ok {
				t.Fatal("a renewed lease was taken over")
			}
		}
		clk.Add(lease + time.Microsecond) // a-1 was killed right after its last renewal
		if ok, err := s.ClaimInqomMapping(ctx, m.ID, "b-1", lease); err != nil || !ok {
			t.Fatalf("take-over %s after the crash: %v, %v", lease, ok, err)
		}
		if ok, err := s.RenewInqomMapping(ctx, m.ID, "a-1", lease); err != nil || ok {
			t.Fatalf("the dead owner renewed the new owner's lease: %v, %v", ok, err)
		}
	})
}
