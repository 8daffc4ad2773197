package sandbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"
)

// claims is the payload of an issued token. Tokens look like JWTs (header,
// claims, HMAC) so that they are self-checking and the sandbox keeps no
// table of them: memory stays flat however many are issued.
type claims struct {
	Subject  string   `json:"sub"`
	ClientID string   `json:"client_id"`
	Scope    []string `json:"scope"`
	Issued   int64    `json:"iat"`
	Expires  int64    `json:"exp"`
	Gen      int      `json:"gen"`
	ID       string   `json:"jti"`
}

// handleToken is the OAuth2 token endpoint, password grant only, with the
// checks in IdentityServer's order: client, grant type, scope, user.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		s.oauthError(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.oauthError(w, http.StatusBadRequest, "invalid_request", "the form cannot be read")
		return
	}
	clientID, secret, basic := r.BasicAuth()
	if !basic {
		clientID, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if !equal(clientID, s.cfg.ClientID) || !equal(secret, s.cfg.ClientSecret) {
		s.oauthError(w, http.StatusUnauthorized, "invalid_client", "")
		return
	}
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "password":
	case "":
		s.oauthError(w, http.StatusBadRequest, "invalid_request", "grant_type is missing")
		return
	default:
		s.oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "")
		return
	}
	// The scopes the sandbox's API client may request; apidata is the one
	// the banking endpoints need.
	known := []string{"openid", "apidata", "offline_access", "email", "profile"}
	scopes := strings.Fields(r.PostForm.Get("scope"))
	for _, sc := range scopes {
		if !slices.Contains(known, sc) {
			s.oauthError(w, http.StatusBadRequest, "invalid_scope", "unknown scope "+sc)
			return
		}
	}
	if !slices.Contains(scopes, "apidata") {
		s.oauthError(w, http.StatusBadRequest, "invalid_scope", "the apidata scope is required")
		return
	}
	user, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	if user == "" || password == "" {
		s.oauthError(w, http.StatusBadRequest, "invalid_grant", "username and password are required")
		return
	}
	want, ok := s.cfg.Users[user]
	if !ok || !equal(password, want) {
		s.oauthError(w, http.StatusBadRequest, "invalid_grant", "invalid_username_or_password")
		return
	}
	slices.Sort(scopes)
	scopes = slices.Compact(scopes)
	tok := s.issue(user, clientID, scopes)
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "expires_in": int64(s.cfg.TokenLifetime / time.Second),
		"token_type": "Bearer", "scope": strings.Join(scopes, " "),
	})
}

// equal compares secrets in constant time.
func equal(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// issue signs a new token for user.
func (s *Server) issue(user, clientID string, scopes []string) string {
	var jti [16]byte
	rand.Read(jti[:])
	now := s.now()
	s.mu.Lock()
	s.tokensIssued++
	gen := s.generation
	s.mu.Unlock()
	c := claims{Subject: user, ClientID: clientID, Scope: scopes, Issued: now.Unix(),
		Expires: now.Add(s.cfg.TokenLifetime).Unix(), Gen: gen, ID: hex.EncodeToString(jti[:])}
	payload, _ := json.Marshal(c)
	enc := base64.RawURLEncoding
	signed := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"at+jwt"}`)) + "." + enc.EncodeToString(payload)
	return signed + "." + enc.EncodeToString(s.sign(signed))
}

func (s *Server) sign(data string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// authenticate checks the bearer token of a banking request and returns
// its user; on failure it has answered 401.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(h, " ")
	if h == "" || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		s.bearerChallenge(w, r, "")
		return "", false
	}
	c, reason := s.verify(strings.TrimSpace(tok))
	if reason != "" {
		s.bearerChallenge(w, r, reason)
		return "", false
	}
	return c.Subject, true
}

// verify returns the claims of a valid token, or why it is not valid.
func (s *Server) verify(tok string) (claims, string) {
	var c claims
	i := strings.LastIndexByte(tok, '.')
	if i < 0 || strings.Count(tok, ".") != 2 {
		return c, "the token is malformed"
	}
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil || !hmac.Equal(sig, s.sign(tok[:i])) {
		return c, "the signature is invalid"
	}
	payload, err := base64.RawURLEncoding.DecodeString(tok[strings.IndexByte(tok, '.')+1 : i])
	if err != nil || json.NewDecoder(bytes.NewReader(payload)).Decode(&c) != nil {
		return c, "the token is malformed"
	}
	s.mu.Lock()
	gen := s.generation
	s.mu.Unlock()
	switch {
	case c.Gen != gen:
		return c, "the token was revoked"
	case s.now().Unix() >= c.Expires:
		return c, "the token expired at '" + time.Unix(c.Expires, 0).UTC().Format(time.RFC3339) + "'"
	case !slices.Contains(c.Scope, "apidata"):
		return c, "the token lacks the apidata scope"
	}
	return c, ""
}

// RevokeTokens invalidates every token issued so far, as an Inqom
// administrator revoking sessions would: the next banking call gets a 401.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.generation++
}
