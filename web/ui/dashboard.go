package ui

import (
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
	"github.com/freenahi/freenahi/web/ui/chart"
)

// dashboardView is the home page of a signed-in person.
type dashboardView struct {
	Currencies []netWorthView
	// Attention are the connections that need the person or are broken.
	Attention []*freenahi.Connection
	Latest    []*freenahi.Transaction
	Upcoming  []*freenahi.Transaction
	HasData   bool
	// Budgets is this month's progress of the person's budgets.
	Budgets []budgetRow
	// Accounts are the counted accounts and the person's assets, by
	// group; SetAside counts the hidden and archived accounts.
	Accounts dashboardAccounts
}

// netWorthView is net worth in one currency.
type netWorthView struct {
	Total   freenahi.Money
	Groups  []groupAmount
	Changes []change
	// Late are what some change leaves out: valued only since a later day.
	Late  []lateItem
	Chart *chartView
}

// groupAmount is one group's part of net worth.
type groupAmount struct {
	Group freenahi.AccountGroup
	Money freenahi.Money
}

// change is how net worth moved over a period, in money and percent.
type change struct {
	Period  string
	Money   freenahi.Money
	Percent string // "" when the base is zero or negative
}

// handleDashboard shows net worth per currency with its history, the
// connections that need action, the latest and the coming transactions.
func (s *Handler) handleDashboard(w http.ResponseWriter, r *http.Request) {
	userID := request.User(r.Context()).ID
	today := freenahi.DateOf(s.Now().In(s.localeOf(r).Zone()))
	e, err := s.cachedDashboard(r, userID, today)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.renderDashboard(w, r, e)
}

// readDashboard reads and computes what the dashboard shows.
func (s *Handler) readDashboard(r *http.Request, userID int64, today freenahi.Date) (*dashboardView, error) {
	v := &dashboardView{}
	conns, err := s.Connections.FindConnections(r.Context(), userID)
	if err != nil {
		return nil, err
	}
	for _, c := range conns {
		if c.Deleted == nil && c.State.Kind() != freenahi.StateKindOK && c.State.Kind() != freenahi.StateKindTransient {
			v.Attention = append(v.Attention, c)
		}
	}
	// Two pages of 8, each read in order from its own index, instead of
	// the newest 100 to keep 8 and 8: a coming debit older than the 100th
	// newest transaction was missed, and reading 100 was a sixth of the page.
	shared := s.Shares != nil
	if v.Latest, _, err = s.Transactions.FindTransactions(r.Context(), freenahi.TransactionFilter{UserID: userID, Limit: 8,
		ExcludeComing: true, WithShared: shared}); err != nil {
		return nil, err
	}
	if v.Upcoming, _, err = s.Transactions.FindTransactions(r.Context(), freenahi.TransactionFilter{UserID: userID, Limit: 8,
		ComingOnly: true, Direction: freenahi.DirectionSpending, WithShared: shared}); err != nil {
		return nil, err
	}
	// Read once for the net worth and the list of accounts: with hundreds
	// of accounts, reading them was a sixth of serving the page.
	accounts, err := s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: userID, WithShared: s.Shares != nil})
	if err != nil {
		return nil, err
	}
	if s.History != nil {
		if v.Currencies, err = s.netWorthViews(r, userID, today, accounts); err != nil {
			return nil, err
		}
	}
	if v.Accounts, err = s.dashboardAccounts(r, userID, accounts); err != nil {
		return nil, err
	}
	v.HasData = len(v.Currencies) > 0 || len(v.Latest) > 0 || len(v.Upcoming) > 0
	if v.Budgets, err = s.dashboardBudgets(r, today); err != nil {
		return nil, err
	}
	return v, nil
}

// netWorthViews reads the whole daily net-worth history once; the totals,
// the changes and the chart of the chosen period all come from it.
func (s *Handler) netWorthViews(r *http.Request, userID int64, today freenahi.Date, accounts []*freenahi.Account) ([]netWorthView, error) {
	l := s.localeOf(r)
	if accounts == nil {
		accounts = []*freenahi.Account{} // none, not "read them"
	}
	nw, err := s.History.NetWorth(r.Context(), freenahi.NetWorthQuery{UserID: userID, To: today, Interval: freenahi.IntervalDay, Accounts: accounts})
	if err != nil {
		return nil, err
	}
	key, from := periodFrom(r.URL.Query(), "1y", today)
	var out []netWorthView
	for _, sr := range nw.Series {
		last := sr.Points[len(sr.Points)-1]
		c := sr.Currency
		v := netWorthView{Total: freenahi.Money{Minor: last.TotalMinor, Currency: c}}
		for i, g := range freenahi.AccountGroups {
			if last.GroupMinor[i] != 0 {
				v.Groups = append(v.Groups, groupAmount{Group: g, Money: freenahi.Money{Minor: last.GroupMinor[i], Currency: c}})
			}
		}
		var all, pts []chart.Point
		for _, p := range sr.Points {
			all = append(all, chart.Point{Date: p.Date, Minor: p.TotalMinor})
			if from.IsZero() || !p.Date.Before(from) {
				pts = append(pts, all[len(all)-1])
			}
		}
		v.Changes, v.Late = netWorthChanges(l, nw, c, today)
		if len(pts) > 1 {
			v.Chart = newChart(l, l.T("dashboard.chart_label", c.Code, l.Date(pts[0].Date), l.Date(pts[len(pts)-1].Date)), c,
				[]chart.Series{{Name: l.T("dashboard.net_worth"), Points: pts}})
			v.Chart.Periods = periodLinks(r.URL.Path, r.URL.Query(), key)
		}
		out = append(out, v)
	}
	return out, nil
}

// groupHref is the page of a group: investments and loans have their own.
func groupHref(g freenahi.AccountGroup) string {
	switch g {
	case freenahi.GroupInvestments:
		return "/investments"
	case freenahi.GroupLoans:
		return "/loans"
	}
	return "/accounts#g-" + string(g)
}
