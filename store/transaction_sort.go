package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/freenahi/freenahi"
)

// FindTransactionPage returns one page of the user's transactions in the
// filter's order, with keyset pagination on (date, id) or (amount, id), and
// the cursors of the pages around it. A page before (f.Before) is read in
// the reverse order and turned back; when fewer than a page precede the
// cursor, the first page is read instead, so that it is always full.
func (s *Store) FindTransactionPage(ctx context.Context, f freenahi.TransactionFilter) (*freenahi.TransactionPage, error) {
	page, err := s.findTransactionPage(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("find transactions of user %d: %w", f.UserID, err)
	}
	return page, nil
}

func (s *Store) findTransactionPage(ctx context.Context, f freenahi.TransactionFilter) (*freenahi.TransactionPage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	page := &freenahi.TransactionPage{}
	if f.Before != nil {
		txs, err := s.findTransactions(ctx, f, true)
		if err != nil {
			return nil, err
		}
		if len(txs) > f.Limit {
			txs = txs[:f.Limit]
			slices.Reverse(txs)
			prev, next := freenahi.CursorAt(txs[0], f.Sort), freenahi.CursorAt(txs[len(txs)-1], f.Sort)
			page.Transactions, page.Prev, page.Next = txs, &prev, &next
			return page, nil
		}
		f.Before = nil // nothing before this page: it is the first
	}
	txs, err := s.findTransactions(ctx, f, false)
	if err != nil {
		return nil, err
	}
	if len(txs) > f.Limit {
		txs = txs[:f.Limit]
		next := freenahi.CursorAt(txs[len(txs)-1], f.Sort)
		page.Next = &next
	}
	if f.After != nil && len(txs) > 0 {
		prev := freenahi.CursorAt(txs[0], f.Sort)
		page.Prev = &prev
	}
	page.Transactions = txs
	return page, nil
}

// orderBy is the ORDER BY of an order, reversed when backward.
func orderBy(sort string, backward bool) string {
	dir := " ASC"
	if freenahi.Descending(sort) != backward {
		dir = " DESC"
	}
	if freenahi.ByAmount(sort) {
		return "t.value_minor" + dir + ", t.id" + dir
	}
	return "t.date" + dir + ", t.id" + dir
}

// keyset returns the cursor of a filter and whether the rows wanted come
// after it in the order of the SQL (descending for a descending order read
// forward, ascending when read backward…).
func keyset(f freenahi.TransactionFilter) (c *freenahi.Cursor, below bool) {
	if f.After != nil {
		return f.After, freenahi.Descending(f.Sort)
	}
	if f.Before != nil {
		return f.Before, !freenahi.Descending(f.Sort)
	}
	return nil, false
}

// keysetDates returns the date bounds of f tightened by its cursor in the
// date orders: rows below a cursor are on or before its day.
func keysetDates(f freenahi.TransactionFilter) (from, to *freenahi.Date) {
	from, to = f.From, f.To
	c, below := keyset(f)
	if c == nil || freenahi.ByAmount(f.Sort) {
		return from, to
	}
	d := c.Date
	if below && (to == nil || d.Before(*to)) {
		to = &d
	} else if !below && (from == nil || from.Before(d)) {
		from = &d
	}
	return from, to
}

// keysetWhere adds the row comparison that starts the page at the cursor.
func keysetWhere(q *query, f freenahi.TransactionFilter) {
	c, below := keyset(f)
	if c == nil {
		return
	}
	op := ">"
	if below {
		op = "<"
	}
	if freenahi.ByAmount(f.Sort) {
		q.where("(t.value_minor, t.id) "+op+" ($?, $?)", c.AmountMinor, c.ID)
		return
	}
	q.where("(t.date, t.id) "+op+" ($?, $?)", int64(c.Date.Int()), c.ID)
}
