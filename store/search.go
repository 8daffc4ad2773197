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
// full-text index (see filterQuery). A transaction matches when each of
// the words starts a word of its search text (words as textfold.Words cuts
// them, already folded): "cheque 12" finds "CHÈQUE N°1234". SQLite asks its
// FTS4 index (migration 00140) for prefix matches. PostgreSQL narrows with
// its word index (migration 00130, see pgWordsQuery) and checks the word
// start with a regular expression, which alone decides. Words hold only
// letters and digits, so neither the index query nor the expression needs
// escaping.
//
// A word of more than searchNumberPrefix digits alone may be stored cut
// (cutSearchNumbers): in the search text as its first digits, whole in
// search_numbers. The row matches when the text holds the word at a word's
// start (a row stored whole, before migration 00280, or a word going on
// with other characters, "123456AB", which is never cut) or when one of
// its numbers starts with it. On SQLite, the index is asked for the first
// digits, which every such row holds, and then for the whole word.
func (s *Store) textFilter(q *query, words []string) (fts bool) {
	if s.engine == SQLite {
		// FTS4 writes a prefix term inside the quotes ("cheq*"); the quotes
		// keep a word such as "and" or "near" from reading as an operator.
		// Terms side by side must all match.
		terms := make([]string, len(words))
		for i, w := range words {
			terms[i] = `"` + searchPrefix(w) + `*"`
		}
		q.where("transactions_search MATCH $?", strings.Join(terms, " "))
		for _, w := range words {
			if isLongNumber(w) {
				q.where(`(t.id IN (SELECT docid FROM transactions_search WHERE transactions_search MATCH $?) OR `+
					`(' ' || t.search_numbers) GLOB $?)`, `"`+w+`*"`, `* `+w+`*`)
			}
		}
		return true
	}
	if tsq := pgWordsQuery(words); tsq != "" {
		q.where(pgSearchWords+` @@ $?::tsquery`, tsq)
	}
	for _, w := range words {
		atWordStart := `(^|[^[:alnum:]])` + w
		if isLongNumber(w) {
			q.where(`(t.search_text ~ $? OR (' ' || t.search_numbers) LIKE $?)`, atWordStart, `% `+w+`%`)
		} else {
			q.where(`t.search_text ~ $?`, atWordStart)
		}
	}
	return false
}

// isLongNumber reports whether a searched word is one cutSearchNumbers
// cuts: more than searchNumberPrefix ASCII digits alone.
func isLongNumber(w string) bool {
	return len(w) > searchNumberPrefix && strings.Trim(w, "0123456789") == ""
}

// searchPrefix is what of a searched word every matching row's search text
// holds at a word's start: its first digits for a long number.
func searchPrefix(w string) string {
	if isLongNumber(w) {
		return w[:searchNumberPrefix]
	}
	return w
}

// pgSearchWords is the expression PostgreSQL's word index holds (migration
// 00240): the words the writer stored in search_words (searchWords), as
// lexemes; for a row without them (written before 00240, or by hand), the
// runs of ASCII letters and digits of the search text, built without a
// text parser (to_tsvector's cuts "9e88z" into "9e88" and "z"), as 00130
// did. A text of 2,048 bytes or more holds instead the one lexeme "-",
// which no run can be and every search asks for too (see pgWordsQuery): a
// lexeme is at most 2,047 bytes and a whole tsvector 1 MB, which such a
// text could pass and fail the write, so those rare rows are left to the
// regular expression.
const pgSearchWords = `(CASE WHEN t.search_words IS NOT NULL THEN array_to_tsvector(string_to_array(t.search_words, ' ')) ` +
	`WHEN octet_length(t.search_text) < 2048 ` +
	`THEN array_to_tsvector(array_remove(regexp_split_to_array(t.search_text, '[^0-9a-z]+'), '')) ELSE '-'::tsvector END)`

// pgWordsQuery returns the tsquery that narrows a search to rows holding,
// for each word, a lexeme starting with the word's leading run of ASCII
// letters and digits, or to rows of long text (pgSearchWords): every word
// start the regular expression accepts is a run start in the index (its
// separators include every character the expression sees as one, and ASCII
// letters and digits are letters and digits to it in any locale), and that
// run begins with the word's ASCII run. A run of more than searchNumberPrefix
// digits asks for its first ones: the index may hold a number cut to them
// (searchWords), and a whole number starts with them too. A word starting
// with another letter ("ελληνικα") narrows nothing; "" when no word
// narrows (the user's rows are then read, as before the index).
func pgWordsQuery(words []string) string {
	var terms []string
	for _, w := range words {
		n, digits := 0, true
		for n < len(w) && isWordByte(w[n]) {
			digits = digits && w[n] <= '9'
			n++
		}
		if digits && n > searchNumberPrefix {
			n = searchNumberPrefix
		}
		if n > 0 {
			terms = append(terms, `'`+w[:n]+`':*`)
		}
	}
	if terms == nil {
		return ""
	}
	return "(" + strings.Join(terms, " & ") + ") | '-'"
}

// searchText returns the folded text a search reads of t: its wordings and
// its counterparty's label, one a line, so that words of different fields
// stay apart. A field found whole in the lines before it, at a word start
// there, is left out: every word it holds starts a word there too (its
// last may go on there, and a search asks for words starting with what
// was typed), so every search finds the same rows, and the index (FTS4,
// PostgreSQL's words) has fewer words to store per row. Powens' simplified
// wording is most often such a piece of the bank's ("Carrefour" of "CB
// CARREFOUR CITY 12/05"), and the wording the same again.
func searchText(t *freenahi.Transaction) string {
	fields := [...]string{t.OriginalWording, t.SimplifiedWording, t.Wording, ""}
	if t.Counterparty != nil {
		fields[3] = t.Counterparty.Label
	}
	var b strings.Builder
	for i, f := range fields {
		f = fold(f)
		if i > 0 && containsAtWordStart(b.String(), f) {
			continue
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(f)
	}
	return b.String()
}

// containsAtWordStart reports whether piece occurs in text at its start or
// right after a space or a newline, which every engine's idea of a word
// boundary includes.
func containsAtWordStart(text, piece string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], piece)
		if i < 0 {
			return false
		}
		if at := from + i; at == 0 || text[at-1] == ' ' || text[at-1] == '\n' {
			return true
		}
		from += i + 1
	}
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
