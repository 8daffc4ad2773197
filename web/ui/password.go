package ui

import (
	"context"
	"net/http"
	"strconv"

	"github.com/freenahi/freenahi"

	"github.com/freenahi/freenahi/password"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// PasswordStore changes a person's password (the store).
type PasswordStore interface {
	UserPasswordHash(ctx context.Context, userID int64) (string, error)
	// ChangePassword replaces the hash and ends the user's sessions but keep.
	ChangePassword(ctx context.Context, userID int64, hash, keep string) error
}

func (s *Handler) registerUIPasswordRoutes(mux *http.ServeMux) {
	if s.Passwords == nil {
		return
	}
	mux.HandleFunc("GET /settings/password", s.signedIn(s.handlePasswordForm))
	mux.HandleFunc("POST /settings/password", s.signedIn(s.handlePasswordChange))
}

type passwordView struct{ MinLength int }

func (s *Handler) handlePasswordForm(w http.ResponseWriter, r *http.Request) {
	s.renderPassword(w, r, http.StatusOK, "")
}

func (s *Handler) renderPassword(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "password", &page{Title: "password.title", Nav: "password", Error: msg,
		Data: passwordView{MinLength: password.MinLength}})
}

// handlePasswordChange checks the current password, then sets the new one
// and ends the person's other sessions (a stolen one among them).
func (s *Handler) handlePasswordChange(w http.ResponseWriter, r *http.Request) {
	l := s.localeOf(r)
	sess := sessionFrom(r.Context())
	u := request.User(r.Context())
	f := r.PostForm
	hash, err := s.Passwords.UserPasswordHash(r.Context(), u.ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	pw := f.Get("new")
	// Charged like a sign-in, so that a stolen session cannot guess the
	// current password faster than the sign-in form allows.
	b := s.passwordCheckBucket(u)
	if wait, err := s.Sessions.ReserveSignin(r.Context(), []freenahi.SigninBucket{b}); err != nil {
		respond.Error(w, r, err)
		return
	} else if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		s.renderPassword(w, r, http.StatusTooManyRequests, s.throttledMessage(r, wait))
		return
	}
	if hash == "" || s.ui.verify(hash, f.Get("current")) != nil {
		s.renderPassword(w, r, http.StatusUnprocessableEntity, l.T("password.wrong_current"))
		return
	}
	if err := s.Sessions.SigninSucceeded(r.Context(), []string{b.Key}, nil); err != nil {
		respond.Error(w, r, err)
		return
	}
	if msg := newPasswordProblem(l, pw, f.Get("confirm"), u.Email); msg != "" {
		s.renderPassword(w, r, http.StatusUnprocessableEntity, msg)
		return
	}
	newHash, err := password.Hash(pw)
	if err == nil {
		err = s.Passwords.ChangePassword(r.Context(), u.ID, newHash, sess.id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/password?msg=flash.password_changed", http.StatusSeeOther)
}
