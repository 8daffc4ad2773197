package api

import (
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// registerLoanRoutes adds the computed schedule of a loan and the
// valuation history of investments.
func (s *Handler) registerLoanRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/loans/{id}/schedule", s.requireToken(s.handleLoanSchedule))
	mux.HandleFunc("GET /api/v1/investments/history", s.requireToken(s.handleInvestmentHistory))
}

type installmentJSON struct {
	N         int    `json:"n"`
	Date      string `json:"date"`
	Payment   string `json:"payment"`
	Interest  string `json:"interest"`
	Principal string `json:"principal"`
	Insurance string `json:"insurance"`
	Remaining string `json:"remaining"`
}

// handleLoanSchedule answers the constant-annuity schedule of one of the
// person's loan accounts ({id} is the account's id), computed from its
// remaining capital, rate and payments left.
func (s *Handler) handleLoanSchedule(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	userID := request.User(r.Context()).ID
	var a *freenahi.Account
	var loans []*freenahi.Loan
	if err == nil {
		err = request.NewParams(r.URL.Query()).Err
	}
	if err == nil {
		a, err = s.Accounts.FindVisibleAccount(r.Context(), userID, id)
	}
	if err == nil && freenahi.GroupOf(a.Type) != freenahi.GroupLoans {
		err = freenahi.Errorf(freenahi.ENOTFOUND, "Account %d is not a loan.", id)
	}
	if err == nil {
		loans, err = s.Wealth.FindLoans(r.Context(), userID)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	l := &freenahi.Loan{AccountID: a.ID, Currency: a.Currency, Type: a.Type}
	for _, x := range loans {
		if x.AccountID == a.ID {
			l = x
		}
	}
	p := freenahi.PlanLoan(a, l)
	e := a.Currency.Exponent
	out := struct {
		AccountID     int64             `json:"account_id"`
		Currency      string            `json:"currency"`
		Computed      bool              `json:"computed"`
		Revolving     bool              `json:"revolving"`
		Remaining     *string           `json:"remaining"`
		Rate          *string           `json:"rate"`
		PaymentsLeft  int               `json:"payments_left"`
		InterestLeft  string            `json:"interest_left"`
		InsuranceLeft string            `json:"insurance_left"`
		Installments  []installmentJSON `json:"installments"`
	}{AccountID: a.ID, Currency: a.Currency.Code, Computed: p.Schedule != nil, Revolving: p.Revolving,
		PaymentsLeft: p.PaymentsLeft, InterestLeft: p.InterestLeft.Decimal(), InsuranceLeft: p.InsuranceLeft.Decimal(),
		Installments: []installmentJSON{}}
	if p.Remaining != nil {
		out.Remaining = amountPtr(&p.Remaining.Minor, a.Currency)
	}
	if l.Rate != nil {
		rate := l.Rate.String()
		out.Rate = &rate
	}
	for _, in := range p.Schedule {
		out.Installments = append(out.Installments, installmentJSON{N: in.N, Date: in.Date.String(),
			Payment: freenahi.FormatMinor(in.PaymentMinor, e), Interest: freenahi.FormatMinor(in.InterestMinor, e),
			Principal: freenahi.FormatMinor(in.PrincipalMinor, e), Insurance: freenahi.FormatMinor(in.InsuranceMinor, e),
			Remaining: freenahi.FormatMinor(in.RemainingMinor, e)})
	}
	respond.JSON(w, r, http.StatusOK, out)
}

type valuationJSON struct {
	InvestmentID int64   `json:"investment_id"`
	AccountID    int64   `json:"account_id"`
	Date         string  `json:"date"`
	Quantity     *string `json:"quantity"`
	UnitValue    *string `json:"unit_value"`
	Valuation    *string `json:"valuation"`
}

// handleInvestmentHistory answers the daily valuations of the person's
// positions (one account's with account_id), from from on.
func (s *Handler) handleInvestmentHistory(w http.ResponseWriter, r *http.Request) {
	p := request.NewParams(r.URL.Query(), "account_id", "from")
	accountID, from := p.Int64("account_id"), dateOrZero(p.Date("from"))
	if p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	vals, err := s.Wealth.FindValuations(r.Context(), request.User(r.Context()).ID, accountID, from)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	str := func(d *freenahi.Decimal) *string {
		if d == nil {
			return nil
		}
		v := d.String()
		return &v
	}
	out := struct {
		Valuations []valuationJSON `json:"valuations"`
	}{Valuations: make([]valuationJSON, 0, len(vals))}
	for _, v := range vals {
		out.Valuations = append(out.Valuations, valuationJSON{InvestmentID: v.InvestmentID, AccountID: v.AccountID,
			Date: v.Date.String(), Quantity: str(v.Quantity), UnitValue: str(v.UnitValue), Valuation: str(v.Valuation)})
	}
	respond.JSON(w, r, http.StatusOK, out)
}
