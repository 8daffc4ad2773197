package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
)

type percentStub struct{}

func (percentStub) PercentOf(num, den int64) string { return fmt.Sprintf("%d/%d", num, den) }

// TestNetWorthChanges: a change over a period counts only what had a value
// at both of its ends. Today is 31 March; net worth starts on 1 January.
// The checking account is known all along (1,000 → 1,500 on 1 March →
// 1,600 today); the PEA from 15 March (4,000 → 4,200); the car, an asset,
// from 1 February (9,000 → 8,500 on 1 March). By hand: over 1 month (base
// 1 March) checking 1,500 → 1,600 and car 8,500 → 8,500: +100 of 10,000,
// PEA left out; over 3 months (base 31 December, before net worth starts:
// its first day, 1 January) checking 1,000 → 1,600: +600 of 1,000, PEA
// and car left out; the same for 1 year and since the start.
func TestNetWorthChanges(t *testing.T) {
	eur := freenahi.Currency{Code: "EUR", Exponent: 2}
	day := func(m, d int) freenahi.Date { return freenahi.Date{Year: 2026, Month: time.Month(m), Day: d} }
	daily := func(from, to freenahi.Date, value func(freenahi.Date) int64) []freenahi.BalancePoint {
		var out []freenahi.BalancePoint
		for d := from; !d.After(to); d = d.AddDays(1) {
			out = append(out, freenahi.BalancePoint{Date: d, BalanceMinor: value(d)})
		}
		return out
	}
	today := day(3, 31)
	checking := daily(day(1, 1), today, func(d freenahi.Date) int64 {
		switch {
		case d == today:
			return 1600
		case !d.Before(day(3, 1)):
			return 1500
		}
		return 1000
	})
	pea := daily(day(3, 15), today, func(d freenahi.Date) int64 {
		if d == today {
			return 4200
		}
		return 4000
	})
	car := daily(day(2, 1), today, func(d freenahi.Date) int64 {
		if d.Before(day(3, 1)) {
			return 9000
		}
		return 8500
	})
	usd := daily(day(1, 1), today, func(freenahi.Date) int64 { return 7 }) // another currency: in none of these
	nw := &freenahi.NetWorth{From: day(1, 1), To: today,
		Accounts: []freenahi.AccountHistory{
			{Account: &freenahi.Account{Name: "Compte", Currency: eur}, Points: checking},
			{Account: &freenahi.Account{Name: "PEA", DisplayName: "Mon PEA", Currency: eur}, Points: pea},
			{Account: &freenahi.Account{Name: "Dollars", Currency: freenahi.Currency{Code: "USD", Exponent: 2}}, Points: usd},
		},
		Assets: []freenahi.AssetHistory{{Asset: &freenahi.Asset{Name: "Voiture", Currency: eur}, Points: car}},
	}
	changes, late := netWorthChanges(percentStub{}, nw, eur, today)
	want := []change{
		{Period: "1m", Money: freenahi.Money{Minor: 100, Currency: eur}, Percent: "100/10000"},
		{Period: "3m", Money: freenahi.Money{Minor: 600, Currency: eur}, Percent: "600/1000"},
		{Period: "1y", Money: freenahi.Money{Minor: 600, Currency: eur}, Percent: "600/1000"},
		{Period: "all", Money: freenahi.Money{Minor: 600, Currency: eur}, Percent: "600/1000"},
	}
	if fmt.Sprint(changes) != fmt.Sprint(want) {
		t.Fatalf("changes\ngot  %v\nwant %v", changes, want)
	}
	wantLate := []lateItem{{Name: "Voiture", Since: day(2, 1)}, {Name: "Mon PEA", Since: day(3, 15)}}
	if fmt.Sprint(late) != fmt.Sprint(wantLate) {
		t.Fatalf("late\ngot  %v\nwant %v", late, wantLate)
	}
	// A negative or zero base gives no percent.
	changes, _ = netWorthChanges(percentStub{}, &freenahi.NetWorth{From: day(1, 1), To: today, Accounts: []freenahi.AccountHistory{
		{Account: &freenahi.Account{Name: "Prêt", Currency: eur}, Points: daily(day(1, 1), today, func(d freenahi.Date) int64 { return -int64(d.Day) })}}}, eur, today)
	for _, c := range changes {
		if c.Percent != "" {
			t.Fatalf("%s: percent %q of a negative base", c.Period, c.Percent)
		}
	}
}
