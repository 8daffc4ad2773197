package ui

import (
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// loanView is one loan with what freenahi computes from it.
type loanView struct {
	Loan      *freenahi.Loan
	Account   *freenahi.Account
	Remaining *freenahi.Money
	// Schedule is computed (constant annuity) from the remaining capital,
	// the rate and the payments left; nil when one of them is missing.
	Schedule      []freenahi.Installment
	InterestLeft  freenahi.Money
	InsuranceLeft freenahi.Money
	// ComputedPayment is the schedule's monthly payment, beside the bank's.
	ComputedPayment *freenahi.Money
	Revolving       bool
	PaymentsLeft    int
}

func (s *Handler) handleUILoanIndex(w http.ResponseWriter, r *http.Request) {
	if s.Wealth == nil {
		respond.Error(w, r, freenahi.Errorf(freenahi.ENOTFOUND, "No such page: %s", r.URL.Path))
		return
	}
	userID := request.User(r.Context()).ID
	loans, err := s.Wealth.FindLoans(r.Context(), userID)
	var accounts []*freenahi.Account
	if err == nil {
		accounts, err = s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: userID, Group: freenahi.GroupLoans})
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var out []loanView
	for _, a := range accounts {
		if a.Disabled != nil {
			continue
		}
		v := loanView{Account: a, Loan: &freenahi.Loan{AccountID: a.ID, Currency: a.Currency, Type: a.Type}}
		for _, l := range loans {
			if l.AccountID == a.ID {
				v.Loan = l
			}
		}
		out = append(out, newLoanView(v))
	}
	s.render(w, r, http.StatusOK, "loans", &page{Title: "loans.title", Nav: "loans", Data: out})
}

// newLoanView fills in the remaining capital and the computed schedule.
func newLoanView(v loanView) loanView {
	a, l := v.Account, v.Loan
	c := a.Currency
	v.Revolving = l.Type == "revolvingcredit" || a.Type == "revolvingcredit"
	if a.BalanceMinor != nil {
		v.Remaining = &freenahi.Money{Minor: -*a.BalanceMinor, Currency: c}
	}
	v.InterestLeft, v.InsuranceLeft = freenahi.Money{Currency: c}, freenahi.Money{Currency: c}
	switch {
	case l.NbPaymentsLeft != nil:
		v.PaymentsLeft = int(*l.NbPaymentsLeft)
	case !l.NextPaymentDate.IsZero() && !l.MaturityDate.IsZero():
		v.PaymentsLeft = freenahi.MonthsBetween(l.NextPaymentDate, l.MaturityDate)
	}
	if v.Revolving || v.Remaining == nil || v.Remaining.Minor <= 0 || l.Rate == nil || v.PaymentsLeft <= 0 || l.NextPaymentDate.IsZero() {
		return v
	}
	var insurance int64
	if l.InsuranceAmountMinor != nil {
		insurance = *l.InsuranceAmountMinor
	}
	sched, err := freenahi.AmortizationSchedule(freenahi.AmortizationQuery{PrincipalMinor: v.Remaining.Minor, RatePercent: *l.Rate,
		Months: v.PaymentsLeft, First: l.NextPaymentDate, InsuranceMinor: insurance})
	if err != nil {
		return v // the bank's data cannot be scheduled: show it as it is
	}
	v.Schedule = sched
	v.ComputedPayment = &freenahi.Money{Minor: sched[0].PaymentMinor, Currency: c}
	for _, in := range sched {
		v.InterestLeft.Minor += in.InterestMinor
		v.InsuranceLeft.Minor += in.InsuranceMinor
	}
	return v
}
