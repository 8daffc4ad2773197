// Package ui serves freenahi's web UI: sign-in, accounts, transactions,
// connections and the custom Powens connection flow, the accounting pages.
// Pages are html/template files parsed once at start-up, in every language
// of the locale package; assets are embedded; nothing comes from a CDN.
// Handlers parse the request, call a service and render; every failure
// leaves through respond.Error, which answers with this package's error page.
package ui

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/internal/lru"
	"github.com/freenahi/freenahi/password"
	"github.com/freenahi/freenahi/web/locale"
	"github.com/freenahi/freenahi/web/respond"
)

// SessionStore keeps the UI's users and sign-in sessions (the store). Only
// a hash of each session id is stored.
type SessionStore interface {
	CountUsers(ctx context.Context) (int, error)
	UserPasswordHash(ctx context.Context, userID int64) (string, error)
	CreateSession(ctx context.Context, userID int64, idle, lifetime time.Duration) (string, error)
	FindSession(ctx context.Context, id string) (*freenahi.User, time.Time, error)
	TouchSession(ctx context.Context, id string, idle time.Duration) error
	DeleteSession(ctx context.Context, id string) error
	// ReserveSignin, SigninSucceeded: see store.Store; the throttle of
	// sign-in attempts, shared by every instance.
	ReserveSignin(ctx context.Context, buckets []freenahi.SigninBucket) (time.Duration, error)
	SigninSucceeded(ctx context.Context, forget, refund []string) error
}

// RefusalSource reads the counts of refused webhook deliveries.
type RefusalSource interface {
	FindRefusals(ctx context.Context, since time.Time) ([]freenahi.WebhookRefusal, error)
}

// Config configures the web UI. Zero values select the defaults.
type Config struct {
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
	// MaxLoginFailures are the failed sign-ins let through without delay:
	// PerEmail for an account from one client or one known device (5),
	// PerAccount for an account from all unknown clients together (20),
	// PerIP for one client address across accounts (20). After them each
	// attempt waits 10 s, doubling up to LoginWindow (15 min; 5 min at most
	// on a known device). See signin_throttle.go.
	MaxLoginFailuresPerEmail, MaxLoginFailuresPerAccount, MaxLoginFailuresPerIP int
	LoginWindow                                                                 time.Duration
	// DeviceKey signs the cookie that marks a browser where an account
	// signed in, whose attempts are counted apart from everyone else's. The
	// server derives it from the secrets key, so every instance and every
	// restart accepts the same cookies; empty draws a key for this process.
	DeviceKey []byte
	// InqomAllowLoopback lets a person's Inqom credentials use http and
	// addresses of this computer (FREENAHI_INQOM_ALLOW_LOOPBACK; the demo).
	InqomAllowLoopback bool
	// VerifyPassword checks a password against its hash; nil means
	// password.Verify. Tests count its calls: each sign-in attempt that is
	// not throttled must hash exactly once, whatever the account.
	VerifyPassword func(hash, pw string) error
	// MailConfigured says that notifications can go by e-mail (FREENAHI_SMTP_URL).
	MailConfigured bool
	// PublicURL returns how browsers reach this server, for the links sent
	// by mail (never the request's Host, which a sender chooses).
	PublicURL func() string
}

// Handler serves the web UI. Set its fields, then Register.
type Handler struct {
	Config       Config
	Users        freenahi.UserService
	Connections  freenahi.ConnectionService
	Accounts     freenahi.AccountService
	Transactions freenahi.TransactionService
	// History rebuilds balance and net-worth histories; nil leaves the
	// charts out.
	History freenahi.HistoryService
	// Assets keeps the person's manual assets; nil hides their pages.
	Assets freenahi.AssetService
	// Shares keeps the accounts shared between users (households); nil
	// hides sharing and shows no shared account.
	Shares freenahi.ShareService
	// Wealth reads positions and loans; nil leaves their pages out.
	Wealth freenahi.WealthService
	// Sessions keeps the sign-in sessions. Required.
	Sessions SessionStore
	// Aggregator runs the connection flow; nil when Powens is not
	// configured, and its pages then say so.
	Aggregator Aggregator
	// Jobs runs the background operations the pages start.
	Jobs Jobs
	// Statements writes account statements (CFONB 120, CSV); nil leaves the
	// download out.
	Statements freenahi.StatementExporter
	// Inqom and InqomCredentials serve the accounting pages; nil leaves them out.
	// Spending keeps categories, rules, edits and reports; without it the
	// UI has no transaction detail, categories, rules or reports pages.
	Spending         freenahi.SpendingService
	Inqom            freenahi.InqomService
	InqomCredentials InqomCredentialStore
	// Notifications keeps notification preferences and history; nil leaves
	// the notification pages out. Outbox, in the demo, shows the mails sent.
	Notifications NotificationStore
	Outbox        Outbox
	// Passwords changes a signed-in person's password; nil leaves it out.
	Passwords PasswordStore
	// Security keeps reset links, two-factor sign-in, the sessions list and
	// the users page; nil leaves them out. Mailer sends reset links and
	// invitations; nil when mail is not configured.
	Security SecurityStore
	Mailer   Mailer
	// Refusals counts refused webhook deliveries, for the warning of the
	// connections page; nil leaves it out.
	Refusals RefusalSource
	// Pages tells when a person's dashboard data changed, so that it is
	// cached between requests; nil reads it at every request.
	Pages freenahi.PageVersioner
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	Logger         *slog.Logger
	Now            func() time.Time

	// Imports reads bank files into manual accounts; nil leaves the import
	// page out of service.
	Imports bankfile.Service

	ui *uiState
}

// uiState is the UI's runtime state, built once by Register.
type uiState struct {
	pages     map[string]map[string]*pageTemplate // language → page name → template
	assets    map[string]string                   // asset name → content hash, for cache busting
	cop       *http.CrossOriginProtection
	dummyHash string                      // verified for unknown e-mails, so timing does not reveal accounts
	verify    func(hash, pw string) error // Config.VerifyPassword
	deviceKey []byte
	setupMu   sync.Mutex    // serialises first-run setup in this process
	mailSlots chan struct{} // mails being sent in the background (reset.go)
	// dashboards keeps the dashboards' data (dashboard_cache.go).
	dashboards *lru.Cache[dashboardKey, *dashboardEntry]
	// mainMark stands for a <main> written before in the layout (render).
	mainMark string
}

func (c *Config) setDefaults() {
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
	if c.MaxLoginFailuresPerAccount <= 0 {
		c.MaxLoginFailuresPerAccount = 20
	}
	if c.MaxLoginFailuresPerIP <= 0 {
		c.MaxLoginFailuresPerIP = 20
	}
	if c.Location == nil {
		c.Location = paris
	}
	if c.Language = locale.Supported(c.Language); c.Language == "" {
		c.Language = locale.Languages[0]
	}
}

// Register registers the HTML pages on mux.
func (s *Handler) Register(mux *http.ServeMux) {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	s.Config.setDefaults()
	s.ui = newUIState(&s.Config)
	s.registerUIAuthRoutes(mux)
	s.registerUITokenRoutes(mux)
	s.registerUIAccountRoutes(mux)
	s.registerUIShareRoutes(mux)
	s.registerUIAssetRoutes(mux)
	s.registerUIWealthRoutes(mux)
	s.registerUIExportRoutes(mux)
	s.registerUIInqomRoutes(mux)
	s.registerUITransactionRoutes(mux)
	s.registerUISpendingRoutes(mux)
	s.registerUIConnectionRoutes(mux)
	s.registerUIConnectRoutes(mux)
	s.registerUINotificationRoutes(mux)
	s.registerUIInstallRoutes(mux)
	s.registerUIPasswordRoutes(mux)
	s.registerUISecurityRoutes(mux)
	s.registerUIImportRoutes(mux)
	mux.Handle("GET /static/", s.staticHandler())
	mux.HandleFunc("GET /{$}", s.page(s.handleHome))
	// "/" rather than "GET /", which would conflict with the API's "/api/".
	mux.HandleFunc("/", s.page(s.handleUINotFound))
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

func newUIState(cfg *Config) *uiState {
	ui := &uiState{
		cop:        http.NewCrossOriginProtection(),
		verify:     cfg.VerifyPassword,
		deviceKey:  cfg.DeviceKey,
		mailSlots:  make(chan struct{}, mailSlots),
		dashboards: newDashboardCache(),
		mainMark:   "<!--main " + rand.Text() + "-->",
	}
	if ui.verify == nil {
		ui.verify = password.Verify
	}
	if len(ui.deviceKey) == 0 {
		ui.deviceKey = []byte(randomToken())
	}
	ui.assets = assetHashes()
	ui.pages = parsePages(ui.assets, cfg.Location)
	ui.dummyHash = password.Unmatchable()
	return ui
}

// page wraps every UI handler: security headers, and the HTML 404 for
// unknown paths rather than the API's problem document.
func (s *Handler) page(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h2 := w.Header()
		// No inline script or style anywhere, so the policy can be strict.
		// form-action is left out: the webauth step redirects a form post to the bank.
		h2.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
		h2.Set("X-Content-Type-Options", "nosniff")
		h2.Set("X-Frame-Options", "DENY")
		h2.Set("Referrer-Policy", "same-origin")
		h(w, r.WithContext(respond.WithPage(r.Context(), s.errorPage)))
	}
}

// handleHome shows the signed-in person's dashboard, and sends anyone else
// to setup (no account yet) or sign-in. A live session proves an account
// exists: the users are counted only without one, and the session found
// here goes on in the request's context, so the most requested page reads
// the session once and the users never.
func (s *Handler) handleHome(w http.ResponseWriter, r *http.Request) {
	if r = s.withOptionalSession(w, r); sessionFrom(r.Context()) != nil {
		s.signedIn(s.handleDashboard)(w, r)
		return
	}
	switch n, err := s.Sessions.CountUsers(r.Context()); {
	case err != nil:
		respond.Error(w, r, err)
	case n == 0:
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	}
}

func (s *Handler) handleUINotFound(w http.ResponseWriter, r *http.Request) {
	respond.Error(w, r, freenahi.Errorf(freenahi.ENOTFOUND, "No such page: %s", r.URL.Path))
}
