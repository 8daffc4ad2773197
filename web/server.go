// Package web serves freenahi over HTTP. It wires the parts, each in its own
// package: the JSON API (web/api), the web UI (web/ui), the Powens webhook
// receiver (web/webhook), and the operational endpoints here (/healthz,
// /readyz, /version, /metrics), all behind one middleware (request id,
// logger, panic recovery, access log, metrics). Requests are read through
// web/request, answers and failures written through web/respond, and
// messages said in the person's language through web/locale.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/metrics"
	"github.com/freenahi/freenahi/web/api"
	"github.com/freenahi/freenahi/web/respond"
	"github.com/freenahi/freenahi/web/ui"
	"github.com/freenahi/freenahi/web/webhook"
)

// Aggregator is what the API and the UI ask of the link with Powens; it is
// implemented by *aggregator.Service.
type Aggregator interface {
	api.Aggregator
	ui.Aggregator
}

// Server is the HTTP server. Set its fields, then call Open (or Handler).
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
	// History rebuilds balance and net-worth histories (wealth.Service).
	History freenahi.HistoryService
	Inbox   freenahi.InboxService
	// Assets keeps the person's manual assets.
	Assets freenahi.AssetService
	// Ping reports whether the database answers, for /readyz.
	Ping func(ctx context.Context) error
	// EventReceived is called after an event is stored, to wake the worker.
	EventReceived func()
	// Aggregator acts through Powens (connections, syncs, webview); nil when
	// Powens is not configured, and those endpoints then answer 503.
	Aggregator Aggregator
	// Jobs runs the background operations the pages start (posting
	// credentials, an Inqom push).
	Jobs ui.Jobs
	// Statements writes account statements (CFONB 120, CSV); nil answers 503.
	Statements freenahi.StatementExporter
	// Inqom maps accounts to Inqom dossiers and keeps the export ledger;
	// nil answers 503.
	Inqom freenahi.InqomService
	// Spending keeps categories, rules, edits of transactions and reports;
	// nil leaves them out (the API answers 503).
	Spending freenahi.SpendingService
	// Imports reads bank files into manual accounts; nil leaves imports
	// out (the API answers 503).
	Imports bankfile.Service
	// InqomCredentials keeps each person's own Inqom credentials, edited
	// on the accounting page; nil leaves them out of it.
	InqomCredentials ui.InqomCredentialStore
	// Shares keeps the accounts shared between users (households); when
	// nil, Accounts serves it if it can (the store does).
	Shares freenahi.ShareService
	// Pages tells when what a person's dashboard and net worth show
	// changed, so that both are cached between requests; when nil,
	// Accounts serves it if it can (the store does).
	Pages freenahi.PageVersioner
	// Sessions keeps the web UI's sign-in sessions; without it the server
	// has no web UI.
	Sessions ui.SessionStore
	// UI configures the web UI.
	UI ui.Config
	// Notifications keeps notification preferences and history; Outbox is
	// the demo's mail server. nil leaves their pages out.
	Notifications ui.NotificationStore
	Outbox        ui.Outbox
	// Mailer sends password reset links and invitations; nil when mail is
	// not configured.
	Mailer ui.Mailer

	Webhook webhook.Config
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix

	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	Now                                    func() time.Time
	// RefusalFlushEvery is how often refused webhook deliveries are written
	// at most (see webhook.Receiver).
	RefusalFlushEvery time.Duration

	mux      *http.ServeMux
	webhook  *webhook.Receiver
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
	if s.Metrics == nil {
		s.Metrics = metrics.New(nil)
	}
	s.mux = http.NewServeMux()
	s.registerOpsRoutes()
	s.webhook = &webhook.Receiver{Config: s.Webhook, Users: s.Users, Inbox: s.Inbox, Metrics: s.Metrics, Logger: s.Logger,
		TrustedProxies: s.TrustedProxies, EventReceived: s.EventReceived, Now: s.Now, RefusalFlushEvery: s.RefusalFlushEvery}
	s.webhook.Register(s.mux)
	a := &api.Handler{Users: s.Users, Connections: s.Connections, Accounts: s.Accounts, Transactions: s.Transactions,
		Wealth: s.Wealth, History: s.History, Statements: s.Statements, Inqom: s.Inqom, Spending: s.Spending, Logger: s.Logger, Now: s.Now}
	if s.Aggregator != nil { // a nil interface, not an interface holding nil
		a.Aggregator = s.Aggregator
	}
	a.Imports = s.Imports
	a.Assets = s.Assets
	a.Shares = s.shares()
	a.Pages = s.pages()
	a.Register(s.mux)
	if s.Sessions != nil {
		u := &ui.Handler{Config: s.UI, Users: s.Users, Connections: s.Connections, Accounts: s.Accounts,
			Transactions: s.Transactions, History: s.History, Wealth: s.Wealth, Sessions: s.Sessions, Jobs: s.Jobs, Statements: s.Statements, Inqom: s.Inqom,
			InqomCredentials: s.InqomCredentials, TrustedProxies: s.TrustedProxies, Logger: s.Logger, Now: s.Now,
			Spending: s.Spending}
		if s.Imports != nil {
			u.Imports = s.Imports
		}
		if s.Aggregator != nil {
			u.Aggregator = s.Aggregator
		}
		u.Assets = s.Assets
		u.Shares = s.shares()
		u.Pages = s.pages()
		if s.Inbox != nil {
			u.Refusals = s.Inbox
		}
		u.Notifications, u.Outbox = s.Notifications, s.Outbox
		if p, ok := s.Sessions.(ui.PasswordStore); ok {
			u.Passwords = p
		}
		if sec, ok := s.Sessions.(ui.SecurityStore); ok {
			u.Security = sec
		}
		if s.Mailer != nil {
			u.Mailer = s.Mailer
		}
		u.Register(s.mux)
	} else {
		// Without a UI, unknown paths are answered as the API answers them.
		s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			respond.Error(w, r, freenahi.Errorf(freenahi.ENOTFOUND, "No such page: %s", r.URL.Path))
		})
	}
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
	return "http://" + net.JoinHostPort(host, strconv.Itoa(addr.Port))
}

// Close stops accepting requests and waits for those in flight, up to ctx.
func (s *Server) Close(ctx context.Context) error {
	if s.server == nil {
		return nil
	}
	err := s.server.Shutdown(ctx)
	if s.webhook != nil && s.Inbox != nil {
		s.webhook.FlushRefusals(ctx)
	}
	return err
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// pages is the page versioner: Pages, else Accounts when it keeps versions.
func (s *Server) pages() freenahi.PageVersioner {
	if s.Pages != nil {
		return s.Pages
	}
	if p, ok := s.Accounts.(freenahi.PageVersioner); ok {
		return p
	}
	return nil
}

// shares is the share service: Shares, else Accounts when it keeps shares.
func (s *Server) shares() freenahi.ShareService {
	if s.Shares != nil {
		return s.Shares
	}
	if sh, ok := s.Accounts.(freenahi.ShareService); ok {
		return sh
	}
	return nil
}
