package main

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/inqom"
	"github.com/freenahi/freenahi/store"
)

// loadInqomConfig reads the global Inqom credentials, used for users who
// saved none of their own: INQOM_USERNAME, INQOM_PASSWORD, INQOM_CLIENT_ID,
// INQOM_CLIENT_SECRET, INQOM_ENVIRONMENT (production or staging) and the
// optional INQOM_AUTH_URL and INQOM_BANKING_URL. Nil when none is set;
// some but not all is an error naming what is missing.
func loadInqomConfig(e *env) *inqom.Config {
	required := []string{"INQOM_USERNAME", "INQOM_PASSWORD", "INQOM_CLIENT_ID", "INQOM_CLIENT_SECRET"}
	vals := map[string]string{}
	for _, k := range append(required, "INQOM_ENVIRONMENT", "INQOM_AUTH_URL", "INQOM_BANKING_URL") {
		vals[k] = e.str(k, "")
	}
	var set, missing []string
	for _, k := range required {
		if vals[k] == "" {
			missing = append(missing, k)
		} else {
			set = append(set, k)
		}
	}
	if len(set) == 0 {
		return nil
	}
	for _, k := range missing {
		e.fail(k, "is required when %s is set", strings.Join(set, ", "))
	}
	env, err := inqom.ParseEnvironment(vals["INQOM_ENVIRONMENT"])
	if err != nil {
		e.fail("INQOM_ENVIRONMENT", "%q is not production or staging", vals["INQOM_ENVIRONMENT"])
	}
	return &inqom.Config{Environment: env, AuthURL: e.httpURL("INQOM_AUTH_URL", ""), BankingURL: e.httpURL("INQOM_BANKING_URL", ""),
		Username: vals["INQOM_USERNAME"], Password: vals["INQOM_PASSWORD"], ClientID: vals["INQOM_CLIENT_ID"],
		ClientSecret: vals["INQOM_CLIENT_SECRET"]}
}

// newPusher builds the Inqom exporter over the store: per-user credentials
// first, the INQOM_* ones otherwise.
func newPusher(cfg *Config, s *store.Store, log *slog.Logger) *export.Pusher {
	log = log.With(slog.String("component", "inqom"))
	clients := &export.Clients{Store: s, Global: cfg.Inqom, Logger: log, AllowLoopback: cfg.InqomAllowLoopback}
	return &export.Pusher{Ledger: s, Importer: clients.Importer, Logger: log}
}

// exportObserver passes the worker's reports on to the metrics, and wakes
// the Inqom push after each processed event, since a sync may have booked
// transactions a mapping waits for.
type exportObserver struct {
	ingest.Observer
	pusher *export.Pusher
}

// EventProcessed reports the event, then wakes the push.
func (o exportObserver) EventProcessed(event string, lag, took time.Duration) {
	o.Observer.EventProcessed(event, lag, took)
	o.pusher.Wake()
}

// runPusher runs the Inqom push loop in the app's background group.
func (a *app) runPusher(ctx context.Context) {
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.pusher.Run(ctx)
	}()
}
