// Package jobs runs a person's background operations (posting credentials to
// a bank, waiting for a decoupled validation, an Inqom push) from the jobs
// table: any instance may claim a job, a short lease renewed while it runs
// lets another instance take over within seconds after a crash, and the
// progress page reads the job's status from the database, so it survives a
// restart and is served by any instance. Services register a handler per
// kind of job; the web layer starts jobs and reads their outcome.
package jobs

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/internal/lease"
)

// Handler runs one job. It returns the job's result, stored as JSON, or an
// error: a domain error is shown to the person, anything else is logged and
// shown as an internal error. ctx ends at the job's deadline or at shutdown.
type Handler func(ctx context.Context, j *freenahi.Job) (result any, err error)

// Defaults of a Runner.
const (
	DefaultWorkers      = 4
	DefaultLease        = 20 * time.Second
	DefaultPoll         = time.Second
	DefaultTimeout      = 6 * time.Minute
	DefaultMaxPerUser   = 4
	DefaultKeepFinished = 24 * time.Hour
	DefaultGrace        = 5 * time.Second
)

// Runner starts, runs and reports jobs. Set its fields, register handlers
// with Handle, then call Run; Start and Wait may be used before Run.
type Runner struct {
	Store  freenahi.JobService
	Logger *slog.Logger
	// Workers bounds the jobs run at once by this instance.
	Workers int
	// Lease is how long a claim holds without renewal; it is renewed every
	// third of it, so a crashed instance's jobs are taken over within Lease.
	Lease time.Duration
	// Poll is how often idle workers look for jobs started elsewhere.
	Poll time.Duration
	// Timeout bounds a job from its creation; past it, the job fails.
	Timeout time.Duration
	// MaxPerUser bounds a person's unfinished jobs.
	MaxPerUser int
	// KeepFinished is how long a finished job stays readable.
	KeepFinished time.Duration
	// Grace is how long Run waits for running jobs at shutdown before
	// cancelling them and giving them back to the queue.
	Grace time.Duration
	Now   func() time.Time

	mu       sync.Mutex
	handlers map[string]Handler
	wake     chan struct{}
	finished chan struct{} // closed and replaced whenever a job of this instance ends
}

// ErrTimeout is the error of a job that outlived its deadline.
var ErrTimeout = freenahi.Errorf(freenahi.EUNAVAILABLE, "The operation did not finish in time. Nothing is lost: check the state of the connection, or try again later.")

// Handle registers the handler of a kind of job.
func (r *Runner) Handle(kind string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.handlers == nil {
		r.handlers = map[string]Handler{}
	}
	r.handlers[kind] = h
}

func (r *Runner) handler(kind string) Handler {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.handlers[kind]
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// signals returns the wake-up channel of idle workers and the channel that
// closes when a job of this instance ends, created on first use.
func (r *Runner) signals() (wake chan struct{}, finished chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.wake == nil {
		r.wake = make(chan struct{}, 1)
		r.finished = make(chan struct{})
	}
	return r.wake, r.finished
}

func (r *Runner) announceFinished() {
	r.signals()
	r.mu.Lock()
	close(r.finished)
	r.finished = make(chan struct{})
	r.mu.Unlock()
}

// Start queues a job of the user with args as its payload (JSON, sealed at
// rest by the store) and wakes a worker. ECONFLICT when the user has
// MaxPerUser unfinished jobs; EINVALID for a kind nobody handles.
func (r *Runner) Start(ctx context.Context, userID int64, kind string, args any) (*freenahi.Job, error) {
	if r.handler(kind) == nil {
		return nil, fmt.Errorf("start job: no handler for kind %q", kind)
	}
	payload, err := json.Marshal(args)
	if err != nil {
		return nil, fmt.Errorf("start job %s: %w", kind, err)
	}
	j := &freenahi.Job{UserID: userID, Kind: kind, Payload: payload, Deadline: r.now().Add(cmp.Or(r.Timeout, DefaultTimeout))}
	if err := r.Store.CreateJob(ctx, j, cmp.Or(r.MaxPerUser, DefaultMaxPerUser)); err != nil {
		return nil, err
	}
	wake, _ := r.signals()
	select {
	case wake <- struct{}{}:
	default:
	}
	return j, nil
}

// Find returns one of the user's jobs; ENOTFOUND for another person's, an
// unknown or a forgotten one.
func (r *Runner) Find(ctx context.Context, userID int64, id string) (*freenahi.Job, error) {
	return r.Store.FindJob(ctx, userID, id)
}

// Wait returns the job once finished, or as it stands after max, whichever
// comes first, so that fast operations skip the progress page.
func (r *Runner) Wait(ctx context.Context, userID int64, id string, max time.Duration) (*freenahi.Job, error) {
	timer := time.NewTimer(max)
	defer timer.Stop()
	for {
		// Take the signal before reading, so an end between the two is not missed.
		_, finished := r.signals()
		j, err := r.Store.FindJob(ctx, userID, id)
		if err != nil || j.Status.Finished() {
			return j, err
		}
		// A job run by another instance ends without a signal here: poll too.
		select {
		case <-finished:
		case <-time.After(cmp.Or(r.Poll, DefaultPoll) / 4):
		case <-timer.C:
			return r.Store.FindJob(ctx, userID, id)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Run works jobs until ctx ends, then waits up to Grace for the running
// ones, cancels what is left and gives it back to the queue, and returns.
func (r *Runner) Run(ctx context.Context) {
	workers := cmp.Or(r.Workers, DefaultWorkers)
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work(ctx, jobCtx)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		r.forget(ctx)
	}()
	<-ctx.Done()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(cmp.Or(r.Grace, DefaultGrace)):
		cancelJobs()
		<-done
	}
}

// work claims and runs jobs until ctx ends.
func (r *Runner) work(ctx, jobCtx context.Context) {
	wake, _ := r.signals()
	poll := time.NewTicker(cmp.Or(r.Poll, DefaultPoll))
	defer poll.Stop()
	for ctx.Err() == nil {
		j, err := r.Store.ClaimJob(ctx, cmp.Or(r.Lease, DefaultLease))
		switch {
		case err == nil:
			r.run(jobCtx, j)
			continue
		case freenahi.ErrorCode(err) != freenahi.ENOTFOUND && ctx.Err() == nil:
			r.logger().Error("claim job", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
		case <-wake:
		case <-poll.C:
		}
	}
}

// run runs one claimed job under its deadline, renewing its lease, and
// records how it ended. A job cancelled by shutdown goes back to the queue.
func (r *Runner) run(ctx context.Context, j *freenahi.Job) {
	log := r.logger().With(slog.String("job", j.ID), slog.String("kind", j.Kind), slog.Int64("user_id", j.UserID))
	defer r.announceFinished()
	if !r.now().Before(j.Deadline) {
		r.finish(ctx, log, j, nil, ErrTimeout)
		return
	}
	h := r.handler(j.Kind)
	if h == nil {
		r.finish(ctx, log, j, nil, freenahi.Errorf(freenahi.EINTERNAL, "This operation is not known to this version of freenahi."))
		return
	}
	runCtx, cancel := context.WithDeadline(ctx, j.Deadline)
	defer cancel()
	lost := make(chan struct{})
	stopRenew := r.renew(runCtx, log, j, lost, cancel)
	result, err := r.call(runCtx, log, h, j)
	stopRenew()
	select {
	case <-lost:
		log.Warn("job lease lost; another runner has it")
		return
	default:
	}
	switch {
	case ctx.Err() != nil: // shutdown: give it back
		if rerr := r.Store.ReleaseJob(context.WithoutCancel(ctx), j); rerr != nil {
			log.Warn("release job", slog.Any("error", rerr))
		}
		return
	case err != nil && runCtx.Err() == context.DeadlineExceeded:
		err = ErrTimeout
	}
	r.finish(ctx, log, j, result, err)
}

// call runs the handler, turning a panic into an internal error.
func (r *Runner) call(ctx context.Context, log *slog.Logger, h Handler, j *freenahi.Job) (result any, err error) {
	defer func() {
		if v := recover(); v != nil {
			log.Error("job panicked", slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
			result, err = nil, fmt.Errorf("job panicked: %v", v)
		}
	}()
	return h(ctx, j)
}

// renew extends the lease every third of it while the job runs; when the
// lease is lost, it closes lost and cancels the job.
func (r *Runner) renew(ctx context.Context, log *slog.Logger, j *freenahi.Job, lost chan struct{}, cancel context.CancelFunc) (stop func()) {
	d := cmp.Or(r.Lease, DefaultLease)
	return lease.Keep(ctx, d, func(ctx context.Context) bool {
		err := r.Store.RenewJob(ctx, j, d)
		if freenahi.ErrorCode(err) == freenahi.ECONFLICT {
			close(lost)
			cancel()
			return false
		} else if err != nil && ctx.Err() == nil {
			log.Warn("renew job lease", slog.Any("error", err))
		}
		return true
	})
}

// finish records the job's outcome.
func (r *Runner) finish(ctx context.Context, log *slog.Logger, j *freenahi.Job, result any, err error) {
	if err != nil {
		j.Status = freenahi.JobFailed
		var de *freenahi.Error
		if errors.As(err, &de) && de.Code != freenahi.EINTERNAL {
			j.Error = de
		} else {
			log.Error("job failed", slog.Any("error", err))
			j.Error = &freenahi.Error{Code: freenahi.EINTERNAL, Message: "Internal error."}
		}
	} else {
		j.Status = freenahi.JobDone
		b, merr := json.Marshal(result)
		if merr != nil {
			log.Error("job result", slog.Any("error", merr))
			j.Status, j.Error = freenahi.JobFailed, &freenahi.Error{Code: freenahi.EINTERNAL, Message: "Internal error."}
		}
		j.Result = b
	}
	if ferr := r.Store.FinishJob(context.WithoutCancel(ctx), j); ferr != nil {
		log.Error("record job outcome", slog.Any("error", ferr))
	}
}

// forget deletes finished jobs older than KeepFinished, hourly.
func (r *Runner) forget(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if _, err := r.Store.ForgetJobs(ctx, r.now().Add(-cmp.Or(r.KeepFinished, DefaultKeepFinished))); err != nil && ctx.Err() == nil {
			r.logger().Warn("forget finished jobs", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Decode reads a job's payload into args.
func Decode(j *freenahi.Job, args any) error {
	if err := json.Unmarshal(j.Payload, args); err != nil {
		return fmt.Errorf("job %s payload: %w", j.ID, err)
	}
	return nil
}
