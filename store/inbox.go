package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
)

var _ freenahi.InboxService = (*Store)(nil)

// advisoryInboxNamespace keeps our PostgreSQL advisory lock keys apart from others.
const advisoryInboxNamespace int64 = 0x46_4e_48_00_00_00_00_00

// ReceiveEvent stores an event durably before the receiver acknowledges it.
// The event goes to the queue when its Powens user is linked, waits as
// "unmatched" otherwise, and is stored as failed when it names no Powens user.
// A second delivery with the same event name and delivery key changes nothing.
func (s *Store) ReceiveEvent(ctx context.Context, e *freenahi.InboxEvent) (bool, error) {
	if e.BodyFile != nil {
		// Closed by receiveBatch, or by the handoff once the worker took it.
		e.BodyFile = &onceFile{BodyFile: e.BodyFile}
	}
	dup, err := s.receiveEvent(ctx, e)
	if err != nil && e.BodyFile != nil {
		// Unless a batch still holds it (submit gave up waiting for the
		// batcher, which closes it once stored), close it now; closing
		// twice is harmless.
		if !errors.As(err, new(heldError)) {
			e.BodyFile.Close()
		}
	}
	if err != nil {
		return false, fmt.Errorf("receive %s event %s: %w", e.Event, e.DeliveryKey, err)
	}
	return dup, nil
}

func (s *Store) receiveEvent(ctx context.Context, e *freenahi.InboxEvent) (bool, error) {
	now := s.now()
	e.ReceivedAt, e.NextAttemptAt = now, now
	if e.BodyFile == nil {
		e.BodySize = int64(len(e.Body))
	}
	e.Status, e.UserID = freenahi.StatusFailed, nil
	if e.PowensUserID == nil {
		e.LastError = "the body names no Powens user (no user.id, connection.id_user or id_user)"
	} else {
		// Resolved outside the write transaction, which every receipt waits
		// for; an event found unmatched is checked again inside it.
		var uid int64
		err := s.rdb.QueryRowContext(ctx, `SELECT user_id FROM powens_users WHERE powens_user_id = $1 AND unlinked_at IS NULL`, *e.PowensUserID).Scan(&uid)
		switch {
		case err == nil:
			e.UserID, e.Status = &uid, freenahi.StatusPending
		case errors.Is(err, sql.ErrNoRows):
			e.Status = freenahi.StatusUnmatched
		default:
			return false, fmt.Errorf("find the user of Powens user %d: %w", *e.PowensUserID, err)
		}
	}
	if s.engine == SQLite {
		return s.receipts.submit(ctx, e)
	}
	r := &receipt{e: e}
	if err := s.receiveBatch(ctx, []*receipt{r}); err != nil {
		return false, err
	}
	return r.duplicate, nil
}

// receipt is one event waiting to be stored by receiveBatch.
type receipt struct {
	e         *freenahi.InboxEvent
	duplicate bool
	err       error
	done      chan struct{}
}

// receiveBatch stores events in one transaction. On SQLite, concurrent
// receipts are grouped this way (see receiptBatcher): one commit, and one
// wait for the single writer, for many acknowledgements.
func (s *Store) receiveBatch(ctx context.Context, batch []*receipt) error {
	handedOff := false
	defer func() {
		if !handedOff {
			closeBodyFiles(batch)
		}
	}()
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	for _, r := range batch {
		if err := s.receiveOne(ctx, tx, r); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	var size int64
	for _, r := range batch {
		size += r.e.BodySize
	}
	if size >= checkpointAfterBytes {
		s.ckpt.signal()
	}
	handedOff = true
	for _, r := range batch {
		switch {
		case r.duplicate || r.e.Status != freenahi.StatusPending:
			closeBodyFiles([]*receipt{r})
		case r.e.BodyFile != nil:
			s.handoff.putFile(r.e.ID, r.e.BodyFile, r.e.BodySize, time.Now())
		default:
			s.handoff.put(r.e.ID, r.e.Body, time.Now())
		}
	}
	return nil
}

func closeBodyFiles(batch []*receipt) {
	for _, r := range batch {
		if r.e.BodyFile != nil {
			r.e.BodyFile.Close()
		}
	}
}

// onceFile closes its file once, however many times it is closed.
type onceFile struct {
	freenahi.BodyFile
	once sync.Once
}

func (f *onceFile) Close() error {
	f.once.Do(func() { f.BodyFile.Close() })
	return nil
}

// heldError is a receipt's error while the batcher still holds its event.
type heldError struct{ error }

func (e heldError) Unwrap() error { return e.error }

func (s *Store) receiveOne(ctx context.Context, tx *sql.Tx, r *receipt) error {
	e := r.e
	if e.PowensUserID != nil && s.engine == Postgres {
		// Serialise receipts of one Powens user so that id order is commit
		// order: the worker relies on it to process a user's events in order.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, advisoryInboxNamespace|*e.PowensUserID); err != nil {
			return fmt.Errorf("lock Powens user %d: %w", *e.PowensUserID, err)
		}
	}
	if e.Status == freenahi.StatusUnmatched {
		// The user may have been linked since the lookup; linking releases
		// only the events already stored, so look again under the lock.
		var uid int64
		err := tx.QueryRowContext(ctx, `SELECT user_id FROM powens_users WHERE powens_user_id = $1 AND unlinked_at IS NULL`, *e.PowensUserID).Scan(&uid)
		if err == nil {
			e.UserID, e.Status = &uid, freenahi.StatusPending
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("find the user of Powens user %d: %w", *e.PowensUserID, err)
		}
	}
	err := tx.QueryRowContext(ctx, `
		INSERT INTO webhook_events (event, delivery_key, powens_user_id, user_id, auth, token_hash, status,
			last_error, body_size, received_at, next_attempt_at, source)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)
		ON CONFLICT (event, delivery_key) DO NOTHING
		RETURNING id`,
		e.Event, e.DeliveryKey, nullInt(e.PowensUserID), nullInt(e.UserID), e.Auth, e.TokenHash, string(e.Status),
		e.LastError, e.BodySize, micros(e.ReceivedAt), e.Source).Scan(&e.ID)
	if errors.Is(err, sql.ErrNoRows) {
		r.duplicate = true
		return nil
	} else if err != nil {
		return fmt.Errorf("insert event: %w", err)
	}
	if s.engine == SQLite && e.BodySize > bodyCacheThreshold {
		restore, err := smallPageCache(ctx, tx)
		if err != nil {
			return err
		}
		defer restore()
	}
	if e.BodyFile != nil {
		return insertBodyFile(ctx, tx, e.ID, e.BodyFile, e.BodySize)
	}
	return insertBody(ctx, tx, e.ID, e.Body)
}

// insertBodyFile stores a body set aside in a file, one chunk at a time
// through one reused buffer: the whole body is never in memory (issue 15,
// item 5). The driver is done with a bound slice once Exec returns.
func insertBodyFile(ctx context.Context, tx *sql.Tx, eventID int64, f io.ReaderAt, size int64) error {
	buf := make([]byte, bodyChunk)
	for seq := int64(0); seq == 0 || seq*bodyChunk < size; seq++ {
		off := seq * bodyChunk
		chunk := buf[:min(size-off, bodyChunk)]
		if _, err := f.ReadAt(chunk, off); err != nil && !(errors.Is(err, io.EOF) && len(chunk) == 0) {
			return fmt.Errorf("read body of event %d back from its spool: %w", eventID, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_event_bodies (event_id, seq, body) VALUES ($1, $2, $3)`,
			eventID, seq, chunk); err != nil {
			return fmt.Errorf("insert body of event %d: %w", eventID, err)
		}
		if seq%16 == 15 {
			runtime.GC() // the driver's copies of the chunks, as in insertBody
		}
	}
	return nil
}

// A large body passes once through SQLite's page cache on its way in and
// once on its way out, and would fill it (32 MB per connection) with pages
// nobody reads again: half as much again as the body in memory. While such
// a body is written or read, the connection's cache is held small.
const (
	bodyCacheThreshold = 4 * bodyChunk
	bodyCacheKiB       = 4000
)

// smallPageCache shrinks the page cache of the connection q runs on (which
// frees what it held beyond) until restore is called.
func smallPageCache(ctx context.Context, q execer) (restore func(), err error) {
	if _, err := q.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(bodyCacheKiB)); err != nil {
		return nil, fmt.Errorf("shrink the page cache: %w", err)
	}
	return func() {
		// Even when ctx is done: the connection goes on serving others.
		q.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -`+strconv.Itoa(sqliteCacheKiB))
	}, nil
}

// bodyChunk is the most of a raw body one row holds. A driver copies what it
// binds, and SQLite copies it again into a record: in chunks, a 63 MB body
// costs a few MiB more than itself to store, not several times its size.
const bodyChunk = 1 << 20

func insertBody(ctx context.Context, tx *sql.Tx, eventID int64, body []byte) error {
	for seq := 0; seq == 0 || seq*bodyChunk < len(body); seq++ {
		chunk := body[seq*bodyChunk : min(len(body), (seq+1)*bodyChunk)]
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_event_bodies (event_id, seq, body) VALUES ($1, $2, $3)`,
			eventID, seq, chunk); err != nil {
			return fmt.Errorf("insert body of event %d: %w", eventID, err)
		}
		// The driver's copies of the chunks are garbage the size of the
		// body, on top of the body itself: left to the collector's pace
		// (the heap may double before it runs), a 63 MB body peaked at
		// 2.8 times its size on PostgreSQL. A collection every 16 MiB
		// costs little (the body holds no pointers to mark).
		if seq%16 == 15 {
			runtime.GC()
		}
	}
	return nil
}

// readBody reads an event's body back from its chunks into one slice of its
// size; nil when the retention removed it.
func (s *Store) readBody(ctx context.Context, eventID, size int64) ([]byte, error) {
	conn, err := s.rdb.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("read body of event %d: %w", eventID, err)
	}
	defer conn.Close()
	if s.engine == SQLite && size > bodyCacheThreshold {
		restore, err := smallPageCache(ctx, conn)
		if err != nil {
			return nil, fmt.Errorf("read body of event %d: %w", eventID, err)
		}
		defer restore()
	}
	rows, err := conn.QueryContext(ctx, `SELECT body FROM webhook_event_bodies WHERE event_id = $1 ORDER BY seq`, eventID)
	if err != nil {
		return nil, fmt.Errorf("read body of event %d: %w", eventID, err)
	}
	defer rows.Close()
	var body []byte
	for seq := 0; rows.Next(); seq++ {
		var chunk sql.RawBytes
		if err := rows.Scan(&chunk); err != nil {
			return nil, fmt.Errorf("read body of event %d: %w", eventID, err)
		}
		if body == nil {
			body = make([]byte, 0, size)
		}
		body = append(body, chunk...)
		// The driver's copies of the chunks are garbage the size of the
		// body, which the collector's pace would let pile up on top of
		// it (see insertBody): collected every 16 MiB.
		if seq%16 == 15 {
			runtime.GC()
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read body of event %d: %w", eventID, err)
	}
	return body, nil
}

// receiptBatcher groups concurrent receipts into transactions on SQLite.
// Batches form by themselves: while one commits, the next arrivals queue.
type receiptBatcher struct {
	s    *Store
	in   chan *receipt
	stop chan struct{}
	done chan struct{}
}

func newReceiptBatcher(s *Store) *receiptBatcher {
	b := &receiptBatcher{s: s, in: make(chan *receipt), stop: make(chan struct{}), done: make(chan struct{})}
	go b.run()
	return b
}

// maxReceiptBatch bounds a group so that one slow body does not hold many.
const maxReceiptBatch = 64

func (b *receiptBatcher) run() {
	defer close(b.done)
	for {
		var batch []*receipt
		select {
		case r := <-b.in:
			batch = append(batch, r)
		case <-b.stop:
			return
		}
	more:
		for len(batch) < maxReceiptBatch {
			select {
			case r := <-b.in:
				batch = append(batch, r)
			default:
				break more
			}
		}
		// The batch is stored even if a sender gave up waiting: it is then
		// re-delivered by Powens and recognised as a duplicate.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := b.s.receiveBatch(ctx, batch)
		cancel()
		for _, r := range batch {
			if err != nil {
				r.err, r.duplicate = err, false
			}
			close(r.done)
		}
	}
}

func (b *receiptBatcher) submit(ctx context.Context, e *freenahi.InboxEvent) (bool, error) {
	r := &receipt{e: e, done: make(chan struct{})}
	select {
	case b.in <- r:
	case <-b.stop:
		return false, freenahi.Errorf(freenahi.EUNAVAILABLE, "The database is closed.")
	case <-ctx.Done():
		return false, ctx.Err()
	}
	select {
	case <-r.done:
		return r.duplicate, r.err
	case <-ctx.Done():
		return false, heldError{ctx.Err()} // the batch still holds e (and its body file)
	}
}

func (b *receiptBatcher) close() {
	close(b.stop)
	<-b.done
}

const eventColumns = `id, event, delivery_key, powens_user_id, user_id, auth, status, attempts, last_error,
	body_size, received_at, next_attempt_at, processed_at, source`

// eventDest returns Scan destinations for eventColumns, then extra ones.
func eventDest(e *freenahi.InboxEvent, extra ...any) []any {
	return append([]any{&e.ID, &e.Event, &e.DeliveryKey, intPtr{&e.PowensUserID}, intPtr{&e.UserID}, &e.Auth,
		statusVal{&e.Status}, &e.Attempts, &e.LastError, &e.BodySize, timeVal{&e.ReceivedAt}, timeVal{&e.NextAttemptAt},
		timePtr{&e.ProcessedAt}, &e.Source}, extra...)
}

// statusVal scans an inbox status.
type statusVal struct{ dst *freenahi.InboxStatus }

func (s statusVal) Scan(v any) error {
	var text string
	err := strVal{&text}.Scan(v)
	*s.dst = freenahi.InboxStatus(text)
	return err
}

// ClaimEvent leases the oldest processable event: pending and due, or
// processing with an expired lease (its worker died). An event is held back
// while an older event of the same Powens user is unfinished, so one user's
// events never interleave. On PostgreSQL, SKIP LOCKED lets several instances
// claim different users' events at once. ENOTFOUND when no event is ready.
func (s *Store) ClaimEvent(ctx context.Context, lease time.Duration) (*freenahi.InboxEvent, error) {
	now := s.now()
	// Walk unfinished events in id order and stop at the first claimable one.
	// SQLite's planner, without statistics, would rather sort all candidates,
	// so it is told which index to walk.
	lock, walk := "", " INDEXED BY webhook_events_unfinished"
	if s.engine == Postgres {
		lock, walk = "FOR UPDATE SKIP LOCKED", ""
	}
	e := &freenahi.InboxEvent{}
	// The status IN (…) terms repeat the partial indexes' predicates word for
	// word so that SQLite's planner can use them (see migration 00006).
	err := s.wdb.QueryRowContext(ctx, `
		UPDATE webhook_events SET status = 'processing', lease_until = $1, attempts = attempts + 1
		WHERE id = (
			SELECT e.id FROM webhook_events e`+walk+`
			WHERE e.status IN ('pending', 'processing')
			AND CASE e.status WHEN 'pending' THEN e.next_attempt_at <= $2 ELSE e.lease_until < $2 END
			AND e.user_id IS NOT NULL
			AND NOT EXISTS (
				SELECT 1 FROM webhook_events p
				WHERE p.status IN ('pending', 'processing', 'unmatched')
				AND p.powens_user_id = e.powens_user_id AND p.id < e.id)
			ORDER BY e.id LIMIT 1 `+lock+`)
		RETURNING `+eventColumns,
		micros(now.Add(lease)), micros(now)).Scan(eventDest(e)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("claim event: %w", freenahi.Errorf(freenahi.ENOTFOUND, "No event is ready to process."))
	} else if err != nil {
		return nil, fmt.Errorf("claim event: %w", err)
	}
	if e.BodySize > s.streamBody {
		// Large: read as it is processed, never whole (issue 15, item 5).
		switch en, ok := s.handoff.takeEntry(e.ID, e.BodySize, time.Now()); {
		case ok && en.file != nil:
			e.BodyFile = en.file
		case ok:
			e.Body = en.body // in memory already
		default:
			e.BodyFile = &storedBody{s: s, eventID: e.ID, size: e.BodySize}
		}
		return e, nil
	}
	if e.Body, err = s.handoff.take(e.ID, e.BodySize, time.Now()); err != nil {
		return nil, fmt.Errorf("claim event %d: %w", e.ID, err)
	} else if e.Body != nil {
		return e, nil
	}
	if e.Body, err = s.readBody(ctx, e.ID, e.BodySize); err != nil {
		return nil, err
	} else if e.Body == nil {
		return nil, fmt.Errorf("claim event %d: its body is missing", e.ID)
	}
	return e, nil
}

// ProcessEvent runs fn inside one transaction and marks the event processed
// in it, so the event's effects and its "processed" mark commit together.
// fn's error comes back wrapped, its code kept, except that the database
// refusing what fn writes (a constraint, a value it cannot hold) is EINVALID,
// which retrying cannot heal; ECONFLICT when the event's lease was lost
// meanwhile (nothing fn wrote is kept).
func (s *Store) ProcessEvent(ctx context.Context, e *freenahi.InboxEvent, fn func(context.Context, freenahi.SyncWriter) error) error {
	if err := s.processEvent(ctx, e, fn); err != nil {
		return fmt.Errorf("process event %d: %w", e.ID, err)
	}
	return nil
}

func (s *Store) processEvent(ctx context.Context, e *freenahi.InboxEvent, fn func(context.Context, freenahi.SyncWriter) error) error {
	if e.UserID == nil {
		return errors.New("the event has no user")
	}
	tx, conn, err := s.beginSync(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	defer tx.Rollback()
	w := &syncWriter{s: s, tx: textTx{tx}, userID: *e.UserID, eventID: e.ID, now: s.now(), gather: s.engine == SQLite}
	if s.engine == Postgres {
		w.conn = conn
	}
	defer w.batchesOn(conn)()
	if err := fn(ctx, w); err != nil {
		return refusal(err)
	}
	if err := w.finish(ctx); err != nil {
		return refusal(err)
	}
	if err := s.bumpPageVersion(ctx, tx, w.userID); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `
		UPDATE webhook_events SET status = 'processed', processed_at = $1, lease_until = NULL, last_error = ''
		WHERE id = $2 AND status = 'processing' AND attempts = $3`, micros(w.now), e.ID, e.Attempts)
	if err != nil {
		return fmt.Errorf("mark processed: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("mark processed: %w", err)
	} else if n != 1 {
		return freenahi.Errorf(freenahi.ECONFLICT, "Event %d is no longer leased to this worker.", e.ID)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if w.largeWrite {
		s.ckpt.signal()
	}
	if w.wroteTransactions {
		s.searchClean.signal()
	}
	return nil
}

// RenewEventLease extends the lease of an event being processed. The claim's
// attempt number fences it: a worker whose lease ended and whose event was
// claimed again (attempts went up) can neither renew nor commit.
func (s *Store) RenewEventLease(ctx context.Context, e *freenahi.InboxEvent, lease time.Duration) error {
	res, err := s.wdb.ExecContext(ctx, `UPDATE webhook_events SET lease_until = $1
		WHERE id = $2 AND status = 'processing' AND attempts = $3`, micros(s.now().Add(lease)), e.ID, e.Attempts)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ECONFLICT, "Event %d is no longer leased to this worker.", e.ID)); err != nil {
		return fmt.Errorf("renew the lease of event %d: %w", e.ID, err)
	}
	return nil
}

// FailEvent records a failed attempt of the caller's claim of e: it is
// retried at next, or marked failed for good (kept for replay) when next is
// nil. The claim's attempt number fences it, as it fences renewals: a
// worker whose lease ended and whose event another worker took must not
// put that worker's claim back in the queue (each stale failure would
// knock out the next claim, and a large event would never finish).
// ENOTFOUND when there is no such event, ECONFLICT when the claim no longer
// holds.
func (s *Store) FailEvent(ctx context.Context, e *freenahi.InboxEvent, cause string, next *time.Time) error {
	status, at := "failed", micros(s.now())
	if next != nil {
		status, at = "pending", micros(*next)
	}
	res, err := s.wdb.ExecContext(ctx, `
		UPDATE webhook_events SET status = $1, next_attempt_at = $2, last_error = $3, lease_until = NULL
		WHERE id = $4 AND status = 'processing' AND attempts = $5`, status, at, clip(cause), e.ID, e.Attempts)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "Event %d is not being processed.", e.ID)); err != nil {
		if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
			err = s.whyNotClaimed(ctx, e)
		}
		return fmt.Errorf("fail event %d: %w", e.ID, err)
	}
	return nil
}

// IgnoreEvent records that an event the caller claimed carries nothing
// freenahi stores: it is kept, marked ignored with why, and may be replayed.
// ENOTFOUND if there is no such event, ECONFLICT if the claim no longer holds.
func (s *Store) IgnoreEvent(ctx context.Context, e *freenahi.InboxEvent, why string) error {
	res, err := s.wdb.ExecContext(ctx, `
		UPDATE webhook_events SET status = 'ignored', processed_at = $1, last_error = $2, lease_until = NULL
		WHERE id = $3 AND status = 'processing' AND attempts = $4`, micros(s.now()), clip(why), e.ID, e.Attempts)
	if err := notFoundIfNone(res, err, freenahi.Errorf(freenahi.ENOTFOUND, "Event %d is not being processed.", e.ID)); err != nil {
		if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
			err = s.whyNotClaimed(ctx, e)
		}
		return fmt.Errorf("ignore event %d: %w", e.ID, err)
	}
	return nil
}

// whyNotClaimed says why the caller's claim of e no longer holds: the event
// is gone (ENOTFOUND), finished or back in the queue, or claimed again by
// another worker since (ECONFLICT).
func (s *Store) whyNotClaimed(ctx context.Context, e *freenahi.InboxEvent) error {
	var status string
	var attempts int
	err := s.wdb.QueryRowContext(ctx, `SELECT status, attempts FROM webhook_events WHERE id = $1`, e.ID).Scan(&status, &attempts)
	if err != nil {
		return notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Event %d not found.", e.ID))
	}
	if status == "processing" && attempts != e.Attempts {
		return freenahi.Errorf(freenahi.ECONFLICT, "Event %d is no longer leased to this worker: another worker claimed it.", e.ID)
	}
	if status == "pending" {
		return freenahi.Errorf(freenahi.ECONFLICT, "Event %d is back in the queue: this worker's lease ran out.", e.ID)
	}
	return freenahi.Errorf(freenahi.ECONFLICT, "Event %d is already finished.", e.ID)
}

// ReplayEvent queues a processed or failed event again. Processing is
// idempotent, so a replay of a processed event changes nothing unless the
// parser changed. ENOTFOUND when there is no such event; ECONFLICT when it
// is not finished or has no freenahi user yet.
func (s *Store) ReplayEvent(ctx context.Context, id int64) error {
	if err := s.replayEvent(ctx, id); err != nil {
		return fmt.Errorf("replay event %d: %w", id, err)
	}
	return nil
}

func (s *Store) replayEvent(ctx context.Context, id int64) error {
	res, err := s.wdb.ExecContext(ctx, `
		UPDATE webhook_events SET status = 'pending', attempts = 0, next_attempt_at = $1, last_error = ''
		WHERE id = $2 AND status IN ('processed', 'failed', 'ignored') AND user_id IS NOT NULL
		AND EXISTS (SELECT 1 FROM webhook_event_bodies b WHERE b.event_id = $2)`, micros(s.now()), id)
	if err != nil {
		return fmt.Errorf("mark pending: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	e, err := s.FindEventByID(ctx, id)
	if err != nil {
		return err
	}
	// Only an operator replays events, from the command line: these are
	// said in English, with no message key to translate.
	if e.Body == nil {
		return &freenahi.Error{Code: freenahi.ECONFLICT, Message: fmt.Sprintf(
			"Event %d cannot be replayed: its raw body was removed after the retention period (FREENAHI_WEBHOOK_BODY_RETENTION).", id)}
	}
	if e.UserID == nil {
		return &freenahi.Error{Code: freenahi.ECONFLICT, Message: fmt.Sprintf(
			"Event %d waits for Powens user %s to be linked (freenahi user link-powens); it is processed then.", id, fmtPtr(e.PowensUserID))}
	}
	return &freenahi.Error{Code: freenahi.ECONFLICT, Message: fmt.Sprintf(
		"Event %d is %s; only processed, ignored or failed events can be replayed.", id, e.Status)}
}

func fmtPtr(p *int64) string {
	if p == nil {
		return "(unknown)"
	}
	return strconv.FormatInt(*p, 10)
}

// FindEventByID returns one event, body included.
func (s *Store) FindEventByID(ctx context.Context, id int64) (*freenahi.InboxEvent, error) {
	e := &freenahi.InboxEvent{}
	row := s.rdb.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM webhook_events WHERE id = $1`, id)
	if err := row.Scan(eventDest(e)...); err != nil {
		return nil, fmt.Errorf("find event %d: %w", id, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Event %d not found.", id)))
	}
	// A body removed by the retention (PruneInbox) comes back nil.
	var err error
	if e.Body, err = s.readBody(ctx, id, e.BodySize); err != nil {
		return nil, fmt.Errorf("find event %d: %w", id, err)
	}
	return e, nil
}

// FindEvents lists events newest first, without bodies.
func (s *Store) FindEvents(ctx context.Context, f freenahi.InboxFilter) ([]*freenahi.InboxEvent, error) {
	where, args := "1 = 1", []any{}
	if f.Status != nil {
		args = append(args, string(*f.Status))
		where += " AND status = $" + strconv.Itoa(len(args))
	}
	if f.UserID != nil {
		args = append(args, *f.UserID)
		where += " AND user_id = $" + strconv.Itoa(len(args))
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	args = append(args, f.Limit)
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+eventColumns+` FROM webhook_events WHERE `+where+
		` ORDER BY id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	defer rows.Close()
	var out []*freenahi.InboxEvent
	for rows.Next() {
		e := &freenahi.InboxEvent{}
		if err := rows.Scan(eventDest(e)...); err != nil {
			return nil, fmt.Errorf("find events: scan: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return out, nil
}

// InboxStats counts unfinished events per status and the age of the oldest pending one.
func (s *Store) InboxStats(ctx context.Context) (*freenahi.InboxStats, error) {
	st := &freenahi.InboxStats{Depth: map[freenahi.InboxStatus]int64{}}
	for _, status := range []freenahi.InboxStatus{freenahi.StatusPending, freenahi.StatusProcessing, freenahi.StatusUnmatched, freenahi.StatusFailed} {
		var n int64
		if err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM webhook_events WHERE status = $1`, string(status)).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s events: %w", status, err)
		}
		st.Depth[status] = n
	}
	var oldest *time.Time
	if err := s.rdb.QueryRowContext(ctx, `SELECT MIN(received_at) FROM webhook_events WHERE status IN ('pending', 'processing')`).Scan(timePtr{&oldest}); err != nil {
		return nil, fmt.Errorf("find the oldest waiting event: %w", err)
	}
	if oldest != nil {
		st.OldestAge = s.now().Sub(*oldest)
	}
	return st, nil
}
