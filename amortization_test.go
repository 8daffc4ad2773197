package freenahi_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/freenahi/freenahi"
)

// TestAmortizationSchedule_ByHand: 1,000.00 at 12 % a year over 3 months,
// computed by hand. r = 1 %; payment = 10 / (1 − 1.01^−3) = 340.0221… →
// 340.02. Month 1: interest 10.00, capital 330.02, 669.98 left. Month 2:
// interest 6.6998 → 6.70, capital 333.32, 336.66 left. Month 3: interest
// 3.3666 → 3.37, the last payment repays the 336.66 left: 340.03.
func TestAmortizationSchedule_ByHand(t *testing.T) {
	got, err := freenahi.AmortizationSchedule(freenahi.AmortizationQuery{PrincipalMinor: 100000,
		RatePercent: freenahi.MustParseDecimal("12"), Months: 3, First: d("2026-01-31"), InsuranceMinor: 150})
	if err != nil {
		t.Fatal(err)
	}
	want := []freenahi.Installment{
		{N: 1, Date: d("2026-01-31"), PaymentMinor: 34002, InterestMinor: 1000, PrincipalMinor: 33002, InsuranceMinor: 150, RemainingMinor: 66998},
		{N: 2, Date: d("2026-02-28"), PaymentMinor: 34002, InterestMinor: 670, PrincipalMinor: 33332, InsuranceMinor: 150, RemainingMinor: 33666},
		{N: 3, Date: d("2026-03-31"), PaymentMinor: 34003, InterestMinor: 337, PrincipalMinor: 33666, InsuranceMinor: 150, RemainingMinor: 0},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
}

// TestAmortizationSchedule_Published checks the payment against values
// published by lenders' calculators and textbooks, and the whole schedule
// against a second implementation in float64 (the textbook formula, each
// month rounded to the cent): the two agree row by row.
func TestAmortizationSchedule_Published(t *testing.T) {
	for _, tc := range []struct {
		principal int64
		rate      string
		months    int
		payment   int64
	}{
		{20000000, "3", 240, 110920},    // 200,000 at 3 % over 20 years: 1,109.20 a month
		{25000000, "1.85", 300, 104147}, // 250,000 at 1.85 % over 25 years: 1,041.47
		{1000000, "0", 10, 100000},      // no interest: capital / months
	} {
		got, err := freenahi.AmortizationSchedule(freenahi.AmortizationQuery{PrincipalMinor: tc.principal,
			RatePercent: freenahi.MustParseDecimal(tc.rate), Months: tc.months, First: d("2026-01-05")})
		if err != nil {
			t.Fatal(err)
		}
		if got[0].PaymentMinor != tc.payment || len(got) != tc.months || got[len(got)-1].RemainingMinor != 0 {
			t.Fatalf("%s%%: payment %d, want %d; %d rows", tc.rate, got[0].PaymentMinor, tc.payment, len(got))
		}
		// The float oracle.
		r := mustFloat(tc.rate) / 1200
		remaining := tc.principal
		for i, row := range got {
			interest := int64(math.Round(float64(remaining) * r))
			principal := tc.payment - interest
			if i == tc.months-1 {
				principal = remaining
			}
			remaining -= principal
			if row.InterestMinor != interest || row.PrincipalMinor != principal || row.RemainingMinor != remaining {
				t.Fatalf("%s%% row %d: %+v, float oracle interest %d principal %d remaining %d", tc.rate, i+1, row, interest, principal, remaining)
			}
		}
	}
}

func mustFloat(s string) float64 {
	var f float64
	fmt.Sscan(s, &f)
	return f
}

func TestAmortizationSchedule_Invalid(t *testing.T) {
	for _, tc := range []struct {
		q     freenahi.AmortizationQuery
		field string
	}{
		{freenahi.AmortizationQuery{PrincipalMinor: 0, Months: 12}, "principal"},
		{freenahi.AmortizationQuery{PrincipalMinor: 1, Months: 0}, "months"},
		{freenahi.AmortizationQuery{PrincipalMinor: 1, Months: 601}, "months"},
		{freenahi.AmortizationQuery{PrincipalMinor: 1, Months: 1, RatePercent: freenahi.MustParseDecimal("-1")}, "rate"},
		{freenahi.AmortizationQuery{PrincipalMinor: 1, Months: 1, InsuranceMinor: -1}, "insurance"},
	} {
		_, err := freenahi.AmortizationSchedule(tc.q)
		if e, ok := err.(*freenahi.Error); !ok || e.Field != tc.field {
			t.Errorf("%+v: %v, want a field error on %s", tc.q, err, tc.field)
		}
	}
}

func TestMonthsBetween(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"2026-01-05", "2026-01-05", 1}, {"2026-01-05", "2046-02-05", 242}, {"2026-01-31", "2026-02-28", 2},
		{"2026-01-05", "2026-02-04", 1}, {"2026-02-05", "2026-01-05", 0},
	} {
		if got := freenahi.MonthsBetween(d(tc.a), d(tc.b)); got != tc.want {
			t.Errorf("MonthsBetween(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
