package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
	"github.com/freenahi/freenahi/web/ui/chart"
)

func (s *Handler) registerUIWealthRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /investments", s.signedIn(s.handleUIInvestmentIndex))
	mux.HandleFunc("GET /loans", s.signedIn(s.handleUILoanIndex))
	mux.HandleFunc("GET /calculators", s.signedIn(s.handleUICalculators))
}

// portfolioView is the investments page: every investment account, or one.
type portfolioView struct {
	Accounts []*portfolioAccount
	// Totals per currency of the accounts shown.
	Totals []portfolioTotal
	// ByKind is the allocation by kind of asset, per currency.
	ByKind []allocation
	One    bool
}

// portfolioAccount is one investment account with its positions.
type portfolioAccount struct {
	Account   *freenahi.Account
	Positions []positionView
	Total     portfolioTotal
	Chart     *chartView
	Changes   []change
}

// positionView is a position with its values in minor units.
type positionView struct {
	*freenahi.Investment
	Valuation  *freenahi.Money
	Gain       *freenahi.Money
	Share      string // of the account's valuation
	History    []valuationRow
	AssetKind  string
	DiffRatio  *freenahi.Decimal
	UnitPrice  *freenahi.Money
	UnitValue  *freenahi.Money
	HasHistory bool
}

// valuationRow is a position's valuation on one day.
type valuationRow struct {
	Date      freenahi.Date
	Valuation freenahi.Money
	UnitValue *freenahi.Money
}

// portfolioTotal sums valuations and gains in one currency.
type portfolioTotal struct {
	Valuation, Gain freenahi.Money
	// GainPercent is the gain over its cost (valuation − gain).
	GainPercent string
	Share       string // of the currency's total, for the allocation
	Label       string
}

// allocation is the split of one currency's valuation.
type allocation struct {
	Currency freenahi.Currency
	Parts    []portfolioTotal
}

func (s *Handler) handleUIInvestmentIndex(w http.ResponseWriter, r *http.Request) {
	if s.Wealth == nil {
		respond.Error(w, r, freenahi.Errorf(freenahi.ENOTFOUND, "No such page: %s", r.URL.Path))
		return
	}
	userID := request.User(r.Context()).ID
	p := request.NewParams(r.URL.Query(), "account_id", "period")
	accountID := p.Int64("account_id")
	if p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	accounts, err := s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: userID, Group: freenahi.GroupInvestments, WithShared: s.Shares != nil})
	var invs []*freenahi.Investment
	var vals []*freenahi.Valuation
	if err == nil {
		invs, err = s.Wealth.FindInvestments(r.Context(), userID, accountID)
	}
	if err == nil {
		vals, err = s.Wealth.FindValuations(r.Context(), userID, accountID, freenahi.Date{})
	}
	if err == nil && accountID != nil {
		var a *freenahi.Account
		if a, err = s.Accounts.FindVisibleAccount(r.Context(), userID, *accountID); err == nil {
			accounts = []*freenahi.Account{a}
		}
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := portfolioView{One: accountID != nil}
	for _, a := range accounts {
		if a.Disabled != nil {
			continue
		}
		pa, err := s.portfolioAccount(r, a, invs, vals)
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		v.Accounts = append(v.Accounts, pa)
	}
	v.Totals, v.ByKind = s.allocations(r, v.Accounts)
	s.render(w, r, http.StatusOK, "investments", &page{Title: "investments.title", Nav: "investments", Data: v})
}

// portfolioAccount gathers one account's positions, their valuation
// history, the account's history chart and its performance.
func (s *Handler) portfolioAccount(r *http.Request, a *freenahi.Account, invs []*freenahi.Investment, vals []*freenahi.Valuation) (*portfolioAccount, error) {
	l := s.localeOf(r)
	c := a.Currency
	pa := &portfolioAccount{Account: a, Total: portfolioTotal{Valuation: freenahi.Money{Currency: c}, Gain: freenahi.Money{Currency: c}}}
	for _, in := range invs {
		if in.AccountID != a.ID {
			continue
		}
		pv := positionView{Investment: in, AssetKind: assetKind(in), UnitPrice: decMoney(in.UnitPrice, c), UnitValue: decMoney(in.UnitValue, c),
			Valuation: decMoney(in.Valuation, c), Gain: decMoney(in.Diff, c), DiffRatio: in.DiffPercent}
		if pv.Valuation != nil {
			pa.Total.Valuation.Minor += pv.Valuation.Minor
		}
		if pv.Gain != nil {
			pa.Total.Gain.Minor += pv.Gain.Minor
		}
		for _, v := range vals {
			if v.InvestmentID == in.ID && v.Valuation != nil {
				pv.History = append(pv.History, valuationRow{Date: v.Date, Valuation: *decMoney(v.Valuation, c), UnitValue: decMoney(v.UnitValue, c)})
			}
		}
		slices.Reverse(pv.History) // newest first
		pv.HasHistory = len(pv.History) > 1
		pa.Positions = append(pa.Positions, pv)
	}
	for i := range pa.Positions {
		if m := pa.Positions[i].Valuation; m != nil && pa.Total.Valuation.Minor > 0 {
			pa.Positions[i].Share = l.PercentOf(m.Minor, pa.Total.Valuation.Minor)
		}
	}
	pa.Total.GainPercent = gainPercent(l, pa.Total)
	if s.History == nil {
		return pa, nil
	}
	today := freenahi.DateOf(s.Now().In(l.Zone()))
	h, err := s.History.AccountHistory(r.Context(), request.User(r.Context()).ID, a.ID, freenahi.Date{}, today)
	if err != nil || len(h.Points) == 0 {
		return pa, err
	}
	key, from := periodFrom(r.URL.Query(), "1y", today)
	var pts []chart.Point
	for _, p := range h.Points {
		if from.IsZero() || !p.Date.Before(from) {
			pts = append(pts, chart.Point{Date: p.Date, Minor: p.BalanceMinor})
		}
	}
	pa.Changes = changesOf(l, balancePoints(h.Points), today, c)
	if len(pts) > 1 {
		pa.Chart = newChart(l, l.T("investments.chart_label", a.Name, l.Date(pts[0].Date), l.Date(pts[len(pts)-1].Date)), c,
			[]chart.Series{{Name: l.T("investments.valuation"), Points: pts}})
		pa.Chart.Periods = periodLinks(r.URL.Path, r.URL.Query(), key)
		pa.Chart.Note = "investments.history_note"
	}
	return pa, nil
}

// changesOf is how a daily series moved over each period up to today.
func changesOf(l interface{ PercentOf(int64, int64) string }, pts []chart.Point, today freenahi.Date, c freenahi.Currency) []change {
	if len(pts) == 0 {
		return nil
	}
	last := pts[len(pts)-1]
	var out []change
	for _, p := range periods {
		base := pts[0]
		if p.days > 0 {
			day := today.AddDays(-p.days) // once: a day's arithmetic goes through time.Time
			if k := slices.IndexFunc(pts, func(pt chart.Point) bool { return pt.Date == day }); k >= 0 {
				base = pts[k]
			}
		}
		ch := change{Period: p.key, Money: freenahi.Money{Minor: last.Minor - base.Minor, Currency: c}}
		if base.Minor > 0 {
			ch.Percent = l.PercentOf(last.Minor-base.Minor, base.Minor)
		}
		out = append(out, ch)
	}
	return out
}

// gainPercent is a total's gain over its cost, "" without a cost.
func gainPercent(l interface{ PercentOf(int64, int64) string }, t portfolioTotal) string {
	cost := t.Valuation.Minor - t.Gain.Minor
	if cost <= 0 || t.Gain.Minor == 0 {
		return ""
	}
	return l.PercentOf(t.Gain.Minor, cost)
}

// allocations totals the accounts per currency and splits each currency's
// valuation by account and by kind of asset.
func (s *Handler) allocations(r *http.Request, accounts []*portfolioAccount) ([]portfolioTotal, []allocation) {
	l := s.localeOf(r)
	var totals []portfolioTotal
	var kinds []allocation
	for _, pa := range accounts {
		c := pa.Account.Currency
		i := slices.IndexFunc(totals, func(t portfolioTotal) bool { return t.Valuation.Currency == c })
		if i < 0 {
			totals = append(totals, portfolioTotal{Valuation: freenahi.Money{Currency: c}, Gain: freenahi.Money{Currency: c}})
			kinds = append(kinds, allocation{Currency: c})
			i = len(totals) - 1
		}
		totals[i].Valuation.Minor += pa.Total.Valuation.Minor
		totals[i].Gain.Minor += pa.Total.Gain.Minor
		for _, p := range pa.Positions {
			if p.Valuation == nil {
				continue
			}
			label := l.T("asset." + p.AssetKind)
			k := slices.IndexFunc(kinds[i].Parts, func(t portfolioTotal) bool { return t.Label == label })
			if k < 0 {
				kinds[i].Parts = append(kinds[i].Parts, portfolioTotal{Label: label, Valuation: freenahi.Money{Currency: c}})
				k = len(kinds[i].Parts) - 1
			}
			kinds[i].Parts[k].Valuation.Minor += p.Valuation.Minor
		}
	}
	for i := range totals {
		totals[i].GainPercent = gainPercent(l, totals[i])
		for _, pa := range accounts {
			if pa.Account.Currency == totals[i].Valuation.Currency && totals[i].Valuation.Minor > 0 {
				pa.Total.Share = l.PercentOf(pa.Total.Valuation.Minor, totals[i].Valuation.Minor)
			}
		}
		for k := range kinds[i].Parts {
			if totals[i].Valuation.Minor > 0 {
				kinds[i].Parts[k].Share = l.PercentOf(kinds[i].Parts[k].Valuation.Minor, totals[i].Valuation.Minor)
			}
		}
	}
	return totals, kinds
}

// assetKind sorts a position into cash, a security with an ISIN, or other.
func assetKind(in *freenahi.Investment) string {
	switch {
	case strings.EqualFold(in.Code, "XX-liquidity") || strings.Contains(strings.ToLower(in.Label), "liquidit"):
		return "cash"
	case len(in.Code) == 12 && (in.CodeType == "" || strings.EqualFold(in.CodeType, "ISIN")):
		return "security"
	}
	return "other"
}

// decMoney rounds an exact decimal amount to the currency's minor unit for
// display; nil stays nil.
func decMoney(d *freenahi.Decimal, c freenahi.Currency) *freenahi.Money {
	if d == nil {
		return nil
	}
	return &freenahi.Money{Minor: d.Round(c.Exponent), Currency: c}
}
