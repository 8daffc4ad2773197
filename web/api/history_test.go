package api_test

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

type balancesBody struct {
	AccountID int64  `json:"account_id"`
	Currency  string `json:"currency"`
	Balances  []struct {
		Date, Balance, Source string
		Reconstructed         bool
	} `json:"balances"`
	Snapshots []struct{ At, Balance string } `json:"snapshots"`
}

// minor parses an API amount of two decimals.
func minor(tb testing.TB, s string) int64 {
	tb.Helper()
	v, err := freenahi.ParseAmount("amount", s, 2)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// parisToday is today as the server counts days.
func parisToday() freenahi.Date {
	loc, _ := time.LoadLocation("Europe/Paris")
	return freenahi.DateOf(time.Now().In(loc))
}

func TestAPI_AccountBalances(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		today := parisToday()
		a := webtest.MustUserWithWealth(t, s, "a@example.com", 42, today)
		b := webtest.MustUserWithWealth(t, s, "b@example.com", 43, today)

		t.Run("ThreeYearsRebuilt", func(t *testing.T) {
			// The oracle: the day sums of the transactions the fixture wrote.
			sums := map[string]int64{}
			first := today
			for _, tx := range a.Transactions {
				if tx.AccountID == a.Checking.ID {
					sums[tx.Date.String()] += tx.ValueMinor
					if tx.Date.Before(first) {
						first = tx.Date
					}
				}
			}
			var body balancesBody
			ts.Get(a.Token, fmt.Sprintf("/api/v1/accounts/%d/balances", a.Checking.ID)).Decode(t, &body)
			// One point per day, from the day before the first transaction to today.
			if got, want := len(body.Balances), int(today.Time().Sub(first.Time()).Hours()/24)+2; got != want {
				t.Fatalf("%d points, want %d", got, want)
			}
			if body.Balances[0].Date != first.AddDays(-1).String() || body.Currency != "EUR" {
				t.Fatalf("first point %+v, currency %s", body.Balances[0], body.Currency)
			}
			last := body.Balances[len(body.Balances)-1]
			if last.Date != today.String() || last.Balance != "2345.67" || last.Source != "snapshot" {
				t.Fatalf("last point %+v, want today's 2345.67 from the snapshot", last)
			}
			for i := 1; i < len(body.Balances); i++ {
				p, q := body.Balances[i-1], body.Balances[i]
				if d, _ := freenahi.ParseDate(p.Date); d.AddDays(1).String() != q.Date {
					t.Fatalf("point %d is %s after %s", i, q.Date, p.Date)
				}
				if step := minor(t, q.Balance) - minor(t, p.Balance); step != sums[q.Date] {
					t.Fatalf("%s: step %d, want the day's transactions %d", q.Date, step, sums[q.Date])
				}
				if q.Date != today.String() && (!q.Reconstructed || q.Source != "reconstructed") {
					t.Fatalf("%s is %+v, want reconstructed", q.Date, q)
				}
			}
			if len(body.Snapshots) != 1 || body.Snapshots[0].Balance != "2345.67" {
				t.Fatalf("snapshots %+v", body.Snapshots)
			}
		})
		t.Run("Window", func(t *testing.T) {
			var all, window balancesBody
			ts.Get(a.Token, fmt.Sprintf("/api/v1/accounts/%d/balances", a.Checking.ID)).Decode(t, &all)
			from, to := today.AddDays(-40), today.AddDays(-10)
			ts.Get(a.Token, fmt.Sprintf("/api/v1/accounts/%d/balances?from=%s&to=%s", a.Checking.ID, from, to)).Decode(t, &window)
			if len(window.Balances) != 31 || window.Balances[0].Date != from.String() || window.Balances[30].Date != to.String() {
				t.Fatalf("window of %d points %+v…", len(window.Balances), window.Balances[0])
			}
			// A day has the same balance whatever the window asked.
			offset := len(all.Balances) - 41
			for i, p := range window.Balances {
				if q := all.Balances[offset+i]; p != q {
					t.Fatalf("%s: %+v in the window, %+v in the whole history", p.Date, p, q)
				}
			}
		})
		t.Run("PEACarried", func(t *testing.T) {
			var body balancesBody
			ts.Get(a.Token, fmt.Sprintf("/api/v1/accounts/%d/balances?from=%s", a.PEA.ID, today.AddDays(-3))).Decode(t, &body)
			if len(body.Balances) != 4 || body.Balances[3].Balance != "18540.30" || body.Balances[3].Source != "snapshot" ||
				body.Balances[0].Reconstructed {
				t.Fatalf("PEA %+v", body.Balances)
			}
		})
		t.Run("Errors", func(t *testing.T) {
			for _, tc := range []struct {
				path   string
				status int
				field  string
			}{
				{fmt.Sprintf("/api/v1/accounts/%d/balances", b.Checking.ID), http.StatusNotFound, ""},
				{fmt.Sprintf("/api/v1/accounts/%d/balances?from=2026-02-30", a.Checking.ID), http.StatusBadRequest, "from"},
				{fmt.Sprintf("/api/v1/accounts/%d/balances?from=2026-03-02&to=2026-03-01", a.Checking.ID), http.StatusBadRequest, "to"},
			} {
				r := ts.Get(a.Token, tc.path)
				if p := r.Problem(t); r.Status != tc.status || p.Field != tc.field {
					t.Errorf("%s: %d %+v, want %d naming %q", tc.path, r.Status, p, tc.status, tc.field)
				}
			}
		})
	})
}

type netWorthBody struct {
	From, To, Interval string
	Currencies         []struct {
		Currency string
		Points   []struct {
			Date, Total string
			Groups      map[string]string
		}
	}
}

func TestAPI_NetWorth(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		today := parisToday()
		a := webtest.MustUserWithWealth(t, s, "a@example.com", 42, today)
		webtest.MustUserWithWealth(t, s, "b@example.com", 43, today)

		var body netWorthBody
		r := ts.Get(a.Token, "/api/v1/networth?interval=day&from="+today.AddDays(-1).String())
		r.Decode(t, &body)
		if len(body.Currencies) != 1 || len(body.Currencies[0].Points) != 2 {
			t.Fatalf("net worth %s", r.Body)
		}
		// Today, by hand: 2 345.67 + 12 000.00 + 18 540.30 − 182 345.12.
		p := body.Currencies[0].Points[1]
		want := map[string]string{"checking": "2345.67", "savings": "12000.00", "investments": "18540.30",
			"loans": "-182345.12", "other": "0.00"}
		if p.Date != today.String() || p.Total != "-149459.15" || fmt.Sprint(p.Groups) != fmt.Sprint(want) {
			t.Fatalf("today %+v, want -149459.15 and %v", p, want)
		}
		// Yesterday's checking is today's minus today's transactions.
		var today0 int64
		for _, tx := range a.Transactions {
			if tx.Date == today && tx.AccountID == a.Checking.ID {
				today0 += tx.ValueMinor
			}
		}
		if got := minor(t, body.Currencies[0].Points[0].Groups["checking"]); got != 234567-today0 {
			t.Fatalf("yesterday's checking %d, want %d", got, 234567-today0)
		}

		ts.Get(a.Token, "/api/v1/networth").Decode(t, &body)
		pts := body.Currencies[0].Points
		if body.Interval != "month" || pts[len(pts)-1].Total != "-149459.15" || len(pts) < 36 {
			t.Fatalf("monthly: %s with %d points, last %+v", body.Interval, len(pts), pts[len(pts)-1])
		}
		for _, tc := range []struct{ query, field string }{
			{"interval=year", "interval"}, {"from=2026-03-02&to=2026-03-01", "to"}, {"to=tomorrow", "to"},
		} {
			r := ts.Get(a.Token, "/api/v1/networth?"+tc.query)
			if p := r.Problem(t); r.Status != http.StatusBadRequest || p.Field != tc.field {
				t.Errorf("%s: %d %+v, want 400 naming %q", tc.query, r.Status, p, tc.field)
			}
		}
	})
}
