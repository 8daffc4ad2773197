package bankfile_test

import (
	"context"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestImporter_PairsTransfers: history imported into a manual account meets
// its other side in another manual account: the debit and the credit are
// paired after the import, and a dry run pairs nothing.
func TestImporter_PairsTransfers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, "ana@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		im := &bankfile.Importer{Store: s, Accounts: s, Transfers: s}
		first := "Date;Libellé;Montant\n02/03/2024;VIR VERS LIVRET A;-250,00\n03/03/2024;CB BOULANGERIE;-3,10\n"
		second := "Date;Libellé;Montant\n04/03/2024;VIR DEPUIS COMPTE CHEQUES;250,00\n"
		out, err := im.Import(ctx, bankfile.Request{UserID: u.ID, Data: []byte(first),
			NewAccount: &freenahi.Account{Name: "Chèques", Currency: freenahi.Currency{Code: "EUR"}}})
		if err != nil {
			t.Fatal(err)
		}
		savings := &freenahi.Account{Name: "Livret", Currency: freenahi.Currency{Code: "EUR"}, Type: "savings"}
		if _, err := im.Import(ctx, bankfile.Request{UserID: u.ID, Data: []byte(second), NewAccount: savings, DryRun: true}); err != nil {
			t.Fatal(err)
		}
		if tx := findWording(t, s, u.ID, "VIR VERS LIVRET A"); tx.Transfer || tx.TransferPair != nil {
			t.Fatal("a dry run paired a transfer")
		}
		if _, err := im.Import(ctx, bankfile.Request{UserID: u.ID, Data: []byte(second), NewAccount: savings}); err != nil {
			t.Fatal(err)
		}
		debit, credit := findWording(t, s, u.ID, "VIR VERS LIVRET A"), findWording(t, s, u.ID, "VIR DEPUIS COMPTE CHEQUES")
		if !debit.Transfer || debit.TransferPair == nil || *debit.TransferPair != credit.ID || debit.AccountID != out.Result.Account.ID {
			t.Fatalf("debit %+v, credit %+v: not paired", debit, credit)
		}
		if findWording(t, s, u.ID, "CB BOULANGERIE").Transfer {
			t.Fatal("a card payment was paired")
		}
	})
}

func findWording(t *testing.T, s *store.Store, userID int64, wording string) *freenahi.Transaction {
	t.Helper()
	txs, _, err := s.FindTransactions(context.Background(), freenahi.TransactionFilter{UserID: userID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, tx := range txs {
		if tx.OriginalWording == wording {
			return tx
		}
	}
	t.Fatalf("no transaction %q", wording)
	return nil
}
