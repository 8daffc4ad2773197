package web

import (
	"net/http"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
)

// The connections page lists what the store knows (ids are ours, scoped to
// the person), with each connection's state, last sync and consent expiry,
// and its actions: sync now, repair, add accounts, delete.

func (s *Server) registerUIConnectionRoutes() {
	s.mux.HandleFunc("GET /connections", s.signedIn(s.handleConnectionList))
	s.mux.HandleFunc("POST /connections/manage", s.signedIn(s.handleConnectionManage))
	s.mux.HandleFunc("POST /connections/{id}/sync", s.signedIn(s.handleUIConnectionSync))
	s.mux.HandleFunc("GET /connections/{id}/repair", s.signedIn(s.handleConnectionRepair))
	s.mux.HandleFunc("GET /connections/{id}/accounts", s.signedIn(s.handleConnectionAccounts))
	s.mux.HandleFunc("POST /connections/{id}/reconnect", s.signedIn(s.handleConnectionReconnect))
	s.mux.HandleFunc("GET /connections/{id}/delete", s.signedIn(s.handleConnectionDeleteForm))
	s.mux.HandleFunc("POST /connections/{id}/delete", s.signedIn(s.handleConnectionDelete))
}

// consentWarnDays is when an approaching consent expiry is shown as a warning.
const consentWarnDays = 15

// connectionRow is one connection of the page.
type connectionRow struct {
	*freenahi.Connection
	Screen   string
	Kind     freenahi.StateKind
	Accounts int
	// ConsentDays is the number of days left before the consent expires.
	ConsentDays *int
	ConsentWarn bool
}

// connectionsView is the connections page.
type connectionsView struct {
	Rows []connectionRow
	// Powens says whether connections can be added or repaired here.
	Powens bool
}

func (s *Server) handleConnectionList(w http.ResponseWriter, r *http.Request) {
	userID := userFrom(r.Context()).ID
	conns, err := s.Connections.FindConnections(r.Context(), userID)
	var accounts []*freenahi.Account
	if err == nil {
		accounts, err = s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: userID})
	}
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	v := connectionsView{Powens: s.Aggregator != nil}
	for _, c := range conns {
		v.Rows = append(v.Rows, s.connectionRow(c, accounts))
	}
	s.render(w, r, http.StatusOK, "connections", &page{Title: "connections.title", Nav: "connections", Data: v})
}

func (s *Server) connectionRow(c *freenahi.Connection, accounts []*freenahi.Account) connectionRow {
	row := connectionRow{Connection: c, Screen: screenOf(c.State), Kind: c.State.Kind()}
	for _, a := range accounts {
		if a.ConnectionID == c.ID && a.Disabled == nil {
			row.Accounts++
		}
	}
	if exp := c.ConsentExpiry(); exp != nil {
		days := int(exp.Sub(s.Now()).Hours() / 24)
		if exp.After(s.Now()) && exp.Sub(s.Now())%(24*time.Hour) != 0 {
			days++ // a started day counts as a day left
		}
		row.ConsentDays, row.ConsentWarn = &days, days < consentWarnDays
	}
	return row
}

// ownConnection reads {id}, one of the person's connections (ours).
func (s *Server) ownConnection(r *http.Request) (*freenahi.Connection, error) {
	id, err := pathID(r.PathValue("id"), "Connection")
	if err != nil {
		return nil, err
	}
	return s.Connections.FindConnectionByID(r.Context(), userFrom(r.Context()).ID, id)
}

// handleUIConnectionSync is "sync now": a forced sync with the person
// present, then a pull, in a job (see aggregator.Service.SyncNow).
func (s *Server) handleUIConnectionSync(w http.ResponseWriter, r *http.Request) {
	c, err := s.ownConnection(r)
	if err == nil {
		_, err = s.aggregator()
	}
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	s.runJob(w, r, aggregator.JobSync, aggregator.JobArgs{PowensConnectionID: c.PowensID})
}

// handleConnectionRepair opens the screen of the connection's state.
func (s *Server) handleConnectionRepair(w http.ResponseWriter, r *http.Request) {
	c, err := s.ownConnection(r)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	http.Redirect(w, r, stateURL(c.PowensID, "", ""), http.StatusSeeOther)
}

// handleConnectionAccounts opens the activation page ("add accounts").
func (s *Server) handleConnectionAccounts(w http.ResponseWriter, r *http.Request) {
	c, err := s.ownConnection(r)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	http.Redirect(w, r, activateURL(c.PowensID, "", ""), http.StatusSeeOther)
}

// handleConnectionReconnect repairs through the Powens Reconnect window.
func (s *Server) handleConnectionReconnect(w http.ResponseWriter, r *http.Request) {
	c, err := s.ownConnection(r)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	s.redirectToWebview(w, r, aggregator.FlowReconnect, c)
}

// handleConnectionManage opens the Powens Manage window.
func (s *Server) handleConnectionManage(w http.ResponseWriter, r *http.Request) {
	s.redirectToWebview(w, r, aggregator.FlowManage, nil)
}

func (s *Server) handleConnectionDeleteForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.ownConnection(r)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "connection_delete", &page{Title: "delete.title", Nav: "connections", Data: c})
}

// handleConnectionDelete deletes the connection at Powens; our copy of its
// data is kept and marked deleted.
func (s *Server) handleConnectionDelete(w http.ResponseWriter, r *http.Request) {
	c, err := s.ownConnection(r)
	var agg Aggregator
	if err == nil {
		agg, err = s.aggregator()
	}
	if err == nil {
		err = agg.DeleteConnection(r.Context(), userFrom(r.Context()).ID, c.ID)
	}
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	http.Redirect(w, r, "/connections?msg=flash.deleted", http.StatusSeeOther)
}
