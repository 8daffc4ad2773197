package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/freenahi/freenahi"
)

// requireToken authenticates a JSON API request by its bearer API token and
// puts the token's user in the context; handlers scope every query to it.
func (s *Server) requireToken(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || secret == "" {
			s.Error(w, r, freenahi.Errorf(freenahi.EUNAUTHORIZED, "Missing Authorization: Bearer <API token> (create one with `freenahi token create`)."))
			return
		}
		u, err := s.Users.AuthenticateAPIToken(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			s.Error(w, r, err)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), userKey, u)))
	}
}

// userFrom returns the authenticated user; routes that call it are wrapped in
// an authentication middleware, so a missing user is a programming error.
func userFrom(ctx context.Context) *freenahi.User {
	u, ok := ctx.Value(userKey).(*freenahi.User)
	if !ok {
		panic("web: handler reached without an authenticated user")
	}
	return u
}
