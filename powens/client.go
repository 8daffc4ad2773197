package powens

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/freenahi/freenahi/internal/retry"
)

// Defaults applied by NewClient to zero ClientConfig fields.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultLongTimeout      = 5 * time.Minute
	DefaultMaxAttempts      = 4
	DefaultBackoffBase      = 500 * time.Millisecond
	DefaultBackoffCap       = 30 * time.Second
	DefaultRetryAfterCap    = 2 * time.Minute
	DefaultMaxResponseBytes = 64 << 20
	DefaultUserAgent        = "freenahi-powens-client/1"
	DefaultWebviewURL       = "https://webview.powens.com/"
)

// ClientConfig configures a Client. Only BaseURL is required; the client
// credentials are needed by the calls that send them (InitUser, ExchangeCode,
// RenewToken, the webauth and webview URLs).
type ClientConfig struct {
	// BaseURL is the API root, e.g. https://example-sandbox.biapi.pro/2.0/
	// (see BaseURLForDomain), or a local sandbox's /2.0/ root.
	BaseURL string
	// Domain is the Powens domain name (e.g. "example-sandbox") sent to the
	// webview; when empty it is derived from a *.biapi.pro BaseURL.
	Domain string
	// ClientID and ClientSecret identify the client application.
	ClientID     string
	ClientSecret string
	// HTTPClient sends the requests; nil means a client with the default
	// transport. Per-call timeouts come from the fields below, not from it.
	HTTPClient *http.Client
	// Logger receives one debug line per attempt and a warning per retry; nil
	// discards. Tokens, secrets and field values never reach it.
	Logger *slog.Logger
	// Timeout bounds each attempt of an ordinary call (DefaultTimeout).
	Timeout time.Duration
	// LongTimeout bounds the calls that talk to the bank synchronously:
	// connection create, update, resume and sync (DefaultLongTimeout).
	LongTimeout time.Duration
	// MaxAttempts is the number of tries of an idempotent call, first one
	// included (DefaultMaxAttempts); 1 disables retries.
	MaxAttempts int
	// BackoffBase and BackoffCap shape the exponential backoff between tries.
	BackoffBase time.Duration
	BackoffCap  time.Duration
	// RetryAfterCap caps the wait a Retry-After header may impose.
	RetryAfterCap time.Duration
	// Sleep waits between tries; it must return early with ctx.Err() when ctx
	// ends. nil means a timer; tests inject a recorder.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxResponseBytes limits a response body (DefaultMaxResponseBytes).
	MaxResponseBytes int64
	// UserAgent is sent on every request (DefaultUserAgent).
	UserAgent string
	// WebviewURL is the Connect/Manage webview root (DefaultWebviewURL).
	WebviewURL string
}

// Client calls the Powens API. It holds no per-user state and is safe for
// concurrent use; user-scoped calls go through User.
type Client struct {
	cfg     ClientConfig
	base    *url.URL
	webview *url.URL
	http    *http.Client
	log     *slog.Logger
}

// domainPattern is the Powens SDK's validation of a domain name.
var domainPattern = regexp.MustCompile(`^[a-z\d]+(-[a-z\d]+)*$`)

// BaseURLForDomain returns the API root of a Powens domain, as the console
// shows it (a sandbox domain already carries its "-sandbox" suffix).
func BaseURLForDomain(domain string) (string, error) {
	if !domainPattern.MatchString(domain) {
		return "", fmt.Errorf("powens domain %q: want lowercase letters and digits in hyphen-separated groups", domain)
	}
	return "https://" + domain + ".biapi.pro/2.0/", nil
}

// NewClient validates cfg, applies defaults and returns a Client.
func NewClient(cfg ClientConfig) (*Client, error) {
	base, err := parseRoot("BaseURL", cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.WebviewURL == "" {
		cfg.WebviewURL = DefaultWebviewURL
	}
	webview, err := parseRoot("WebviewURL", cfg.WebviewURL)
	if err != nil {
		return nil, err
	}
	if cfg.Domain == "" {
		cfg.Domain = domainFromHost(base.Hostname())
	} else if !domainPattern.MatchString(cfg.Domain) {
		return nil, fmt.Errorf("powens: Domain %q is not a Powens domain name", cfg.Domain)
	}
	setDefaults(&cfg)
	c := &Client{cfg: cfg, base: base, webview: webview, http: cfg.HTTPClient, log: cfg.Logger}
	return c, nil
}

func setDefaults(cfg *ClientConfig) {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	setDuration(&cfg.Timeout, DefaultTimeout)
	setDuration(&cfg.LongTimeout, DefaultLongTimeout)
	setDuration(&cfg.BackoffBase, DefaultBackoffBase)
	setDuration(&cfg.BackoffCap, DefaultBackoffCap)
	setDuration(&cfg.RetryAfterCap, DefaultRetryAfterCap)
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Sleep == nil {
		cfg.Sleep = retry.Sleep
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
}

func setDuration(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// parseRoot parses an absolute http(s) URL used as a root: a trailing slash is
// added so that relative references resolve below it, not beside it.
func parseRoot(name, s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("powens: %s %q is not an absolute http(s) URL", name, s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("powens: %s %q must not carry a query or fragment", name, s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		u.RawPath = ""
	}
	return u, nil
}

// domainFromHost returns "example" for example.biapi.pro, else "".
func domainFromHost(host string) string {
	name, ok := strings.CutSuffix(host, ".biapi.pro")
	if !ok || !domainPattern.MatchString(name) {
		return ""
	}
	return name
}

// String hides the client secret from fmt output.
func (c *Client) String() string { return "powens.Client{" + c.base.String() + "}" }

// GoString hides the client secret from %#v output.
func (c *Client) GoString() string { return c.String() }

// LogValue hides the client secret from slog output.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// BaseURL returns the API root the client calls, with a trailing slash.
func (c *Client) BaseURL() string { return c.base.String() }

// LongTimeout is how long a call that talks to the bank synchronously may
// take: after it, a request the caller gave up on has ended at Powens too.
func (c *Client) LongTimeout() time.Duration { return c.cfg.LongTimeout }

// User returns a view of c that authenticates as the Powens user owning token.
func (c *Client) User(token string) *UserClient { return &UserClient{c: c, token: token} }

// UserClient makes the calls scoped to one Powens user ("/users/me/…"). It
// is cheap to create per request and keeps nothing but the token.
type UserClient struct {
	c     *Client
	token string
}

// String hides the token from fmt output.
func (u *UserClient) String() string { return "powens.UserClient{token:REDACTED}" }

// GoString hides the token from %#v output.
func (u *UserClient) GoString() string { return u.String() }

// LogValue hides the token from slog output.
func (u *UserClient) LogValue() slog.Value { return slog.StringValue(u.String()) }
