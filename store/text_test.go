package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/google/go-cmp/cmp"
)

// TestSyncWriter_StorableText writes a NUL and bytes that are not UTF-8 into
// every kind of text ingestion stores: PostgreSQL cannot hold them as they
// are, so both engines must store U+FFFD in their place (the expected values
// are written by hand), and writing the same again changes nothing.
func TestSyncWriter_StorableText(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		write := func(w freenahi.SyncWriter) error {
			b.conn.BankName, b.conn.ErrorMessage = "Banque\x00Test", "site \xff down"
			b.conn.Sources[0].Name = "open\x00api"
			if err := w.UpsertConnection(ctx, b.conn); err != nil {
				return err
			}
			b.checking.Name, b.checking.Number, b.checking.Error = "Compte\x00courant", "12\xc3", "x\x00"
			if err := w.UpsertAccount(ctx, b.checking); err != nil {
				return err
			}
			tx := &freenahi.Transaction{AccountID: b.checking.ID, PowensID: 7, Date: date("2026-03-01"), ValueMinor: -990,
				Type: "card\x00", OriginalWording: "CB\x00CAFE\xff", SimplifiedWording: "CAFE\x00", Wording: "Café\x00", Active: true,
				Card: "XXXX\x001234", Webid: "\xfe", Counterparty: &freenahi.Counterparty{Label: "Caf\x00", AccountScheme: "iban",
					AccountIdentification: "FR76\x00", Type: "creditor"}}
			if err := w.UpsertTransactions(ctx, []*freenahi.Transaction{tx}); err != nil {
				return err
			}
			if err := w.UpsertInvestments(ctx, []*freenahi.Investment{{AccountID: b.market.ID, PowensID: 1, Label: "MSCI\x00World",
				Code: "IE00\xff", CodeType: "ISIN", StockSymbol: "\x00"}}); err != nil {
				return err
			}
			return w.UpsertLoan(ctx, &freenahi.Loan{AccountID: b.loan.ID, Type: "loan\x00", AccountLabel: "Prêt\x00auto", InsuranceLabel: "ADI\xe2\x82"})
		}
		MustSync(t, s, b.user, write)
		st := mustState(t, s, b.user.ID)

		const r = "\uFFFD"
		c := st.Connections[0]
		if c.BankName != "Banque"+r+"Test" || c.ErrorMessage != "site "+r+" down" || c.Sources[0].Name != "open"+r+"api" {
			t.Errorf("connection: %q %q %q", c.BankName, c.ErrorMessage, c.Sources[0].Name)
		}
		a, err := s.FindAccountByID(ctx, b.user.ID, b.checking.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Name != "Compte"+r+"courant" || a.Number != "12"+r || a.Error != "x"+r {
			t.Errorf("account: %q %q %q", a.Name, a.Number, a.Error)
		}
		var tx *freenahi.Transaction
		for _, x := range st.Transactions {
			if x.PowensID == 7 {
				tx = x
			}
		}
		if tx == nil {
			t.Fatal("transaction 7 not stored")
		}
		if got, want := []string{tx.Type, tx.OriginalWording, tx.SimplifiedWording, tx.Wording, tx.Card, tx.Webid,
			tx.Counterparty.Label, tx.Counterparty.AccountIdentification},
			[]string{"card" + r, "CB" + r + "CAFE" + r, "CAFE" + r, "Café" + r, "XXXX" + r + "1234", r, "Caf" + r, "FR76" + r}; !cmp.Equal(got, want) {
			t.Errorf("transaction text (-want +got):\n%s", cmp.Diff(want, got))
		}
		// The search finds it by a word beside the replaced byte.
		if found := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: b.user.ID, Query: "cafe"}); len(found) != 1 {
			t.Errorf("search \"cafe\" found %d transactions, want 1", len(found))
		}
		in := st.Investments[0]
		if in.Label != "MSCI"+r+"World" || in.Code != "IE00"+r || in.StockSymbol != r {
			t.Errorf("investment: %q %q %q", in.Label, in.Code, in.StockSymbol)
		}
		if l := st.Loans[0]; l.Type != "loan"+r || l.AccountLabel != "Prêt"+r+"auto" || l.InsuranceLabel != "ADI"+r+r {
			t.Errorf("loan: %q %q %q", l.Type, l.AccountLabel, l.InsuranceLabel)
		}

		clk.Add(time.Hour)
		MustSync(t, s, b.user, write)
		if diff := cmp.Diff(st, mustState(t, s, b.user.ID)); diff != "" {
			t.Errorf("the same text again changed the state (-once +twice):\n%s", diff)
		}
	})
}

// TestInboxService_StorableFailure: the cause of a failure quotes what was
// sent; a NUL in it, or a long one cut in the middle of a character, must
// not stop the failure from being recorded.
func TestInboxService_StorableFailure(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		MustCreateUser(t, s, "ana@example.com", 1)
		for i, tc := range []struct{ cause, want string }{
			{"transactions[0].wording: \"CB\x00\"", "transactions[0].wording: \"CB\uFFFD\""},
			{"x" + strings.Repeat("é", 1500), "x" + strings.Repeat("é", 999)}, // 2,000 bytes would end inside an é
		} {
			e := mustReceive(t, s, freenahi.EventConnectionSynced, fmt.Sprint("fail:", i), 1)
			claimed := mustClaim(t, s, e.ID)
			if err := s.FailEvent(ctx, claimed, tc.cause, nil); err != nil {
				t.Fatalf("fail event: %v", err)
			}
			got, err := s.FindEventByID(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != freenahi.StatusFailed || got.LastError != tc.want || !utf8.ValidString(got.LastError) {
				t.Errorf("event %s, cause %.40q… (%d bytes), want %.40q… (%d bytes)", got.Status, got.LastError, len(got.LastError), tc.want, len(tc.want))
			}
		}
	})
}

// TestInboxService_DatabaseRefusal: when the database refuses what an
// event writes (here a unique constraint), ProcessEvent says EINVALID, which
// the worker fails at once; a lock it could not take (PostgreSQL) is not a
// refusal, and is retried.
func TestInboxService_DatabaseRefusal(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustCreateUser(t, s, "ana@example.com", 1)
		MustCreateUser(t, s, "bob@example.com", 2)
		e := mustClaim(t, s, mustReceive(t, s, freenahi.EventConnectionSynced, "refused", 1).ID)
		err := s.ProcessEvent(ctx, e, func(ctx context.Context, w freenahi.SyncWriter) error {
			return store.ExecInEvent(ctx, w, `UPDATE users SET email = $1 WHERE id = $2`, "bob@example.com", ana.ID)
		})
		wantCode(t, err, freenahi.EINVALID, "a unique violation")
		if !strings.Contains(freenahi.ErrorMessage(err), "the database refused the event's data") {
			t.Errorf("message %q does not say the database refused the data", freenahi.ErrorMessage(err))
		}
		if s.Engine() != store.Postgres {
			return
		}
		holder, err := s.DB().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer holder.Rollback()
		if _, err := holder.ExecContext(ctx, `SELECT id FROM users WHERE id = $1 FOR UPDATE`, ana.ID); err != nil {
			t.Fatal(err)
		}
		err = s.ProcessEvent(ctx, e, func(ctx context.Context, w freenahi.SyncWriter) error {
			return store.ExecInEvent(ctx, w, `SELECT id FROM users WHERE id = $1 FOR UPDATE NOWAIT`, ana.ID)
		})
		if err == nil || freenahi.ErrorCode(err) == freenahi.EINVALID {
			t.Fatalf("a lock held by another transaction: %v, want an error worth a retry", err)
		}
	})
}
