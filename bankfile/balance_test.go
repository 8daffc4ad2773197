package bankfile_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestParse_Balance: the balances the fixtures state, read by hand: OFX
// LEDGERBAL 2457.50 at 2024-01-31 and 1234067.89 at 2024-02-29; the CFONB
// seed's 07 record 0000000021763B (B is +2) at 310326; QIF none.
func TestParse_Balance(t *testing.T) {
	for _, tc := range []struct {
		file, date string
		cents      int64
	}{
		{"sgml-v102.ofx", "2024-01-31", 245750},
		{"xml-v220.ofx", "2024-02-29", 123406789},
		{"french.qif", "", 0},
		{"", "2026-03-31", 217632},
	} {
		data := []byte(cfonbSeed)
		if tc.file != "" {
			var err error
			if data, err = os.ReadFile(filepath.Join("testdata", tc.file)); err != nil {
				t.Fatal(err)
			}
		}
		f, err := bankfile.Parse(data, bankfile.Options{DayFirst: true})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case tc.date == "" && f.Balance != nil:
			t.Errorf("%s: balance %+v, want none", tc.file, f.Balance)
		case tc.date != "" && (f.Balance == nil || f.Balance.Date.String() != tc.date):
			t.Errorf("%s: balance %+v, want one at %s", tc.file, f.Balance, tc.date)
		case tc.date != "":
			if got, err := f.Balance.Amount.Minor(2); err != nil || got != tc.cents {
				t.Errorf("%s: balance %s, want %d cents", tc.file, f.Balance.Amount, tc.cents)
			}
		}
	}
}

// TestImporter_Balance: a manual account's balance after each import,
// written by hand from the files: the lines' sum without a stated balance,
// the stated balance plus what comes after its day with one; importing a
// file again changes nothing; a dry run keeps nothing.
func TestImporter_Balance(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, "ana@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		im := &bankfile.Importer{Store: s, Accounts: s}
		read := func(name string) []byte {
			b, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		balance := func(id int64) int64 {
			a, err := s.FindAccountByID(ctx, u.ID, id)
			if err != nil || a.BalanceMinor == nil {
				t.Fatalf("account %d: %v, balance %v", id, err, a)
			}
			return *a.BalanceMinor
		}
		importInto := func(id int64, data []byte, dry bool) *bankfile.Outcome {
			t.Helper()
			req := bankfile.Request{UserID: u.ID, AccountID: id, Data: data, DryRun: dry, Options: bankfile.Options{DayFirst: true}}
			if id == 0 {
				req.NewAccount = &freenahi.Account{Name: "Compte", Currency: freenahi.Currency{Code: "EUR"}}
			}
			out, err := im.Import(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		// CSV: -42.50 + 2500.00 - 61.20 = 2396.30, no stated balance.
		csv := read("bank-fr-1252.csv")
		out := importInto(0, csv, false)
		id := out.Result.Account.ID
		if got := balance(id); got != 239630 || out.Result.BalanceMinor != 239630 {
			t.Fatalf("after the CSV: %d (result %d), want 239630", got, out.Result.BalanceMinor)
		}
		if out := importInto(id, csv, false); balance(id) != 239630 || out.Result.Skipped != 3 {
			t.Fatalf("the CSV again: %d, skipped %d; want 239630 and 3", balance(id), out.Result.Skipped)
		}
		// OFX: LEDGERBAL 2457.50 at the end of 2024-01-31, nothing after.
		ofx := read("sgml-v102.ofx")
		if out := importInto(id, ofx, true); out.Result.BalanceMinor != 245750 || balance(id) != 239630 {
			t.Fatalf("dry run: result %d, account %d; want 245750 and unchanged 239630", out.Result.BalanceMinor, balance(id))
		}
		importInto(id, ofx, false)
		if got := balance(id); got != 245750 {
			t.Fatalf("after the OFX: %d, want its ledger balance 245750", got)
		}
		// A payment after the ledger's day counts on top of it.
		importInto(id, []byte("Date;Libellé;Montant\n05/02/2024;CB BOULANGERIE;-10,00\n"), false)
		if got := balance(id); got != 244750 {
			t.Fatalf("after a later payment: %d, want 244750", got)
		}
		importInto(id, ofx, false)
		if got := balance(id); got != 244750 {
			t.Fatalf("the OFX again: %d, want 244750", got)
		}
		// The stated balance is the account's balance on its day, which the
		// balance history and net worth are anchored on.
		snaps, err := s.FindBalances(ctx, u.ID, id, freenahi.Date{Year: 2024, Month: 1, Day: 1}, freenahi.Date{Year: 2024, Month: 12, Day: 31})
		if err != nil || len(snaps) != 1 || snaps[0].BalanceMinor != 245750 || freenahi.DateOf(snaps[0].At).String() != "2024-01-31" {
			t.Fatalf("dated balances: %+v, %v; want 2457.50 on 2024-01-31", snaps, err)
		}
		// The person sets the balance on a later day, then corrects an older
		// one: the latest dated balance rules today's balance.
		set := func(day string, minor, want int64) {
			t.Helper()
			d, _ := freenahi.ParseDate(day)
			got, err := s.SetManualBalance(ctx, u.ID, id, freenahi.DatedBalance{Date: d, Minor: minor})
			if err != nil || got != want || balance(id) != want {
				t.Fatalf("balance %d on %s: %d (%v), account %d; want %d", minor, day, got, err, balance(id), want)
			}
		}
		set("2024-02-10", 300000, 300000)
		set("2024-01-15", 100000, 300000)
		importInto(id, []byte("Date;Libellé;Montant\n20/02/2024;VIR RECU;50,00\n"), false)
		if got := balance(id); got != 305000 {
			t.Fatalf("after a credit past the set balance: %d, want 305000", got)
		}
		other, err := s.CreateUser(ctx, "ben@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetManualBalance(ctx, other.ID, id, freenahi.DatedBalance{Date: freenahi.Date{Year: 2024, Month: 3, Day: 1}, Minor: 1}); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			t.Fatalf("another user sets the balance: %v", err)
		}
		if got := balance(id); got != 305000 {
			t.Fatalf("another user's attempt changed the balance to %d", got)
		}
		// CFONB: closing balance 2176.32 on 2026-03-31, into a new account.
		if out := importInto(0, []byte(cfonbSeed), false); balance(out.Result.Account.ID) != 217632 {
			t.Fatalf("CFONB: %d, want 217632", balance(out.Result.Account.ID))
		}
	})
}
