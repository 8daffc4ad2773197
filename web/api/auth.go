package api

import (
	"net/http"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// requireToken authenticates a JSON API request by its bearer API token and
// puts the token's user in the context; handlers scope every query to it.
func (s *Handler) requireToken(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || secret == "" {
			respond.Error(w, r, freenahi.Errorf(freenahi.EUNAUTHORIZED, "Missing Authorization: Bearer <API token> (create one with `freenahi token create`)."))
			return
		}
		u, err := s.Users.AuthenticateAPIToken(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		h(w, r.WithContext(request.WithUser(r.Context(), u)))
	}
}
