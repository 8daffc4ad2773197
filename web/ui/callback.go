package ui

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// The bank's page (webauth) sends the person back to the callback with a
// state we gave it. The state is signed with a key
// derived from the session id, so it is bound to the browser that left: a
// callback link replayed in another session, or a forged one, is refused.
// It also carries what to do next, so nothing about the flow is kept
// server-side and a restart in between loses nothing.

// flowState is what the callback learns from the state parameter.
type flowState struct {
	// Kind is "webauth" (the bank's page); the field leaves room for others.
	Kind      string `json:"k"`
	Connector string `json:"c,omitempty"`
	Source    string `json:"s,omitempty"`
	// Connection is the Powens id of the connection repaired or extended.
	Connection int64  `json:"p,omitempty"`
	Keep       string `json:"a,omitempty"`
	Expires    int64  `json:"e"`
}

// flowStateLifetime bounds how long a person may stay at the bank.
const flowStateLifetime = time.Hour

func (s *Handler) signFlowState(sess *uiSession, st flowState) string {
	st.Expires = s.Now().Add(flowStateLifetime).Unix()
	payload, _ := json.Marshal(st)
	p := base64.RawURLEncoding.EncodeToString(payload)
	return p + "." + base64.RawURLEncoding.EncodeToString(stateMAC(sess, p))
}

func stateMAC(sess *uiSession, payload string) []byte {
	m := hmac.New(sha256.New, derive(sess.id, "state"))
	m.Write([]byte(payload))
	return m.Sum(nil)[:16]
}

// openState checks a state's signature and expiry.
func (s *Handler) openFlowState(sess *uiSession, raw string) (*flowState, error) {
	bad := freenahi.Errorf(freenahi.EFORBIDDEN, "This return link does not belong to your current session.")
	p, mac, ok := strings.Cut(raw, ".")
	got, err := base64.RawURLEncoding.DecodeString(mac)
	if !ok || err != nil || !hmac.Equal(got, stateMAC(sess, p)) {
		return nil, bad
	}
	var st flowState
	if b, err := base64.RawURLEncoding.DecodeString(p); err != nil || json.Unmarshal(b, &st) != nil {
		return nil, bad
	}
	if s.Now().Unix() > st.Expires {
		return nil, freenahi.Errorf(freenahi.EFORBIDDEN, "This return link has expired; start again.")
	}
	return &st, nil
}

// callbackPath is the path the webauth callback is served at: that of
// UI.CallbackURL, which Powens requires to be whitelisted.
func (s *Handler) callbackPath() string {
	if u, err := url.Parse(s.Config.CallbackURL); err == nil && s.Config.CallbackURL != "" && u.Path != "" {
		return u.Path
	}
	return "/connect/callback"
}

// callbackURL is the absolute redirect URI given to the bank's page.
func (s *Handler) callbackURL(r *http.Request) string {
	if s.Config.CallbackURL != "" {
		return s.Config.CallbackURL
	}
	scheme := "http"
	if s.overTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/connect/callback"
}

// callbackView is the callback's page when something went wrong.
type callbackView struct {
	Problem string
	Retry   string
	// Done and Imported report a webview visit that worked, and how many
	// connections it brought.
	Done     bool
	Imported int
	// Updated counts the connections the person already had (repaired or
	// reconnected through the webview).
	Updated int
}

// handleCallback ends a visit to the bank's page: errors in plain words,
// else a pull and on to the connection's state (which leads to activation).
func (s *Handler) handleCallback(w http.ResponseWriter, r *http.Request) {
	br, err := aggregator.ParseBankReturn(r.URL.Query())
	var st *flowState
	if err == nil {
		st, err = s.openFlowState(sessionFrom(r.Context()), br.State)
	}
	if err != nil {
		s.render(w, r, http.StatusBadRequest, "callback", &page{Title: "callback.title", Nav: "connections",
			Data: callbackView{Problem: s.localeOf(r).T("callback.bad_state"), Retry: "/connections"}})
		return
	}
	if br.Problem != nil {
		s.render(w, r, http.StatusOK, "callback", &page{Title: "callback.title", Nav: "connections",
			Data: callbackView{Problem: s.localeOf(r).Err(br.Problem), Retry: st.retryURL()}})
		return
	}
	pid := cmp.Or(br.ConnectionID, st.Connection)
	if pid == 0 {
		respond.Error(w, r, freenahi.Errorf(freenahi.EINVALID, "The bank sent you back without naming a connection."))
		return
	}
	if _, err := s.aggregator(); err != nil {
		respond.Error(w, r, err)
		return
	}
	s.runJob(w, r, aggregator.JobBackFromBank, aggregator.JobArgs{PowensConnectionID: pid, Keep: keepList(st.Keep)})
}

// retryURL is where to start again after a refusal at the bank.
func (st *flowState) retryURL() string {
	switch {
	case st.Connection > 0:
		return stateURL(st.Connection, st.Keep, "")
	case st.Connector != "":
		return "/connect/bank/" + url.PathEscape(st.Connector)
	}
	return "/connections"
}

// redirectToWebview sends the person to a Powens webview flow. conn is our
// connection for reconnect, nil for connect and manage. The webview comes
// back to POWENS_REDIRECT_URL, the server's webview callback, with a state
// naming the user (Server.signState), not to the webauth callback.
func (s *Handler) redirectToWebview(w http.ResponseWriter, r *http.Request, flow string, conn *freenahi.Connection) {
	agg, err := s.aggregator()
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var localID int64
	if conn != nil {
		localID = conn.ID
	}
	userID := request.User(r.Context()).ID
	link, err := agg.WebviewURL(r.Context(), userID, flow, localID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
}

// handleWebviewCallback is where the Powens webview sends the person back
// (POWENS_REDIRECT_URL). It needs no session: the aggregator reads whose
// visit it was from the signed state, pulls the connections it names, and
// the page says what happened in the person's language.
func (s *Handler) handleWebviewCallback(w http.ResponseWriter, r *http.Request) {
	v := callbackView{Retry: "/connections"}
	status := http.StatusOK
	agg, err := s.aggregator()
	var res *aggregator.WebviewResult
	if err == nil {
		res, err = agg.HandleWebviewCallback(r.Context(), r.URL.Query())
	}
	switch {
	case err != nil && freenahi.ErrorCode(err) == freenahi.EINTERNAL:
		respond.Error(w, r, err)
		return
	case err != nil:
		status, v.Problem = respond.Status(freenahi.ErrorCode(err)), s.localeOf(r).Err(err)
	case res.Problem != nil:
		v.Problem = s.localeOf(r).Err(res.Problem)
	default:
		v.Imported, v.Updated = len(res.PowensConnectionIDs)-res.Known, res.Known
		v.Done = true
	}
	r = s.withOptionalSession(w, r) // signed in here: the page shows the navigation
	s.render(w, r, status, "callback", &page{Title: "callback.title", Nav: "connections", Data: v})
}
