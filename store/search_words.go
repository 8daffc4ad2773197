package store

import (
	"slices"
	"strings"

	"github.com/freenahi/freenahi"
)

// PostgreSQL's word index (migration 00240) reads the column search_words,
// which the writer fills from the search text, instead of splitting the
// text with a regular expression in the index expression: the split cost
// the server about 1.4 µs a row at ingest, and string_to_array about 0.3.
// Rows written before 00240, or by hand, hold NULL and are indexed by the
// expression of 00130, which gives the same lexemes but for the cut
// numbers (searchWords), which the query allows for (pgWordsQuery).

// pgWordsTextLimit is the size from which a search text is indexed as the
// one lexeme "-" (see pgSearchWords).
const pgWordsTextLimit = 2048

// pgNumberPrefix is how many digits of a run made only of digits the index
// keeps. A longer number (a reference, an operation number) is nearly
// always one row's alone, and every distinct lexeme is an entry GIN
// inserts on its own, which cost more than all the other words of a row
// together (an event of 50,000 rows, each ending in its own number); four
// digits keep a year or a card's last digits whole, and a search for a
// longer number reads the rows sharing its first four, which the regular
// expression then decides.
const pgNumberPrefix = 4

// searchWords returns what search_words holds for a stored search text:
// the text's runs of ASCII letters and digits (the regular expression
// '[^0-9a-z]+' of migration 00130 splits the same way: any other byte,
// UTF-8 ones included, separates), separated by single spaces, a run of
// digits only cut to pgNumberPrefix; "-" for a text of pgWordsTextLimit
// bytes or more.
func searchWords(text string) string {
	if len(text) >= pgWordsTextLimit {
		return "-"
	}
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		if !isWordByte(text[i]) {
			i++
			continue
		}
		j, digits := i, true
		for j < len(text) && isWordByte(text[j]) {
			digits = digits && text[j] <= '9'
			j++
		}
		run := text[i:j]
		if digits && len(run) > pgNumberPrefix {
			run = run[:pgNumberPrefix]
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(run)
		i = j
	}
	return b.String()
}

// isWordByte reports whether c is an ASCII lowercase letter or a digit.
func isWordByte(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// pgTransactionUpsert is transactionUpsert with search_words, which only
// PostgreSQL stores; pgTransactionRow gives its values.
var pgTransactionUpsert = &upsertSpec{
	table:    transactionUpsert.table,
	conflict: transactionUpsert.conflict,
	columns:  append(slices.Clone(transactionUpsert.columns), "search_words"),
	fixed:    transactionUpsert.fixed,
	shared:   transactionUpsert.shared,
	merge:    transactionUpsert.merge,
}

// pgTransactionArrayTypes are the PostgreSQL types of pgTransactionUpsert.columns.
var pgTransactionArrayTypes = append(slices.Clone(transactionArrayTypes), "text")

// searchTextColumn is where search_text is in transactionRow's values.
var searchTextColumn = slices.Index(transactionUpsert.columns, "search_text")

// pgTransactionRow appends the values of pgTransactionUpsert.columns for t
// to row, text in its storable form: the words are those of the search
// text as stored, whose length decides the limit.
func (w *syncWriter) pgTransactionRow(t *freenahi.Transaction, now int64, row []any) []any {
	start := len(row)
	row = w.transactionRow(t, now, row)
	storableArgs(row[start:])
	return append(row, searchWords(row[start+searchTextColumn].(string)))
}
