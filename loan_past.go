package freenahi

import "math/big"

// LoanPast computes a constant-annuity loan's balance (minus the capital
// owed) before its first known balance, first: at the date the capital was
// lent and after each monthly payment up to first, oldest first. A loan's
// movements do not tell its past (the payments are debits of another
// account, interest and insurance are no transactions), so without this a
// mortgage would enter net worth on the day of its first sync, as a fall of
// the whole capital owed.
//
// The walk goes back from first, so the computed days meet the known
// balance without a step: before a payment of A, with r a twelfth of the
// yearly rate, the capital C was such that C + round(C·r) − A is the
// capital after it (the rule of AmortizationSchedule, undone). A is the
// contract's payment (the annuity of the amount borrowed over all its
// payments) when Powens gave both, else the annuity of the capital owed at
// first over the payments left then. Payments fall monthly from the start
// of repayment; the capital was lent at subscription, else a month before
// the first payment.
//
// None (nil) for a revolving credit, a deferred loan, one whose rate,
// start of repayment or number of payments is unknown, or whose payment
// would not cover the interest: its value is then known only from its
// first balance on, as an investment's.
func LoanPast(l *Loan, first DayAmount) []DayAmount {
	if l == nil || l.Rate == nil || l.Rate.Sign() < 0 || l.StartRepaymentDate.IsZero() || first.Minor >= 0 ||
		l.Type == "revolvingcredit" || (l.Deferred != nil && *l.Deferred) {
		return nil
	}
	months := loanMonths(l)
	if months <= 0 || months > maxScheduleMonths {
		return nil
	}
	// Payments made by first: those dated on or before it.
	paid := 0
	for paid < months && !addMonths(l.StartRepaymentDate, paid).After(first.Date) {
		paid++
	}
	if paid == months {
		return nil // repaid by then: a balance owed after the last payment is no schedule's
	}
	rate, ok := new(big.Rat).SetString(l.Rate.String())
	if !ok {
		return nil
	}
	r := rate.Quo(rate, big.NewRat(1200, 1))
	owed := -first.Minor
	payment := annuity(owed, r, months-paid)
	if l.TotalAmountMinor != nil && *l.TotalAmountMinor > 0 {
		payment = annuity(*l.TotalAmountMinor, r, months)
	}
	lent := l.SubscriptionDate
	if lent.IsZero() || !lent.Before(l.StartRepaymentDate) {
		lent = addMonths(l.StartRepaymentDate, -1)
	}
	if !lent.Before(first.Date) {
		return nil // lent on or after its first known balance: nothing before it to compute
	}
	out := make([]DayAmount, paid+1)
	capital := owed
	for k := paid; k >= 1; k-- {
		// After payment k (1-based), dated addMonths(start, k−1).
		out[k] = DayAmount{Date: addMonths(l.StartRepaymentDate, k-1), Minor: -capital}
		before := capitalBefore(capital, payment, r)
		if before <= capital {
			return nil // a payment that does not cover the interest: no annuity loan to walk back
		}
		capital = before
	}
	out[0] = DayAmount{Date: lent, Minor: -capital}
	// The last payment may fall on first's very day: first itself says it.
	if out[paid].Date == first.Date {
		out = out[:paid]
	}
	return out
}

// loanMonths is the number of monthly payments of the whole loan.
func loanMonths(l *Loan) int {
	switch {
	case l.NbPaymentsTotal != nil:
		return int(*l.NbPaymentsTotal)
	case l.DurationMonths != nil:
		return int(*l.DurationMonths)
	case !l.MaturityDate.IsZero():
		return MonthsBetween(l.StartRepaymentDate, l.MaturityDate)
	case l.NbPaymentsLeft != nil && l.NbPaymentsDone != nil:
		return int(*l.NbPaymentsLeft + *l.NbPaymentsDone)
	}
	return 0
}

// capitalBefore undoes one payment of AmortizationSchedule: the least
// capital c with c + round(c·r) − payment ≥ after (c + round(c·r) grows by
// one or two with c, so it is the exact one whenever after came from a
// schedule with this payment).
func capitalBefore(after, payment int64, r *big.Rat) int64 {
	target := after + payment
	onePlus := new(big.Rat).Add(big.NewRat(1, 1), r)
	est := new(big.Rat).Quo(new(big.Rat).SetInt64(target), onePlus)
	c := new(big.Int).Quo(est.Num(), est.Denom()).Int64() // floor: est ≥ 0
	step := func(c int64) int64 { return c + roundRat(new(big.Rat).Mul(new(big.Rat).SetInt64(c), r)) }
	for c > 0 && step(c-1) >= target {
		c--
	}
	for step(c) < target {
		c++
	}
	return c
}
