package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/inqom/sandbox"
)

// The demo's Inqom: a local sandbox with one user and one dossier.
const (
	demoInqomUser     = "compta@freenahi.local"
	demoInqomClientID = "freenahi-demo"
	demoInqomDossier  = 1001
)

func (m *Main) runInqomSandbox(ctx context.Context, args []string) error {
	fs := m.flags("inqom-sandbox", "[--addr HOST:PORT] [flags]",
		"Run the local Inqom sandbox alone: the OAuth2 token endpoint and the two API Banking\ncalls (account registration, CFONB import with the strict reader and the balance\ncontrol). State lives in memory. GET /__sandbox/state shows what it received.")
	addr := fs.String("addr", "127.0.0.1:8082", "listen address")
	clientID := fs.String("client-id", "freenahi", "API client id it accepts")
	clientSecret := fs.String("client-secret", "sandbox-secret", "API client secret it accepts")
	user := fs.String("user", "compta@example.com", "Inqom user it accepts")
	password := fs.String("password", "sandbox-password", "that user's password")
	dossiers := fs.String("dossiers", "1001,1002", "comma-separated dossier ids the user may write")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	var ids []int64
	for _, part := range strings.Split(*dossiers, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("inqom-sandbox: --dossiers: %q is not a dossier id", part)
		}
		ids = append(ids, id)
	}
	log := m.logger(nil, slog.LevelInfo)
	sb := sandbox.New(sandbox.Config{ClientID: *clientID, ClientSecret: *clientSecret,
		Users: map[string]string{*user: *password}, Dossiers: map[string][]int64{*user: ids}, Logger: log})
	if err := sb.Start(*addr); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Inqom sandbox at %s (dossiers %s). Point freenahi at it with:\n  INQOM_AUTH_URL=%s%s\n  INQOM_BANKING_URL=%s\n  INQOM_CLIENT_ID=%s INQOM_CLIENT_SECRET=%s INQOM_USERNAME=%s INQOM_PASSWORD=<the password>\n",
		sb.URL(), *dossiers, sb.URL(), sandbox.TokenPath, sb.URL(), *clientID, *clientSecret, *user)
	<-ctx.Done()
	return sb.Close()
}

// startDemoInqom starts the demo's Inqom sandbox, gives the demo user
// credentials for it, and maps the demo checking account to its dossier,
// so the first push happens at once. The sandbox keeps nothing across
// restarts: the account is registered again (harmless) each time.
func (m *Main) startDemoInqom(ctx context.Context, a *app, addr string) (*sandbox.Server, error) {
	password, secret := randomHex(12), randomHex(16)
	sb := sandbox.New(sandbox.Config{ClientID: demoInqomClientID, ClientSecret: secret,
		Users: map[string]string{demoInqomUser: password}, Dossiers: map[string][]int64{demoInqomUser: {demoInqomDossier}},
		Logger: a.log.With(slog.String("component", "inqom-sandbox"))})
	if err := sb.Start(addr); err != nil {
		// The port is only a convenience: take any free one rather than
		// stop the demo, the banner shows where it went.
		a.log.Warn("Inqom sandbox: address in use, taking a free port", slog.String("addr", addr), slog.Any("error", err))
		if err := sb.Start("127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("demo: Inqom sandbox: %w (choose another address with --inqom-addr)", err)
		}
	}
	if err := m.linkDemoInqom(ctx, a, sb.URL(), password, secret); err != nil {
		sb.Close()
		return nil, fmt.Errorf("demo: Inqom: %w", err)
	}
	return sb, nil
}

func (m *Main) linkDemoInqom(ctx context.Context, a *app, url, password, secret string) error {
	u, err := a.store.FindUserByEmail(ctx, demoEmail)
	if err != nil {
		return err
	}
	err = a.store.SaveInqomCredentials(ctx, &freenahi.InqomCredentials{UserID: u.ID, Username: demoInqomUser,
		Password: password, ClientID: demoInqomClientID, ClientSecret: secret, AuthURL: url + sandbox.TokenPath, BankingURL: url})
	if err != nil {
		return err
	}
	accounts, err := a.store.FindAccounts(ctx, freenahi.AccountFilter{UserID: u.ID, Type: "checking"})
	if err != nil {
		return err
	}
	for _, acc := range accounts {
		if strings.HasPrefix(acc.IBAN, "FR") {
			_, err := a.pusher.MapAccount(ctx, freenahi.InqomMappingInput{UserID: u.ID, AccountID: acc.ID, DossierID: demoInqomDossier})
			return err
		}
	}
	return fmt.Errorf("the demo user has no checking account with a French IBAN")
}

// printDemoInqomBanner completes the demo's banner with its Inqom.
func (m *Main) printDemoInqomBanner(sb *sandbox.Server) {
	fmt.Fprintf(m.Stdout, `  Inqom sandbox  %s  (dossier %d receives the checking account's CFONB files,
                 pushed after each sync: see %s/__sandbox/state and GET /api/v1/inqom/mappings)

`, sb.URL(), demoInqomDossier, sb.URL())
}
