package ui

import (
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Handler) registerUITokenRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /settings/tokens", s.signedIn(s.handleTokenIndex))
	mux.HandleFunc("POST /settings/tokens", s.signedIn(s.handleTokenCreate))
	mux.HandleFunc("GET /settings/tokens/{id}/revoke", s.signedIn(s.handleTokenRevokeForm))
	mux.HandleFunc("POST /settings/tokens/{id}/revoke", s.signedIn(s.handleTokenRevoke))
}

// handleTokenRevokeForm asks before revoking: a program using the token
// loses access at once, and a revoked token cannot come back.
func (s *Handler) handleTokenRevokeForm(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var tokens []*freenahi.APIToken
	if err == nil {
		tokens, err = s.Users.FindAPITokens(r.Context(), request.User(r.Context()).ID)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	for _, t := range tokens {
		if t.ID == id {
			s.render(w, r, http.StatusOK, "token_revoke", &page{Title: "tokens.revoke_title", Nav: "tokens", Data: t})
			return
		}
	}
	respond.Error(w, r, freenahi.Errorf(freenahi.ENOTFOUND, "Token %d not found.", id))
}

// tokenView lists the API tokens; Created is set once, right after creation.
type tokenView struct {
	Tokens  []*freenahi.APIToken
	Created *freenahi.APIToken
}

func (s *Handler) handleTokenIndex(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, http.StatusOK, nil)
}

func (s *Handler) renderTokens(w http.ResponseWriter, r *http.Request, status int, created *freenahi.APIToken) {
	tokens, err := s.Users.FindAPITokens(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, status, "tokens", &page{Title: "tokens.title", Nav: "tokens", Data: tokenView{Tokens: tokens, Created: created}})
}

// handleTokenCreate shows the new token's secret in the answer to the post
// itself (not after a redirect), so it exists in one response only.
func (s *Handler) handleTokenCreate(w http.ResponseWriter, r *http.Request) {
	t, err := s.Users.CreateAPIToken(r.Context(), request.User(r.Context()).ID, r.PostForm.Get("name"))
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.renderTokens(w, r, http.StatusCreated, t)
}

func (s *Handler) handleTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = s.Users.RevokeAPIToken(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/tokens?msg=flash.token_revoked", http.StatusSeeOther)
}
