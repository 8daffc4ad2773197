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
		accounts, err = s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: userID, Group: freenahi.GroupLoans, WithShared: s.Shares != nil})
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
	p := freenahi.PlanLoan(v.Account, v.Loan)
	v.Revolving, v.Remaining, v.PaymentsLeft = p.Revolving, p.Remaining, p.PaymentsLeft
	v.Schedule, v.InterestLeft, v.InsuranceLeft = p.Schedule, p.InterestLeft, p.InsuranceLeft
	if len(p.Schedule) > 0 {
		v.ComputedPayment = &freenahi.Money{Minor: p.Schedule[0].PaymentMinor, Currency: v.Account.Currency}
	}
	return v
}
