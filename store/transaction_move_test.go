package store_test

import (
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestMigration_TransactionPerUser runs migration 11 on a database that
// holds what the per-account key let through: a transaction Powens moved,
// stored in both accounts. The copy the latest event wrote stays as it was;
// the other is marked deleted and gives up its Powens id; then a user's
// Powens id names one row.
func TestMigration_TransactionPerUser(t *testing.T) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			s, _, url := MustOpenStoreURL(t, engine)
			b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
			s.Close()

			db := rawDB(t, url)
			undo := []string{`DROP INDEX transactions_user_powens`}
			if engine == store.Postgres {
				undo = append(undo, `ALTER TABLE transactions ADD CONSTRAINT transactions_account_id_powens_id_key UNIQUE (account_id, powens_id)`)
			}
			undo = append(undo, `DELETE FROM goose_db_version WHERE version_id = 11`)
			for _, q := range undo {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			insert := func(account, event int64) int64 {
				t.Helper()
				var id int64
				err := db.QueryRowContext(ctx, `INSERT INTO transactions (user_id, account_id, powens_id, date, value_minor,
					original_wording, event_id, created_at, updated_at) VALUES ($1, $2, 77, 20260301, -1230, 'CB', $3, 0, 0) RETURNING id`,
					b.user.ID, account, event).Scan(&id)
				if err != nil {
					t.Fatal(err)
				}
				return id
			}
			// Event ids below the next MustSync's (2), which may then move the row.
			stale := insert(b.checking.ID, 0)
			current := insert(b.card.ID, 1)
			other := insert(b.savings.ID, 0) // a second stale copy, written later by the same event

			s, err := store.Open(ctx, url, store.Options{Secrets: storetest.Key(t), Migrate: true})
			if err != nil {
				t.Fatalf("migrate: %v", err)
			}
			defer s.Close()
			for _, tc := range []struct {
				id, powensID, account int64
				deleted               bool
			}{{current, 77, b.card.ID, false}, {stale, -stale, b.checking.ID, true}, {other, -other, b.savings.ID, true}} {
				got, err := s.FindTransactionByID(ctx, b.user.ID, tc.id)
				if err != nil {
					t.Fatal(err)
				}
				if got.PowensID != tc.powensID || got.AccountID != tc.account || (got.Deleted != nil) != tc.deleted {
					t.Errorf("row %d: Powens id %d, account %d, deleted %v; want %d, %d, %v",
						tc.id, got.PowensID, got.AccountID, got.Deleted != nil, tc.powensID, tc.account, tc.deleted)
				}
			}
			// The key now holds: the same Powens id again in a third account moves the row.
			MustSync(t, s, b.user, func(w freenahi.SyncWriter) error {
				return w.UpsertTransactions(ctx, []*freenahi.Transaction{{AccountID: b.market.ID, PowensID: 77,
					Date: date("2026-03-01"), ValueMinor: -1230, OriginalWording: "CB", Active: true}})
			})
			if got, _ := s.FindTransactionByID(ctx, b.user.ID, current); got == nil || got.AccountID != b.market.ID {
				t.Errorf("after the migration, a move rewrote %+v, want row %d in account %d", got, current, b.market.ID)
			}
		})
	}
}
