package ui

import (
	"context"
	"log/slog"
	"math"
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

// Password reset by e-mail. Asking for a link answers the same, at once,
// whether an account has the address or not: the request does the same
// work either way (the form check, the throttle, one lookup), and the link
// is made and mailed afterwards, in the background, so neither the answer
// nor its time tells who has an account. Requests are throttled per address
// asked and per client. The link works once, for an hour; using it ends
// every session of the account and the failed sign-ins counted against it,
// so that a person locked out by someone else's guesses gets back in.

// mailSlots bounds the mails being sent in the background; a request
// beyond it is dropped (and logged), so floods cost bounded memory.
const mailSlots = 4

func (s *Handler) registerUIResetRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /signin/forgot", s.page(s.handleForgotForm))
	mux.HandleFunc("POST /signin/forgot", s.page(s.handleForgot))
	mux.HandleFunc("GET /signin/reset", s.page(s.handleResetForm))
	mux.HandleFunc("POST /signin/reset", s.page(s.handleReset))
}

// forgotView is the form that asks for a reset link.
type forgotView struct {
	Email string
	// Mail is false when this server cannot send mail: the page then says
	// who can reset a password.
	Mail bool
}

func (s *Handler) handleForgotForm(w http.ResponseWriter, r *http.Request) {
	s.renderForgot(w, r, http.StatusOK, "", "")
}

func (s *Handler) renderForgot(w http.ResponseWriter, r *http.Request, status int, email, msg string) {
	s.render(w, r, status, "forgot", &page{Title: "reset.title", CSRF: s.anonymousToken(w, r), Error: msg,
		Data: forgotView{Email: email, Mail: s.Mailer != nil}})
}

func (s *Handler) handleForgot(w http.ResponseWriter, r *http.Request) {
	if err := s.checkAnonymousForm(w, r); err != nil {
		respond.Error(w, r, err)
		return
	}
	if s.Mailer == nil {
		s.renderForgot(w, r, http.StatusServiceUnavailable, "", "")
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	if _, err := freenahi.NormalizeEmail(email); err != nil {
		s.renderForgot(w, r, http.StatusBadRequest, email, s.localeOf(r).T("setup.bad_email"))
		return
	}
	client := s.clientKey(r)
	// Per address asked from this client (a few) and per client across
	// addresses. No bucket of the address asked from anywhere: strangers
	// could then delay the owner's own request, the one way back in when
	// sign-in is delayed. Requests are never "settled": each one counts.
	wait, err := s.Sessions.ReserveSignin(r.Context(), []freenahi.SigninBucket{
		{Key: "reset:" + email + "|" + client, Account: email, Free: 3, MaxDelay: s.Config.LoginWindow},
		{Key: "reset-address:" + client, Free: s.Config.MaxLoginFailuresPerIP, MaxDelay: s.Config.LoginWindow},
	})
	if err != nil {
		respond.Error(w, r, err)
		return
	} else if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		s.renderForgot(w, r, http.StatusTooManyRequests, email, s.localeOf(r).T("reset.throttled", int(math.Ceil(wait.Minutes()))))
		return
	}
	u, err := s.Users.FindUserByEmail(r.Context(), email)
	switch freenahi.ErrorCode(err) {
	case "":
		l := s.localeOf(r)
		s.sendLater(r, func(ctx context.Context) error {
			token, err := s.Security.CreatePasswordReset(ctx, u.ID, freenahi.PasswordResetTTL)
			if err != nil {
				return err
			}
			link := s.publicURL() + "/signin/reset?token=" + url.QueryEscape(token)
			return s.Mailer.Send(ctx, notify.Mail{To: u.Email, Subject: l.T("reset.mail_subject"),
				Body: l.T("reset.mail_body", int(freenahi.PasswordResetTTL/time.Minute)) + "\n\n" + link + "\n\n" + l.T("reset.mail_ignore") + "\n"})
		})
	case freenahi.ENOTFOUND:
	default:
		respond.Error(w, r, err)
		return
	}
	if s.Outbox != nil {
		// The demo: the mail is on its outbox page, for this browser.
		s.setCookie(w, r, outboxCookie, email, time.Hour)
		http.Redirect(w, r, "/outbox?msg=flash.reset_sent", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/signin?msg=flash.reset_sent", http.StatusSeeOther)
}

// outboxCookie remembers, in the demo, the address this browser asked a
// reset link for, so that its outbox page shows that mail before sign-in.
const outboxCookie = "freenahi_outbox"

// handleOutboxDemo shows the demo's outbox: the signed-in person's mails,
// or, before sign-in, the mails of the address this browser asked a reset
// link for. Only the demo has an outbox: a server that sends real mail
// never shows it.
func (s *Handler) handleOutboxDemo(w http.ResponseWriter, r *http.Request) {
	if sess, err := s.currentSession(w, r); err != nil || sess != nil {
		s.signedIn(s.handleOutbox)(w, r)
		return
	}
	c, err := r.Cookie(outboxCookie)
	if err != nil || c.Value == "" {
		http.Redirect(w, r, "/signin?next=/outbox", http.StatusSeeOther)
		return
	}
	mails := s.Outbox.Mails(c.Value)
	p := &page{Title: "outbox.title", Data: outboxView{Mails: mails}}
	if len(mails) == 0 {
		p.Refresh = 2 // the mail leaves after the answer: it comes in a moment
	}
	s.render(w, r, http.StatusOK, "outbox", p)
}

// sendLater runs a mail's work after the answer, within mailSlots.
func (s *Handler) sendLater(r *http.Request, fn func(ctx context.Context) error) {
	log := request.Logger(r.Context(), s.Logger)
	select {
	case s.ui.mailSlots <- struct{}{}:
	default:
		log.Warn("mail dropped: too many being sent")
		return
	}
	go func() {
		defer func() { <-s.ui.mailSlots }()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Minute)
		defer cancel()
		if err := fn(ctx); err != nil {
			log.Error("mail not sent", slog.Any("error", err))
		}
	}()
}

// publicURL is how people reach this server, for links in mails.
func (s *Handler) publicURL() string {
	if s.Config.PublicURL != nil {
		return strings.TrimRight(s.Config.PublicURL(), "/")
	}
	return ""
}

// resetView is the form of a reset link.
type resetView struct {
	Token     string
	Email     string
	MinLength int
}

func (s *Handler) handleResetForm(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	u, err := s.Security.FindPasswordReset(r.Context(), token)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.renderReset(w, r, http.StatusOK, token, u.Email, "")
}

func (s *Handler) renderReset(w http.ResponseWriter, r *http.Request, status int, token, email, msg string) {
	s.render(w, r, status, "reset", &page{Title: "reset.new_title", CSRF: s.anonymousToken(w, r), Error: msg,
		Data: resetView{Token: token, Email: email, MinLength: password.MinLength}})
}

// handleReset sets the new password through a working link.
func (s *Handler) handleReset(w http.ResponseWriter, r *http.Request) {
	if err := s.checkAnonymousForm(w, r); err != nil {
		respond.Error(w, r, err)
		return
	}
	f := r.PostForm
	token := f.Get("token")
	u, err := s.Security.FindPasswordReset(r.Context(), token)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	l := s.localeOf(r)
	pw := f.Get("new")
	if msg := newPasswordProblem(l, pw, f.Get("confirm"), u.Email); msg != "" {
		s.renderReset(w, r, http.StatusUnprocessableEntity, token, u.Email, msg)
		return
	}
	hash, err := password.Hash(pw)
	if err == nil {
		_, err = s.Security.ResetPassword(r.Context(), token, hash)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/signin?msg=flash.password_reset", http.StatusSeeOther)
}
