package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/freenahi/freenahi/notify"
	"github.com/freenahi/freenahi/web/locale"
	"github.com/freenahi/freenahi/web/ui"
	"github.com/freenahi/freenahi/web/webhook"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/backup"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/jobs"
	"github.com/freenahi/freenahi/metrics"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/wealth"
	"github.com/freenahi/freenahi/web"
)

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.flags("serve", "[--addr HOST:PORT]", "Run the server: the Powens webhook receiver at /webhook/<event>/, the JSON API\nunder /api/v1 (documented at /api/openapi.json), and background processing of\nreceived webhooks. Migrations are applied at start-up.")
	addr := fs.String("addr", "", "listen address (default SERVER_HOST:SERVER_PORT, i.e. :8080)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	if *addr == "" {
		*addr = net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	}
	return m.serve(ctx, cfg, *addr)
}

// app is a running server with its background work.
type app struct {
	store      *store.Store
	server     *web.Server
	worker     *ingest.Worker
	aggregator *aggregator.Service // nil without Powens configuration
	pusher     *export.Pusher      // the Inqom export
	jobs       *jobs.Runner        // the pages' background operations
	notify     *notify.Service     // notification rounds
	log        *slog.Logger

	stopWorker context.CancelFunc
	wg         sync.WaitGroup
}

// startApp opens the store and starts the HTTP server, the inbox worker and,
// when Powens is configured, the reconcile loop. ln, when not nil, is an
// already bound listener (the demo binds first to know its own URL).
func (m *Main) startApp(ctx context.Context, cfg *Config, addr string, ln net.Listener) (*app, error) {
	log := m.logger(cfg, cfg.LogLevel)
	key, err := m.secretsKey(cfg, log)
	if err != nil {
		return nil, err
	}
	s, err := m.openDatabase(ctx, cfg, key, log)
	if err != nil {
		return nil, err
	}
	met := metrics.New(s)
	a := &app{store: s, log: log, pusher: newPusher(cfg, s, log)}
	a.worker = &ingest.Worker{Inbox: s, Logger: log.With(slog.String("component", "ingest")), Observer: exportObserver{met, a.pusher},
		Transfers:   s,
		Concurrency: cfg.Workers,
		Retention:   freenahi.InboxRetention{BodiesAfter: cfg.WebhookBodyRetention, UnmatchedAfter: cfg.WebhookUnmatchedTTL}}
	if a.aggregator, err = m.newAggregator(cfg, s, log); err != nil {
		s.Close()
		return nil, err
	}
	a.jobs = &jobs.Runner{Store: s, Logger: log.With(slog.String("component", "jobs"))}
	a.pusher.RegisterJobs(a.jobs)
	if a.aggregator != nil {
		a.aggregator.StateKey = key.Derive("webview-state")
		a.aggregator.EventQueued = a.worker.Wake
		a.aggregator.RegisterJobs(a.jobs)
	}
	a.server = &web.Server{
		Addr: addr, Listener: ln, Logger: log, Version: Version(), Metrics: met,
		Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s, Ping: s.Ping,
		History:       &wealth.Service{Accounts: s, Source: s, Assets: s},
		EventReceived: a.worker.Wake, Jobs: a.jobs,
		Statements: &export.Exporter{Source: s}, Inqom: a.pusher, InqomCredentials: s,
		Webhook: webhook.Config{Secret: cfg.WebhookSecret, MaxAge: cfg.WebhookMaxAge,
			AllowedIPs: cfg.WhitelistedIPs, MaxBodyBytes: cfg.WebhookMaxBytes,
			MaxConcurrentReads: cfg.WebhookMaxReads, MaxInflateRatio: cfg.WebhookMaxInflateRatio, SpoolDir: cfg.WebhookSpoolDir,
			MaxUnmatched: cfg.WebhookUnmatchedMax, MaxUnmatchedBytes: cfg.WebhookUnmatchedMaxBytes,
			MaxUnmatchedPerSource: cfg.WebhookUnmatchedPerSource},
		TrustedProxies: cfg.TrustedProxies,
		Sessions:       s,
		Spending:       s,
		Imports:        &bankfile.Importer{Store: s, Accounts: s, Transfers: s},
		Assets:         s,
		UI: ui.Config{Language: cfg.Language, CallbackURL: cfg.callbackURL(), DeviceKey: key.Derive("signin-device"),
			InqomAllowLoopback: cfg.InqomAllowLoopback},
		ReadTimeout: cfg.ReadTimeout, WriteTimeout: cfg.WriteTimeout, IdleTimeout: cfg.IdleTimeout,
	}
	if a.aggregator != nil {
		a.server.Aggregator = a.aggregator
	}
	a.notify = newNotifier(cfg, s, log)
	a.server.Notifications = s
	a.server.UI.MailConfigured = cfg.SMTP != nil
	if cfg.SMTP != nil {
		a.server.Mailer = cfg.SMTP
	}
	a.server.UI.PublicURL = func() string { return cmp.Or(cfg.PublicURL, a.server.URL()) }
	if m.Outbox != nil {
		a.server.Outbox = m.Outbox
	}
	if err := a.server.Open(); err != nil {
		s.Close()
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	if a.notify.BaseURL == "" {
		a.notify.BaseURL = a.server.URL()
	}
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.stopWorker = cancel
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.worker.Run(wctx)
	}()
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.jobs.Run(wctx)
	}()
	a.runPusher(wctx)
	if cfg.BackupDir != "" {
		sch := &backup.Scheduler{Store: s, Dir: cfg.BackupDir, Interval: cfg.BackupInterval, Keep: cfg.BackupKeep,
			Logger: log.With(slog.String("component", "backup")), Freenahi: Version()}
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			sch.Run(wctx)
		}()
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.notify.Run(wctx)
	}()
	if a.aggregator != nil {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.aggregator.RunReconcile(wctx, 10*time.Second)
		}()
	} else {
		log.Warn("Powens is not configured: webhooks are received, but syncs, pulls and new connections need POWENS_DOMAIN, POWENS_CLIENT_ID and POWENS_CLIENT_SECRET")
	}
	auth := "bearer token (set POWENS_WEBHOOK_SECRET for HMAC signatures)"
	if cfg.WebhookSecret != "" {
		auth = "HMAC signature"
	}
	log.Info("freenahi is serving", slog.String("url", a.server.URL()), slog.String("version", Version()),
		slog.String("database", string(s.Engine())), slog.String("webhook_auth", auth),
		slog.String("webhook_url", a.server.URL()+"/webhook/connection_synced/"))
	return a, nil
}

// stop shuts down in order: stop taking requests (in-flight ones finish),
// then let the worker finish the event in progress and the job runner its
// jobs (those still running after its grace go back to the queue, for the
// next start or another instance), then close the database.
func (a *app) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := a.server.Close(ctx)
	a.stopWorker()
	a.wg.Wait()
	if cerr := a.store.Close(); err == nil {
		err = cerr
	}
	a.log.Info("freenahi stopped")
	return err
}

func (m *Main) serve(ctx context.Context, cfg *Config, addr string) error {
	a, err := m.startApp(ctx, cfg, addr, nil)
	if err != nil {
		return err
	}
	if m.OnListen != nil {
		m.OnListen(a.server.URL())
	}
	<-ctx.Done()
	a.log.Info("shutting down")
	return a.stop()
}

// notifyZone is the zone of the instants notifications mention, Powens' own.
var notifyZone, _ = time.LoadLocation("Europe/Paris")

// newNotifier builds the notification rounds: links point at
// FREENAHI_PUBLIC_URL (else at the address served), mail goes through
// FREENAHI_SMTP_URL when set.
func newNotifier(cfg *Config, s *store.Store, log *slog.Logger) *notify.Service {
	n := &notify.Service{Store: s, Language: cfg.Language, BaseURL: cfg.PublicURL, Interval: cfg.NotifyInterval,
		Logger: log.With(slog.String("component", "notify")),
		Locale: func(lang string) notify.Localizer { return locale.New(lang, notifyZone) }}
	if cfg.SMTP != nil {
		n.Mailer = cfg.SMTP
	}
	return n
}

// newAggregator builds the Powens client and the aggregator service, or
// returns nil when Powens is not configured.
func (m *Main) newAggregator(cfg *Config, s *store.Store, log *slog.Logger) (*aggregator.Service, error) {
	if !cfg.PowensConfigured() {
		return nil, nil
	}
	base := cfg.PowensAPIURL
	if base == "" {
		var err error
		if base, err = powens.BaseURLForDomain(cfg.PowensDomain); err != nil {
			return nil, &ConfigError{Var: "POWENS_DOMAIN", Reason: err.Error()}
		}
	}
	pc, err := powens.NewClient(powens.ClientConfig{BaseURL: base, Domain: cfg.PowensDomain, ClientID: cfg.PowensClientID,
		ClientSecret: cfg.PowensClientSecret, WebviewURL: cfg.WebviewURL, Logger: log.With(slog.String("component", "powens")),
		UserAgent: "freenahi/" + Version()})
	if err != nil {
		return nil, fmt.Errorf("powens client: %w", err)
	}
	return &aggregator.Service{Powens: pc, Store: s, Logger: log.With(slog.String("component", "aggregator")),
		RedirectURL: cfg.RedirectURL, Language: cfg.Language, ReconcileInterval: cfg.ReconcileInterval}, nil
}
