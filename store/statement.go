package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"

	"github.com/freenahi/freenahi"
)

var _ freenahi.StatementSource = (*Store)(nil)

// statementPage is how many transactions one keyset page of a statement
// reads: large enough that a page costs little more than its rows, small
// enough that memory stays flat. On PostgreSQL each page is a round trip
// during which neither side works: at 1,000 rows a page, a 1,000,000-row
// camt.053 export ran at about 0.7 of the driver's one-query scan of the
// same rows, at 5,000 at about 0.9 (a page holds about 3 MB).
const statementPage = 5000

// exportable is the condition on transactions t that exports use: booked,
// not deleted, with a known amount. Coming transactions wait until they
// are booked; one whose amount Powens did not give is never exported.
const exportable = `t.coming = FALSE AND t.deleted_at IS NULL AND t.amount_origin <> 'unknown'`

// ReadStatement runs fn with one account's statement data, all read in one
// read-only transaction so that the balances and the transactions agree even
// while a sync writes. The closing balance is the account's stored balance
// minus the booked, non-deleted transactions dated after q.To. fn's error
// is returned as it is; the store's own are EINVALID for a bad period or an
// account without a balance, ENOTFOUND for an account that is not the user's.
func (s *Store) ReadStatement(ctx context.Context, q freenahi.StatementQuery, fn func(*freenahi.StatementData) error) error {
	var fnErr error
	err := s.readStatement(ctx, q, func(d *freenahi.StatementData) error {
		fnErr = fn(d)
		return fnErr
	})
	if err != nil && err != fnErr {
		return fmt.Errorf("read statement of account %d: %w", q.AccountID, err)
	}
	return err
}

func (s *Store) readStatement(ctx context.Context, q freenahi.StatementQuery, fn func(*freenahi.StatementData) error) error {
	if q.From.IsZero() {
		return freenahi.FieldErrorf("from", "is required")
	}
	if q.To.IsZero() {
		return freenahi.FieldErrorf("to", "is required")
	}
	if q.To.Before(q.From) {
		return freenahi.FieldErrorf("to", "%s is before the start date %s", q.To, q.From)
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	a := &freenahi.Account{}
	err = tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.user_id = $1 AND a.id = $2`,
		q.UserID, q.AccountID).Scan(accountDest(a)...)
	if err != nil {
		return notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", q.AccountID))
	}
	if a.BalanceMinor == nil {
		return freenahi.Errorf(freenahi.EINVALID, "Account %d (%s) has no balance yet, so no statement balance can be computed; sync it first.",
			a.ID, a.Name)
	}
	d := &freenahi.StatementData{Account: a}
	var after int64
	// The user's id, redundant with the account's, lets this sum read the
	// transactions_booked index alone, which holds every column it needs.
	err = tx.QueryRowContext(ctx, `
		SELECT COALESCE(SUM(CASE WHEN t.date > $3 THEN t.value_minor END), 0),
			COALESCE(SUM(CASE WHEN t.date <= $3 THEN t.value_minor END), 0),
			COUNT(CASE WHEN t.date <= $3 THEN 1 END)
		FROM transactions t WHERE t.user_id = $4 AND t.account_id = $1 AND t.date >= $2 AND `+exportable,
		a.ID, int64(q.From.Int()), int64(q.To.Int()), a.UserID).Scan(&after, &d.PeriodMinor, &d.Count)
	if err != nil {
		return fmt.Errorf("sum transactions: %w", err)
	}
	d.ClosingMinor = *a.BalanceMinor - after
	if d.Categories, err = statementCategories(ctx, tx, a.UserID); err != nil {
		return err
	}
	d.Transactions = func(yield func(*freenahi.Transaction, error) bool) {
		s.statementRows(ctx, tx, a, q, yield)
	}
	return fn(d)
}

// readTx begins a read-only snapshot: REPEATABLE READ on PostgreSQL; on
// SQLite (WAL) a deferred transaction sees one snapshot from its first read.
func (s *Store) readTx(ctx context.Context) (*sql.Tx, error) {
	var opts *sql.TxOptions
	if s.engine == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return s.rdb.BeginTx(ctx, opts)
}

// statementRows yields the period's booked transactions by (date,
// powens_id). Pages follow the (account_id, date, id) index with a keyset
// cursor, and each page is also bounded by a window of dates: on a table
// without statistics (just filled, not yet analysed) PostgreSQL plans a
// bitmap scan of every remaining row and a sort for each page, which made
// a 1,000,000-row export quadratic; the window bounds what any plan reads.
// The window halves after a full page and doubles after an exhausted one.
// Each day's rows are then put in Powens id order here: memory holds one
// day of one account, never the period.
func (s *Store) statementRows(ctx context.Context, tx *sql.Tx, a *freenahi.Account, q freenahi.StatementQuery, yield func(*freenahi.Transaction, error) bool) {
	// One statement read runs hundreds of page queries: prepared once, each
	// costs its rows, not a parse and a plan.
	stmt, err := tx.PrepareContext(ctx, statementPageQuery(q.Extras))
	if err != nil {
		yield(nil, fmt.Errorf("read statement of account %d: prepare: %w", a.ID, err))
		return
	}
	defer stmt.Close()
	cur := pageCursor{date: q.From, id: 0}
	window := 8 // days
	page := make([]*statementRow, 0, statementPage)
	var day []*statementRow
	// A yielded transaction is the consumer's until it asks for the next
	// one (StatementData's contract), so a flushed day's transactions are
	// reused for the next pages: a 1,000,000-row export allocates a day's
	// worth of them, not a million.
	var free transactionPool
	flush := func() bool {
		slices.SortFunc(day, func(x, y *statementRow) int { return cmp.Compare(x.t.PowensID, y.t.PowensID) })
		for _, r := range day {
			if !yield(&r.t, nil) {
				return false
			}
		}
		free = append(free, day...)
		day = day[:0]
		return true
	}
	for {
		end := cur.date.AddDays(window)
		if end.After(q.To) {
			end = q.To
		}
		page = page[:0]
		if err := statementPageRows(ctx, stmt, a, q.Extras, cur, end, &free, &page); err != nil {
			yield(nil, fmt.Errorf("read statement of account %d: transactions from %s: %w", a.ID, cur.date, err))
			return
		}
		for _, r := range page {
			if len(day) > 0 && r.t.Date != day[0].t.Date && !flush() {
				return
			}
			day = append(day, r)
		}
		switch {
		case len(page) == statementPage:
			last := page[len(page)-1]
			cur, window = pageCursor{date: last.t.Date, id: last.t.ID}, max(window/2, 1)
		case end == q.To:
			flush()
			return
		default: // the window is exhausted: go past it
			cur, window = pageCursor{date: end, id: math.MaxInt64}, min(window*2, 1<<14)
		}
	}
}

// pageCursor is a keyset position in (date, id) order.
type pageCursor struct {
	date freenahi.Date
	id   int64
}

// statementColumns are what a statement shows of a transaction: fewer
// columns than transactionSelect and no join, since on SQLite decoding
// each column of each row is most of an export's cost. statementExtras are
// read only when the query asks for them (the CSV's category, payee and
// tags): CFONB, camt.053 and OFX never show them. The dates are read as
// "date + 0", an expression without a declared type: mattn/go-sqlite3 turns
// an integer of a column declared DATE into a time.Time, which sqliteRows
// turns back, two allocations and conversions per date per row (quiet,
// 1,000,000 rows: camt.053 on SQLite 489,565 → 523,805 records/s, medians
// of three alternated runs).
const (
	statementColumns = `SELECT t.id, t.powens_id, t.date + 0, t.vdate + 0, t.value_minor, t.type, t.original_wording, t.wording,
	t.simplified_wording, t.counterparty_label`
	statementExtras = `, t.payee, t.tags, t.category_id`
)

// statementPageWhere reads one page of a statement's rows after a keyset
// cursor ($2, $3) and up to $4, in (date, id) order, $5 (statementPage) at
// most. The row-value comparison is spelt out so both engines range-scan
// the (account_id, date, id) index.
const statementPageWhere = ` FROM transactions t
	WHERE t.account_id = $1 AND t.date >= $2 AND (t.date > $2 OR t.id > $3) AND t.date <= $4 AND ` + exportable + `
	ORDER BY t.date, t.id LIMIT $5`

// statementPageQuery returns the page query, with the extra columns or without.
func statementPageQuery(extras bool) string {
	if extras {
		return statementColumns + statementExtras + statementPageWhere
	}
	return statementColumns + statementPageWhere
}

// transactionPool holds transactions a statement read may fill again.
type transactionPool []*statementRow

// statementRow is a pooled transaction with room for its counterparty, so
// that a row with one allocates nothing either.
type statementRow struct {
	t  freenahi.Transaction
	cp freenahi.Counterparty
}

// take returns a zeroed row from the pool, which allocates a page's worth
// at once when it is empty.
func (p *transactionPool) take() *statementRow {
	if len(*p) == 0 {
		slab := make([]statementRow, statementPage)
		for i := range slab {
			*p = append(*p, &slab[i])
		}
	}
	r := (*p)[len(*p)-1]
	*p = (*p)[:len(*p)-1]
	*r = statementRow{}
	return r
}

// statementPageRows appends one page of rows after cur and up to end, in
// transactions taken from free. They carry only the statementColumns
// fields (and the extras when asked), and the account's id, user and
// currency. Each column is scanned into a field of the pooled row: the
// driver's own strings are kept, nothing else is allocated per row.
func statementPageRows(ctx context.Context, stmt *sql.Stmt, a *freenahi.Account, extras bool, cur pageCursor, end freenahi.Date,
	free *transactionPool, page *[]*statementRow) error {
	rows, err := stmt.QueryContext(ctx, a.ID, int64(cur.date.Int()), cur.id, int64(end.Int()), statementPage)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	var cp sql.NullString
	var tags string
	var category sql.NullInt64
	dest := make([]any, 0, 13)
	for rows.Next() {
		r := free.take()
		t := &r.t
		t.UserID, t.AccountID, t.Currency, t.Active = a.UserID, a.ID, a.Currency, true
		// Integers go through int64Val and dateVal: database/sql converts
		// an int64 into an *int64 by reflection, a Scanner takes it as it is.
		dest = append(dest[:0], int64Val{&t.ID}, int64Val{&t.PowensID}, dateVal{&t.Date}, dateVal{&t.VDate},
			int64Val{&t.ValueMinor}, &t.Type, &t.OriginalWording, &t.Wording, &t.SimplifiedWording, &cp)
		if extras {
			dest = append(dest, &t.Payee, &tags, &category)
		}
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("scan: %w", err)
		}
		if cp.Valid {
			r.cp.Label = cp.String
			t.Counterparty = &r.cp
		}
		if extras {
			t.Tags = splitTags(tags)
			if category.Valid {
				id := category.Int64
				t.CategoryID = &id
			}
		}
		*page = append(*page, r)
	}
	return rows.Err()
}

// statementCategories names the user's categories for a statement; a
// merged category shows as the one that took it over.
func statementCategories(ctx context.Context, tx *sql.Tx, userID int64) (map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, COALESCE(m.name, c.name) FROM categories c
		LEFT JOIN categories m ON m.id = c.merged_into_id WHERE c.user_id = $1`, userID)
	if err != nil {
		return nil, fmt.Errorf("read categories: %w", err)
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("read categories: %w", err)
		}
		names[id] = name
	}
	return names, rows.Err()
}

// int64Val scans a NOT NULL integer column.
type int64Val struct{ dst *int64 }

func (s int64Val) Scan(v any) error {
	n, err := asInt64(v)
	*s.dst = n
	return err
}
