package sandbox

import (
	"net/http"
	"time"
)

// handleConnectionUpdate is POST /users/me/connections/{id}: submit an OTP,
// resume a decoupled validation, post new credentials, add a source, or
// (with an empty body) sync with the person present.
func (s *Server) handleConnectionUpdate(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.userConnection(w, r)
	if !ok {
		return
	}
	v, ok := s.readBody(w, r)
	if !ok {
		return
	}
	values, err := s.fieldValues(v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.mu.Lock()
	script := ""
	if c := s.st.Connections[id]; c != nil {
		script = c.Script
	}
	s.mu.Unlock()
	if script == "slow" && !s.sleep(s.cfg.SlowDelay) {
		return
	}
	background := flag(r, "background") || truthy(v["background"])
	var apiErr *apiError
	switch srcName := cmpOr(r.URL.Query().Get("source"), v["source"]); {
	case srcName != "" && !s.hasSource(id, srcName):
		apiErr = s.addSource(id, srcName, values)
	case truthy(v["resume"]):
		apiErr = s.resume(id, background)
	default:
		apiErr = s.update(id, values, v)
	}
	if apiErr != nil {
		s.fail(w, r, apiErr)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.Connections[id]
	if c == nil {
		s.fail(w, r, errNotFound("Unknown connection."))
		return
	}
	writeJSON(w, connectionStatus(c, http.StatusOK), s.connJSONLocked(c, expands(r)))
}

func (s *Server) hasSource(id int64, name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.Connections[id]
	if c == nil {
		return true // nothing to add; the update will answer 404
	}
	for _, src := range c.Sources {
		if src.Name == name {
			return true
		}
	}
	return false
}

// addSource adds a source to a connection. A webauth source waits in
// webauthRequired for the bank page; a credentials source syncs at once.
func (s *Server) addSource(id int64, name string, values map[string]string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.Connections[id]
	if c == nil {
		return errNotFound("Unknown connection.")
	}
	b := s.bankByID(c.ConnectorID)
	src := b.source(name)
	if src == nil {
		return errInvalid("Unknown source %q.", name)
	}
	if src.AuthMechanism == "webauth" {
		s.addSourceLocked(c, src, "webauthRequired")
		s.touch()
		return nil
	}
	if err := checkFields(b.fieldsFor(name), values); err != nil {
		return err
	}
	s.addSourceLocked(c, src, "")
	s.runSyncLocked(c, syncUser)
	return nil
}

// resume ends a decoupled validation: the connection shows validating, then
// succeeds after DecoupledDelay. Without background the call blocks until then.
func (s *Server) resume(id int64, background bool) *apiError {
	s.mu.Lock()
	c := s.st.Connections[id]
	if c == nil {
		s.mu.Unlock()
		return errNotFound("Unknown connection.")
	}
	if c.State != "decoupled" {
		s.mu.Unlock()
		return errInvalid("The connection is not waiting for a decoupled validation.")
	}
	c.State = "validating"
	for _, src := range c.Sources {
		src.State = "validating"
	}
	s.touch()
	done, held := make(chan struct{}), s.held
	s.afterLocked(s.cfg.DecoupledDelay, func() {
		defer close(done)
		if held != nil {
			select {
			case <-held:
			case <-s.stop:
				return
			}
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if c := s.st.Connections[id]; c != nil && c.State == "validating" {
			c.State, c.Script = "", ""
			s.runSyncLocked(c, syncUser)
		}
	})
	s.mu.Unlock()
	if background {
		return nil
	}
	select {
	case <-done:
	case <-s.stop:
	case <-time.After(s.cfg.DecoupledDelay + time.Minute):
	}
	return nil
}

// update handles an OTP, new credentials, the active flag, or a plain sync.
func (s *Server) update(id int64, values, raw map[string]string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.Connections[id]
	if c == nil {
		return errNotFound("Unknown connection.")
	}
	if a, ok := raw["active"]; ok {
		c.Inactive = !truthy(a)
	}
	otp, login, password := values["otp"], values["login"], values["password"]
	switch {
	case c.NeedsOTP && otp != "":
		if otp != "123456" {
			// The connection keeps waiting for a code, so the person can retry.
			return errWrongpass()
		}
		c.State, c.Script, c.NeedsOTP = "", "", false
		s.runSyncLocked(c, syncUser)
	case login != "" || password != "":
		next := c.Script
		if login != "" {
			next = scriptOf(login)
		}
		if e := createErrors[next]; e != nil {
			return e // refused like a creation: the connection stays as it was
		}
		if next == "wrongpass" {
			c.State, c.ErrorMessage = "wrongpass", ""
			for _, src := range c.Sources {
				src.State = "wrongpass"
			}
			s.touch()
			s.emitSyncedLocked(c)
			return errWrongpass()
		}
		repair := c.State == "passwordExpired" || c.State == "wrongpass"
		if repair && next == c.Script {
			next = "" // the same login with a new password: the problem is solved
		}
		c.State, c.ErrorMessage, c.Script, c.NeedsOTP = "", "", next, false
		kind := syncCreate
		if next == "" || next == "sca" || next == "webauth" {
			kind = syncUser
		}
		s.runSyncLocked(c, kind)
	default:
		s.runSyncLocked(c, syncUser)
	}
	return nil
}
