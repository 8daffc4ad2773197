package ui

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/notify"
	"github.com/freenahi/freenahi/password"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// The users page of the administrator (the first user): invite people (a
// sign-up link, mailed when mail is configured), disable and enable them,
// delete them with all their data. To anyone else these pages do not exist.

func (s *Handler) registerUIUserAdminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /users", s.admin(s.handleUserIndex))
	mux.HandleFunc("POST /users/invite", s.admin(s.handleUserInvite))
	mux.HandleFunc("POST /users/{id}/disable", s.admin(s.handleUserDisable))
	mux.HandleFunc("POST /users/{id}/enable", s.admin(s.handleUserDisable))
	mux.HandleFunc("GET /users/{id}/delete", s.admin(s.handleUserDeleteForm))
	mux.HandleFunc("POST /users/{id}/delete", s.admin(s.handleUserDelete))
	mux.HandleFunc("GET /invite", s.page(s.handleInviteForm))
	mux.HandleFunc("POST /invite", s.page(s.handleInviteAccept))
}

// admin is signedIn for the administrator alone; others get the 404 of an
// unknown page.
func (s *Handler) admin(h http.HandlerFunc) http.HandlerFunc {
	return s.signedIn(func(w http.ResponseWriter, r *http.Request) {
		ok, err := s.Security.IsAdmin(r.Context(), request.User(r.Context()).ID)
		if err != nil {
			respond.Error(w, r, err)
			return
		} else if !ok {
			s.handleUINotFound(w, r)
			return
		}
		h(w, r)
	})
}

// usersView is the users page.
type usersView struct {
	Users []*freenahi.UserInfo
	Me    int64
	Mail  bool
	// Invited and Link: the invitation just made, its link shown once.
	Invited, Link string
	Mailed        bool
	Email         string // what was typed in the invitation form
}

func (s *Handler) handleUserIndex(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, "", usersView{})
}

func (s *Handler) renderUsers(w http.ResponseWriter, r *http.Request, status int, msg string, v usersView) {
	list, err := s.Security.FindUserInfos(r.Context())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v.Users, v.Me, v.Mail = list, request.User(r.Context()).ID, s.Mailer != nil
	s.render(w, r, status, "users", &page{Title: "users.title", Nav: "security", Error: msg, Data: v})
}

// handleUserInvite makes an invitation and mails it when it can; its link
// is shown once either way, for the administrator to pass on.
func (s *Handler) handleUserInvite(w http.ResponseWriter, r *http.Request) {
	l := s.localeOf(r)
	email := r.PostForm.Get("email")
	in, err := s.Security.CreateInvite(r.Context(), request.User(r.Context()).ID, email, freenahi.InviteTTL)
	if c := freenahi.ErrorCode(err); c == freenahi.EINVALID || c == freenahi.ECONFLICT {
		s.renderUsers(w, r, http.StatusUnprocessableEntity, l.Err(err), usersView{Email: email})
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := usersView{Invited: in.Email, Link: s.publicURL() + "/invite?token=" + url.QueryEscape(in.Token)}
	if s.Mailer != nil {
		days := int(freenahi.InviteTTL / (24 * time.Hour))
		err := s.Mailer.Send(r.Context(), notify.Mail{To: in.Email, Subject: l.T("invite.mail_subject"),
			Body: l.T("invite.mail_body", days, request.User(r.Context()).Email) + "\n\n" + v.Link + "\n"})
		if err != nil {
			request.Logger(r.Context(), s.Logger).Error("invitation not mailed", slog.Any("error", err))
			s.renderUsers(w, r, http.StatusOK, l.T("invite.mail_failed"), v)
			return
		}
		v.Mailed = true
	}
	s.renderUsers(w, r, http.StatusOK, "", v)
}

// targetUser reads the {id} of a users page URL; the administrator cannot
// act on their own account here.
func (s *Handler) targetUser(r *http.Request) (*freenahi.UserInfo, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, freenahi.Errorf(freenahi.ENOTFOUND, "User not found.")
	}
	u, err := s.Security.FindUserInfo(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if u.Admin {
		return nil, freenahi.Errorf(freenahi.EFORBIDDEN, "The administrator’s own account cannot be changed on this page.")
	}
	return u, nil
}

func (s *Handler) handleUserDisable(w http.ResponseWriter, r *http.Request) {
	u, err := s.targetUser(r)
	disable := strings.HasSuffix(r.URL.Path, "/disable")
	if err == nil {
		err = s.Security.SetUserDisabled(r.Context(), u.ID, disable)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	msg := "flash.user_enabled"
	if disable {
		msg = "flash.user_disabled"
	}
	http.Redirect(w, r, "/users?msg="+msg, http.StatusSeeOther)
}

// deleteView is the confirmation of a deletion.
type deleteUserView struct {
	Target *freenahi.UserInfo
}

func (s *Handler) handleUserDeleteForm(w http.ResponseWriter, r *http.Request) {
	s.renderUserDelete(w, r, http.StatusOK, "")
}

func (s *Handler) renderUserDelete(w http.ResponseWriter, r *http.Request, status int, msg string) {
	u, err := s.targetUser(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, status, "user_delete", &page{Title: "users.delete_title", Nav: "security", Error: msg, Data: deleteUserView{Target: u}})
}

// handleUserDelete deletes a user and everything they own once the
// administrator typed the address again.
func (s *Handler) handleUserDelete(w http.ResponseWriter, r *http.Request) {
	u, err := s.targetUser(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if !strings.EqualFold(strings.TrimSpace(r.PostForm.Get("confirm")), u.Email) {
		s.renderUserDelete(w, r, http.StatusUnprocessableEntity, s.localeOf(r).T("users.delete_mismatch"))
		return
	}
	if err := s.deleteUser(r.Context(), u); err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/users?msg=flash.user_deleted", http.StatusSeeOther)
}

// deleteUser deletes the user's Powens user through the aggregator when
// Powens is configured (with the data Powens holds), then the user.
func (s *Handler) deleteUser(ctx context.Context, u *freenahi.UserInfo) error {
	type deleter interface {
		DeleteUser(ctx context.Context, userID int64) error
	}
	if d, ok := s.Aggregator.(deleter); ok && s.Aggregator != nil {
		return d.DeleteUser(ctx, u.ID)
	}
	if u.PowensUserID != nil {
		return freenahi.Errorf(freenahi.ECONFLICT, "This user is linked to a Powens user, which must be deleted too: configure Powens first.")
	}
	return s.Security.DeleteUser(ctx, u.ID)
}

// inviteView is the sign-up form of an invitation.
type inviteView struct {
	Token, Email string
	MinLength    int
}

func (s *Handler) handleInviteForm(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	in, err := s.Security.FindInvite(r.Context(), token)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.renderInvite(w, r, http.StatusOK, token, in.Email, "")
}

func (s *Handler) renderInvite(w http.ResponseWriter, r *http.Request, status int, token, email, msg string) {
	s.render(w, r, status, "invite", &page{Title: "invite.title", CSRF: s.anonymousToken(w, r), Error: msg,
		Data: inviteView{Token: token, Email: email, MinLength: password.MinLength}})
}

// handleInviteAccept creates the invited account with its password and
// signs the person in.
func (s *Handler) handleInviteAccept(w http.ResponseWriter, r *http.Request) {
	if err := s.checkAnonymousForm(w, r); err != nil {
		respond.Error(w, r, err)
		return
	}
	f := r.PostForm
	token := f.Get("token")
	in, err := s.Security.FindInvite(r.Context(), token)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	l := s.localeOf(r)
	pw := f.Get("password")
	if msg := newPasswordProblem(l, pw, f.Get("confirm"), in.Email); msg != "" {
		s.renderInvite(w, r, http.StatusUnprocessableEntity, token, in.Email, msg)
		return
	}
	hash, err := password.Hash(pw)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	u, err := s.Security.AcceptInvite(r.Context(), token, hash)
	if err == nil {
		err = s.startSession(w, r, u.ID)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	welcome := "flash.welcome"
	if s.Aggregator == nil {
		welcome = "flash.ready"
	}
	http.Redirect(w, r, "/connections?msg="+welcome, http.StatusSeeOther)
}
