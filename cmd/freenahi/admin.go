package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/password"
	"github.com/freenahi/freenahi/store"
)

// withStore runs fn with an open store, for administration commands.
func (m *Main) withStore(ctx context.Context, fn func(*store.Store) error) error {
	cfg, err := m.config()
	if err != nil {
		return err
	}
	// A command run beside the demo, or from another directory, would
	// otherwise create an empty database silently and act on it.
	if engine, path := store.ParseURL(cfg.DatabaseURL); engine == store.SQLite {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(m.Stderr, "freenahi: no database at %s yet: creating a new, empty one (the demo keeps its own in ./freenahi-demo; FREENAHI_DATA_DIR or FREENAHI_DATABASE_URL choose another)\n", path)
		}
	}
	s, err := m.openStore(ctx, cfg, m.logger(cfg, slog.LevelWarn))
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

func (m *Main) runMigrate(ctx context.Context, args []string) error {
	fs := m.flags("migrate", "", "Apply pending database migrations (serve also applies them at start-up).")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return m.withStore(ctx, func(s *store.Store) error {
		current, latest, err := s.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s database schema at version %d (latest %d)\n", s.Engine(), current, latest)
		return nil
	})
}

// readSecret reads one line (a password or token) from stdin.
func (m *Main) readSecret(what string) (string, error) {
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read %s from stdin: %w", what, err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("%s on stdin is empty", what)
	}
	return line, nil
}

func (m *Main) runUser(ctx context.Context, args []string) error {
	return m.subcommand(ctx, "user", args, map[string]command{
		"create":       {"create a user", (*Main).runUserCreate},
		"list":         {"list users", (*Main).runUserList},
		"link-powens":  {"attach an existing Powens user and its permanent token", (*Main).runUserLinkPowens},
		"delete":       {"delete a user, their Powens user and all their data", (*Main).runUserDelete},
		"unlock":       {"forget a user's failed sign-ins, from every client and device", (*Main).runUserUnlock},
		"set-password": {"set a user's password (a forgotten one), ending their sessions", (*Main).runUserSetPassword},
	})
}

func (m *Main) runUserUnlock(ctx context.Context, args []string) error {
	fs := m.flags("user unlock", "--email E", "Forget the failed sign-ins counted against a user, from every client and device,\nso that the delays they caused end now. Failures of an address across accounts stay.")
	email := fs.String("email", "", "e-mail of the user (required)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("user unlock: --email is required")
	}
	return m.withStore(ctx, func(s *store.Store) error {
		u, err := s.FindUserByEmail(ctx, *email)
		if err != nil {
			return humanError(err)
		}
		n, err := s.UnlockSignin(ctx, u.Email)
		if err != nil {
			return humanError(err)
		}
		fmt.Fprintf(m.Stdout, "unlocked %s: %s forgotten\n", u.Email, count(int(n), "throttle", "throttles"))
		return nil
	})
}

func (m *Main) runUserSetPassword(ctx context.Context, args []string) error {
	fs := m.flags("user set-password", "--email E --password-stdin", "Set the password of a user (for the web UI), read from the first line of stdin.\nEvery session of the user ends; their data is untouched.")
	email := fs.String("email", "", "e-mail address (required)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from stdin (required: never on the command line)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *email == "" || !*pwStdin {
		return errors.New("user set-password: --email and --password-stdin are required")
	}
	pw, err := m.readSecret("password")
	if err != nil {
		return err
	}
	if err := password.Check(pw, *email); err != nil {
		return humanError(err)
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return fmt.Errorf("password %w", err)
	}
	return m.withStore(ctx, func(s *store.Store) error {
		u, err := s.FindUserByEmail(ctx, *email)
		if err == nil {
			err = s.ChangePassword(ctx, u.ID, hash, "")
		}
		if err != nil {
			return humanError(err)
		}
		fmt.Fprintf(m.Stdout, "password of user %d <%s> set; their sessions ended\n", u.ID, u.Email)
		return nil
	})
}

func (m *Main) runUserCreate(ctx context.Context, args []string) error {
	fs := m.flags("user create", "--email E [--password-stdin]", "Create a user. With --password-stdin, the password (for the web UI) is read from\nthe first line of stdin; without it the user can only use API tokens.")
	email := fs.String("email", "", "e-mail address (required)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from stdin")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("user create: --email is required")
	}
	hash := ""
	if *pwStdin {
		pw, err := m.readSecret("password")
		if err != nil {
			return err
		}
		if err := password.Check(pw, *email); err != nil {
			return humanError(err)
		}
		if hash, err = password.Hash(pw); err != nil {
			return fmt.Errorf("password %w", err)
		}
	}
	return m.withStore(ctx, func(s *store.Store) error {
		u, err := s.CreateUser(ctx, *email, hash)
		if err != nil {
			return humanError(err)
		}
		fmt.Fprintf(m.Stdout, "created user %d <%s>\n", u.ID, u.Email)
		return nil
	})
}

func (m *Main) runUserList(ctx context.Context, args []string) error {
	fs := m.flags("user list", "", "List users and their Powens link.")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return m.withStore(ctx, func(s *store.Store) error {
		users, err := s.FindUsers(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tPOWENS USER\tCREATED")
		for _, u := range users {
			pu := "-"
			if u.PowensUserID != nil {
				pu = strconv.FormatInt(*u.PowensUserID, 10)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", u.ID, u.Email, pu, u.CreatedAt.Format(time.DateTime))
		}
		return tw.Flush()
	})
}

func (m *Main) runUserLinkPowens(ctx context.Context, args []string) error {
	fs := m.flags("user link-powens", "--email E --powens-user-id N --powens-token-stdin",
		"Attach an existing Powens user (for example one created by an earlier Freenahi\ninstall) to a freenahi user. The permanent token is read from stdin and stored\nencrypted. Webhook events that waited for this Powens user are then processed.")
	email := fs.String("email", "", "e-mail of the freenahi user (required)")
	powensID := fs.Int64("powens-user-id", 0, "Powens user id, id_user (required)")
	tokenStdin := fs.Bool("powens-token-stdin", false, "read the Powens permanent token from stdin (required)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	switch {
	case *email == "":
		return errors.New("user link-powens: --email is required")
	case *powensID <= 0:
		return errors.New("user link-powens: --powens-user-id must be a positive integer")
	case !*tokenStdin:
		return errors.New("user link-powens: --powens-token-stdin is required (tokens are never passed as arguments, which other users can read)")
	}
	token, err := m.readSecret("Powens token")
	if err != nil {
		return err
	}
	return m.withStore(ctx, func(s *store.Store) error {
		u, err := s.FindUserByEmail(ctx, *email)
		if err != nil {
			return humanError(err)
		}
		released, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: *powensID, Token: token})
		if err != nil {
			return humanError(err)
		}
		fmt.Fprintf(m.Stdout, "linked Powens user %d to %s; %s released for processing\n", *powensID, u.Email,
			count(int(released), "waiting webhook event", "waiting webhook events"))
		return nil
	})
}

func (m *Main) runToken(ctx context.Context, args []string) error {
	return m.subcommand(ctx, "token", args, map[string]command{
		"create": {"create an API token (printed once)", (*Main).runTokenCreate},
		"list":   {"list a user's API tokens", (*Main).runTokenList},
		"revoke": {"revoke an API token", (*Main).runTokenRevoke},
	})
}

func (m *Main) runTokenCreate(ctx context.Context, args []string) error {
	fs := m.flags("token create", "--email E [--name N]", "Create an API token for the JSON API. It is printed once and stored hashed.")
	email := fs.String("email", "", "e-mail of the user (required)")
	name := fs.String("name", "cli", "a name to recognise the token by")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("token create: --email is required")
	}
	return m.withStore(ctx, func(s *store.Store) error {
		u, err := s.FindUserByEmail(ctx, *email)
		if err != nil {
			return humanError(err)
		}
		t, err := s.CreateAPIToken(ctx, u.ID, *name)
		if err != nil {
			return humanError(err)
		}
		fmt.Fprintln(m.Stdout, t.Secret)
		fmt.Fprintf(m.Stderr, "token %d %q created for %s; it is shown only now\n", t.ID, t.Name, u.Email)
		return nil
	})
}

func (m *Main) runTokenList(ctx context.Context, args []string) error {
	fs := m.flags("token list", "--email E", "List a user's active API tokens (their values are not stored).")
	email := fs.String("email", "", "e-mail of the user (required)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("token list: --email is required")
	}
	return m.withStore(ctx, func(s *store.Store) error {
		u, err := s.FindUserByEmail(ctx, *email)
		if err != nil {
			return humanError(err)
		}
		tokens, err := s.FindAPITokens(ctx, u.ID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tCREATED\tLAST USED")
		for _, t := range tokens {
			used := "never"
			if t.LastUsedAt != nil {
				used = t.LastUsedAt.Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", t.ID, t.Name, t.CreatedAt.Format(time.DateTime), used)
		}
		return tw.Flush()
	})
}

func (m *Main) runTokenRevoke(ctx context.Context, args []string) error {
	fs := m.flags("token revoke", "--email E --id N", "Revoke one of a user's API tokens; it stops working at once.")
	email := fs.String("email", "", "e-mail of the user (required)")
	id := fs.Int64("id", 0, "token id, from token list (required)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *email == "" || *id <= 0 {
		return errors.New("token revoke: --email and --id are required")
	}
	return m.withStore(ctx, func(s *store.Store) error {
		u, err := s.FindUserByEmail(ctx, *email)
		if err != nil {
			return humanError(err)
		}
		if err := s.RevokeAPIToken(ctx, u.ID, *id); err != nil {
			return humanError(err)
		}
		fmt.Fprintf(m.Stdout, "revoked token %d of %s\n", *id, u.Email)
		return nil
	})
}

func (m *Main) runWebhooks(ctx context.Context, args []string) error {
	return m.subcommand(ctx, "webhooks", args, map[string]command{
		"list":   {"list received webhook events", (*Main).runWebhooksList},
		"show":   {"show one event with its raw body", (*Main).runWebhooksShow},
		"replay": {"queue processed or failed events again", (*Main).runWebhooksReplay},
	})
}

func (m *Main) runWebhooksList(ctx context.Context, args []string) error {
	fs := m.flags("webhooks list", "[--status S] [--limit N] | --refused", "List webhook events, newest first; or, with --refused, the deliveries refused\nin the last 7 days (counted per hour, event and reason: a webhook whose\nauthentication is wrong in Powens' console shows here).")
	status := fs.String("status", "", "only events with this status: unmatched, pending, processing, processed, ignored, failed")
	refused := fs.Bool("refused", false, "list refused deliveries instead of events")
	limit := fs.Int("limit", 50, "at most this many events (1-1000)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	f := freenahi.InboxFilter{Limit: *limit}
	if *status != "" {
		st := freenahi.InboxStatus(*status)
		switch st {
		case freenahi.StatusUnmatched, freenahi.StatusPending, freenahi.StatusProcessing, freenahi.StatusProcessed, freenahi.StatusIgnored, freenahi.StatusFailed:
		default:
			return fmt.Errorf("webhooks list: --status %q is not one of unmatched, pending, processing, processed, ignored, failed", *status)
		}
		f.Status = &st
	}
	if *limit < 1 || *limit > 1000 {
		return errors.New("webhooks list: --limit must be between 1 and 1000")
	}
	if *refused {
		return m.listRefusals(ctx)
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	return m.withStore(ctx, func(s *store.Store) error {
		events, err := s.FindEvents(ctx, f)
		if err != nil {
			return err
		}
		if err := m.printUnmatchedBounds(ctx, s, cfg); err != nil {
			return err
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEVENT\tPOWENS USER\tUSER\tSTATUS\tATTEMPTS\tBYTES\tRECEIVED\tERROR")
		for _, e := range events {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", e.ID, e.Event, optInt(e.PowensUserID), optInt(e.UserID),
				e.Status, e.Attempts, e.BodySize, e.ReceivedAt.Local().Format(time.DateTime), oneLine(e.LastError, 80))
		}
		return tw.Flush()
	})
}

// printUnmatchedBounds says how full the unmatched events are, against
// their bounds, and when they expire: anyone can have such events stored in
// bearer mode, so an operator must see a flood, and that it is contained.
func (m *Main) printUnmatchedBounds(ctx context.Context, s *store.Store, cfg *Config) error {
	u, err := s.UnmatchedUsage(ctx, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Unmatched (waiting for `freenahi user link-powens`): %d of at most %d events, %d of at most %d bytes, at most %d per source address; each expires %s after receipt",
		u.Count, cfg.WebhookUnmatchedMax, u.Bytes, cfg.WebhookUnmatchedMaxBytes, cfg.WebhookUnmatchedPerSource, cfg.WebhookUnmatchedTTL)
	if u.Oldest != nil {
		fmt.Fprintf(m.Stdout, " (the oldest on %s)", u.Oldest.Add(cfg.WebhookUnmatchedTTL).Local().Format(time.DateTime))
	}
	fmt.Fprintf(m.Stdout, ".\nRaw bodies of processed events are kept %s after processing.\n\n", cfg.WebhookBodyRetention)
	return nil
}

// listRefusals prints the refused deliveries of the last 7 days.
func (m *Main) listRefusals(ctx context.Context) error {
	return m.withStore(ctx, func(s *store.Store) error {
		rs, err := s.FindRefusals(ctx, time.Now().Add(-7*24*time.Hour))
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			fmt.Fprintln(m.Stdout, "No delivery was refused in the last 7 days.")
			return nil
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "HOUR\tEVENT\tREASON\tREFUSED\tLAST\tDETAIL")
		for _, r := range rs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", r.Hour.Local().Format("2006-01-02 15:00"), r.Event, r.Reason, r.Count,
				r.LastAt.Local().Format(time.TimeOnly), oneLine(r.LastDetail, 80))
		}
		return tw.Flush()
	})
}

func (m *Main) runWebhooksShow(ctx context.Context, args []string) error {
	fs := m.flags("webhooks show", "ID", "Show one event, with its raw body, as JSON.")
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		return errors.New("webhooks show: give the event id (from webhooks list)")
	}
	return m.withStore(ctx, func(s *store.Store) error {
		e, err := s.FindEventByID(ctx, id)
		if err != nil {
			return humanError(err)
		}
		out := map[string]any{"id": e.ID, "event": e.Event, "delivery_key": e.DeliveryKey, "powens_user_id": e.PowensUserID,
			"user_id": e.UserID, "auth": e.Auth, "status": e.Status, "attempts": e.Attempts, "last_error": e.LastError,
			"received_at": e.ReceivedAt, "processed_at": e.ProcessedAt, "body": json.RawMessage(e.Body)}
		switch {
		case e.Body == nil:
			out["body"] = nil
			out["body_removed"] = "after the retention period (FREENAHI_WEBHOOK_BODY_RETENTION)"
		case !json.Valid(e.Body):
			out["body"] = string(e.Body)
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	})
}

func (m *Main) runWebhooksReplay(ctx context.Context, args []string) error {
	fs := m.flags("webhooks replay", "[--process] ID...", "Queue events again (for example after fixing the cause of a failure). A running\nserver processes them within a second; --process processes them now, here.")
	process := fs.Bool("process", false, "process the queue in this command instead of waiting for the server")
	if err := parse(fs, args, 1<<20); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("webhooks replay: give at least one event id")
	}
	return m.withStore(ctx, func(s *store.Store) error {
		for _, a := range fs.Args() {
			id, err := strconv.ParseInt(a, 10, 64)
			if err != nil || id <= 0 {
				return fmt.Errorf("webhooks replay: %q is not an event id", a)
			}
			if err := s.ReplayEvent(ctx, id); err != nil {
				return humanError(err)
			}
			fmt.Fprintf(m.Stdout, "event %d queued\n", id)
		}
		if *process {
			w := &ingest.Worker{Inbox: s, Transfers: s, Logger: m.logger(nil, slog.LevelInfo)}
			n, err := w.Drain(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "%s processed\n", count(n, "event", "events"))
		}
		return nil
	})
}

// humanError keeps a domain error's message and drops the code prefix.
func humanError(err error) error {
	if freenahi.ErrorCode(err) != freenahi.EINTERNAL {
		return errors.New(freenahi.ErrorMessage(err))
	}
	return err
}

func optInt(p *int64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatInt(*p, 10)
}

// count says n things with the English plural: "1 event", "2 events".
func count(n int, one, other string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + other
}

// errorText is a kept error's English message; "" for none.
func errorText(e *freenahi.Error) string {
	if e == nil {
		return ""
	}
	return e.Message
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n-1] + "…"
	}
	return s
}
