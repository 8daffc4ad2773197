package store_test

import (
	"cmp"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// statementOracle computes what a statement of the period must say from
// the transactions as written: the rule of freenahi.StatementData, applied
// to rows the test holds, not read back.
func statementOracle(balance int64, txs []*freenahi.Transaction, from, to freenahi.Date) (closing, period, count int64, order []int64) {
	var in []*freenahi.Transaction
	closing = balance
	for _, t := range txs {
		if t.Coming || t.Deleted != nil {
			continue
		}
		switch {
		case t.Date.After(to):
			closing -= t.ValueMinor
		case !t.Date.Before(from):
			period += t.ValueMinor
			in = append(in, t)
		}
	}
	slices.SortFunc(in, func(x, y *freenahi.Transaction) int {
		return cmp.Or(x.Date.Compare(y.Date), cmp.Compare(x.PowensID, y.PowensID))
	})
	for _, t := range in {
		order = append(order, t.PowensID)
	}
	return closing, period, int64(len(in)), order
}

// mustStatement reads a statement and collects its transactions' Powens ids.
func mustStatement(tb testing.TB, s *store.Store, q freenahi.StatementQuery) (*freenahi.StatementData, []int64) {
	tb.Helper()
	var data *freenahi.StatementData
	var got []int64
	err := s.ReadStatement(ctx, q, func(d *freenahi.StatementData) error {
		data = d
		for t, err := range d.Transactions {
			if err != nil {
				return err
			}
			if t.AccountID != q.AccountID || t.UserID != q.UserID || t.Coming || t.Deleted != nil {
				tb.Fatalf("statement transaction %+v", t)
			}
			got = append(got, t.PowensID)
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("ReadStatement(%+v): %v", q, err)
	}
	return data, got
}

func TestStatementSource_ReadStatement(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		// 12,000 transactions over 2025 and 2026 with Powens ids in no
		// particular order, 5,200 of them on one day (more than a page), some
		// coming or deleted; and one sparse year before.
		r := rand.New(rand.NewPCG(3, 3))
		perm := r.Perm(12000)
		var txs []*freenahi.Transaction
		for i := range 12000 {
			t := &freenahi.Transaction{AccountID: ana.checking.ID, PowensID: int64(perm[i] + 1), ValueMinor: r.Int64N(20001) - 10000,
				Date: date("2025-01-01").AddDays(r.IntN(500)), Type: "card", OriginalWording: "CB", Active: true}
			switch {
			case i < 5200:
				t.Date = date("2025-06-15")
			case i%17 == 0:
				t.Coming = true
			case i%19 == 0:
				t.Deleted = ptr(clk.now)
			}
			if i == 5 {
				t.Counterparty = &freenahi.Counterparty{Label: "ACME", Type: "debtor"}
			}
			txs = append(txs, t)
		}
		for i := range 12 {
			txs = append(txs, &freenahi.Transaction{AccountID: ana.checking.ID, PowensID: int64(50000 + i), ValueMinor: 100,
				Date: date("2023-01-10").AddDays(30 * i), Active: true})
		}
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
		balance := *ana.checking.BalanceMinor

		for _, tc := range []struct{ name, from, to string }{
			{"Year", "2025-01-01", "2025-12-31"},
			{"TheBusyDay", "2025-06-15", "2025-06-15"},
			{"AroundTheBusyDay", "2025-06-14", "2025-06-16"},
			{"Everything", "2020-01-01", "2030-12-31"},
			{"SparseYears", "2022-06-01", "2024-12-31"},
			{"NothingInIt", "2021-01-01", "2021-12-31"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				from, to := date(tc.from), date(tc.to)
				d, got := mustStatement(t, s, freenahi.StatementQuery{UserID: ana.user.ID, AccountID: ana.checking.ID, From: from, To: to})
				closing, period, count, order := statementOracle(balance, txs, from, to)
				if d.ClosingMinor != closing || d.PeriodMinor != period || d.Count != count {
					t.Fatalf("closing %d, period %d, count %d; want %d, %d, %d", d.ClosingMinor, d.PeriodMinor, d.Count, closing, period, count)
				}
				if !slices.Equal(got, order) {
					t.Fatalf("%d transactions in statement order, want %d by date then Powens id", len(got), len(order))
				}
				if d.Account.ID != ana.checking.ID || d.Account.Currency != eur {
					t.Fatalf("statement account %+v", d.Account)
				}
			})
		}
		t.Run("StopEarly", func(t *testing.T) {
			n := 0
			err := s.ReadStatement(ctx, freenahi.StatementQuery{UserID: ana.user.ID, AccountID: ana.checking.ID,
				From: date("2025-01-01"), To: date("2025-12-31")}, func(d *freenahi.StatementData) error {
				for range d.Transactions {
					if n++; n == 3 {
						break
					}
				}
				return nil
			})
			if err != nil || n != 3 {
				t.Fatalf("stopping after 3: %d, %v", n, err)
			}
		})
		t.Run("Columns", func(t *testing.T) {
			err := s.ReadStatement(ctx, freenahi.StatementQuery{UserID: ana.user.ID, AccountID: ana.checking.ID,
				From: txs[5].Date, To: txs[5].Date}, func(d *freenahi.StatementData) error {
				for tx, err := range d.Transactions {
					if err != nil {
						return err
					}
					if tx.PowensID == txs[5].PowensID {
						if tx.Counterparty == nil || tx.Counterparty.Label != "ACME" || tx.OriginalWording != "CB" || tx.Currency != eur {
							t.Fatalf("statement transaction %+v", tx)
						}
						return nil
					}
				}
				t.Fatal("transaction missing from its day's statement")
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
		t.Run("Refusals", func(t *testing.T) {
			q := func(user, account int64, from, to string) freenahi.StatementQuery {
				qq := freenahi.StatementQuery{UserID: user, AccountID: account}
				if from != "" {
					qq.From = date(from)
				}
				if to != "" {
					qq.To = date(to)
				}
				return qq
			}
			// The market account of the seed has a balance; a new one has none.
			noBalance := &freenahi.Account{PowensID: 30, PowensConnectionID: 1, Type: "checking", Currency: eur, ConnectionID: ana.conn.ID}
			MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertAccount(ctx, noBalance) })
			for _, tc := range []struct {
				name string
				q    freenahi.StatementQuery
				code string
			}{
				{"NoFrom", q(ana.user.ID, ana.checking.ID, "", "2025-01-01"), freenahi.EINVALID},
				{"NoTo", q(ana.user.ID, ana.checking.ID, "2025-01-01", ""), freenahi.EINVALID},
				{"ToBeforeFrom", q(ana.user.ID, ana.checking.ID, "2025-01-02", "2025-01-01"), freenahi.EINVALID},
				{"NoBalance", q(ana.user.ID, noBalance.ID, "2025-01-01", "2025-01-31"), freenahi.EINVALID},
				{"AnotherUsersAccount", q(ana.user.ID, bob.checking.ID, "2025-01-01", "2025-01-31"), freenahi.ENOTFOUND},
			} {
				err := s.ReadStatement(ctx, tc.q, func(*freenahi.StatementData) error {
					t.Fatalf("%s: fn ran", tc.name)
					return nil
				})
				wantCode(t, err, tc.code, tc.name)
			}
			// fn's own error comes back as it is.
			mine := errors.New("disk full")
			err := s.ReadStatement(ctx, q(ana.user.ID, ana.checking.ID, "2025-01-01", "2025-01-31"),
				func(*freenahi.StatementData) error { return mine })
			if err != mine {
				t.Fatalf("fn's error came back as %v", err)
			}
		})
	})
}
