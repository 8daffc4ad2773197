package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

func TestUserService_CreateUser(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		if n, err := s.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("CountUsers on an empty store: %d, %v", n, err)
		}
		u, err := s.CreateUser(ctx, "  Ana@Example.COM ", "hash-1")
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.Email != "ana@example.com" || !u.CreatedAt.Equal(t0) || u.PowensUserID != nil {
			t.Fatalf("CreateUser=%+v", u)
		}
		for _, tc := range []struct {
			name, email, code string
		}{
			{"SameAddressOtherCase", "ANA@example.com", freenahi.ECONFLICT},
			{"Empty", " ", freenahi.EINVALID},
			{"NotAnAddress", "ana at example", freenahi.EINVALID},
			{"DisplayName", "Ana <ana@example.org>", freenahi.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateUser(ctx, tc.email, "")
				wantCode(t, err, tc.code, "CreateUser("+tc.email+")")
			})
		}
		if n, err := s.CountUsers(ctx); err != nil || n != 1 {
			t.Fatalf("CountUsers: %d, %v; want 1", n, err)
		}
		if h, err := s.UserPasswordHash(ctx, u.ID); err != nil || h != "hash-1" {
			t.Fatalf("UserPasswordHash=%q, %v", h, err)
		}
		_, err = s.UserPasswordHash(ctx, u.ID+100)
		wantCode(t, err, freenahi.ENOTFOUND, "UserPasswordHash of an unknown user")
	})
}

func TestUserService_FindUser(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustCreateUser(t, s, "ana@example.com", 41)
		bob := MustCreateUser(t, s, "bob@example.com", 0)
		for _, tc := range []struct {
			name string
			find func() (*freenahi.User, error)
			want *freenahi.User
		}{
			{"ByID", func() (*freenahi.User, error) { return s.FindUserByID(ctx, ana.ID) }, ana},
			{"ByEmail", func() (*freenahi.User, error) { return s.FindUserByEmail(ctx, "ANA@example.com ") }, ana},
			{"Unlinked", func() (*freenahi.User, error) { return s.FindUserByID(ctx, bob.ID) }, bob},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := tc.find()
				if err != nil {
					t.Fatal(err)
				}
				if got.ID != tc.want.ID || got.Email != tc.want.Email || !got.CreatedAt.Equal(tc.want.CreatedAt) ||
					(got.PowensUserID == nil) != (tc.want.PowensUserID == nil) ||
					got.PowensUserID != nil && *got.PowensUserID != *tc.want.PowensUserID {
					t.Fatalf("got %+v, want %+v", got, tc.want)
				}
			})
		}
		for name, find := range map[string]func() (*freenahi.User, error){
			"UnknownID":    func() (*freenahi.User, error) { return s.FindUserByID(ctx, bob.ID+100) },
			"UnknownEmail": func() (*freenahi.User, error) { return s.FindUserByEmail(ctx, "carol@example.com") },
		} {
			_, err := find()
			wantCode(t, err, freenahi.ENOTFOUND, name)
		}
		_, err := s.FindUserByEmail(ctx, "not an address")
		wantCode(t, err, freenahi.EINVALID, "FindUserByEmail of a malformed address")

		users, err := s.FindUsers(ctx)
		if err != nil || len(users) != 2 || users[0].ID != ana.ID || users[1].ID != bob.ID || *users[0].PowensUserID != 41 {
			t.Fatalf("FindUsers=%v, %v", users, err)
		}
	})
}

func TestUserService_APITokens(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustCreateUser(t, s, "ana@example.com", 41)
		bob := MustCreateUser(t, s, "bob@example.com", 0)
		tok, err := s.CreateAPIToken(ctx, ana.ID, "  laptop ")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok.Secret, "fnh_") || tok.Name != "laptop" || tok.UserID != ana.ID || !tok.CreatedAt.Equal(t0) {
			t.Fatalf("CreateAPIToken=%+v", tok)
		}
		unnamed, err := s.CreateAPIToken(ctx, ana.ID, "")
		if err != nil || unnamed.Name != "token" || unnamed.Secret == tok.Secret {
			t.Fatalf("unnamed token: %+v, %v", unnamed, err)
		}
		bobs, err := s.CreateAPIToken(ctx, bob.ID, "bob")
		if err != nil {
			t.Fatal(err)
		}

		t.Run("Invalid", func(t *testing.T) {
			_, err := s.CreateAPIToken(ctx, ana.ID, strings.Repeat("n", 101))
			wantCode(t, err, freenahi.EINVALID, "a 101-character name")
			_, err = s.CreateAPIToken(ctx, bob.ID+100, "ghost")
			wantCode(t, err, freenahi.ENOTFOUND, "a token for a user that does not exist")
		})
		t.Run("Authenticate", func(t *testing.T) {
			u, err := s.AuthenticateAPIToken(ctx, tok.Secret)
			if err != nil || u.ID != ana.ID || u.Email != ana.Email || *u.PowensUserID != 41 {
				t.Fatalf("AuthenticateAPIToken=%+v, %v", u, err)
			}
			for name, secret := range map[string]string{
				"Unknown":     "fnh_" + strings.Repeat("A", 43),
				"NoPrefix":    strings.TrimPrefix(tok.Secret, "fnh_"),
				"TooLong":     tok.Secret + strings.Repeat("x", 100),
				"Empty":       "",
				"OtherPrefix": "ghp_" + tok.Secret[4:],
			} {
				_, err := s.AuthenticateAPIToken(ctx, secret)
				wantCode(t, err, freenahi.EUNAUTHORIZED, name)
			}
		})
		t.Run("LastUsedAtMostOnceAMinute", func(t *testing.T) {
			used := func() *time.Time {
				t.Helper()
				toks, err := s.FindAPITokens(ctx, ana.ID)
				if err != nil {
					t.Fatal(err)
				}
				return toks[0].LastUsedAt
			}
			first := used()
			if first == nil || !first.Equal(clk.now) {
				t.Fatalf("last used %v, want %v", first, clk.now)
			}
			clk.Add(30 * time.Second)
			s.AuthenticateAPIToken(ctx, tok.Secret)
			if got := used(); !got.Equal(*first) {
				t.Fatalf("last used moved to %v 30 s later, want it kept at %v", got, first)
			}
			clk.Add(31 * time.Second)
			s.AuthenticateAPIToken(ctx, tok.Secret)
			if got := used(); !got.Equal(clk.now) {
				t.Fatalf("last used %v, want %v a minute on", got, clk.now)
			}
		})
		t.Run("FindAPITokens", func(t *testing.T) {
			toks, err := s.FindAPITokens(ctx, ana.ID)
			if err != nil || len(toks) != 2 || toks[0].ID != tok.ID || toks[1].ID != unnamed.ID {
				t.Fatalf("FindAPITokens=%v, %v", toks, err)
			}
			for _, tk := range toks {
				if tk.Secret != "" || tk.UserID != ana.ID {
					t.Fatalf("listed token %+v: a secret or another user", tk)
				}
			}
		})
		t.Run("Revoke", func(t *testing.T) {
			// Ana can neither revoke bob's token nor learn that it exists.
			err := s.RevokeAPIToken(ctx, ana.ID, bobs.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "ana revoking bob's token")
			if u, err := s.AuthenticateAPIToken(ctx, bobs.Secret); err != nil || u.ID != bob.ID {
				t.Fatalf("bob's token after ana's attempt: %+v, %v", u, err)
			}
			if err := s.RevokeAPIToken(ctx, ana.ID, tok.ID); err != nil {
				t.Fatal(err)
			}
			_, err = s.AuthenticateAPIToken(ctx, tok.Secret)
			wantCode(t, err, freenahi.EUNAUTHORIZED, "a revoked token")
			err = s.RevokeAPIToken(ctx, ana.ID, tok.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "revoking twice")
			if toks, _ := s.FindAPITokens(ctx, ana.ID); len(toks) != 1 || toks[0].ID != unnamed.ID {
				t.Fatalf("after revoking, FindAPITokens=%v, want only the unnamed token", toks)
			}
		})
	})
}

func TestUserService_DeleteUser(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		mustSeedEverything(t, s, ana)
		mustSeedEverything(t, s, bob)
		bobBefore := mustState(t, s, bob.user.ID)
		tok, _ := s.CreateAPIToken(ctx, ana.user.ID, "t")
		waiting := mustReceive(t, s, freenahi.EventConnectionSynced, "waiting", 1)

		if err := s.DeleteUser(ctx, ana.user.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.FindUserByID(ctx, ana.user.ID)
		wantCode(t, err, freenahi.ENOTFOUND, "a deleted user")
		_, err = s.AuthenticateAPIToken(ctx, tok.Secret)
		wantCode(t, err, freenahi.EUNAUTHORIZED, "the token of a deleted user")
		after := mustState(t, s, ana.user.ID)
		if len(after.Connections)+len(after.Accounts)+len(after.Transactions)+len(after.Investments)+len(after.Loans) != 0 {
			t.Fatalf("the deleted user's data remains: %+v", after)
		}
		// The inbox keeps what arrived, failed, as a record.
		e, err := s.FindEventByID(ctx, waiting.ID)
		if err != nil || e.Status != freenahi.StatusFailed || e.UserID != nil {
			t.Fatalf("the deleted user's waiting event: %+v, %v", e, err)
		}
		err = s.DeleteUser(ctx, ana.user.ID)
		wantCode(t, err, freenahi.ENOTFOUND, "deleting twice")

		bobAfter := mustState(t, s, bob.user.ID)
		if len(bobAfter.Transactions) != len(bobBefore.Transactions) || len(bobAfter.Accounts) != len(bobBefore.Accounts) {
			t.Fatal("deleting ana took some of bob's data")
		}
	})
}
