package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/jobs"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// run starts r until the test ends (or stop is called) and returns stop.
func run(t *testing.T, r *jobs.Runner) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

// waitFinished waits for a job to finish, failing the test after 10 s.
func waitFinished(t *testing.T, r *jobs.Runner, userID int64, id string) *freenahi.Job {
	t.Helper()
	// Wait returns as soon as the job is done; the bound only stops a hang
	// (a loaded machine under -race can take many seconds).
	j, err := r.Wait(context.Background(), userID, id, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !j.Status.Finished() {
		t.Fatalf("job %s still %s after a minute", id, j.Status)
	}
	return j
}

type echoArgs struct {
	Say string `json:"say"`
}

// newRunner polls quickly and leases for long: a subtest about lease expiry
// sets its own. A 600 ms lease lost a running job to a third claim when a
// loaded machine stalled the renewal (ShutdownGivesTheJobBack…, 3 attempts).
func newRunner(s *store.Store) *jobs.Runner {
	return &jobs.Runner{Store: s, Poll: 10 * time.Millisecond, Lease: 30 * time.Second, Grace: 200 * time.Millisecond}
}

func TestRunner(t *testing.T) {
	ctx := context.Background()
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u, err := s.CreateUser(ctx, "ana@example.com", "")
		if err != nil {
			t.Fatal(err)
		}

		t.Run("ResultAndError", func(t *testing.T) {
			r := newRunner(s)
			r.Handle("echo", func(ctx context.Context, j *freenahi.Job) (any, error) {
				var a echoArgs
				if err := jobs.Decode(j, &a); err != nil {
					return nil, err
				}
				switch a.Say {
				case "refuse":
					return nil, freenahi.Errorf(freenahi.ECONFLICT, "Refused for %s.", "you")
				case "crash":
					return nil, errors.New("database on fire")
				case "panic":
					panic("boom")
				}
				return map[string]string{"said": a.Say}, nil
			})
			run(t, r)
			for _, tc := range []struct {
				say        string
				status     freenahi.JobStatus
				result     string
				code, text string
			}{
				{"hello", freenahi.JobDone, `{"said":"hello"}`, "", ""},
				{"refuse", freenahi.JobFailed, "", freenahi.ECONFLICT, "Refused for you."},
				// Causes of internal failures are logged, never kept for the page.
				{"crash", freenahi.JobFailed, "", freenahi.EINTERNAL, "Internal error."},
				{"panic", freenahi.JobFailed, "", freenahi.EINTERNAL, "Internal error."},
			} {
				j, err := r.Start(ctx, u.ID, "echo", echoArgs{Say: tc.say})
				if err != nil {
					t.Fatal(err)
				}
				got := waitFinished(t, r, u.ID, j.ID)
				if got.Status != tc.status || string(got.Result) != tc.result {
					t.Errorf("%s: status %s result %s, want %s %s", tc.say, got.Status, got.Result, tc.status, tc.result)
				}
				if tc.code != "" && (got.Error == nil || got.Error.Code != tc.code || got.Error.Message != tc.text) {
					t.Errorf("%s: error %+v, want %s %q", tc.say, got.Error, tc.code, tc.text)
				}
			}
		})

		t.Run("UnknownKindRefusedAtStart", func(t *testing.T) {
			r := newRunner(s)
			if _, err := r.Start(ctx, u.ID, "nobody-handles-this", nil); err == nil {
				t.Fatal("Start accepted a kind without handler")
			}
		})

		t.Run("Timeout", func(t *testing.T) {
			r := newRunner(s)
			r.Timeout = 300 * time.Millisecond
			r.Handle("slow", func(ctx context.Context, j *freenahi.Job) (any, error) {
				<-ctx.Done() // a bank that never answers
				return nil, ctx.Err()
			})
			run(t, r)
			j, err := r.Start(ctx, u.ID, "slow", nil)
			if err != nil {
				t.Fatal(err)
			}
			got := waitFinished(t, r, u.ID, j.ID)
			if got.Status != freenahi.JobFailed || got.Error == nil || got.Error.Key != jobs.ErrTimeout.Key {
				t.Fatalf("job %+v error %+v, want failed with the timeout message", got, got.Error)
			}
		})

		t.Run("ShutdownGivesTheJobBackAndAnotherInstanceFinishesIt", func(t *testing.T) {
			var runs atomic.Int32
			release := make(chan struct{})
			started := make(chan int, 2)
			handler := func(ctx context.Context, j *freenahi.Job) (any, error) {
				runs.Add(1)
				started <- j.Attempts
				select {
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-release:
					return "finished", nil
				}
			}
			first, second := newRunner(s), newRunner(s)
			first.Handle("bank", handler)
			second.Handle("bank", handler)
			stopFirst := run(t, first)
			j, err := first.Start(ctx, u.ID, "bank", nil)
			if err != nil {
				t.Fatal(err)
			}
			if a := <-started; a != 1 {
				t.Fatalf("first run at attempt %d, want 1", a)
			}
			stopFirst() // the instance restarts while the bank is thinking
			got, err := second.Find(ctx, u.ID, j.ID)
			if err != nil || got.Status != freenahi.JobQueued {
				t.Fatalf("after shutdown: %+v, %v; want the job queued again", got, err)
			}
			run(t, second)
			if a := <-started; a != 2 {
				t.Fatalf("second run at attempt %d, want 2", a)
			}
			close(release)
			got = waitFinished(t, second, u.ID, j.ID)
			if got.Status != freenahi.JobDone || string(got.Result) != `"finished"` || runs.Load() != 2 {
				t.Fatalf("job %+v after %d runs; want done by the second instance", got, runs.Load())
			}
		})

		t.Run("CrashedInstanceIsTakenOverAfterItsLease", func(t *testing.T) {
			r := newRunner(s)
			// Long enough that the taking runner's first renewal, delayed by
			// a loaded machine under -race, lands before its own claim runs
			// out (at 600 ms a starved process lost it to a third attempt).
			r.Lease = 3 * time.Second
			r.Handle("bank", func(ctx context.Context, j *freenahi.Job) (any, error) { return j.Attempts, nil })
			j, err := r.Start(ctx, u.ID, "bank", nil)
			if err != nil {
				t.Fatal(err)
			}
			// A runner claims it and dies at once (kill -9): no release, no finish.
			if c, err := s.ClaimJob(ctx, r.Lease); err != nil || c.ID != j.ID {
				t.Fatalf("claim=%+v, %v", c, err)
			}
			start := time.Now()
			run(t, r)
			got := waitFinished(t, r, u.ID, j.ID)
			if got.Status != freenahi.JobDone || string(got.Result) != "2" {
				t.Fatalf("job %+v result %s; want done at attempt 2", got, got.Result)
			}
			if took := time.Since(start); took < r.Lease/2 {
				t.Fatalf("taken over after %v, before the dead runner's lease (%v) ran out", took, r.Lease)
			}
		})

		t.Run("LongJobKeepsItsLease", func(t *testing.T) {
			var runs atomic.Int32
			// A lease long enough that a renewal (every third of it) delayed
			// by a loaded machine under -race still lands before it expires;
			// the job outlives two and a half leases, so only renewals can
			// keep the other runner out.
			r, other := newRunner(s), newRunner(s)
			r.Lease, other.Lease = 2*time.Second, 2*time.Second
			h := func(ctx context.Context, j *freenahi.Job) (any, error) {
				runs.Add(1)
				select {
				case <-time.After(5 * r.Lease / 2):
				case <-ctx.Done():
				}
				return "ok", nil
			}
			r.Handle("long", h)
			other.Handle("long", h)
			run(t, r)
			j, err := r.Start(ctx, u.ID, "long", nil)
			if err != nil {
				t.Fatal(err)
			}
			run(t, other)
			got := waitFinished(t, r, u.ID, j.ID)
			if got.Status != freenahi.JobDone || runs.Load() != 1 {
				t.Fatalf("job %+v ran %d times; want once", got, runs.Load())
			}
		})

		t.Run("WaitReturnsEarlyWhenFinished", func(t *testing.T) {
			r := newRunner(s)
			r.Handle("fast", func(ctx context.Context, j *freenahi.Job) (any, error) { return json.RawMessage(`1`), nil })
			run(t, r)
			j, err := r.Start(ctx, u.ID, "fast", nil)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			got, err := r.Wait(ctx, u.ID, j.ID, time.Minute)
			if err != nil || got.Status != freenahi.JobDone {
				t.Fatalf("Wait=%+v, %v", got, err)
			}
			if time.Since(start) > 30*time.Second {
				t.Fatal("Wait waited for its whole limit instead of the job")
			}
		})
	})
}
