package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/metrics"
	"github.com/freenahi/freenahi/store"
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
	store  *store.Store
	server *web.Server
	worker *ingest.Worker
	log    *slog.Logger

	stopWorker context.CancelFunc
	wg         sync.WaitGroup
}

// startApp opens the store and starts the HTTP server and the inbox worker.
func (m *Main) startApp(ctx context.Context, cfg *Config, addr string) (*app, error) {
	log := m.logger(cfg, cfg.LogLevel)
	s, err := m.openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	met := metrics.New(s)
	a := &app{store: s, log: log}
	a.worker = &ingest.Worker{Inbox: s, Logger: log.With(slog.String("component", "ingest")), Observer: met,
		Concurrency: cfg.Workers}
	a.server = &web.Server{
		Addr: addr, Logger: log, Version: Version(), Metrics: met,
		Users: s, Connections: s, Accounts: s, Transactions: s, Wealth: s, Inbox: s, Ping: s.Ping,
		EventReceived: a.worker.Wake,
		Webhook: web.WebhookConfig{Secret: cfg.WebhookSecret, MaxAge: cfg.WebhookMaxAge,
			AllowedIPs: cfg.WhitelistedIPs, MaxBodyBytes: cfg.WebhookMaxBytes},
		TrustedProxies: cfg.TrustedProxies,
		ReadTimeout:    cfg.ReadTimeout, WriteTimeout: cfg.WriteTimeout, IdleTimeout: cfg.IdleTimeout,
	}
	if err := a.server.Open(); err != nil {
		s.Close()
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.stopWorker = cancel
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.worker.Run(wctx)
	}()
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
// then let the worker finish the event in progress, then close the database.
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
	a, err := m.startApp(ctx, cfg, addr)
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
