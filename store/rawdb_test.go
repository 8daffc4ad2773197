package store

import (
	"context"
	"database/sql"

	"github.com/freenahi/freenahi"
)

// DB exposes the read pool to the store's external tests, which check what is
// stored at rest (sealed values) with plain SQL.
func (s *Store) DB() *sql.DB { return s.rdb }

// ExecInEvent runs a statement in the transaction of the event w writes,
// as it is (no storable text), for tests of how the store answers what the
// database refuses there.
func ExecInEvent(ctx context.Context, w freenahi.SyncWriter, query string, args ...any) error {
	_, err := w.(*syncWriter).tx.tx.ExecContext(ctx, query, args...)
	return err
}

// SetCopyRows makes the PostgreSQL ingest path copy every n transactions
// instead of pgCopyRows, so that a test of a few rows crosses copies.
func (s *Store) SetCopyRows(n int) { s.copyRows = n }

// StopCheckpoints stops the background checkpoints of SQLite's log
// (checkpoint.go); StartCheckpoints starts them again.
func (s *Store) StopCheckpoints() {
	if s.ckpt != nil {
		s.ckpt.close()
		s.ckpt = nil
	}
}

func (s *Store) StartCheckpoints() { s.ckpt = newCheckpointer(s.rdb, s.logger) }

// AfterTransferRead makes DetectTransfers call fn between its read of the
// candidates and its write of the pairs.
func (s *Store) AfterTransferRead(fn func()) { s.afterTransferRead = fn }

// StopSearchIndexMerges stops those merges, as a role that does not own
// the index would find them stopped.
func (s *Store) StopSearchIndexMerges() {
	if s.searchClean != nil {
		s.searchClean.close()
		s.searchClean = nil
	}
}

// SQLiteMemoryStatistics returns what sqlite3_config answered when the
// store turned SQLite's memory statistics off (sqlite_config.go), and the
// bytes those statistics count now: 0 while they are off.
func SQLiteMemoryStatistics() (configAnswer int, used int64) {
	return sqliteMemstatusOff, sqliteMemoryUsed()
}
