package sandbox

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/freenahi/freenahi/internal/faultset"
)

// Paths of the endpoints, relative to the sandbox's base URL. A client uses
// base+TokenPath as its AuthURL and base as its BankingURL.
const (
	TokenPath    = "/identity/connect/token"
	AccountsPath = "/api/app/banking/enterprises/{dossierId}/manual/ebics/accounts"
	ImportPath   = "/api/app/banking/ebics/accounts/import"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultTokenLifetime  = time.Hour
	DefaultMaxUploadBytes = 8 << 20
	DefaultMaxHistory     = 100_000
	// maxAccountsPerDossier bounds memory against a runaway registration loop.
	maxAccountsPerDossier = 1000
)

// Config configures a sandbox Server.
type Config struct {
	// ClientID and ClientSecret are the API client credentials the token
	// endpoint accepts.
	ClientID     string
	ClientSecret string
	// Users maps an Inqom username (an e-mail address) to its password.
	Users map[string]string
	// Dossiers maps a username to the dossier ids that user may write.
	Dossiers map[string][]int64
	// TokenLifetime is the expires_in of issued tokens (DefaultTokenLifetime).
	TokenLifetime time.Duration
	// Now is the clock that issues and expires tokens; nil means time.Now.
	Now func() time.Time
	// Logger receives one line per request outcome; nil discards. Passwords,
	// secrets and tokens never reach it.
	Logger *slog.Logger
	// MaxUploadBytes bounds a request body (DefaultMaxUploadBytes).
	MaxUploadBytes int64
	// MaxHistory bounds what is kept per account, counting one per
	// statement and one per movement (DefaultMaxHistory); the oldest
	// statements are forgotten first, while the balance control keeps the
	// last closing balance.
	MaxHistory int
}

// Server is a local Inqom: the token endpoint, the two banking endpoints
// and the /__sandbox/ controls on one mux, so one base URL serves them all.
// It is an http.Handler and safe for concurrent use.
type Server struct {
	cfg    Config
	log    *slog.Logger
	mux    *http.ServeMux
	key    []byte              // signs tokens; new at every start, so old tokens die
	faults faultset.Set[Fault] // pending faults, under a lock of their own so a held request never holds mu
	// inFlight counts the API requests being served, held ones included.
	inFlight atomic.Int64

	mu           sync.Mutex
	generation   int // bumped by RevokeTokens
	tokensIssued int
	nextAccount  int64
	nextImport   int64
	accounts     map[int64][]*account          // by dossier, in registration order
	imports      map[int64][]ImportedStatement // by dossier, in arrival order

	stop      chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup
	httpSrv   *http.Server
	addr      string
}

// New returns a Server ready to serve. The maps of cfg are copied, so the
// caller may reuse them.
func New(cfg Config) *Server {
	if cfg.TokenLifetime <= 0 {
		cfg.TokenLifetime = DefaultTokenLifetime
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if cfg.MaxHistory <= 0 {
		cfg.MaxHistory = DefaultMaxHistory
	}
	cfg.Users = maps.Clone(cfg.Users)
	dossiers := make(map[string][]int64, len(cfg.Dossiers))
	for u, ids := range cfg.Dossiers {
		dossiers[u] = slices.Clone(ids)
	}
	cfg.Dossiers = dossiers
	s := &Server{
		cfg: cfg, log: cfg.Logger, key: make([]byte, 32),
		accounts: map[int64][]*account{}, imports: map[int64][]ImportedStatement{},
		stop: make(chan struct{}),
	}
	rand.Read(s.key)
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST "+TokenPath, s.handleToken)
	s.mux.HandleFunc("POST "+AccountsPath, s.handleAccountCreate)
	s.mux.HandleFunc("POST "+ImportPath, s.handleImport)
	s.registerControlRoutes(s.mux)
	return s
}

// ServeHTTP applies an injected fault, if one matches, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, faultset.ControlPrefix) {
		s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
	}
	if f, ok := s.faults.Take(r); ok && s.applyFault(w, r, f) {
		return
	}
	s.route(w, r)
}

// route serves r with the upload limit in place.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes)
	s.mux.ServeHTTP(w, r)
}

// Start listens on addr (":0" picks a port) and serves in the background
// until Close. It returns once the listener is ready; see URL.
func (s *Server) Start(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpSrv != nil {
		return errors.New("inqom sandbox: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("inqom sandbox listen: %w", err)
	}
	s.addr = ln.Addr().String()
	// Every phase has a timeout; uploads are bounded by MaxUploadBytes.
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	s.httpSrv = srv
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("inqom sandbox serve", slog.Any("error", err))
		}
	}()
	s.log.Info("inqom sandbox listening", slog.String("addr", s.addr))
	return nil
}

// URL returns the base URL Start listens on ("http://127.0.0.1:port"), or
// "" before Start.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.addr == "" {
		return ""
	}
	return "http://" + s.addr
}

// Close stops the server started by Start and releases requests held by a
// Delay fault. It is idempotent and also needed when the Server is served
// by someone else's http.Server, for the held requests.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.stop)
		s.mu.Lock()
		srv := s.httpSrv
		s.mu.Unlock()
		if srv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err = srv.Shutdown(ctx)
			cancel()
		}
		s.wg.Wait()
	})
	return err
}

// now is the sandbox clock, to the second like the tokens' timestamps.
func (s *Server) now() time.Time { return s.cfg.Now().Truncate(time.Second) }

// canWrite reports whether user may write dossier.
func (s *Server) canWrite(user string, dossier int64) bool {
	return slices.Contains(s.cfg.Dossiers[user], dossier)
}
