package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

func TestStore_PasswordReset(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana, _ := s.CreateUser(ctx, "ana@example.com", "old-hash")
		bob, _ := s.CreateUser(ctx, "bob@example.com", "bob-hash")
		sess, _ := s.CreateSession(ctx, ana.ID, time.Hour, time.Hour)
		bobs, _ := s.CreateSession(ctx, bob.ID, time.Hour, time.Hour)
		if _, err := s.ReserveSignin(ctx, []freenahi.SigninBucket{{Key: "client:ana@example.com|x", Account: "ana@example.com", Free: 1, MaxDelay: time.Hour}}); err != nil {
			t.Fatal(err)
		}
		tok, err := s.CreatePasswordReset(ctx, ana.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		other, _ := s.CreatePasswordReset(ctx, ana.ID, time.Hour)
		if u, err := s.FindPasswordReset(ctx, tok); err != nil || u.ID != ana.ID {
			t.Fatalf("find: %+v, %v", u, err)
		}
		wantCode(t, func() error { _, err := s.FindPasswordReset(ctx, tok+"x"); return err }(), freenahi.EINVALID, "unknown token")
		u, err := s.ResetPassword(ctx, tok, "new-hash")
		if err != nil || u.ID != ana.ID {
			t.Fatalf("reset: %+v, %v", u, err)
		}
		if h, _ := s.UserPasswordHash(ctx, ana.ID); h != "new-hash" {
			t.Fatalf("hash %q", h)
		}
		if h, _ := s.UserPasswordHash(ctx, bob.ID); h != "bob-hash" {
			t.Fatalf("bob's hash changed: %q", h)
		}
		if _, _, err := s.FindSession(ctx, sess); err == nil {
			t.Fatal("a session survived the reset")
		}
		if _, _, err := s.FindSession(ctx, bobs); err != nil {
			t.Fatalf("bob's session ended: %v", err)
		}
		if n, _ := s.UnlockSignin(ctx, "ana@example.com"); n != 0 {
			t.Fatalf("%d throttle buckets survived the reset", n)
		}
		// Single use, and the other link of the user died with it.
		_, err = s.ResetPassword(ctx, tok, "again")
		wantCode(t, err, freenahi.EINVALID, "reused token")
		_, err = s.ResetPassword(ctx, other, "again")
		wantCode(t, err, freenahi.EINVALID, "the other link")
		// Expiry.
		late, _ := s.CreatePasswordReset(ctx, ana.ID, time.Hour)
		clk.Add(time.Hour)
		_, err = s.ResetPassword(ctx, late, "late")
		wantCode(t, err, freenahi.EINVALID, "expired token")
		if h, _ := s.UserPasswordHash(ctx, ana.ID); h != "new-hash" {
			t.Fatalf("a refused link changed the hash: %q", h)
		}
		_, err = s.CreatePasswordReset(ctx, 9999, time.Hour)
		wantCode(t, err, freenahi.ENOTFOUND, "unknown user")
	})
}

func TestStore_SessionsList(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana, _ := s.CreateUser(ctx, "ana@example.com", "h")
		bob, _ := s.CreateUser(ctx, "bob@example.com", "h")
		phone, _ := s.CreateSessionOn(ctx, ana.ID, "Mozilla/5.0 (iPhone)", time.Hour, time.Hour)
		clk.Add(time.Minute)
		laptop, _ := s.CreateSessionOn(ctx, ana.ID, "\x00"+strings.Repeat("é", 150), time.Hour, time.Hour)
		bobs, _ := s.CreateSessionOn(ctx, bob.ID, "bob's", time.Hour, time.Hour)
		list, err := s.FindSessions(ctx, ana.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("list: %d, %v", len(list), err)
		}
		if list[0].Ref != s.SessionRef(laptop) || list[1].Ref != s.SessionRef(phone) || list[1].Device != "Mozilla/5.0 (iPhone)" {
			t.Fatalf("list: %+v %+v", list[0], list[1])
		}
		if list[0].Device != strings.Repeat("é", 99) {
			t.Fatalf("device kept %d bytes, want 200", len(list[0].Device))
		}
		// Bob cannot end Ana's session, Ana can.
		wantCode(t, s.RevokeSession(ctx, bob.ID, s.SessionRef(phone)), freenahi.ENOTFOUND, "another user's session")
		wantCode(t, s.RevokeSession(ctx, ana.ID, "zz"), freenahi.ENOTFOUND, "a bad reference")
		if err := s.RevokeSession(ctx, ana.ID, s.SessionRef(phone)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.FindSession(ctx, phone); err == nil {
			t.Fatal("revoked session still works")
		}
		for _, id := range []string{laptop, bobs} {
			if _, _, err := s.FindSession(ctx, id); err != nil {
				t.Fatalf("another session ended: %v", err)
			}
		}
	})
}

func TestStore_InvitesAndAdmin(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		admin, _ := s.CreateUser(ctx, "admin@example.com", "h")
		in, err := s.CreateInvite(ctx, admin.ID, " Cleo@Example.com ", time.Hour)
		if err != nil || in.Email != "cleo@example.com" || in.Token == "" {
			t.Fatalf("invite: %+v, %v", in, err)
		}
		_, err = s.CreateInvite(ctx, admin.ID, "admin@example.com", time.Hour)
		wantCode(t, err, freenahi.ECONFLICT, "inviting an existing user")
		_, err = s.CreateInvite(ctx, admin.ID, "not an address", time.Hour)
		wantCode(t, err, freenahi.EINVALID, "inviting a bad address")
		if got, err := s.FindInvite(ctx, in.Token); err != nil || got.Email != "cleo@example.com" {
			t.Fatalf("find invite: %+v, %v", got, err)
		}
		cleo, err := s.AcceptInvite(ctx, in.Token, "cleo-hash")
		if err != nil || cleo.Email != "cleo@example.com" {
			t.Fatalf("accept: %+v, %v", cleo, err)
		}
		_, err = s.AcceptInvite(ctx, in.Token, "again")
		wantCode(t, err, freenahi.EINVALID, "a used invite")
		late, _ := s.CreateInvite(ctx, admin.ID, "dan@example.com", time.Hour)
		clk.Add(2 * time.Hour)
		_, err = s.AcceptInvite(ctx, late.Token, "h")
		wantCode(t, err, freenahi.EINVALID, "an expired invite")

		if ok, _ := s.IsAdmin(ctx, admin.ID); !ok {
			t.Fatal("the first user is not the administrator")
		}
		if ok, _ := s.IsAdmin(ctx, cleo.ID); ok {
			t.Fatal("the second user is the administrator")
		}
		wantCode(t, s.SetUserDisabled(ctx, admin.ID, true), freenahi.EFORBIDDEN, "disabling the administrator")
		sess, _ := s.CreateSession(ctx, cleo.ID, time.Hour, time.Hour)
		tok, _ := s.CreateAPIToken(ctx, cleo.ID, "t")
		if err := s.SetUserDisabled(ctx, cleo.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.FindSession(ctx, sess); err == nil {
			t.Fatal("a disabled user's session works")
		}
		if _, err := s.AuthenticateAPIToken(ctx, tok.Secret); err == nil {
			t.Fatal("a disabled user's API token works")
		}
		reset, _ := s.CreatePasswordReset(ctx, cleo.ID, time.Hour)
		_, err = s.ResetPassword(ctx, reset, "h2")
		wantCode(t, err, freenahi.EINVALID, "a disabled user's reset")
		list, err := s.FindUserInfos(ctx)
		if err != nil || len(list) != 2 || !list[0].Admin || list[1].Admin || list[1].Disabled == nil {
			t.Fatalf("users: %v, %v", list, err)
		}
		if err := s.SetUserDisabled(ctx, cleo.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AuthenticateAPIToken(ctx, tok.Secret); err != nil {
			t.Fatalf("an enabled user's API token: %v", err)
		}
		wantCode(t, s.SetUserDisabled(ctx, 9999, true), freenahi.ENOTFOUND, "an unknown user")
	})
}

func TestStore_TOTP(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana, _ := s.CreateUser(ctx, "ana@example.com", "h")
		bob, _ := s.CreateUser(ctx, "bob@example.com", "h")
		_, err := s.FindTOTP(ctx, ana.ID)
		wantCode(t, err, freenahi.ENOTFOUND, "no secret yet")
		if err := s.SaveTOTPSecret(ctx, ana.ID, "JBSWY3DPEHPK3PXP"); err != nil {
			t.Fatal(err)
		}
		st, err := s.FindTOTP(ctx, ana.ID)
		if err != nil || st.Secret != "JBSWY3DPEHPK3PXP" || st.Enabled {
			t.Fatalf("enrolling: %+v, %v", st, err)
		}
		wantCode(t, s.AcceptTOTPStep(ctx, ana.ID, 5), freenahi.EUNAUTHORIZED, "a code before enabling")
		if err := s.EnableTOTP(ctx, ana.ID, 100, []string{"aaaa-bbbb", "cccc-dddd"}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.SaveTOTPSecret(ctx, ana.ID, "OTHER"), freenahi.ECONFLICT, "a new secret while on")
		wantCode(t, s.AcceptTOTPStep(ctx, ana.ID, 100), freenahi.EUNAUTHORIZED, "the enrolment code again")
		if err := s.AcceptTOTPStep(ctx, ana.ID, 101); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.AcceptTOTPStep(ctx, ana.ID, 101), freenahi.EUNAUTHORIZED, "a replayed code")
		wantCode(t, s.UseRecoveryCode(ctx, bob.ID, "aaaa-bbbb"), freenahi.EUNAUTHORIZED, "another user's recovery code")
		if err := s.UseRecoveryCode(ctx, ana.ID, "aaaa-bbbb"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.UseRecoveryCode(ctx, ana.ID, "aaaa-bbbb"), freenahi.EUNAUTHORIZED, "a used recovery code")
		if n, _ := s.CountRecoveryCodes(ctx, ana.ID); n != 1 {
			t.Fatalf("%d recovery codes left, want 1", n)
		}
		wantCode(t, s.ReplaceRecoveryCodes(ctx, bob.ID, []string{"x"}), freenahi.ENOTFOUND, "new codes without two-factor")
		if err := s.ReplaceRecoveryCodes(ctx, ana.ID, []string{"eeee-ffff"}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.UseRecoveryCode(ctx, ana.ID, "cccc-dddd"), freenahi.EUNAUTHORIZED, "a replaced recovery code")
		if err := s.DisableTOTP(ctx, ana.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.FindTOTP(ctx, ana.ID)
		wantCode(t, err, freenahi.ENOTFOUND, "after disabling")
		wantCode(t, s.UseRecoveryCode(ctx, ana.ID, "eeee-ffff"), freenahi.EUNAUTHORIZED, "a recovery code after disabling")
	})
}
