package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

// searchSelect reads transactions found in SQLite's full-text index: the
// index drives the join (CROSS JOIN fixes the order), so a rare word costs a
// few index pages. Left to itself the planner walked the user's whole
// (date, id) index and probed the matches for each row.
var searchSelect = strings.Replace(transactionSelect, "FROM transactions t",
	"FROM transactions_search CROSS JOIN transactions t ON t.id = transactions_search.rowid", 1)

// textFilter adds the text search to q; fts tells that it uses SQLite's
// full-text index (see filterQuery). A
// transaction matches when each of the words starts a word of its search
// text (words as textfold.Words cuts them, already folded): "cheque 12"
// finds "CHÈQUE N°1234". SQLite asks its FTS4 index (migration 00140) for
// prefix matches; PostgreSQL narrows with its trigram index (LIKE) and
// checks the word start with a regular expression. Words hold only letters
// and digits, so neither LIKE nor the expression needs escaping.
func (s *Store) textFilter(q *query, words []string) (fts bool) {
	if s.engine == SQLite {
		// FTS4 writes a prefix term inside the quotes ("cheq*"); the quotes
		// keep a word such as "and" or "near" from reading as an operator.
		// Terms side by side must all match.
		terms := make([]string, len(words))
		for i, w := range words {
			terms[i] = `"` + w + `*"`
		}
		q.where("transactions_search MATCH $?", strings.Join(terms, " "))
		return true
	}
	for _, w := range words {
		q.where(`t.search_text LIKE $? AND t.search_text ~ $?`, "%"+w+"%", `(^|[^[:alnum:]])`+w)
	}
	return false
}

// searchFrom and transactionFrom are the FROM clauses of searchSelect and
// transactionSelect, for queries that read other columns.
var (
	transactionFrom = transactionSelect[strings.Index(transactionSelect, "FROM "):]
	searchFrom      = searchSelect[strings.Index(searchSelect, "FROM "):]
)

// SumTransactions counts and sums, per currency, every transaction the
// filter selects; the cursor and the limit are ignored. Sums are exact: a
// sum past the int64 range (no bank holds that) is an error, never wrapped.
func (s *Store) SumTransactions(ctx context.Context, f freenahi.TransactionFilter) ([]freenahi.TransactionTotal, error) {
	f.After, f.Before, f.Limit = nil, nil, 0
	if err := f.Validate(); err != nil {
		return nil, err
	}
	q, fts, err := s.filterQuery(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("sum transactions of user %d: %w", f.UserID, err)
	}
	from := transactionFrom
	if fts {
		from = searchFrom
	}
	// The sum is read as text: PostgreSQL's SUM of bigint is numeric.
	rows, err := s.readQuery(ctx, `SELECT a.currency, MAX(a.currency_exponent), COUNT(*),
		CAST(SUM(t.value_minor) AS TEXT) `+from+` WHERE `+q.sql()+` GROUP BY a.currency ORDER BY a.currency`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("sum transactions of user %d: %w", f.UserID, err)
	}
	defer rows.Close()
	out := []freenahi.TransactionTotal{}
	for rows.Next() {
		var t freenahi.TransactionTotal
		var sum string
		if err := rows.Scan(&t.Currency.Code, &t.Currency.Exponent, &t.Count, &sum); err != nil {
			return nil, fmt.Errorf("sum transactions of user %d: scan: %w", f.UserID, err)
		}
		if t.SumMinor, err = strconv.ParseInt(sum, 10, 64); err != nil {
			return nil, fmt.Errorf("sum transactions of user %d: %s %s: %w", f.UserID, t.Currency.Code, sum, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sum transactions of user %d: %w", f.UserID, err)
	}
	return out, nil
}
