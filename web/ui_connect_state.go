package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// Every connection state has its own screen and action, as Powens' guide to
// SCA and connection states describes. Connections are addressed here by
// their Powens id and always read through the person's own Powens token:
// another person's id is simply not found.

func (s *Server) registerUIStateRoutes() {
	s.mux.HandleFunc("GET /connect/c/{pid}", s.signedIn(s.handleStateView))
	s.mux.HandleFunc("POST /connect/c/{pid}/answer", s.signedIn(s.handleStateAnswer))
	s.mux.HandleFunc("POST /connect/c/{pid}/credentials", s.signedIn(s.handleStateCredentials))
	s.mux.HandleFunc("POST /connect/c/{pid}/resume", s.signedIn(s.handleStateResume))
	s.mux.HandleFunc("POST /connect/c/{pid}/retry", s.signedIn(s.handleStateRetry))
	s.mux.HandleFunc("POST /connect/c/{pid}/webauth", s.signedIn(s.handleStateWebauth))
	s.mux.HandleFunc("GET /connect/c/{pid}/accounts", s.signedIn(s.handleActivateForm))
	s.mux.HandleFunc("POST /connect/c/{pid}/accounts", s.signedIn(s.handleActivate))
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

// powensConnection reads one of the person's connections at Powens.
func (s *Server) powensConnection(ctx context.Context, pid int64) (*powens.Connection, error) {
	agg, err := s.aggregator()
	if err != nil {
		return nil, err
	}
	var conn *powens.Connection
	err = agg.Do(ctx, userFrom(ctx).ID, func(u *powens.UserClient) error {
		var err error
		conn, err = u.GetConnection(ctx, pid, "sources", "connector")
		return err
	})
	if powens.IsNotFound(err) {
		return nil, freenahi.Errorf(freenahi.ENOTFOUND, "Connection %d not found.", pid)
	}
	return conn, err
}

// connectionOf reads the connection named by the path.
func (s *Server) connectionOf(r *http.Request) (*powens.Connection, error) {
	pid, err := pathID(r.PathValue("pid"), "Connection")
	if err != nil {
		return nil, err
	}
	return s.powensConnection(r.Context(), pid)
}

func (s *Server) handleStateView(w http.ResponseWriter, r *http.Request) {
	conn, err := s.connectionOf(r)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	keep := keepList(r.URL.Query().Get("keep"))
	if conn.ConnectionState() == freenahi.StateOK {
		http.Redirect(w, r, activateURL(conn.ID, keep, ""), http.StatusSeeOther)
		return
	}
	s.renderState(w, r, http.StatusOK, conn, keep, r.URL.Query().Get("problem"), nil, nil)
}

// renderState shows the screen of conn's state.
func (s *Server) renderState(w http.ResponseWriter, r *http.Request, status int, conn *powens.Connection, keep, problem string, typed url.Values, errs map[string]string) {
	st := conn.ConnectionState()
	v := stateView{ID: conn.ID, State: string(st), Screen: screenOf(st), Keep: keep, NextTry: conn.NextTry.Ptr()}
	if conn.Connector != nil {
		v.Bank = conn.Connector.Name
	}
	if conn.ErrorMessage != nil {
		v.Message = *conn.ErrorMessage
	}
	if problem != "" {
		v.Problem = s.localeOf(r).T("problem." + problemKey(problem))
	}
	switch v.Screen {
	case screenAnswer:
		v.Fields = formFields(conn.Fields, typed, errs)
	case screenCredentials:
		v.Fields = formFields(s.credentialFields(r.Context(), conn), typed, errs)
	}
	v.LocalID = s.localConnectionID(r.Context(), conn.ID)
	p := &page{Title: "state.title", Nav: "connections", Data: v}
	if v.Screen == screenValidating {
		p.Refresh = 2
	}
	s.render(w, r, status, "state", p)
}

// credentialFields are the fields to post new credentials: those Powens
// returned with the connection, else the credentials fields of its sources.
func (s *Server) credentialFields(ctx context.Context, conn *powens.Connection) []powens.Field {
	if len(conn.Fields) > 0 {
		return conn.Fields
	}
	c, err := s.Aggregator.Client().GetConnector(ctx, cmpStr(conn.ConnectorUUID, itoaPtr(conn.IDConnector)), "sources", "fields")
	if err != nil {
		loggerFrom(ctx, s.Logger).Warn("connector fields unavailable", slog.Any("error", err))
		return nil
	}
	var out []powens.Field
	for _, f := range fieldsFor(c.Fields, "", "credentials", nil) {
		if len(f.ConnectorSources) == 0 || slices.ContainsFunc(conn.Sources, func(src powens.ConnectionSource) bool {
			return slices.Contains(f.ConnectorSources, src.Name)
		}) {
			out = append(out, f)
		}
	}
	return out
}

// localConnectionID finds our id of a Powens connection, 0 when not yet ingested.
func (s *Server) localConnectionID(ctx context.Context, pid int64) int64 {
	conns, err := s.Connections.FindConnections(ctx, userFrom(ctx).ID)
	if err != nil {
		return 0
	}
	for _, c := range conns {
		if c.PowensID == pid && c.Deleted == nil {
			return c.ID
		}
	}
	return 0
}

// handleStateAnswer posts the fields of additionalInformationNeeded (an OTP,
// an answer); a refused code leads back to the same screen, said plainly.
func (s *Server) handleStateAnswer(w http.ResponseWriter, r *http.Request) {
	s.postStateFields(w, r, freenahi.StateAdditionalInformationNeeded, "job.answer", "wrongcode")
}

// handleStateCredentials posts new credentials for wrongpass and passwordExpired.
func (s *Server) handleStateCredentials(w http.ResponseWriter, r *http.Request) {
	s.postStateFields(w, r, "", "job.credentials", "wrongpass")
}

func (s *Server) postStateFields(w http.ResponseWriter, r *http.Request, want freenahi.ConnectionState, label, refused string) {
	conn, err := s.connectionOf(r)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	keep, screen := keepList(r.PostForm.Get("keep")), screenOf(conn.ConnectionState())
	if want != "" && conn.ConnectionState() != want || want == "" && screen != screenCredentials {
		// The state moved on since the page was shown: show the current one.
		http.Redirect(w, r, stateURL(conn.ID, keep, ""), http.StatusSeeOther)
		return
	}
	fields := conn.Fields
	if screen == screenCredentials {
		fields = s.credentialFields(r.Context(), conn)
	}
	values, errs := readFields(fields, r.PostForm)
	if len(errs) > 0 {
		s.renderState(w, r, http.StatusBadRequest, conn, keep, "", r.PostForm, errs)
		return
	}
	userID, pid := userFrom(r.Context()).ID, conn.ID
	s.runJob(w, r, label, func(ctx context.Context) (string, error) {
		sealed, err := s.encryptFields(ctx, values)
		if err != nil {
			return "", err
		}
		err = s.Aggregator.Do(ctx, userID, func(u *powens.UserClient) error {
			_, _, err := u.UpdateConnection(ctx, pid, powens.UpdateConnection{Fields: sealed})
			return err
		})
		if powens.IsCode(err, powens.CodeWrongpass) {
			return stateURL(pid, keep, refused), nil
		} else if err != nil {
			return "", err
		}
		return s.afterChange(ctx, userID, pid, keep), nil
	})
}

// handleStateResume resumes a decoupled validation in the background and
// polls the connection until the bank app's answer is in.
func (s *Server) handleStateResume(w http.ResponseWriter, r *http.Request) {
	conn, err := s.connectionOf(r)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	userID, pid, keep := userFrom(r.Context()).ID, conn.ID, keepList(r.PostForm.Get("keep"))
	s.runJob(w, r, "job.decoupled", func(ctx context.Context) (string, error) {
		err := s.Aggregator.Do(ctx, userID, func(u *powens.UserClient) error {
			if _, _, err := u.UpdateConnection(ctx, pid, powens.UpdateConnection{Resume: true, Background: true}); err != nil {
				return err
			}
			return s.waitValidation(ctx, u, pid)
		})
		if err != nil {
			return "", err
		}
		return s.afterChange(ctx, userID, pid, keep), nil
	})
}

// waitValidation polls until the connection leaves decoupled and validating.
func (s *Server) waitValidation(ctx context.Context, u *powens.UserClient, pid int64) error {
	t := time.NewTicker(s.UI.PollInterval)
	defer t.Stop()
	for {
		conn, err := u.GetConnection(ctx, pid, "sources")
		if err != nil {
			return err
		}
		if st := conn.ConnectionState(); st != freenahi.StateDecoupled && st != freenahi.StateValidating {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// handleStateRetry syncs with the person present: an empty update, which is
// how Powens' guide answers SCARequired; it also rechecks a connection after
// an actionNeeded was dealt with at the bank, or a transient failure.
func (s *Server) handleStateRetry(w http.ResponseWriter, r *http.Request) {
	conn, err := s.connectionOf(r)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	userID, pid, keep := userFrom(r.Context()).ID, conn.ID, keepList(r.PostForm.Get("keep"))
	s.runJob(w, r, "job.retry", func(ctx context.Context) (string, error) {
		err := s.Aggregator.Do(ctx, userID, func(u *powens.UserClient) error {
			_, _, err := u.UpdateConnection(ctx, pid, powens.UpdateConnection{})
			return err
		})
		if err != nil {
			return "", err
		}
		return s.afterChange(ctx, userID, pid, keep), nil
	})
}

// handleStateWebauth sends the person back to the bank's page to repair a
// webauthRequired connection (the failing source, when one is named).
func (s *Server) handleStateWebauth(w http.ResponseWriter, r *http.Request) {
	conn, err := s.connectionOf(r)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	source := ""
	for _, src := range conn.Sources {
		if src.State != nil && *src.State == string(freenahi.StateWebauthRequired) {
			source = src.Name
		}
	}
	keep := keepList(r.PostForm.Get("keep"))
	back := s.callbackURL(r)
	state := s.signFlowState(sessionFrom(r.Context()), flowState{Kind: "webauth", Connection: conn.ID, Source: source, Keep: keep})
	userID, pid := userFrom(r.Context()).ID, conn.ID
	s.runJob(w, r, "job.webauth", func(ctx context.Context) (string, error) {
		var code *powens.AuthCode
		err := s.Aggregator.Do(ctx, userID, func(u *powens.UserClient) (err error) {
			code, err = u.TemporaryCode(ctx, powens.CodeSingleAccess)
			return err
		})
		if err != nil {
			return "", err
		}
		return s.Aggregator.Client().BrowserWebauthURL(powens.Webauth{RedirectURI: back, ConnectionID: pid, Source: source, State: state}, code.Code)
	})
}

// afterChange pulls the connection's data now, whatever its state, so the
// connections page shows it (a half-finished connection shows as needing
// action), and returns its state screen. A failed pull is not the person's
// problem: the webhook and the periodic pull will bring the data.
func (s *Server) afterChange(ctx context.Context, userID, pid int64, keep string) string {
	if err := s.Aggregator.PullConnection(ctx, userID, pid); err != nil {
		loggerFrom(ctx, s.Logger).Warn("pull after a connection change failed", slog.Int64("powens_connection_id", pid), slog.Any("error", err))
	}
	return stateURL(pid, keep, "")
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

func itoaPtr(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}
