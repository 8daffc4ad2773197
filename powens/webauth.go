package powens

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Webauth describes a web-authorization at the bank, for a new connection
// of a webauth connector (ConnectorUUID or ConnectorID) or to repair an
// existing one (ConnectionID).
type Webauth struct {
	// RedirectURI receives the browser afterwards; it must be whitelisted in
	// the Powens console and carry no query.
	RedirectURI   string
	ConnectorUUID string
	ConnectorID   int64
	ConnectionID  int64
	// Source targets one source of a multi-source connector ("openapi").
	Source string
	// State is echoed back to RedirectURI.
	State string
	// Fields holds values of the connector's webauth fields ("website").
	Fields map[string]string
}

// query returns the parameters shared by /webauth-url and /webauth.
func (w *Webauth) query(clientID string) (url.Values, error) {
	if clientID == "" {
		return nil, errors.New("powens: ClientID is required for webauth")
	}
	if err := checkRedirectURI(w.RedirectURI, true); err != nil {
		return nil, err
	}
	newConn := w.ConnectorUUID != "" || w.ConnectorID > 0
	if newConn == (w.ConnectionID > 0) {
		return nil, errors.New("powens: webauth needs either a connector (new connection) or a connection id (repair)")
	}
	v := url.Values{"client_id": {clientID}, "redirect_uri": {w.RedirectURI}}
	for k, val := range w.Fields {
		v.Set(k, val)
	}
	switch {
	case w.ConnectorUUID != "":
		v.Set("connector_uuid", w.ConnectorUUID)
	case w.ConnectorID > 0:
		v.Set("id_connector", strconv.FormatInt(w.ConnectorID, 10))
	default:
		v.Set("id_connection", strconv.FormatInt(w.ConnectionID, 10))
	}
	if w.Source != "" {
		v.Set("source", w.Source)
	}
	if w.State != "" {
		v.Set("state", w.State)
	}
	return v, nil
}

// webauthReserved reports the parameters a webauth field value must not
// override.
func webauthReserved(k string) bool {
	switch k {
	case "", "client_id", "redirect_uri", "connector_uuid", "id_connector", "id_connection", "source", "state", "token":
		return true
	}
	return false
}

func (w *Webauth) checkFields() error {
	for k := range w.Fields {
		if webauthReserved(k) {
			return fmt.Errorf("powens: %q cannot be a webauth field name", k)
		}
	}
	return nil
}

// WebauthURL asks Powens (GET /webauth-url) for the bank authorization URL
// to open in the person's browser. Powens answers 409 invalidValue
// (IsConflict) for a connection that needs no repair.
func (u *UserClient) WebauthURL(ctx context.Context, w Webauth) (string, error) {
	if err := w.checkFields(); err != nil {
		return "", err
	}
	v, err := w.query(u.c.cfg.ClientID)
	if err != nil {
		return "", err
	}
	var out struct {
		URL string `json:"url"`
	}
	if _, err := u.do(ctx, &request{method: http.MethodGet, path: "webauth-url", query: v}, &out); err != nil {
		return "", err
	}
	if out.URL == "" {
		return "", errors.New("powens GET /webauth-url: response carries no url")
	}
	return out.URL, nil
}

// BrowserWebauthURL builds the API's /webauth address, which redirects a
// browser to the bank. code is a temporary code (UserClient.TemporaryCode,
// preferably CodeSingleAccess), never the permanent token.
func (c *Client) BrowserWebauthURL(w Webauth, code string) (string, error) {
	if err := w.checkFields(); err != nil {
		return "", err
	}
	if code == "" {
		return "", errors.New("powens: BrowserWebauthURL needs a temporary code")
	}
	v, err := w.query(c.cfg.ClientID)
	if err != nil {
		return "", err
	}
	v.Set("token", code)
	u := c.base.ResolveReference(&url.URL{Path: "webauth"})
	u.RawQuery = v.Encode()
	return u.String(), nil
}

// checkRedirectURI enforces Powens' rules: absolute, and without a query
// (Powens appends its own parameters).
func checkRedirectURI(s string, required bool) error {
	if s == "" {
		if required {
			return errors.New("powens: a redirect URI is required")
		}
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("powens: redirect URI %q is not an absolute URL", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("powens: redirect URI %q must not carry a query or fragment", s)
	}
	return nil
}
