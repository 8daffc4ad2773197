package store_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// importBenchLines are n distinct lines of a statement.
func importBenchLines(n int) []freenahi.ImportLine {
	lines := make([]freenahi.ImportLine, n)
	for i := range lines {
		lines[i] = freenahi.ImportLine{Line: i + 2, Key: fmt.Sprintf("sum:%d#1", i), Date: date("2025-01-01").AddDays(i % 365),
			AmountMinor: -int64(100 + i%9000), Wording: fmt.Sprintf("CB CARREFOUR MARKET %d", i%500)}
	}
	return lines
}

// BenchmarkImport_10k imports 10,000 lines into a new manual account;
// BenchmarkImportReference_Ingest10k writes the same 10,000 transactions
// through the ingest path (one event, categorised the same way), the
// floor an import shares with a sync. The difference is the import's own
// work: one import_lines row per line, keyed for deduplication.
//
//	go test -run XXX -bench 'Import' -benchtime 5x ./store/
//
// eachEngineB runs a benchmark on SQLite, and on PostgreSQL when
// FREENAHI_TEST_POSTGRES_URL is set.
func eachEngineB(b *testing.B, fn func(b *testing.B, s *store.Store)) {
	for _, e := range engines {
		b.Run(string(e), func(b *testing.B) {
			if e == store.Postgres && os.Getenv(storetest.PostgresEnv) == "" {
				b.Skip("PostgreSQL not configured")
			}
			fn(b, storetest.MustOpen(b, e))
		})
	}
}

func BenchmarkImport_10k(b *testing.B) {
	eachEngineB(b, func(b *testing.B, s *store.Store) {
		u := MustCreateUser(b, s, "ana@example.com", 1)
		lines := importBenchLines(10_000)
		for b.Loop() {
			res, err := s.ImportTransactions(ctx, &freenahi.Import{UserID: u.ID, Lines: lines,
				NewAccount: &freenahi.Account{Name: "Bench", Currency: freenahi.Currency{Code: "EUR"}}})
			if err != nil || len(res.Added) != len(lines) {
				b.Fatalf("%v", err)
			}
		}
	})
}

func BenchmarkImportReference_Ingest10k(b *testing.B) {
	eachEngineB(b, func(b *testing.B, s *store.Store) {
		bk := MustSeedBank(b, s, MustCreateUser(b, s, "ana@example.com", 1))
		lines := importBenchLines(10_000)
		next := int64(1_000_000)
		for b.Loop() {
			txs := make([]*freenahi.Transaction, len(lines))
			for i, l := range lines {
				next++
				txs[i] = &freenahi.Transaction{AccountID: bk.checking.ID, PowensID: next, Date: l.Date, Currency: eur,
					ValueMinor: l.AmountMinor, OriginalWording: l.Wording, Active: true}
			}
			MustSync(b, s, bk.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
		}
	})
}
