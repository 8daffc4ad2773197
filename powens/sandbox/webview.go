package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

var (
	webviewLangs = []string{"en", "fr", "de", "nl", "pt", "it", "es"}
	webviewFlows = []string{"connect", "manage", "reconnect"}
)

// registerWebviewRoutes serves the Connect/Manage/Reconnect webview at
// /{lang}/{flow} (webview.powens.com's shape) and at the legacy
// /2.0/auth/webview/{lang}/{flow}, plus an index page listing the logins.
func (s *Server) registerWebviewRoutes(m, pages *http.ServeMux) {
	pages.HandleFunc("GET /{lang}/{flow}", s.handleWebviewStart)
	pages.HandleFunc("POST /{lang}/{flow}", s.handleWebviewStep)
	m.HandleFunc("GET /2.0/auth/webview/{lang}/{flow}", s.handleWebviewStart)
	m.HandleFunc("POST /2.0/auth/webview/{lang}/{flow}", s.handleWebviewStep)
	pages.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		s.render(w, http.StatusOK, "message", &page{Title: "Powens sandbox", Logins: loginDocs,
			Text: "A local Powens: the API is served under /2.0/, the webview under /{lang}/connect."})
	})
}

// webviewCheck validates a webview start URL; "" means valid.
func (s *Server) webviewCheck(flow string, q url.Values) string {
	switch {
	case q.Get("client_id") != s.cfg.ClientID:
		return "Unknown client_id."
	case s.cfg.Domain != "" && strings.TrimSuffix(q.Get("domain"), ".biapi.pro") != s.cfg.Domain:
		return "Unknown domain."
	case flow != "manage" && q.Get("redirect_uri") == "":
		return "Missing redirect_uri."
	case flow != "connect" && q.Get("code") == "":
		return "Missing code."
	case flow == "reconnect" && q.Get("connection_id") == "":
		return "Missing connection_id."
	}
	return ""
}

func (s *Server) handleWebviewStart(w http.ResponseWriter, r *http.Request) {
	lang, flow := r.PathValue("lang"), r.PathValue("flow")
	if !slices.Contains(webviewLangs, lang) || !slices.Contains(webviewFlows, flow) {
		s.render(w, http.StatusNotFound, "message", &page{Title: "Not found"})
		return
	}
	q := r.URL.Query()
	if msg := s.webviewCheck(flow, q); msg != "" {
		s.render(w, http.StatusBadRequest, "message", &page{Lang: lang, Title: "Invalid webview link", Error: msg})
		return
	}
	sess := &session{Kind: "webview", Lang: lang, Flow: flow, RedirectURI: q.Get("redirect_uri"), State: q.Get("state")}
	s.mu.Lock()
	if code := q.Get("code"); code != "" {
		if u := s.useCodeLocked(code); u != nil {
			sess.UserID = u.ID
		}
	} else if u, _, err := s.createUserLocked(false); err == nil {
		// Connect without code: an anonymous user, whose code the callback returns.
		sess.UserID, sess.Anonymous = u.ID, true
	}
	if id, err := strconv.ParseInt(q.Get("connection_id"), 10, 64); err == nil {
		if c := s.st.Connections[id]; c != nil && c.UserID == sess.UserID {
			sess.ConnectionID = id
		}
	}
	s.mu.Unlock()
	switch {
	case sess.UserID == 0:
		s.render(w, http.StatusUnauthorized, "message", &page{Lang: lang, Title: "Session expired", Error: "The code is invalid or expired."})
		return
	case flow == "reconnect" && sess.ConnectionID == 0:
		s.render(w, http.StatusNotFound, "message", &page{Lang: lang, Title: "Unknown connection"})
		return
	}
	for _, ref := range strings.Split(q.Get("connector_uuids")+","+q.Get("connector_ids"), ",") {
		if b := s.findBank(ref); b != nil && sess.ConnectorID == 0 {
			sess.ConnectorID = b.ID
		}
	}
	id := s.newSession(sess)
	s.webviewShow(w, id, sess, "")
}

// webviewShow renders the step the session is at.
func (s *Server) webviewShow(w http.ResponseWriter, id string, sess *session, errText string) {
	p := &page{Lang: sess.Lang, Session: id, Error: errText, Logins: loginDocs}
	s.mu.Lock()
	c := s.st.Connections[sess.ConnectionID]
	if c != nil {
		b := s.bankByID(c.ConnectorID)
		p.BankName, p.Color, p.State, p.Message = b.Name, b.Color, c.visibleState(), c.ErrorMessage
		p.NeedsOTP, p.NeedsPassword = c.NeedsOTP, p.State == "passwordExpired" || p.State == "wrongpass"
		p.Accounts = s.pageAccountsLocked(c.ID)
	}
	if sess.Flow == "manage" {
		for _, mc := range s.connectionsOfLocked(sess.UserID) {
			p.Connections = append(p.Connections, pageConnection{ID: mc.ID, BankName: s.bankByID(mc.ConnectorID).Name,
				State: mc.visibleState(), Accounts: s.pageAccountsLocked(mc.ID)})
		}
	}
	s.mu.Unlock()
	switch {
	case sess.Flow == "manage":
		p.Title = "Manage"
		s.render(w, http.StatusOK, "manage", p)
	case sess.Flow == "reconnect":
		p.Title = "Reconnect"
		s.render(w, http.StatusOK, "reconnect", p)
	case c != nil && c.NeedsOTP:
		p.Title = "Code"
		s.render(w, http.StatusOK, "otp", p)
	case c != nil && c.State == "decoupled":
		p.Title = "Approve"
		s.render(w, http.StatusOK, "decoupled", p)
	case c != nil:
		p.Title = "Accounts"
		s.render(w, http.StatusOK, "accounts", p)
	case sess.ConnectorID != 0:
		b := s.bankByID(sess.ConnectorID)
		p.Title, p.BankName, p.Color, p.ConnectorID = b.Name, b.Name, b.Color, b.ID
		p.Fields = b.fieldsFor(b.firstCredentialsSource().Name)
		s.render(w, http.StatusOK, "form", p)
	default:
		p.Title, p.Banks = "Choose your bank", s.banks
		s.render(w, http.StatusOK, "pick", p)
	}
}

func (s *Server) pageAccountsLocked(connID int64) []pageAccount {
	var out []pageAccount
	for _, a := range s.accountsOfLocked(connID) {
		pa := s.accountJSONLocked(a)
		out = append(out, pageAccount{ID: a.ID, Name: a.Name, Type: pa.Type, Balance: string(pa.Balance), Disabled: !a.Disabled.IsZero()})
	}
	return out
}

// handleWebviewStep handles one form post of a webview session.
func (s *Server) handleWebviewStep(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("session")
	sess := s.getSession(id, "webview")
	if sess == nil {
		s.render(w, http.StatusBadRequest, "message", &page{Title: "Session expired", Error: "Start again from the application."})
		return
	}
	var err *apiError
	switch step := r.PostFormValue("step"); {
	case step == "cancel":
		s.endSession(id)
		redirectTo(w, r, sess.RedirectURI, url.Values{"error": {"access_denied"}, "error_description": {"The user cancelled."}, "state": {sess.State}})
		return
	case step == "pick":
		if b := s.findBank(r.PostFormValue("connector")); b != nil {
			sess.ConnectorID = b.ID
		}
	case step == "add":
		sess.Flow, sess.ConnectorID, sess.ConnectionID = "connect", 0, 0
	case step == "credentials":
		err = s.webviewCredentials(r, sess)
	case step == "otp":
		err = s.update(sess.ConnectionID, map[string]string{"otp": r.PostFormValue("otp")}, nil)
	case step == "decoupled":
		err = s.resume(sess.ConnectionID, false)
	case step == "authorize", step == "reconnect":
		s.mu.Lock()
		if c := s.st.Connections[sess.ConnectionID]; c != nil && step == "authorize" {
			s.repairWebauthLocked(c, "")
		} else if c != nil {
			s.runSyncLocked(c, syncUser)
		}
		s.mu.Unlock()
	case step == "accounts":
		s.webviewActivate(sess.ConnectionID, r.PostForm["account"])
		s.webviewFinish(w, r, id, sess)
		return
	case step == "done":
		s.webviewFinish(w, r, id, sess)
		return
	default:
		s.webviewManage(r, sess)
	}
	if err == nil && sess.Flow == "reconnect" && s.connectionOK(sess.ConnectionID) {
		s.webviewFinish(w, r, id, sess)
		return
	}
	errText := ""
	if err != nil {
		errText = cmpOr(err.Message, err.Description)
	}
	s.webviewShow(w, id, sess, errText)
}

func (s *Server) connectionOK(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.Connections[id]
	return c != nil && c.visibleState() == ""
}

// webviewCredentials creates the connection (connect) or posts a new password (reconnect).
func (s *Server) webviewCredentials(r *http.Request, sess *session) *apiError {
	if sess.Flow == "reconnect" {
		return s.update(sess.ConnectionID, map[string]string{"password": r.PostFormValue("password")}, nil)
	}
	b := s.bankByID(sess.ConnectorID)
	if b == nil {
		return errInvalid("Choose a bank first.")
	}
	src := b.firstCredentialsSource()
	values := map[string]string{}
	for _, f := range b.fieldsFor(src.Name) {
		values[f.Name] = r.PostFormValue(f.Name)
	}
	if err := checkFields(b.fieldsFor(src.Name), values); err != nil {
		return err
	}
	c, err := s.createConnection(sess.UserID, b, src, values)
	if err == nil {
		sess.ConnectionID = c.ID
	}
	return err
}

// webviewActivate enables the accounts the person ticked (the consent step).
func (s *Server) webviewActivate(connID int64, ids []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []*account
	for _, a := range s.accountsOfLocked(connID) {
		if slices.Contains(ids, strconv.FormatInt(a.ID, 10)) {
			list = append(list, a)
		}
	}
	s.updateAccountsLocked(list, map[string]string{"disabled": "false"})
}

// webviewManage applies the Manage page's enable, disable and delete buttons.
func (s *Server) webviewManage(r *http.Request, sess *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.userAccountLocked(sess.UserID, r.PostFormValue("enable")); a != nil {
		s.updateAccountsLocked([]*account{a}, map[string]string{"disabled": "false"})
	}
	if a := s.userAccountLocked(sess.UserID, r.PostFormValue("disable")); a != nil {
		s.updateAccountsLocked([]*account{a}, map[string]string{"disabled": "true"})
	}
	if id, err := strconv.ParseInt(r.PostFormValue("delete"), 10, 64); err == nil {
		if c := s.st.Connections[id]; c != nil && c.UserID == sess.UserID {
			s.emitLocked(c.UserID, c.ID, "connection_deleted", s.connJSONLocked(c, nil))
			s.deleteConnectionLocked(id)
		}
	}
}

// webviewFinish redirects to redirect_uri: connection_id and state, plus a
// code to exchange when the flow created an anonymous user.
func (s *Server) webviewFinish(w http.ResponseWriter, r *http.Request, id string, sess *session) {
	s.endSession(id)
	if sess.RedirectURI == "" {
		s.render(w, http.StatusOK, "message", &page{Lang: sess.Lang, Title: "All set", Text: "You can close this window."})
		return
	}
	params := url.Values{"state": {sess.State}}
	if sess.ConnectionID != 0 && sess.Flow != "reconnect" {
		params.Set("connection_id", strconv.FormatInt(sess.ConnectionID, 10))
	}
	if sess.Anonymous {
		s.mu.Lock()
		params.Set("code", s.newCodeLocked(sess.UserID, false))
		s.mu.Unlock()
	}
	redirectTo(w, r, sess.RedirectURI, params)
}
