package inqom

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/freenahi/freenahi/internal/retry"
)

// call describes one Inqom request. The body is built once by the caller,
// so that every attempt sends the same bytes.
type call struct {
	op          string // OpToken, OpRegister, OpImport
	what        string // context for error messages, e.g. `import "x.txt"`
	url         string
	contentType string
	body        []byte
	// banking calls carry the bearer token and change Inqom's state, so
	// their outcome may be unknown; the token call does neither.
	banking bool
}

// response is a 2xx answer.
type response struct {
	status   int
	body     []byte
	attempts int
	// possibleDuplicate: an earlier attempt may have been applied as well.
	possibleDuplicate bool
}

// attemptResult is what one try gave.
type attemptResult struct {
	status int
	header http.Header
	body   []byte
	err    error // transport error; nil when a status arrived
	sent   bool  // the request may have reached Inqom
}

// do runs cl with retries on 429, 5xx and network errors, renews the token
// once on a 401, and tracks whether any attempt may have been applied.
func (c *Client) do(ctx context.Context, cl *call) (*response, error) {
	var firstUnknown error // first attempt whose outcome is unknown
	renewed := false
	for attempt := 1; ; attempt++ {
		tok := ""
		if cl.banking {
			var err error
			if tok, err = c.accessToken(ctx); err != nil {
				return nil, c.fail(fmt.Errorf("%s: %w", cl.what, err), firstUnknown)
			}
		}
		res := c.attempt(ctx, cl, tok, attempt)
		if res.err == nil && res.status >= 200 && res.status <= 299 {
			return &response{status: res.status, body: res.body, attempts: attempt, possibleDuplicate: firstUnknown != nil}, nil
		}
		err := res.err
		if err == nil {
			err = fmt.Errorf("%s: %w", cl.what, c.decodeError(cl.op, res.status, res.body))
		}
		if cl.banking && firstUnknown == nil && (res.status >= 500 || (res.err != nil && res.sent)) {
			firstUnknown = err
		}
		if res.status == http.StatusUnauthorized && cl.banking && !renewed {
			// Tokens can be revoked before expiry: renew once, and do
			// not count it as a try, since a 401 applied nothing.
			c.log.Info("inqom refused the access token; renewing it", slog.String("op", cl.op))
			c.dropToken(tok)
			renewed = true
			attempt--
			continue
		}
		wait, retry := c.retryWait(res, attempt)
		if !retry || ctx.Err() != nil {
			return nil, c.fail(err, firstUnknown)
		}
		c.log.Warn("retrying inqom request", slog.String("op", cl.op), slog.Int("attempt", attempt),
			slog.Duration("wait", wait), slog.Any("error", err))
		if serr := c.cfg.Sleep(ctx, wait); serr != nil {
			return nil, c.fail(fmt.Errorf("%w (retry abandoned: %v)", err, serr), firstUnknown)
		}
	}
}

// fail marks err as of unknown outcome when some attempt may have been
// applied. A refusal that says the account exists stays what it is: the
// account is there either way.
func (c *Client) fail(err, firstUnknown error) error {
	if firstUnknown == nil || errors.Is(err, ErrAlreadyRegistered) {
		return err
	}
	return &unknownError{err: err, earlier: firstUnknown}
}

// retryWait decides whether to try again after a failed attempt, and when.
func (c *Client) retryWait(res attemptResult, attempt int) (time.Duration, bool) {
	if attempt >= c.cfg.MaxAttempts {
		return 0, false
	}
	if res.err == nil && res.status != http.StatusTooManyRequests && res.status < 500 {
		return 0, false // a refusal: sending it again changes nothing
	}
	if d, ok := retry.ParseAfter(res.header.Get("Retry-After"), c.cfg.Now()); ok {
		return min(d, c.cfg.RetryAfterCap), true
	}
	return c.backoff(attempt), true
}

// attempt sends cl once, within Timeout.
func (c *Client) attempt(ctx context.Context, cl *call, tok string, attempt int) attemptResult {
	if err := ctx.Err(); err != nil {
		return attemptResult{err: fmt.Errorf("%s: %w", cl.what, err)}
	}
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, cl.url, bytes.NewReader(cl.body))
	if err != nil {
		return attemptResult{err: fmt.Errorf("%s: %w", cl.what, err)}
	}
	req.Header.Set("Content-Type", cl.contentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	start := time.Now()
	hres, err := c.http.Do(req)
	if err != nil {
		c.log.Debug("inqom request failed", slog.String("op", cl.op), slog.Int("attempt", attempt),
			slog.Duration("duration", time.Since(start)), slog.Any("error", scrubURLError(err)))
		sent := mayHaveSent(err)
		how := "cannot reach Inqom"
		if sent {
			how = "no answer from Inqom"
		}
		return attemptResult{err: fmt.Errorf("%s: %s: %w", cl.what, how, scrubURLError(err)), sent: sent}
	}
	defer hres.Body.Close()
	body, rerr := io.ReadAll(io.LimitReader(hres.Body, c.cfg.MaxResponseBytes))
	c.log.Debug("inqom request", slog.String("op", cl.op), slog.Int("attempt", attempt),
		slog.Int("status", hres.StatusCode), slog.Duration("duration", time.Since(start)))
	if rerr != nil {
		// The status already says what Inqom decided (a 2xx whose body
		// broke off was still accepted): keep it with what came.
		c.log.Debug("inqom response body cut", slog.String("op", cl.op), slog.Any("error", scrubURLError(rerr)))
	}
	return attemptResult{status: hres.StatusCode, header: hres.Header, body: body, sent: true}
}

// mayHaveSent reports whether a transport error may have come after Inqom
// received the request. Only failures to connect prove it did not.
func mayHaveSent(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	var cert *tls.CertificateVerificationError
	var rec tls.RecordHeaderError
	switch {
	case errors.As(err, &op) && op.Op == "dial", errors.As(err, &dns), errors.As(err, &cert), errors.As(err, &rec):
		return false
	}
	return true
}

// scrubURLError drops the URL from a transport error: our message already
// says which call failed.
func scrubURLError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}
