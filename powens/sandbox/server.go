package sandbox

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures a sandbox Server. Zero values select the documented defaults.
type Config struct {
	// ClientID and ClientSecret are the client application credentials the
	// sandbox accepts on /auth/init, /auth/token/access and /auth/renew.
	ClientID     string
	ClientSecret string
	// Domain is the Powens domain name the webview accepts, e.g. "freenahi-sandbox".
	Domain string
	// WebhookURLs maps an event name ("connection_synced", "connection_deleted",
	// "user_deleted", "account_enabled", …) to the URL it is POSTed to.
	// A missing or empty URL means the event is not delivered.
	WebhookURLs map[string]string
	// WebhookSecret is the HMAC secret of BI-Signature; empty sends only the
	// user's bearer token, as Powens does without an HMAC auth provider.
	WebhookSecret string
	// WebhookGzip compresses webhook bodies (Content-Encoding: gzip).
	WebhookGzip bool
	// PublicURL is the externally visible base URL (scheme://host[:port]) used
	// in links and redirects; empty derives it from each request's Host.
	PublicURL string
	// Seed makes the generated bank data deterministic.
	Seed int64
	// Now is the clock; the default is time.Now.
	Now func() time.Time
	// Logger receives operational logs; the default discards them.
	Logger *slog.Logger
	// HTTPClient delivers webhooks; the default has a 30 s timeout.
	HTTPClient *http.Client
	// StatePath, when set, is a JSON file the sandbox loads at start and saves
	// to, so that a restarted demo keeps its users, connections and data.
	StatePath string
	// Key is the RSA key used for end-to-end encrypted field values; a new
	// 2048-bit key is generated (or loaded from StatePath) when nil.
	Key *rsa.PrivateKey

	// DecoupledDelay is how long a "decoupled" validation takes (default 2 s).
	DecoupledDelay time.Duration
	// SlowDelay is how long the "slow" login makes each answer wait (default 20 s).
	SlowDelay time.Duration
	// RetryDelay is when "down" and "ratelimit" connections are retried
	// automatically (default 1 min).
	RetryDelay time.Duration
	// MinSyncInterval is how soon after a successful sync a forced sync (PUT)
	// is refused with 409 (default 30 s; negative disables the check).
	MinSyncInterval time.Duration
	// RateLimit is how many calls a user's token may make per minute before
	// the sandbox answers 429 with Retry-After, as Powens' sandbox domains
	// do at 30 (0, the default, sets no limit: the demo would trip on it).
	RateLimit int
	// WebhookRetry is the back-off between attempts of one delivery
	// (default 1 s, 5 s, 30 s, 2 min, 10 min; the last value repeats).
	WebhookRetry []time.Duration
	// WebhookFlushInterval is how long the flusher pauses after 10 consecutive
	// failures before its next run resends what is pending (default 1 min).
	WebhookFlushInterval time.Duration
	// HistoryDays is how many days of history a first sync returns (default 90).
	HistoryDays int
	// BigDays is how many days the "big" login's history spans; it yields
	// 50 transactions a day, 50,000 with the default 1000.
	BigDays int
}

func (c *Config) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.DecoupledDelay, 2*time.Second)
	def(&c.SlowDelay, 20*time.Second)
	def(&c.RetryDelay, time.Minute)
	def(&c.MinSyncInterval, 30*time.Second)
	def(&c.WebhookFlushInterval, time.Minute)
	if len(c.WebhookRetry) == 0 {
		c.WebhookRetry = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if c.HistoryDays <= 0 {
		c.HistoryDays = 90
	}
	if c.BigDays <= 0 {
		c.BigDays = 1000
	}
	c.Domain = strings.TrimSuffix(c.Domain, ".biapi.pro")
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
}

// Server is a local Powens: the API under /2.0/, the bank and webview pages,
// the webhook sender and the /__sandbox/ control endpoints. It is an
// http.Handler; Close stops its background work.
type Server struct {
	cfg    Config
	log    *slog.Logger
	mux    *http.ServeMux // the API under /2.0/
	pages  *http.ServeMux // webview, bank page, controls
	key    *rsa.PrivateKey
	kid    string
	banks  []*bank
	tmpl   *templates
	hooks  *flusher
	faults *faultSet

	requests atomic.Int64 // request ids of error bodies

	mu       sync.Mutex
	st       *state
	sessions map[string]*session   // webview and bank-page sessions, by random id
	calls    map[int64]*callWindow // per user, for RateLimit
	timers   map[*time.Timer]struct{}
	closed   bool
	dirty    bool
	// held, when not nil, keeps decoupled validations from ending until it
	// is closed (HoldDecoupled).
	held chan struct{}

	wg        sync.WaitGroup // timers' callbacks and background loops
	stop      chan struct{}
	closeOnce sync.Once
	httpSrv   *http.Server
	addr      string
}

// New returns a Server ready to serve, with its webhook flusher running.
func New(cfg Config) (*Server, error) {
	cfg.setDefaults()
	s := &Server{
		cfg: cfg, log: cfg.Logger, banks: testBanks(),
		sessions: map[string]*session{}, timers: map[*time.Timer]struct{}{}, calls: map[int64]*callWindow{},
		stop: make(chan struct{}), faults: &faultSet{},
	}
	var err error
	if s.tmpl, err = parseTemplates(); err != nil {
		return nil, fmt.Errorf("sandbox templates: %w", err)
	}
	if s.st, err = loadState(cfg.StatePath); err != nil {
		return nil, fmt.Errorf("sandbox state %s: %w", cfg.StatePath, err)
	}
	if err := s.setupKey(); err != nil {
		return nil, fmt.Errorf("sandbox key: %w", err)
	}
	s.hooks = newFlusher(s)
	s.routes()
	s.wg.Add(1)
	go func() { defer s.wg.Done(); s.hooks.run() }()
	if cfg.StatePath != "" {
		s.wg.Add(1)
		go func() { defer s.wg.Done(); s.saveLoop() }()
	}
	return s, nil
}

// ServeHTTP applies injected faults, then routes the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.faults.apply(w, r, s.stop) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if strings.HasPrefix(r.URL.Path, "/2.0/") {
		s.mux.ServeHTTP(w, r)
		return
	}
	s.pages.ServeHTTP(w, r)
}

// Start listens on addr and serves in the background until ctx is done or
// Close is called. It returns once the listener is ready; see Addr.
func (s *Server) Start(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sandbox listen: %w", err)
	}
	s.mu.Lock()
	s.addr = ln.Addr().String()
	if s.cfg.PublicURL == "" {
		s.cfg.PublicURL = "http://" + s.addr
	}
	// Slow logins and 50,000-transaction pages need generous write timeouts.
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: s.cfg.SlowDelay + 2*time.Minute, IdleTimeout: 2 * time.Minute}
	srv := s.httpSrv
	s.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("sandbox serve", slog.Any("error", err))
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.stop:
		}
	}()
	s.log.Info("powens sandbox listening", slog.String("addr", s.addr))
	return nil
}

// Addr returns the address Start listens on, or "" before Start.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Close stops the HTTP server started by Start, pending timers and webhook
// deliveries, and saves the state when StatePath is set. It is idempotent.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		for t := range s.timers {
			if t.Stop() {
				s.wg.Done() // the callback will never run
			}
		}
		srv := s.httpSrv
		s.mu.Unlock()
		close(s.stop)
		if srv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err = srv.Shutdown(ctx)
			cancel()
		}
		s.wg.Wait()
		if e := s.save(); e != nil && err == nil {
			err = e
		}
	})
	return err
}

// afterLocked runs fn after d unless the server closes first; fn runs
// without the lock. The caller holds s.mu.
func (s *Server) afterLocked(d time.Duration, fn func()) {
	if s.closed {
		return
	}
	s.wg.Add(1)
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		defer s.wg.Done()
		s.mu.Lock()
		delete(s.timers, t)
		closed := s.closed
		s.mu.Unlock()
		if !closed {
			fn()
		}
	})
	s.timers[t] = struct{}{}
}

// sleep waits d, returning false if the server closes meanwhile.
func (s *Server) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.stop:
		return false
	}
}

// now returns the clock truncated to the second, the precision of Powens' datetimes.
func (s *Server) now() time.Time { return s.cfg.Now().Truncate(time.Second) }

// baseURL is the public scheme://host of the sandbox as seen by r's client.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// HoldDecoupled keeps every decoupled validation resumed from now on in the
// validating state, past DecoupledDelay, until release is called: a test
// can then look at what a person sees while their bank app waits, however
// slow the machine, instead of racing a delay.
func (s *Server) HoldDecoupled() (release func()) {
	held := make(chan struct{})
	s.mu.Lock()
	s.held = held
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.held == held {
				s.held = nil
			}
			s.mu.Unlock()
			close(held)
		})
	}
}
