package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

func TestStore_Sessions(t *testing.T) {
	ctx := context.Background()
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		u, err := s.CreateUser(ctx, "ana@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		id, err := s.CreateSession(ctx, u.ID, time.Hour, 3*time.Hour)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("Find", func(t *testing.T) {
			got, seen, err := s.FindSession(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != u.ID || got.Email != u.Email || !seen.Equal(now) {
				t.Fatalf("FindSession=%+v seen %v, want user %d seen %v", got, seen, u.ID, now)
			}
			if _, _, err := s.FindSession(ctx, id+"x"); freenahi.ErrorCode(err) != freenahi.EUNAUTHORIZED {
				t.Fatalf("unknown session: err=%v, want unauthorized", err)
			}
		})
		t.Run("IdleExpiryAndTouch", func(t *testing.T) {
			now = now.Add(50 * time.Minute)
			if err := s.TouchSession(ctx, id, time.Hour); err != nil {
				t.Fatal(err)
			}
			now = now.Add(50 * time.Minute) // 100 min after creation, 50 after the touch
			if _, seen, err := s.FindSession(ctx, id); err != nil || !seen.Equal(now.Add(-50*time.Minute)) {
				t.Fatalf("touched session: seen %v, err %v", seen, err)
			}
			now = now.Add(61 * time.Minute)
			if _, _, err := s.FindSession(ctx, id); freenahi.ErrorCode(err) != freenahi.EUNAUTHORIZED {
				t.Fatalf("idle session: err=%v, want unauthorized", err)
			}
		})
		t.Run("LifetimeCapsTouches", func(t *testing.T) {
			id, err := s.CreateSession(ctx, u.ID, time.Hour, 90*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				now = now.Add(40 * time.Minute)
				s.TouchSession(ctx, id, time.Hour)
			}
			if _, _, err := s.FindSession(ctx, id); freenahi.ErrorCode(err) != freenahi.EUNAUTHORIZED {
				t.Fatalf("session past its lifetime: err=%v, want unauthorized", err)
			}
		})
		t.Run("Delete", func(t *testing.T) {
			id, err := s.CreateSession(ctx, u.ID, time.Hour, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteSession(ctx, id); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.FindSession(ctx, id); freenahi.ErrorCode(err) != freenahi.EUNAUTHORIZED {
				t.Fatalf("deleted session: err=%v, want unauthorized", err)
			}
			if err := s.DeleteSession(ctx, id); err != nil {
				t.Fatalf("deleting twice: %v", err)
			}
			other, _ := s.CreateSession(ctx, u.ID, time.Hour, time.Hour)
			if err := s.DeleteUserSessions(ctx, u.ID); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.FindSession(ctx, other); err == nil {
				t.Fatal("session survived DeleteUserSessions")
			}
		})
	})
}
