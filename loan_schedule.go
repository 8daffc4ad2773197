package freenahi

// LoanPlan is what freenahi computes from a loan account and its detail:
// the capital still owed, the payments left and, when the data allows, the
// constant-annuity schedule of those payments.
type LoanPlan struct {
	Revolving bool
	// Remaining is the capital owed (minus the account's balance); nil
	// when Powens gave no balance.
	Remaining    *Money
	PaymentsLeft int
	// Schedule is nil when the loan is revolving or its remaining capital,
	// rate, payments left or next payment date is missing.
	Schedule      []Installment
	InterestLeft  Money
	InsuranceLeft Money
}

// PlanLoan computes the plan of loan account a with detail l (l may be a
// bare Loan when Powens gave no detail).
func PlanLoan(a *Account, l *Loan) LoanPlan {
	c := a.Currency
	p := LoanPlan{Revolving: l.Type == "revolvingcredit" || a.Type == "revolvingcredit",
		InterestLeft: Money{Currency: c}, InsuranceLeft: Money{Currency: c}}
	if a.BalanceMinor != nil {
		p.Remaining = &Money{Minor: -*a.BalanceMinor, Currency: c}
	}
	switch {
	case l.NbPaymentsLeft != nil:
		p.PaymentsLeft = int(*l.NbPaymentsLeft)
	case !l.NextPaymentDate.IsZero() && !l.MaturityDate.IsZero():
		p.PaymentsLeft = MonthsBetween(l.NextPaymentDate, l.MaturityDate)
	}
	if p.Revolving || p.Remaining == nil || p.Remaining.Minor <= 0 || l.Rate == nil || p.PaymentsLeft <= 0 || l.NextPaymentDate.IsZero() {
		return p
	}
	var insurance int64
	if l.InsuranceAmountMinor != nil {
		insurance = *l.InsuranceAmountMinor
	}
	sched, err := AmortizationSchedule(AmortizationQuery{PrincipalMinor: p.Remaining.Minor, RatePercent: *l.Rate,
		Months: p.PaymentsLeft, First: l.NextPaymentDate, InsuranceMinor: insurance})
	if err != nil {
		return p // the bank's data cannot be scheduled: shown as it is
	}
	p.Schedule = sched
	for _, in := range sched {
		p.InterestLeft.Minor += in.InterestMinor
		p.InsuranceLeft.Minor += in.InsuranceMinor
	}
	return p
}
