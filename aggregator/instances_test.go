package aggregator_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// Two instances (two services, two stores, one PostgreSQL) asked at once
// for a person's Powens user create one: both get the same, and it is the
// one stored. Their in-process locks are separate, as in two processes.
func TestPowensUser_TwoInstancesCreateOne(t *testing.T) {
	key := storetest.Key(t)
	url := storetest.URL(t, store.Postgres)
	open := func() *store.Store {
		s, err := store.Open(ctx, url, store.Options{Secrets: key, Migrate: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	e := newEnv(t, open())
	other := open()
	second := &aggregator.Service{Powens: e.agg.Powens, Store: other, Now: e.clock.Now}
	for i := range 6 {
		u, err := e.store.CreateUser(ctx, fmt.Sprintf("race%d@example.com", i), "")
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, 4)
		var wg sync.WaitGroup
		for j, svc := range []*aggregator.Service{e.agg, second, e.agg, second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pu, err := svc.PowensUser(ctx, u.ID)
				if err != nil {
					t.Errorf("instance %d: %v", j%2, err)
					return
				}
				ids[j] = pu.PowensUserID
			}()
		}
		wg.Wait()
		stored, err := other.FindPowensUser(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for j, id := range ids {
			if id != stored.PowensUserID {
				t.Fatalf("user %d: caller %d got Powens user %d, stored is %d (two Powens users created)", u.ID, j, id, stored.PowensUserID)
			}
		}
	}
}

// Two instances whose reconcile loops see the same due user: one pull.
func TestClaimPull_OneInstancePulls(t *testing.T) {
	key := storetest.Key(t)
	url := storetest.URL(t, store.Postgres)
	var stores []*store.Store
	for range 3 {
		s, err := store.Open(ctx, url, store.Options{Secrets: key, Migrate: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	u := mustLinkedUser(t, stores[0])
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for round := range 3 {
		var mu sync.Mutex
		claimed := 0
		var wg sync.WaitGroup
		for _, s := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.ClaimPull(ctx, u, now, now.Add(15*time.Minute))
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					claimed++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if claimed != 1 {
			t.Fatalf("round %d: %d instances claimed the pull, want 1", round, claimed)
		}
		now = now.Add(15 * time.Minute) // the claim ran out (its instance died): due again
	}
}

// mustLinkedUser creates a user linked to a Powens user, whose pull is due.
func mustLinkedUser(t *testing.T, s *store.Store) int64 {
	t.Helper()
	u, err := s.CreateUser(ctx, "pull@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 77, Token: "tok"}); err != nil {
		t.Fatal(err)
	}
	return u.ID
}
