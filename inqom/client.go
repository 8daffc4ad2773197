package inqom

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/internal/retry"
)

// Endpoints of Inqom's API Banking page, production and staging ("recette").
const (
	ProductionAuthURL    = "https://auth.inqom.com/identity/connect/token"
	StagingAuthURL       = "https://auth-staging.inqom.com/identity/connect/token"
	ProductionBankingURL = "https://wa-fred-banking-prod.azurewebsites.net"
	StagingBankingURL    = "https://wa-fred-banking-staging.azurewebsites.net"
)

// Environment selects a pair of Inqom endpoints.
type Environment string

// Inqom's two environments.
const (
	Production Environment = "production"
	Staging    Environment = "staging"
)

// ParseEnvironment reads an environment name as a person may type it in a
// configuration file: "production" or "prod", "staging" or "recette".
func ParseEnvironment(s string) (Environment, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "production", "prod":
		return Production, nil
	case "staging", "recette":
		return Staging, nil
	}
	return "", freenahi.Errorf(freenahi.EINVALID, "Inqom environment %q is neither production nor staging.", s)
}

// URLs returns the token endpoint and the banking base URL of e; the empty
// Environment is Production.
func (e Environment) URLs() (authURL, bankingURL string) {
	if e == Staging {
		return StagingAuthURL, StagingBankingURL
	}
	return ProductionAuthURL, ProductionBankingURL
}

// Defaults applied by NewClient to zero Config fields.
const (
	DefaultTimeout          = 60 * time.Second
	DefaultMaxAttempts      = 4
	DefaultBackoffBase      = 500 * time.Millisecond
	DefaultBackoffCap       = 30 * time.Second
	DefaultRetryAfterCap    = 2 * time.Minute
	DefaultMaxResponseBytes = 1 << 20
	DefaultUserAgent        = "freenahi-inqom-client/1"
	// DefaultTokenLifetime is assumed when the token answer has no expires_in.
	DefaultTokenLifetime = time.Hour
	// Scope is what the API Banking page says to request, as is.
	Scope = "openid apidata"
)

// Config configures a Client. The credentials are required; the URLs
// default to Environment's.
type Config struct {
	// Environment picks the default AuthURL and BankingURL ("" = Production).
	Environment Environment
	// AuthURL is the OAuth2 token endpoint.
	AuthURL string
	// BankingURL is the root of the banking API.
	BankingURL string
	// ClientID and ClientSecret identify the API client Inqom issued.
	ClientID     string
	ClientSecret string
	// Username (an e-mail address) and Password are those of the Inqom user
	// whose rights on dossiers the calls carry.
	Username string
	Password string
	// HTTPClient sends the requests; nil means a client with the default
	// transport. Per-attempt timeouts come from Timeout, not from it.
	HTTPClient *http.Client
	// Logger receives one debug line per attempt and a warning per retry;
	// nil discards. The password, client secret and tokens never reach it.
	Logger *slog.Logger
	// Timeout bounds each attempt (DefaultTimeout).
	Timeout time.Duration
	// MaxAttempts is the number of tries of a call, first one included
	// (DefaultMaxAttempts); 1 disables retries. A renewal of the token after
	// a 401 is not counted.
	MaxAttempts int
	// BackoffBase and BackoffCap shape the exponential backoff between tries.
	BackoffBase time.Duration
	BackoffCap  time.Duration
	// RetryAfterCap caps the wait a Retry-After header may impose.
	RetryAfterCap time.Duration
	// Sleep waits between tries and must return ctx.Err() early when ctx
	// ends; nil means a timer. Tests inject a recorder.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock that dates tokens; nil means time.Now.
	Now func() time.Time
	// MaxResponseBytes limits a response body (DefaultMaxResponseBytes).
	MaxResponseBytes int64
	// UserAgent is sent on every request (DefaultUserAgent).
	UserAgent string
	// HideAnswers keeps the words of every answer out of what the client
	// returns (errors, ImportResult.Body, RegisteredAccount.Body), leaving
	// the outcome, the status and a known OAuth2 error code: set it when the
	// endpoints were chosen by a user and may not be Inqom's, so that an
	// internal server's answer never reaches a page.
	HideAnswers bool
}

// String hides the password and client secret from fmt output.
func (c Config) String() string {
	return fmt.Sprintf("inqom.Config{AuthURL:%s BankingURL:%s ClientID:%s Username:%s Password:REDACTED ClientSecret:REDACTED}",
		c.AuthURL, c.BankingURL, c.ClientID, c.Username)
}

// GoString hides the secrets from %#v output.
func (c Config) GoString() string { return c.String() }

// LogValue hides the secrets from slog output.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Client calls Inqom's API Banking as one Inqom user. It caches that user's
// access token and is safe for concurrent use.
type Client struct {
	cfg     Config
	auth    *url.URL
	banking *url.URL
	http    *http.Client
	log     *slog.Logger

	// sem admits one token fetch at a time; a channel rather than a mutex so
	// that a caller whose context ends stops waiting.
	sem   chan struct{}
	mu    sync.Mutex // guards token
	token *token
}

// NewClient validates cfg, applies defaults and returns a Client. It does
// not call Inqom: the first call fetches the token.
func NewClient(cfg Config) (*Client, error) {
	defAuth, defBanking := cfg.Environment.URLs()
	if cfg.AuthURL == "" {
		cfg.AuthURL = defAuth
	}
	if cfg.BankingURL == "" {
		cfg.BankingURL = defBanking
	}
	auth, ok := parseURL(cfg.AuthURL)
	if !ok {
		return nil, freenahi.FieldErrorf("AuthURL", "The Inqom token endpoint address %q is not an absolute http or https address without a query.", cfg.AuthURL)
	}
	banking, ok := parseURL(cfg.BankingURL)
	if !ok {
		return nil, freenahi.FieldErrorf("BankingURL", "The Inqom banking API address %q is not an absolute http or https address without a query.", cfg.BankingURL)
	}
	switch {
	case cfg.ClientID == "":
		return nil, freenahi.FieldErrorf("ClientID", "The Inqom API client id is required.")
	case cfg.ClientSecret == "":
		return nil, freenahi.FieldErrorf("ClientSecret", "The Inqom API client secret is required.")
	case cfg.Username == "":
		return nil, freenahi.FieldErrorf("Username", "The Inqom user is required.")
	case cfg.Password == "":
		return nil, freenahi.FieldErrorf("Password", "The Inqom password is required.")
	}
	setDefaults(&cfg)
	banking.Path = strings.TrimSuffix(banking.Path, "/")
	return &Client{
		cfg: cfg, auth: auth, banking: banking, http: cfg.HTTPClient, log: cfg.Logger,
		sem: make(chan struct{}, 1),
	}, nil
}

func setDefaults(cfg *Config) {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.Timeout, DefaultTimeout)
	def(&cfg.BackoffBase, DefaultBackoffBase)
	def(&cfg.BackoffCap, DefaultBackoffCap)
	def(&cfg.RetryAfterCap, DefaultRetryAfterCap)
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Sleep == nil {
		cfg.Sleep = retry.Sleep
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
}

// parseURL accepts an absolute http or https URL without query or
// fragment; plain http is allowed for a local sandbox.
func parseURL(s string) (*url.URL, bool) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, false
	}
	return u, true
}

// String hides the credentials from fmt output.
func (c *Client) String() string {
	return "inqom.Client{" + c.banking.String() + " as " + c.cfg.Username + "}"
}

// GoString hides the credentials from %#v output.
func (c *Client) GoString() string { return c.String() }

// LogValue hides the credentials from slog output.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// bankingURL returns the absolute URL of a banking path ("/api/app/…").
func (c *Client) bankingURL(path string) string {
	u := *c.banking
	u.Path += path
	return u.String()
}
