package web

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
)

// The server-rendered web UI: sign-in, accounts, transactions, connections
// and the custom Powens connection flow. Pages are html/template files
// parsed once at start-up; assets are embedded; nothing comes from a CDN.

// SessionStore keeps the UI's users and sign-in sessions (the store). Only
// a hash of each session id is stored.
type SessionStore interface {
	CountUsers(ctx context.Context) (int, error)
	UserPasswordHash(ctx context.Context, userID int64) (string, error)
	CreateSession(ctx context.Context, userID int64, idle, lifetime time.Duration) (string, error)
	FindSession(ctx context.Context, id string) (*freenahi.User, time.Time, error)
	TouchSession(ctx context.Context, id string, idle time.Duration) error
	DeleteSession(ctx context.Context, id string) error
}

// UIConfig configures the web UI. Zero values select the defaults.
type UIConfig struct {
	// Language is the default language (OTHER_LANGUAGE); the UI speaks en
	// and fr and falls back to en. A person can switch with a link.
	Language string
	// CallbackURL is where the bank's page sends the person back after a
	// webauth step (its path is served by the callback); Powens requires it
	// to be whitelisted in its console. When empty, it is /connect/callback
	// on the host the person uses. The webview comes back to the
	// Aggregator's POWENS_REDIRECT_URL instead.
	CallbackURL string
	// SessionIdle ends a session unused for that long (default 7 days);
	// SessionLifetime ends it whatever its use (default 30 days).
	SessionIdle, SessionLifetime time.Duration
	// Location is the zone instants are shown in (default Europe/Paris).
	Location *time.Location
	// MaxLoginFailures bound failed sign-ins per e-mail address and per IP
	// address within LoginWindow (defaults 5, 20 and 15 min).
	MaxLoginFailuresPerEmail, MaxLoginFailuresPerIP int
	LoginWindow                                     time.Duration
}

// uiState is the UI's runtime state, built once by registerUIRoutes.
type uiState struct {
	pages     map[string]map[string]*pageTemplate // language → page name → template
	assets    map[string]string                   // asset name → content hash, for cache busting
	cop       *http.CrossOriginProtection
	byEmail   *limiter
	byIP      *limiter
	dummyHash string     // verified for unknown e-mails, so timing does not reveal accounts
	setupMu   sync.Mutex // serialises first-run setup in this process
}

func (c *UIConfig) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.SessionIdle, 7*24*time.Hour)
	def(&c.SessionLifetime, 30*24*time.Hour)
	def(&c.LoginWindow, 15*time.Minute)
	if c.MaxLoginFailuresPerEmail <= 0 {
		c.MaxLoginFailuresPerEmail = 5
	}
	if c.MaxLoginFailuresPerIP <= 0 {
		c.MaxLoginFailuresPerIP = 20
	}
	if c.Location == nil {
		c.Location = paris
	}
	if c.Language = supportedLang(c.Language); c.Language == "" {
		c.Language = uiLanguages[0]
	}
}

// registerUIRoutes registers the HTML pages. Without a SessionStore the
// server has no UI (an API-only or webhook-only server).
func (s *Server) registerUIRoutes() {
	if s.Sessions == nil {
		return
	}
	s.UI.setDefaults()
	s.ui = newUIState(&s.UI)
	s.registerUIAuthRoutes()
	s.registerUITokenRoutes()
	s.registerUIAccountRoutes()
	s.registerUIExportRoutes()
	s.registerUIInqomRoutes()
	s.registerUITransactionRoutes()
	s.registerUIConnectionRoutes()
	s.registerUIConnectRoutes()
	s.mux.Handle("GET /static/", s.staticHandler())
	s.mux.HandleFunc("GET /{$}", s.page(s.handleHome))
	// "/" rather than "GET /", which would conflict with the API's "/api/".
	s.mux.HandleFunc("/", s.page(s.handleUINotFound))
}

// paris is the zone instants are shown in by default, Powens' own.
var paris = mustLoadLocation("Europe/Paris")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func newUIState(cfg *UIConfig) *uiState {
	ui := &uiState{
		cop:     http.NewCrossOriginProtection(),
		byEmail: newLimiter(cfg.MaxLoginFailuresPerEmail, cfg.LoginWindow),
		byIP:    newLimiter(cfg.MaxLoginFailuresPerIP, cfg.LoginWindow),
	}
	ui.assets = assetHashes()
	ui.pages = parsePages(ui.assets, cfg.Location)
	ui.dummyHash = mustDummyHash()
	return ui
}

// page wraps every UI handler: security headers, and the HTML 404 for
// unknown paths rather than the API's problem document.
func (s *Server) page(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h2 := w.Header()
		// No inline script or style anywhere, so the policy can be strict.
		// form-action is left out: the webauth step redirects a form post to the bank.
		h2.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
		h2.Set("X-Content-Type-Options", "nosniff")
		h2.Set("X-Frame-Options", "DENY")
		h2.Set("Referrer-Policy", "same-origin")
		h(w, r)
	}
}

// handleHome sends a person to setup, sign-in or their accounts.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	n, err := s.Sessions.CountUsers(r.Context())
	switch sess, _ := s.currentSession(w, r); {
	case err != nil:
		s.uiError(w, r, err)
	case n == 0:
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
	case sess == nil:
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/accounts", http.StatusSeeOther)
	}
}

func (s *Server) handleUINotFound(w http.ResponseWriter, r *http.Request) {
	s.uiError(w, r, freenahi.Errorf(freenahi.ENOTFOUND, "No such page: %s", r.URL.Path))
}
