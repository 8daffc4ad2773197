package api_test

import (
	"fmt"
	"math/big"
	"net/http"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// cents parses an API amount of two decimals into a rational number of cents.
func cents(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("%q is not a number", s)
	}
	return r.Mul(r, big.NewRat(100, 1))
}

func TestAPI_LoanSchedule(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		today := parisToday()
		a := webtest.MustUserWithWealth(t, s, "a@example.com", 42, today)
		b := webtest.MustUserWithWealth(t, s, "b@example.com", 43, today)
		var body struct {
			Computed      bool
			Remaining     string
			Rate          string
			PaymentsLeft  int    `json:"payments_left"`
			InterestLeft  string `json:"interest_left"`
			InsuranceLeft string `json:"insurance_left"`
			Installments  []struct {
				N                                                        int
				Date, Payment, Interest, Principal, Insurance, Remaining string
			}
		}
		r := ts.Get(a.Token, fmt.Sprintf("/api/v1/loans/%d/schedule", a.Mortgage.ID))
		if r.Status != http.StatusOK {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		r.Decode(t, &body)
		// The fixture: 182 345.12 owed at 1.85 %, paid on the 5th until
		// February 2046, with 45.83 of insurance a month.
		if !body.Computed || body.Remaining != "182345.12" || body.Rate != "1.85" || len(body.Installments) != body.PaymentsLeft {
			t.Fatalf("%+v", body)
		}
		// The oracle, in rationals: a twelfth of the rate a month; each
		// interest is the capital owed times that rate, to the cent; the
		// payment is P·r/(1-(1+r)^-n) to the cent; the capital ends at zero.
		rate := big.NewRat(185, 100*100*12)
		owed := cents(t, body.Remaining)
		n := len(body.Installments)
		one := big.NewRat(1, 1)
		pow := new(big.Rat).Set(one)
		for range n {
			pow.Mul(pow, new(big.Rat).Add(one, rate))
		}
		// P·r·(1+r)^n / ((1+r)^n − 1)
		annuity := new(big.Rat).Mul(owed, rate)
		annuity.Mul(annuity, pow)
		annuity.Quo(annuity, new(big.Rat).Sub(pow, one))
		interestSum, insuranceSum := new(big.Rat), new(big.Rat)
		for i, in := range body.Installments {
			interest := new(big.Rat).Mul(owed, rate)
			if diff := new(big.Rat).Sub(cents(t, in.Interest), interest); diff.Abs(diff).Cmp(big.NewRat(1, 2)) > 0 {
				t.Fatalf("installment %d: interest %s, want %s cents", in.N, in.Interest, interest.FloatString(2))
			}
			if i < n-1 {
				if diff := new(big.Rat).Sub(cents(t, in.Payment), annuity); diff.Abs(diff).Cmp(big.NewRat(1, 2)) > 0 {
					t.Fatalf("installment %d: payment %s, want %s cents", in.N, in.Payment, annuity.FloatString(2))
				}
			}
			sum := new(big.Rat).Add(cents(t, in.Interest), cents(t, in.Principal))
			if sum.Cmp(cents(t, in.Payment)) != 0 || in.Insurance != "45.83" {
				t.Fatalf("installment %d: %+v", in.N, in)
			}
			owed.Sub(owed, cents(t, in.Principal))
			if owed.Cmp(cents(t, in.Remaining)) != 0 {
				t.Fatalf("installment %d: remaining %s, want %s cents", in.N, in.Remaining, owed.FloatString(0))
			}
			interestSum.Add(interestSum, cents(t, in.Interest))
			insuranceSum.Add(insuranceSum, cents(t, in.Insurance))
		}
		if owed.Sign() != 0 || interestSum.Cmp(cents(t, body.InterestLeft)) != 0 || insuranceSum.Cmp(cents(t, body.InsuranceLeft)) != 0 {
			t.Fatalf("owed at the end %s; interest %s vs %s", owed.FloatString(0), interestSum.FloatString(0), body.InterestLeft)
		}
		for _, c := range []struct {
			token, path string
			status      int
		}{
			{b.Token, fmt.Sprintf("/api/v1/loans/%d/schedule", a.Mortgage.ID), http.StatusNotFound},
			{a.Token, fmt.Sprintf("/api/v1/loans/%d/schedule", a.Checking.ID), http.StatusNotFound},
			{a.Token, fmt.Sprintf("/api/v1/loans/%d/schedule?months=3", a.Mortgage.ID), http.StatusBadRequest},
		} {
			if r := ts.Get(c.token, c.path); r.Status != c.status {
				t.Fatalf("%s: %d %s, want %d", c.path, r.Status, r.Body, c.status)
			}
		}
	})
}

func TestAPI_InvestmentHistory(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		today := parisToday()
		a := webtest.MustUserWithWealth(t, s, "a@example.com", 42, today)
		b := webtest.MustUserWithWealth(t, s, "b@example.com", 43, today)
		var body struct {
			Valuations []struct {
				InvestmentID int64 `json:"investment_id"`
				AccountID    int64 `json:"account_id"`
				Date         string
				Quantity     *string
				UnitValue    *string `json:"unit_value"`
				Valuation    *string
			}
		}
		ts.Get(a.Token, fmt.Sprintf("/api/v1/investments/history?account_id=%d", a.PEA.ID)).Decode(t, &body)
		// The fixture values its three positions at the past twelve month
		// ends and today.
		if len(body.Valuations) != 3*13 {
			t.Fatalf("%d valuations", len(body.Valuations))
		}
		for _, v := range body.Valuations {
			if v.AccountID != a.PEA.ID {
				t.Fatalf("%+v", v)
			}
			// Each valuation is the quantity times the unit value, exactly.
			if v.Quantity != nil && v.UnitValue != nil {
				q, u := cents(t, *v.Quantity), cents(t, *v.UnitValue)
				want := new(big.Rat).Mul(q, u)
				want.Quo(want, big.NewRat(100, 1))
				if got := cents(t, *v.Valuation); got.Cmp(want) != 0 {
					t.Fatalf("%s: %s × %s ≠ %s", v.Date, *v.Quantity, *v.UnitValue, *v.Valuation)
				}
			}
		}
		ts.Get(a.Token, "/api/v1/investments/history?from="+today.String()).Decode(t, &body)
		if len(body.Valuations) != 3 || body.Valuations[0].Date != today.String() {
			t.Fatalf("from today: %+v", body.Valuations)
		}
		ts.Get(b.Token, fmt.Sprintf("/api/v1/investments/history?account_id=%d", a.PEA.ID)).Decode(t, &body)
		if len(body.Valuations) != 0 {
			t.Fatalf("b reads a's valuations: %d", len(body.Valuations))
		}
		if r := ts.Get(a.Token, "/api/v1/investments/history?from=yesterday"); r.Status != http.StatusBadRequest || r.Problem(t).Field != "from" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
}
