// Package web serves freenahi over HTTP: the Powens webhook receiver, the JSON
// API with its OpenAPI document, and operational endpoints. Handlers parse the
// request, call a domain service and render; every failure goes through Error.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/metrics"
)

// WebhookConfig configures the webhook receiver.
type WebhookConfig struct {
	// Secret is the HMAC secret of the Powens auth provider; when empty,
	// deliveries are authenticated by the Powens user's bearer token.
	Secret string
	// MaxAge bounds how far BI-Signature-Date may be from now (default 15 min).
	MaxAge time.Duration
	// AllowedIPs, when set, is an extra filter on the source address.
	AllowedIPs []netip.Prefix
	// MaxBodyBytes bounds a body after decompression (default 64 MiB).
	MaxBodyBytes int64
	// MaxUnmatched bounds the events kept for Powens users we do not know when
	// they could not be authenticated by HMAC (default 10,000).
	MaxUnmatched int64
}

// Server is the HTTP server. Set its fields, then call Open.
type Server struct {
	// Addr is the listen address; Listener, when set, is used instead.
	Addr     string
	Listener net.Listener
	Logger   *slog.Logger
	Version  string
	Metrics  *metrics.Metrics

	Users        freenahi.UserService
	Connections  freenahi.ConnectionService
	Accounts     freenahi.AccountService
	Transactions freenahi.TransactionService
	Wealth       freenahi.WealthService
	Inbox        freenahi.InboxService
	// Ping reports whether the database answers, for /readyz.
	Ping func(ctx context.Context) error
	// EventReceived is called after an event is stored, to wake the worker.
	EventReceived func()
	// Aggregator acts through Powens (sync, webview links); nil when Powens
	// is not configured, and those endpoints then answer 503.
	Aggregator Aggregator
	// Jobs runs the background operations the pages start (posting
	// credentials, an Inqom push); required with Aggregator or Inqom.
	Jobs Jobs
	// Statements writes account statements (CFONB 120, CSV); nil answers 503.
	Statements freenahi.StatementExporter
	// Inqom maps accounts to Inqom dossiers and keeps the export ledger;
	// nil answers 503.
	Inqom freenahi.InqomService
	// InqomCredentials keeps each person's own Inqom credentials, edited
	// on the accounting page; nil leaves them out of it.
	InqomCredentials InqomCredentialStore
	// StateKey signs webview states (derived from the secrets key).
	StateKey []byte
	// Sessions keeps the web UI's sign-in sessions; without it the server
	// has no web UI.
	Sessions SessionStore
	// UI configures the web UI.
	UI UIConfig

	Webhook WebhookConfig
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix

	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	Now                                    func() time.Time

	mux      *http.ServeMux
	ui       *uiState
	server   *http.Server
	listener net.Listener
}

// Handler returns the server's root handler (routes and middleware), built once.
func (s *Server) Handler() http.Handler {
	if s.mux == nil {
		s.init()
	}
	return s.middleware(s.mux)
}

func (s *Server) init() {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Webhook.MaxAge == 0 {
		s.Webhook.MaxAge = 15 * time.Minute
	}
	if s.Webhook.MaxBodyBytes == 0 {
		s.Webhook.MaxBodyBytes = 64 << 20
	}
	if s.Webhook.MaxUnmatched == 0 {
		s.Webhook.MaxUnmatched = 10_000
	}
	if s.Metrics == nil {
		s.Metrics = metrics.New(nil)
	}
	s.mux = http.NewServeMux()
	s.registerOpsRoutes()
	s.registerWebhookRoutes()
	s.registerAPIRoutes()
	s.registerSyncRoutes()
	s.registerExportRoutes()
	s.registerUIRoutes()
}

// Open starts listening on Addr and serving in the background.
func (s *Server) Open() error {
	h := s.Handler()
	ln := s.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", s.Addr); err != nil {
			return err
		}
	}
	s.listener = ln
	s.server = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       orDefault(s.ReadTimeout, 60*time.Second),
		WriteTimeout:      orDefault(s.WriteTimeout, 60*time.Second),
		IdleTimeout:       orDefault(s.IdleTimeout, 120*time.Second),
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := s.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.Logger.Error("http server stopped", slog.Any("error", err))
		}
	}()
	return nil
}

// URL returns the base URL the server listens on.
func (s *Server) URL() string {
	if s.listener == nil {
		return ""
	}
	addr := s.listener.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, itoa(int64(addr.Port)))
}

// Close stops accepting requests and waits for those in flight, up to ctx.
func (s *Server) Close(ctx context.Context) error {
	if s.server == nil {
		return nil
	}
	return s.server.Shutdown(ctx)
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
