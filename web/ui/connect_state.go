package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// Every connection state has its own screen and action, as Powens' guide to
// SCA and connection states describes. Connections are addressed here by
// their Powens id; the aggregator reads them through the person's own Powens
// token, so another person's id is simply not found.

func (s *Handler) registerUIStateRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /connect/c/{pid}", s.signedIn(s.handleStateView))
	mux.HandleFunc("POST /connect/c/{pid}/answer", s.signedIn(s.handleStateFields))
	mux.HandleFunc("POST /connect/c/{pid}/credentials", s.signedIn(s.handleStateFields))
	mux.HandleFunc("POST /connect/c/{pid}/resume", s.signedIn(s.handleStateResume))
	mux.HandleFunc("POST /connect/c/{pid}/retry", s.signedIn(s.handleStateRetry))
	mux.HandleFunc("POST /connect/c/{pid}/webauth", s.signedIn(s.handleStateWebauth))
	mux.HandleFunc("GET /connect/c/{pid}/accounts", s.signedIn(s.handleActivateForm))
	mux.HandleFunc("POST /connect/c/{pid}/accounts", s.signedIn(s.handleActivate))
}

// Screens of the state page, one per kind of action.
const (
	screenOK          = "ok"          // the last sync worked
	screenAnswer      = "answer"      // additionalInformationNeeded: render fields, post them
	screenDecoupled   = "decoupled"   // confirm in the bank app, then resume
	screenValidating  = "validating"  // wait
	screenSCA         = "sca"         // SCARequired: sync with the person present
	screenWebauth     = "webauth"     // webauthRequired: back to the bank's page
	screenCredentials = "credentials" // wrongpass, passwordExpired: new credentials
	screenAction      = "action"      // actionNeeded: the bank's message
	screenTransient   = "transient"   // rateLimiting, websiteUnavailable, bug: Powens retries
	screenFatal       = "fatal"       // notSupported and any unknown state
	// screenRepaired ends a repair: the connection works again and already
	// has accounts synchronised, so there is nothing to choose.
	screenRepaired = "repaired"
)

// screenOf maps a state to its screen; unknown states get the safe generic one.
func screenOf(st freenahi.ConnectionState) string {
	switch st {
	case freenahi.StateOK:
		return screenOK
	case freenahi.StateAdditionalInformationNeeded:
		return screenAnswer
	case freenahi.StateDecoupled:
		return screenDecoupled
	case freenahi.StateValidating:
		return screenValidating
	case freenahi.StateSCARequired:
		return screenSCA
	case freenahi.StateWebauthRequired:
		return screenWebauth
	case freenahi.StateWrongpass, freenahi.StatePasswordExpired:
		return screenCredentials
	case freenahi.StateActionNeeded:
		return screenAction
	case freenahi.StateRateLimiting, freenahi.StateWebsiteUnavailable, freenahi.StateBug:
		return screenTransient
	}
	return screenFatal
}

// stateView is the state page.
type stateView struct {
	ID      int64
	Bank    string
	State   string
	Screen  string
	Message string // the bank's own words (error_message), untranslated
	Fields  []formField
	Problem string
	Keep    string
	NextTry *time.Time
	// LocalID is our id of the connection, when we know it, for the
	// Powens Reconnect window.
	LocalID int64
}

// checkConnection reads the state of the connection named by the path.
func (s *Handler) checkConnection(r *http.Request) (*freenahi.ConnectCheck, error) {
	agg, err := s.aggregator()
	if err != nil {
		return nil, err
	}
	pid, err := request.PathID(r.PathValue("pid"))
	if err != nil {
		return nil, err
	}
	return agg.CheckConnection(r.Context(), request.User(r.Context()).ID, pid)
}

func (s *Handler) handleStateView(w http.ResponseWriter, r *http.Request) {
	c, err := s.checkConnection(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	keep := joinIDs(keepList(r.URL.Query().Get("keep")))
	if c.State == freenahi.StateOK && (keep != "" || !s.hasActiveAccounts(r, c.LocalID)) {
		// A new connection, or accounts being added: choose them.
		http.Redirect(w, r, activateURL(c.PowensConnectionID, keep, ""), http.StatusSeeOther)
		return
	}
	s.renderState(w, r, http.StatusOK, c, keep, r.URL.Query().Get("problem"), nil, nil)
}

// hasActiveAccounts says whether our connection localID has accounts being
// synchronised: a connection back to OK with some was repaired, one without
// is new (or was left before its accounts were chosen).
func (s *Handler) hasActiveAccounts(r *http.Request, localID int64) bool {
	if localID == 0 {
		return false
	}
	accounts, err := s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: request.User(r.Context()).ID, ConnectionID: &localID})
	if err != nil {
		return false // choosing accounts again is the safe way on
	}
	for _, a := range accounts {
		if a.Disabled == nil {
			return true
		}
	}
	return false
}

// renderState shows the screen of a connection's state.
func (s *Handler) renderState(w http.ResponseWriter, r *http.Request, status int, c *freenahi.ConnectCheck, keep, problem string, typed url.Values, errs map[string]error) {
	v := stateView{ID: c.PowensConnectionID, Bank: c.Bank, State: string(c.State), Screen: screenOf(c.State), Message: c.Message,
		Keep: keep, NextTry: c.NextTry, LocalID: c.LocalID}
	if v.Screen == screenOK {
		v.Screen = screenRepaired
	}
	if problem != "" {
		v.Problem = s.localeOf(r).T("problem." + problemKey(problem))
	}
	if v.Screen == screenAnswer || v.Screen == screenCredentials {
		v.Fields = s.formFields(r, c.Fields, typed, errs)
	}
	p := &page{Title: "state.title", Nav: "connections", Data: v}
	switch v.Screen {
	case screenValidating:
		p.Refresh = 2
	case screenTransient:
		p.Refresh = 30 // the bank may be back: look again, as the page says
	}
	s.render(w, r, status, "state", p)
}

// handleStateFields posts the fields a state asks for (an OTP, an answer,
// new credentials); a refused value leads back to the same screen, said
// plainly, and a state that moved on leads to the current one.
func (s *Handler) handleStateFields(w http.ResponseWriter, r *http.Request) {
	c, err := s.checkConnection(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	keep := keepList(r.PostForm.Get("keep"))
	if sc := screenOf(c.State); sc != screenAnswer && sc != screenCredentials {
		http.Redirect(w, r, stateURL(c.PowensConnectionID, joinIDs(keep), ""), http.StatusSeeOther)
		return
	}
	values, errs := freenahi.CheckFields(c.Fields, postedFields(r.PostForm))
	if len(errs) > 0 {
		s.renderState(w, r, http.StatusBadRequest, c, joinIDs(keep), "", r.PostForm, errs)
		return
	}
	sealed, err := s.Aggregator.SealValues(r.Context(), values)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.runJob(w, r, aggregator.JobSendFields, aggregator.JobArgs{PowensConnectionID: c.PowensConnectionID, Sealed: sealed, Keep: keep})
}

// handleStateResume resumes a decoupled validation in the background; the
// job waits until the bank app's answer is in.
func (s *Handler) handleStateResume(w http.ResponseWriter, r *http.Request) {
	s.startStateJob(w, r, aggregator.JobResume)
}

// handleStateRetry syncs with the person present (SCARequired, after an
// actionNeeded dealt with at the bank, or a transient failure).
func (s *Handler) handleStateRetry(w http.ResponseWriter, r *http.Request) {
	s.startStateJob(w, r, aggregator.JobRetry)
}

func (s *Handler) startStateJob(w http.ResponseWriter, r *http.Request, kind string) {
	c, err := s.checkConnection(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.runJob(w, r, kind, aggregator.JobArgs{PowensConnectionID: c.PowensConnectionID, Keep: keepList(r.PostForm.Get("keep"))})
}

// handleStateWebauth sends the person back to the bank's page to repair a
// webauthRequired connection (the failing source, when one is named).
func (s *Handler) handleStateWebauth(w http.ResponseWriter, r *http.Request) {
	c, err := s.checkConnection(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	keep := joinIDs(keepList(r.PostForm.Get("keep")))
	state := s.signFlowState(sessionFrom(r.Context()), flowState{Kind: "webauth", Connection: c.PowensConnectionID, Source: c.WebauthSource, Keep: keep})
	s.runJob(w, r, aggregator.JobRepairWebauth, aggregator.JobArgs{PowensConnectionID: c.PowensConnectionID, Source: c.WebauthSource,
		Back: aggregator.WebauthReturn{RedirectURI: s.callbackURL(r), State: state}})
}

func stateURL(pid int64, keep, problem string) string {
	q := url.Values{}
	setIf(q, "keep", keep)
	setIf(q, "problem", problem)
	return withQuery("/connect/c/"+strconv.FormatInt(pid, 10), q)
}

func activateURL(pid int64, keep, problem string) string {
	q := url.Values{}
	setIf(q, "keep", keep)
	setIf(q, "problem", problem)
	return withQuery("/connect/c/"+strconv.FormatInt(pid, 10)+"/accounts", q)
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
