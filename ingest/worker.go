package ingest

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/internal/lease"
)

// Observer is told what the worker does, for metrics.
type Observer interface {
	EventProcessed(event string, lag time.Duration, took time.Duration)
	EventFailed(event string, final bool)
}

// Worker processes inbox events in the background: several at once, but one at
// a time per Powens user (the inbox's claim guarantees it), each in its own
// database transaction. An event that fails is retried with backoff, then
// marked failed and kept for `freenahi webhooks replay`.
type Worker struct {
	Inbox    freenahi.InboxService
	Logger   *slog.Logger
	Observer Observer

	// Concurrency is the number of events processed at once (default 2).
	Concurrency int
	// PollInterval bounds the wait for events queued by another instance (default 1 s).
	PollInterval time.Duration
	// Lease is how long a claimed event stays reserved (default 15 s); the
	// worker renews it every Lease/3 while it works, so an event outlives
	// its lease only when its worker died, and another worker then takes it
	// over within Lease (issue 10, item 11: recovery after kill -9 in ≤ 30 s).
	Lease time.Duration
	// Retention says what is pruned from the inbox every PruneEvery
	// (default 1 h); zero durations keep everything.
	Retention  freenahi.InboxRetention
	PruneEvery time.Duration
	// MaxAttempts before an event is marked failed (default 8).
	MaxAttempts int
	// Backoff returns the delay before retry n (1-based); default exponential
	// from 5 s, capped at 30 min, with jitter.
	Backoff func(attempt int) time.Duration
	// EventTimeout bounds one event's processing (default 10 min).
	EventTimeout time.Duration
	// Now is the worker's clock (default time.Now).
	Now func() time.Time
	// Transfers, when set, pairs the person's transfers between their own
	// accounts after their events: a follow-up step, outside the event's
	// transaction, so the ingest write path does not pay for it and a
	// detection failure never fails the event. Pairs a person confirmed or
	// undid are left as they are (the detector skips edited transactions).
	// Under Run it runs in a goroutine of its own, once for a burst of
	// events of one person; Drain and ProcessNext alone run it after each
	// event.
	Transfers freenahi.TransferDetector

	wakeOnce sync.Once
	wake     chan struct{}

	// detectMu guards detectUsers, the people whose transfers the
	// background detector still has to pair; detectWake signals it, and
	// detecting says Run started it.
	detectMu    sync.Mutex
	detectUsers map[int64]bool
	detectWake  chan struct{}
	detecting   bool
}

func (w *Worker) init() {
	w.wakeOnce.Do(func() {
		w.wake = make(chan struct{}, 1)
		w.detectWake = make(chan struct{}, 1)
		w.detectUsers = map[int64]bool{}
		if w.Logger == nil {
			w.Logger = slog.New(slog.DiscardHandler)
		}
		if w.Concurrency <= 0 {
			w.Concurrency = 2
		}
		if w.PollInterval <= 0 {
			w.PollInterval = time.Second
		}
		if w.Lease <= 0 {
			w.Lease = DefaultLease
		}
		if w.PruneEvery <= 0 {
			w.PruneEvery = time.Hour
		}
		if w.MaxAttempts <= 0 {
			w.MaxAttempts = 8
		}
		if w.Backoff == nil {
			w.Backoff = DefaultBackoff
		}
		if w.EventTimeout <= 0 {
			w.EventTimeout = 10 * time.Minute
		}
		if w.Now == nil {
			w.Now = time.Now
		}
	})
}

// DefaultLease is the default lease of a claimed event.
const DefaultLease = 15 * time.Second

// idleClaimSpacing is the least time between two claims of an idle goroutine.
const idleClaimSpacing = 20 * time.Millisecond

// DefaultBackoff is 5 s × 2^(attempt-1), capped at 30 minutes, ±20 % jitter.
func DefaultBackoff(attempt int) time.Duration {
	d := 5 * time.Second << min(attempt-1, 10)
	d = min(d, 30*time.Minute)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// Wake tells the worker an event was just stored, so it need not wait for the poll.
func (w *Worker) Wake() {
	w.init()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run processes events until ctx is cancelled. Cancellation stops claiming new
// events; events in progress are finished (within EventTimeout) before Run returns.
func (w *Worker) Run(ctx context.Context) {
	w.init()
	var wg sync.WaitGroup
	if w.Retention != (freenahi.InboxRetention{}) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.pruneLoop(ctx)
		}()
	}
	if w.Transfers != nil {
		w.detectMu.Lock()
		w.detecting = true
		w.detectMu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.detectLoop(ctx)
		}()
	}
	for range w.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(ctx)
		}()
	}
	wg.Wait()
}

func (w *Worker) loop(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		worked, err := w.ProcessNext(ctx)
		if err != nil && ctx.Err() == nil {
			w.Logger.Error("inbox claim failed", slog.Any("error", err))
		}
		if ctx.Err() != nil {
			return
		}
		if worked {
			continue
		}
		timer.Reset(w.PollInterval)
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
			// Another goroutine may have more to do as well: pass the wake on.
			w.Wake()
			// A claim that found nothing walks the whole queue (for example
			// a long backlog of one user, which only one goroutine may
			// process): wake-ups arrive with every webhook, so space the next
			// attempt instead of scanning the queue at that rate.
			select {
			case <-ctx.Done():
				return
			case <-time.After(idleClaimSpacing):
			}
		case <-timer.C:
		}
	}
}

// ProcessNext claims and processes one event; it reports whether there was one.
func (w *Worker) ProcessNext(ctx context.Context) (bool, error) {
	w.init()
	// Real time, not w.Now: the lease runs out in real time.
	claimed := time.Now()
	e, err := w.Inbox.ClaimEvent(ctx, w.Lease)
	if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
		return false, nil // nothing is ready
	} else if err != nil {
		return false, err
	}
	if e.BodyFile != nil {
		defer e.BodyFile.Close()
	}
	// Finish the event even if ctx is cancelled meanwhile (graceful shutdown).
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.EventTimeout)
	defer cancel()
	// The lease runs from the claim, which read the body: on a loaded
	// machine that can take most of the lease, so renewals count from the
	// claim (the first comes at once if a third of the lease is gone). Had
	// another worker taken the event meanwhile, the fenced commit below
	// would refuse, and the attempt is dropped.
	stopRenewing := w.keepLease(pctx, e, claimed)
	defer stopRenewing()
	if !freenahi.Processed(e.Event) {
		why := "freenahi stores nothing of a " + strings.ToUpper(e.Event) + " event; it is kept, and can be replayed"
		err := w.Inbox.IgnoreEvent(pctx, e, why)
		stopRenewing()
		if freenahi.ErrorCode(err) == freenahi.ECONFLICT {
			// Fenced like FailEvent: another worker holds the event now.
			w.Logger.Warn("event taken over by another worker; this attempt is dropped", slog.Int64("event_id", e.ID), slog.Any("error", err))
			return true, nil
		} else if err != nil {
			return true, err
		}
		w.Logger.Info("event ignored", slog.Int64("event_id", e.ID), slog.String("event", e.Event))
		return true, nil
	}
	start := w.Now()
	err = w.Inbox.ProcessEvent(pctx, e, func(ctx context.Context, sw freenahi.SyncWriter) error {
		return Apply(ctx, sw, e)
	})
	stopRenewing()
	log := w.Logger.With(slog.Int64("event_id", e.ID), slog.String("event", e.Event), slog.Int("attempt", e.Attempts))
	if err == nil {
		took := w.Now().Sub(start)
		if w.Observer != nil {
			w.Observer.EventProcessed(e.Event, w.Now().Sub(e.ReceivedAt), took)
		}
		w.detectTransfers(pctx, e, log)
		log.Info("event processed", slog.Duration("took", took), slog.Int64("bytes", e.BodySize))
		return true, nil
	}
	// Payload errors will not heal by waiting: fail at once, keep for replay.
	final := freenahi.ErrorCode(err) == freenahi.EINVALID || e.Attempts >= w.MaxAttempts
	var next *time.Time
	if !final {
		t := w.Now().Add(w.Backoff(e.Attempts))
		next = &t
	}
	cause := err.Error()
	var fe *freenahi.Error
	if errors.As(err, &fe) {
		cause = fe.Message
	}
	// FailEvent is fenced by this claim: when the lease was lost, another
	// worker holds the event now and this attempt's failure is not recorded.
	if ferr := w.Inbox.FailEvent(pctx, e, cause, next); freenahi.ErrorCode(ferr) == freenahi.ECONFLICT {
		log.Warn("event taken over by another worker; this attempt is dropped", slog.Any("error", err))
		return true, nil
	} else if ferr != nil {
		log.Error("recording event failure failed", slog.Any("error", ferr))
	}
	if w.Observer != nil {
		w.Observer.EventFailed(e.Event, final)
	}
	if final {
		log.Error("event failed; kept for `freenahi webhooks replay`", slog.Any("error", err))
	} else {
		log.Warn("event failed; will retry", slog.Any("error", err), slog.Time("next_attempt", *next))
	}
	return true, nil
}

// detectTransfers runs the follow-up transfer detection for e's person:
// queued for the background detector under Run, at once otherwise. The
// event is processed whatever happens here; a failure is logged and the
// next event of the person runs the detection again.
func (w *Worker) detectTransfers(ctx context.Context, e *freenahi.InboxEvent, log *slog.Logger) {
	if w.Transfers == nil || e.UserID == nil {
		return
	}
	w.detectMu.Lock()
	queued := w.detecting
	if queued {
		w.detectUsers[*e.UserID] = true
	}
	w.detectMu.Unlock()
	if queued {
		select {
		case w.detectWake <- struct{}{}:
		default:
		}
		return
	}
	w.detect(ctx, *e.UserID, log)
}

func (w *Worker) detect(ctx context.Context, userID int64, log *slog.Logger) {
	n, err := w.Transfers.DetectTransfers(ctx, userID)
	if err != nil {
		if ctx.Err() == nil {
			log.Warn("transfer detection failed", slog.Int64("user_id", userID), slog.Any("error", err))
		}
		return
	}
	if n > 0 {
		log.Info("transfers paired", slog.Int64("user_id", userID), slog.Int("pairs", n))
	}
}

// detectSettle is how long the background detector waits for events to
// stop arriving; detectSettleMax bounds that wait.
const (
	detectSettle    = 2 * time.Second
	detectSettleMax = 30 * time.Second
)

// detectLoop pairs the transfers of the people whose events were
// processed, each once for all the events that came meanwhile, until ctx
// is cancelled; people still queued then are paired after their next event.
func (w *Worker) detectLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.detectWake:
		}
		// Let a burst of events settle first (at most detectSettleMax), so
		// that one detection serves them all and events go first.
		settle, deadline := time.NewTimer(detectSettle), time.NewTimer(detectSettleMax)
	wait:
		for {
			select {
			case <-ctx.Done():
				settle.Stop()
				deadline.Stop()
				return
			case <-w.detectWake:
				settle.Reset(detectSettle)
			case <-settle.C:
				break wait
			case <-deadline.C:
				break wait
			}
		}
		settle.Stop()
		deadline.Stop()
		w.detectMu.Lock()
		users := w.detectUsers
		w.detectUsers = map[int64]bool{}
		w.detectMu.Unlock()
		for id := range users {
			if ctx.Err() != nil {
				return
			}
			w.detect(ctx, id, w.Logger)
		}
	}
}

// Drain processes events until none is ready, for tests and one-shot commands.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	n := 0
	for {
		worked, err := w.ProcessNext(ctx)
		if err != nil || !worked {
			return n, err
		}
		n++
	}
}

// keepLease renews e's lease, claimed at claimed, every Lease/3 until the
// returned stop is called (calling it again is harmless). A renewal that
// fails is logged and retried at the next tick; if the lease was lost
// meanwhile, ProcessEvent's own check refuses to commit.
func (w *Worker) keepLease(ctx context.Context, e *freenahi.InboxEvent, claimed time.Time) (stop func()) {
	return lease.KeepFrom(ctx, claimed, w.Lease, func(ctx context.Context) bool {
		err := w.Inbox.RenewEventLease(ctx, e, w.Lease)
		if err != nil && ctx.Err() == nil {
			w.Logger.Warn("event lease not renewed", slog.Int64("event_id", e.ID), slog.Any("error", err))
		}
		return freenahi.ErrorCode(err) != freenahi.ECONFLICT // another worker holds it now
	})
}

// pruneLoop applies the retention now, then every PruneEvery.
func (w *Worker) pruneLoop(ctx context.Context) {
	for {
		bodies, unmatched, err := w.Inbox.PruneInbox(ctx, w.Retention)
		switch {
		case err != nil && ctx.Err() == nil:
			w.Logger.Warn("inbox retention failed", slog.Any("error", err))
		case bodies > 0 || unmatched > 0:
			w.Logger.Info("inbox retention", slog.Int64("bodies_removed", bodies), slog.Int64("unmatched_removed", unmatched))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(w.PruneEvery):
		}
	}
}
