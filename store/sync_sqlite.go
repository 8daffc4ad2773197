package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/freenahi/freenahi"
)

// On SQLite, what is derived from transactions — the day sums of balance
// histories (migration 00055), the monthly report sums (00110) and the
// full-text index (00140) — is kept by row triggers: SQLite has no
// statement-level ones. For a large event those triggers cost about three
// times the insert itself (issues 13 and 15): 50,000 rows run 50,000
// upserts into each sum table and index 50,000 texts one by one. So while
// an event writes full batches of new rows, the writer takes the three
// AFTER INSERT triggers out, inside the event's own transaction (SQLite's
// DDL is transactional and there is one writer: a rollback or a crash puts
// them back, and no other connection ever sees the database without them),
// and before anything else reads or writes, adds what the new rows bring
// with one statement per derived table, then puts the triggers back with
// their very text from the schema. Updates of stored rows keep their
// triggers throughout.
//
// The new rows are those whose id is above the largest before the
// deferral: an INTEGER PRIMARY KEY takes ids above every stored one. A row
// the deferral inserted must not be updated before it is caught up (its
// update triggers would take out of the sums what was never put in), so a
// batch listing again a transaction the deferral wrote first ends it.

// insertTriggers are the AFTER INSERT triggers on transactions a deferral
// takes out, each with the statements that do its work for every row with
// an id above $1. They are the triggers' own statements made set-based;
// TestSyncWriter_DeferredInsertTriggers checks that no other insert
// trigger exists and compares the result with the migrations' definitions.
//
// The report sums group the new rows once, by report_parts' key, into a
// table of the connection's own (temp.report_catch_up: a few thousand rows
// for 50,000): report_parts takes those groups, and report_flows adds them
// up by its coarser key, instead of reading, joining and sorting the
// 50,000 rows again (21 ms of an event's 400 in-process). That sum is
// report_flows' own only when no new row is split: a split moves amounts
// between categories in report_parts alone. New rows have no parts (the
// writer never splits, and a split is a person's edit of a stored row), but
// transaction_splits has no foreign key, so whether a part names an id
// above $1 is asked, and if one does, report_flows is summed from the
// transactions as the trigger does.
var insertTriggers = []insertTrigger{
	{"transaction_days_insert", []string{`
		INSERT INTO history_versions (user_id, account_id, version)
		SELECT DISTINCT user_id, account_id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
		FROM transactions
		WHERE id > $1 AND coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown'
		ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1`, `
		INSERT INTO transaction_days (user_id, account_id, date, sum_minor, n)
		SELECT user_id, account_id, date, SUM(value_minor), COUNT(*)
		FROM transactions
		WHERE id > $1 AND coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown'
		GROUP BY user_id, account_id, date
		ON CONFLICT (user_id, account_id, date) DO UPDATE SET
			sum_minor = sum_minor + excluded.sum_minor, n = n + excluded.n`}},
	{"report_insert", []string{`
		CREATE TEMP TABLE IF NOT EXISTS report_catch_up (user_id INTEGER, month INTEGER, currency TEXT,
			currency_exponent INTEGER, category_id INTEGER, payee TEXT, debit_minor INTEGER, debit_n INTEGER,
			credit_minor INTEGER, n INTEGER)`, `
		INSERT INTO temp.report_catch_up (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
		SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(sp.category_id, t.category_id, 0), t.payee,
			SUM(MAX(-COALESCE(sp.amount_minor, t.value_minor), 0)), SUM(COALESCE(sp.amount_minor, t.value_minor) < 0),
			SUM(MAX(COALESCE(sp.amount_minor, t.value_minor), 0)), COUNT(*)
		FROM transactions t JOIN accounts a ON a.id = t.account_id
		LEFT JOIN transaction_splits sp ON sp.transaction_id = t.id AND sp.user_id = t.user_id
		WHERE t.id > $1 AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
		GROUP BY 1, 2, 3, 4, 5, 6`, `
		INSERT INTO report_parts (user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n)
		SELECT user_id, month, currency, currency_exponent, category_id, payee, debit_minor, debit_n, credit_minor, n
		FROM temp.report_catch_up WHERE TRUE
		ON CONFLICT (user_id, month, currency, currency_exponent, category_id, payee) DO UPDATE SET
			debit_minor = debit_minor + excluded.debit_minor, debit_n = debit_n + excluded.debit_n,
			credit_minor = credit_minor + excluded.credit_minor, n = n + excluded.n`, `
		INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
		SELECT user_id, month, currency, currency_exponent, category_id, SUM(credit_minor), SUM(debit_minor), SUM(n)
		FROM temp.report_catch_up
		WHERE NOT EXISTS (SELECT 1 FROM transaction_splits WHERE transaction_id > $1)
		GROUP BY 1, 2, 3, 4, 5
		ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
			income_minor = income_minor + excluded.income_minor, spending_minor = spending_minor + excluded.spending_minor,
			n = n + excluded.n`, `
		INSERT INTO report_flows (user_id, month, currency, currency_exponent, category_id, income_minor, spending_minor, n)
		SELECT t.user_id, t.date / 100, a.currency, a.currency_exponent, COALESCE(t.category_id, 0),
			SUM(MAX(t.value_minor, 0)), SUM(MAX(-t.value_minor, 0)), COUNT(*)
		FROM transactions t JOIN accounts a ON a.id = t.account_id
		WHERE t.id > $1 AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown' AND t.transfer = FALSE
			AND EXISTS (SELECT 1 FROM transaction_splits WHERE transaction_id > $1)
		GROUP BY 1, 2, 3, 4, 5
		ON CONFLICT (user_id, month, currency, currency_exponent, category_id) DO UPDATE SET
			income_minor = income_minor + excluded.income_minor, spending_minor = spending_minor + excluded.spending_minor,
			n = n + excluded.n`, `
		DELETE FROM temp.report_catch_up`}},
	{"transactions_search_insert", []string{`
		INSERT INTO transactions_search (docid, search_text)
		SELECT id, search_text FROM transactions WHERE id > $1`}},
}

type insertTrigger struct {
	name    string
	catchUp []string
}

// insertDeferral is an open deferral of the insert triggers.
type insertDeferral struct {
	after    int64             // the largest transaction id before it
	triggers map[string]string // CREATE statement of each trigger taken out, by name
	written  map[int64]bool    // Powens ids of the transactions written meanwhile
}

// deferInserts takes the insert triggers out (those the schema has: a
// database may lack the search index) and notes where the new rows begin.
func (w *syncWriter) deferInserts(ctx context.Context) error {
	d := &insertDeferral{triggers: map[string]string{}, written: map[int64]bool{}}
	rows, err := w.tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'transactions'`)
	if err != nil {
		return fmt.Errorf("defer insert triggers: %w", err)
	}
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return fmt.Errorf("defer insert triggers: %w", err)
		}
		if slices.ContainsFunc(insertTriggers, func(it insertTrigger) bool { return it.name == name }) {
			d.triggers[name] = create
		}
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("defer insert triggers: %w", err)
	}
	if err := w.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM transactions`).Scan(&d.after); err != nil {
		return fmt.Errorf("defer insert triggers: %w", err)
	}
	for name := range d.triggers {
		if _, err := w.tx.ExecContext(ctx, `DROP TRIGGER `+name); err != nil {
			return fmt.Errorf("defer insert trigger %s: %w", name, err)
		}
	}
	w.deferral, w.largeWrite = d, true
	return nil
}

// undeferInserts adds what the rows written since deferInserts bring to
// the derived tables and puts the triggers back; nothing when none are out.
func (w *syncWriter) undeferInserts(ctx context.Context) error {
	d := w.deferral
	if d == nil {
		return nil
	}
	w.deferral = nil
	for _, trigger := range insertTriggers {
		create, ok := d.triggers[trigger.name]
		if !ok {
			continue
		}
		for _, q := range trigger.catchUp {
			var args []any // the deferral's start, to those that take it (not the temp table's DDL and DELETE)
			if strings.Contains(q, "$1") {
				args = append(args, d.after)
			}
			if _, err := w.tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("catch up on %s: %w", trigger.name, err)
			}
		}
		if _, err := w.tx.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("restore trigger %s: %w", trigger.name, err)
		}
	}
	return nil
}

// upsertDeferred writes a batch with the insert triggers out: it ends an
// open deferral first when the batch lists again a transaction the
// deferral wrote, then opens one if none is.
func (w *syncWriter) upsertDeferred(ctx context.Context, txs []*freenahi.Transaction) error {
	if d := w.deferral; d != nil {
		for _, t := range txs {
			if d.written[t.PowensID] {
				if err := w.undeferInserts(ctx); err != nil {
					return err
				}
				break
			}
		}
	}
	if w.deferral == nil {
		if err := w.deferInserts(ctx); err != nil {
			return err
		}
	}
	for _, t := range txs {
		w.deferral.written[t.PowensID] = true
	}
	return w.upsertTransactionBatch(ctx, txs)
}

// flushSQLite writes the transactions gathered short of a batch and ends
// the deferral, if any: every other write or read of the writer, and the
// event's end, flush first.
func (w *syncWriter) flushSQLite(ctx context.Context) error {
	if len(w.pending) > 0 {
		txs := lastByPowensID(w.pending)
		w.pending = nil
		write := w.upsertTransactionBatch
		if w.deferral != nil {
			write = w.upsertDeferred
		}
		if err := write(ctx, txs); err != nil {
			return err
		}
	}
	return w.undeferInserts(ctx)
}

// flushUnrelated is the flush of a write that neither reads transactions
// nor fires a trigger that reads them (balances, investments, loans, an
// account's currency): on SQLite the gathered rows and an open deferral
// go on across it, so that an event's accounts share full batches and one
// deferral; elsewhere it flushes.
func (w *syncWriter) flushUnrelated(ctx context.Context) error {
	if !w.gather {
		return w.flush(ctx)
	}
	return nil
}

// flushAccount is the flush of an account's upsert: on SQLite an open
// deferral ends only when the upsert changes a stored account's currency,
// whose trigger (migration 00110) moves the sums of the account's
// transactions and must find them all counted.
func (w *syncWriter) flushAccount(ctx context.Context, a *freenahi.Account) error {
	if !w.gather {
		return w.flush(ctx)
	}
	if w.deferral == nil {
		return nil
	}
	var code string
	var exponent int
	err := w.tx.QueryRowContext(ctx, `SELECT currency, currency_exponent FROM accounts WHERE user_id = $1 AND powens_id = $2`,
		w.userID, a.PowensID).Scan(&code, &exponent)
	if errors.Is(err, sql.ErrNoRows) || err == nil && code == a.Currency.Code && exponent == a.Currency.Exponent {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the currency of account %d: %w", a.PowensID, err)
	}
	return w.flush(ctx)
}

// batchesOn makes w, on SQLite, run its full batches on conn, the
// connection of its transaction (beginSync), and returns what closes the
// statements they prepared once the transaction is over; nothing on
// PostgreSQL, whose transactions go by COPY or column arrays.
func (w *syncWriter) batchesOn(conn *sql.Conn) (close func()) {
	if w.s.engine != SQLite {
		return func() {}
	}
	w.raw = &rawBatches{conn: conn}
	return func() { w.raw.close() }
}

// rawBatches runs a writer's full batches of transactions on the driver's
// connection under the writer's transaction, through statements prepared
// there once. database/sql converts the 14,800 arguments of each batch
// into a new []driver.NamedValue, 43 MB for an event of 50,000: garbage
// that set the pace of the server's collections, whose live heap is
// small. The conversion is database/sql's own for a driver that has no
// checker of its own, as mattn's has not (driver.DefaultParameterConverter),
// into a slice kept from batch to batch.
type rawBatches struct {
	conn  *sql.Conn
	stmts [2]driver.Stmt // with and without the rare columns
	named []driver.NamedValue
}

// exec runs query, a full batch's upsert, with args.
func (r *rawBatches) exec(ctx context.Context, common bool, query string, args []any) error {
	k := 0
	if common {
		k = 1
	}
	return r.conn.Raw(func(dc any) error {
		if r.stmts[k] == nil {
			c, ok := dc.(driver.ConnPrepareContext)
			if !ok {
				return fmt.Errorf("the SQLite connection is a %T", dc)
			}
			st, err := c.PrepareContext(ctx, query)
			if err != nil {
				return fmt.Errorf("prepare transaction upsert: %w", err)
			}
			r.stmts[k] = st
		}
		st, ok := r.stmts[k].(driver.StmtExecContext)
		if !ok {
			return fmt.Errorf("the SQLite statement is a %T", r.stmts[k])
		}
		named := r.named[:0]
		for i, a := range storableArgs(args) {
			v, err := driver.DefaultParameterConverter.ConvertValue(a)
			if err != nil {
				return fmt.Errorf("argument %d: %w", i+1, err)
			}
			named = append(named, driver.NamedValue{Ordinal: i + 1, Value: v})
		}
		_, err := st.ExecContext(ctx, named)
		clear(named)
		r.named = named[:0]
		return err
	})
}

// close closes the statements prepared; the connection is the caller's.
func (r *rawBatches) close() error {
	return r.conn.Raw(func(any) error {
		var errs []error
		for k, st := range r.stmts {
			if st != nil {
				errs = append(errs, st.Close())
				r.stmts[k] = nil
			}
		}
		return errors.Join(errs...)
	})
}
