package ui

import (
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
	"github.com/freenahi/freenahi/web/ui/chart"
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
	// Chart is the capital owed over the loan's life, a point a month:
	// its history up to today, then its computed schedule.
	Chart *chartView
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
		v = newLoanView(v)
		if v.Chart, err = s.loanChart(r, userID, v); err != nil {
			respond.Error(w, r, err)
			return
		}
		out = append(out, v)
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

// loanChart draws what the loan owed at the end of each month of its
// history (reported, carried or computed from its terms) and today, then
// what its computed schedule leaves owed after each payment to come; nil
// for a revolving credit or without two points.
func (s *Handler) loanChart(r *http.Request, userID int64, v loanView) (*chartView, error) {
	if s.History == nil || v.Revolving {
		return nil, nil
	}
	h, err := s.History.AccountHistory(r.Context(), userID, v.Account.ID, freenahi.Date{}, freenahi.Date{})
	if err != nil {
		return nil, err
	}
	var pts []chart.Point
	for i, p := range h.Points {
		if last := i == len(h.Points)-1; last || p.Date.Month != h.Points[i+1].Date.Month {
			pts = append(pts, chart.Point{Date: p.Date, Minor: -p.BalanceMinor})
		}
	}
	for _, in := range v.Schedule {
		if len(pts) == 0 || in.Date.After(pts[len(pts)-1].Date) {
			pts = append(pts, chart.Point{Date: in.Date, Minor: in.RemainingMinor})
		}
	}
	if len(pts) < 2 {
		return nil, nil
	}
	l := s.localeOf(r)
	c := newChart(l, l.T("loans.chart_label", v.Account.Title(), l.Date(pts[0].Date), l.Date(pts[len(pts)-1].Date)), v.Account.Currency,
		[]chart.Series{{Name: l.T("loans.remaining"), Points: pts}})
	c.Note = "loans.chart_note"
	return c, nil
}
