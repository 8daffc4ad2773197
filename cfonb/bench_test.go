package cfonb

import (
	"io"
	"testing"
)

// BenchmarkWriter writes statements of 1,000,000 movements to io.Discard and
// reports records per second; allocations per statement must stay flat.
// Run: go test ./cfonb -run '^$' -bench BenchmarkWriter -benchmem
func BenchmarkWriter(b *testing.B) {
	const movements = 1_000_000
	acct := MustAccount(b, "FR7630006000011234567890189")
	ms := []Movement{
		{PowensType: "card", AmountMinor: -1234, Label: "CB CARREFOUR 06/03", Reference: "1234567890"},
		{PowensType: "transfer", AmountMinor: 123456, Label: "Vir SEPA reçu ACME SA", Counterparty: "ACME SA", Reference: "9876543210"},
		{PowensType: "order", AmountMinor: -4590, Label: "PRLV SEPA EDF", Reference: "1111111111"},
		{PowensType: "bank", AmountMinor: -1, Label: "FRAIS TENUE DE COMPTE", Reference: "2222222222"},
	}
	records := 0
	b.ReportAllocs()
	for b.Loop() {
		w := NewWriter(io.Discard)
		if err := w.Begin(acct, date(2026, 2, 28), 0); err != nil {
			b.Fatal(err)
		}
		for i := range movements {
			m := ms[i%len(ms)]
			m.BookingDate = date(2026, 3, 1+i%28)
			if err := w.Movement(m); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := w.End(date(2026, 3, 31)); err != nil {
			b.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		records += 2 + movements + movements/len(ms) // 01, 07, each 04, one 05 NPY per four
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(movements)/1, "movements/op")
}
