package powens_test

import (
	"bytes"
	"testing"

	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/powenstest"
)

// BenchmarkConnectionSynced compares decoding a 21 MB body's transactions
// streamed (ConnectionSyncedFrom, then DecodeTransactionsAt per account)
// with the whole-body path (DecodeConnectionSynced, then DecodeTransactions).
func BenchmarkConnectionSynced(b *testing.B) {
	body := powenstest.Synced{WebhookDataID: 1, PowensUserID: 1, ConnectionID: 1, Accounts: 10, TransactionsPerAccount: 5000, Seed: 1}.Bytes()
	count := func(int, *powens.Transaction) error { return nil }
	b.Run("whole", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for range b.N {
			p, err := powens.DecodeConnectionSynced(body)
			if err != nil {
				b.Fatal(err)
			}
			for _, a := range p.Connection.Accounts {
				if err := powens.DecodeTransactions(a.Transactions, count); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("streamed", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for range b.N {
			r := bytes.NewReader(body)
			s, ok, err := powens.ConnectionSyncedFrom(r)
			if err != nil || !ok {
				b.Fatal(err, ok)
			}
			for _, sec := range s.Arrays {
				if err := powens.DecodeTransactionsAt(r, sec, count); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
