package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

func TestStore_ChangePassword(t *testing.T) {
	ctx := context.Background()
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ana, _ := s.CreateUser(ctx, "ana@example.com", "old-hash")
		bob, _ := s.CreateUser(ctx, "bob@example.com", "bob-hash")
		here, _ := s.CreateSession(ctx, ana.ID, time.Hour, time.Hour)
		stolen, _ := s.CreateSession(ctx, ana.ID, time.Hour, time.Hour)
		bobs, _ := s.CreateSession(ctx, bob.ID, time.Hour, time.Hour)
		if err := s.ChangePassword(ctx, ana.ID, "new-hash", here); err != nil {
			t.Fatal(err)
		}
		if h, _ := s.UserPasswordHash(ctx, ana.ID); h != "new-hash" {
			t.Fatalf("hash %q", h)
		}
		if h, _ := s.UserPasswordHash(ctx, bob.ID); h != "bob-hash" {
			t.Fatalf("another user's hash changed: %q", h)
		}
		if _, _, err := s.FindSession(ctx, here); err != nil {
			t.Fatalf("the session that made the change ended: %v", err)
		}
		if _, _, err := s.FindSession(ctx, stolen); err == nil {
			t.Fatal("another session of the user survived the change")
		}
		if _, _, err := s.FindSession(ctx, bobs); err != nil {
			t.Fatalf("another user's session ended: %v", err)
		}
		// From the command line, every session ends.
		if err := s.ChangePassword(ctx, ana.ID, "cli-hash", ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.FindSession(ctx, here); err == nil {
			t.Fatal("a session survived a reset from the command line")
		}
		if err := s.ChangePassword(ctx, 9999, "x", ""); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			t.Fatalf("unknown user: %v", err)
		}
	})
}
