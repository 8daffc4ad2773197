package store

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/freenahi/freenahi"
	textfold "github.com/freenahi/freenahi/internal/fold"
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

// searchNumberPrefix is how many digits of a word made only of digits the
// search text keeps (cutSearchNumbers) and PostgreSQL's word index holds
// (searchWords). A longer number (a reference, an operation number) is
// nearly always one row's alone, and every distinct word is an entry the
// index (FTS4, GIN) inserts on its own, which cost more than all the other
// words of a row together (an event of 50,000 rows, each ending in its own
// number); four digits keep a year or a card's last digits whole, and a
// search for a longer number reads the rows sharing its first four, which
// search_numbers (or, on PostgreSQL, the regular expression over a text
// stored whole) then decides.
const searchNumberPrefix = 4

// cutSearchNumbers returns text with each word (a run of textfold.IsWordRune,
// as SQLite's unicode61 tokenizer and fold.Words cut them) made of more
// than searchNumberPrefix ASCII digits alone cut to its first ones, and
// those whole words, space-separated, in order ("" when there are none):
// what search_text and search_numbers hold. Every word of text then starts
// a word of the cut text, or is whole in the numbers.
func cutSearchNumbers(text string) (cut, numbers string) {
	// buf holds the cut text, then the numbers: one string for both.
	var buf []byte
	var nums []string
	done := 0 // text[:done] is in buf
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		if j-i > searchNumberPrefix && !wordRuneBefore(text, i) && !wordRuneAt(text, j) {
			if buf == nil {
				buf = make([]byte, 0, len(text)+len(text)/2)
			}
			buf = append(buf, text[done:i+searchNumberPrefix]...)
			nums = append(nums, text[i:j])
			done = j
		}
		i = j
	}
	if buf == nil {
		return text, ""
	}
	buf = append(buf, text[done:]...)
	n := len(buf)
	for k, num := range nums {
		if k > 0 {
			buf = append(buf, ' ')
		}
		buf = append(buf, num...)
	}
	both := string(buf)
	return both[:n], both[n:]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// wordRuneBefore reports whether the character before text[i] belongs to a
// word.
func wordRuneBefore(text string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return textfold.IsWordRune(r)
}

// wordRuneAt reports whether the character at text[i] belongs to a word.
func wordRuneAt(text string, i int) bool {
	if i == len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return textfold.IsWordRune(r)
}

// searchWords returns what search_words holds for a stored search text:
// the text's runs of ASCII letters and digits (the regular expression
// '[^0-9a-z]+' of migration 00130 splits the same way: any other byte,
// UTF-8 ones included, separates), separated by single spaces, a run of
// digits only cut to searchNumberPrefix; "-" for a text of pgWordsTextLimit
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
		if digits && len(run) > searchNumberPrefix {
			run = run[:searchNumberPrefix]
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
