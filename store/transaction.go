package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	textfold "github.com/freenahi/freenahi/internal/fold"
)

var _ freenahi.TransactionService = (*Store)(nil)

const transactionSelect = `SELECT t.id, t.user_id, t.account_id, t.powens_id, t.date, t.rdate, t.vdate,
	t.application_date, t.datetime, t.rdatetime, t.vdatetime, a.currency, a.currency_exponent, t.value_minor,
	t.amount_origin, t.gross_value_minor, t.original_value_minor, t.original_gross_value_minor, t.original_currency,
	t.original_currency_exponent, t.commission_minor, t.commission_currency, t.commission_currency_exponent,
	t.type, t.original_wording, t.simplified_wording, t.wording, t.coming, t.active, t.card, t.webid,
	t.counterparty_label, t.counterparty_scheme, t.counterparty_identification, t.counterparty_type,
	t.deleted_at, t.last_update, t.updated_at, t.payee, t.category_id, t.category_source, t.tags, t.transfer,
	t.note, t.user_edits, t.transfer_pair_id
	FROM transactions t JOIN accounts a ON a.id = t.account_id`

// transactionRow holds the nullable column pairs that become pointers.
type transactionRow struct {
	t                               freenahi.Transaction
	ocCode, ccCode                  string
	ocExp, ccExp                    *int64
	cpLabel, cpScheme, cpID, cpType *string
	tags                            string
}

func (r *transactionRow) dest() []any {
	t := &r.t
	return []any{&t.ID, &t.UserID, &t.AccountID, &t.PowensID, dateVal{&t.Date}, dateVal{&t.RDate}, dateVal{&t.VDate},
		dateVal{&t.ApplicationDate}, timePtr{&t.DateTime}, timePtr{&t.RDateTime}, timePtr{&t.VDateTime},
		&t.Currency.Code, &t.Currency.Exponent, &t.ValueMinor, (*string)(&t.AmountOrigin), intPtr{&t.GrossValueMinor},
		intPtr{&t.OriginalValueMinor}, intPtr{&t.OriginalGrossValueMinor}, strVal{&r.ocCode}, intPtr{&r.ocExp},
		intPtr{&t.CommissionMinor}, strVal{&r.ccCode}, intPtr{&r.ccExp}, &t.Type, &t.OriginalWording,
		&t.SimplifiedWording, &t.Wording, boolVal{&t.Coming}, boolVal{&t.Active}, &t.Card, &t.Webid,
		strPtr{&r.cpLabel}, strPtr{&r.cpScheme}, strPtr{&r.cpID}, strPtr{&r.cpType},
		timePtr{&t.Deleted}, timePtr{&t.LastUpdate}, timeVal{&t.UpdatedAt}, &t.Payee, intPtr{&t.CategoryID},
		&t.CategorySource, &r.tags, boolVal{&t.Transfer}, &t.Note, (*int)(&t.Edits), intPtr{&t.TransferPair}}
}

func (r *transactionRow) transaction() *freenahi.Transaction {
	t := r.value()
	return &t
}

// value returns the scanned transaction.
func (r *transactionRow) value() freenahi.Transaction {
	t := r.t
	t.Tags = splitTags(r.tags)
	if r.ocCode != "" && r.ocExp != nil {
		t.OriginalCurrency = &freenahi.Currency{Code: r.ocCode, Exponent: int(*r.ocExp)}
	}
	if r.ccCode != "" && r.ccExp != nil {
		t.CommissionCurrency = &freenahi.Currency{Code: r.ccCode, Exponent: int(*r.ccExp)}
	}
	if r.cpLabel != nil || r.cpScheme != nil || r.cpID != nil || r.cpType != nil {
		t.Counterparty = &freenahi.Counterparty{Label: deref(r.cpLabel), AccountScheme: deref(r.cpScheme),
			AccountIdentification: deref(r.cpID), Type: deref(r.cpType)}
	}
	return t
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// strPtr scans a nullable text column into a *string.
type strPtr struct{ dst **string }

func (s strPtr) Scan(v any) error {
	if v == nil {
		*s.dst = nil
		return nil
	}
	var text string
	err := strVal{&text}.Scan(v)
	*s.dst = &text
	return err
}

// FindTransactions returns one page of the user's transactions, newest first,
// with keyset pagination on (date, id): page 10,000 costs what page 1 costs.
// The cursor is nil on the last page. EINVALID when the filter is invalid.
func (s *Store) FindTransactions(ctx context.Context, f freenahi.TransactionFilter) ([]*freenahi.Transaction, *freenahi.Cursor, error) {
	page, err := s.FindTransactionPage(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	return page.Transactions, page.Next, nil
}

// findTransactions reads up to f.Limit+1 rows of a validated filter in its
// order, or in the reverse order when backward (a page before f.Before).
func (s *Store) findTransactions(ctx context.Context, f freenahi.TransactionFilter, backward bool) ([]*freenahi.Transaction, error) {
	if f.WithShared {
		// One page per account shared with the person, merged (share.go).
		if out, ok, err := s.findAcrossShares(ctx, f, backward); ok || err != nil {
			return out, err
		}
	}
	q, fts, err := s.filterQuery(ctx, f)
	if err != nil {
		return nil, err
	}
	from := transactionSelect
	if fts {
		from = searchSelect
	}
	sql := from + " WHERE " + q.sql() + " ORDER BY " + orderBy(f.Sort, backward) + " LIMIT " + strconv.Itoa(f.Limit+1)
	rows, err := s.readQuery(ctx, sql, q.args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	// One row buffer and one destination list for the whole page, and the
	// page's transactions in one allocation: per-row allocations were most of
	// the garbage of serving a page.
	out := make([]*freenahi.Transaction, 0, f.Limit+1)
	backing := make([]freenahi.Transaction, 0, f.Limit+1)
	var r transactionRow
	dest := r.dest()
	for rows.Next() {
		r = transactionRow{}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		backing = append(backing, r.value())
		out = append(out, &backing[len(backing)-1])
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read rows: %w", err)
	}
	return out, nil
}

// filterQuery builds the conditions of a validated filter; fts tells that
// they search SQLite's full-text index, which the FROM clause must then join
// first (searchSelect, searchFrom).
func (s *Store) filterQuery(ctx context.Context, f freenahi.TransactionFilter) (q *query, fts bool, err error) {
	q = &query{}
	if err := s.ownerScope(ctx, q, f); err != nil {
		return nil, false, err
	}
	if f.AccountID != nil {
		q.where("t.account_id = $?", *f.AccountID)
	}
	// The keyset's date is also a date bound (keysetDates): it lets the
	// index range start at the cursor. With only the (date, id) row
	// comparison, SQLite chose the date filters as its range and walked from
	// the top of the period down to the cursor (1.3 s at 900,000 rows deep).
	from, to := keysetDates(f)
	if from != nil {
		q.where("t.date >= $?", int64(from.Int()))
	}
	if to != nil {
		q.where("t.date <= $?", int64(to.Int()))
	}
	if !f.IncludeDeleted {
		q.where("t.deleted_at IS NULL")
	}
	if f.ExcludeComing {
		q.where("t.coming = $?", false)
	}
	if f.ComingOnly {
		// Written as the condition of the partial index transactions_coming
		// (migration 00120), so that both engines read the few coming rows
		// from it instead of walking every transaction of the person.
		q.where("t.coming = TRUE")
	}
	if words := textfold.Words(f.Query); len(words) > 0 {
		fts = s.textFilter(q, words)
	}
	switch f.Direction {
	case freenahi.DirectionSpending:
		q.where("t.value_minor < 0")
	case freenahi.DirectionIncome:
		q.where("t.value_minor > 0")
	}
	if f.Tag != "" {
		// Tags are stored one per line: the tag must be a whole line.
		q.where(`($? || t.tags || $?) LIKE $? ESCAPE '\'`, "\n", "\n", "%\n"+likeEscape(f.Tag)+"\n%")
	}
	if f.MinAmount != nil || f.MaxAmount != nil {
		if err := s.amountFilter(ctx, q, f); err != nil {
			return nil, false, fmt.Errorf("amount filter: %w", err)
		}
	}
	if f.CategoryID != nil && *f.CategoryID == 0 {
		q.where("t.category_id IS NULL")
	} else if f.CategoryID != nil {
		// A split transaction shows under each of its parts' categories too,
		// as the spending report counts it there.
		q.where("(t.category_id = $? OR t.id IN (SELECT transaction_id FROM transaction_splits WHERE user_id = $? AND category_id = $?))",
			*f.CategoryID, f.UserID, *f.CategoryID)
	}
	if f.Payee != "" {
		q.where("t.payee = $?", f.Payee)
	}
	keysetWhere(q, f)
	return q, fts, nil
}

// amountFilter bounds value_minor. Minor units depend on each account's
// currency exponent, so the bound is converted once per exponent in use.
func (s *Store) amountFilter(ctx context.Context, q *query, f freenahi.TransactionFilter) error {
	rows, err := s.readQuery(ctx, `SELECT DISTINCT currency_exponent FROM accounts
		WHERE user_id = $1 OR id IN (SELECT account_id FROM account_shares WHERE grantee_id = $1)`, f.UserID)
	if err != nil {
		return fmt.Errorf("find currency exponents: %w", err)
	}
	var exps []int
	for rows.Next() {
		var e int
		if err := rows.Scan(&e); err != nil {
			rows.Close()
			return fmt.Errorf("find currency exponents: scan: %w", err)
		}
		exps = append(exps, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find currency exponents: %w", err)
	}
	// Bounds are bound as parameters, never written into the SQL: the text
	// then depends only on which bounds are set and how many exponents the
	// user has, so it stays one cached prepared statement.
	var alts []string
	var args []any
	for _, e := range exps {
		var conds []string
		if len(exps) > 1 {
			conds, args = append(conds, "a.currency_exponent = $?"), append(args, int64(e))
		}
		for _, b := range []struct {
			d     *freenahi.Decimal
			op    string
			lower bool
			field string
		}{{f.MinAmount, ">=", true, "min_amount"}, {f.MaxAmount, "<=", false, "max_amount"}} {
			if b.d == nil {
				continue
			}
			m, err := b.d.MinorBound(e, b.lower)
			if err != nil {
				return freenahi.FieldErrorf(b.field, "%s is too large for an amount", b.d)
			}
			if f.Direction == "" {
				conds, args = append(conds, "t.value_minor "+b.op+" $?"), append(args, m)
				continue
			}
			// A size: money out is the negative side, bounds mirrored.
			mirror := map[string]string{">=": "<=", "<=": ">="}[b.op]
			switch f.Direction {
			case freenahi.DirectionSpending:
				conds, args = append(conds, "t.value_minor "+mirror+" $?"), append(args, -m)
			case freenahi.DirectionIncome:
				conds, args = append(conds, "t.value_minor "+b.op+" $?"), append(args, m)
			default: // a size at least lo is on either side; at most hi, between -hi and hi
				join := map[bool]string{true: " OR ", false: " AND "}[b.lower]
				conds = append(conds, "(t.value_minor "+b.op+" $?"+join+"t.value_minor "+mirror+" $?)")
				args = append(args, m, -m)
			}
		}
		alts = append(alts, "("+strings.Join(conds, " AND ")+")")
	}
	if len(alts) == 0 {
		q.where("1 = 0") // the user has no accounts
		return nil
	}
	q.where("("+strings.Join(alts, " OR ")+")", args...)
	return nil
}

// FindTransactionByID returns one of the user's transactions, deleted or
// not; ENOTFOUND if it does not exist or belongs to another user.
func (s *Store) FindTransactionByID(ctx context.Context, userID, id int64) (*freenahi.Transaction, error) {
	var r transactionRow
	err := s.rdb.QueryRowContext(ctx, transactionSelect+` WHERE t.user_id = $1 AND t.id = $2`, userID, id).Scan(r.dest()...)
	if err != nil {
		return nil, fmt.Errorf("find transaction %d: %w", id, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Transaction %d not found.", id)))
	}
	t := r.transaction()
	if t.Splits, err = findSplits(ctx, s.rdb, userID, id); err != nil {
		return nil, err
	}
	return t, nil
}

// query builds a WHERE clause, numbering placeholders in order of use.
type query struct {
	conds []string
	args  []any
}

// where adds a condition; each "$?" takes the next argument.
func (q *query) where(cond string, args ...any) {
	for _, a := range args {
		q.args = append(q.args, a)
		cond = strings.Replace(cond, "$?", "$"+strconv.Itoa(len(q.args)), 1)
	}
	q.conds = append(q.conds, cond)
}

// sql returns the conditions joined with AND.
func (q *query) sql() string { return strings.Join(q.conds, " AND ") }
