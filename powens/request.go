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
	"strings"
	"time"
)

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
