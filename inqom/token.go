package inqom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// token is a cached access token. Its text never reaches a log or an error.
type token struct {
	access    string
	refreshAt time.Time // when to fetch a new one, ahead of expiry
}

// tokenAnswer is the token endpoint's JSON; expires_in is read as a
// number or a numeric string, since servers differ.
type tokenAnswer struct {
	AccessToken string          `json:"access_token"`
	ExpiresIn   json.RawMessage `json:"expires_in"`
	TokenType   string          `json:"token_type"`
}

// accessToken returns the cached token, or fetches one. Only one fetch runs
// at a time: callers arriving meanwhile wait for it and use its token.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	if t := c.cachedToken(); t != "" {
		return t, nil
	}
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("wait for the Inqom token: %w", ctx.Err())
	}
	defer func() { <-c.sem }()
	if t := c.cachedToken(); t != "" {
		return t, nil // fetched by the caller we waited for
	}
	tok, err := c.fetchToken(ctx)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.token = tok
	c.mu.Unlock()
	return tok.access, nil
}

// cachedToken returns the cached token while it is fresh, else "".
func (c *Client) cachedToken() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == nil || !c.cfg.Now().Before(c.token.refreshAt) {
		return ""
	}
	return c.token.access
}

// dropToken forgets access if it is still the cached token, so that many
// calls refused with the same old token cause one fetch, not one each.
func (c *Client) dropToken(access string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != nil && c.token.access == access {
		c.token = nil
	}
}

// fetchToken runs the OAuth2 password grant of the API Banking page.
func (c *Client) fetchToken(ctx context.Context) (*token, error) {
	form := url.Values{
		"grant_type":    {"password"},
		"username":      {c.cfg.Username},
		"password":      {c.cfg.Password},
		"scope":         {Scope},
		"client_id":     {c.cfg.ClientID},
		"client_secret": {c.cfg.ClientSecret},
	}
	issued := c.cfg.Now() // before the call: the lifetime runs from about then
	res, err := c.do(ctx, &call{
		op: OpToken, what: "sign in to Inqom as " + c.cfg.Username, url: c.auth.String(),
		contentType: "application/x-www-form-urlencoded", body: []byte(form.Encode()),
	})
	if err != nil {
		return nil, err
	}
	var ans tokenAnswer
	if err := json.Unmarshal(res.body, &ans); err != nil {
		return nil, fmt.Errorf("sign in to Inqom: the token answer is not JSON: %q", excerpt(c.kept(res.body)))
	}
	if ans.AccessToken == "" {
		return nil, errors.New("sign in to Inqom: the token answer has no access_token")
	}
	lifetime := expiresIn(ans.ExpiresIn)
	if lifetime <= 0 {
		lifetime = DefaultTokenLifetime
	}
	c.log.Info("inqom token obtained", slog.String("username", c.cfg.Username),
		slog.Duration("lifetime", lifetime), slog.String("token_type", ans.TokenType))
	return &token{access: ans.AccessToken, refreshAt: issued.Add(lifetime - refreshMargin(lifetime))}, nil
}

// refreshMargin is how long before expiry a token is replaced: 60 s, or a
// tenth of a short lifetime, so that a call never leaves with a token about
// to die on the way.
func refreshMargin(lifetime time.Duration) time.Duration {
	return min(time.Minute, lifetime/10)
}

// expiresIn reads expires_in seconds, 0 when absent or unreadable.
func expiresIn(raw json.RawMessage) time.Duration {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	secs, err := strconv.ParseFloat(s, 64)
	if err != nil || secs <= 0 || secs > 10*366*86400 {
		return 0
	}
	return time.Duration(secs * float64(time.Second))
}
