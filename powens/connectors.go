package powens

import (
	"context"
	"net/http"
	"net/url"
)

// ConnectorQuery filters GET /connectors.
type ConnectorQuery struct {
	// CountryCodes restricts to ISO 3166-1 alpha-2 countries ("FR", "DE").
	CountryCodes []string
	// Expand lists the expansions; nil means sources and fields, which the
	// custom connection flow needs to build its forms.
	Expand []string
}

// ListConnectors returns the connectors the domain offers. Powens advises
// against caching the list: fetch it when a person adds a connection.
func (c *Client) ListConnectors(ctx context.Context, q ConnectorQuery) ([]Connector, error) {
	expand := q.Expand
	if expand == nil {
		expand = []string{"sources", "fields"}
	}
	v := url.Values{}
	setList(v, "expand", expand)
	setList(v, "country_codes", q.CountryCodes)
	var out struct {
		Connectors []Connector `json:"connectors"`
	}
	if _, err := c.do(ctx, &request{method: http.MethodGet, path: "connectors", query: v}, &out); err != nil {
		return nil, err
	}
	return out.Connectors, nil
}

// GetConnector returns one connector by UUID (or by deprecated numeric id).
func (c *Client) GetConnector(ctx context.Context, uuidOrID string, expand ...string) (*Connector, error) {
	if err := checkSegment("connector", uuidOrID); err != nil {
		return nil, err
	}
	v := url.Values{}
	setList(v, "expand", expand)
	var out Connector
	if _, err := c.do(ctx, &request{method: http.MethodGet, path: "connectors/" + url.PathEscape(uuidOrID), query: v}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ConnectorFields returns the credential form of a connector.
func (c *Client) ConnectorFields(ctx context.Context, uuidOrID string) ([]Field, error) {
	if err := checkSegment("connector", uuidOrID); err != nil {
		return nil, err
	}
	var out struct {
		Fields []Field `json:"fields"`
	}
	if _, err := c.do(ctx, &request{method: http.MethodGet, path: "connectors/" + url.PathEscape(uuidOrID) + "/fields"}, &out); err != nil {
		return nil, err
	}
	return out.Fields, nil
}
