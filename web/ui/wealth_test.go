package ui_test

import (
	"fmt"
	"net/http"

	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// parisToday is today as the server counts days.
func parisToday() freenahi.Date {
	loc, _ := time.LoadLocation("Europe/Paris")
	return freenahi.DateOf(time.Now().In(loc))
}

// TestUIWealth checks the wealth pages against values computed by hand
// from the fixture (webtest.MustUserWithWealth), in English, then that
// every one of them is French in French.
func TestUIWealth(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	today := parisToday()
	ana := webtest.MustUserWithWealth(t, s, "ana@example.com", 42, today)
	webtest.MustUserWithWealth(t, s, "bob@example.com", 43, today)
	c := webtest.NewClient(t, ts.URL)
	c.SignInAs(s, ana.ID)
	nnbsp := "\u202f"

	t.Run("Dashboard", func(t *testing.T) {
		r := c.Get("/")
		webtest.MustStatus(t, r, http.StatusOK)
		// 2,345.67 + 12,000.00 + 18,540.30 − 182,345.12 = −149,459.15.
		webtest.MustContain(t, r, "Net worth in EUR", "-€149,459.15", "Checking accounts", "€2,345.67", "Savings", "€12,000.00",
			"Investments", "€18,540.30", "Loans", "-€182,345.12", "Over 1 month", "Since the start", `class="chart-svg"`,
			"Show the values as a table", "Latest transactions", `href="/investments"`, `href="/loans"`)
		webtest.MustNotContain(t, r, "bob@example.com")
		for _, p := range []string{"1m", "3m", "1y", "all"} {
			webtest.MustStatus(t, c.Get("/?period="+p), http.StatusOK)
		}
	})
	t.Run("AccountChart", func(t *testing.T) {
		r := c.Get(fmt.Sprintf("/accounts/%d?period=3m", ana.Checking.ID))
		webtest.MustContain(t, r, `class="chart-svg"`, "computed from the balance and the booked transactions",
			`aria-current="true">3 months`, "<title>"+longDate(today)+" · €2,345.67</title>")
	})
	t.Run("Investments", func(t *testing.T) {
		r := c.Get("/investments")
		webtest.MustStatus(t, r, http.StatusOK)
		// Shares of 18,540.30: 16,410.00 → 88.51 %, 2,043.60 → 11.02 %,
		// 86.70 → 0.47 %. Gain 2,647.60 over a cost of 15,892.70: 16.66 %.
		webtest.MustContain(t, r, "Amundi MSCI World UCITS ETF", "LU1681043599", "€350.00", "€410.25", "€16,410.00",
			"€2,410.00", "17.21%", "88.51%", "11.02%", "0.47%", "€2,647.60", "16.66%", "Cash", "Securities and funds",
			"Valuation history of Air Liquide", "€1,896.00") // 12 × 158.00, a year ago
		r = c.Get(fmt.Sprintf("/investments?account_id=%d", ana.PEA.ID))
		webtest.MustStatus(t, r, http.StatusOK)
		webtest.MustContain(t, r, "Air Liquide", "Over 1 year")
	})
	t.Run("Loans", func(t *testing.T) {
		r := c.Get("/loans")
		webtest.MustStatus(t, r, http.StatusOK)
		webtest.MustContain(t, r, "Prêt immobilier", "€182,345.12", "€250,000.00", "1.85%", "€1,041.47", "CNP Assurances",
			"€45.83 a month", "Interest still to pay", "Amortisation schedule (", "computed)", "5 Feb 2046")
		// The capital owed over the loan's life: from the month it was
		// lent (10 February 2021; computed before its first snapshot)
		// to its last computed payment, at maturity.
		webtest.MustContain(t, r, `class="chart-svg"`, "Capital owed on Prêt immobilier from 28 Feb 2021 to 5 Feb 2046",
			"after today, the computed schedule")
		a := c.Get(fmt.Sprintf("/accounts/%d", ana.Mortgage.ID))
		webtest.MustContain(t, a, "Loan details and schedule")
		// No statement form (the choices form is every account's).
		webtest.MustNotContain(t, a, "Coming", "CFONB", fmt.Sprintf(`action="/accounts/%d/statement"`, ana.Mortgage.ID))
	})
	t.Run("Calculators", func(t *testing.T) {
		webtest.MustContain(t, c.Get("/calculators"), "Compound interest", "Savings goal", "Loan simulator")
		// 200,000 at 3 % over 20 years: 1,109.20 a month (lenders'
		// published figure); 10,000 + 200 a month at 0 % for 10 years:
		// 34,000; 20,000 from 2,000 at 0 % in 5 years: 300 a month.
		webtest.MustContain(t, c.Get("/calculators?calc=loan&principal=200000&rate=3&years=20&insurance=0"), "€1,109.20", "(240 payments, computed)")
		webtest.MustContain(t, c.Get("/calculators?calc=compound&initial=10000&monthly=200&rate=0&years=10"), "Final value: €34,000.00")
		webtest.MustContain(t, c.Get("/calculators?calc=goal&target=20000&initial=2000&rate=0&years=5"), "Save €300.00 a month")
		for q, field := range map[string]string{
			"calc=loan&principal=-5&rate=3&years=20": "Amount borrowed", "calc=loan&principal=1000&rate=abc&years=20": "Yearly rate",
			"calc=goal&target=100&initial=0&rate=1&years=0": "Duration", "calc=compound&initial=1.234&monthly=0&rate=1&years=1": "Starting amount",
		} {
			r := c.Get("/calculators?" + q)
			webtest.MustStatus(t, r, http.StatusBadRequest)
			webtest.MustContain(t, r, field, `aria-invalid="true"`)
		}
	})
	t.Run("OtherUsersAccount", func(t *testing.T) {
		webtest.MustStatus(t, c.Get("/investments?account_id=999999"), http.StatusNotFound)
		webtest.MustStatus(t, c.Get("/investments?account_id=abc"), http.StatusBadRequest)
	})
	t.Run("French", func(t *testing.T) {
		toFrench(t, c)
		f := &frenchPages{t: t}
		r := c.Get("/")
		f.check("dashboard", r, http.StatusOK)
		webtest.MustContain(t, r, "-182"+nnbsp+"345,12\u00a0€", "Patrimoine net en EUR")
		f.check("dashboard, all", c.Get("/?period=all"), http.StatusOK)
		f.check("investments", c.Get("/investments"), http.StatusOK)
		f.check("one portfolio", c.Get(fmt.Sprintf("/investments?account_id=%d", ana.PEA.ID)), http.StatusOK)
		r = c.Get("/loans")
		f.check("loans", r, http.StatusOK)
		webtest.MustContain(t, r, "1,85\u00a0%", "1"+nnbsp+"041,47\u00a0€", "Tableau d’amortissement")
		f.check("calculators", c.Get("/calculators"), http.StatusOK)
		f.check("loan simulator", c.Get("/calculators?calc=loan&principal=200000&rate=3&years=20&insurance=30"), http.StatusOK)
		f.check("compound interest", c.Get("/calculators?calc=compound&initial=10000&monthly=200&rate=3&years=10"), http.StatusOK)
		f.check("savings goal", c.Get("/calculators?calc=goal&target=20000&initial=2000&rate=3&years=5"), http.StatusOK)
		f.check("calculator error", c.Get("/calculators?calc=loan&principal=-5&rate=3&years=20"), http.StatusBadRequest)
		for _, a := range []*freenahi.Account{ana.Checking, ana.Savings, ana.PEA, ana.Mortgage} {
			f.check("account "+a.Name, c.Get(fmt.Sprintf("/accounts/%d", a.ID)), http.StatusOK)
		}
	})
}

// longDate is the English date the UI shows.
func longDate(d freenahi.Date) string {
	return fmt.Sprintf("%d %s %d", d.Day, d.Month.String()[:3], d.Year)
}
