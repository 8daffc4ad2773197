package sandbox

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

func (s *Server) registerWebauthRoutes(m, pages *http.ServeMux) {
	m.HandleFunc("GET /2.0/webauth-url", s.handleWebauthURL)
	m.HandleFunc("GET /2.0/webauth", s.handleWebauth)
	pages.HandleFunc("GET /bank/authorize", s.handleBankPage)
	pages.HandleFunc("POST /bank/authorize", s.handleBankDecision)
}

// webauthTarget is what a webauth flow acts on: a new connection to a
// connector's webauth source, or an existing connection to repair.
type webauthTarget struct {
	bank         *bank
	source       string
	connectionID int64
}

// resolveWebauth validates the shared parameters of /webauth-url and /webauth.
func (s *Server) resolveWebauth(q url.Values, userID int64) (*webauthTarget, *apiError) {
	switch {
	case q.Get("client_id") != s.cfg.ClientID:
		return nil, errInvalid("Unknown client_id.")
	case q.Get("redirect_uri") == "":
		return nil, errMissing("redirect_uri")
	case strings.Contains(q.Get("redirect_uri"), "?"):
		return nil, errInvalid("redirect_uri must not contain a query string.")
	}
	t := &webauthTarget{source: q.Get("source")}
	if id := q.Get("id_connection"); id != "" {
		n, _ := strconv.ParseInt(id, 10, 64)
		s.mu.Lock()
		defer s.mu.Unlock()
		c := s.st.Connections[n]
		if c == nil || c.UserID != userID {
			return nil, errNotFound("Unknown connection.")
		}
		if c.visibleState() == "" {
			return nil, errf(http.StatusConflict, "invalidValue", "The connection is already up to date.")
		}
		t.bank, t.connectionID = s.bankByID(c.ConnectorID), c.ID
		return t, nil
	}
	if t.bank = s.findBank(cmpOr(q.Get("connector_uuid"), q.Get("id_connector"))); t.bank == nil {
		return nil, errInvalid("Unknown connector.")
	}
	for _, src := range t.bank.Sources {
		if src.AuthMechanism == "webauth" && (t.source == "" || t.source == src.Name) {
			t.source = src.Name
			return t, nil
		}
	}
	return nil, errInvalid("The connector has no webauth source %q.", t.source)
}

// handleWebauthURL answers {"url"}: the /webauth address with a fresh single-use code.
func (s *Server) handleWebauthURL(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	if _, err := s.resolveWebauth(q, u.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.mu.Lock()
	code := s.newCodeLocked(u.ID, true)
	s.mu.Unlock()
	q.Set("token", code)
	writeJSON(w, http.StatusOK, map[string]string{"url": s.baseURL(r) + "/2.0/webauth?" + q.Encode()})
}

// handleWebauth is the browser entry: it checks the temporary code and
// redirects (307, as documented) to the sandbox's own bank page.
func (s *Server) handleWebauth(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	u := s.useCodeLocked(q.Get("token"))
	s.mu.Unlock()
	if u == nil {
		s.fail(w, r, errf(http.StatusUnauthorized, "forbidden", "Invalid or expired token."))
		return
	}
	t, err := s.resolveWebauth(q, u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := map[string]string{}
	for _, f := range t.bank.Fields {
		if v := q.Get(f.Name); v != "" && f.Type == "list" {
			values[f.Name] = v
		}
	}
	id := s.newSession(&session{Kind: "bank", UserID: u.ID, RedirectURI: q.Get("redirect_uri"), State: q.Get("state"),
		ConnectorID: t.bank.ID, Source: t.source, ConnectionID: t.connectionID, Values: values})
	http.Redirect(w, r, s.baseURL(r)+"/bank/authorize?session="+url.QueryEscape(id), http.StatusTemporaryRedirect)
}

func (s *Server) bankPage(sess *session, id string) *page {
	b := s.bankByID(sess.ConnectorID)
	return &page{Title: b.Name, BankName: b.Name, Color: b.Color, Source: cmpOr(sess.Source, "openapi"),
		Session: id, Action: "/bank/authorize", Logins: loginDocs}
}

// handleBankPage shows the bank's consent page with Authorize and Deny buttons.
func (s *Server) handleBankPage(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("session")
	sess := s.getSession(id, "bank")
	if sess == nil {
		s.render(w, http.StatusBadRequest, "message", &page{Title: "Session expired", Error: "Start again from the application."})
		return
	}
	s.render(w, http.StatusOK, "bank", s.bankPage(sess, id))
}

// handleBankDecision redirects to redirect_uri with id_connection and state,
// or with error=access_denied when the person denies.
func (s *Server) handleBankDecision(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("session")
	sess := s.getSession(id, "bank")
	if sess == nil {
		s.render(w, http.StatusBadRequest, "message", &page{Title: "Session expired", Error: "Start again from the application."})
		return
	}
	s.endSession(id)
	back := url.Values{"state": {sess.State}}
	if r.PostFormValue("action") != "authorize" {
		back.Set("error", "access_denied")
		back.Set("error_description", "The user denied access.")
		redirectTo(w, r, sess.RedirectURI, back)
		return
	}
	connID, err := s.authorizeWebauth(sess, r.PostFormValue("login"))
	if err != nil {
		back.Set("error", err.Code)
		back.Set("error_description", err.Description)
		redirectTo(w, r, sess.RedirectURI, back)
		return
	}
	back.Set("id_connection", strconv.FormatInt(connID, 10))
	redirectTo(w, r, sess.RedirectURI, back)
}

// authorizeWebauth completes a webauth flow: it repairs the connection (and
// its waiting webauth source), or creates a connection on the webauth
// source, scripted by the login typed on the bank page.
func (s *Server) authorizeWebauth(sess *session, login string) (int64, *apiError) {
	if sess.ConnectionID == 0 {
		values := map[string]string{"login": login}
		for k, v := range sess.Values {
			values[k] = v
		}
		if sc := scriptOf(login); sc == "2fa" || sc == "decoupled" {
			values["login"] = "demo" // the bank page itself was the strong authentication
		}
		b := s.bankByID(sess.ConnectorID)
		c, err := s.createConnection(sess.UserID, b, b.source(sess.Source), values)
		if err != nil {
			return 0, err
		}
		return c.ID, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.Connections[sess.ConnectionID]
	if c == nil {
		return 0, errNotFound("Unknown connection.")
	}
	s.repairWebauthLocked(c, sess.Source)
	return c.ID, nil
}

// repairWebauthLocked authenticates c's waiting webauth source (adding
// source when it is new) and syncs.
func (s *Server) repairWebauthLocked(c *connection, source string) {
	b := s.bankByID(c.ConnectorID)
	found := false
	for _, src := range c.Sources {
		if src.Name == source || source == "" && src.State == "webauthRequired" {
			src.State, found = "", true
		}
	}
	if src := b.source(source); !found && src != nil && src.AuthMechanism == "webauth" {
		s.addSourceLocked(c, src, "")
	}
	if c.State == "webauthRequired" || c.State == "SCARequired" {
		c.State = ""
	}
	s.runSyncLocked(c, syncWebauth)
}
