package ui

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/locale"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// Cookies of the web UI.
const (
	sessionCookie = "freenahi_session"
	// preCookie holds a random value that sign-in and setup forms post back
	// (double submit), since there is no session yet to tie a token to.
	preCookie  = "freenahi_pre"
	langCookie = "freenahi_lang"
)

// touchEvery limits session writes to one per minute per browser.
const touchEvery = time.Minute

// maxFormBytes bounds every UI form body.
const maxFormBytes = 64 << 10

// uiSession is the signed-in person of a request.
type uiSession struct {
	id   string
	user *freenahi.User
	csrf string
}

type uiSessionKey struct{}

func sessionFrom(ctx context.Context) *uiSession {
	sess, _ := ctx.Value(uiSessionKey{}).(*uiSession)
	return sess
}

// derive makes an independent secret from a session id for one purpose, so
// the CSRF token (in every page) reveals nothing about the cookie.
func derive(sessionID, purpose string) []byte {
	m := hmac.New(sha256.New, []byte(sessionID))
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// currentSession returns the session of the request's cookie, or nil, and
// refreshes its idle expiry at most once a minute.
func (s *Handler) currentSession(w http.ResponseWriter, r *http.Request) (*uiSession, error) {
	if sess := sessionFrom(r.Context()); sess != nil {
		return sess, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return nil, nil
	}
	u, seen, err := s.Sessions.FindSession(r.Context(), c.Value)
	if freenahi.ErrorCode(err) == freenahi.EUNAUTHORIZED {
		s.clearCookie(w, r, sessionCookie)
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if s.Now().Sub(seen) > touchEvery {
		if err := s.Sessions.TouchSession(r.Context(), c.Value, s.Config.SessionIdle); err != nil {
			return nil, err
		}
	}
	return &uiSession{id: c.Value, user: u, csrf: base64.RawURLEncoding.EncodeToString(derive(c.Value, "csrf"))}, nil
}

// signedIn requires a session: pages redirect to sign-in, and forms are
// checked against cross-site posting before the handler runs.
// withOptionalSession is r with the signed-in person's session when there
// is one (pages open to all, such as the webview's return, then show the
// navigation); r unchanged otherwise.
func (s *Handler) withOptionalSession(w http.ResponseWriter, r *http.Request) *http.Request {
	sess, err := s.currentSession(w, r)
	if err != nil || sess == nil {
		return r
	}
	ctx := context.WithValue(r.Context(), uiSessionKey{}, sess)
	return r.WithContext(request.WithUser(ctx, sess.user))
}

func (s *Handler) signedIn(h http.HandlerFunc) http.HandlerFunc {
	return s.page(func(w http.ResponseWriter, r *http.Request) {
		sess, err := s.currentSession(w, r)
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		if sess == nil {
			if r.Method != http.MethodGet {
				// The form's page was open when the session ended; start over.
				http.Redirect(w, r, "/signin", http.StatusSeeOther)
				return
			}
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		ctx := context.WithValue(r.Context(), uiSessionKey{}, sess)
		ctx = request.WithUser(ctx, sess.user)
		r = r.WithContext(ctx)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := s.checkForm(w, r, sess.csrf); err != nil {
				respond.Error(w, r, err)
				return
			}
		}
		h(w, r)
	})
}

// checkForm refuses cross-site posts (Sec-Fetch-Site/Origin through Go's
// CrossOriginProtection) and posts without the page's CSRF token, then
// parses the form within a size limit.
func (s *Handler) checkForm(w http.ResponseWriter, r *http.Request, want string) error {
	forbidden := freenahi.Errorf(freenahi.EFORBIDDEN, "This form was not sent from a freenahi page; go back, reload it and try again.")
	if err := s.ui.cop.Check(r); err != nil {
		return forbidden
	}
	if isUpload(r) {
		if err := parseUpload(w, r); err != nil {
			return err
		}
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			return freenahi.Errorf(freenahi.EINVALID, "The form could not be read.")
		}
	}
	got := r.PostForm.Get("csrf")
	if want == "" || !hmac.Equal([]byte(got), []byte(want)) {
		return forbidden
	}
	return nil
}

// anonymousToken returns the pre-session token of the browser, setting the
// cookie that holds it when missing.
func (s *Handler) anonymousToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preCookie); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	v := randomToken()
	s.setCookie(w, r, preCookie, v, 0)
	return v
}

// checkAnonymousForm is checkForm for the sign-in and setup forms.
func (s *Handler) checkAnonymousForm(w http.ResponseWriter, r *http.Request) error {
	want := ""
	if c, err := r.Cookie(preCookie); err == nil {
		want = c.Value
	}
	return s.checkForm(w, r, want)
}

// startSession signs a user in with a new session id, so an id planted
// before sign-in (session fixation) is never promoted.
func (s *Handler) startSession(w http.ResponseWriter, r *http.Request, userID int64) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		s.Sessions.DeleteSession(r.Context(), c.Value)
	}
	var id string
	var err error
	if s.Security != nil {
		id, err = s.Security.CreateSessionOn(r.Context(), userID, r.UserAgent(), s.Config.SessionIdle, s.Config.SessionLifetime)
	} else {
		id, err = s.Sessions.CreateSession(r.Context(), userID, s.Config.SessionIdle, s.Config.SessionLifetime)
	}
	if err != nil {
		return err
	}
	s.setCookie(w, r, sessionCookie, id, s.Config.SessionLifetime)
	return nil
}

// setCookie sets an HttpOnly, SameSite=Lax cookie, Secure when the person
// reached us over TLS. Lax (not Strict) lets the bank's redirect back to the
// callback carry the session.
func (s *Handler) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.overTLS(r), MaxAge: int(maxAge / time.Second)})
}

func (s *Handler) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.overTLS(r), MaxAge: -1})
}

// overTLS reports whether the browser's connection is encrypted: TLS here,
// or X-Forwarded-Proto: https set by a trusted reverse proxy.
func (s *Handler) overTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return false
	}
	ip, ok := request.PeerIP(r)
	return ok && request.InPrefixes(ip, s.TrustedProxies)
}

// localeOf returns the request's language: the person's cookie, else the default.
func (s *Handler) localeOf(r *http.Request) *locale.Locale {
	// The person's choice (the language link), else their browser's, else
	// the server's default (OTHER_LANGUAGE).
	lang := s.Config.Language
	if c, err := r.Cookie(langCookie); err == nil && locale.Supported(c.Value) != "" {
		lang = locale.Supported(c.Value)
	} else if l := locale.FromAcceptLanguage(r.Header.Get("Accept-Language")); l != "" {
		lang = l
	}
	return locale.New(lang, s.Config.Location)
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// localPath returns next when it is a path on this site, else fallback, so
// a crafted ?next= cannot send a person elsewhere after sign-in.
func localPath(next, fallback string) string {
	// Browsers drop tabs and newlines from URLs and read a backslash as a
	// slash, so "/\t/evil.example" would become "//evil.example": only a
	// clean path of this site passes, with printable ASCII and no scheme or host.
	for _, r := range next {
		if r < 0x21 || r > 0x7e || r == '\\' {
			return fallback
		}
	}
	u, err := url.Parse(next)
	if err != nil || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || u.Scheme != "" || u.Host != "" {
		return fallback
	}
	return next
}
