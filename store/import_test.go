package store_test

import (
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// importLines are hand-written lines of a January statement.
func importLines() []freenahi.ImportLine {
	return []freenahi.ImportLine{
		{Line: 2, Key: "id:A1", Date: date("2026-01-03"), AmountMinor: -6120, Wording: "PRLV SEPA EDF CLIENTS PARTICULIERS"},
		{Line: 3, Key: "id:A2", Date: date("2026-01-05"), AmountMinor: 250000, Wording: "VIR SEPA SALAIRE ACME"},
		{Line: 4, Key: "sum:x#1", Date: date("2026-01-06"), AmountMinor: -310, Wording: "CB BOULANGERIE PAUL"},
		{Line: 5, Key: "sum:x#2", Date: date("2026-01-06"), AmountMinor: -310, Wording: "CB BOULANGERIE PAUL"},
	}
}

func TestImport_ManualAccount(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		u := b.user
		before := len(mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: u.ID, Limit: 1000}))

		// A dry run creates the account and categorises the lines, then keeps nothing.
		newAcct := func() *freenahi.Account {
			return &freenahi.Account{Name: "  Ancien   compte ", Currency: freenahi.Currency{Code: "EUR"}}
		}
		res, err := s.ImportTransactions(ctx, &freenahi.Import{UserID: u.ID, NewAccount: newAcct(), Lines: importLines(), DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Added) != 4 || res.Skipped != 0 || res.Account.Name != "Ancien compte" || res.Added[0].CategoryID == nil {
			t.Fatalf("dry run: %+v (first %+v)", res, res.Added[0])
		}
		if got := len(mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: u.ID, Limit: 1000})); got != before {
			t.Fatalf("a dry run stored %d transactions", got-before)
		}
		if m, err := s.FindManualAccounts(ctx, u.ID); err != nil || len(m) != 0 {
			t.Fatalf("a dry run left accounts %v, %v", m, err)
		}

		res, err = s.ImportTransactions(ctx, &freenahi.Import{UserID: u.ID, NewAccount: newAcct(), Lines: importLines()})
		if err != nil {
			t.Fatal(err)
		}
		acct := res.Account
		if len(res.Added) != 4 || !acct.Manual || acct.PowensID >= 0 || acct.Currency.Exponent != 2 {
			t.Fatalf("import: %+v account %+v", res, acct)
		}
		got := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: u.ID, AccountID: &acct.ID, Limit: 1000})
		if len(got) != 4 {
			t.Fatalf("%d transactions in the manual account, want 4", len(got))
		}
		var sum int64
		for _, tx := range got {
			sum += tx.ValueMinor
			if tx.CategoryID == nil && tx.OriginalWording != "CB BOULANGERIE PAUL" {
				t.Errorf("%s left without a category", tx.OriginalWording)
			}
		}
		if sum != -6120+250000-310-310 {
			t.Fatalf("sum %d", sum)
		}

		// The same file again, then an overlapping one: only the new line is added.
		res, err = s.ImportTransactions(ctx, &freenahi.Import{UserID: u.ID, AccountID: acct.ID, Lines: importLines()})
		if err != nil || len(res.Added) != 0 || res.Skipped != 4 {
			t.Fatalf("re-import: %+v, %v", res, err)
		}
		// A key listed twice in one file (an OFX FITID repeated) is one transaction.
		fuel := freenahi.ImportLine{Line: 6, Key: "sum:y#1", Date: date("2026-01-07"), AmountMinor: -4500, Wording: "CB TOTAL ENERGIES"}
		more := append(importLines()[2:], fuel, fuel)
		res, err = s.ImportTransactions(ctx, &freenahi.Import{UserID: u.ID, AccountID: acct.ID, Lines: more})
		if err != nil || len(res.Added) != 1 || res.Skipped != 3 || res.Added[0].OriginalWording != "CB TOTAL ENERGIES" {
			t.Fatalf("overlapping import: %+v, %v", res, err)
		}

		// Imported transactions count in the reports.
		rep, err := s.Spending(ctx, u.ID, date("2026-01-01"), date("2026-01-31"))
		if err != nil {
			t.Fatal(err)
		}
		var spent int64
		for _, l := range rep.ByCategory {
			spent += l.SpendingMinor
		}
		if spent < 6120+310+310+4500 {
			t.Fatalf("January spending %d leaves out the imported lines", spent)
		}

		// The placeholder connection is no connection of the person's.
		conns, err := s.FindConnections(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range conns {
			if c.ID == acct.ConnectionID {
				t.Fatal("the manual accounts' placeholder is listed as a connection")
			}
		}
		if _, err := s.FindConnectionByID(ctx, u.ID, acct.ConnectionID); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			t.Fatalf("FindConnectionByID(placeholder) err=%v", err)
		}
		// A second manual account gets its own negative Powens id.
		res, err = s.ImportTransactions(ctx, &freenahi.Import{UserID: u.ID, NewAccount: &freenahi.Account{Name: "Espèces",
			Currency: freenahi.Currency{Code: "JPY"}, Type: "other"}, Lines: []freenahi.ImportLine{{Key: "k", Date: date("2026-01-02"), AmountMinor: -500, Wording: "X"}}})
		if err != nil || res.Account.PowensID != acct.PowensID-1 || res.Account.Currency.Exponent != 0 {
			t.Fatalf("second account: %+v, %v", res, err)
		}
	})
}

func TestImport_Refusals(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		other := MustCreateUser(t, s, "bob@example.com", 2)
		res, err := s.ImportTransactions(ctx, &freenahi.Import{UserID: b.user.ID, NewAccount: &freenahi.Account{Name: "Old", Currency: freenahi.Currency{Code: "EUR"}}})
		if err != nil {
			t.Fatal(err)
		}
		manual := res.Account
		before := len(mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: b.user.ID, Limit: 1000, IncludeDeleted: true}))
		for name, tc := range map[string]struct {
			imp         freenahi.Import
			code, field string
		}{
			"AnotherUsersAccount": {freenahi.Import{UserID: other.ID, AccountID: manual.ID, Lines: importLines()}, freenahi.ENOTFOUND, ""},
			"BankAccount":         {freenahi.Import{UserID: b.user.ID, AccountID: b.checking.ID, Lines: importLines()}, freenahi.EINVALID, "account_id"},
			"NoName":              {freenahi.Import{UserID: b.user.ID, NewAccount: &freenahi.Account{Currency: freenahi.Currency{Code: "EUR"}}, Lines: importLines()}, freenahi.EINVALID, "name"},
			"BadCurrency":         {freenahi.Import{UserID: b.user.ID, NewAccount: &freenahi.Account{Name: "X", Currency: freenahi.Currency{Code: "EURO"}}, Lines: importLines()}, freenahi.EINVALID, "currency"},
			"BadType":             {freenahi.Import{UserID: b.user.ID, NewAccount: &freenahi.Account{Name: "X", Currency: freenahi.Currency{Code: "EUR"}, Type: "loan"}, Lines: importLines()}, freenahi.EINVALID, "type"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := s.ImportTransactions(ctx, &tc.imp)
				if freenahi.ErrorCode(err) != tc.code || freenahi.ErrorField(err) != tc.field {
					t.Fatalf("err=%v, want %s on %q", err, tc.code, tc.field)
				}
			})
		}
		after := len(mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: b.user.ID, Limit: 1000, IncludeDeleted: true}))
		if m, _ := s.FindManualAccounts(ctx, b.user.ID); after != before || len(m) != 1 {
			t.Fatalf("refused imports stored %d transactions, %d manual accounts", after-before, len(m))
		}
		if got := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: other.ID, Limit: 10}); len(got) != 0 {
			t.Fatal("an import reached another user")
		}
	})
}

// TestImport_ManyLines crosses the batches of the import: 1,200 lines, then
// an overlapping file of 1,000 of them and 300 new ones.
func TestImport_ManyLines(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		u := MustCreateUser(t, s, "ana@example.com", 1)
		lines := importBenchLines(1500)
		res, err := s.ImportTransactions(ctx, &freenahi.Import{UserID: u.ID, Lines: lines[:1200],
			NewAccount: &freenahi.Account{Name: "Ancien", Currency: freenahi.Currency{Code: "EUR"}}})
		if err != nil || len(res.Added) != 1200 {
			t.Fatalf("first import: %v", err)
		}
		for i, tx := range res.Added {
			if tx.OriginalWording != lines[i].Wording || tx.ValueMinor != lines[i].AmountMinor {
				t.Fatalf("line %d stored as %+v", i, tx)
			}
		}
		res, err = s.ImportTransactions(ctx, &freenahi.Import{UserID: u.ID, AccountID: res.Account.ID, Lines: lines[200:]})
		if err != nil || len(res.Added) != 300 || res.Skipped != 1000 || res.Added[0].OriginalWording != lines[1200].Wording {
			t.Fatalf("overlapping import: %d added, %d skipped, %v", len(res.Added), res.Skipped, err)
		}
		all := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: u.ID, Limit: 1000})
		if len(all) != 1500 {
			t.Fatalf("%d transactions stored, want 1500", len(all))
		}
	})
}
