package powens

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
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
		cfg.Sleep = sleepContext
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

// do runs a user-scoped request with the user's token.
func (u *UserClient) do(ctx context.Context, req *request, out any) (int, error) {
	if u.token == "" {
		// Without a token Powens would answer 401; say why before the call.
		return 0, errors.New("powens: user call without a user token")
	}
	req.token = u.token
	return u.c.do(ctx, req, out)
}

// request describes one API call. A body is encoded once, so that every retry
// sends the same bytes.
type request struct {
	method string
	path   string // relative to the base URL, e.g. "users/me/connections"
	rawURL string // absolute URL (a next-page link); overrides path and query
	query  url.Values
	flags  []string // value-less query flags such as "all"
	body   any
	token  string
	long   bool // uses LongTimeout
	// noRetry marks calls that must not be replayed even if idempotent.
	noRetry bool
}

// do runs req with retries, decodes a 2xx JSON body into out (if non-nil)
// and returns the status.
func (c *Client) do(ctx context.Context, req *request, out any) (int, error) {
	target, err := c.target(req)
	if err != nil {
		return 0, err
	}
	var body []byte
	if req.body != nil {
		if body, err = json.Marshal(req.body); err != nil {
			return 0, fmt.Errorf("powens %s %s: encode body: %w", req.method, target.Path, err)
		}
	}
	retryable := !req.noRetry && isIdempotent(req.method)
	for attempt := 1; ; attempt++ {
		status, wait, err := c.attempt(ctx, req, target, body, out)
		if err == nil {
			return status, nil
		}
		if !retryable || wait < 0 || attempt >= c.cfg.MaxAttempts || ctx.Err() != nil {
			return status, err
		}
		if wait == 0 {
			wait = c.backoff(attempt)
		}
		c.log.Warn("retrying powens request", slog.String("method", req.method),
			slog.String("path", target.Path), slog.Int("attempt", attempt),
			slog.Duration("wait", wait), slog.Any("error", err))
		if serr := c.cfg.Sleep(ctx, wait); serr != nil {
			return status, fmt.Errorf("%w (retry abandoned: %v)", err, serr)
		}
	}
}

// target returns the absolute URL of req.
func (c *Client) target(req *request) (*url.URL, error) {
	if req.rawURL != "" {
		return c.sameOrigin(req.rawURL)
	}
	ref, err := url.Parse(req.path)
	if err != nil {
		return nil, fmt.Errorf("powens: bad path %q: %w", req.path, err)
	}
	u := c.base.ResolveReference(ref)
	u.RawQuery = encodeQuery(req.query, req.flags)
	return u, nil
}

// encodeQuery writes values sorted by key, then the bare flags ("…&all"),
// which Powens documents without a value.
func encodeQuery(v url.Values, flags []string) string {
	q := v.Encode()
	for _, f := range flags {
		if q != "" {
			q += "&"
		}
		q += url.QueryEscape(f)
	}
	return q
}

// attempt sends req once. wait > 0 asks for a retry after that delay, 0 for a
// retry after the usual backoff, < 0 for no retry.
func (c *Client) attempt(ctx context.Context, req *request, target *url.URL, body []byte, out any) (int, time.Duration, error) {
	timeout := c.cfg.Timeout
	if req.long {
		timeout = c.cfg.LongTimeout
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hreq, err := c.newHTTPRequest(actx, req, target, body)
	if err != nil {
		return 0, -1, err
	}
	start := time.Now()
	hres, err := c.http.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return 0, -1, fmt.Errorf("powens %s %s: %w", req.method, target.Path, ctx.Err())
		}
		err = fmt.Errorf("powens %s %s: %w", req.method, target.Path, scrubURLError(err))
		if req.long && errors.Is(err, context.DeadlineExceeded) {
			// A bank-bound call already waited LongTimeout; another
			// round would only multiply the wait.
			return 0, -1, err
		}
		return 0, 0, err
	}
	defer hres.Body.Close()
	data, err := io.ReadAll(io.LimitReader(hres.Body, c.cfg.MaxResponseBytes+1))
	c.log.Debug("powens request", slog.String("method", req.method), slog.String("path", target.Path),
		slog.Int("status", hres.StatusCode), slog.Duration("duration", time.Since(start)))
	if err != nil {
		if ctx.Err() != nil {
			return 0, -1, fmt.Errorf("powens %s %s: %w", req.method, target.Path, ctx.Err())
		}
		return 0, 0, fmt.Errorf("powens %s %s: read body: %w", req.method, target.Path, scrubURLError(err))
	}
	if int64(len(data)) > c.cfg.MaxResponseBytes {
		return 0, -1, fmt.Errorf("powens %s %s: response larger than %d bytes", req.method, target.Path, c.cfg.MaxResponseBytes)
	}
	if hres.StatusCode < 200 || hres.StatusCode > 299 {
		perr := decodeError(hres.StatusCode, data)
		return hres.StatusCode, c.retryDelay(hres), fmt.Errorf("powens %s %s: %w", req.method, target.Path, perr)
	}
	if out != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return 0, -1, fmt.Errorf("powens %s %s: decode %d response: %w", req.method, target.Path, hres.StatusCode, err)
		}
	}
	return hres.StatusCode, 0, nil
}

func (c *Client) newHTTPRequest(ctx context.Context, req *request, target *url.URL, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.method, target.String(), rd)
	if err != nil {
		return nil, fmt.Errorf("powens %s %s: %w", req.method, target.Path, err)
	}
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", c.cfg.UserAgent)
	if req.token != "" {
		hreq.Header.Set("Authorization", "Bearer "+req.token)
	}
	return hreq, nil
}

// sameOrigin resolves a link Powens returned and refuses it unless it points
// at the API's own scheme and host: the bearer token must never follow a
// link elsewhere.
func (c *Client) sameOrigin(href string) (*url.URL, error) {
	ref, err := url.Parse(href)
	if err != nil {
		return nil, fmt.Errorf("powens: bad link %q: %w", excerpt([]byte(href)), err)
	}
	u := c.base.ResolveReference(ref)
	if u.Scheme != c.base.Scheme || u.Host != c.base.Host {
		return nil, fmt.Errorf("powens: refusing link to %s://%s, not the API host %s", u.Scheme, u.Host, c.base.Host)
	}
	return u, nil
}

// scrubURLError drops the URL from a transport error: it is already in our
// own message, and a query may carry codes that have no place in logs.
func scrubURLError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

// setList sets key to the comma-separated items, or leaves it out.
func setList(v url.Values, key string, items []string) {
	if len(items) > 0 {
		v.Set(key, strings.Join(items, ","))
	}
}

// checkSegment refuses an empty identifier or one that would change the
// path's shape once escaped ("..", "").
func checkSegment(what, s string) error {
	if s == "" || s == "." || s == ".." {
		return errors.New("powens: invalid " + what + " identifier " + `"` + s + `"`)
	}
	return nil
}
