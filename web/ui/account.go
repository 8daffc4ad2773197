package ui

import (
	"net/http"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
	"github.com/freenahi/freenahi/web/ui/chart"
)

func (s *Handler) registerUIAccountRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /accounts", s.signedIn(s.handleUIAccountIndex))
	mux.HandleFunc("GET /accounts/{id}", s.signedIn(s.handleUIAccountView))
	mux.HandleFunc("POST /accounts/{id}/choices", s.signedIn(s.handleUIAccountChoices))
	mux.HandleFunc("POST /accounts/{id}/balance", s.signedIn(s.handleUIManualBalance))
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
	// Set aside are the hidden and archived accounts, listed on request
	// (ShowSetAside); they count in no total.
	SetAside     []*freenahi.Account
	ShowSetAside bool
}

func (s *Handler) handleUIAccountIndex(w http.ResponseWriter, r *http.Request) {
	accounts, err := s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: request.User(r.Context()).ID, WithShared: s.Shares != nil})
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := groupAccounts(accounts)
	v.ShowSetAside = r.URL.Query().Get("hidden") == "1"
	s.render(w, r, http.StatusOK, "accounts", &page{Title: "accounts.title", Nav: "accounts", Data: v})
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
		if !a.Counted() {
			v.SetAside = append(v.SetAside, a)
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
	Account *freenahi.Account
	// Choices is the form of the person's choices, with its error if any.
	Choices      choicesForm
	Chart        *chartView
	Transactions []*freenahi.Transaction
	// Statement is the statement download form; nil without an exporter.
	Statement *statementForm
	// Balance is the form that sets a manual account's balance on a day;
	// nil for an account of a connection or without imports.
	Balance *balanceForm
	// Sharing is the owner's sharing section; nil on an account shared
	// with the person, or without sharing.
	Sharing *sharingView
}

func (s *Handler) handleUIAccountView(w http.ResponseWriter, r *http.Request) {
	a, err := s.visibleAccount(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.renderAccount(w, r, http.StatusOK, a, s.newStatementForm(a))
}

// ownAccount reads {id}, one of the person's accounts; EFORBIDDEN for one
// shared with them (what follows is the owner's to do).
func (s *Handler) ownAccount(r *http.Request) (*freenahi.Account, error) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	userID := request.User(r.Context()).ID
	a, err := s.Accounts.FindAccountByID(r.Context(), userID, id)
	if freenahi.ErrorCode(err) == freenahi.ENOTFOUND && s.Shares != nil {
		if e := freenahi.OwnerOnly(r.Context(), s.Accounts, userID, id); freenahi.ErrorCode(e) == freenahi.EFORBIDDEN {
			return nil, e
		}
	}
	return a, err
}

// renderAccount renders the page of a, with its balance history, its latest
// transactions and the statement form as given.
func (s *Handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, a *freenahi.Account, form *statementForm) {
	s.renderAccountWith(w, r, status, a, form, newChoicesForm(a))
}

// renderAccountWith renders the account page with the choices form as given.
func (s *Handler) renderAccountWith(w http.ResponseWriter, r *http.Request, status int, a *freenahi.Account, form *statementForm, choices choicesForm, opts ...func(*accountView)) {
	s.renderAccountPage(w, r, status, a, form, choices, shareForm{Access: string(freenahi.ShareRead)}, opts...)
}

// renderAccountPage renders the account page with its forms as given.
func (s *Handler) renderAccountPage(w http.ResponseWriter, r *http.Request, status int, a *freenahi.Account, form *statementForm,
	choices choicesForm, share shareForm, opts ...func(*accountView)) {
	userID := request.User(r.Context()).ID
	chart, err := s.accountChart(r, a)
	var txs []*freenahi.Transaction
	if err == nil {
		txs, _, err = s.Transactions.FindTransactions(r.Context(), freenahi.TransactionFilter{UserID: userID, AccountID: &a.ID, Limit: 20,
			WithShared: a.Shared != nil})
	}
	var sharing *sharingView
	if err == nil && a.Shared == nil {
		sharing, err = s.sharing(r, a, share)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := accountView{Account: a, Chart: chart, Transactions: txs, Statement: form, Choices: choices, Sharing: sharing}
	if a.Shared != nil {
		// Its statements, choices and balance are its owner's.
		v.Statement = nil
	} else if a.Manual && s.Imports != nil {
		v.Balance = &balanceForm{Date: freenahi.DateOf(s.Now().In(s.localeOf(r).Zone())).String()}
	}
	for _, o := range opts {
		o(&v)
	}
	if freenahi.GroupOf(a.Type) == freenahi.GroupLoans {
		// A loan has no statement to export and no coming amount worth
		// showing: its page is the loan's (see loan.go).
		v.Statement = nil
	}
	s.render(w, r, status, "account", &page{Title: "account.title", Nav: "accounts", Data: v})
}

// accountChart draws the account's daily balances over the ?period asked
// (a year by default).
func (s *Handler) accountChart(r *http.Request, a *freenahi.Account) (*chartView, error) {
	if s.History == nil {
		return nil, nil
	}
	l := s.localeOf(r)
	key, from := periodFrom(r.URL.Query(), "1y", freenahi.DateOf(s.Now().In(l.Zone())))
	h, err := s.History.AccountHistory(r.Context(), request.User(r.Context()).ID, a.ID, from, freenahi.Date{})
	if err != nil || len(h.Points) < 2 {
		return nil, err
	}
	c := newChart(l, l.T("account.chart_label", l.Date(h.Points[0].Date), l.Date(h.Points[len(h.Points)-1].Date)), a.Currency,
		[]chart.Series{{Name: l.T("chart.balance"), Points: balancePoints(h.Points)}})
	c.Periods = periodLinks(r.URL.Path, r.URL.Query(), key)
	for _, p := range h.Points {
		if p.Source == freenahi.SourceReconstructed {
			c.Note = "chart.reconstructed"
			break
		}
		if p.Source == freenahi.SourceComputed {
			c.Note = "chart.computed"
			break
		}
	}
	return c, nil
}
