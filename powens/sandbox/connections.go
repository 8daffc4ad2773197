package sandbox

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

const maxConnectionsPerUser = 50

// metaKeys are body keys of connection requests that are not field values.
var metaKeys = []string{"connector_uuid", "id_connector", "source", "expand", "resume", "active", "expire",
	"refresh_auth", "background", "psu_requested"}

func (s *Server) registerConnectionRoutes(m *http.ServeMux) {
	m.HandleFunc("POST /2.0/users/{u}/connections", s.handleConnectionCreate)
	m.HandleFunc("GET /2.0/users/{u}/connections", s.handleConnectionIndex)
	m.HandleFunc("GET /2.0/users/{u}/connections/{id}", s.handleConnectionView)
	m.HandleFunc("POST /2.0/users/{u}/connections/{id}", s.handleConnectionUpdate)
	m.HandleFunc("PUT /2.0/users/{u}/connections/{id}", s.handleConnectionSync)
	m.HandleFunc("DELETE /2.0/users/{u}/connections/{id}", s.handleConnectionDelete)
	m.HandleFunc("GET /2.0/users/{u}/connections/{id}/sources", s.handleConnectionSources)
}

// fieldValues decrypts the field values of a request body.
func (s *Server) fieldValues(v map[string]string) (map[string]string, *apiError) {
	out := map[string]string{}
	for k, val := range v {
		if slices.Contains(metaKeys, k) {
			continue
		}
		clear, err := s.decryptValue(k, val)
		if err != nil {
			return nil, err
		}
		out[k] = clear
	}
	return out, nil
}

// checkFields validates values against a source's form: required, regex, list values.
func checkFields(fields []field, values map[string]string) *apiError {
	for _, f := range fields {
		v := values[f.Name]
		if v == "" {
			if f.Required {
				return errMissing(f.Name)
			}
			continue
		}
		if f.Regex != nil && !regexp.MustCompile(*f.Regex).MatchString(v) {
			return errInvalid("Field %q does not match %s.", f.Name, *f.Regex)
		}
		if f.Type == "list" && !slices.ContainsFunc(f.Values, func(x fieldValue) bool { return x.Value == v }) {
			return errInvalid("Field %q has no value %q.", f.Name, v)
		}
	}
	return nil
}

// connectionStatus is 202 when the person still has to act (2FA, decoupled), else ok.
func connectionStatus(c *connection, ok int) int {
	switch c.State {
	case "additionalInformationNeeded", "decoupled", "validating":
		return http.StatusAccepted
	}
	return ok
}

func (s *Server) handleConnectionCreate(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return
	}
	v, ok := s.readBody(w, r)
	if !ok {
		return
	}
	b := s.findBank(cmpOr(v["connector_uuid"], v["id_connector"], r.URL.Query().Get("id_connector")))
	if b == nil {
		s.fail(w, r, errInvalid("Unknown connector."))
		return
	}
	srcName := cmpOr(r.URL.Query().Get("source"), v["source"])
	src := b.firstCredentialsSource()
	if srcName != "" {
		src = b.source(srcName)
	}
	switch {
	case src == nil:
		s.fail(w, r, errInvalid("Unknown source %q.", srcName))
		return
	case src.AuthMechanism != "credentials":
		s.fail(w, r, errInvalid("Source %q uses webauth: open /webauth instead.", src.Name))
		return
	}
	values, err := s.fieldValues(v)
	if err == nil {
		err = checkFields(b.fieldsFor(src.Name), values)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.createConnection(u.ID, b, src, values)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.mu.Lock()
	out := s.connJSONLocked(c, expands(r))
	s.mu.Unlock()
	writeJSON(w, connectionStatus(c, http.StatusCreated), out)
}

// createConnection checks the credentials (waiting like the bank when the
// login is "slow"), then creates the connection and runs its first sync.
// "wrongpass" creates nothing, as Powens deletes refused connections at once.
func (s *Server) createConnection(userID int64, b *bank, src *connectorSource, values map[string]string) (*connection, *apiError) {
	script := scriptOf(values["login"])
	if script == "slow" && !s.sleep(s.cfg.SlowDelay) {
		return nil, errf(http.StatusServiceUnavailable, "websiteUnavailable", "The sandbox is closing.")
	}
	if script == "wrongpass" {
		return nil, errWrongpass()
	}
	if e := createErrors[script]; e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.Users[userID] == nil {
		return nil, errf(http.StatusUnauthorized, "forbidden", "The user no longer exists.")
	}
	n := 0
	for _, c := range s.connectionsOfLocked(userID) {
		n++
		if c.ConnectorID == b.ID && (c.State == "decoupled" || c.State == "validating") {
			return nil, errDecoupledPending(c.ID)
		}
	}
	if n >= maxConnectionsPerUser || script == "big" && s.st.BigInStorage >= 8 {
		return nil, errf(http.StatusConflict, "tooManySync", "Too many sandbox connections; delete some first.")
	}
	now := s.now()
	s.st.Seq.Connection++
	c := &connection{ID: s.st.Seq.Connection, UserID: userID, ConnectorID: b.ID, Script: script,
		Website: values["website"], Created: now}
	if script == "big" {
		s.st.BigInStorage++
	}
	s.addSourceLocked(c, src, "")
	s.st.Connections[c.ID] = c
	s.runSyncLocked(c, syncCreate)
	return c, nil
}

func (s *Server) addSourceLocked(c *connection, src *connectorSource, state string) *connSource {
	s.st.Seq.Source++
	cs := &connSource{ID: s.st.Seq.Source, ConnectorSourceID: src.ID, Name: src.Name, State: state, Created: s.now()}
	c.Sources = append(c.Sources, cs)
	return cs
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// userConnection finds the user's connection {id}, answering 404 otherwise.
func (s *Server) userConnection(w http.ResponseWriter, r *http.Request) (*user, int64, bool) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return nil, 0, false
	}
	id, err := pathID(r, "id")
	if err == nil {
		s.mu.Lock()
		c := s.st.Connections[id]
		s.mu.Unlock()
		if c == nil || c.UserID != u.ID {
			err = errNotFound("Unknown connection.")
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, 0, false
	}
	return u, id, true
}

func (s *Server) handleConnectionIndex(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return
	}
	exp := expands(r)
	s.mu.Lock()
	list := []*connectionJSON{}
	for _, c := range s.connectionsOfLocked(u.ID) {
		list = append(list, s.connJSONLocked(c, exp))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"connections": list})
}

func (s *Server) connectionsOfLocked(userID int64) []*connection {
	var out []*connection
	for _, c := range s.st.Connections {
		if c.UserID == userID {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *connection) int { return int(a.ID - b.ID) })
	return out
}

func (s *Server) handleConnectionView(w http.ResponseWriter, r *http.Request) {
	if _, id, ok := s.userConnection(w, r); ok {
		s.mu.Lock()
		out := s.connJSONLocked(s.st.Connections[id], expands(r))
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
	}
}

// handleConnectionSync is the forced sync (PUT). Like Powens it refuses a
// connection synced very recently; psu_requested=false is a background sync.
func (s *Server) handleConnectionSync(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.userConnection(w, r)
	if !ok {
		return
	}
	kind := syncUser
	if q := r.URL.Query(); q.Has("psu_requested") && !flag(r, "psu_requested") {
		kind = syncBackground
	}
	s.mu.Lock()
	c := s.st.Connections[id]
	recent := c.State == "" && s.cfg.MinSyncInterval > 0 && s.now().Sub(c.LastUpdate) < s.cfg.MinSyncInterval
	script := c.Script
	s.mu.Unlock()
	if recent {
		s.fail(w, r, errf(http.StatusConflict, "tooManySync", "Can't force synchronization: the connection was synced less than %s ago.", s.cfg.MinSyncInterval))
		return
	}
	if script == "slow" && !s.sleep(s.cfg.SlowDelay) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c = s.st.Connections[id]; c == nil {
		s.fail(w, r, errNotFound("Unknown connection."))
		return
	}
	s.runSyncLocked(c, kind)
	writeJSON(w, connectionStatus(c, http.StatusOK), s.connJSONLocked(c, expands(r)))
}

func (s *Server) handleConnectionDelete(w http.ResponseWriter, r *http.Request) {
	if _, id, ok := s.userConnection(w, r); ok {
		s.mu.Lock()
		c := s.st.Connections[id]
		s.emitLocked(c.UserID, c.ID, "connection_deleted", s.connJSONLocked(c, nil))
		legacy := s.bankByID(c.ConnectorID).Legacy
		s.deleteConnectionLocked(id)
		s.mu.Unlock()
		if legacy {
			writeJSON(w, http.StatusOK, struct{}{}) // older answers: 200 with an empty object
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) deleteConnectionLocked(id int64) {
	if c := s.st.Connections[id]; c != nil && c.Script == "big" {
		s.st.BigInStorage--
	}
	for aid, a := range s.st.Accounts {
		if a.ConnectionID == id {
			delete(s.st.Accounts, aid)
		}
	}
	delete(s.st.Connections, id)
	s.touch()
}

func (s *Server) handleConnectionSources(w http.ResponseWriter, r *http.Request) {
	if _, id, ok := s.userConnection(w, r); ok {
		s.mu.Lock()
		out := s.sourcesJSON(s.st.Connections[id])
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"sources": out})
	}
}

// stateInError reports that c's answers carry its problem the older way:
// in the deprecated error field, with a null state ("olderror" login).
func (c *connection) stateInError() bool { return c.Script == "olderror" }

// visibleState is the connection's state, or else the first failing source's.
func (c *connection) visibleState() string {
	if c.State != "" {
		return c.State
	}
	for _, src := range c.Sources {
		if src.State != "" {
			return src.State
		}
	}
	return ""
}

var otpField = field{Name: "otp", Label: "Code reçu par SMS", Type: "text", Required: true,
	Regex: ptr(`^\d{6}$`), Description: ptr("Saisissez 123456 (le bac à sable refuse tout autre code)."),
	AuthMechanisms: []string{"credentials"}}

// connJSONLocked renders c as a Powens Connection with the requested expansions.
func (s *Server) connJSONLocked(c *connection, exp map[string]bool) *connectionJSON {
	b := s.bankByID(c.ConnectorID)
	state := c.visibleState()
	out := &connectionJSON{ID: c.ID, IDUser: c.UserID, IDConnector: c.ConnectorID, ConnectorUUID: b.UUID,
		State: str(state), Error: str(state), ErrorMessage: str(c.ErrorMessage),
		LastUpdate: datetime{c.LastUpdate}, Created: datetime{c.Created}, Active: !c.Inactive,
		LastPush: datetime{c.LastPush}, NextTry: datetime{c.NextTry}}
	switch {
	case c.NeedsOTP:
		out.Fields = []field{otpField}
	case state == "wrongpass":
		out.Fields = b.fieldsFor(c.Sources[0].Name)
	}
	if c.stateInError() {
		out.State = nil // older answers: the problem only in the deprecated error field
	}
	if exp["connector"] {
		out.Connector = b.json(nil)
	}
	if exp["sources"] {
		out.Sources = s.sourcesJSON(c)
	}
	if exp["accounts"] {
		out.Accounts = []*accountJSON{}
	}
	if exp["all_accounts"] {
		out.AllAccounts = []*accountJSON{}
	}
	if exp["accounts"] || exp["all_accounts"] {
		for _, a := range s.accountsOfLocked(c.ID) {
			pa := s.accountJSONLocked(a)
			if exp["accounts"] && a.Disabled.IsZero() {
				out.Accounts = append(out.Accounts, pa)
			}
			if exp["all_accounts"] {
				out.AllAccounts = append(out.AllAccounts, pa)
			}
		}
	}
	return out
}

// sourcesJSON renders the sources of c.
func (s *Server) sourcesJSON(c *connection) []connectionSourceJSON {
	out := make([]connectionSourceJSON, 0, len(c.Sources))
	for _, src := range c.Sources {
		state := str(src.State)
		if c.stateInError() {
			state = nil
		}
		out = append(out, connectionSourceJSON{ID: src.ID, IDConnection: c.ID,
			IDConnectorSource: src.ConnectorSourceID, Name: src.Name, State: state,
			LastUpdate: datetime{src.LastUpdate}, Created: datetime{src.Created},
			AccessExpire: datetime{consentExpiry(src)}})
	}
	return out
}

// consentExpiry is the PSD2 consent expiry of openapi sources: 180 days after they were added.
func consentExpiry(src *connSource) time.Time {
	if src.Name != "openapi" {
		return time.Time{}
	}
	return src.Created.AddDate(0, 0, 180)
}
