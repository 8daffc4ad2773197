package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/google/go-cmp/cmp"
)

func TestStore_Jobs(t *testing.T) {
	ctx := context.Background()
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		s.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		ana, err := s.CreateUser(ctx, "ana@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		bob, err := s.CreateUser(ctx, "bob@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		newJob := func(t *testing.T, userID int64, payload string) *freenahi.Job {
			t.Helper()
			j := &freenahi.Job{UserID: userID, Kind: "test", Payload: []byte(payload), Deadline: now.Add(time.Hour)}
			if err := s.CreateJob(ctx, j, 3); err != nil {
				t.Fatal(err)
			}
			return j
		}

		t.Run("CreateFindAndScope", func(t *testing.T) {
			j := newJob(t, ana.ID, `{"secret":"jwe…"}`)
			if j.ID == "" || len(j.ID) < 20 || j.Status != freenahi.JobQueued {
				t.Fatalf("created job %+v: want a long random id, queued", j)
			}
			got, err := s.FindJob(ctx, ana.ID, j.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(got.Payload), `{"secret":"jwe…"}`); diff != "" {
				t.Fatalf("payload (-got +want):\n%s", diff)
			}
			if _, err := s.FindJob(ctx, bob.ID, j.ID); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
				t.Fatalf("another user's job: err=%v, want not_found", err)
			}
			drain(t, s)
		})

		t.Run("PayloadSealedAtRest", func(t *testing.T) {
			j := newJob(t, ana.ID, "credentials-in-clear")
			var raw []byte
			if err := s.DB().QueryRowContext(ctx, `SELECT payload_sealed FROM jobs WHERE id = $1`, j.ID).Scan(&raw); err != nil {
				t.Fatal(err)
			}
			if string(raw) == "credentials-in-clear" || len(raw) == 0 {
				t.Fatalf("payload stored as %q: want it sealed", raw)
			}
			drain(t, s)
		})

		t.Run("PerUserLimit", func(t *testing.T) {
			for range 3 {
				newJob(t, ana.ID, "x")
			}
			err := s.CreateJob(ctx, &freenahi.Job{UserID: ana.ID, Kind: "test", Deadline: now}, 3)
			if freenahi.ErrorCode(err) != freenahi.ECONFLICT {
				t.Fatalf("fourth job: err=%v, want conflict", err)
			}
			newJob(t, bob.ID, "bob's own limit") // another user is not affected
			drain(t, s)
		})

		t.Run("ClaimOrderLeaseAndFencing", func(t *testing.T) {
			first := newJob(t, ana.ID, "1")
			advance(time.Second)
			second := newJob(t, bob.ID, "2")
			c1, err := s.ClaimJob(ctx, 30*time.Second)
			if err != nil || c1.ID != first.ID || c1.Attempts != 1 || c1.Status != freenahi.JobRunning {
				t.Fatalf("first claim=%+v, %v; want job %s, attempt 1, running", c1, err, first.ID)
			}
			c2, err := s.ClaimJob(ctx, 30*time.Second)
			if err != nil || c2.ID != second.ID {
				t.Fatalf("second claim=%+v, %v; want job %s", c2, err, second.ID)
			}
			if _, err := s.ClaimJob(ctx, 30*time.Second); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
				t.Fatalf("third claim: err=%v, want not_found (both leased)", err)
			}
			// c1's runner renews; c2's runner dies and its lease runs out.
			advance(20 * time.Second)
			if err := s.RenewJob(ctx, c1, 30*time.Second); err != nil {
				t.Fatal(err)
			}
			advance(15 * time.Second)
			taken, err := s.ClaimJob(ctx, 30*time.Second)
			if err != nil || taken.ID != second.ID || taken.Attempts != 2 {
				t.Fatalf("claim after expiry=%+v, %v; want job %s at attempt 2", taken, err, second.ID)
			}
			// The dead runner comes back: it holds attempt 1 and is fenced off.
			c2.Status, c2.Result = freenahi.JobDone, []byte(`{"late":true}`)
			if err := s.FinishJob(ctx, c2); freenahi.ErrorCode(err) != freenahi.ECONFLICT {
				t.Fatalf("stale finish: err=%v, want conflict", err)
			}
			if err := s.RenewJob(ctx, c2, time.Minute); freenahi.ErrorCode(err) != freenahi.ECONFLICT {
				t.Fatalf("stale renew: err=%v, want conflict", err)
			}
			taken.Status, taken.Result = freenahi.JobDone, []byte(`{"step":"state"}`)
			if err := s.FinishJob(ctx, taken); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindJob(ctx, bob.ID, second.ID)
			if err != nil || got.Status != freenahi.JobDone || string(got.Result) != `{"step":"state"}` || got.FinishedAt == nil {
				t.Fatalf("finished job=%+v, %v", got, err)
			}
			c1.Status = freenahi.JobFailed
			c1.Error = freenahi.Errorf(freenahi.EUNAVAILABLE, "The bank %s did not answer within %d minutes.", "Caisse", 6)
			if err := s.FinishJob(ctx, c1); err != nil {
				t.Fatal(err)
			}
			got, err = s.FindJob(ctx, ana.ID, first.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := &freenahi.Error{Code: freenahi.EUNAVAILABLE, Message: "The bank Caisse did not answer within 6 minutes.",
				Key: "The bank %s did not answer within %d minutes.", Args: []any{"Caisse", int64(6)}}
			if diff := cmp.Diff(got.Error, want); diff != "" {
				t.Fatalf("kept error (-got +want):\n%s", diff)
			}
		})

		t.Run("ReleaseThenClaimAgain", func(t *testing.T) {
			j := newJob(t, ana.ID, "r")
			c, err := s.ClaimJob(ctx, time.Minute)
			if err != nil || c.ID != j.ID {
				t.Fatalf("claim=%+v, %v", c, err)
			}
			if err := s.ReleaseJob(ctx, c); err != nil {
				t.Fatal(err)
			}
			again, err := s.ClaimJob(ctx, time.Minute)
			if err != nil || again.ID != j.ID || again.Attempts != 2 {
				t.Fatalf("claim after release=%+v, %v; want the same job at attempt 2", again, err)
			}
			drain(t, s)
		})

		t.Run("ForgetFinished", func(t *testing.T) {
			advance(48 * time.Hour)
			n, err := s.ForgetJobs(ctx, now.Add(-24*time.Hour))
			if err != nil || n == 0 {
				t.Fatalf("ForgetJobs=%d, %v; want the finished jobs of the earlier subtests", n, err)
			}
			fresh := newJob(t, ana.ID, "f")
			drain(t, s)
			if n, err := s.ForgetJobs(ctx, now.Add(-24*time.Hour)); err != nil || n != 0 {
				t.Fatalf("ForgetJobs of a fresh job=%d, %v; want 0", n, err)
			}
			if _, err := s.FindJob(ctx, ana.ID, fresh.ID); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("ConcurrentClaimsNeverShareAJob", func(t *testing.T) {
			for i := range 3 {
				newJob(t, ana.ID, "c")
				newJob(t, bob.ID, "c"+string(rune('0'+i)))
			}
			var wg sync.WaitGroup
			seen := make(chan string, 16)
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if j, err := s.ClaimJob(ctx, time.Minute); err == nil {
						seen <- j.ID
					} else if freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			close(seen)
			ids := map[string]bool{}
			for id := range seen {
				if ids[id] {
					t.Fatalf("job %s claimed twice", id)
				}
				ids[id] = true
			}
			if len(ids) != 6 {
				t.Fatalf("%d jobs claimed, want 6", len(ids))
			}
		})
	})
}

// drain finishes every waiting job, so a subtest starts from an empty queue.
func drain(t *testing.T, s *store.Store) {
	t.Helper()
	for {
		j, err := s.ClaimJob(context.Background(), time.Minute)
		if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
			return
		} else if err != nil {
			t.Fatal(err)
		}
		j.Status = freenahi.JobDone
		if err := s.FinishJob(context.Background(), j); err != nil {
			t.Fatal(err)
		}
	}
}
