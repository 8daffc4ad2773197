package freenahi_test

import (
	"math/rand/v2"
	"testing"

	"github.com/freenahi/freenahi"
)

// benchHistories is 200 accounts with a movement most days of three years
// and a snapshot a week.
func benchHistories() []freenahi.HistoryInput {
	r := rand.New(rand.NewPCG(5, 6))
	from, to := d("2023-12-07"), d("2026-12-06")
	var out []freenahi.HistoryInput
	for range 200 {
		in := freenahi.HistoryInput{Current: new(int64), From: from, To: to, Reconstruct: true}
		for day := from; !day.After(to); day = day.AddDays(1) {
			if r.IntN(4) != 0 {
				in.Movements = append(in.Movements, freenahi.DayAmount{Date: day, Minor: r.Int64N(20000) - 10000})
			}
			if r.IntN(7) == 0 {
				in.Snapshots = append(in.Snapshots, freenahi.DayAmount{Date: day, Minor: r.Int64N(1 << 30)})
			}
		}
		out = append(out, in)
	}
	return out
}

// BenchmarkBalanceHistory rebuilds three years of daily balances for 200
// accounts (219,400 points), then sums them into a daily net worth. The
// reference, BenchmarkBalanceHistory_Reference, only walks the same
// movements once, which no rebuild can beat.
//
//	go test -run '^$' -bench BalanceHistory .
func BenchmarkBalanceHistory(b *testing.B) {
	ins := benchHistories()
	dates := freenahi.SampleDates(ins[0].From, ins[0].To, freenahi.IntervalDay)
	b.ResetTimer()
	for b.Loop() {
		hs := make([]freenahi.AccountHistory, len(ins))
		for i, in := range ins {
			hs[i] = freenahi.AccountHistory{Account: &freenahi.Account{Type: "checking", Currency: freenahi.Currency{Code: "EUR", Exponent: 2}},
				Points: freenahi.BalanceHistory(in)}
		}
		freenahi.SumHistories(hs, dates)
	}
}

func BenchmarkBalanceHistory_Reference(b *testing.B) {
	ins := benchHistories()
	b.ResetTimer()
	var sink int64
	for b.Loop() {
		for _, in := range ins {
			for _, m := range in.Movements {
				sink += m.Minor
			}
		}
	}
	_ = sink
}
