package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
)

// withAggregator runs fn with an open store and the Powens service.
func (m *Main) withAggregator(ctx context.Context, fn func(*store.Store, *aggregator.Service) error) error {
	cfg, err := m.config()
	if err != nil {
		return err
	}
	if !cfg.PowensConfigured() {
		return errors.New("powens is not configured: set POWENS_DOMAIN (or POWENS_API_URL), POWENS_CLIENT_ID and POWENS_CLIENT_SECRET")
	}
	log := m.logger(cfg, slog.LevelWarn)
	s, err := m.openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer s.Close()
	agg, err := m.newAggregator(cfg, s, log)
	if err != nil {
		return err
	}
	return fn(s, agg)
}

func (m *Main) runSync(ctx context.Context, args []string) error {
	fs := m.flags("sync", "[--email E] [--connection ID] [--process]",
		"Pull what changed at Powens now (the periodic reconcile, on demand): accounts and\ntransactions updated since the last pull, queued for processing. With --connection,\nPowens is first asked to sync that connection (a 409 means it is up to date).\nWith --all instead of --email, every linked user is pulled, one at a time and spaced,\nas Powens' fair-use policy asks (never all users at once).")
	email := fs.String("email", "", "the user to pull")
	all := fs.Bool("all", false, "pull every linked user, one after the other")
	spacing := fs.Duration("spacing", 10*time.Second, "with --all, the pause between two users")
	connID := fs.Int64("connection", 0, "only this connection (our id, as the API returns it); needs --email")
	process := fs.Bool("process", false, "process the queued data here instead of leaving it to the running server")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *connID != 0 && *email == "" {
		return errors.New("sync: --connection needs --email")
	}
	if (*email == "") == !*all {
		return errors.New("sync: give --email E, or --all to pull every linked user one at a time")
	}
	return m.withAggregator(ctx, func(s *store.Store, agg *aggregator.Service) error {
		var users []*freenahi.User
		if *email != "" {
			u, err := s.FindUserByEmail(ctx, *email)
			if err != nil {
				return humanError(err)
			}
			users = append(users, u)
		} else {
			all, err := s.FindUsers(ctx)
			if err != nil {
				return err
			}
			for _, u := range all {
				if u.PowensUserID != nil {
					users = append(users, u)
				}
			}
		}
		for i, u := range users {
			if i > 0 {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(*spacing):
				}
			}
			if *connID != 0 {
				c, err := agg.SyncConnection(ctx, u.ID, *connID)
				if err != nil {
					return humanError(err)
				}
				fmt.Fprintf(m.Stdout, "%s: connection %d (%s) synced and pulled\n", u.Email, c.ID, c.BankName)
				continue
			}
			n, err := agg.Reconcile(ctx, u.ID)
			if err != nil {
				fmt.Fprintf(m.Stderr, "%s: %v\n", u.Email, humanError(err))
				continue
			}
			fmt.Fprintf(m.Stdout, "%s: %d connection(s) pulled\n", u.Email, n)
		}
		if *process {
			n, err := (&ingest.Worker{Inbox: s, Transfers: s}).Drain(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "%s processed\n", count(n, "event", "events"))
		}
		return nil
	})
}

func (m *Main) runUserDelete(ctx context.Context, args []string) error {
	fs := m.flags("user delete", "--email E --yes", "Delete a user and all their data here. Their Powens user is deleted first (with\nthe data Powens holds); without Powens configuration a linked user is refused.")
	email := fs.String("email", "", "e-mail of the user (required)")
	yes := fs.Bool("yes", false, "confirm the deletion (required)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *email == "" || !*yes {
		return errors.New("user delete: --email and --yes are required")
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	if !cfg.PowensConfigured() {
		return m.withStore(ctx, func(s *store.Store) error {
			u, err := s.FindUserByEmail(ctx, *email)
			if err != nil {
				return humanError(err)
			}
			if u.PowensUserID != nil {
				return fmt.Errorf("user delete: %s is linked to Powens user %d, which must be deleted too: configure Powens first", u.Email, *u.PowensUserID)
			}
			if err := s.DeleteUser(ctx, u.ID); err != nil {
				return humanError(err)
			}
			fmt.Fprintf(m.Stdout, "deleted user %s\n", u.Email)
			return nil
		})
	}
	return m.withAggregator(ctx, func(s *store.Store, agg *aggregator.Service) error {
		u, err := s.FindUserByEmail(ctx, *email)
		if err != nil {
			return humanError(err)
		}
		if err := agg.DeleteUser(ctx, u.ID); err != nil {
			return humanError(err)
		}
		fmt.Fprintf(m.Stdout, "deleted user %s and their Powens user\n", u.Email)
		return nil
	})
}

func (m *Main) runSandbox(ctx context.Context, args []string) error {
	fs := m.flags("sandbox", "[--addr HOST:PORT] [flags]",
		"Run the local Powens sandbox alone: the Powens API 2.0 under /2.0/, test banks with\nscripted logins (see its home page), a webauth bank page, a Connect/Manage webview and\nsigned webhooks. Point freenahi at it with POWENS_API_URL=http://HOST:PORT/2.0/.")
	addr := fs.String("addr", "127.0.0.1:8081", "listen address")
	clientID := fs.String("client-id", "1000", "client id it accepts")
	clientSecret := fs.String("client-secret", "sandbox-secret", "client secret it accepts")
	domain := fs.String("domain", "freenahi-sandbox", "Powens domain name it accepts in webview links")
	webhookBase := fs.String("webhook-base-url", "", "freenahi base URL to send webhooks to (e.g. http://127.0.0.1:8080); empty sends none")
	webhookSecret := fs.String("webhook-secret", "", "HMAC secret for BI-Signature (empty: bearer token only)")
	seed := fs.Int64("seed", 1, "seed of the generated bank data")
	state := fs.String("state", "", "JSON file keeping the sandbox's users and connections across restarts")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	var hooks map[string]string
	if *webhookBase != "" {
		hooks = webhookURLs(strings.TrimRight(*webhookBase, "/"))
	}
	log := m.logger(nil, slog.LevelInfo)
	sb, err := sandbox.New(sandbox.Config{ClientID: *clientID, ClientSecret: *clientSecret, Domain: *domain,
		WebhookURLs: hooks, WebhookSecret: *webhookSecret, Seed: *seed, StatePath: *state, Logger: log})
	if err != nil {
		return err
	}
	if err := sb.Start(ctx, *addr); err != nil {
		return err
	}
	log.Info("Powens sandbox serving", slog.String("url", "http://"+sb.Addr()), slog.String("api", "http://"+sb.Addr()+"/2.0/"))
	<-ctx.Done()
	return sb.Close()
}

// webhookURLs maps every event freenahi receives to its receiver URL.
func webhookURLs(base string) map[string]string {
	hooks := map[string]string{}
	for _, e := range freenahi.ProcessedEvents {
		hooks[e] = base + "/webhook/" + e + "/"
	}
	return hooks
}
