package export

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/inqom"
	"github.com/freenahi/freenahi/internal/lease"
)

// Ledger is the store's side of the Inqom export.
type Ledger interface {
	FindAccountByID(ctx context.Context, userID, id int64) (*freenahi.Account, error)
	FindConnectionByID(ctx context.Context, userID, id int64) (*freenahi.Connection, error)
	FindInqomMappings(ctx context.Context, userID int64) ([]*freenahi.InqomMapping, error)
	FindInqomMappingByID(ctx context.Context, userID, id int64) (*freenahi.InqomMapping, error)
	FindInqomMappingStatus(ctx context.Context, userID, id int64) (*freenahi.InqomMappingStatus, error)
	CreateInqomMapping(ctx context.Context, m *freenahi.InqomMapping) (created bool, err error)
	UnlinkInqomMapping(ctx context.Context, userID, id int64) (*freenahi.InqomMapping, error)
	RecordInqomRegistration(ctx context.Context, mappingID int64, inqomAccountID string, regErr *freenahi.Error) error
	RecordInqomError(ctx context.Context, mappingID int64, e *freenahi.Error) error
	ClaimInqomMapping(ctx context.Context, mappingID int64, owner string, lease time.Duration) (bool, error)
	RenewInqomMapping(ctx context.Context, mappingID int64, owner string, lease time.Duration) (bool, error)
	ReleaseInqomMapping(ctx context.Context, mappingID int64, owner string, stopping bool) (again bool, err error)
	FreezeExportBatch(ctx context.Context, mappingID int64, owner string, limit int, scan *freenahi.Cursor,
		build func(*freenahi.BatchInput) (string, []byte, error)) (*freenahi.ExportBatch, error)
	FindOpenExportBatch(ctx context.Context, mappingID int64) (*freenahi.ExportBatch, error)
	StartExportAttempt(ctx context.Context, batchID int64, owner string) (freenahi.BatchStatus, bool, error)
	RecordExportOutcome(ctx context.Context, batchID int64, o freenahi.BatchOutcome) (freenahi.BatchStatus, error)
	ResolveExportBatch(ctx context.Context, userID, batchID int64, r freenahi.BatchResolution) (*freenahi.ExportBatch, error)
	FindExportBatches(ctx context.Context, userID, mappingID int64, limit int) ([]*freenahi.ExportBatch, error)
	FindExportBatchFile(ctx context.Context, userID, batchID int64) (*freenahi.ExportBatch, error)
}

// Pusher exports the waiting transactions of every mapping to Inqom and
// keeps the ledger (see the package documentation). Set its fields, then
// call Run, or Push for one user. It is safe for concurrent use.
type Pusher struct {
	Ledger Ledger
	// Importer returns the Inqom client of a user, usually Clients.Importer.
	Importer func(ctx context.Context, userID int64) (Importer, error)
	Logger   *slog.Logger
	// MaxBatch caps the transactions of one file (default 5,000, about
	// 2 MB), and MaxBatchesPerRun the files one mapping sends per run
	// (default 20); a longer backlog goes on at the next run.
	MaxBatch         int
	MaxBatchesPerRun int
	// Lease is how long a run holds a mapping (default 30 s); the run renews
	// it every Lease/3, so that after a crash another instance takes the
	// mapping over within Lease (issue 10, item 11). CallTimeout bounds one
	// import call (default 5 min).
	Lease       time.Duration
	CallTimeout time.Duration
	// Backoff is the wait before attempt n+1 of a batch whose attempt n
	// failed or was unknown (default 1 min × 2^(n−1), at most 1 h).
	Backoff func(attempt int) time.Duration
	// Interval is how often Run retries due batches (default 1 min), and
	// ScanInterval how often it looks for new transactions without being
	// woken (default 15 min).
	Interval     time.Duration
	ScanInterval time.Duration
	Now          func() time.Time

	once  sync.Once
	id    string
	claim atomic.Int64
	wake  chan struct{}
}

func (p *Pusher) init() {
	p.once.Do(func() {
		b := make([]byte, 6)
		rand.Read(b)
		p.id, p.wake = hex.EncodeToString(b), make(chan struct{}, 1)
		if p.Logger == nil {
			p.Logger = slog.New(slog.DiscardHandler)
		}
		if p.MaxBatch <= 0 {
			p.MaxBatch = 5000
		}
		if p.MaxBatchesPerRun <= 0 {
			p.MaxBatchesPerRun = 20
		}
		if p.Lease <= 0 {
			p.Lease = 30 * time.Second
		}
		if p.CallTimeout <= 0 {
			p.CallTimeout = 5 * time.Minute
		}
		if p.Backoff == nil {
			p.Backoff = DefaultBackoff
		}
		if p.Interval <= 0 {
			p.Interval = time.Minute
		}
		if p.ScanInterval <= 0 {
			p.ScanInterval = 15 * time.Minute
		}
		if p.Now == nil {
			p.Now = time.Now
		}
	})
}

// DefaultBackoff is 1 min × 2^(attempt−1), capped at one hour.
func DefaultBackoff(attempt int) time.Duration {
	return min(time.Minute<<min(max(attempt-1, 0), 10), time.Hour)
}

// Wake asks Run to look for new transactions now: call it after a sync.
func (p *Pusher) Wake() {
	p.init()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run pushes until ctx ends: every Interval for due retries, and on Wake or
// every ScanInterval for new transactions as well.
func (p *Pusher) Run(ctx context.Context) {
	p.init()
	t := time.NewTicker(p.Interval)
	defer t.Stop()
	var lastScan time.Time
	scan := true
	for {
		if now := p.Now(); scan || now.Sub(lastScan) >= p.ScanInterval {
			scan, lastScan = true, now
		}
		if err := p.pushAll(ctx, 0, scan); err != nil && ctx.Err() == nil {
			p.Logger.Warn("inqom push", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
			scan = true
		case <-t.C:
			scan = false
		}
	}
}

// Push exports what is waiting for one user's mappings now (userID 0: every
// user's) and returns what went wrong, mapping by mapping.
func (p *Pusher) Push(ctx context.Context, userID int64) error {
	p.init()
	return p.pushAll(ctx, userID, true)
}

func (p *Pusher) pushAll(ctx context.Context, userID int64, scan bool) error {
	mappings, err := p.Ledger.FindInqomMappings(ctx, userID)
	if err != nil {
		return err
	}
	var errs []error
	for _, m := range mappings {
		if ctx.Err() != nil {
			break
		}
		if err := p.pushOne(ctx, m, scan); err != nil {
			errs = append(errs, fmt.Errorf("mapping %d (account %d → dossier %d): %w", m.ID, m.AccountID, m.DossierID, err))
		}
	}
	return errors.Join(errs...)
}

// errUnchanged tells pushOne to leave the mapping's last error as it is: a
// batch waits for its next attempt.
var errUnchanged = errors.New("waiting")

// pushOne runs one mapping under a lease of its own. A claim refused
// because another run holds the mapping asks that run to look again before
// it lets go (see store.ClaimInqomMapping), so what woke this one is pushed
// by the holder; this run, in turn, looks again as often as it is asked.
func (p *Pusher) pushOne(ctx context.Context, m *freenahi.InqomMapping, scan bool) error {
	owner := p.id + "-" + strconv.FormatInt(p.claim.Add(1), 10)
	ok, err := p.Ledger.ClaimInqomMapping(ctx, m.ID, owner, p.Lease)
	if err != nil || !ok {
		return err // another run holds it: it does the work
	}
	// Calls run on a context that shutdown does not cancel: an import cut
	// in flight would leave its outcome unknown. Shutdown stops the run
	// between batches instead.
	work := context.WithoutCancel(ctx)
	stopRenewing := p.keepLease(work, m.ID, owner)
	released := false
	defer func() { // a panic or Goexit: let go, and leave any request for the next holder
		stopRenewing()
		if !released {
			p.Ledger.ReleaseInqomMapping(work, m.ID, owner, true)
		}
	}()
	for {
		err = p.runRecorded(ctx, work, m, owner, scan)
		stopRenewing()
		again, rerr := p.Ledger.ReleaseInqomMapping(work, m.ID, owner, ctx.Err() != nil)
		if rerr != nil || !again {
			released = rerr == nil
			return errors.Join(err, rerr)
		}
		scan = true // asked by a run that was woken by new transactions
		stopRenewing = p.keepLease(work, m.ID, owner)
	}
}

// runRecorded runs one pass over a mapping and records its outcome as the
// mapping's last error (an unchanged problem is not written again).
func (p *Pusher) runRecorded(ctx, work context.Context, m *freenahi.InqomMapping, owner string, scan bool) error {
	err := p.run(ctx, work, m, owner, scan)
	if errors.Is(err, errUnchanged) {
		return nil
	}
	kept := freenahi.ErrorToKeep(err)
	if !sameError(kept, m.LastError) {
		if rerr := p.Ledger.RecordInqomError(work, m.ID, kept); rerr != nil {
			return errors.Join(err, rerr)
		}
		m.LastError = kept
	}
	return err
}

// keepLease renews the run's lease on a mapping every Lease/3 until the
// returned stop is called.
func (p *Pusher) keepLease(ctx context.Context, mappingID int64, owner string) (stop func()) {
	return lease.Keep(ctx, p.Lease, func(ctx context.Context) bool {
		ok, err := p.Ledger.RenewInqomMapping(ctx, mappingID, owner, p.Lease)
		if (err != nil || !ok) && ctx.Err() == nil {
			// The ledger still guards each batch (an attempt is recorded
			// before it leaves), so a lost lease is logged, not fatal.
			p.Logger.Warn("inqom mapping lease not renewed", slog.Int64("mapping_id", mappingID), slog.Bool("held", ok), slog.Any("error", err))
		}
		return true
	})
}

// sameError reports whether two kept errors say the same, so that an
// unchanged problem is not written again.
func sameError(a, b *freenahi.Error) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Code == b.Code && a.Message == b.Message && a.Key == b.Key
}

// run registers the account if needed, then sends the open batch and
// freezes and sends new ones, in order, until nothing is left, a batch has
// to wait, or ctx ends; the calls themselves run on work.
func (p *Pusher) run(ctx, work context.Context, m *freenahi.InqomMapping, owner string, scan bool) error {
	imp, err := p.Importer(work, m.UserID)
	if err != nil {
		return err
	}
	if m.RegisteredAt == nil {
		if err := p.register(work, imp, m); err != nil {
			return err
		}
	}
	// The first freeze of a run looks at every transaction (late ones with
	// old dates included); the next ones read on from where it stopped.
	var from freenahi.Cursor
	for range p.MaxBatchesPerRun {
		if ctx.Err() != nil {
			return errUnchanged
		}
		b, err := p.Ledger.FindOpenExportBatch(work, m.ID)
		if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
			if !scan {
				return nil
			}
			// Only days that have ended go out: a statement of today would be
			// contradicted by today's later bookings.
			lastDay := freenahi.LastEndedBankDay(p.Now())
			b, err = p.Ledger.FreezeExportBatch(work, m.ID, owner, p.MaxBatch, &from, func(in *freenahi.BatchInput) (string, []byte, error) {
				return BuildBatchFile(in, lastDay)
			})
			if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
				return nil // nothing waits to be exported
			} else if err != nil {
				return err
			}
			p.Logger.Info("inqom batch frozen", slog.Int64("mapping_id", m.ID), slog.Int64("batch_id", b.ID),
				slog.Int("transactions", b.Transactions), slog.String("sha256", b.SHA256))
		} else if err != nil {
			return err
		}
		switch {
		case b.Status == freenahi.BatchFailed || b.Held:
			// The file's own problem is on its history page; this says what waits.
			return freenahi.Errorf(freenahi.ECONFLICT, "Batch %d (%s) needs a decision before later files can be sent: decide on its history page, or with `freenahi inqom resolve --batch %d sent|retry|release`.",
				b.ID, b.Filename, b.ID)
		case b.NextAttemptAt.After(p.Now()):
			return errUnchanged
		}
		if err := p.send(work, imp, b, owner); err != nil {
			return err
		}
	}
	return nil
}

// registerIBAN registers the mapping's IBAN in its dossier and returns
// Inqom's account id, if it gave one; an IBAN Inqom already has there
// counts as registered, so this is idempotent.
func (p *Pusher) registerIBAN(ctx context.Context, imp Importer, m *freenahi.InqomMapping) (string, error) {
	res, err := imp.RegisterAccount(ctx, m.DossierID, inqom.Account{IBAN: m.IBAN, BankName: m.BankName, CFONBControl: m.CFONBControl})
	switch {
	case err == nil:
		return res.ID, nil
	case errors.Is(err, inqom.ErrAlreadyRegistered):
		return "", nil
	}
	return "", fmt.Errorf("register %s in dossier %d: %w", m.IBAN, m.DossierID, err)
}

// register registers the mapping's IBAN and records it in the ledger.
func (p *Pusher) register(ctx context.Context, imp Importer, m *freenahi.InqomMapping) error {
	id, err := p.registerIBAN(ctx, imp, m)
	if err != nil {
		return err
	}
	if err := p.Ledger.RecordInqomRegistration(ctx, m.ID, id, nil); err != nil {
		return err
	}
	now := p.Now()
	m.RegisteredAt, m.InqomAccountID = &now, id
	return nil
}

// send imports a batch's stored bytes once and records the outcome. The
// attempt is recorded before the request leaves, so a crash in between is
// seen at the next run.
func (p *Pusher) send(ctx context.Context, imp Importer, b *freenahi.ExportBatch, owner string) error {
	if sum := sha256.Sum256(b.Content); hex.EncodeToString(sum[:]) != b.SHA256 {
		return fmt.Errorf("batch %d: the stored file does not match its SHA-256; it is not sent", b.ID)
	}
	if _, _, err := p.Ledger.StartExportAttempt(ctx, b.ID, owner); err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, p.CallTimeout)
	res, err := imp.ImportCFONB(cctx, b.Filename, b.Content)
	cancel()
	o := p.outcome(b, res, err)
	status, rerr := p.Ledger.RecordExportOutcome(ctx, b.ID, o)
	if rerr != nil {
		return rerr
	}
	log := p.Logger.With(slog.Int64("mapping_id", b.MappingID), slog.Int64("batch_id", b.ID), slog.String("status", string(status)))
	if err == nil {
		log.Info("inqom batch imported", slog.Int("transactions", b.Transactions), slog.Bool("review", o.Review))
		return nil
	}
	log.Warn("inqom batch not imported", slog.Any("error", err))
	return fmt.Errorf("batch %d: %w", b.ID, err)
}

// outcome classifies an import attempt for the ledger.
func (p *Pusher) outcome(b *freenahi.ExportBatch, res *inqom.ImportResult, err error) freenahi.BatchOutcome {
	if err == nil {
		return freenahi.BatchOutcome{Kind: freenahi.OutcomeSent, AnswerStatus: res.Status, Answer: string(res.Body),
			Review: res.PossibleDuplicate}
	}
	o := freenahi.BatchOutcome{Error: freenahi.ErrorToKeep(err), NextAttempt: p.Now().Add(p.Backoff(b.Attempts + 1))}
	ie := inqom.AsError(err)
	if ie != nil {
		o.AnswerStatus, o.Answer = ie.Status, ie.Body
	}
	switch {
	case inqom.OutcomeUnknown(err):
		o.Kind = freenahi.OutcomeUnknown
	case ie != nil && ie.Op == inqom.OpImport && refusal(ie.Status):
		o.Kind = freenahi.OutcomeRefused
	default:
		o.Kind = freenahi.OutcomeNotSent
	}
	return o
}

// refusal reports whether an import status refuses the file itself.
// Authentication, rights and rate limits say nothing about the file: the
// same bytes may go through later.
func refusal(status int) bool {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestTimeout, http.StatusTooManyRequests:
		return false
	}
	return status >= 400 && status < 500
}
