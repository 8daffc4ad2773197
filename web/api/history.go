package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Handler) registerHistoryRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/accounts/{id}/balances", s.requireToken(s.requireHistory(s.handleAccountBalances)))
	mux.HandleFunc("GET /api/v1/networth", s.requireToken(s.requireHistory(s.handleNetWorth)))
}

// requireHistory answers 503 when the server has no history service.
func (s *Handler) requireHistory(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.History == nil {
			respond.Error(w, r, freenahi.Errorf(freenahi.EUNAVAILABLE, "Balance histories are not configured on this server."))
			return
		}
		h(w, r)
	}
}

// dailyBalanceJSON is one day of an account's history.
type dailyBalanceJSON struct {
	Date          string `json:"date"`
	Balance       string `json:"balance"`
	Source        string `json:"source"`
	Reconstructed bool   `json:"reconstructed"`
}

// snapshotJSON is a balance as a sync reported it.
type snapshotJSON struct {
	At      string  `json:"at"`
	Balance string  `json:"balance"`
	Coming  *string `json:"coming"`
}

func (s *Handler) handleAccountBalances(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	p := request.NewParams(r.URL.Query(), "from", "to")
	from, to := dateOrZero(p.Date("from")), dateOrZero(p.Date("to"))
	if err == nil {
		err = p.Err
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	userID := request.User(r.Context()).ID
	h, err := s.History.AccountHistory(r.Context(), userID, id, from, to)
	var snaps []*freenahi.BalanceSnapshot
	if err == nil {
		snaps, err = s.Accounts.FindBalances(r.Context(), userID, id, from, to)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	c := h.Account.Currency
	out := struct {
		AccountID int64              `json:"account_id"`
		Currency  string             `json:"currency"`
		Balances  []dailyBalanceJSON `json:"balances"`
		Snapshots []snapshotJSON     `json:"snapshots"`
	}{AccountID: id, Currency: c.Code, Balances: make([]dailyBalanceJSON, 0, len(h.Points)), Snapshots: []snapshotJSON{}}
	for _, pt := range h.Points {
		out.Balances = append(out.Balances, dailyBalanceJSON{Date: pt.Date.String(), Balance: freenahi.FormatMinor(pt.BalanceMinor, c.Exponent),
			Source: string(pt.Source), Reconstructed: pt.Source == freenahi.SourceReconstructed})
	}
	for _, b := range snaps {
		out.Snapshots = append(out.Snapshots, snapshotJSON{At: *timeUTC(&b.At), Balance: freenahi.FormatMinor(b.BalanceMinor, c.Exponent),
			Coming: amountPtr(b.ComingMinor, c)})
	}
	respond.JSON(w, r, http.StatusOK, out)
}

// netWorthPointJSON is net worth in one currency on one day.
type netWorthPointJSON struct {
	Date   string            `json:"date"`
	Total  string            `json:"total"`
	Groups map[string]string `json:"groups"`
}

func (s *Handler) handleNetWorth(w http.ResponseWriter, r *http.Request) {
	p := request.NewParams(r.URL.Query(), "from", "to", "interval")
	q := freenahi.NetWorthQuery{UserID: request.User(r.Context()).ID, From: dateOrZero(p.Date("from")),
		To: dateOrZero(p.Date("to")), Interval: p.Str("interval")}
	if p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	body, err := s.cachedNetWorth(r.Context(), q)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, body)
}

// netWorthJSON is the body of GET /api/v1/networth.
func (s *Handler) netWorthJSON(ctx context.Context, q freenahi.NetWorthQuery) (json.RawMessage, error) {
	nw, err := s.History.NetWorth(ctx, q)
	if err != nil {
		return nil, err
	}
	type seriesJSON struct {
		Currency string              `json:"currency"`
		Points   []netWorthPointJSON `json:"points"`
	}
	out := struct {
		From       string       `json:"from"`
		To         string       `json:"to"`
		Interval   string       `json:"interval"`
		Currencies []seriesJSON `json:"currencies"`
	}{From: nw.From.String(), To: nw.To.String(), Interval: nw.Interval, Currencies: []seriesJSON{}}
	for _, sr := range nw.Series {
		js := seriesJSON{Currency: sr.Currency.Code, Points: make([]netWorthPointJSON, 0, len(sr.Points))}
		for _, pt := range sr.Points {
			groups := map[string]string{}
			for i, g := range freenahi.AccountGroups {
				groups[string(g)] = freenahi.FormatMinor(pt.GroupMinor[i], sr.Currency.Exponent)
			}
			js.Points = append(js.Points, netWorthPointJSON{Date: pt.Date.String(),
				Total: freenahi.FormatMinor(pt.TotalMinor, sr.Currency.Exponent), Groups: groups})
		}
		out.Currencies = append(out.Currencies, js)
	}
	return json.Marshal(out)
}
