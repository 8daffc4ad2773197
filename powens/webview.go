package powens

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// WebviewFlow is a Powens webview flow.
type WebviewFlow string

// Webview flows.
const (
	FlowConnect   WebviewFlow = "connect"
	FlowReconnect WebviewFlow = "reconnect"
	FlowManage    WebviewFlow = "manage"
)

// Webview error codes of the callback; the set is open.
const (
	WebviewAccessDenied   = "access_denied"
	WebviewServerError    = "server_error"
	WebviewTOSDeclined    = "tos_declined"
	WebviewSessionExpired = "session_expired"
)

// Webview describes a Connect, Reconnect or Manage webview visit.
type Webview struct {
	// Lang is a two-letter language ("en", "fr"); empty lets the browser choose.
	Lang string
	// RedirectURI receives the person afterwards: required for connect and
	// reconnect, optional for manage (a close button then leads there).
	RedirectURI string
	// Code is a temporary code (UserClient.TemporaryCode): required for
	// reconnect and manage; for connect, without it Powens creates an
	// anonymous user and returns a code to exchange (Client.ExchangeCode).
	Code string
	// State is echoed back to RedirectURI.
	State string
	// ConnectionID is the connection to repair (reconnect, required) or to
	// open (manage).
	ConnectionID int64
	// ConnectorUUIDs and ConnectorIDs preselect connectors (connect).
	ConnectorUUIDs []string
	ConnectorIDs   []int64
	// ConnectorCapabilities filters the connectors ("bank", "bankwealth").
	ConnectorCapabilities []string
	// AccountTypes restricts the selectable accounts ("checking", "card").
	AccountTypes []string
	// MaxConnections above 1 lets a connect visit add several connections.
	MaxConnections int
	// ResetCredentials makes reconnect ask for every credential again, for
	// the ConnectionSources named (all when empty).
	ResetCredentials  bool
	ConnectionSources []string
	// Extra carries further parameters, such as a field prefill
	// "{connector_uuid}.website"; it cannot override the ones above.
	Extra url.Values
}

var langPattern = regexp.MustCompile(`^[a-z]{2}$`)

// WebviewURL builds the address of a webview flow under the configured
// WebviewURL, with the client id and domain of the client.
func (c *Client) WebviewURL(flow WebviewFlow, w Webview) (string, error) {
	if err := w.check(flow); err != nil {
		return "", err
	}
	if c.cfg.ClientID == "" {
		return "", errors.New("powens: ClientID is required for the webview")
	}
	if c.cfg.Domain == "" {
		return "", errors.New("powens: Domain is required for the webview (it cannot be derived from BaseURL " + c.base.Host + ")")
	}
	v := url.Values{"domain": {c.cfg.Domain}, "client_id": {c.cfg.ClientID}}
	w.encode(v)
	for k, vals := range w.Extra {
		if v.Has(k) {
			return "", fmt.Errorf("powens: webview parameter %q is set by the client", k)
		}
		v[k] = vals
	}
	path := string(flow)
	if w.Lang != "" {
		path = w.Lang + "/" + path
	}
	u := c.webview.ResolveReference(&url.URL{Path: path})
	u.RawQuery = v.Encode()
	return u.String(), nil
}

func (w *Webview) check(flow WebviewFlow) error {
	if w.Lang != "" && !langPattern.MatchString(w.Lang) {
		return fmt.Errorf("powens: webview language %q is not two lowercase letters", w.Lang)
	}
	switch flow {
	case FlowConnect:
		return checkRedirectURI(w.RedirectURI, true)
	case FlowReconnect:
		if w.Code == "" || w.ConnectionID <= 0 {
			return errors.New("powens: the reconnect webview needs a code and a connection id")
		}
		return checkRedirectURI(w.RedirectURI, true)
	case FlowManage:
		if w.Code == "" {
			return errors.New("powens: the manage webview needs a code")
		}
		return checkRedirectURI(w.RedirectURI, false)
	}
	return fmt.Errorf("powens: unknown webview flow %q", flow)
}

func (w *Webview) encode(v url.Values) {
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("redirect_uri", w.RedirectURI)
	set("code", w.Code)
	set("state", w.State)
	if w.ConnectionID > 0 {
		v.Set("connection_id", strconv.FormatInt(w.ConnectionID, 10))
	}
	setList(v, "connector_uuids", w.ConnectorUUIDs)
	ids := make([]string, len(w.ConnectorIDs))
	for i, id := range w.ConnectorIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	setList(v, "connector_ids", ids)
	setList(v, "connector_capabilities", w.ConnectorCapabilities)
	setList(v, "account_types", w.AccountTypes)
	if w.MaxConnections > 0 {
		v.Set("max_connections", strconv.Itoa(w.MaxConnections))
	}
	if w.ResetCredentials {
		v.Set("reset_credentials", "true")
		setList(v, "connection_sources", w.ConnectionSources)
	}
}

// WebviewCallback is what a webview or webauth visit reports to the
// redirect URI.
type WebviewCallback struct {
	// ConnectionID is the connection created, repaired or managed;
	// webauth names it id_connection, the webview connection_id.
	ConnectionID int64
	// ConnectionIDs lists every connection a multi-connection visit added.
	ConnectionIDs []int64
	// Code is a temporary code for an anonymous user, to exchange.
	Code  string
	State string
	// Error and ErrorDescription report a failure or cancellation; an
	// unknown Error is still an error.
	Error            string
	ErrorDescription string
	// ConnectionDeleted reports that the person deleted the connection in
	// the manage webview.
	ConnectionDeleted bool
}

// Failed reports whether the visit ended in an error.
func (cb *WebviewCallback) Failed() bool { return cb.Error != "" }

// ParseWebviewCallback reads the query of a redirect back from a webview or
// webauth visit. Malformed ids are an error; unknown parameters are ignored.
func ParseWebviewCallback(q url.Values) (*WebviewCallback, error) {
	cb := &WebviewCallback{
		Code:             q.Get("code"),
		State:            q.Get("state"),
		Error:            q.Get("error"),
		ErrorDescription: q.Get("error_description"),
	}
	for _, key := range []string{"connection_id", "id_connection"} {
		if s := q.Get(key); s != "" && cb.ConnectionID == 0 {
			id, err := parseID(s)
			if err != nil {
				return nil, fmt.Errorf("powens callback %s: %w", key, err)
			}
			cb.ConnectionID = id
		}
	}
	if s := q.Get("connection_ids"); s != "" {
		for part := range strings.SplitSeq(s, ",") {
			id, err := parseID(strings.TrimSpace(part))
			if err != nil {
				return nil, fmt.Errorf("powens callback connection_ids: %w", err)
			}
			cb.ConnectionIDs = append(cb.ConnectionIDs, id)
		}
	}
	if cb.ConnectionID == 0 && len(cb.ConnectionIDs) > 0 {
		cb.ConnectionID = cb.ConnectionIDs[0]
	}
	if s := q.Get("connection_deleted"); s != "" {
		del, err := strconv.ParseBool(s)
		if err != nil {
			return nil, fmt.Errorf("powens callback connection_deleted: %q is not a boolean", s)
		}
		cb.ConnectionDeleted = del
	}
	return cb, nil
}

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not an id", s)
	}
	return id, nil
}
