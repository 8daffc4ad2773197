package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

// On SQLite, the day sums (transaction_days), the history versions and the
// search index are kept by row triggers for every write but ingest's: row by
// row, they made an ingest batch more than twice as slow. A batch writer
// instead holds the one row of ingest_batch while it writes (the triggers
// stand aside, migration 95), reads the stored version of the transactions
// it is about to write, has the upsert report the rows it inserted or
// changed, and applies the difference once per batch: one grouped upsert of
// the days, one version bump per account, one insert into the index.
// PostgreSQL's triggers are already per statement (migration 55).

// countedCond is the exportable condition: a row counted in the day sums.
const countedCond = `coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown'`

// transactionUpsertReturning is transactionUpsert reporting each row it
// inserted or changed (a row the upsert leaves alone is not reported) with
// what the derived data need of it.
var transactionUpsertReturning = &upsertSpec{
	table:     transactionUpsert.table,
	conflict:  transactionUpsert.conflict,
	columns:   transactionUpsert.columns,
	fixed:     transactionUpsert.fixed,
	merge:     transactionUpsert.merge,
	returning: `id, powens_id, account_id, date, value_minor, ` + countedCond + `, search_text`,
}

// derivedRow is what the derived data need of a stored transaction.
type derivedRow struct {
	id, powensID, accountID, date, valueMinor int64
	counted                                   bool
	search                                    string
}

func scanDerivedRow(sc interface{ Scan(...any) error }) (derivedRow, error) {
	var r derivedRow
	err := sc.Scan(&r.id, &r.powensID, &r.accountID, &r.date, &r.valueMinor, &r.counted, &r.search)
	return r, err
}

// upsertTransactionsSQLite writes txs in batches with the triggers of the
// insert and update paths standing aside, and keeps the derived data itself.
// The flag row is removed whatever happens: a caller that goes on with the
// transaction after an error must find the triggers in force.
func (w *syncWriter) upsertTransactionsSQLite(ctx context.Context, txs []*freenahi.Transaction) (err error) {
	if _, err := w.tx.ExecContext(ctx, `INSERT INTO ingest_batch (id) VALUES (1)`); err != nil {
		return fmt.Errorf("open ingest batch: %w", err)
	}
	defer func() {
		if _, cerr := w.tx.ExecContext(ctx, `DELETE FROM ingest_batch`); cerr != nil && err == nil {
			err = fmt.Errorf("close ingest batch: %w", cerr)
		}
	}()
	for len(txs) > 0 {
		n := min(len(txs), transactionBatch)
		if err := w.upsertTransactionBatch(ctx, lastByPowensID(txs[:n])); err != nil {
			return err
		}
		txs = txs[n:]
	}
	return nil
}

// storedVersions reads the stored version of the batch's transactions that
// exist, by Powens id.
func (w *syncWriter) storedVersions(ctx context.Context, txs []*freenahi.Transaction) (map[int64]derivedRow, error) {
	ids := make([]byte, 0, 12*len(txs)+2)
	ids = append(ids, '[')
	for i, t := range txs {
		if i > 0 {
			ids = append(ids, ',')
		}
		ids = strconv.AppendInt(ids, t.PowensID, 10)
	}
	ids = append(ids, ']')
	rows, err := w.tx.QueryContext(ctx, `SELECT id, powens_id, account_id, date, value_minor, `+countedCond+`, search_text
		FROM transactions WHERE user_id = $1 AND powens_id IN (SELECT value FROM json_each($2))`, w.userID, string(ids))
	if err != nil {
		return nil, fmt.Errorf("read stored transactions: %w", err)
	}
	defer rows.Close()
	out := map[int64]derivedRow{}
	for rows.Next() {
		r, err := scanDerivedRow(rows)
		if err != nil {
			return nil, fmt.Errorf("read stored transactions: %w", err)
		}
		out[r.powensID] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read stored transactions: %w", err)
	}
	return out, nil
}

// dayDelta is the change of one account's day: sum and count.
type dayDelta struct{ sum, n int64 }

// applyDerived brings the day sums, history versions and search index in
// step with the rows a batch changed (changed, as stored now), given their
// stored versions before the batch (old, by Powens id).
func (w *syncWriter) applyDerived(ctx context.Context, old map[int64]derivedRow, changed []derivedRow) error {
	days := map[[2]int64]dayDelta{}
	var unindex, index []any
	for _, r := range changed {
		o, existed := old[r.powensID]
		if existed && o.counted {
			d := days[[2]int64{o.accountID, o.date}]
			days[[2]int64{o.accountID, o.date}] = dayDelta{d.sum - o.valueMinor, d.n - 1}
		}
		if r.counted {
			d := days[[2]int64{r.accountID, r.date}]
			days[[2]int64{r.accountID, r.date}] = dayDelta{d.sum + r.valueMinor, d.n + 1}
		}
		switch {
		case !existed:
			index = append(index, r.id)
		case o.search != r.search:
			unindex = append(unindex, o.id, o.search)
			index = append(index, r.id)
		}
	}
	if err := w.applyDays(ctx, days); err != nil {
		return err
	}
	if len(unindex) > 0 {
		if err := w.execJSON(ctx, `INSERT INTO transactions_search (transactions_search, rowid, search_text)
			SELECT 'delete', value ->> 0, value ->> 1 FROM json_each($1)`, unindex, 2); err != nil {
			return fmt.Errorf("unindex transactions: %w", err)
		}
	}
	if len(index) > 0 {
		// The rows were just written: their pages are in the cache, and
		// reading the text there is cheaper than handing it over.
		if err := w.execJSON(ctx, `INSERT INTO transactions_search (rowid, search_text)
			SELECT id, search_text FROM transactions WHERE id IN (SELECT value FROM json_each($1))`, index, 1); err != nil {
			return fmt.Errorf("index transactions: %w", err)
		}
	}
	return nil
}

// applyDays adds each day's change to its sum, removes the days left with
// no transaction, and raises the version of every account whose days
// changed, once.
func (w *syncWriter) applyDays(ctx context.Context, days map[[2]int64]dayDelta) error {
	var rows, shrunk, accounts []any
	bumped := map[int64]bool{}
	for k, d := range days {
		if d.sum == 0 && d.n == 0 {
			continue // what left the day came back to it
		}
		rows = append(rows, w.userID, k[0], k[1], d.sum, d.n)
		if d.n < 0 {
			shrunk = append(shrunk, k[0], k[1])
		}
		if !bumped[k[0]] {
			bumped[k[0]] = true
			accounts = append(accounts, k[0])
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if err := w.execJSON(ctx, `INSERT INTO history_versions (user_id, account_id, version)
		SELECT $1, value, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER) FROM json_each($2) WHERE TRUE
		ON CONFLICT (user_id, account_id) DO UPDATE SET version = version + 1`, accounts, 1, w.userID); err != nil {
		return fmt.Errorf("raise history versions: %w", err)
	}
	if err := w.addDays(ctx, rows); err != nil {
		return fmt.Errorf("add day sums: %w", err)
	}
	if len(shrunk) > 0 {
		if err := w.execJSON(ctx, `DELETE FROM transaction_days WHERE user_id = $1 AND n = 0
			AND (account_id, date) IN (SELECT value ->> 0, value ->> 1 FROM json_each($2))`, shrunk, 2, w.userID); err != nil {
			return fmt.Errorf("remove empty days: %w", err)
		}
	}
	return nil
}

// execJSON runs query with args, then as its last parameter a JSON array
// of vals grouped by width (width 1: a flat array; else an array of arrays).
func (w *syncWriter) execJSON(ctx context.Context, query string, vals []any, width int, args ...any) error {
	var doc any = vals
	if width > 1 {
		groups := make([][]any, 0, len(vals)/width)
		for i := 0; i < len(vals); i += width {
			groups = append(groups, vals[i:i+width])
		}
		doc = groups
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	_, err = w.tx.ExecContext(ctx, query, append(args, string(b))...)
	return err
}

// dayRowsBuckets are the row counts of the prepared day upserts: a batch's
// days go in the smallest that holds them, padded with empty rows, so that
// an event prepares a handful of statements, not one per batch.
var dayRowsBuckets = []int{8, 64, transactionBatch}

// addDays adds each (user, account, date, sum, n) of rows to its day. The
// values are bound, not handed over as JSON: extracting them from JSON
// cost more than the upsert itself.
func (w *syncWriter) addDays(ctx context.Context, rows []any) error {
	const width = 5
	for len(rows) > 0 {
		n := min(len(rows)/width, transactionBatch)
		size := dayRowsBuckets[len(dayRowsBuckets)-1]
		for _, b := range dayRowsBuckets {
			if b >= n {
				size = b
				break
			}
		}
		st, ok := w.dayStmts[size]
		if !ok {
			q := `INSERT INTO transaction_days (user_id, account_id, date, sum_minor, n)
				SELECT column1, column2, column3, column4, column5 FROM (VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", size), ", ") + `) WHERE column1 IS NOT NULL
				ON CONFLICT (user_id, account_id, date) DO UPDATE SET sum_minor = sum_minor + excluded.sum_minor, n = n + excluded.n`
			var err error
			if st, err = w.tx.PrepareContext(ctx, q); err != nil {
				return err
			}
			if w.dayStmts == nil {
				w.dayStmts = map[int]textStmt{}
			}
			w.dayStmts[size] = st
		}
		args := make([]any, size*width)
		copy(args, rows[:n*width])
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
		rows = rows[n*width:]
	}
	return nil
}
