package store_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// benchRows is how many transactions the search benchmarks store
// (FREENAHI_BENCH_ROWS overrides the 1,000,000 of the goal).
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("FREENAHI_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchmarkSearchRareWord searches a word held by 5 of 1,000,000
// transactions of one user, first page of 50, on each engine: Indexed is
// FindTransactions (FTS4 / the word index of migrations 00130 and 00240); LikeScan,
// the same-run reference, is the query this replaced (search_text LIKE
// '%word%', every row of the user read). LongNumber searches one row's
// ten-digit number whose first four digits every row's number shares, the
// worst case of numbers indexed by their first four (migrations 00240 and
// 00280): every row is read and its search_numbers decides.
//
//	FREENAHI_TEST_POSTGRES_URL=… go test ./store -run '^$' -bench SearchRareWord -benchtime 200x
func BenchmarkSearchRareWord(b *testing.B) {
	for _, engine := range engines {
		b.Run(string(engine), func(b *testing.B) {
			s, _, url := MustOpenStoreURL(b, engine)
			ana := MustSeedBank(b, s, MustCreateUser(b, s, "ana@example.com", 1))
			mustBulkSearchRows(b, engine, url, ana, benchRows())
			b.Run("Indexed", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					page, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: ana.user.ID, Query: "Zanzibar"})
					if err != nil || len(page) != 5 {
						b.Fatalf("found %d, err %v; want 5", len(page), err)
					}
				}
			})
			// A number of more than four digits, whose first four every row's
			// number shares: the index gives every row, search_numbers decides.
			b.Run("LongNumber", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					page, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: ana.user.ID, Query: "2024123457"})
					if err != nil || len(page) != 1 {
						b.Fatalf("found %d, err %v; want 1", len(page), err)
					}
				}
			})
			b.Run("LikeScan", func(b *testing.B) {
				db := rawDB(b, url)
				for i := 0; i < b.N; i++ {
					rows, err := db.QueryContext(ctx, `SELECT t.id, t.date, t.value_minor, t.original_wording
						FROM transactions t JOIN accounts a ON a.id = t.account_id
						WHERE t.user_id = $1 AND t.deleted_at IS NULL AND t.search_text LIKE $2
						ORDER BY t.date DESC, t.id DESC LIMIT 51`, ana.user.ID, "%zanzibar%")
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for rows.Next() {
						n++
					}
					rows.Close()
					if n != 5 {
						b.Fatalf("found %d, want 5", n)
					}
				}
			})
		})
	}
}

// mustBulkSearchRows inserts n transactions in one statement on the bank's
// checking account (the ingest path would take minutes): varied wordings
// from a few common words and a number, and "zanzibar" in 5 of them. The
// database indexes them as it would any write.
func mustBulkSearchRows(b *testing.B, engine store.Engine, url string, bk *bank, n int) {
	b.Helper()
	db := rawDB(b, url)
	series := `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $3)`
	from := `FROM seq`
	if engine == store.Postgres {
		series, from = ``, `FROM generate_series(1, $3::bigint) AS seq(i)`
	}
	words := `CASE WHEN i % (($3 / 5) + 1) = 7 THEN 'cb zanzibar ' ELSE 'prlv sepa ' END ||
		CASE i % 4 WHEN 0 THEN 'edf clients particuliers' WHEN 1 THEN 'carrefour market' WHEN 2 THEN 'sncf internet'
		ELSE 'urssaf ile de france' END`
	// Each row's own number, as references are, all starting with the same
	// four digits; the writer stores the search text with them cut, and the
	// numbers whole beside (migration 00280).
	number := `CAST(2024000000 + i AS TEXT)`
	wording := words + ` || ' ' || ` + number
	wordsColumn, wordsValue := `, search_numbers`, `, `+words+` || ' 2024', `+number
	if engine == store.Postgres {
		// PostgreSQL's writer also stores the search text's words, the
		// number cut to four digits (migration 00240), as the index reads them.
		wordsColumn, wordsValue = wordsColumn+`, search_words`, wordsValue+`, `+words+` || ' 2024'`
	}
	_, err := db.ExecContext(ctx, series+`
		INSERT INTO transactions (user_id, account_id, powens_id, date, value_minor, original_wording,
			simplified_wording, coming, active, created_at, updated_at, search_text`+wordsColumn+`)
		SELECT $1, $2, 10000000 + i, 20150101 + (i % 10) * 10000 + (i % 12) * 100 + (i % 28), -(i % 9973), `+wording+`, '',
			FALSE, TRUE, 0, 0`+wordsValue+` `+from, bk.user.ID, bk.checking.ID, n)
	if err != nil {
		b.Fatal(err)
	}
	if engine == store.Postgres {
		// The words the insert left in the index's pending list are merged,
		// as the store has them merged after each write (search_pending.go).
		if _, err := db.ExecContext(ctx, `SELECT gin_clean_pending_list('transactions_search_words'::regclass)`); err != nil {
			b.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `ANALYZE transactions`); err != nil {
			b.Fatal(err)
		}
	}
}
