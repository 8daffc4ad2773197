package export

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"sync"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/inqom"
)

// Importer is the part of inqom.Client the exporter uses.
type Importer interface {
	RegisterAccount(ctx context.Context, dossierID int64, acct inqom.Account) (*inqom.RegisteredAccount, error)
	ImportCFONB(ctx context.Context, filename string, content []byte) (*inqom.ImportResult, error)
}

var _ Importer = (*inqom.Client)(nil)

// CredentialStore finds a user's own Inqom credentials.
type CredentialStore interface {
	FindInqomCredentials(ctx context.Context, userID int64) (*freenahi.InqomCredentials, error)
}

// Clients hands out one Inqom client per user: from the user's own
// credentials when they have some, else from Global (the INQOM_* variables).
// A client is kept while its credentials do not change, so its token cache
// lives across pushes.
type Clients struct {
	Store CredentialStore
	// Global is the configuration used for users without their own; nil
	// when the INQOM_* variables are not set.
	Global *inqom.Config
	// HTTPClient and Logger go to every client; nil means the defaults. A
	// person's credentials pointing elsewhere than Inqom get a client that
	// connects to public addresses only (see CheckCredentialURLs).
	HTTPClient *http.Client
	Logger     *slog.Logger
	// AllowLoopback lets a person's credentials use http and addresses of
	// this computer (FREENAHI_INQOM_ALLOW_LOOPBACK; the demo's local Inqom).
	AllowLoopback bool
	// AnswersShownFrom are hosts (host:port) besides Inqom's own whose
	// answers a person may read, set by the operator (the demo's local
	// Inqom). Any other server's answers are reduced to the outcome and the
	// status, since a person may have pointed their credentials at it.
	AnswersShownFrom []string
	// Edit, when set, adjusts every configuration (tests shorten retries).
	Edit func(*inqom.Config)

	mu    sync.Mutex
	cache map[int64]cachedClient
}

type cachedClient struct {
	fingerprint string
	client      *inqom.Client
}

// Importer returns the client of a user, or EINVALID when neither the user
// nor the server has Inqom credentials.
func (c *Clients) Importer(ctx context.Context, userID int64) (Importer, error) {
	cfg, err := c.config(ctx, userID)
	if err != nil {
		return nil, err
	}
	fp := fingerprint(cfg)
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.cache[userID]; ok && e.fingerprint == fp {
		return e.client, nil
	}
	cl, err := inqom.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	if c.cache == nil {
		c.cache = map[int64]cachedClient{}
	}
	c.cache[userID] = cachedClient{fingerprint: fp, client: cl}
	return cl, nil
}

// config resolves the configuration of a user's client.
func (c *Clients) config(ctx context.Context, userID int64) (inqom.Config, error) {
	var cfg inqom.Config
	own, err := c.Store.FindInqomCredentials(ctx, userID)
	switch {
	case err == nil:
		if cfg, err = c.ownConfig(own); err != nil {
			return cfg, err
		}
	case freenahi.ErrorCode(err) != freenahi.ENOTFOUND:
		return cfg, err
	case c.Global == nil:
		return cfg, freenahi.Errorf(freenahi.EINVALID,
			"Inqom is not configured for this user: save their Inqom credentials (on the Accounting page, or with freenahi inqom credentials) or set the INQOM_* variables.")
	default:
		cfg = *c.Global
		cfg.HTTPClient = c.HTTPClient
	}
	cfg.Logger = c.Logger
	if c.Edit != nil {
		c.Edit(&cfg)
	}
	return cfg, nil
}

// fingerprint identifies a configuration without keeping its secrets in
// clear beside the client.
func fingerprint(cfg inqom.Config) string {
	h := sha256.New()
	for _, s := range []string{string(cfg.Environment), cfg.AuthURL, cfg.BankingURL, cfg.ClientID, cfg.ClientSecret,
		cfg.Username, cfg.Password, fmt.Sprint(cfg.HideAnswers)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
