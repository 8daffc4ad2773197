package freenahi_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/freenahi/freenahi"
)

// TestLoanPast_ByHand walks back the 3-month loan of
// TestAmortizationSchedule_ByHand from its first balance, seen on 10 March
// after two payments: 336.66 owed. Payments of 340.02 at 1 % a month: before
// the 28 February payment c + round(c/100) = 336.66 + 340.02 = 676.68, so c
// = 669.98 (669.98 + 6.70); before 31 January c + round(c/100) = 1,010.00,
// c = 1,000.00, lent on 2 January.
func TestLoanPast_ByHand(t *testing.T) {
	l := &freenahi.Loan{Type: "loan", Rate: ptr(freenahi.MustParseDecimal("12")), StartRepaymentDate: d("2026-01-31"),
		SubscriptionDate: d("2026-01-02"), NbPaymentsTotal: ptr[int64](3), TotalAmountMinor: ptr[int64](100000)}
	got := freenahi.LoanPast(l, freenahi.DayAmount{Date: d("2026-03-10"), Minor: -33666})
	want := []freenahi.DayAmount{{Date: d("2026-01-02"), Minor: -100000}, {Date: d("2026-01-31"), Minor: -66998},
		{Date: d("2026-02-28"), Minor: -33666}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
	// A first balance on the day of a payment is that payment's: it is
	// not computed again. Without a subscription date the capital was lent
	// a month before the first payment.
	l.SubscriptionDate = freenahi.Date{}
	got = freenahi.LoanPast(l, freenahi.DayAmount{Date: d("2026-02-28"), Minor: -33666})
	want = []freenahi.DayAmount{{Date: d("2025-12-31"), Minor: -100000}, {Date: d("2026-01-31"), Minor: -66998}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("on a payment's day: got  %v\nwant %v", got, want)
	}
}

// TestLoanPast_AgainstSchedule: for random French loans, a schedule computed
// here another way (the payment from the textbook formula in 256-bit
// floats, each month's interest in integers, halves up) is cut at a random
// payment; walking back from the capital owed then gives every earlier
// month's capital and the amount lent, exactly.
func TestLoanPast_AgainstSchedule(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 2026))
	for range 300 {
		principal := 1000_00 + rng.Int64N(500_000_00)
		bp := rng.Int64N(900) // 0.00 % to 8.99 %
		months := 2 + rng.IntN(359)
		payment := textbookPayment(principal, bp, months)
		remaining := []int64{principal}
		for k := 1; k < months; k++ {
			rem := remaining[k-1]
			remaining = append(remaining, rem-(payment-(rem*bp*2+120000)/240000))
		}
		cut := rng.IntN(months) // payments made by the first balance
		start := d("2020-01-31")
		first := freenahi.DayAmount{Date: d("2020-01-20"), Minor: -remaining[cut]} // between lending and the first payment
		if cut > 0 {
			first.Date = freenahi.DateOf(start.Time().AddDate(0, cut-1, 0)).AddDays(3)
		}
		rate := freenahi.MustParseDecimal(fmt.Sprintf("%d.%02d", bp/100, bp%100))
		l := &freenahi.Loan{Type: "mortgage", Rate: &rate, StartRepaymentDate: start, SubscriptionDate: d("2020-01-10"),
			NbPaymentsTotal: ptr[int64](int64(months)), TotalAmountMinor: &principal}
		got := freenahi.LoanPast(l, first)
		if len(got) != cut+1 {
			t.Fatalf("%d at %d bp over %d months, cut at %d: %d points, want %d: %v", principal, bp, months, cut, len(got), cut+1, got)
		}
		for k, p := range got {
			if p.Minor != -remaining[k] {
				t.Fatalf("%d at %d bp over %d months, cut at %d: point %d is %d, want %d", principal, bp, months, cut, k, p.Minor, -remaining[k])
			}
		}
	}
}

// textbookPayment is P·r / (1 − (1+r)^−n) with r = bp / 120,000, rounded
// to the cent, halves up, in 256-bit binary floats.
func textbookPayment(principal, bp int64, months int) int64 {
	if bp == 0 {
		return (2*principal + int64(months)) / (2 * int64(months))
	}
	const prec = 256
	r := new(big.Float).SetPrec(prec).Quo(new(big.Float).SetPrec(prec).SetInt64(bp), new(big.Float).SetPrec(prec).SetInt64(120000))
	g := new(big.Float).SetPrec(prec).Add(r, big.NewFloat(1).SetPrec(prec))
	pow := big.NewFloat(1).SetPrec(prec)
	for range months {
		pow.Mul(pow, g)
	}
	// P·r·g^n / (g^n − 1)
	num := new(big.Float).SetPrec(prec).Mul(new(big.Float).SetPrec(prec).SetInt64(principal), r)
	num.Mul(num, pow)
	den := new(big.Float).SetPrec(prec).Sub(pow, big.NewFloat(1).SetPrec(prec))
	q := new(big.Float).SetPrec(prec).Quo(num, den)
	q.Add(q, big.NewFloat(0.5).SetPrec(prec))
	n, _ := q.Int64()
	return n
}

// TestLoanPast_None: what cannot be walked back is not invented.
func TestLoanPast_None(t *testing.T) {
	base := func() *freenahi.Loan {
		return &freenahi.Loan{Type: "mortgage", Rate: ptr(freenahi.MustParseDecimal("1.5")), StartRepaymentDate: d("2024-01-05"),
			NbPaymentsTotal: ptr[int64](240), TotalAmountMinor: ptr[int64](200000_00)}
	}
	first := freenahi.DayAmount{Date: d("2026-12-07"), Minor: -180000_00}
	if got := freenahi.LoanPast(base(), first); len(got) != 37 { // lent + 36 payments (January 2024 to December 2026)
		t.Fatalf("the base case gives %d points, want 37", len(got))
	}
	for _, tc := range []struct {
		name  string
		edit  func(l *freenahi.Loan)
		first freenahi.DayAmount
	}{
		{"no detail", func(l *freenahi.Loan) { *l = freenahi.Loan{} }, first},
		{"no rate", func(l *freenahi.Loan) { l.Rate = nil }, first},
		{"negative rate", func(l *freenahi.Loan) { l.Rate = ptr(freenahi.MustParseDecimal("-1")) }, first},
		{"no start of repayment", func(l *freenahi.Loan) { l.StartRepaymentDate = freenahi.Date{} }, first},
		{"no number of payments", func(l *freenahi.Loan) { l.NbPaymentsTotal = nil }, first},
		{"revolving", func(l *freenahi.Loan) { l.Type = "revolvingcredit" }, first},
		{"deferred", func(l *freenahi.Loan) { l.Deferred = ptr(true) }, first},
		{"nothing owed", func(l *freenahi.Loan) {}, freenahi.DayAmount{Date: first.Date, Minor: 0}},
		{"repaid by then", func(l *freenahi.Loan) { l.NbPaymentsTotal = ptr[int64](12) }, first},
		{"lent after its first balance", func(l *freenahi.Loan) { l.StartRepaymentDate = d("2027-02-05") }, first},
		{"payment below the interest", func(l *freenahi.Loan) { l.TotalAmountMinor = ptr[int64](1000_00) }, first},
	} {
		l := base()
		tc.edit(l)
		if got := freenahi.LoanPast(l, tc.first); got != nil {
			t.Errorf("%s: %d points, want none: %v", tc.name, len(got), got[:min(3, len(got))])
		}
	}
	// The number of payments from elsewhere when Powens gave no total.
	for name, edit := range map[string]func(l *freenahi.Loan){
		"duration": func(l *freenahi.Loan) { l.NbPaymentsTotal, l.DurationMonths = nil, ptr[int64](240) },
		"maturity": func(l *freenahi.Loan) { l.NbPaymentsTotal, l.MaturityDate = nil, d("2043-12-05") },
		"done and left": func(l *freenahi.Loan) {
			l.NbPaymentsTotal, l.NbPaymentsDone, l.NbPaymentsLeft = nil, ptr[int64](36), ptr[int64](204)
		},
	} {
		l := base()
		edit(l)
		if got := freenahi.LoanPast(l, first); len(got) != 37 {
			t.Errorf("%s: %d points, want 37", name, len(got))
		}
	}
}
