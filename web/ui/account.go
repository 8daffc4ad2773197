package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Handler) registerUIAccountRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /accounts", s.signedIn(s.handleUIAccountIndex))
	mux.HandleFunc("GET /accounts/{id}", s.signedIn(s.handleUIAccountView))
}

// accountGroupView is one group of the accounts page with its totals per currency.
type accountGroupView struct {
	Group    freenahi.AccountGroup
	Accounts []*freenahi.Account
	Totals   []freenahi.GroupTotal
}

// accountsView is the accounts page.
type accountsView struct {
	Groups     []accountGroupView
	LastUpdate *time.Time
	// Inactive counts accounts found at the bank but not activated.
	Inactive int
}

func (s *Handler) handleUIAccountIndex(w http.ResponseWriter, r *http.Request) {
	accounts, err := s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: request.User(r.Context()).ID})
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "accounts", &page{Title: "accounts.title", Nav: "accounts", Data: groupAccounts(accounts)})
}

// groupAccounts sorts active accounts into their groups, in display order,
// with the totals freenahi.Totals computes.
func groupAccounts(accounts []*freenahi.Account) accountsView {
	var v accountsView
	byGroup := map[freenahi.AccountGroup][]*freenahi.Account{}
	var active []*freenahi.Account
	for _, a := range accounts {
		if a.Disabled != nil {
			v.Inactive++
			continue
		}
		active = append(active, a)
		byGroup[a.Group()] = append(byGroup[a.Group()], a)
		if a.LastUpdate != nil && (v.LastUpdate == nil || a.LastUpdate.After(*v.LastUpdate)) {
			v.LastUpdate = a.LastUpdate
		}
	}
	totals := freenahi.Totals(active)
	for _, g := range freenahi.AccountGroups {
		if len(byGroup[g]) == 0 {
			continue
		}
		gv := accountGroupView{Group: g, Accounts: byGroup[g]}
		for _, t := range totals {
			if t.Group == g {
				gv.Totals = append(gv.Totals, t)
			}
		}
		v.Groups = append(v.Groups, gv)
	}
	return v
}

// accountView is the account page.
type accountView struct {
	Account      *freenahi.Account
	Chart        *balanceChart
	Transactions []*freenahi.Transaction
	// Statement is the statement download form; nil without an exporter.
	Statement *statementForm
}

func (s *Handler) handleUIAccountView(w http.ResponseWriter, r *http.Request) {
	a, err := s.ownAccount(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.renderAccount(w, r, http.StatusOK, a, s.newStatementForm(a))
}

// ownAccount reads {id}, one of the person's accounts.
func (s *Handler) ownAccount(r *http.Request) (*freenahi.Account, error) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.Accounts.FindAccountByID(r.Context(), request.User(r.Context()).ID, id)
}

// renderAccount renders the page of a, with its balance history, its latest
// transactions and the statement form as given.
func (s *Handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, a *freenahi.Account, form *statementForm) {
	userID := request.User(r.Context()).ID
	snaps, err := s.Accounts.FindBalances(r.Context(), userID, a.ID, freenahi.DateOf(s.Now()).AddDays(-365), freenahi.Date{})
	var txs []*freenahi.Transaction
	if err == nil {
		txs, _, err = s.Transactions.FindTransactions(r.Context(), freenahi.TransactionFilter{UserID: userID, AccountID: &a.ID, Limit: 20})
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, status, "account", &page{Title: "account.title", Nav: "accounts",
		Data: accountView{Account: a, Chart: newBalanceChart(snaps), Transactions: txs, Statement: form}})
}

// balanceChart is a server-rendered SVG line of an account's balance: no
// script, no chart library. Coordinates are floats; amounts stay exact.
type balanceChart struct {
	Width, Height int
	Points        string
	// ZeroY is the y of the zero line, when zero is within the range.
	ZeroY       string
	Min, Max    freenahi.Money
	First, Last time.Time
}

const chartW, chartH, chartPad = 600, 160, 4

// newBalanceChart plots snapshots oldest first; nil with fewer than two.
func newBalanceChart(snaps []*freenahi.BalanceSnapshot) *balanceChart {
	if len(snaps) < 2 {
		return nil
	}
	first, last := snaps[0], snaps[len(snaps)-1]
	c := &balanceChart{Width: chartW, Height: chartH, First: first.At, Last: last.At,
		Min: freenahi.Money{Minor: first.BalanceMinor, Currency: first.Currency}}
	c.Max = c.Min
	for _, b := range snaps {
		c.Min.Minor = min(c.Min.Minor, b.BalanceMinor)
		c.Max.Minor = max(c.Max.Minor, b.BalanceMinor)
	}
	span := float64(last.At.Sub(first.At))
	rangeY := float64(c.Max.Minor - c.Min.Minor)
	y := func(v int64) float64 {
		if rangeY == 0 {
			return chartH / 2
		}
		return chartPad + (chartH-2*chartPad)*(1-float64(v-c.Min.Minor)/rangeY)
	}
	var pts []string
	for _, b := range snaps {
		x := 0.0
		if span > 0 {
			x = chartW * float64(b.At.Sub(first.At)) / span
		}
		pts = append(pts, strconv.FormatFloat(x, 'f', 1, 64)+","+strconv.FormatFloat(y(b.BalanceMinor), 'f', 1, 64))
	}
	c.Points = strings.Join(pts, " ")
	if c.Min.Minor < 0 && c.Max.Minor > 0 {
		c.ZeroY = strconv.FormatFloat(y(0), 'f', 1, 64)
	}
	return c
}
