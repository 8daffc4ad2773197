package store

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
)

// searchIndexCleaner moves the pending list of PostgreSQL's word index
// into the index proper (gin_clean_pending_list) after each write that
// added transactions, in a goroutine of its own on a connection of its own
// (migration 00270): the merge that the event's transaction paid when the
// list passed 4 MB runs on the server's other core, beside the next
// event, instead of in the event the person waits for. A search finds
// pending rows all the same; it reads the list, which the merge empties.
// Signals coalesce: a merge asked for while one runs gives one more.
type searchIndexCleaner struct {
	db     *sql.DB
	logger *slog.Logger
	wake   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	mu      sync.Mutex
	asked   int64      // signals so far
	handled int64      // signals whose merge has run
	idle    *sync.Cond // broadcast when handled moves
}

// searchIndexName is the GIN index whose pending list the cleaner merges.
const searchIndexName = "transactions_search_words"

func newSearchIndexCleaner(db *sql.DB, logger *slog.Logger) *searchIndexCleaner {
	c := &searchIndexCleaner{db: db, logger: logger, wake: make(chan struct{}, 1), done: make(chan struct{})}
	c.idle = sync.NewCond(&c.mu)
	c.ctx, c.cancel = context.WithCancel(context.Background())
	go c.run()
	return c
}

func (c *searchIndexCleaner) run() {
	defer close(c.done)
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-c.wake:
		}
		c.mu.Lock()
		upTo := c.asked
		c.mu.Unlock()
		stop := c.clean()
		c.mu.Lock()
		c.handled = upTo
		c.idle.Broadcast()
		c.mu.Unlock()
		if stop {
			c.cancel()
			return
		}
	}
}

// clean merges the pending list; it reports whether asking again is
// pointless: the index is not there (a database without the word index)
// or this role does not own it, and autovacuum's merges are left to do.
// A merge cut short by Close is safe: what it moved stays moved, and the
// rest stays pending, found by searches, for the next one.
func (c *searchIndexCleaner) clean() (stop bool) {
	var pages int64
	err := c.db.QueryRowContext(c.ctx, `SELECT gin_clean_pending_list($1::regclass)`, searchIndexName).Scan(&pages)
	var pgErr *pgconn.PgError
	switch {
	case err == nil, c.ctx.Err() != nil:
		return false
	case errors.As(err, &pgErr) && (pgErr.Code == "42P01" || pgErr.Code == "42704" || pgErr.Code == "42501"):
		// undefined_table, undefined_object, insufficient_privilege
		c.logger.Info("the search index's pending list is left to autovacuum", "index", searchIndexName, "err", err)
		return true
	default:
		c.logger.Warn("merging the search index's pending list failed", "index", searchIndexName, "err", err)
		return false
	}
}

// signal asks for a merge soon; it never waits. Nil-safe (SQLite).
func (c *searchIndexCleaner) signal() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.asked++
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default: // one is asked for already
	}
}

// wait returns once every merge asked for before the call has run, or the
// cleaner stopped.
func (c *searchIndexCleaner) wait() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for upTo := c.asked; c.handled < upTo && c.ctx.Err() == nil; {
		c.idle.Wait()
	}
}

// close stops the cleaner, cutting a running merge short.
func (c *searchIndexCleaner) close() {
	c.cancel()
	<-c.done
	c.mu.Lock()
	c.idle.Broadcast()
	c.mu.Unlock()
}

// WaitSearchIndex returns once every merge of the word index's pending list
// asked for so far has run; at once on SQLite. Benchmarks use it to count
// that work apart from the event's.
func (s *Store) WaitSearchIndex() {
	if s.searchClean != nil {
		s.searchClean.wait()
	}
}
