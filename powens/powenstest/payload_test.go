package powenstest_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/powenstest"
)

func TestSynced(t *testing.T) {
	s := powenstest.Synced{WebhookDataID: 7, PowensUserID: 42, ConnectionID: 3, Accounts: 2, TransactionsPerAccount: 5, FirstTransactionID: 100, Seed: 1}
	body := s.Bytes()
	var p powens.ConnectionSynced
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	if len(p.Connection.Accounts) != 2 || *p.IDWebhookData != 7 || p.User.ID != 42 {
		t.Fatalf("payload=%+v", p)
	}
	n := 0
	err := powens.DecodeTransactions(p.Connection.Accounts[1].Transactions, func(i int, tx *powens.Transaction) error {
		if _, err := tx.Value.Decimal(); err != nil {
			t.Fatalf("transaction %d value: %v", tx.ID, err)
		}
		n++
		return nil
	})
	if err != nil || n != 5 {
		t.Fatalf("decoded %d transactions, err %v", n, err)
	}
	if !bytes.Equal(body, s.Bytes()) {
		t.Fatal("the same description gave different bytes")
	}
}
