// Command freenahi is the freenahi server and its administration commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/freenahi/freenahi/notify/outbox"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/freenahi/freenahi/seal"
	"github.com/freenahi/freenahi/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(m.Stderr, "freenahi:", err)
			os.Exit(1)
		}
	}
}

// Main runs freenahi commands. Its fields are public so end-to-end tests can
// run it with their own streams, environment and addresses.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// LookupEnv reads configuration; NewMain combines the process environment
	// with a .env file in the working directory (the environment wins).
	LookupEnv func(string) (string, bool)
	// OnListen is called with the server's base URL once it accepts requests.
	OnListen func(url string)
	// Outbox, when set (the demo), receives the notification mail and
	// shows it on the outbox page.
	Outbox *outbox.Server
	// Now, when set, is the database's clock (sign-in delays, leases,
	// sessions): a test stops time so that a slow machine cannot let a
	// delay run out between two of its requests. Nil is the system clock.
	Now func() time.Time
}

// NewMain returns a Main wired to the process.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, LookupEnv: lookupEnvWithDotEnv(".env")}
}

func lookupEnvWithDotEnv(path string) func(string) (string, bool) {
	vars, err := ReadDotEnv(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "freenahi: ignoring .env:", err)
	}
	return func(k string) (string, bool) {
		if v, ok := os.LookupEnv(k); ok {
			return v, true
		}
		v, ok := vars[k]
		return v, ok
	}
}

// command is one subcommand.
type command struct {
	summary string
	run     func(m *Main, ctx context.Context, args []string) error
}

func (m *Main) commands() map[string]command {
	return map[string]command{
		"serve":    {"run the server (webhook receiver, API, background processing)", (*Main).runServe},
		"migrate":  {"apply database migrations and exit", (*Main).runMigrate},
		"user":     {"manage users: create, list, link-powens", (*Main).runUser},
		"token":    {"manage API tokens: create, list, revoke", (*Main).runToken},
		"webhooks": {"inspect the webhook inbox: list, show, replay", (*Main).runWebhooks},
		"version":  {"print the version", (*Main).runVersion},
		"sync":     {"pull what changed at Powens now (the reconcile, on demand)", (*Main).runSync},
		"sandbox":  {"run the local Powens sandbox alone", (*Main).runSandbox},
		"demo":     {"run freenahi with the local Powens sandbox and demo data, no configuration", (*Main).runDemo},
		"export":   {"write an account's statements for a period: cfonb, csv", (*Main).runExport},
		"inqom":    {"push booked transactions to Inqom: credentials, link, push, status, resolve, file", (*Main).runInqom},

		"inqom-sandbox": {"run the local Inqom sandbox alone", (*Main).runInqomSandbox},
		"backup":        {"write every row of the database to an archive file", (*Main).runBackup},
		"restore":       {"load an archive into the (empty) configured database", (*Main).runRestore},
		"copy":          {"copy the database into another one, e.g. SQLite to PostgreSQL", (*Main).runCopy},
		"import":        {"import a bank file (CFONB 120, OFX, QIF, CSV) into a manual account", (*Main).runImport},
	}
}

// Run runs the command named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	cmds := m.commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		m.usage(cmds)
		if len(args) == 0 {
			return errors.New("a command is required")
		}
		return flag.ErrHelp
	}
	c, ok := cmds[args[0]]
	if !ok {
		m.usage(cmds)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return c.run(m, ctx, args[1:])
}

func (m *Main) usage(cmds map[string]command) {
	var names []string
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(m.Stderr, "freenahi keeps your bank data (aggregated by Powens) and serves it.\n\nUsage: freenahi <command> [flags]\n\nCommands:")
	for _, n := range names {
		fmt.Fprintf(m.Stderr, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(m.Stderr, "\nRun freenahi <command> --help for the flags of a command. Configuration comes from the environment and ./.env (see README).")
}

// subcommand dispatches args[0] among subs, printing usage for help.
func (m *Main) subcommand(ctx context.Context, name string, args []string, subs map[string]command) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(m.Stderr, "Usage: freenahi %s <subcommand> [flags]\n\nSubcommands:\n", name)
		var names []string
		for n := range subs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(m.Stderr, "  %-12s %s\n", n, subs[n].summary)
		}
		if len(args) == 0 {
			return fmt.Errorf("%s: a subcommand is required", name)
		}
		return flag.ErrHelp
	}
	c, ok := subs[args[0]]
	if !ok {
		return fmt.Errorf("%s: unknown subcommand %q (see freenahi %s --help)", name, args[0], name)
	}
	return c.run(m, ctx, args[1:])
}

// flags returns a FlagSet for a command whose --help prints usage and summary.
func (m *Main) flags(name, synopsis, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: freenahi %s %s\n\n%s\n", name, synopsis, summary)
		var has bool
		fs.VisitAll(func(*flag.Flag) { has = true })
		if has {
			fmt.Fprintln(m.Stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses flags and refuses stray arguments unless nargs allows them.
func parse(fs *flag.FlagSet, args []string, nargs int) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > nargs {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(nargs))
	}
	return nil
}

func (m *Main) config() (*Config, error) {
	cfg, err := LoadConfig(m.LookupEnv)
	if err != nil {
		return nil, fmt.Errorf("configuration:\n%w", err)
	}
	return cfg, nil
}

// logger writes structured logs to stderr, redacting any attribute whose name
// says it holds a secret, as a second line of defence.
func (m *Main) logger(cfg *Config, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		k := strings.ToLower(a.Key)
		for _, s := range []string{"token", "secret", "password", "authorization", "cookie"} {
			if strings.Contains(k, s) {
				return slog.String(a.Key, "[redacted]")
			}
		}
		return a
	}}
	if cfg != nil && cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(m.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(m.Stderr, opts))
}

// secretsKey returns the key for secrets at rest: FREENAHI_SECRET_KEY, else a
// key file in the data directory, created (0600) on first run.
func (m *Main) secretsKey(cfg *Config, log *slog.Logger) (*seal.Key, error) {
	if cfg.SecretKey != "" {
		k, err := seal.ParseKey(cfg.SecretKey)
		if err != nil {
			return nil, &ConfigError{Var: "FREENAHI_SECRET_KEY", Reason: err.Error()}
		}
		return k, nil
	}
	path := filepath.Join(cfg.DataDir, "secret.key")
	k, created, err := seal.LoadOrCreateKeyFile(path)
	if err != nil {
		return nil, fmt.Errorf("secrets key: %w (or set FREENAHI_SECRET_KEY)", err)
	}
	if created {
		log.Warn("created a new key for secrets at rest; back it up with the database", slog.String("path", path))
	}
	return k, nil
}

// openStore opens the database and applies pending migrations.
func (m *Main) openStore(ctx context.Context, cfg *Config, log *slog.Logger) (*store.Store, error) {
	key, err := m.secretsKey(cfg, log)
	if err != nil {
		return nil, err
	}
	return m.openDatabase(ctx, cfg, key, log)
}

// openDatabase opens the store with Main's clock.
func (m *Main) openDatabase(ctx context.Context, cfg *Config, key *seal.Key, log *slog.Logger) (*store.Store, error) {
	s, err := store.Open(ctx, cfg.DatabaseURL, store.Options{Secrets: key, Logger: log, Migrate: true})
	if err == nil && m.Now != nil {
		s.Now = m.Now
	}
	return s, err
}

// Version returns the build's version.
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}

func (m *Main) runVersion(ctx context.Context, args []string) error {
	fs := m.flags("version", "", "Print the version of this build.")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, "freenahi", Version())
	return nil
}
