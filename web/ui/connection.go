package ui

import (
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// The connections page lists what the store knows (ids are ours, scoped to
// the person), with each connection's state, last sync and consent expiry,
// and its actions: sync now, repair, add accounts, delete.

func (s *Handler) registerUIConnectionRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /connections", s.signedIn(s.handleConnectionList))
	mux.HandleFunc("POST /connections/manage", s.signedIn(s.handleConnectionManage))
	mux.HandleFunc("POST /connections/{id}/sync", s.signedIn(s.handleUIConnectionSync))
	mux.HandleFunc("GET /connections/{id}/repair", s.signedIn(s.handleConnectionRepair))
	mux.HandleFunc("GET /connections/{id}/accounts", s.signedIn(s.handleConnectionAccounts))
	mux.HandleFunc("POST /connections/{id}/reconnect", s.signedIn(s.handleConnectionReconnect))
	mux.HandleFunc("GET /connections/{id}/delete", s.signedIn(s.handleConnectionDeleteForm))
	mux.HandleFunc("POST /connections/{id}/delete", s.signedIn(s.handleConnectionDelete))
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
	// NoAccounts: the connection works but no account of it is synchronised
	// (left half-way, or back from a bank outage): the person chooses them.
	NoAccounts bool
	// Names are the synchronised accounts' names (the first few; More
	// counts the rest), so that two connections to one bank can be told apart.
	Names []string
	More  int
}

// namesShown bounds the account names on a connection's card.
const namesShown = 3

// connectionsView is the connections page.
type connectionsView struct {
	Rows []connectionRow
	// Powens says whether connections can be added or repaired here.
	Powens bool
	// Refused sums the webhook deliveries refused in the last day for a
	// reason that points at their authentication, when there were some.
	Refused *freenahi.WebhookRefusal
}

// authReasons are refusals that a webhook set up with the wrong
// authentication in Powens' console causes.
var authReasons = []string{"missing_auth", "bad_token", "bad_signature", "no_user", "ip_not_allowed"}

// refusedLately sums the refusals of the last day that point at the
// webhook's authentication; nil when there were none or they cannot be read.
func (s *Handler) refusedLately(r *http.Request) *freenahi.WebhookRefusal {
	if s.Refusals == nil {
		return nil
	}
	rs, err := s.Refusals.FindRefusals(r.Context(), s.Now().Add(-24*time.Hour))
	if err != nil {
		request.Logger(r.Context(), s.Logger).Warn("read refused deliveries", slog.Any("error", err))
		return nil
	}
	var sum *freenahi.WebhookRefusal
	for _, x := range rs {
		if !slices.Contains(authReasons, x.Reason) {
			continue
		}
		if sum == nil {
			sum = &freenahi.WebhookRefusal{}
		}
		sum.Count += x.Count
		if x.LastAt.After(sum.LastAt) {
			sum.LastAt, sum.Reason, sum.LastDetail = x.LastAt, x.Reason, x.LastDetail
		}
	}
	return sum
}

func (s *Handler) handleConnectionList(w http.ResponseWriter, r *http.Request) {
	userID := request.User(r.Context()).ID
	conns, err := s.Connections.FindConnections(r.Context(), userID)
	var accounts []*freenahi.Account
	if err == nil {
		accounts, err = s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: userID})
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := connectionsView{Powens: s.Aggregator != nil, Refused: s.refusedLately(r)}
	for _, c := range conns {
		v.Rows = append(v.Rows, s.connectionRow(c, accounts))
	}
	s.render(w, r, http.StatusOK, "connections", &page{Title: "connections.title", Nav: "connections", Data: v})
}

func (s *Handler) connectionRow(c *freenahi.Connection, accounts []*freenahi.Account) connectionRow {
	st := effectiveState(c)
	row := connectionRow{Connection: c, Screen: screenOf(st), Kind: st.Kind()}
	for _, a := range accounts {
		if a.ConnectionID == c.ID && a.Disabled == nil {
			row.Accounts++
			if len(row.Names) < namesShown {
				row.Names = append(row.Names, a.Name)
			} else {
				row.More++
			}
		}
	}
	if row.Kind == freenahi.StateKindOK && row.Accounts == 0 && c.Deleted == nil {
		row.NoAccounts, row.Screen, row.Kind = true, "no_accounts", freenahi.StateKindUserAction
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

// effectiveState is what the person has to deal with: the connection's
// state, or when that is fine, the first enabled source's that is not (a
// source added half-way waits for the person while the others sync), so
// that this page and the connection's own page agree.
func effectiveState(c *freenahi.Connection) freenahi.ConnectionState {
	if c.State != freenahi.StateOK {
		return c.State
	}
	for _, src := range c.Sources {
		if src.Disabled == nil && src.State != freenahi.StateOK {
			return src.State
		}
	}
	return c.State
}

// ownConnection reads {id}, one of the person's connections (ours).
func (s *Handler) ownConnection(r *http.Request) (*freenahi.Connection, error) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.Connections.FindConnectionByID(r.Context(), request.User(r.Context()).ID, id)
}

// handleUIConnectionSync is "sync now": a forced sync with the person
// present, then a pull, in a job (see aggregator.Service.SyncNow).
func (s *Handler) handleUIConnectionSync(w http.ResponseWriter, r *http.Request) {
	c, err := s.ownConnection(r)
	if err == nil {
		_, err = s.aggregator()
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.runJob(w, r, aggregator.JobSync, aggregator.JobArgs{PowensConnectionID: c.PowensID})
}

// handleConnectionRepair opens the screen of the connection's state.
func (s *Handler) handleConnectionRepair(w http.ResponseWriter, r *http.Request) {
	c, err := s.ownConnection(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, stateURL(c.PowensID, "", ""), http.StatusSeeOther)
}

// handleConnectionAccounts opens the activation page ("add accounts").
func (s *Handler) handleConnectionAccounts(w http.ResponseWriter, r *http.Request) {
	c, err := s.ownConnection(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, activateURL(c.PowensID, "", ""), http.StatusSeeOther)
}

// handleConnectionReconnect repairs through the Powens Reconnect window.
func (s *Handler) handleConnectionReconnect(w http.ResponseWriter, r *http.Request) {
	c, err := s.ownConnection(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.redirectToWebview(w, r, aggregator.FlowReconnect, c)
}

// handleConnectionManage opens the Powens Manage window.
func (s *Handler) handleConnectionManage(w http.ResponseWriter, r *http.Request) {
	s.redirectToWebview(w, r, aggregator.FlowManage, nil)
}

func (s *Handler) handleConnectionDeleteForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.ownConnection(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "connection_delete", &page{Title: "delete.title", Nav: "connections", Data: c})
}

// handleConnectionDelete deletes the connection at Powens; our copy of its
// data is kept and marked deleted.
func (s *Handler) handleConnectionDelete(w http.ResponseWriter, r *http.Request) {
	c, err := s.ownConnection(r)
	var agg Aggregator
	if err == nil {
		agg, err = s.aggregator()
	}
	if err == nil {
		err = agg.DeleteConnection(r.Context(), request.User(r.Context()).ID, c.ID)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/connections?msg=flash.deleted", http.StatusSeeOther)
}
