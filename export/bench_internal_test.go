package export

import (
	"io"
	"runtime"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/cfonb"
)

// BenchmarkStatementWriter turns 1,000,000 stored-like transactions into
// CFONB statements (one per bank day, about 550 movements a day) on
// io.Discard: the writer side of an export without the database. It
// reports records per second; allocations per op must not grow with the
// number of transactions beyond the per-movement reference string.
// Run: go test ./export -run '^$' -bench StatementWriter -benchmem
func BenchmarkStatementWriter(b *testing.B) {
	const n = 1_000_000
	acct, err := cfonb.AccountFromIBAN("FR7630006000011234567890189")
	if err != nil {
		b.Fatal(err)
	}
	txs := benchTransactions(64)
	start := freenahi.Date{Year: 2020, Month: 1, Day: 1}
	records := 0
	b.ReportAllocs()
	for b.Loop() {
		sw := newStatementWriter(io.Discard, acct, false, start.AddDays(-1), 0)
		day, t := start, &freenahi.Transaction{}
		for i := range n {
			if i%550 == 0 && i > 0 {
				day = day.AddDays(1)
			}
			*t = *txs[i%len(txs)]
			t.ID, t.PowensID, t.Date = int64(i+1), int64(i+1), day
			if err := sw.add(t); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := sw.finish(freenahi.Date{}); err != nil {
			b.Fatal(err)
		}
		records += benchRecords(n, len(txs), sw.statements)
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "transactions/s")
}

// benchTransactions is a mix of what a checking account sees.
func benchTransactions(k int) []*freenahi.Transaction {
	kinds := []struct {
		typ, label, cp string
		v              int64
	}{
		{"card", "CB CARREFOUR MARKET 12/03", "", -4590},
		{"transfer", "VIR SEPA RECU ACME SAS FACT 2026-0042 REGLEMENT", "ACME SAS", 123456},
		{"order", "PRLV SEPA EDF", "EDF", -7821},
		{"bank", "FRAIS TENUE DE COMPTE", "", -250},
	}
	out := make([]*freenahi.Transaction, k)
	for i := range out {
		c := kinds[i%len(kinds)]
		t := &freenahi.Transaction{Type: c.typ, OriginalWording: c.label, ValueMinor: c.v - int64(i)}
		if c.cp != "" {
			t.Counterparty = &freenahi.Counterparty{Label: c.cp}
		}
		out[i] = t
	}
	return out
}

// benchRecords counts the records written for n movements of the mix: a 04
// and a 05 REF each, a 05 NPY/NBE for half of them, a 05 LIB for the long
// transfer label, and a 01 and a 07 per statement.
func benchRecords(n, k, statements int) int {
	perMix := 0
	for i := range k {
		perMix += 2
		switch i % 4 {
		case 1:
			perMix += 2 // counterparty, label continued
		case 2:
			perMix++ // counterparty
		}
	}
	return n/k*perMix + 2*statements
}

// BenchmarkFormatWriters writes the same 1,000,000 transactions (the mix of
// benchTransactions, about 550 a day) as CFONB, camt.053 and OFX to
// io.Discard, without the database: the writers alone, CFONB being the
// reference measured in the same run. It reports transactions per second
// and peak heap growth, which must not depend on the number of transactions.
// Run: go test ./export -run '^$' -bench FormatWriters -benchtime=1x
func BenchmarkFormatWriters(b *testing.B) {
	const n = 1_000_000
	txs := benchTransactions(64)
	var period int64
	for i := range n {
		period += txs[i%len(txs)].ValueMinor
	}
	start := freenahi.Date{Year: 2020, Month: 1, Day: 1}
	end := start.AddDays(n / 550)
	account := &freenahi.Account{ID: 1, IBAN: "FR7630006000011234567890189", Type: "checking", Name: "Compte courant",
		Currency: freenahi.Currency{Code: "EUR", Exponent: 2}}
	req := freenahi.StatementRequest{From: start, To: end}
	writers := []struct {
		name  string
		write func(io.Writer, freenahi.StatementRequest, *freenahi.StatementData) (*freenahi.StatementSummary, error)
	}{{"cfonb", writeCFONB}, {"camt053", writeCamt053}, {"ofx", writeOFX}}
	for _, wr := range writers {
		b.Run(wr.name, func(b *testing.B) {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				d := &freenahi.StatementData{Account: account, ClosingMinor: period, PeriodMinor: period, Count: n,
					Transactions: func(yield func(*freenahi.Transaction, error) bool) {
						day, t := start, &freenahi.Transaction{}
						for i := range n {
							if i%550 == 0 && i > 0 {
								day = day.AddDays(1)
							}
							*t = *txs[i%len(txs)]
							t.ID, t.PowensID, t.Date = int64(i+1), int64(i+1), day
							if !yield(t, nil) {
								return
							}
						}
					}}
				if _, err := wr.write(io.Discard, req, d); err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "transactions/s")
			b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-inuse-MiB")
		})
	}
}
