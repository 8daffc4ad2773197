package export_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/store"
)

var ctx = context.Background()

// The store must offer everything the exporter uses.
var (
	_ export.Ledger          = (*store.Store)(nil)
	_ export.CredentialStore = (*store.Store)(nil)
)

// testIBAN is the reference's worked example: bank 30006, branch 00001,
// account 12345678901, key 89.
const testIBAN = "FR7630006000011234567890189"

// fixture is a user with one EUR account, written through the sync path
// like ingestion does.
type fixture struct {
	s       *store.Store
	user    *freenahi.User
	account *freenahi.Account
	powens  int64
	events  int
}

func d(s string) freenahi.Date {
	v, err := freenahi.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func minor(v int64) *int64 { return &v }

// MustFixture creates the user, its connection and its account.
func MustFixture(tb testing.TB, s *store.Store, email string, powensUser int64, iban string) *fixture {
	tb.Helper()
	u, err := s.CreateUser(ctx, email, "")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: powensUser, Token: "tok-" + email}); err != nil {
		tb.Fatal(err)
	}
	f := &fixture{s: s, user: u, powens: powensUser}
	f.write(tb, func(w freenahi.SyncWriter) error {
		c := &freenahi.Connection{PowensID: powensUser*10 + 1, BankName: "Banque Test", Active: true}
		if err := w.UpsertConnection(ctx, c); err != nil {
			return err
		}
		f.account = &freenahi.Account{ConnectionID: c.ID, PowensID: powensUser*10 + 2, PowensConnectionID: c.PowensID,
			Type: "checking", IBAN: iban, Name: "Compte courant", Currency: freenahi.Currency{Code: "EUR", Exponent: 2},
			BalanceMinor: minor(0), Display: true}
		return w.UpsertAccount(ctx, f.account)
	})
	return f
}

// write runs fn in one processed inbox event, as ingestion does.
func (f *fixture) write(tb testing.TB, fn func(w freenahi.SyncWriter) error) {
	tb.Helper()
	f.events++
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: fmt.Sprintf("fixture:%d:%d", f.user.ID, f.events),
		PowensUserID: &f.powens, Auth: freenahi.AuthHMAC, Body: []byte("{}")}
	if _, err := f.s.ReceiveEvent(ctx, e); err != nil {
		tb.Fatal(err)
	}
	claimed, err := f.s.ClaimEvent(ctx, time.Minute)
	if err != nil || claimed == nil || claimed.ID != e.ID {
		tb.Fatalf("claim fixture event: %v %v", claimed, err)
	}
	if err := f.s.ProcessEvent(ctx, claimed, func(ctx context.Context, w freenahi.SyncWriter) error { return fn(w) }); err != nil {
		tb.Fatal(err)
	}
}

// sync stores transactions and the account's new balance in one event.
func (f *fixture) sync(tb testing.TB, balance int64, txs ...*freenahi.Transaction) {
	tb.Helper()
	f.write(tb, func(w freenahi.SyncWriter) error {
		for _, t := range txs {
			t.AccountID = f.account.ID
			t.Currency = f.account.Currency
			t.Active = true
		}
		if len(txs) > 0 {
			if err := w.UpsertTransactions(ctx, txs); err != nil {
				return err
			}
		}
		f.account.BalanceMinor = minor(balance)
		if err := w.UpsertAccount(ctx, f.account); err != nil {
			return err
		}
		return w.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: f.account.ID, At: time.Date(2026, 4, 3, 8, 0, 0, f.events, time.UTC),
			BalanceMinor: balance})
	})
}

// tx builds a transaction.
func tx(powensID int64, date string, value int64, typ, wording string) *freenahi.Transaction {
	return &freenahi.Transaction{PowensID: powensID, Date: d(date), ValueMinor: value, Type: typ, OriginalWording: wording}
}

// marchFixture is the statement fixture: March 2026 with movements on four
// days, plus what must stay out (coming, deleted, before and after).
func marchFixture(tb testing.TB, s *store.Store) *fixture {
	tb.Helper()
	f := MustFixture(tb, s, "ana@example.com", 42, testIBAN)
	edf := tx(1002, "2026-03-02", -4590, "order", "PRLV SEPA EDF")
	edf.Counterparty = &freenahi.Counterparty{Label: "EDF", Type: "creditor"}
	acme := tx(1001, "2026-03-02", 123456, "transfer", "VIR SEPA RECU ACME SA")
	acme.Counterparty = &freenahi.Counterparty{Label: "ACME SA", Type: "debtor"}
	acme.VDate = d("2026-03-03")
	fee := tx(1005, "2026-03-05", -300, "bank", "Commission d'intervention sur opération été 2026 — relevé n°3")
	coming := tx(1006, "2026-03-09", -2000, "card", "CB STATION SERVICE")
	coming.Coming = true
	deleted := tx(1007, "2026-03-10", -9999, "card", "CB ANNULEE")
	deleted.Deleted = ptrTime(time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC))
	f.sync(tb, 200000,
		tx(1000, "2026-02-27", 10000, "transfer", "VIR AVANT LA PERIODE"),
		edf, acme,
		tx(1004, "2026-03-05", -1234, "card", "CB CARREFOUR 04/03"),
		fee, coming, deleted,
		tx(1008, "2026-03-15", -1, "weird_new_type", "=HYPERLINK(\"x\")"),
		tx(1009, "2026-04-02", -5000, "withdrawal", "RETRAIT DAB"),
	)
	return f
}

func ptrTime(t time.Time) *time.Time { return &t }
