package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL an event's transactions go in by COPY: the rows of several
// batches are collected (pgCopyRows at most), copied into a temporary
// staging table in the event's own transaction, then moved into
// transactions by one INSERT … SELECT … ON CONFLICT with the very clause of
// transactionUpsert (pgTransactionUpsert), so re-deliveries, older events, changed rows and the
// fields a person edited behave exactly as before. Fewer, larger statements
// also run the statement-level day-sum triggers fewer times (issue 15).

// pgCopyRows is the most transactions collected before they are written.
const pgCopyRows = 10_000

// stagingTable holds the rows of one COPY until the INSERT … SELECT moves
// them; ON COMMIT DELETE ROWS leaves it empty for the connection's next
// event, and a rolled-back event takes its rows (or its creation) away.
const stagingTable = "sync_transactions_staging"

var (
	stagingCreate = func() string {
		cols := make([]string, len(pgTransactionUpsert.columns))
		for i, c := range pgTransactionUpsert.columns {
			cols[i] = c + " " + pgTransactionArrayTypes[i]
		}
		return `CREATE TEMPORARY TABLE IF NOT EXISTS ` + stagingTable + ` (n integer NOT NULL, ` +
			strings.Join(cols, ", ") + `) ON COMMIT DELETE ROWS`
	}()
	stagingColumns = append([]string{"n"}, pgTransactionUpsert.columns...)
	// stagingInsert keeps the order the rows came in (n), which gives
	// new rows their ids in that order, as the other paths do.
	stagingInsert = `INSERT INTO transactions (` + strings.Join(pgTransactionUpsert.columns, ", ") + `) SELECT ` +
		strings.Join(pgTransactionUpsert.columns, ", ") + ` FROM ` + stagingTable + ` ORDER BY n` + pgTransactionUpsert.conflictClause()
)

// beginSync begins the transaction of a syncWriter on a connection of its
// own, through which the driver is reached while it is open: on
// PostgreSQL for the COPY of transactions (pgx's CopyFrom is not in
// database/sql), on SQLite for the full batches (rawBatches). The caller
// closes conn after the transaction ends.
func (s *Store) beginSync(ctx context.Context) (*sql.Tx, *sql.Conn, error) {
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return tx, conn, nil
}

// stage collects transactions for the next copy, writing them once
// pgCopyRows are waiting.
func (w *syncWriter) stage(ctx context.Context, txs []*freenahi.Transaction) error {
	w.pending = append(w.pending, txs...)
	limit := pgCopyRows
	if w.s.copyRows > 0 {
		limit = w.s.copyRows
	}
	if len(w.pending) < limit {
		return nil
	}
	return w.flush(ctx)
}

// flush writes the transactions collected so far. Every other write or read
// of the writer flushes first (on SQLite, those that neither read
// transactions nor fire a trigger that does let them wait: flushUnrelated,
// flushAccount), and the event flushes before it is marked processed, so
// nothing that depends on them sees the database without them.
func (w *syncWriter) flush(ctx context.Context) error {
	if w.conn == nil {
		return w.flushSQLite(ctx)
	}
	if len(w.pending) == 0 {
		return nil
	}
	txs := lastByPowensID(w.pending)
	w.pending = nil
	if err := w.copyTransactions(ctx, txs); err != nil {
		return fmt.Errorf("upsert %d transactions: %w", len(txs), err)
	}
	return nil
}

// finish writes what the event left pending: the transactions collected
// for the next copy, then, once any were copied, the monthly report sums
// their statements deferred (migration 00220): one apply for the whole
// event instead of one per statement, which wrote the same months,
// categories and payees once per account. The event's transaction must
// not commit without it.
func (w *syncWriter) finish(ctx context.Context) error {
	if err := w.flush(ctx); err != nil {
		return err
	}
	if !w.deferred {
		return nil
	}
	if _, err := w.tx.ExecContext(ctx, `SELECT report_undefer()`); err != nil {
		return fmt.Errorf("apply report sums: %w", err)
	}
	return nil
}

// copyTransactions copies txs into the staging table and moves them into
// transactions; when none of them is stored yet (a first sync), straight
// into transactions. Text goes through storableText like every other
// argument of the event's transaction.
func (w *syncWriter) copyTransactions(ctx context.Context, txs []*freenahi.Transaction) error {
	if !w.deferred {
		// Whichever way the rows go in, their statements' report sums
		// wait for finish.
		if _, err := w.tx.ExecContext(ctx, `SELECT report_defer()`); err != nil {
			return fmt.Errorf("defer report sums: %w", err)
		}
		w.deferred = true
	}
	fresh, err := w.noneStored(ctx, txs)
	if err != nil {
		return err
	}
	if fresh {
		// No row to update, so no ON CONFLICT to run: the rows go in
		// in the order they came, as from the staging table ordered by
		// n. Nothing else writes the user's Powens ids while one of the
		// user's events runs; should a row appear meanwhile all the
		// same, the unique key refuses the copy and the event fails,
		// kept for replay, which finds it stored and takes the staging
		// path.
		return w.copyInto(ctx, "transactions", pgTransactionUpsert.columns, txs, false)
	}
	if !w.staged {
		if _, err := w.tx.ExecContext(ctx, stagingCreate); err != nil {
			return fmt.Errorf("create staging table: %w", err)
		}
		w.staged = true
	} else if _, err := w.tx.ExecContext(ctx, `TRUNCATE `+stagingTable); err != nil {
		return fmt.Errorf("empty staging table: %w", err)
	}
	if err := w.copyInto(ctx, stagingTable, stagingColumns, txs, true); err != nil {
		return err
	}
	if _, err := w.tx.ExecContext(ctx, stagingInsert); err != nil {
		return err
	}
	return nil
}

// copyInto copies txs into table's columns, each row led by its place
// in txs when numbered (the staging table's n).
func (w *syncWriter) copyInto(ctx context.Context, table string, columns []string, txs []*freenahi.Transaction, numbered bool) error {
	now := micros(w.now)
	row := make([]any, 0, len(columns))
	source := pgx.CopyFromSlice(len(txs), func(i int) ([]any, error) {
		row = row[:0]
		if numbered {
			row = append(row, int64(i))
		}
		row = w.pgTransactionRow(txs[i], now, row)
		return row, nil
	})
	err := w.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy: the connection is a %T, not pgx's", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, source)
		return err
	})
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	return nil
}

// noneStored tells whether none of txs is stored for the user yet, by
// their Powens ids (the conflict key).
func (w *syncWriter) noneStored(ctx context.Context, txs []*freenahi.Transaction) (bool, error) {
	ids := make([]int64, len(txs))
	for i, t := range txs {
		ids[i] = t.PowensID
	}
	var stored bool
	err := w.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM transactions WHERE user_id = $1 AND powens_id = ANY($2))`,
		w.userID, ids).Scan(&stored)
	if err != nil {
		return false, fmt.Errorf("find stored transactions: %w", err)
	}
	return !stored, nil
}
