package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/google/go-cmp/cmp"
)

// trySync is MustSync for writes that may fail: a failed event is marked
// failed for good, so that it does not hold back the user's next events.
func trySync(tb testing.TB, s *store.Store, u *freenahi.User, fn func(w freenahi.SyncWriter) error) error {
	tb.Helper()
	e := mustReceive(tb, s, freenahi.EventConnectionSynced, fmt.Sprintf("sync:%d", deliveries.Add(1)), *u.PowensUserID)
	claimed := mustClaim(tb, s, e.ID)
	err := s.ProcessEvent(ctx, claimed, func(_ context.Context, w freenahi.SyncWriter) error { return fn(w) })
	if err != nil {
		if ferr := s.FailEvent(ctx, claimed, err.Error(), nil); ferr != nil {
			tb.Fatalf("fail event %d: %v", e.ID, ferr)
		}
	}
	return err
}

// state is everything a user can read, for before/after comparisons.
type state struct {
	Connections  []*freenahi.Connection
	Accounts     []*freenahi.Account
	Transactions []*freenahi.Transaction
	Investments  []*freenahi.Investment
	Loans        []*freenahi.Loan
	Balances     map[int64][]*freenahi.BalanceSnapshot
}

// mustState reads everything of a user.
func mustState(tb testing.TB, s *store.Store, userID int64) *state {
	tb.Helper()
	st := &state{Balances: map[int64][]*freenahi.BalanceSnapshot{}}
	var err error
	if st.Connections, err = s.FindConnections(ctx, userID); err != nil {
		tb.Fatal(err)
	}
	if st.Accounts, err = s.FindAccounts(ctx, freenahi.AccountFilter{UserID: userID, IncludeDeleted: true}); err != nil {
		tb.Fatal(err)
	}
	st.Transactions = mustAllTransactions(tb, s, freenahi.TransactionFilter{UserID: userID, IncludeDeleted: true, Limit: freenahi.MaxPageLimit})
	if st.Investments, err = s.FindInvestments(ctx, userID, nil); err != nil {
		tb.Fatal(err)
	}
	if st.Loans, err = s.FindLoans(ctx, userID); err != nil {
		tb.Fatal(err)
	}
	for _, a := range st.Accounts {
		if st.Balances[a.ID], err = s.FindBalances(ctx, userID, a.ID, freenahi.Date{}, freenahi.Date{}); err != nil {
			tb.Fatal(err)
		}
	}
	return st
}

// fullTransaction sets every field a transaction can carry.
func fullTransaction(a *freenahi.Account, powensID int64) *freenahi.Transaction {
	at := time.Date(2026, 2, 27, 14, 3, 4, 123456000, time.UTC)
	return &freenahi.Transaction{AccountID: a.ID, PowensID: powensID, Date: date("2026-03-02"), RDate: date("2026-02-27"),
		VDate: date("2026-03-03"), ApplicationDate: date("2026-02-28"), DateTime: ptr(at), RDateTime: ptr(at.Add(time.Hour)),
		VDateTime: ptr(at.Add(2 * time.Hour)), Currency: a.Currency, ValueMinor: -123456789012, GrossValueMinor: ptr(int64(-123456789100)),
		OriginalValueMinor: ptr(int64(-5000)), OriginalGrossValueMinor: ptr(int64(-5100)),
		OriginalCurrency: &freenahi.Currency{Code: "USD", Exponent: 2}, CommissionMinor: ptr(int64(88)),
		CommissionCurrency: &freenahi.Currency{Code: "TND", Exponent: 3}, Type: "card", OriginalWording: "CB AMAZON 26/02",
		SimplifiedWording: "AMAZON", Wording: "Amazon", Active: true, Card: "XXXX1234", Webid: "w-1",
		Counterparty: &freenahi.Counterparty{Label: "Amazon EU", AccountScheme: "iban", AccountIdentification: "LU28001", Type: "creditor"},
		LastUpdate:   ptr(at.Add(24 * time.Hour))}
}

// mustSeedEverything writes one of each kind of row for the bank's user in
// one event, as a full CONNECTION_SYNCED would.
func mustSeedEverything(tb testing.TB, s *store.Store, b *bank) {
	tb.Helper()
	MustSync(tb, s, b.user, func(w freenahi.SyncWriter) error { return writeEverything(w, b) })
}

func writeEverything(w freenahi.SyncWriter, b *bank) error {
	if err := w.UpsertConnection(ctx, b.conn); err != nil {
		return err
	}
	for _, a := range []*freenahi.Account{b.checking, b.card, b.savings, b.loan, b.market, b.yen} {
		if err := w.UpsertAccount(ctx, a); err != nil {
			return err
		}
	}
	plain := &freenahi.Transaction{AccountID: b.checking.ID, PowensID: 2, Date: date("2026-03-01"), ValueMinor: 5000, Type: "transfer",
		OriginalWording: "VIR", Active: true}
	if err := w.UpsertTransactions(ctx, []*freenahi.Transaction{fullTransaction(b.checking, 1), plain}); err != nil {
		return err
	}
	if err := w.UpsertInvestments(ctx, []*freenahi.Investment{{AccountID: b.market.ID, PowensID: 1, Label: "MSCI World", Code: "IE00B4L5Y983",
		CodeType: "ISIN", Quantity: ptr(freenahi.MustParseDecimal("12.3456")), UnitValue: ptr(freenahi.MustParseDecimal("98.765432")),
		Valuation: ptr(freenahi.MustParseDecimal("1219.30")), DiffPercent: ptr(freenahi.MustParseDecimal("0.0412")), VDate: date("2026-02-28"),
		OriginalCurrency: &freenahi.Currency{Code: "USD", Exponent: 2}, OriginalValuation: ptr(freenahi.MustParseDecimal("1300.10"))}}); err != nil {
		return err
	}
	if err := w.UpsertLoan(ctx, &freenahi.Loan{AccountID: b.loan.ID, Type: "consumercredit", TotalAmountMinor: ptr(int64(1500000)),
		NextPaymentDate: date("2026-04-05"), NextPaymentAmountMinor: ptr(int64(31250)), Rate: ptr(freenahi.MustParseDecimal("4.85")),
		NbPaymentsLeft: ptr(int64(26)), Deferred: ptr(false), InsuranceLabel: "ADI"}); err != nil {
		return err
	}
	return w.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: b.checking.ID, At: t0, BalanceMinor: *b.checking.BalanceMinor})
}

func TestSyncWriter_RoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		mustSeedEverything(t, s, b)

		want := fullTransaction(b.checking, 1)
		txs := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: b.user.ID, AccountID: &b.checking.ID})
		if len(txs) != 2 {
			t.Fatalf("%d transactions, want 2", len(txs))
		}
		got, err := s.FindTransactionByID(ctx, b.user.ID, txs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		want.ID, want.UserID, want.UpdatedAt = got.ID, b.user.ID, got.UpdatedAt
		// Categorised at ingest (see category_test.go): the payee from
		// Powens' simplified wording, the category by the built-in rules.
		want.Payee, want.CategorySource, want.CategoryID = "Amazon", freenahi.CategoryFromBuiltin, got.CategoryID
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("transaction read back differs (-written +read):\n%s", diff)
		}
		if got, err := s.FindTransactionByID(ctx, b.user.ID, txs[1].ID); err != nil || got.Counterparty != nil ||
			got.OriginalCurrency != nil || got.CommissionCurrency != nil || got.DateTime != nil {
			t.Fatalf("a transaction without optional fields read back as %+v, %v", got, err)
		}

		invs, err := s.FindInvestments(ctx, b.user.ID, &b.market.ID)
		if err != nil || len(invs) != 1 {
			t.Fatalf("FindInvestments: %d, %v", len(invs), err)
		}
		in := invs[0]
		if in.Quantity.String() != "12.3456" || in.UnitValue.String() != "98.765432" || in.UnitPrice != nil ||
			in.Currency != eur || in.OriginalCurrency.Code != "USD" || in.OriginalValuation.String() != "1300.1" || in.VDate != date("2026-02-28") {
			t.Fatalf("investment read back as %+v", in)
		}
		loans, err := s.FindLoans(ctx, b.user.ID)
		if err != nil || len(loans) != 1 {
			t.Fatalf("FindLoans: %d, %v", len(loans), err)
		}
		if l := loans[0]; l.AccountID != b.loan.ID || l.Rate.String() != "4.85" || *l.NbPaymentsLeft != 26 || *l.Deferred ||
			l.NextPaymentDate != date("2026-04-05") || l.Currency != eur || l.InsuranceLabel != "ADI" || l.MaturityDate != (freenahi.Date{}) {
			t.Fatalf("loan read back as %+v", l)
		}
	})
}

func TestSyncWriter_Idempotent(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		mustSeedEverything(t, s, b)
		before := mustState(t, s, b.user.ID)
		// The same data again, later, as a redelivery or a reconcile pull
		// would bring it: nothing changes, not even the update times.
		clk.Add(time.Hour)
		mustSeedEverything(t, s, b)
		if diff := cmp.Diff(before, mustState(t, s, b.user.ID)); diff != "" {
			t.Fatalf("the same event twice changed the state (-once +twice):\n%s", diff)
		}
	})
}

func TestSyncWriter_UpsertTransactions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		write := func(txs ...*freenahi.Transaction) {
			t.Helper()
			MustSync(t, s, b.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
		}
		find := func(powensID int64, deleted bool) *freenahi.Transaction {
			t.Helper()
			for _, tx := range mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: b.user.ID, IncludeDeleted: deleted}) {
				if tx.PowensID == powensID {
					return tx
				}
			}
			return nil
		}
		tx := func(powensID int64, day string, minor int64) *freenahi.Transaction {
			return &freenahi.Transaction{AccountID: b.checking.ID, PowensID: powensID, Date: date(day), ValueMinor: minor,
				OriginalWording: "CB STATION", Type: "card", Active: true}
		}

		t.Run("ComingThenBooked", func(t *testing.T) {
			coming := tx(100, "2026-03-09", -2000)
			coming.Coming = true
			write(coming)
			first := find(100, false)
			if first == nil || !first.Coming {
				t.Fatalf("coming transaction read back as %+v", first)
			}
			if page := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: b.user.ID, ExcludeComing: true}); len(page) != 0 {
				t.Fatalf("ExcludeComing lists %d transactions", len(page))
			}
			clk.Add(time.Hour)
			write(tx(100, "2026-03-10", -2050)) // booked a day later, for a little more
			booked := find(100, false)
			if booked.ID != first.ID || booked.Coming || booked.ValueMinor != -2050 || booked.Date != date("2026-03-10") ||
				!booked.UpdatedAt.Equal(clk.now) {
				t.Fatalf("booked transaction %+v, want row %d updated in place", booked, first.ID)
			}
		})
		t.Run("SoftDelete", func(t *testing.T) {
			write(tx(200, "2026-03-11", -999))
			kept := find(200, false)
			gone := tx(200, "2026-03-11", -999)
			gone.Deleted = ptr(clk.now)
			write(gone)
			if find(200, false) != nil {
				t.Fatal("a deleted transaction is listed")
			}
			if d := find(200, true); d == nil || d.ID != kept.ID || d.Deleted == nil {
				t.Fatalf("IncludeDeleted: %+v, want row %d marked deleted", d, kept.ID)
			}
			if got, err := s.FindTransactionByID(ctx, b.user.ID, kept.ID); err != nil || got.Deleted == nil {
				t.Fatalf("FindTransactionByID of a deleted transaction: %+v, %v", got, err)
			}
		})
		t.Run("LastVersionInABatchWins", func(t *testing.T) {
			write(tx(300, "2026-03-12", -1), tx(301, "2026-03-12", -2), tx(300, "2026-03-12", -3))
			if got := find(300, false); got.ValueMinor != -3 {
				t.Fatalf("value %d, want the batch's last version, -3", got.ValueMinor)
			}
		})
		t.Run("ManyBatches", func(t *testing.T) {
			// More than one full batch on either engine (400 rows on
			// SQLite, 2,000 on PostgreSQL), and a partial one.
			var txs []*freenahi.Transaction
			var sum int64
			for i := range 2450 {
				t := tx(int64(10_000+i), "2026-02-01", int64(i%97-48))
				t.Date = t.Date.AddDays(i % 28)
				txs = append(txs, t)
				sum += t.ValueMinor
			}
			write(txs...)
			from, to := date("2026-02-01"), date("2026-02-28")
			var n, got int64
			for _, tx := range mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: b.user.ID, From: &from, To: &to, Limit: 1000}) {
				n, got = n+1, got+tx.ValueMinor
			}
			if n != 2450 || got != sum {
				t.Fatalf("%d transactions summing %d, want 2450 summing %d", n, got, sum)
			}
		})
	})
}

func TestSyncWriter_OlderEventNeverWins(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		write := func(name string, minor int64) func(w freenahi.SyncWriter) error {
			return func(w freenahi.SyncWriter) error {
				c := *b.conn
				c.BankName = name
				if err := w.UpsertConnection(ctx, &c); err != nil {
					return err
				}
				a := *b.checking
				a.Name, a.BalanceMinor = name, &minor
				if err := w.UpsertAccount(ctx, &a); err != nil {
					return err
				}
				return w.UpsertTransactions(ctx, []*freenahi.Transaction{{AccountID: a.ID, PowensID: 1, Date: date("2026-03-02"),
					ValueMinor: minor, OriginalWording: name, Active: true}})
			}
		}
		older := MustSync(t, s, b.user, write("old", 1))
		clk.Add(time.Hour)
		MustSync(t, s, b.user, write("new", 2))
		want := mustState(t, s, b.user.ID)

		// The older event is replayed: what it writes must not undo the newer one.
		clk.Add(time.Hour)
		if err := s.ReplayEvent(ctx, older); err != nil {
			t.Fatal(err)
		}
		replayed := mustClaim(t, s, older)
		if err := s.ProcessEvent(ctx, replayed, func(_ context.Context, w freenahi.SyncWriter) error { return write("old", 1)(w) }); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, mustState(t, s, b.user.ID)); diff != "" {
			t.Fatalf("replaying the older event changed the state (-before +after):\n%s", diff)
		}
	})
}

func TestSyncWriter_Deletions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		bobBefore := mustState(t, s, bob.user.ID)

		t.Run("SetAccountDisabled", func(t *testing.T) {
			MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error {
				if err := w.SetAccountDisabled(ctx, ana.savings.PowensID, &clk.now); err != nil {
					return err
				}
				return w.SetAccountDisabled(ctx, 999, &clk.now) // never synced: nothing to do
			})
			a, err := s.FindAccountByID(ctx, ana.user.ID, ana.savings.ID)
			if err != nil || a.Disabled == nil || !a.Disabled.Equal(clk.now) {
				t.Fatalf("disabled account: %+v, %v", a, err)
			}
			MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.SetAccountDisabled(ctx, ana.savings.PowensID, nil) })
			if a, _ := s.FindAccountByID(ctx, ana.user.ID, ana.savings.ID); a.Disabled != nil {
				t.Fatalf("enabled account still disabled at %v", a.Disabled)
			}
		})
		t.Run("MarkConnectionDeleted", func(t *testing.T) {
			at := clk.Add(time.Minute)
			MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error {
				if err := w.MarkConnectionDeleted(ctx, ana.conn.PowensID, at); err != nil {
					return err
				}
				return w.MarkConnectionDeleted(ctx, 999, at) // never synced: nothing to hide
			})
			if accounts, err := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: ana.user.ID}); err != nil || len(accounts) != 0 {
				t.Fatalf("%d accounts of a deleted connection listed, %v", len(accounts), err)
			}
			all, err := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: ana.user.ID, IncludeDeleted: true})
			if err != nil || len(all) != 6 || all[0].Deleted == nil || !all[0].Deleted.Equal(at) {
				t.Fatalf("IncludeDeleted: %d accounts, %v", len(all), err)
			}
			c, err := s.FindConnectionByID(ctx, ana.user.ID, ana.conn.ID)
			if err != nil || c.Deleted == nil || !c.Deleted.Equal(at) {
				t.Fatalf("deleted connection: %+v, %v", c, err)
			}
		})
		t.Run("UnlinkPowensUser", func(t *testing.T) {
			MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UnlinkPowensUser(ctx, clk.now) })
			_, err := s.FindPowensUser(ctx, ana.user.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "Powens link after user_deleted")
			if u, err := s.FindUserByID(ctx, ana.user.ID); err != nil || u.PowensUserID != nil {
				t.Fatalf("user after unlink: %+v, %v", u, err)
			}
			if tx, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: ana.user.ID, IncludeDeleted: true}); err != nil {
				t.Fatalf("the user's data is no longer readable: %d transactions, %v", len(tx), err)
			}
		})
		if diff := cmp.Diff(bobBefore, mustState(t, s, bob.user.ID)); diff != "" {
			t.Fatalf("ana's deletions changed bob's data, though they share Powens ids:\n%s", diff)
		}
	})
}

// TestSyncWriter_OwnerScoping gives a user's writer the ids of another
// user's rows: every write is refused with ENOTFOUND, and nothing of the
// other user changes.
func TestSyncWriter_OwnerScoping(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		mustSeedEverything(t, s, bob)
		bobBefore := mustState(t, s, bob.user.ID)
		for _, tc := range []struct {
			name  string
			write func(w freenahi.SyncWriter) error
		}{
			{"UpsertAccount", func(w freenahi.SyncWriter) error {
				a := *ana.checking
				a.ConnectionID = bob.conn.ID
				return w.UpsertAccount(ctx, &a)
			}},
			{"UpsertTransactions", func(w freenahi.SyncWriter) error {
				return w.UpsertTransactions(ctx, []*freenahi.Transaction{fullTransaction(bob.checking, 1)})
			}},
			{"UpsertTransactionsOfAnUnknownAccount", func(w freenahi.SyncWriter) error {
				return w.UpsertTransactions(ctx, []*freenahi.Transaction{fullTransaction(&freenahi.Account{ID: 1 << 40}, 1)})
			}},
			{"UpsertTransactionsMixed", func(w freenahi.SyncWriter) error {
				return w.UpsertTransactions(ctx, []*freenahi.Transaction{fullTransaction(ana.checking, 7), fullTransaction(bob.checking, 1)})
			}},
			{"UpsertInvestments", func(w freenahi.SyncWriter) error {
				return w.UpsertInvestments(ctx, []*freenahi.Investment{{AccountID: bob.market.ID, PowensID: 1, Label: "stolen"}})
			}},
			{"UpsertLoan", func(w freenahi.SyncWriter) error {
				return w.UpsertLoan(ctx, &freenahi.Loan{AccountID: bob.loan.ID, Type: "loan"})
			}},
			{"RecordBalance", func(w freenahi.SyncWriter) error {
				return w.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: bob.checking.ID, At: t0, BalanceMinor: 1})
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := trySync(t, s, ana.user, tc.write)
				wantCode(t, err, freenahi.ENOTFOUND, tc.name+" with another user's id")
			})
		}
		t.Run("ConnectionID", func(t *testing.T) {
			MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error {
				if id, err := w.ConnectionID(ctx, bob.conn.PowensID); err != nil || id != ana.conn.ID {
					t.Errorf("ConnectionID(%d)=%d, %v; want ana's %d", bob.conn.PowensID, id, err, ana.conn.ID)
				}
				_, err := w.ConnectionID(ctx, 999)
				wantCode(t, err, freenahi.ENOTFOUND, "ConnectionID of an unknown connection")
				if w.UserID() != ana.user.ID {
					t.Errorf("UserID()=%d, want %d", w.UserID(), ana.user.ID)
				}
				return nil
			})
		})
		if diff := cmp.Diff(bobBefore, mustState(t, s, bob.user.ID)); diff != "" {
			t.Fatalf("ana's writer changed bob's data:\n%s", diff)
		}
		if txs := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, IncludeDeleted: true}); len(txs) != 0 {
			t.Fatalf("refused writes left %d transactions with ana", len(txs))
		}
	})
}
