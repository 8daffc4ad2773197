package store

import (
	"context"
	"database/sql"
	"log/slog"
	"time"
)

// On SQLite every commit appends to the write-ahead log, and SQLite copies
// the log back into the database file (a checkpoint, with its fsyncs) in
// the committing connection once the log passes 1,000 pages: the writer
// paid it on the commit of every large webhook body and of every large
// event, about 90 ms for a 21 MB body and 100 ms for the 50,000
// transactions it brings (issue 15), while every other write waited. The
// writer's connection turns that off (wal_autocheckpoint = 0, set by the
// driver on each writer connection, see backgroundCheckpointParam) and the
// store checkpoints in a goroutine of its own, on a reader connection:
// right after a large write signals it (a body or an event that added about
// what SQLite's own rule waits for, checkpointAfterBytes), and every
// checkpointEvery whatever wrote, so that a stream of small webhooks does
// not pay a checkpoint and its fsyncs each. PASSIVE: it never waits for
// nor blocks the writer or the readers; it copies what no reader still
// needs, and the next run copies the rest. Closing the last connection
// checkpoints whatever is left, as before.

// checkpointEvery is how often the log is checkpointed without a signal.
const checkpointEvery = 2 * time.Second

// checkpointAfterBytes is about what SQLite's automatic checkpoint waits
// for (1,000 pages of 4 KiB): a write adding that much signals one.
const checkpointAfterBytes = 4 << 20

// backgroundCheckpointParam in a DSN makes the driver turn the connection's
// automatic checkpoints off (sqliteDriver.Open); only the writer's has it.
const backgroundCheckpointParam = "_background_checkpoint"

type checkpointer struct {
	db     *sql.DB
	logger *slog.Logger
	wake   chan struct{}
	stop   chan struct{}
	done   chan struct{}
}

func newCheckpointer(db *sql.DB, logger *slog.Logger) *checkpointer {
	c := &checkpointer{db: db, logger: logger, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

func (c *checkpointer) run() {
	defer close(c.done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-c.wake:
		case <-tick.C:
		}
		c.checkpoint()
	}
}

// checkpoint copies the log into the database file as far as readers let it.
func (c *checkpointer) checkpoint() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var busy, frames, copied int64
	if err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); err != nil {
		c.logger.Warn("sqlite checkpoint failed", "err", err)
	}
}

// signal asks for a checkpoint soon; it never waits.
func (c *checkpointer) signal() {
	if c == nil {
		return
	}
	select {
	case c.wake <- struct{}{}:
	default: // one is asked for already
	}
}

func (c *checkpointer) close() {
	close(c.stop)
	<-c.done
}
