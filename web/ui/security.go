package ui

import (
	"context"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/notify"
	"github.com/freenahi/freenahi/twofactor"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// SecurityStore keeps what protects a person's account (the store): reset
// links, two-factor sign-in, the sessions list, the users of the
// administrator's page.
type SecurityStore interface {
	UserPasswordHash(ctx context.Context, userID int64) (string, error)
	UserDisabled(ctx context.Context, userID int64) (bool, error)
	CreateSessionOn(ctx context.Context, userID int64, device string, idle, lifetime time.Duration) (string, error)
	SessionRef(id string) string
	FindSessions(ctx context.Context, userID int64) ([]*freenahi.SessionInfo, error)
	RevokeSession(ctx context.Context, userID int64, ref string) error
	DeleteUserSessions(ctx context.Context, userID int64) error

	CreatePasswordReset(ctx context.Context, userID int64, ttl time.Duration) (string, error)
	FindPasswordReset(ctx context.Context, token string) (*freenahi.User, error)
	ResetPassword(ctx context.Context, token, hash string) (*freenahi.User, error)

	SaveTOTPSecret(ctx context.Context, userID int64, secret string) error
	FindTOTP(ctx context.Context, userID int64) (*freenahi.TOTPState, error)
	EnableTOTP(ctx context.Context, userID, step int64, recovery []string) error
	AcceptTOTPStep(ctx context.Context, userID, step int64) error
	UseRecoveryCode(ctx context.Context, userID int64, code string) error
	CountRecoveryCodes(ctx context.Context, userID int64) (int, error)
	DisableTOTP(ctx context.Context, userID int64) error
	ReplaceRecoveryCodes(ctx context.Context, userID int64, codes []string) error

	CreateInvite(ctx context.Context, invitedBy int64, email string, ttl time.Duration) (*freenahi.Invite, error)
	FindInvite(ctx context.Context, token string) (*freenahi.Invite, error)
	AcceptInvite(ctx context.Context, token, hash string) (*freenahi.User, error)
	IsAdmin(ctx context.Context, userID int64) (bool, error)
	FindUserInfos(ctx context.Context) ([]*freenahi.UserInfo, error)
	FindUserInfo(ctx context.Context, userID int64) (*freenahi.UserInfo, error)
	SetUserDisabled(ctx context.Context, userID int64, disabled bool) error
	DeleteUser(ctx context.Context, userID int64) error
}

// Mailer sends one e-mail (notify.SMTP).
type Mailer interface {
	Send(ctx context.Context, m notify.Mail) error
}

// recoveryCodeCount is how many recovery codes a person gets at a time.
const recoveryCodeCount = 10

func (s *Handler) registerUISecurityRoutes(mux *http.ServeMux) {
	if s.Security == nil {
		return
	}
	mux.HandleFunc("GET /settings/security", s.signedIn(s.handleSecurity))
	mux.HandleFunc("POST /settings/security/2fa/start", s.signedIn(s.handleTOTPStart))
	mux.HandleFunc("GET /settings/security/2fa", s.signedIn(s.handleTOTPEnrolForm))
	mux.HandleFunc("POST /settings/security/2fa", s.signedIn(s.handleTOTPEnrol))
	mux.HandleFunc("POST /settings/security/2fa/disable", s.signedIn(s.handleTOTPDisable))
	mux.HandleFunc("POST /settings/security/recovery", s.signedIn(s.handleRecoveryRenew))
	mux.HandleFunc("POST /settings/sessions/{ref}/revoke", s.signedIn(s.handleSessionRevoke))
	mux.HandleFunc("POST /settings/sessions/signout-all", s.signedIn(s.handleSignoutEverywhere))
	s.registerUISigninTOTPRoutes(mux)
	s.registerUIResetRoutes(mux)
	s.registerUIUserAdminRoutes(mux)
}

// securityView is the security page: two-factor sign-in and sessions.
type securityView struct {
	TwoFactor    bool
	RecoveryLeft int
	Sessions     []*freenahi.SessionInfo
	Current      string // the reference of this browser's session
	Admin        bool
	// RecoveryCodes are shown once, right after they are drawn.
	RecoveryCodes []string
}

func (s *Handler) securityView(r *http.Request) (*securityView, error) {
	ctx := r.Context()
	u := request.User(ctx)
	v := &securityView{Current: s.Security.SessionRef(sessionFrom(ctx).id)}
	st, err := s.Security.FindTOTP(ctx, u.ID)
	switch freenahi.ErrorCode(err) {
	case "":
		v.TwoFactor = st.Enabled
	case freenahi.ENOTFOUND:
	default:
		return nil, err
	}
	if v.RecoveryLeft, err = s.Security.CountRecoveryCodes(ctx, u.ID); err != nil {
		return nil, err
	}
	if v.Sessions, err = s.Security.FindSessions(ctx, u.ID); err != nil {
		return nil, err
	}
	if v.Admin, err = s.Security.IsAdmin(ctx, u.ID); err != nil {
		return nil, err
	}
	return v, nil
}

func (s *Handler) handleSecurity(w http.ResponseWriter, r *http.Request) {
	s.renderSecurity(w, r, http.StatusOK, "", nil)
}

func (s *Handler) renderSecurity(w http.ResponseWriter, r *http.Request, status int, msg string, codes []string) {
	v, err := s.securityView(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v.RecoveryCodes = codes
	s.render(w, r, status, "security", &page{Title: "security.title", Nav: "security", Error: msg, Data: v})
}

// handleTOTPStart draws a new secret (not yet guarding sign-in) and sends
// the person to the page that shows it.
func (s *Handler) handleTOTPStart(w http.ResponseWriter, r *http.Request) {
	u := request.User(r.Context())
	e, err := twofactor.New("freenahi", u.Email)
	if err == nil {
		err = s.Security.SaveTOTPSecret(r.Context(), u.ID, e.Secret)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/security/2fa", http.StatusSeeOther)
}

// enrolView is the enrolment page: the QR code, the secret as text.
type enrolView struct {
	Secret string
	// QR is the PNG QR code as a data: URL (drawn here, nothing external).
	QR string
}

func (s *Handler) handleTOTPEnrolForm(w http.ResponseWriter, r *http.Request) {
	s.renderEnrol(w, r, http.StatusOK, "")
}

func (s *Handler) renderEnrol(w http.ResponseWriter, r *http.Request, status int, msg string) {
	u := request.User(r.Context())
	st, err := s.Security.FindTOTP(r.Context(), u.ID)
	if freenahi.ErrorCode(err) == freenahi.ENOTFOUND || (err == nil && st.Enabled) {
		http.Redirect(w, r, "/settings/security", http.StatusSeeOther)
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	uri := twofactor.URI("freenahi", u.Email, st.Secret)
	png, err := twofactor.QRCode(uri, 240)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, status, "totp_enrol", &page{Title: "totp.enrol_title", Nav: "security", Error: msg,
		Data: enrolView{Secret: st.Secret, QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)}})
}

// handleTOTPEnrol turns two-factor sign-in on once the person typed a code
// of their app, and shows the recovery codes, once.
func (s *Handler) handleTOTPEnrol(w http.ResponseWriter, r *http.Request) {
	u := request.User(r.Context())
	st, err := s.Security.FindTOTP(r.Context(), u.ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	step, ok := twofactor.Verify(st.Secret, r.PostForm.Get("code"), s.Now())
	if !ok {
		s.renderEnrol(w, r, http.StatusUnprocessableEntity, s.localeOf(r).T("totp.wrong_code"))
		return
	}
	codes := twofactor.RecoveryCodes(recoveryCodeCount)
	if err := s.Security.EnableTOTP(r.Context(), u.ID, step, codes); err != nil {
		respond.Error(w, r, err)
		return
	}
	s.renderSecurity(w, r, http.StatusOK, "", codes)
}

// checkCurrentPassword verifies the signed-in person's password, for the
// changes that need it again.
func (s *Handler) checkCurrentPassword(r *http.Request, pw string) (bool, error) {
	hash, err := s.Security.UserPasswordHash(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		return false, err
	}
	return hash != "" && s.ui.verify(hash, pw) == nil, nil
}

// handleTOTPDisable turns two-factor sign-in off, with the password.
func (s *Handler) handleTOTPDisable(w http.ResponseWriter, r *http.Request) {
	if !s.passwordConfirmed(w, r) {
		return
	}
	if err := s.Security.DisableTOTP(r.Context(), request.User(r.Context()).ID); err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/security?msg=flash.totp_off", http.StatusSeeOther)
}

// handleRecoveryRenew draws new recovery codes (the old ones stop working),
// with the password, and shows them once.
func (s *Handler) handleRecoveryRenew(w http.ResponseWriter, r *http.Request) {
	if !s.passwordConfirmed(w, r) {
		return
	}
	u := request.User(r.Context())
	codes := twofactor.RecoveryCodes(recoveryCodeCount)
	if err := s.Security.ReplaceRecoveryCodes(r.Context(), u.ID, codes); err != nil {
		respond.Error(w, r, err)
		return
	}
	s.renderSecurity(w, r, http.StatusOK, "", codes)
}

// passwordConfirmed checks the password posted with a sensitive change,
// charged to the person's password-check throttle; on refusal it answers
// and returns false.
func (s *Handler) passwordConfirmed(w http.ResponseWriter, r *http.Request) bool {
	u := request.User(r.Context())
	b := s.passwordCheckBucket(u)
	wait, err := s.Sessions.ReserveSignin(r.Context(), []freenahi.SigninBucket{b})
	if err != nil {
		respond.Error(w, r, err)
		return false
	} else if wait > 0 {
		s.renderSecurity(w, r, http.StatusTooManyRequests, s.throttledMessage(r, wait), nil)
		return false
	}
	ok, err := s.checkCurrentPassword(r, r.PostForm.Get("password"))
	if err != nil {
		respond.Error(w, r, err)
		return false
	} else if !ok {
		s.renderSecurity(w, r, http.StatusUnprocessableEntity, s.localeOf(r).T("password.wrong_current"), nil)
		return false
	}
	if err := s.Sessions.SigninSucceeded(r.Context(), []string{b.Key}, nil); err != nil {
		respond.Error(w, r, err)
		return false
	}
	return true
}

// passwordCheckBucket throttles the checks of a signed-in person's password
// (password change, two-factor changes): a stolen session cannot guess it
// faster than sign-in could.
func (s *Handler) passwordCheckBucket(u *freenahi.User) freenahi.SigninBucket {
	return freenahi.SigninBucket{Key: "session-password:" + u.Email, Account: u.Email,
		Free: s.Config.MaxLoginFailuresPerEmail, MaxDelay: s.Config.LoginWindow}
}

func (s *Handler) handleSessionRevoke(w http.ResponseWriter, r *http.Request) {
	u := request.User(r.Context())
	ref := r.PathValue("ref")
	if err := s.Security.RevokeSession(r.Context(), u.ID, ref); err != nil {
		respond.Error(w, r, err)
		return
	}
	if ref == s.Security.SessionRef(sessionFrom(r.Context()).id) {
		s.clearCookie(w, r, sessionCookie)
		http.Redirect(w, r, "/signin?msg=flash.signed_out", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/settings/security?msg=flash.session_revoked", http.StatusSeeOther)
}

// handleSignoutEverywhere ends every session of the person, this one too.
func (s *Handler) handleSignoutEverywhere(w http.ResponseWriter, r *http.Request) {
	if err := s.Security.DeleteUserSessions(r.Context(), request.User(r.Context()).ID); err != nil {
		respond.Error(w, r, err)
		return
	}
	s.clearCookie(w, r, sessionCookie)
	http.Redirect(w, r, "/signin?msg=flash.signed_out_everywhere", http.StatusSeeOther)
}
