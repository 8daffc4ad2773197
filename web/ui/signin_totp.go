package ui

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/twofactor"
	"github.com/freenahi/freenahi/web/respond"
)

// Two-factor sign-in. A right password of an account with two-factor
// sign-in on does not start a session: it leaves a short-lived signed
// cookie naming the account (bound to this browser's pre-session cookie)
// and asks for a code of the person's app, or one of their recovery codes.
// Codes are throttled like passwords, per device or client, so that someone
// who knows the password cannot guess codes, nor keep the owner out from a
// device where they signed in before.

// pendingCookie holds the account whose password was right, waiting for
// its second factor.
const pendingCookie = "freenahi_2fa"

// pendingAge is how long the second step may wait after the password.
const pendingAge = 10 * time.Minute

func (s *Handler) registerUISigninTOTPRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /signin/2fa", s.page(s.handleSigninTOTPForm))
	mux.HandleFunc("POST /signin/2fa", s.page(s.handleSigninTOTP))
}

// secondStep runs after a right password: a disabled account is refused,
// an account with two-factor sign-in goes to the code form. It returns
// true when it answered.
func (s *Handler) secondStep(w http.ResponseWriter, r *http.Request, u *freenahi.User, next string) bool {
	if s.Security == nil {
		return false
	}
	disabled, err := s.Security.UserDisabled(r.Context(), u.ID)
	if err != nil {
		respond.Error(w, r, err)
		return true
	} else if disabled {
		s.renderSignin(w, r, http.StatusForbidden, u.Email, next, s.localeOf(r).T("signin.disabled"))
		return true
	}
	st, err := s.Security.FindTOTP(r.Context(), u.ID)
	switch {
	case freenahi.ErrorCode(err) == freenahi.ENOTFOUND || (err == nil && !st.Enabled):
		return false
	case err != nil:
		respond.Error(w, r, err)
		return true
	}
	s.setCookie(w, r, pendingCookie, s.pendingValue(r, u.ID, s.Now().Add(pendingAge)), pendingAge)
	http.Redirect(w, r, "/signin/2fa?next="+url.QueryEscape(next), http.StatusSeeOther)
	return true
}

// pendingValue is "user.expiry.mac", the MAC also covering this browser's
// pre-session cookie, so that the cookie does not work in another browser.
func (s *Handler) pendingValue(r *http.Request, userID int64, exp time.Time) string {
	v := strconv.FormatInt(userID, 10) + "." + strconv.FormatInt(exp.Unix(), 10)
	return v + "." + s.pendingMAC(r, v)
}

func (s *Handler) pendingMAC(r *http.Request, v string) string {
	pre := ""
	if c, err := r.Cookie(preCookie); err == nil {
		pre = c.Value
	}
	m := hmac.New(sha256.New, s.ui.deviceKey)
	m.Write([]byte("signin-2fa|" + v + "|" + pre))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// pendingUser returns the account waiting for its second factor, or 0.
func (s *Handler) pendingUser(r *http.Request) int64 {
	c, err := r.Cookie(pendingCookie)
	if err != nil || len(c.Value) > 200 {
		return 0
	}
	i := strings.LastIndexByte(c.Value, '.')
	if i < 0 || !hmac.Equal([]byte(c.Value[i+1:]), []byte(s.pendingMAC(r, c.Value[:i]))) {
		return 0
	}
	uid, exp, _ := strings.Cut(c.Value[:i], ".")
	id, err1 := strconv.ParseInt(uid, 10, 64)
	e, err2 := strconv.ParseInt(exp, 10, 64)
	if err1 != nil || err2 != nil || s.Now().Unix() > e {
		return 0
	}
	return id
}

// totpView is the code form of the second step.
type totpView struct {
	Next     string
	Recovery bool // the recovery code form rather than the app's code
}

func (s *Handler) handleSigninTOTPForm(w http.ResponseWriter, r *http.Request) {
	if s.pendingUser(r) == 0 {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	s.renderSigninTOTP(w, r, http.StatusOK, r.URL.Query().Get("next"), r.URL.Query().Get("recovery") != "", "")
}

func (s *Handler) renderSigninTOTP(w http.ResponseWriter, r *http.Request, status int, next string, recovery bool, msg string) {
	s.render(w, r, status, "signin_totp", &page{Title: "totp.signin_title", CSRF: s.anonymousToken(w, r), Error: msg,
		Data: totpView{Next: localPath(next, ""), Recovery: recovery}})
}

// handleSigninTOTP checks the second factor, charged first to the throttle.
func (s *Handler) handleSigninTOTP(w http.ResponseWriter, r *http.Request) {
	if err := s.checkAnonymousForm(w, r); err != nil {
		respond.Error(w, r, err)
		return
	}
	next := localPath(r.PostForm.Get("next"), "/accounts")
	recovery := r.PostForm.Has("recovery")
	uid := s.pendingUser(r)
	if uid == 0 {
		http.Redirect(w, r, "/signin?msg=flash.signin_again", http.StatusSeeOther)
		return
	}
	u, err := s.Users.FindUserByID(r.Context(), uid)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	t := s.totpThrottle(r, u)
	wait, err := s.Sessions.ReserveSignin(r.Context(), t.buckets)
	if err != nil {
		respond.Error(w, r, err)
		return
	} else if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		s.renderSigninTOTP(w, r, http.StatusTooManyRequests, next, recovery, s.throttledMessage(r, wait))
		return
	}
	if !s.checkSecondFactor(r, u.ID, recovery) {
		s.renderSigninTOTP(w, r, http.StatusUnauthorized, next, recovery, s.localeOf(r).T("totp.wrong_code"))
		return
	}
	if err := s.Sessions.SigninSucceeded(r.Context(), t.forget, t.refund); err != nil {
		respond.Error(w, r, err)
		return
	}
	s.clearCookie(w, r, pendingCookie)
	if t.device == "" {
		s.setCookie(w, r, deviceCookie, s.newDeviceCookie(u.ID), deviceCookieAge)
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// checkSecondFactor checks the posted code: a code of the app (each time
// step once), or an unused recovery code.
func (s *Handler) checkSecondFactor(r *http.Request, userID int64, recovery bool) bool {
	if recovery {
		return s.Security.UseRecoveryCode(r.Context(), userID, twofactor.NormalizeRecoveryCode(r.PostForm.Get("code"))) == nil
	}
	st, err := s.Security.FindTOTP(r.Context(), userID)
	if err != nil || !st.Enabled {
		return false
	}
	step, ok := twofactor.Verify(st.Secret, r.PostForm.Get("code"), s.Now())
	return ok && s.Security.AcceptTOTPStep(r.Context(), userID, step) == nil
}

// totpThrottle is signinThrottle for codes: apart from passwords' buckets,
// by known device or by client, never shared across accounts.
func (s *Handler) totpThrottle(r *http.Request, u *freenahi.User) signinThrottle {
	cfg := &s.Config
	client := s.clientKey(r)
	if device := s.knownDevice(r, u.ID); device != "" {
		key := "totp-device:" + u.Email + "|" + device
		return signinThrottle{client: client, device: device, forget: []string{key},
			buckets: []freenahi.SigninBucket{{Key: key, Account: u.Email, Free: cfg.MaxLoginFailuresPerEmail, MaxDelay: min(deviceMaxDelay, cfg.LoginWindow)}}}
	}
	pair, account := "totp-client:"+u.Email+"|"+client, "totp-account:"+u.Email
	return signinThrottle{client: client, forget: []string{pair}, refund: []string{account},
		buckets: []freenahi.SigninBucket{
			{Key: pair, Account: u.Email, Free: cfg.MaxLoginFailuresPerEmail, MaxDelay: cfg.LoginWindow},
			{Key: account, Account: u.Email, Free: cfg.MaxLoginFailuresPerAccount, MaxDelay: cfg.LoginWindow},
		}}
}
