package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

// calculatorsView is the calculators page: each form with what it was
// given and, once submitted, its result or the error naming its field.
type calculatorsView struct {
	Compound calcForm
	Goal     calcForm
	Loan     calcForm
	Growth   *freenahi.Growth
	Monthly  *freenahi.Money
	Schedule []freenahi.Installment
	LoanCost *loanCost
	Currency freenahi.Currency
}

// calcForm is one calculator's inputs as typed, and its error.
type calcForm struct {
	Values url.Values
	Field  string
	Error  string
}

// Get returns a typed value, or def when the form was not submitted.
func (f calcForm) Get(name, def string) string {
	if f.Values == nil {
		return def
	}
	return f.Values.Get(name)
}

// loanCost totals a simulated loan.
type loanCost struct {
	Payment, Interest, Insurance, Total freenahi.Money
}

var euro = freenahi.Currency{Code: "EUR", Exponent: 2}

// handleUICalculators runs the calculator the form names (?calc=), with
// exact arithmetic, in euros.
func (s *Handler) handleUICalculators(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := calculatorsView{Currency: euro}
	l := s.localeOf(r)
	status := http.StatusOK
	fail := func(f *calcForm, err error) {
		status = http.StatusBadRequest
		f.Error = l.Err(err)
		if e, ok := err.(*freenahi.Error); ok {
			f.Field = e.Field
		}
	}
	switch q.Get("calc") {
	case "compound":
		v.Compound.Values = q
		initial, monthly, rate, months, err := calcInputs(q, "initial", "monthly")
		if err == nil {
			v.Growth, err = freenahi.CompoundInterest(initial, monthly, rate, months)
		}
		if err != nil {
			fail(&v.Compound, err)
		}
	case "goal":
		v.Goal.Values = q
		target, initial, rate, months, err := calcInputs(q, "target", "initial")
		var p int64
		if err == nil {
			p, err = freenahi.SavingsGoal(target, initial, rate, months)
		}
		if err != nil {
			fail(&v.Goal, err)
		} else {
			v.Monthly = &freenahi.Money{Minor: p, Currency: euro}
		}
	case "loan":
		v.Loan.Values = q
		principal, insurance, rate, months, err := calcInputs(q, "principal", "insurance")
		if err == nil {
			v.Schedule, err = freenahi.AmortizationSchedule(freenahi.AmortizationQuery{PrincipalMinor: principal, RatePercent: rate,
				Months: months, First: freenahi.DateOf(s.Now().In(l.Zone())).AddDays(30), InsuranceMinor: insurance})
		}
		if err != nil {
			fail(&v.Loan, err)
		} else {
			c := &loanCost{Payment: freenahi.Money{Minor: v.Schedule[0].PaymentMinor, Currency: euro}}
			c.Interest.Currency, c.Insurance.Currency, c.Total.Currency = euro, euro, euro
			for _, in := range v.Schedule {
				c.Interest.Minor += in.InterestMinor
				c.Insurance.Minor += in.InsuranceMinor
			}
			c.Total.Minor = c.Interest.Minor + c.Insurance.Minor
			v.LoanCost = c
		}
	}
	s.render(w, r, status, "calculators", &page{Title: "calc.title", Nav: "calculators", Data: v})
}

// calcInputs reads two amounts, the yearly rate and the duration in years
// (or months) that every calculator takes.
func calcInputs(q url.Values, first, second string) (a, b int64, rate freenahi.Decimal, months int, err error) {
	amount := func(name string) int64 {
		if err != nil {
			return 0
		}
		text := strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(q.Get(name)), ",", "."), " ", "")
		if text == "" {
			text = "0"
		}
		var v int64
		v, err = freenahi.ParseAmount(name, text, euro.Exponent)
		return v
	}
	a, b = amount(first), amount(second)
	if err != nil {
		return
	}
	text := strings.ReplaceAll(strings.TrimSpace(q.Get("rate")), ",", ".")
	if rate, err = freenahi.ParseDecimal(text); err != nil {
		err = freenahi.FieldErrorf("rate", "%q is not a rate such as 3.5", q.Get("rate"))
		return
	}
	years, convErr := strconv.Atoi(strings.TrimSpace(q.Get("years")))
	if convErr != nil || years < 1 || years > 100 {
		err = freenahi.FieldErrorf("years", "%q is not a number of years between 1 and 100", q.Get("years"))
		return
	}
	return a, b, rate, years * 12, nil
}
