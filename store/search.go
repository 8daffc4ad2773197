package store

import "strings"

// searchSelect reads transactions found in SQLite's full-text index: the
// index drives the join (CROSS JOIN fixes the order), so a rare word costs a
// few index pages. Left to itself the planner walked the user's whole
// (date, id) index and probed the matches for each row.
var searchSelect = strings.Replace(transactionSelect, "FROM transactions t",
	"FROM transactions_search CROSS JOIN transactions t ON t.id = transactions_search.rowid", 1)

// textFilter adds the text search to q and returns the SELECT to run. A
// transaction matches when each of the words starts a word of its search
// text (words as textfold.Words cuts them, already folded): "cheque 12"
// finds "CHÈQUE N°1234". SQLite asks its FTS5 index (migration 00065) for
// prefix matches; PostgreSQL narrows with its trigram index (LIKE) and
// checks the word start with a regular expression. Words hold only letters
// and digits, so neither LIKE nor the expression needs escaping.
func (s *Store) textFilter(q *query, words []string) string {
	if s.engine == SQLite {
		terms := make([]string, len(words))
		for i, w := range words {
			terms[i] = `"` + w + `"*`
		}
		q.where("transactions_search MATCH $?", strings.Join(terms, " AND "))
		return searchSelect
	}
	for _, w := range words {
		q.where(`t.search_text LIKE $? AND t.search_text ~ $?`, "%"+w+"%", `(^|[^[:alnum:]])`+w)
	}
	return transactionSelect
}
