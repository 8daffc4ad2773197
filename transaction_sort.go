package freenahi

import (
	"encoding/base64"
	"encoding/binary"
	"slices"
)

// Orders of TransactionFilter.Sort. The amount orders compare signed
// amounts in minor units (money out is below money in); ties, and equal
// dates, are broken by id so that every page boundary is exact.
const (
	SortDateDesc   = "date_desc"
	SortDateAsc    = "date_asc"
	SortAmountDesc = "amount_desc"
	SortAmountAsc  = "amount_asc"
)

// Sorts lists the orders in the order a form offers them.
var Sorts = []string{SortDateDesc, SortDateAsc, SortAmountDesc, SortAmountAsc}

// TransactionPage is one page of a listing and the positions around it.
type TransactionPage struct {
	Transactions []*Transaction
	// Next is the cursor of the following page, nil on the last; Prev,
	// of the page before (for Before), nil on the first.
	Next, Prev *Cursor
}

// SortOf returns the order a filter or cursor names: empty is SortDateDesc.
func SortOf(sort string) string {
	if sort == "" {
		return SortDateDesc
	}
	return sort
}

// ByAmount tells that sort orders by amount.
func ByAmount(sort string) bool { return sort == SortAmountAsc || sort == SortAmountDesc }

// Descending tells that sort lists the largest key first.
func Descending(sort string) bool {
	return sort == "" || sort == SortDateDesc || sort == SortAmountDesc
}

// CursorAt returns the position of t in the order sort.
func CursorAt(t *Transaction, sort string) Cursor {
	c := Cursor{Date: t.Date, ID: t.ID}
	if s := SortOf(sort); s != SortDateDesc {
		c.Sort = s
	}
	if ByAmount(sort) {
		c.Date, c.AmountMinor = Date{}, t.ValueMinor
	}
	return c
}

// validateOrder checks Sort and that the cursor belongs to it.
func (f *TransactionFilter) validateOrder() error {
	if !slices.Contains(Sorts, SortOf(f.Sort)) {
		return FieldErrorf("sort", "must be date_desc, date_asc, amount_desc or amount_asc")
	}
	if f.After != nil && f.Before != nil {
		return FieldErrorf("before", "cannot be given with cursor")
	}
	for _, c := range []struct {
		c     *Cursor
		field string
	}{{f.After, "cursor"}, {f.Before, "before"}} {
		if c.c != nil && SortOf(c.c.Sort) != SortOf(f.Sort) {
			return FieldErrorf(c.field, "belongs to another sort order: start again from the first page")
		}
	}
	return nil
}

// sortedCursorLen is the size of a cursor of an order other than
// SortDateDesc: the order, the key (a date or an amount), the id. The
// date-descending cursor keeps its older 12-byte form, so links and saved
// tokens made before stay valid.
const sortedCursorLen = 17

func (c Cursor) sortedString() string {
	var b [sortedCursorLen]byte
	b[0] = byte(slices.Index(Sorts, c.Sort))
	key := int64(c.Date.Int())
	if ByAmount(c.Sort) {
		key = c.AmountMinor
	}
	binary.BigEndian.PutUint64(b[1:9], uint64(key))
	binary.BigEndian.PutUint64(b[9:], uint64(c.ID))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func parseSortedCursor(b []byte) (Cursor, error) {
	bad := FieldErrorf("cursor", "is not a cursor this API returned")
	if int(b[0]) < 1 || int(b[0]) >= len(Sorts) {
		return Cursor{}, bad
	}
	c := Cursor{Sort: Sorts[b[0]], ID: int64(binary.BigEndian.Uint64(b[9:]))}
	key := int64(binary.BigEndian.Uint64(b[1:9]))
	if ByAmount(c.Sort) {
		c.AmountMinor = key
	} else {
		if key < 0 || key > 99991231 {
			return Cursor{}, bad
		}
		c.Date = DateFromInt(int(key))
		if !c.Date.IsZero() && (c.Date.Month < 1 || c.Date.Month > 12 || c.Date.Day < 1 || c.Date.Day > 31) {
			return Cursor{}, bad
		}
	}
	if c.ID <= 0 {
		return Cursor{}, bad
	}
	return c, nil
}

// MaxTagChoices bounds the tags a search form offers.
const MaxTagChoices = 500
