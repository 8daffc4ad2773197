package powens

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
)

// Token types of AuthToken.Type.
const (
	TokenPermanent = "permanent"
	TokenTemporary = "temporary"
)

// CodeType selects the lifetime of a temporary code.
type CodeType string

// Temporary code types.
const (
	// CodeRequestAccess codes live 30 minutes (Powens' default).
	CodeRequestAccess CodeType = "requestAccess"
	// CodeSingleAccess codes are usable once; advised for a webview hand-off.
	CodeSingleAccess CodeType = "singleAccess"
)

// AuthToken is the answer of POST /auth/init: a new user and its token.
type AuthToken struct {
	Token     string `json:"auth_token"`
	Type      string `json:"type"`
	IDUser    int64  `json:"id_user"`
	ExpiresIn *int64 `json:"expires_in"`
}

// LogValue keeps the token out of slog output.
func (t AuthToken) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id_user", t.IDUser), slog.String("type", t.Type))
}

// String keeps the token out of fmt output.
func (t AuthToken) String() string {
	return fmt.Sprintf("powens.AuthToken{IDUser:%d Type:%s Token:REDACTED}", t.IDUser, t.Type)
}

// GoString keeps the token out of %#v output.
func (t AuthToken) GoString() string { return t.String() }

// AccessToken is a permanent user token issued by POST /auth/token/access or
// POST /auth/renew.
type AccessToken struct {
	Token     string
	TokenType string
}

// LogValue keeps the token out of slog output.
func (t AccessToken) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// String keeps the token out of fmt output.
func (t AccessToken) String() string { return "powens.AccessToken{Token:REDACTED}" }

// GoString keeps the token out of %#v output.
func (t AccessToken) GoString() string { return t.String() }

// accessTokenBody accepts both spellings Powens documents: access_token (the
// reference and SDK) and token (the custom-connection guide).
type accessTokenBody struct {
	AccessToken string `json:"access_token"`
	Token       string `json:"token"`
	TokenType   string `json:"token_type"`
}

func (b *accessTokenBody) result() (*AccessToken, error) {
	t := &AccessToken{Token: b.AccessToken, TokenType: b.TokenType}
	if t.Token == "" {
		t.Token = b.Token
	}
	if t.Token == "" {
		return nil, errors.New("response carries neither access_token nor token")
	}
	return t, nil
}

// AuthCode is a temporary code from GET /auth/token/code.
type AuthCode struct {
	Code      string `json:"code"`
	Type      string `json:"type"`
	Access    string `json:"access"`
	ExpiresIn *int64 `json:"expires_in"`
}

// LogValue keeps the code out of slog output.
func (a AuthCode) LogValue() slog.Value { return slog.GroupValue(slog.String("access", a.Access)) }

// String keeps the code out of fmt output.
func (a AuthCode) String() string { return "powens.AuthCode{Access:" + a.Access + " Code:REDACTED}" }

// GoString keeps the code out of %#v output.
func (a AuthCode) GoString() string { return a.String() }

func (c *Client) credentials() error {
	if c.cfg.ClientID == "" || c.cfg.ClientSecret == "" {
		return errors.New("powens: ClientID and ClientSecret are required for this call")
	}
	return nil
}

// InitUser creates a Powens user with the client credentials and returns its
// permanent token. It is never retried: each call creates a (billed) user.
func (c *Client) InitUser(ctx context.Context) (*AuthToken, error) {
	if err := c.credentials(); err != nil {
		return nil, err
	}
	body := map[string]string{"client_id": c.cfg.ClientID, "client_secret": c.cfg.ClientSecret}
	var t AuthToken
	if _, err := c.do(ctx, &request{method: http.MethodPost, path: "auth/init", body: body, noRetry: true}, &t); err != nil {
		return nil, err
	}
	if t.Token == "" {
		return nil, errors.New("powens POST /auth/init: response carries no auth_token")
	}
	if t.IDUser <= 0 {
		// Some answers carry no id_user: the token tells whose it is. The
		// user exists now, so this GET may be retried safely.
		me, err := c.User(t.Token).Me(ctx)
		if err != nil {
			return nil, fmt.Errorf("powens POST /auth/init gave no id_user, and GET /users/me failed: %w", err)
		}
		if me.ID <= 0 {
			return nil, errors.New("powens POST /auth/init gave no id_user, and GET /users/me no id")
		}
		t.IDUser = me.ID
	}
	return &t, nil
}

// ExchangeCode turns a temporary code (e.g. the one a Connect webview
// callback returns for an anonymous user) into a permanent token.
// redirectURI is sent only when non-empty. Never retried: codes are single-use.
func (c *Client) ExchangeCode(ctx context.Context, code, redirectURI string) (*AccessToken, error) {
	if err := c.credentials(); err != nil {
		return nil, err
	}
	if code == "" {
		return nil, errors.New("powens: ExchangeCode needs a code")
	}
	body := map[string]string{
		"grant_type":    "authorization_code",
		"client_id":     c.cfg.ClientID,
		"client_secret": c.cfg.ClientSecret,
		"code":          code,
	}
	if redirectURI != "" {
		body["redirect_uri"] = redirectURI
	}
	var b accessTokenBody
	if _, err := c.do(ctx, &request{method: http.MethodPost, path: "auth/token/access", body: body, noRetry: true}, &b); err != nil {
		return nil, err
	}
	t, err := b.result()
	if err != nil {
		return nil, fmt.Errorf("powens POST /auth/token/access: %w", err)
	}
	return t, nil
}

// RenewToken issues a new permanent token for an existing user, e.g. to
// rotate it or to recover a lost one; revokePrevious deletes the user's other
// permanent tokens.
func (c *Client) RenewToken(ctx context.Context, idUser int64, revokePrevious bool) (*AccessToken, error) {
	if err := c.credentials(); err != nil {
		return nil, err
	}
	if idUser <= 0 {
		// Powens would create a new user when id_user is missing.
		return nil, errors.New("powens: RenewToken needs a user id")
	}
	body := map[string]any{
		"grant_type":      "client_credentials",
		"client_id":       c.cfg.ClientID,
		"client_secret":   c.cfg.ClientSecret,
		"id_user":         idUser,
		"revoke_previous": revokePrevious,
	}
	var b accessTokenBody
	if _, err := c.do(ctx, &request{method: http.MethodPost, path: "auth/renew", body: body, noRetry: true}, &b); err != nil {
		return nil, err
	}
	t, err := b.result()
	if err != nil {
		return nil, fmt.Errorf("powens POST /auth/renew: %w", err)
	}
	return t, nil
}

// TemporaryCode returns a code standing for the user's token, to hand to a
// browser (webview, webauth) without exposing the permanent token.
// An empty typ means Powens' default (CodeRequestAccess).
func (u *UserClient) TemporaryCode(ctx context.Context, typ CodeType) (*AuthCode, error) {
	q := url.Values{}
	if typ != "" {
		q.Set("type", string(typ))
	}
	var a AuthCode
	if _, err := u.do(ctx, &request{method: http.MethodGet, path: "auth/token/code", query: q}, &a); err != nil {
		return nil, err
	}
	if a.Code == "" {
		return nil, errors.New("powens GET /auth/token/code: response carries no code")
	}
	return &a, nil
}

// RevokeToken invalidates the user's token (the one this UserClient holds).
func (u *UserClient) RevokeToken(ctx context.Context) error {
	_, err := u.do(ctx, &request{method: http.MethodDelete, path: "auth/token"}, nil)
	return err
}

// Me returns the Powens user owning the token.
func (u *UserClient) Me(ctx context.Context) (*User, error) {
	var usr User
	if _, err := u.do(ctx, &request{method: http.MethodGet, path: "users/me"}, &usr); err != nil {
		return nil, err
	}
	return &usr, nil
}

// DeleteUser deletes the Powens user and all its data.
func (u *UserClient) DeleteUser(ctx context.Context) error {
	_, err := u.do(ctx, &request{method: http.MethodDelete, path: "users/me"}, nil)
	return err
}
