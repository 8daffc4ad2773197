package store_test

import (
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

func TestStore_Sessions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		u := MustCreateUser(t, s, "ana@example.com", 7)
		id, err := s.CreateSession(ctx, u.ID, time.Hour, 3*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		ended := func(t *testing.T, id, what string) {
			t.Helper()
			_, _, err := s.FindSession(ctx, id)
			wantCode(t, err, freenahi.EUNAUTHORIZED, what)
		}

		t.Run("Find", func(t *testing.T) {
			got, seen, err := s.FindSession(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != u.ID || got.Email != u.Email || *got.PowensUserID != 7 || !seen.Equal(clk.now) {
				t.Fatalf("FindSession=%+v seen %v, want user %d seen %v", got, seen, u.ID, clk.now)
			}
			ended(t, id+"x", "an unknown session")
		})
		t.Run("UnknownUser", func(t *testing.T) {
			_, err := s.CreateSession(ctx, u.ID+100, time.Hour, time.Hour)
			wantCode(t, err, freenahi.ENOTFOUND, "a session for a user that does not exist")
		})
		t.Run("IdleExpiryAndTouch", func(t *testing.T) {
			clk.Add(50 * time.Minute)
			if err := s.TouchSession(ctx, id, time.Hour); err != nil {
				t.Fatal(err)
			}
			touched := clk.now
			clk.Add(50 * time.Minute) // 100 min after creation, 50 after the touch
			if _, seen, err := s.FindSession(ctx, id); err != nil || !seen.Equal(touched) {
				t.Fatalf("touched session: seen %v, err %v; want seen %v", seen, err, touched)
			}
			clk.Add(10 * time.Minute) // exactly an hour idle: ended
			ended(t, id, "an idle session")
			// Touching an ended session does not bring it back.
			if err := s.TouchSession(ctx, id, time.Hour); err != nil {
				t.Fatal(err)
			}
			ended(t, id, "an ended session after a touch")
		})
		t.Run("LifetimeCapsTouches", func(t *testing.T) {
			id, err := s.CreateSession(ctx, u.ID, time.Hour, 90*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				clk.Add(40 * time.Minute)
				if err := s.TouchSession(ctx, id, time.Hour); err != nil {
					t.Fatal(err)
				}
			}
			clk.Add(9 * time.Minute) // 89 min: still alive
			if _, _, err := s.FindSession(ctx, id); err != nil {
				t.Fatalf("a session within its lifetime: %v", err)
			}
			clk.Add(time.Minute)
			ended(t, id, "a session at the end of its lifetime")
		})
		t.Run("Delete", func(t *testing.T) {
			id, err := s.CreateSession(ctx, u.ID, time.Hour, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteSession(ctx, id); err != nil {
				t.Fatal(err)
			}
			ended(t, id, "a deleted session")
			if err := s.DeleteSession(ctx, id); err != nil {
				t.Fatalf("deleting twice: %v", err)
			}
			bob := MustCreateUser(t, s, "bob@example.com", 0)
			bobs, _ := s.CreateSession(ctx, bob.ID, time.Hour, time.Hour)
			one, _ := s.CreateSession(ctx, u.ID, time.Hour, time.Hour)
			two, _ := s.CreateSession(ctx, u.ID, time.Hour, time.Hour)
			if err := s.DeleteUserSessions(ctx, u.ID); err != nil {
				t.Fatal(err)
			}
			ended(t, one, "a session after DeleteUserSessions")
			ended(t, two, "a second session after DeleteUserSessions")
			if got, _, err := s.FindSession(ctx, bobs); err != nil || got.ID != bob.ID {
				t.Fatalf("another user's session after DeleteUserSessions: %+v, %v", got, err)
			}
		})
	})
}

// TestStore_SessionsPurged checks that creating a session removes the
// expired ones of everyone, so abandoned browsers do not fill the table.
func TestStore_SessionsPurged(t *testing.T) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			s, clk, url := MustOpenStoreURL(t, engine)
			ana := MustCreateUser(t, s, "ana@example.com", 0)
			bob := MustCreateUser(t, s, "bob@example.com", 0)
			for range 3 {
				s.CreateSession(ctx, ana.ID, time.Minute, time.Hour)
			}
			live, _ := s.CreateSession(ctx, bob.ID, time.Hour, time.Hour)
			clk.Add(2 * time.Minute)
			if _, err := s.CreateSession(ctx, bob.ID, time.Hour, time.Hour); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := rawDB(t, url).QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Fatalf("%d sessions stored, want the 2 live ones", n)
			}
			if _, _, err := s.FindSession(ctx, live); err != nil {
				t.Fatalf("a live session was purged: %v", err)
			}
		})
	}
}
