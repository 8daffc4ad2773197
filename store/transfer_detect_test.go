package store_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// TestTransfers_DetectReadsEveryOpenTransaction: on a few hundred
// transactions of every kind the detection must leave alone (coming,
// deleted, of an unknown amount, card payments, already transfers, undone
// by the person, in another currency), the pairs DetectTransfers writes are
// those PairTransfers finds among the transactions this test selects
// itself, by the rule DetectTransfers' documentation states, from
// everything the store returns — not by the store's own SQL filter.
func TestTransfers_DetectReadsEveryOpenTransaction(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		u := b.user
		rng := rand.New(rand.NewPCG(13, 15))
		accounts := []*freenahi.Account{b.checking, b.savings, b.card, b.yen}
		types := []string{"transfer", "order", "card", "deferred_card", "withdrawal", ""}
		var txs []*freenahi.Transaction
		for i := range 300 {
			a := accounts[rng.IntN(len(accounts))]
			minor := []int64{1500, 2500, 10000}[rng.IntN(3)]
			if rng.IntN(2) == 0 {
				minor = -minor
			}
			tx := &freenahi.Transaction{AccountID: a.ID, PowensID: int64(100 + i), Currency: a.Currency, ValueMinor: minor,
				Date: date("2026-03-01").AddDays(rng.IntN(40)), Type: types[rng.IntN(len(types))],
				OriginalWording: "MOUVEMENT", Active: true}
			switch rng.IntN(8) {
			case 0:
				tx.Coming = true
			case 1:
				tx.Deleted = ptr(t0)
			case 2:
				tx.AmountOrigin = freenahi.AmountUnknown
				tx.GrossValueMinor = ptr(minor)
			}
			txs = append(txs, tx)
		}
		mustUpsert(t, s, u, txs...)
		// Some are a transfer already, some undone by the person.
		stored := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: u.ID, Limit: freenahi.MaxPageLimit})
		for i, tx := range stored {
			if i%11 == 0 || i%13 == 0 {
				if _, err := s.EditTransaction(ctx, u.ID, tx.ID, freenahi.TransactionEdit{Transfer: ptr(i%11 == 0)}); err != nil {
					t.Fatal(err)
				}
			}
		}

		var open []freenahi.TransferCandidate
		for _, tx := range mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: u.ID, Limit: freenahi.MaxPageLimit}) {
			if tx.Deleted == nil && !tx.Coming && !tx.Transfer && tx.TransferPair == nil && tx.Edits&freenahi.EditedTransfer == 0 {
				open = append(open, tx.TransferCandidate())
			}
		}
		var want [][2]int64
		for _, p := range freenahi.PairTransfers(open) {
			want = append(want, [2]int64{open[p[0]].ID, open[p[1]].ID}, [2]int64{open[p[1]].ID, open[p[0]].ID})
		}
		if len(want) < 10 {
			t.Fatalf("only %d pairs expected: the data does not test much", len(want)/2)
		}
		before := pairedTransfers(t, s, u.ID)

		n, err := s.DetectTransfers(ctx, u.ID)
		if err != nil || n != len(want)/2 {
			t.Fatalf("DetectTransfers=%d, %v; want %d", n, err, len(want)/2)
		}
		got := pairedTransfers(t, s, u.ID)
		got = slices.DeleteFunc(got, func(p [2]int64) bool { return slices.Contains(before, p) })
		slices.SortFunc(want, func(a, b [2]int64) int { return int(a[0] - b[0]) })
		if !slices.Equal(got, want) {
			t.Fatalf("pairs written %v\nwant %v", got, want)
		}
		if n, err := s.DetectTransfers(ctx, u.ID); err != nil || n != 0 {
			t.Fatalf("a second detection=%d, %v; want 0", n, err)
		}
	})
}

// pairedTransfers returns (id, pair) of the user's paired transactions,
// deleted ones included, by id.
func pairedTransfers(tb testing.TB, s *store.Store, userID int64) [][2]int64 {
	tb.Helper()
	rows, err := s.DB().QueryContext(ctx, `SELECT id, transfer_pair_id FROM transactions
		WHERE user_id = $1 AND transfer_pair_id IS NOT NULL ORDER BY id`, userID)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			tb.Fatal(err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestTransfers_DetectRechecksBeforeWriting: DetectTransfers reads outside
// any write transaction, so what it read may change before it writes — a
// person undoing one side, a sync changing an amount. The pair is then not
// written, not even half. The change runs while the detection is between
// its read and its write: were the read inside the write transaction, as
// it was, the change would wait for SQLite's one writer, which waits for
// the change (the test would hang, and its timeout say where).
func TestTransfers_DetectRechecksBeforeWriting(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, s *store.Store, u *freenahi.User, out, in *freenahi.Transaction)
		pairs  int
	}{
		{"nothing changes", func(*testing.T, *store.Store, *freenahi.User, *freenahi.Transaction, *freenahi.Transaction) {}, 1},
		{"the person keeps the credit out of transfers", func(t *testing.T, s *store.Store, u *freenahi.User, _, in *freenahi.Transaction) {
			stored := txByPowensID(t, s, u.ID, in.PowensID)
			if _, err := s.EditTransaction(ctx, u.ID, stored.ID, freenahi.TransactionEdit{Transfer: ptr(false)}); err != nil {
				t.Fatal(err)
			}
		}, 0},
		{"a sync changes the debit's amount", func(t *testing.T, s *store.Store, u *freenahi.User, out, _ *freenahi.Transaction) {
			changed := *out
			changed.ValueMinor = -14900
			mustUpsert(t, s, u, &changed)
		}, 0},
		{"a sync deletes the credit", func(t *testing.T, s *store.Store, u *freenahi.User, _, in *freenahi.Transaction) {
			gone := *in
			gone.Deleted = ptr(t0)
			mustUpsert(t, s, u, &gone)
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
				b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
				u := b.user
				out := &freenahi.Transaction{AccountID: b.checking.ID, PowensID: 1, Date: date("2026-03-03"), Currency: eur,
					ValueMinor: -15000, Type: "transfer", OriginalWording: "VIR SEPA M DUPONT", Active: true}
				in := &freenahi.Transaction{AccountID: b.savings.ID, PowensID: 2, Date: date("2026-03-04"), Currency: eur,
					ValueMinor: 15000, Type: "transfer", OriginalWording: "VIR SEPA M DUPONT", Active: true}
				mustUpsert(t, s, u, out, in)
				s.AfterTransferRead(func() { tc.change(t, s, u, out, in) })
				n, err := s.DetectTransfers(ctx, u.ID)
				if err != nil || n != tc.pairs {
					t.Fatalf("DetectTransfers=%d, %v; want %d", n, err, tc.pairs)
				}
				paired := pairedTransfers(t, s, u.ID)
				if len(paired) != 2*tc.pairs {
					t.Fatalf("paired rows %v, want %d pair(s), both sides", paired, tc.pairs)
				}
				var marked int
				if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM transactions WHERE user_id = $1 AND transfer = TRUE`,
					u.ID).Scan(&marked); err != nil || marked != 2*tc.pairs {
					t.Fatalf("%d rows marked as transfers (%v), want both sides of %d pair(s)", marked, err, tc.pairs)
				}
			})
		})
	}
}
