package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/freenahi/freenahi/notify"
	"github.com/freenahi/freenahi/notify/outbox"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/password"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/sandbox"
)

// The demo's fixed identity: it only ever talks to its own local sandbox.
const (
	demoEmail    = "demo@freenahi.local"
	demoPassword = "freenahi-demo"
	demoClientID = "1000"
	demoDomain   = "freenahi-demo"
	demoBank     = "Connecteur de test"
)

// demoSecrets are generated once per demo directory.
type demoSecrets struct {
	ClientSecret  string `json:"client_secret"`
	WebhookSecret string `json:"webhook_secret"`
}

func (m *Main) runDemo(ctx context.Context, args []string) error {
	fs := m.flags("demo", "[--addr HOST:PORT] [--sandbox-addr HOST:PORT] [--dir DIR] [--reset]",
		"Run freenahi with no configuration: an embedded SQLite database in DIR, the local\nPowens sandbox in-process, signed webhooks between them, a demo user and a first\ntest-bank connection, so accounts and transactions are there when you open the app.")
	addr := fs.String("addr", "127.0.0.1:8080", "freenahi's listen address")
	sandboxAddr := fs.String("sandbox-addr", "127.0.0.1:8081", "the Powens sandbox's listen address")
	inqomAddr := fs.String("inqom-addr", "127.0.0.1:8082", "the Inqom sandbox's listen address")
	dir := fs.String("dir", "freenahi-demo", "demo data directory")
	reset := fs.Bool("reset", false, "delete the demo data directory first")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *reset {
		if err := os.RemoveAll(*dir); err != nil {
			return err
		}
	}
	secrets, err := loadDemoSecrets(*dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("demo: listen on %s: %w (choose another with --addr)", *addr, err)
	}
	serverURL := "http://" + hostPort(ln.Addr())
	cfg, err := demoConfig(m.LookupEnv, *dir, secrets, serverURL)
	if err != nil {
		ln.Close()
		return err
	}
	log := m.logger(cfg, cfg.LogLevel)
	sb, err := sandbox.New(sandbox.Config{ClientID: demoClientID, ClientSecret: secrets.ClientSecret, Domain: demoDomain,
		WebhookURLs: webhookURLs(serverURL), WebhookSecret: secrets.WebhookSecret, Seed: 42,
		StatePath: filepath.Join(*dir, "sandbox-state.json"), Logger: log.With(slog.String("component", "sandbox")),
		DecoupledDelay: 3 * time.Second, SlowDelay: 20 * time.Second})
	if err != nil {
		ln.Close()
		return fmt.Errorf("demo: sandbox: %w", err)
	}
	defer sb.Close()
	if err := sb.Start(ctx, *sandboxAddr); err != nil {
		ln.Close()
		return fmt.Errorf("demo: sandbox on %s: %w (choose another with --sandbox-addr)", *sandboxAddr, err)
	}
	sandboxURL := "http://" + sb.Addr()
	cfg.PowensAPIURL, cfg.WebviewURL = sandboxURL+"/2.0/", sandboxURL+"/"
	// Notification mail goes to a mail server inside the demo, shown on /outbox.
	if m.Outbox == nil {
		if m.Outbox, err = outbox.Start(); err != nil {
			ln.Close()
			return fmt.Errorf("demo: outbox: %w", err)
		}
		defer m.Outbox.Close()
	}
	if cfg.SMTP, err = notify.ParseSMTPURL(m.Outbox.URL(), "notifications@demo.freenahi.local"); err != nil {
		ln.Close()
		return err
	}
	cfg.NotifyInterval = time.Minute
	a, err := m.startApp(ctx, cfg, "", ln)
	if err != nil {
		return err
	}
	token, err := m.prepareDemo(ctx, a)
	if err != nil {
		a.stop()
		return err
	}
	if _, err := a.notify.Tick(ctx); err != nil { // the outbox fills at once, not a minute later
		a.log.Warn("demo: notification round", slog.Any("error", err))
	}
	inq, err := m.startDemoInqom(ctx, a, *inqomAddr)
	if err != nil {
		a.stop()
		return err
	}
	defer inq.Close()
	m.printDemoBanner(a.server.URL(), sandboxURL, token)
	m.printDemoInqomBanner(inq)
	if m.OnListen != nil {
		m.OnListen(a.server.URL())
	}
	<-ctx.Done()
	a.log.Info("shutting down")
	return a.stop()
}

// demoConfig is the configuration of a demo: nothing comes from the
// environment but logging, so a .env meant for the real Powens is never used.
func demoConfig(lookup func(string) (string, bool), dir string, secrets *demoSecrets, serverURL string) (*Config, error) {
	cfg, err := LoadConfig(func(k string) (string, bool) {
		switch k {
		case "SERVER_LOG_LEVEL", "FREENAHI_LOG_FORMAT":
			return lookup(k)
		}
		return "", false
	})
	if err != nil {
		return nil, err
	}
	cfg.DataDir = dir
	cfg.DatabaseURL = "sqlite:" + filepath.Join(dir, "freenahi.db")
	cfg.PowensDomain, cfg.PowensClientID, cfg.PowensClientSecret = demoDomain, demoClientID, secrets.ClientSecret
	cfg.WebhookSecret = secrets.WebhookSecret
	cfg.PublicURL = serverURL
	cfg.RedirectURL = serverURL + "/webview/callback"
	cfg.InqomAllowLoopback = true // the demo's Inqom is the local sandbox, over http
	return cfg, nil
}

func loadDemoSecrets(dir string) (*demoSecrets, error) {
	path := filepath.Join(dir, "demo-secrets.json")
	b, err := os.ReadFile(path)
	if err == nil {
		var s demoSecrets
		if err := json.Unmarshal(b, &s); err != nil || s.ClientSecret == "" || s.WebhookSecret == "" {
			return nil, fmt.Errorf("demo: %s is damaged; run freenahi demo --reset", path)
		}
		return &s, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	s := &demoSecrets{ClientSecret: randomHex(16), WebhookSecret: randomHex(32)}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	b, _ = json.MarshalIndent(s, "", "  ")
	return s, os.WriteFile(path, b, 0o600)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func hostPort(a net.Addr) string {
	t := a.(*net.TCPAddr)
	host := t.IP.String()
	if t.IP.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, fmt.Sprint(t.Port))
}

// prepareDemo makes sure the demo user exists with a first test-bank
// connection whose accounts are activated and pulled, and returns a new API token.
func (m *Main) prepareDemo(ctx context.Context, a *app) (string, error) {
	u, err := a.store.FindUserByEmail(ctx, demoEmail)
	if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
		hash, herr := password.Hash(demoPassword)
		if herr != nil {
			return "", herr
		}
		u, err = a.store.CreateUser(ctx, demoEmail, hash)
	}
	if err != nil {
		return "", err
	}
	conns, err := a.store.FindConnections(ctx, u.ID)
	if err != nil {
		return "", err
	}
	if len(conns) == 0 {
		if err := m.connectDemoBank(ctx, a, u.ID); err != nil {
			return "", fmt.Errorf("demo: first connection: %w", err)
		}
	}
	// A debit threshold, so that the outbox shows mails from the first minute.
	if _, err := a.store.FindNotificationPrefs(ctx, u.ID); freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
		p := freenahi.DefaultNotificationPrefs(u.ID, "en")
		large := freenahi.MustParseDecimal("200")
		p.LargeDebit = &large
		if err := a.store.SaveNotificationPrefs(ctx, p); err != nil {
			return "", err
		}
	}
	tok, err := a.store.CreateAPIToken(ctx, u.ID, "demo "+time.Now().Format(time.DateTime))
	if err != nil {
		return "", err
	}
	return tok.Secret, nil
}

// connectDemoBank adds the test bank as a person would through freenahi:
// encrypted credentials, then every discovered account activated, then a pull
// so the data is there at once (the webhook brings the same data again).
func (m *Main) connectDemoBank(ctx context.Context, a *app, userID int64) error {
	agg := a.aggregator
	connectors, err := agg.Client().ListConnectors(ctx, powens.ConnectorQuery{})
	if err != nil {
		return err
	}
	var uuid string
	for _, c := range connectors {
		if c.Name == demoBank {
			uuid = c.UUID
		}
	}
	if uuid == "" {
		return fmt.Errorf("the sandbox has no %q connector", demoBank)
	}
	enc, err := agg.Client().FieldEncrypter(ctx)
	if err != nil {
		return err
	}
	fields, err := enc.EncryptFields(map[string]string{"login": "demo", "password": "demo"})
	if err != nil {
		return err
	}
	var connID int64
	err = agg.Do(ctx, userID, func(u *powens.UserClient) error {
		c, _, err := u.CreateConnection(ctx, powens.CreateConnection{ConnectorUUID: uuid, Source: "directaccess", Fields: fields})
		if err != nil {
			return err
		}
		accounts, err := u.ListConnectionAccounts(ctx, c.ID, true)
		if err != nil {
			return err
		}
		var ids []int64
		for _, acc := range accounts.Accounts {
			ids = append(ids, acc.ID)
		}
		connID = c.ID
		_, err = u.ActivateAccounts(ctx, c.ID, ids)
		return err
	})
	if err != nil {
		return err
	}
	if err := agg.PullConnection(ctx, userID, connID); err != nil {
		return err
	}
	// Wait (briefly) for the worker, so the first page already shows data.
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		txs, _, err := a.store.FindTransactions(ctx, freenahi.TransactionFilter{UserID: userID, Limit: 1})
		if err == nil && len(txs) > 0 {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("the pulled data was not processed within 15 s")
}

func (m *Main) printDemoBanner(url, sandboxURL, token string) {
	fmt.Fprintf(m.Stdout, `
freenahi demo is running (Ctrl-C to stop)

  web app   %s
  sign in   %s  /  %s
  API token %s
  try       curl -H "Authorization: Bearer %s" %s/api/v1/accounts
  API doc   %s/api/openapi.json
  outbox    %s/outbox  (the notification mails the demo sent)

  Powens sandbox %s  (test banks and their scripted logins: 2fa, decoupled, sca, wrongpass, …)

`, url, demoEmail, demoPassword, token, token, url, url, url, sandboxURL)
}
