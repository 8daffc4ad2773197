package freenahi_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
)

// TestPairTransfers: pairs worked out by hand for each case.
func TestPairTransfers(t *testing.T) {
	eur := freenahi.Currency{Code: "EUR", Exponent: 2}
	usd := freenahi.Currency{Code: "USD", Exponent: 2}
	tx := func(account int64, day string, minor int64, cur freenahi.Currency) *freenahi.Transaction {
		d, _ := freenahi.ParseDate(day)
		return &freenahi.Transaction{AccountID: account, Date: d, ValueMinor: minor, Currency: cur}
	}
	txs := []*freenahi.Transaction{
		0:  tx(1, "2026-03-03", -15000, eur), // to savings …
		1:  tx(2, "2026-03-04", 15000, eur),  // … arrives the next day: a pair
		2:  tx(1, "2026-03-10", -5000, eur),  // no credit within 3 days …
		3:  tx(2, "2026-03-20", 5000, eur),   // … this one is 10 days later
		4:  tx(1, "2026-03-12", -2000, eur),  // same account both ways: not a transfer
		5:  tx(1, "2026-03-12", 2000, eur),
		6:  tx(1, "2026-03-15", -1000, usd), // other currency
		7:  tx(2, "2026-03-15", 1000, eur),
		8:  tx(1, "2026-03-31", -30000, eur), // card settlement: two candidates, the nearer wins
		9:  tx(3, "2026-03-28", 30000, eur),
		10: tx(3, "2026-03-31", 30000, eur),
		11: tx(1, "2026-03-02", -15000, eur), // a card payment of the amount of the first pair
	}
	txs[11].Type = "card"
	got := freenahi.PairTransfers(candidates(txs...))
	want := [][2]int{{8, 10}, {0, 1}} // nearest in date first
	if !slices.Equal(got, want) {
		t.Fatalf("PairTransfers=%v, want %v", got, want)
	}
	// An unknown amount is never a transfer.
	unknown := tx(2, "2026-03-03", 15000, eur)
	unknown.AmountOrigin = freenahi.AmountUnknown
	if got := freenahi.PairTransfers(candidates(txs[0], unknown)); len(got) != 0 {
		t.Fatalf("paired an unknown amount: %v", got)
	}
}

func candidates(txs ...*freenahi.Transaction) []freenahi.TransferCandidate {
	out := make([]freenahi.TransferCandidate, len(txs))
	for i, t := range txs {
		out[i] = t.TransferCandidate()
	}
	return out
}

// TestPairTransfers_OrderFree: the same transactions in any order make the
// same pairs. Many debits and credits of one amount on a few days compete
// for each other, which is where ties are decided.
func TestPairTransfers_OrderFree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	start, _ := freenahi.ParseDate("2026-03-01")
	var txs []freenahi.TransferCandidate
	for i := range 200 {
		minor := int64(1000 * (1 + rng.IntN(2)))
		if rng.IntN(2) == 0 {
			minor = -minor
		}
		txs = append(txs, freenahi.TransferCandidate{ID: int64(i + 1), AccountID: int64(1 + rng.IntN(3)),
			Date: start.AddDays(rng.IntN(6)), ValueMinor: minor, Currency: "EUR", AmountKnown: true})
	}
	byID := func(txs []freenahi.TransferCandidate) [][2]int64 {
		var out [][2]int64
		for _, p := range freenahi.PairTransfers(txs) {
			out = append(out, [2]int64{txs[p[0]].ID, txs[p[1]].ID})
		}
		slices.SortFunc(out, func(a, b [2]int64) int { return int(a[0] - b[0]) })
		return out
	}
	want := byID(txs)
	if len(want) < 20 {
		t.Fatalf("only %d pairs: the data does not test much", len(want))
	}
	for range 20 {
		rng.Shuffle(len(txs), func(i, j int) { txs[i], txs[j] = txs[j], txs[i] })
		if got := byID(txs); !slices.Equal(got, want) {
			t.Fatalf("in another order: %v\nwant %v", got, want)
		}
	}
}
