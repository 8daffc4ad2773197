package freenahi

import (
	"math/big"
	"time"
)

// Installment is one payment of a computed amortization schedule, in minor
// units of the loan's currency.
type Installment struct {
	N    int
	Date Date
	// PaymentMinor is interest plus principal; InsuranceMinor comes on top.
	PaymentMinor   int64
	InterestMinor  int64
	PrincipalMinor int64
	InsuranceMinor int64
	// RemainingMinor is the capital still owed after this payment.
	RemainingMinor int64
}

// AmortizationQuery describes a constant-annuity (French) loan to schedule.
type AmortizationQuery struct {
	// PrincipalMinor is the capital owed before the first payment.
	PrincipalMinor int64
	// RatePercent is the nominal yearly rate in percent (1.85 for 1.85 %),
	// charged monthly at a twelfth of it, as French lenders do.
	RatePercent Decimal
	Months      int
	// First is the date of the first payment; the others follow monthly.
	First          Date
	InsuranceMinor int64
}

// maxScheduleMonths bounds a schedule (a 50-year loan).
const maxScheduleMonths = 600

// AmortizationSchedule computes the schedule of a constant-annuity loan: a
// fixed monthly payment P·r / (1 − (1+r)^−n), rounded to the minor unit;
// each month's interest is the remaining capital times r, rounded; the rest
// of the payment repays capital; the last payment is adjusted so that the
// capital ends at exactly zero. The arithmetic is exact (rationals).
func AmortizationSchedule(q AmortizationQuery) ([]Installment, error) {
	switch {
	case q.PrincipalMinor <= 0:
		return nil, FieldErrorf("principal", "must be positive")
	case q.Months < 1 || q.Months > maxScheduleMonths:
		return nil, FieldErrorf("months", "must be between 1 and %d", maxScheduleMonths)
	case q.RatePercent.Sign() < 0:
		return nil, FieldErrorf("rate", "must not be negative")
	case q.InsuranceMinor < 0:
		return nil, FieldErrorf("insurance", "must not be negative")
	}
	rate, ok := new(big.Rat).SetString(q.RatePercent.String())
	if !ok {
		return nil, FieldErrorf("rate", "%s is not a number", q.RatePercent)
	}
	r := rate.Quo(rate, big.NewRat(1200, 1))
	payment := annuity(q.PrincipalMinor, r, q.Months)
	remaining := q.PrincipalMinor
	out := make([]Installment, 0, q.Months)
	for n := 1; n <= q.Months; n++ {
		interest := roundRat(new(big.Rat).Mul(new(big.Rat).SetInt64(remaining), r))
		principal := payment - interest
		if n == q.Months || principal > remaining {
			principal = remaining
		}
		remaining -= principal
		out = append(out, Installment{N: n, Date: addMonths(q.First, n-1), PaymentMinor: interest + principal,
			InterestMinor: interest, PrincipalMinor: principal, InsuranceMinor: q.InsuranceMinor, RemainingMinor: remaining})
		if remaining == 0 {
			break
		}
	}
	return out, nil
}

// annuity is the constant monthly payment, rounded half away from zero.
func annuity(principal int64, r *big.Rat, months int) int64 {
	p := new(big.Rat).SetInt64(principal)
	if r.Sign() == 0 {
		return roundRat(p.Quo(p, big.NewRat(int64(months), 1)))
	}
	// P·r / (1 − (1+r)^−n) = P·r·(1+r)^n / ((1+r)^n − 1)
	g := new(big.Rat).Add(big.NewRat(1, 1), r)
	pow := big.NewRat(1, 1)
	for range months {
		pow.Mul(pow, g)
	}
	num := new(big.Rat).Mul(p, r)
	num.Mul(num, pow)
	den := new(big.Rat).Sub(pow, big.NewRat(1, 1))
	return roundRat(num.Quo(num, den))
}

// roundRat rounds a non-negative rational to the nearest integer, halves up.
func roundRat(x *big.Rat) int64 {
	twice := new(big.Int).Mul(x.Num(), big.NewInt(2))
	twice.Add(twice, x.Denom())
	return new(big.Int).Quo(twice, new(big.Int).Mul(x.Denom(), big.NewInt(2))).Int64()
}

// addMonths returns d n months later (earlier when n < 0), on the same day or the month's last
// when it has fewer days (31 January + 1 month is 28 or 29 February).
func addMonths(d Date, n int) Date {
	y, m := d.Year, int(d.Month)-1+n
	y, m = y+m/12, m%12
	if m < 0 { // n < 0: Go's division truncates toward zero
		y, m = y-1, m+12
	}
	last := time.Date(y, time.Month(m+2), 0, 0, 0, 0, 0, time.UTC).Day()
	return Date{Year: y, Month: time.Month(m + 1), Day: min(d.Day, last)}
}

// MonthsBetween counts the monthly payments from first to last, both
// included, on first's day of the month; 0 when last is before first.
func MonthsBetween(first, last Date) int {
	n := (last.Year-first.Year)*12 + int(last.Month) - int(first.Month)
	if last.Day < first.Day && last.Day != time.Date(last.Year, last.Month+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		n--
	}
	return max(n+1, 0)
}
