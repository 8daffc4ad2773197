package sandbox

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	temporaryLifetime = 30 * time.Minute
	maxUsers          = 10000 // bounds memory; a demo never comes close
)

func (s *Server) registerAuthRoutes(m *http.ServeMux) {
	m.HandleFunc("POST /2.0/auth/init", s.handleAuthInit)
	m.HandleFunc("GET /2.0/auth/token/code", s.handleAuthCode)
	m.HandleFunc("POST /2.0/auth/token/access", s.handleAuthAccess)
	m.HandleFunc("POST /2.0/auth/renew", s.handleAuthRenew)
	m.HandleFunc("DELETE /2.0/auth/token", s.handleAuthRevoke)
	m.HandleFunc("GET /2.0/users/{u}", s.handleUserView)
	m.HandleFunc("DELETE /2.0/users/{u}", s.handleUserDelete)
}

// randomString returns n random bytes in base64; std keeps '/' and '+',
// which Powens codes contain and clients must URL-encode.
func randomString(n int, std bool) string {
	b := make([]byte, n)
	rand.Read(b)
	if std {
		return base64.StdEncoding.EncodeToString(b)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// clientOK checks client credentials in constant time.
func (s *Server) clientOK(id, secret string) bool {
	return subtle.ConstantTimeCompare([]byte(id), []byte(s.cfg.ClientID)) == 1 &&
		subtle.ConstantTimeCompare([]byte(secret), []byte(s.cfg.ClientSecret)) == 1
}

var errClient = errf(http.StatusForbidden, "forbidden", "Invalid client_id or client_secret.")

func (s *Server) handleAuthInit(w http.ResponseWriter, r *http.Request) {
	v, ok := s.readBody(w, r)
	if !ok {
		return
	}
	permanent := v["client_id"] != "" || v["client_secret"] != ""
	if permanent && !s.clientOK(v["client_id"], v["client_secret"]) {
		s.fail(w, r, errClient)
		return
	}
	s.mu.Lock()
	u, tok, err := s.createUserLocked(permanent)
	s.mu.Unlock()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resp := map[string]any{"auth_token": tok, "type": "temporary", "id_user": u.ID, "expires_in": int(temporaryLifetime.Seconds())}
	if permanent {
		resp["type"], resp["expires_in"] = "permanent", nil
	}
	writeJSON(w, http.StatusOK, resp)
}

// createUserLocked creates a user and its first token.
func (s *Server) createUserLocked(permanent bool) (*user, string, *apiError) {
	now := s.now()
	for id, u := range s.st.Users {
		if !u.Permanent && now.After(u.Expires) {
			s.deleteUserLocked(id)
		}
	}
	if len(s.st.Users) >= maxUsers {
		return nil, "", errf(http.StatusServiceUnavailable, "bug", "Too many sandbox users.")
	}
	s.st.Seq.User++
	u := &user{ID: s.st.Seq.User, Signin: now, Permanent: permanent}
	if !permanent {
		u.Expires = now.Add(temporaryLifetime)
	}
	s.st.Users[u.ID] = u
	tok := randomString(32, false)
	s.st.Tokens[tok] = &token{UserID: u.ID, Permanent: permanent, Expires: u.Expires, Created: now}
	s.touch()
	if permanent {
		s.emitLocked(u.ID, 0, "user_created", s.userJSON(u))
	}
	return u, tok, nil
}

func (s *Server) userJSON(u *user) *userJSON {
	return &userJSON{ID: u.ID, Signin: datetime{u.Signin}}
}

func (s *Server) handleAuthCode(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return
	}
	single := r.URL.Query().Get("type") == "singleAccess"
	s.mu.Lock()
	code := s.newCodeLocked(u.ID, single)
	s.mu.Unlock()
	access := "standard"
	if single {
		access = "single"
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": code, "type": "temporary", "access": access,
		"expires_in": int(temporaryLifetime.Seconds())})
}

func (s *Server) newCodeLocked(userID int64, single bool) string {
	now := s.now()
	for c, t := range s.st.Codes {
		if now.After(t.Expires) {
			delete(s.st.Codes, c)
		}
	}
	code := randomString(48, true)
	s.st.Codes[code] = &token{UserID: userID, Single: single, Expires: now.Add(temporaryLifetime), Created: now}
	s.touch()
	return code
}

// useCodeLocked resolves a temporary code (or a temporary token), consuming single-use codes.
func (s *Server) useCodeLocked(code string) *user {
	t := s.st.Codes[code]
	if t == nil {
		if t = s.st.Tokens[code]; t == nil || t.Permanent {
			return nil
		}
	}
	if !t.Expires.IsZero() && s.now().After(t.Expires) {
		return nil
	}
	if t.Single {
		delete(s.st.Codes, code)
		s.touch()
	}
	return s.st.Users[t.UserID]
}

func (s *Server) handleAuthAccess(w http.ResponseWriter, r *http.Request) {
	v, ok := s.readBody(w, r)
	if !ok {
		return
	}
	if v["code"] == "" {
		s.fail(w, r, errMissing("code"))
		return
	}
	if !s.clientOK(v["client_id"], v["client_secret"]) {
		s.fail(w, r, errClient)
		return
	}
	s.mu.Lock()
	u := s.useCodeLocked(v["code"])
	// The code is single-use in practice, whatever its type.
	delete(s.st.Codes, v["code"])
	var tok string
	if u != nil {
		tok = s.permanentTokenLocked(u)
	}
	s.mu.Unlock()
	if u == nil {
		s.fail(w, r, errInvalid("Invalid or expired code."))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer"})
}

// permanentTokenLocked issues a permanent token, making the user permanent
// and releasing the webhooks held while it was temporary.
func (s *Server) permanentTokenLocked(u *user) string {
	tok := randomString(32, false)
	s.st.Tokens[tok] = &token{UserID: u.ID, Permanent: true, Created: s.now()}
	if !u.Permanent {
		u.Permanent, u.Expires = true, time.Time{}
		s.emitLocked(u.ID, 0, "user_created", s.userJSON(u))
		s.releaseHeldLocked(u.ID)
	}
	s.touch()
	return tok
}

func (s *Server) handleAuthRenew(w http.ResponseWriter, r *http.Request) {
	v, ok := s.readBody(w, r)
	if !ok {
		return
	}
	if !s.clientOK(v["client_id"], v["client_secret"]) {
		s.fail(w, r, errClient)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var u *user
	if v["id_user"] == "" {
		var err *apiError
		if u, _, err = s.createUserLocked(true); err != nil {
			s.fail(w, r, err)
			return
		}
	} else {
		id, _ := strconv.ParseInt(v["id_user"], 10, 64)
		if u = s.st.Users[id]; u == nil {
			s.fail(w, r, errNotFound("Unknown user."))
			return
		}
	}
	if truthy(v["revoke_previous"]) {
		for k, t := range s.st.Tokens {
			if t.UserID == u.ID && t.Permanent {
				delete(s.st.Tokens, k)
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": s.permanentTokenLocked(u), "token_type": "Bearer"})
}

func (s *Server) handleAuthRevoke(w http.ResponseWriter, r *http.Request) {
	_, tok, ok := s.auth(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	delete(s.st.Tokens, tok)
	delete(s.st.Codes, tok)
	s.touch()
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleUserView(w http.ResponseWriter, r *http.Request) {
	if u, _, ok := s.auth(w, r); ok {
		writeJSON(w, http.StatusOK, s.userJSON(u))
	}
}

func (s *Server) handleUserDelete(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	// USER_DELETED is sent with the token that was valid, so queue it first.
	s.emitLocked(u.ID, 0, "user_deleted", s.userJSON(u))
	s.deleteUserLocked(u.ID)
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) deleteUserLocked(id int64) {
	for cid, c := range s.st.Connections {
		if c.UserID == id {
			s.deleteConnectionLocked(cid)
		}
	}
	for k, t := range s.st.Tokens {
		if t.UserID == id {
			delete(s.st.Tokens, k)
		}
	}
	for k, t := range s.st.Codes {
		if t.UserID == id {
			delete(s.st.Codes, k)
		}
	}
	held := s.st.Held[:0]
	for _, d := range s.st.Held {
		if d.UserID != id {
			held = append(held, d)
		}
	}
	s.st.Held = held
	delete(s.st.Users, id)
	s.touch()
}

// auth checks the bearer token (and that {u}, when present, is "me" or the
// token's own user id); on failure it answers 401 and returns ok=false.
func (s *Server) auth(w http.ResponseWriter, r *http.Request) (*user, string, bool) {
	h := r.Header.Get("Authorization")
	tok, found := strings.CutPrefix(h, "Bearer ")
	if !found {
		tok, found = strings.CutPrefix(h, "bearer ")
	}
	tok = strings.TrimSpace(tok)
	s.mu.Lock()
	var u *user
	if t := s.st.Tokens[tok]; found && t != nil && (t.Expires.IsZero() || !s.now().After(t.Expires)) {
		u = s.st.Users[t.UserID]
	} else if found && s.st.Codes[tok] != nil {
		// Temporary codes give a browser access to the user's resources too.
		u = s.useCodeLocked(tok)
	}
	s.mu.Unlock()
	if u == nil {
		s.fail(w, r, errf(http.StatusUnauthorized, "forbidden", "Missing or invalid bearer token."))
		return nil, "", false
	}
	if p := r.PathValue("u"); p != "" && p != "me" && p != strconv.FormatInt(u.ID, 10) {
		s.fail(w, r, errNotFound("Unknown user."))
		return nil, "", false
	}
	if err := s.countCall(u.ID); err != nil {
		s.fail(w, r, err)
		return nil, "", false
	}
	return u, tok, true
}

// callWindow counts a user's calls in the current minute.
type callWindow struct {
	start time.Time
	n     int
}

// countCall enforces Config.RateLimit: calls per user in fixed one-minute
// windows of the sandbox's clock; beyond it, 429 until the window ends.
func (s *Server) countCall(userID int64) *apiError {
	if s.cfg.RateLimit <= 0 {
		return nil
	}
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.calls[userID]
	if w == nil || now.Sub(w.start) >= time.Minute || now.Before(w.start) {
		if len(s.calls) >= maxUsers {
			clear(s.calls)
		}
		w = &callWindow{start: now}
		s.calls[userID] = w
	}
	if w.n++; w.n <= s.cfg.RateLimit {
		return nil
	}
	wait := int((time.Minute - now.Sub(w.start) + time.Second - 1) / time.Second)
	return &apiError{Status: http.StatusTooManyRequests, Code: "rateLimiting", RetryAfter: max(wait, 1),
		Description: fmt.Sprintf("More than %d calls in a minute for this user; retry later.", s.cfg.RateLimit)}
}

// webhookTokenLocked is the bearer a user's webhooks carry: its oldest
// permanent token, or "" while it has none.
func (s *Server) webhookTokenLocked(userID int64) string {
	var best string
	var bestT *token
	for k, t := range s.st.Tokens {
		if t.UserID == userID && t.Permanent && (bestT == nil || t.Created.Before(bestT.Created) ||
			t.Created.Equal(bestT.Created) && k < best) {
			best, bestT = k, t
		}
	}
	return best
}
