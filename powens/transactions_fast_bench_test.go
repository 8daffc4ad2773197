package powens_test

import (
	"encoding/json"
	"testing"

	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/powenstest"
)

// BenchmarkDecodeTransactions decodes the 5,000 transactions of one account
// of the ingest benchmark's payload: "fast" is DecodeTransactions,
// "encoding-json" the reference, encoding/json's Decoder on the same array
// (decodeTransactionsV1, what DecodeTransactions did before), measured in
// the same run. On a loaded machine compare CPU time, one process each:
//
//	go test -c -o p.test ./powens
//	time ./p.test -test.run '^$' -test.bench 'DecodeTransactions/fast$' -test.benchtime 100x
//
//	go test ./powens -run '^$' -bench DecodeTransactions
func BenchmarkDecodeTransactions(b *testing.B) {
	body := powenstest.Synced{PowensUserID: 42, ConnectionID: 1, Accounts: 1, TransactionsPerAccount: 5000,
		FirstTransactionID: 1, Seed: 1}.Bytes()
	p, err := powens.DecodeConnectionSynced(body)
	if err != nil {
		b.Fatal(err)
	}
	raw := p.Connection.Accounts[0].Transactions
	run := func(b *testing.B, decode func(json.RawMessage) int) {
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			if n := decode(raw); n != 5000 {
				b.Fatalf("%d transactions", n)
			}
		}
		b.ReportMetric(5000*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
	}
	b.Run("fast", func(b *testing.B) {
		run(b, func(raw json.RawMessage) int {
			n := 0
			if err := powens.DecodeTransactions(raw, func(int, *powens.Transaction) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
			return n
		})
	})
	b.Run("encoding-json", func(b *testing.B) {
		run(b, func(raw json.RawMessage) int {
			n := 0
			if err := powens.DecodeTransactionsV1(raw, func(int, *powens.Transaction) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
			return n
		})
	})
}
