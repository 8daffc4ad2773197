package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/inqom"
	"github.com/freenahi/freenahi/store"
)

func (m *Main) runInqom(ctx context.Context, args []string) error {
	return m.subcommand(ctx, "inqom", args, map[string]command{
		"credentials": {"save a user's Inqom API credentials (secrets read from stdin)", (*Main).runInqomCredentials},
		"link":        {"map an account to an Inqom dossier and register it there", (*Main).runInqomLink},
		"unlink":      {"stop sending an account to its Inqom dossier", (*Main).runInqomUnlink},
		"push":        {"export the waiting booked transactions to Inqom now", (*Main).runInqomPush},
		"status":      {"show mappings, and with --mapping the history of its files", (*Main).runInqomStatus},
		"resolve":     {"decide about a failed or review file: sent, retry or release", (*Main).runInqomResolve},
		"file":        {"write the exact bytes of a file of the ledger", (*Main).runInqomFile},
	})
}

// withPusher runs fn with an open store and an Inqom exporter.
func (m *Main) withPusher(ctx context.Context, fn func(*store.Store, *export.Pusher) error) error {
	cfg, err := m.config()
	if err != nil {
		return err
	}
	log := m.logger(cfg, slog.LevelWarn)
	return m.withStore(ctx, func(s *store.Store) error { return fn(s, newPusher(cfg, s, log)) })
}

func (m *Main) runInqomCredentials(ctx context.Context, args []string) error {
	fs := m.flags("inqom credentials", "--email E --username U --client-id ID [--environment staging] [--auth-url URL --banking-url URL]",
		"Save a user's Inqom API credentials, used instead of the INQOM_* variables for that\nuser. The password is read from the first line of stdin, the client secret from the\nsecond; both are stored encrypted and never shown again.")
	email := fs.String("email", "", "freenahi user (required)")
	username := fs.String("username", "", "Inqom user, an e-mail address (required)")
	clientID := fs.String("client-id", "", "Inqom API client id (required)")
	environment := fs.String("environment", "production", "production or staging")
	authURL := fs.String("auth-url", "", "token endpoint, to override the environment's (a local sandbox)")
	bankingURL := fs.String("banking-url", "", "banking API root, to override the environment's")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *email == "" || *username == "" || *clientID == "" {
		return errors.New("inqom credentials: --email, --username and --client-id are required")
	}
	env, err := inqom.ParseEnvironment(*environment)
	if err != nil {
		return humanError(err)
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	lines, err := m.readLines(2, "Inqom password", "Inqom client secret")
	if err != nil {
		return err
	}
	return m.withStore(ctx, func(s *store.Store) error {
		u, err := s.FindUserByEmail(ctx, *email)
		if err != nil {
			return humanError(err)
		}
		c := &freenahi.InqomCredentials{UserID: u.ID, Username: *username, Password: lines[0], ClientID: *clientID,
			ClientSecret: lines[1], Environment: string(env), AuthURL: *authURL, BankingURL: *bankingURL}
		if err := export.CheckCredentialURLs(c, cfg.InqomAllowLoopback); err != nil {
			return humanError(err)
		}
		if err := s.SaveInqomCredentials(ctx, c); err != nil {
			return humanError(err)
		}
		fmt.Fprintf(m.Stdout, "saved the Inqom credentials of %s (Inqom user %s, %s)\n", u.Email, *username, env)
		return nil
	})
}

// readLines reads n non-empty lines from stdin, named for the messages.
func (m *Main) readLines(n int, names ...string) ([]string, error) {
	b, err := io.ReadAll(io.LimitReader(m.Stdin, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("read stdin: %w", err)
	}
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	for i := range n {
		if i >= len(lines) || lines[i] == "" {
			return nil, fmt.Errorf("line %d of stdin must hold the %s", i+1, names[i])
		}
	}
	return lines[:n], nil
}

func (m *Main) runInqomLink(ctx context.Context, args []string) error {
	fs := m.flags("inqom link", "--email E --account ID --dossier N [--iban IBAN] [--bank-name NAME] [--no-control] [--from YYYY-MM-DD]",
		"Map an account to an Inqom dossier and register its IBAN there (again: harmless).\nFrom then on its booked transactions are pushed after each sync, once each.")
	email := fs.String("email", "", "freenahi user (may be left out when there is one user)")
	account := fs.Int64("account", 0, "account id, as the API returns it (required)")
	dossier := fs.Int64("dossier", 0, "Inqom dossier id (required)")
	iban := fs.String("iban", "", "French IBAN to register, when the bank gives none")
	bankName := fs.String("bank-name", "", "bank name shown in Inqom (default: the connection's bank)")
	noControl := fs.Bool("no-control", false, "register with Inqom's CFONB balance control off")
	from := fs.String("from", "", "export only transactions dated from this day (default: all)")
	additional := fs.Bool("additional", false, "link an account that already sends to another dossier: its transactions go to both")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *account <= 0 || *dossier <= 0 {
		return errors.New("inqom link: --account and --dossier are required")
	}
	var start freenahi.Date
	if *from != "" {
		var err error
		if start, err = parseDateFlag("from", *from); err != nil {
			return err
		}
	}
	control := !*noControl
	return m.withPusher(ctx, func(s *store.Store, p *export.Pusher) error {
		u, err := m.commandUser(ctx, s, *email)
		if err != nil {
			return err
		}
		mp, err := p.MapAccount(ctx, freenahi.InqomMappingInput{UserID: u.ID, AccountID: *account, DossierID: *dossier, IBAN: *iban,
			BankName: *bankName, CFONBControl: &control, StartDate: start, Additional: *additional})
		if mp != nil {
			fmt.Fprintf(m.Stdout, "mapping %d: account %d → Inqom dossier %d (IBAN %s, balance control %v)\n",
				mp.ID, mp.AccountID, mp.DossierID, mp.IBAN, mp.CFONBControl)
		}
		if err != nil {
			return humanError(err)
		}
		fmt.Fprintln(m.Stdout, "registered in Inqom; run `freenahi inqom push` or let the server push after the next sync")
		return nil
	})
}

func (m *Main) runInqomUnlink(ctx context.Context, args []string) error {
	fs := m.flags("inqom unlink", "--mapping ID [--email E]",
		"Stop sending an account to its Inqom dossier. Transactions not sent yet stay in\nfreenahi and are not sent; files already sent stay in Inqom. Linking the same account\nto the same dossier again resumes where it stopped, sending nothing twice.")
	email := fs.String("email", "", "freenahi user (may be left out when there is one user)")
	mapping := fs.Int64("mapping", 0, "mapping id, as `freenahi inqom status` shows it (required)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *mapping <= 0 {
		return errors.New("inqom unlink: --mapping is required")
	}
	return m.withPusher(ctx, func(s *store.Store, p *export.Pusher) error {
		u, err := m.commandUser(ctx, s, *email)
		if err != nil {
			return err
		}
		st, err := p.FindInqomMappingByID(ctx, u.ID, *mapping)
		if err != nil {
			return humanError(err)
		}
		if _, err := p.UnlinkInqomMapping(ctx, u.ID, *mapping); err != nil {
			return humanError(err)
		}
		fmt.Fprintf(m.Stdout, "unlinked mapping %d: nothing more is sent to Inqom dossier %d.\n", st.ID, st.DossierID)
		fmt.Fprintf(m.Stdout, "%d transaction(s) waiting stay in freenahi and are not sent; files already sent stay in Inqom.\n", st.Waiting)
		fmt.Fprintf(m.Stdout, "`freenahi inqom link --account %d --dossier %d` resumes where it stopped, sending nothing twice.\n", st.AccountID, st.DossierID)
		return nil
	})
}

func (m *Main) runInqomPush(ctx context.Context, args []string) error {
	fs := m.flags("inqom push", "[--email E]", "Export the waiting booked transactions of every mapping (or of one user's) to\nInqom now, then show the mappings. The running server does the same after each sync.")
	email := fs.String("email", "", "only this user")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return m.withPusher(ctx, func(s *store.Store, p *export.Pusher) error {
		var userID int64
		if *email != "" {
			u, err := s.FindUserByEmail(ctx, *email)
			if err != nil {
				return humanError(err)
			}
			userID = u.ID
		}
		perr := p.Push(ctx, userID)
		if err := m.printMappings(ctx, s, userID); err != nil {
			return err
		}
		if perr != nil {
			return humanError(perr)
		}
		return nil
	})
}

func (m *Main) runInqomStatus(ctx context.Context, args []string) error {
	fs := m.flags("inqom status", "[--email E] [--mapping ID] [--limit N]", "Show the mappings and their ledger; with --mapping, the history of its files and the\nexported transactions the bank changed or deleted since.")
	email := fs.String("email", "", "only this user")
	mapping := fs.Int64("mapping", 0, "show this mapping's files")
	limit := fs.Int("limit", 50, "files to show, newest first")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return m.withPusher(ctx, func(s *store.Store, p *export.Pusher) error {
		var userID int64
		if *email != "" || *mapping != 0 {
			u, err := m.commandUser(ctx, s, *email)
			if err != nil {
				return err
			}
			userID = u.ID
		}
		if *mapping == 0 {
			return m.printMappings(ctx, s, userID)
		}
		st, err := s.FindInqomMappingStatus(ctx, userID, *mapping)
		if err != nil {
			return humanError(err)
		}
		bs, err := s.FindExportBatches(ctx, userID, *mapping, *limit)
		if err != nil {
			return humanError(err)
		}
		a, err := s.FindAccountByID(ctx, userID, st.AccountID)
		if err != nil {
			return humanError(err)
		}
		m.printHistory(st, bs, a.Currency.Exponent)
		return nil
	})
}

// printMappings lists the mappings of a user (0: all users).
func (m *Main) printMappings(ctx context.Context, s *store.Store, userID int64) error {
	ms, err := s.FindInqomMappings(ctx, userID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MAPPING\tACCOUNT\tDOSSIER\tIBAN\tREGISTERED\tFILES\tEXPORTED\tWAITING\tLAST SENT\tPROBLEM")
	for _, mp := range ms {
		st, err := s.FindInqomMappingStatus(ctx, mp.UserID, mp.ID)
		if err != nil {
			return err
		}
		files := []string{}
		for _, k := range []freenahi.BatchStatus{freenahi.BatchSent, freenahi.BatchPending, freenahi.BatchReview, freenahi.BatchFailed, freenahi.BatchReleased} {
			if n := st.Batches[k]; n > 0 {
				files = append(files, fmt.Sprintf("%d %s", n, k))
			}
		}
		problem := oneLine(errorText(st.LastError), 80)
		if len(st.Changes) > 0 {
			problem = strings.TrimSpace(fmt.Sprintf("%s changed at the bank; %s",
				count(len(st.Changes), "exported transaction", "exported transactions"), problem))
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", st.ID, st.AccountID, st.DossierID, st.IBAN,
			timeOrDash(st.RegisteredAt), orDash(strings.Join(files, ", ")), st.Exported, st.Waiting, timeOrDash(st.LastSent), orDash(problem))
	}
	return tw.Flush()
}

// printHistory shows a mapping's files and the changes since export.
func (m *Main) printHistory(st *freenahi.InqomMappingStatus, bs []*freenahi.ExportBatch, exp int) {
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tSEQ\tSTATUS\tTXS\tDATES\tBALANCES\tATTEMPTS\tSENT\tSHA-256\tNAME\tPROBLEM")
	for _, b := range bs {
		status := string(b.Status)
		if b.Review {
			status += " (review: Inqom may hold it twice)"
		}
		if b.Held {
			status += " (held: resolve it)"
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%d\t%s…%s\t%s → %s\t%d\t%s\t%s\t%s\t%s\n", b.ID, b.Seq, status, b.Transactions, b.FirstDate,
			b.LastDate, freenahi.FormatMinor(b.OpeningMinor, exp), freenahi.FormatMinor(b.ClosingMinor, exp), b.Attempts,
			timeOrDash(b.SentAt), b.SHA256[:12], b.Filename, orDash(oneLine(errorText(b.LastError), 80)))
	}
	tw.Flush()
	for _, c := range st.Changes {
		what := "deleted at the bank"
		if c.Deleted == nil {
			what = fmt.Sprintf("now %s on %s", freenahi.FormatMinor(c.ValueMinor, exp), c.Date)
		}
		fmt.Fprintf(m.Stdout, "changed after export: transaction %d (Powens %d), sent in file %d as %s on %s, %s\n",
			c.TransactionID, c.PowensID, c.BatchID, freenahi.FormatMinor(c.ExportedMinor, exp), c.ExportedDate, what)
	}
}

func timeOrDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.DateTime)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (m *Main) runInqomResolve(ctx context.Context, args []string) error {
	fs := m.flags("inqom resolve", "--batch N --action sent|retry|release [--email E]",
		"Decide about a failed file, or one held in review: sent (Inqom has it after all: check the\ndossier first), retry (send the same bytes again), release (it never reached Inqom:\nits transactions go into the next file).")
	email := fs.String("email", "", "owner (may be left out when there is one user)")
	batch := fs.Int64("batch", 0, "file id, as status shows it (required)")
	action := fs.String("action", "", "sent, retry or release (required)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *batch <= 0 || *action == "" {
		return errors.New("inqom resolve: --batch and --action are required")
	}
	return m.withPusher(ctx, func(s *store.Store, p *export.Pusher) error {
		u, err := m.commandUser(ctx, s, *email)
		if err != nil {
			return err
		}
		b, err := p.ResolveExportBatch(ctx, u.ID, *batch, freenahi.BatchResolution(*action))
		if err != nil {
			return humanError(err)
		}
		fmt.Fprintf(m.Stdout, "file %d (%s) is now %s\n", b.ID, b.Filename, b.Status)
		return nil
	})
}

func (m *Main) runInqomFile(ctx context.Context, args []string) error {
	fs := m.flags("inqom file", "--batch N [-o FILE] [--email E]", "Write the exact bytes of a file of the ledger, as sent (or to send) to Inqom.")
	email := fs.String("email", "", "owner (may be left out when there is one user)")
	batch := fs.Int64("batch", 0, "file id, as status shows it (required)")
	out := fs.String("o", "", "output file (default: standard output)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *batch <= 0 {
		return errors.New("inqom file: --batch is required")
	}
	return m.withStore(ctx, func(s *store.Store) error {
		u, err := m.commandUser(ctx, s, *email)
		if err != nil {
			return err
		}
		b, err := s.FindExportBatchFile(ctx, u.ID, *batch)
		if err != nil {
			return humanError(err)
		}
		_, err = writeOutput(*out, m.Stdout, func(w io.Writer) (int, error) { return w.Write(b.Content) })
		if err == nil && *out != "" {
			fmt.Fprintf(m.Stderr, "%s: %d bytes, SHA-256 %s\n", b.Filename, len(b.Content), b.SHA256)
		}
		return err
	})
}
