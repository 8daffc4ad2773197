package ui

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/password"
	"github.com/freenahi/freenahi/web/locale"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Handler) registerUIAuthRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /signin", s.page(s.handleSigninForm))
	mux.HandleFunc("POST /signin", s.page(s.handleSignin))
	mux.HandleFunc("POST /signout", s.signedIn(s.handleSignout))
	mux.HandleFunc("GET /setup", s.page(s.handleSetupForm))
	mux.HandleFunc("POST /setup", s.page(s.handleSetup))
	mux.HandleFunc("GET /lang/{lang}", s.page(s.handleLanguage))
}

// authView is the data of the sign-in and setup forms.
type authView struct {
	Email string
	Next  string
	// MinLength is the shortest password setup accepts.
	MinLength int
}

func (s *Handler) handleSigninForm(w http.ResponseWriter, r *http.Request) {
	if n, err := s.Sessions.CountUsers(r.Context()); err == nil && n == 0 {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return
	}
	s.renderSignin(w, r, http.StatusOK, "", r.URL.Query().Get("next"), "")
}

func (s *Handler) renderSignin(w http.ResponseWriter, r *http.Request, status int, email, next, errMsg string) {
	s.render(w, r, status, "signin", &page{Title: "signin.title", CSRF: s.anonymousToken(w, r), Error: errMsg,
		Data: authView{Email: email, Next: localPath(next, "")}})
}

// handleSignin charges the attempt to its throttle buckets first, in the
// database and before any password hashing, so a refused attempt costs no
// hash and parallel guesses cannot all slip under the limit; then it checks
// the password. Every path that reaches the check hashes exactly once, and
// no path before it depends on whether the account exists, so a wrong
// e-mail, an account without a password and a wrong password cannot be
// told apart by their answer or their time.
func (s *Handler) handleSignin(w http.ResponseWriter, r *http.Request) {
	if err := s.checkAnonymousForm(w, r); err != nil {
		respond.Error(w, r, err)
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	next := localPath(r.PostForm.Get("next"), "/accounts")
	u, hash, err := s.findSigninUser(r, email)
	if err != nil {
		// The database failing is not a wrong password: say so, count nothing.
		respond.Error(w, r, err)
		return
	}
	t := s.signinThrottle(r, email, u)
	wait, err := s.Sessions.ReserveSignin(r.Context(), t.buckets)
	if err != nil {
		respond.Error(w, r, err)
		return
	} else if wait > 0 {
		s.refuseThrottled(w, r, email, next, wait)
		return
	}
	if !s.checkPassword(u, hash, r.PostForm.Get("password")) {
		request.Logger(r.Context(), s.Logger).Info("sign-in refused", slog.String("client", t.client), slog.Bool("known_device", t.device != ""))
		s.renderSignin(w, r, http.StatusUnauthorized, email, next, s.localeOf(r).T("signin.wrong"))
		return
	}
	if err := s.Sessions.SigninSucceeded(r.Context(), t.forget, t.refund); err != nil {
		respond.Error(w, r, err)
		return
	}
	if s.secondStep(w, r, u, next) {
		return
	}
	if t.device == "" {
		s.setCookie(w, r, deviceCookie, s.newDeviceCookie(u.ID), deviceCookieAge)
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// findSigninUser returns the user of an e-mail address and their password
// hash; nil and "" for an unknown address, which is not an error here.
func (s *Handler) findSigninUser(r *http.Request, email string) (*freenahi.User, string, error) {
	u, err := s.Users.FindUserByEmail(r.Context(), email)
	switch freenahi.ErrorCode(err) {
	case "":
	case freenahi.ENOTFOUND:
		// The same second query as for a known account (no user has id 0),
		// so that the database's time does not tell them apart either.
		if _, err := s.Sessions.UserPasswordHash(r.Context(), 0); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			return nil, "", fmt.Errorf("read a password: %w", cmp.Or(err, errors.New("user 0 exists")))
		}
		return nil, "", nil
	default:
		return nil, "", fmt.Errorf("find user by e-mail: %w", err)
	}
	hash, err := s.Sessions.UserPasswordHash(r.Context(), u.ID)
	if err != nil {
		return nil, "", fmt.Errorf("read the password of user %d: %w", u.ID, err)
	}
	return u, hash, nil
}

// checkPassword hashes pw exactly once whatever the case: against the
// user's hash, or against a dummy one for an unknown e-mail or a user
// without a password (API only), so that timing does not tell them apart.
func (s *Handler) checkPassword(u *freenahi.User, hash, pw string) bool {
	if u == nil || hash == "" {
		s.ui.verify(s.ui.dummyHash, pw)
		return false
	}
	return s.ui.verify(hash, pw) == nil
}

func (s *Handler) refuseThrottled(w http.ResponseWriter, r *http.Request, email, next string, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	s.renderSignin(w, r, http.StatusTooManyRequests, email, next, s.throttledMessage(r, wait))
}

// throttledMessage says how long a throttled attempt must wait.
func (s *Handler) throttledMessage(r *http.Request, wait time.Duration) string {
	l := s.localeOf(r)
	if wait < time.Minute {
		return l.T("signin.throttled_seconds", int(math.Ceil(wait.Seconds())))
	}
	return l.T("signin.throttled", int(math.Ceil(wait.Minutes())))
}

func (s *Handler) handleSignout(w http.ResponseWriter, r *http.Request) {
	if err := s.Sessions.DeleteSession(r.Context(), sessionFrom(r.Context()).id); err != nil {
		respond.Error(w, r, err)
		return
	}
	s.clearCookie(w, r, sessionCookie)
	http.Redirect(w, r, "/signin?msg=flash.signed_out", http.StatusSeeOther)
}

// handleSetupForm offers to create the first user, and only while there is none.
func (s *Handler) handleSetupForm(w http.ResponseWriter, r *http.Request) {
	n, err := s.Sessions.CountUsers(r.Context())
	if err != nil {
		respond.Error(w, r, err)
		return
	} else if n > 0 {
		respond.Error(w, r, freenahi.Errorf(freenahi.ENOTFOUND, "freenahi is already set up; sign in instead."))
		return
	}
	s.renderSetup(w, r, http.StatusOK, "", "")
}

func (s *Handler) renderSetup(w http.ResponseWriter, r *http.Request, status int, email, errMsg string) {
	s.render(w, r, status, "setup", &page{Title: "setup.title", CSRF: s.anonymousToken(w, r), Error: errMsg,
		Data: authView{Email: email, MinLength: password.MinLength}})
}

// handleSetup creates the first user and signs them in. The count is checked
// again under a lock so two racing browsers cannot both become first.
func (s *Handler) handleSetup(w http.ResponseWriter, r *http.Request) {
	if err := s.checkAnonymousForm(w, r); err != nil {
		respond.Error(w, r, err)
		return
	}
	s.ui.setupMu.Lock()
	defer s.ui.setupMu.Unlock()
	if n, err := s.Sessions.CountUsers(r.Context()); err != nil || n > 0 {
		respond.Error(w, r, cmp.Or[error](err, freenahi.Errorf(freenahi.ENOTFOUND, "freenahi is already set up; sign in instead.")))
		return
	}
	f := r.PostForm
	l := s.localeOf(r)
	email, err := freenahi.NormalizeEmail(f.Get("email"))
	if err != nil {
		s.renderSetup(w, r, http.StatusBadRequest, f.Get("email"), l.T("setup.bad_email"))
		return
	}
	pw := f.Get("password")
	if msg := newPasswordProblem(l, pw, f.Get("confirm"), email); msg != "" {
		s.renderSetup(w, r, http.StatusBadRequest, email, msg)
		return
	}
	u, err := s.createUserWithPassword(r, email, pw)
	if err == nil {
		err = s.startSession(w, r, u.ID)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	welcome := "flash.welcome"
	if s.Aggregator == nil {
		welcome = "flash.ready" // not "add your first bank": this server cannot yet
	}
	http.Redirect(w, r, "/connections?msg="+welcome, http.StatusSeeOther)
}

// passwordRefusal says why password.Check refused pw, in the person's
// language: its length, or what makes it easy to guess.
// newPasswordProblem says, in the person's language, why a new password and
// its confirmation are refused for the account email; "" when they are fine.
func newPasswordProblem(l *locale.Locale, pw, confirm, email string) string {
	if err := password.Check(pw, email); err != nil {
		return passwordRefusal(l, pw, err)
	}
	if pw != confirm {
		return l.T("setup.mismatch")
	}
	return ""
}

func passwordRefusal(l *locale.Locale, pw string, err error) string {
	switch n := utf8.RuneCountInString(pw); {
	case n < password.MinLength:
		return l.T("setup.bad_password", password.MinLength)
	case n > password.MaxLength:
		return l.T("setup.long_password", password.MaxLength)
	}
	return l.Err(err)
}

func (s *Handler) createUserWithPassword(r *http.Request, email, pw string) (*freenahi.User, error) {
	hash, err := password.Hash(pw)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	return s.Users.CreateUser(r.Context(), email, hash)
}

// handleLanguage switches the person's language with a cookie and goes back.
func (s *Handler) handleLanguage(w http.ResponseWriter, r *http.Request) {
	lang := locale.Supported(r.PathValue("lang"))
	if lang == "" {
		s.handleUINotFound(w, r)
		return
	}
	s.setCookie(w, r, langCookie, lang, 365*24*time.Hour)
	http.Redirect(w, r, localPath(r.URL.Query().Get("back"), "/"), http.StatusSeeOther)
}
