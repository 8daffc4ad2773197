package ui

import (
	"cmp"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

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

func mustDummyHash() string {
	h, err := password.Hash("not-a-real-password-" + randomToken())
	if err != nil {
		panic(err)
	}
	return h
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

// handleSignin checks the throttles first, so a blocked address costs no
// password hashing, then the password. Wrong e-mail and wrong password get
// the same answer in the same time.
func (s *Handler) handleSignin(w http.ResponseWriter, r *http.Request) {
	if err := s.checkAnonymousForm(w, r); err != nil {
		respond.Error(w, r, err)
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	next := localPath(r.PostForm.Get("next"), "/accounts")
	ipKey, now := s.clientKey(r), s.Now()
	if wait := max(s.ui.byIP.retryAfter(ipKey, now), s.ui.byEmail.retryAfter(email, now)); wait > 0 {
		s.refuseThrottled(w, r, email, next, wait)
		return
	}
	u, err := s.verifyPassword(r, email, r.PostForm.Get("password"))
	if err != nil && freenahi.ErrorCode(err) != freenahi.EUNAUTHORIZED {
		respond.Error(w, r, err)
		return
	}
	if err != nil {
		s.ui.byIP.fail(ipKey, now)
		s.ui.byEmail.fail(email, now)
		request.Logger(r.Context(), s.Logger).Info("sign-in refused", slog.String("ip", ipKey))
		s.renderSignin(w, r, http.StatusUnauthorized, email, next, s.localeOf(r).T("signin.wrong"))
		return
	}
	s.ui.byEmail.reset(email)
	if err := s.startSession(w, r, u.ID); err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// verifyPassword returns the user when the password matches. Unknown e-mails
// verify against a dummy hash so they take as long as known ones.
func (s *Handler) verifyPassword(r *http.Request, email, pw string) (*freenahi.User, error) {
	wrong := freenahi.Errorf(freenahi.EUNAUTHORIZED, "Wrong e-mail or password.")
	u, err := s.Users.FindUserByEmail(r.Context(), email)
	hash := ""
	switch freenahi.ErrorCode(err) {
	case "":
		if hash, err = s.Sessions.UserPasswordHash(r.Context(), u.ID); err != nil {
			return nil, fmt.Errorf("read the password of user %d: %w", u.ID, err)
		}
	case freenahi.ENOTFOUND:
		u = nil
	default:
		// The database failing is not a wrong password: say so, count nothing.
		return nil, fmt.Errorf("find user by e-mail: %w", err)
	}
	// An unknown e-mail, or a user without a password (API only), costs the
	// same hashing as a real check, so timing does not tell them apart.
	if u == nil || hash == "" {
		password.Verify(s.ui.dummyHash, pw)
		return nil, wrong
	}
	if password.Verify(hash, pw) != nil {
		return nil, wrong
	}
	return u, nil
}

func (s *Handler) refuseThrottled(w http.ResponseWriter, r *http.Request, email, next string, wait time.Duration) {
	minutes := int(math.Ceil(wait.Minutes()))
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	s.renderSignin(w, r, http.StatusTooManyRequests, email, next, s.localeOf(r).T("signin.throttled", minutes))
}

// clientKey is the throttling key of the client's address.
func (s *Handler) clientKey(r *http.Request) string {
	ip, ok := request.ClientIP(r, s.TrustedProxies)
	if !ok {
		return "unknown"
	}
	if ip.Is6() {
		// One person usually holds a whole /64.
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
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
	if err := password.Check(pw); err != nil {
		s.renderSetup(w, r, http.StatusBadRequest, email, l.T("setup.bad_password", password.MinLength))
		return
	} else if pw != f.Get("confirm") {
		s.renderSetup(w, r, http.StatusBadRequest, email, l.T("setup.mismatch"))
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
