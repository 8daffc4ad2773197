package store_test

import (
	"bytes"
	"crypto/sha256"
	"slices"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

func TestUserService_LinkPowensUser(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustCreateUser(t, s, "ana@example.com", 0)
		bob := MustCreateUser(t, s, "bob@example.com", 0)

		t.Run("Invalid", func(t *testing.T) {
			for name, pu := range map[string]freenahi.PowensUser{
				"NoPowensID": {UserID: ana.ID, Token: "t"},
				"NoToken":    {UserID: ana.ID, PowensUserID: 9},
			} {
				_, err := s.LinkPowensUser(ctx, pu)
				wantCode(t, err, freenahi.EINVALID, name)
			}
			_, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: bob.ID + 100, PowensUserID: 9, Token: "t"})
			wantCode(t, err, freenahi.ENOTFOUND, "a user that does not exist")
		})

		// Events of Powens user 9 arrive before anyone is linked to it.
		pid := int64(9)
		hash := func(token string) []byte { h := sha256.Sum256([]byte(token)); return h[:] }
		hmac := mustReceive(t, s, freenahi.EventConnectionSynced, "hmac", pid)
		rightBearer := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "bearer-right", PowensUserID: &pid,
			Auth: freenahi.AuthBearer, TokenHash: hash("tok-9"), Body: []byte("{}")}
		wrongBearer := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "bearer-wrong", PowensUserID: &pid,
			Auth: freenahi.AuthBearer, TokenHash: hash("forged"), Body: []byte("{}")}
		for _, e := range []*freenahi.InboxEvent{rightBearer, wrongBearer} {
			if _, err := s.ReceiveEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		for _, e := range []*freenahi.InboxEvent{hmac, rightBearer, wrongBearer} {
			if e.Status != freenahi.StatusUnmatched || e.UserID != nil {
				t.Fatalf("event %s of an unlinked Powens user: %s", e.DeliveryKey, e.Status)
			}
		}

		clk.Add(time.Minute)
		released, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: ana.ID, PowensUserID: pid, Token: "tok-9"})
		if err != nil || released != 2 {
			t.Fatalf("LinkPowensUser: released %d, %v; want the HMAC event and the bearer event with the right token", released, err)
		}
		for _, tc := range []struct {
			e    *freenahi.InboxEvent
			want freenahi.InboxStatus
		}{{hmac, freenahi.StatusPending}, {rightBearer, freenahi.StatusPending}, {wrongBearer, freenahi.StatusFailed}} {
			got, err := s.FindEventByID(ctx, tc.e.ID)
			if err != nil || got.Status != tc.want || got.UserID == nil || *got.UserID != ana.ID {
				t.Fatalf("event %s after linking: %+v, %v; want %s for ana", tc.e.DeliveryKey, got, err, tc.want)
			}
		}

		pu, err := s.FindPowensUser(ctx, ana.ID)
		if err != nil || pu.PowensUserID != pid || pu.Token != "tok-9" || !pu.LinkedAt.Equal(clk.now) || pu.LastPullAt != nil {
			t.Fatalf("FindPowensUser=%+v, %v", pu, err)
		}
		if byPowens, err := s.FindPowensUserByPowensID(ctx, pid); err != nil || byPowens.UserID != ana.ID || byPowens.Token != "tok-9" {
			t.Fatalf("FindPowensUserByPowensID=%+v, %v", byPowens, err)
		}
		_, err = s.FindPowensUser(ctx, bob.ID)
		wantCode(t, err, freenahi.ENOTFOUND, "the Powens link of an unlinked user")
		_, err = s.FindPowensUserByPowensID(ctx, 10)
		wantCode(t, err, freenahi.ENOTFOUND, "an unknown Powens user")

		t.Run("Relink", func(t *testing.T) {
			if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: ana.ID, PowensUserID: pid, Token: "tok-9b"}); err != nil {
				t.Fatal(err)
			}
			if pu, _ := s.FindPowensUser(ctx, ana.ID); pu.Token != "tok-9b" {
				t.Fatalf("token after relinking: %q", pu.Token)
			}
			_, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: bob.ID, PowensUserID: pid, Token: "tok-bob"})
			wantCode(t, err, freenahi.ECONFLICT, "linking ana's Powens user to bob")
			if pu, _ := s.FindPowensUserByPowensID(ctx, pid); pu.UserID != ana.ID || pu.Token != "tok-9b" {
				t.Fatalf("the refused link changed ana's: %+v", pu)
			}
		})
		t.Run("UpdatePowensToken", func(t *testing.T) {
			if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: bob.ID, PowensUserID: 10, Token: "tok-10"}); err != nil {
				t.Fatal(err)
			}
			if err := s.UpdatePowensToken(ctx, ana.ID, pid, "renewed"); err != nil {
				t.Fatal(err)
			}
			if pu, _ := s.FindPowensUser(ctx, ana.ID); pu.Token != "renewed" || pu.PowensUserID != pid {
				t.Fatalf("after UpdatePowensToken: %+v", pu)
			}
			// Ana cannot replace bob's token, nor name a Powens user that is not hers.
			wantCode(t, s.UpdatePowensToken(ctx, ana.ID, 10, "stolen"), freenahi.ENOTFOUND, "ana updating bob's Powens token")
			wantCode(t, s.UpdatePowensToken(ctx, ana.ID+100, pid, "x"), freenahi.ENOTFOUND, "an unknown user")
			if pu, _ := s.FindPowensUser(ctx, bob.ID); pu.Token != "tok-10" {
				t.Fatalf("bob's token became %q", pu.Token)
			}
		})
	})
}

// TestUserService_PowensTokenSealed checks the token is not readable at
// rest, and that a sealed token copied to another Powens user does not open.
func TestUserService_PowensTokenSealed(t *testing.T) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			s, _, url := MustOpenStoreURL(t, engine)
			ana := MustCreateUser(t, s, "ana@example.com", 0)
			bob := MustCreateUser(t, s, "bob@example.com", 0)
			const token = "very-secret-powens-token"
			s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: ana.ID, PowensUserID: 1, Token: token})
			s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: bob.ID, PowensUserID: 2, Token: "bob's"})
			db := rawDB(t, url)
			var sealed []byte
			if err := db.QueryRowContext(ctx, `SELECT token_sealed FROM powens_users WHERE user_id = $1`, ana.ID).Scan(&sealed); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(sealed, []byte(token)) {
				t.Fatal("the Powens token is stored in clear")
			}
			if _, err := db.ExecContext(ctx, `UPDATE powens_users SET token_sealed = $1 WHERE user_id = $2`, sealed, bob.ID); err != nil {
				t.Fatal(err)
			}
			if pu, err := s.FindPowensUser(ctx, bob.ID); err == nil {
				t.Fatalf("ana's sealed token opened as bob's: %q", pu.Token)
			}
		})
	}
}

func TestStore_PullSchedule(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		var users []int64
		for i, email := range []string{"a@example.com", "b@example.com", "c@example.com", "d@example.com"} {
			users = append(users, MustCreateUser(t, s, email, int64(i+1)).ID)
		}
		MustCreateUser(t, s, "unlinked@example.com", 0)
		due := func(at time.Time, limit int) []int64 {
			t.Helper()
			ids, err := s.PullDue(ctx, at, limit)
			if err != nil {
				t.Fatal(err)
			}
			return ids
		}
		if got := due(clk.now, 10); !slices.Equal(got, users) {
			t.Fatalf("never pulled: due %v, want every linked user %v", got, users)
		}
		if got := due(clk.now, 2); !slices.Equal(got, users[:2]) {
			t.Fatalf("limit 2: due %v", got)
		}
		// a pulled fine (next in 6 h), b failed (retry in 30 min), c pulled later (next in 7 h).
		started := clk.now
		if err := s.RecordPull(ctx, users[0], started, started.Add(6*time.Hour), ""); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordPull(ctx, users[1], started, started.Add(30*time.Minute), "Powens said 503"); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordPull(ctx, users[2], started, started.Add(7*time.Hour), ""); err != nil {
			t.Fatal(err)
		}
		if got := due(clk.now, 10); !slices.Equal(got, users[3:]) {
			t.Fatalf("just after: due %v, want only the never-pulled %v", got, users[3:])
		}
		// The never pulled first, then the longest waiting.
		if got := due(started.Add(8*time.Hour), 10); !slices.Equal(got, []int64{users[3], users[1], users[0], users[2]}) {
			t.Fatalf("8 h later: due %v", got)
		}
		pa, _ := s.FindPowensUserByPowensID(ctx, 1)
		pb, _ := s.FindPowensUserByPowensID(ctx, 2)
		if pa.LastPullAt == nil || !pa.LastPullAt.Equal(started) || pa.PullError != "" {
			t.Fatalf("after a good pull: %+v", pa)
		}
		if pb.LastPullAt != nil || pb.PullError != "Powens said 503" {
			t.Fatalf("after a failed pull: last %v, error %q", pb.LastPullAt, pb.PullError)
		}
		// A good pull clears the error.
		if err := s.RecordPull(ctx, users[1], clk.now, clk.now.Add(time.Hour), ""); err != nil {
			t.Fatal(err)
		}
		if pb, _ := s.FindPowensUserByPowensID(ctx, 2); pb.PullError != "" || pb.LastPullAt == nil {
			t.Fatalf("after a good pull following a failed one: %+v", pb)
		}
		wantCode(t, s.RecordPull(ctx, users[3]+100, clk.now, clk.now, ""), freenahi.ENOTFOUND, "RecordPull of an unknown user")
	})
}
