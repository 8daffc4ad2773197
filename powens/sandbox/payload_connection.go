package sandbox

import "encoding/json"

// Users, connections and connectors as Powens documents them
// (powens-api.md §1.7, §2.2–2.4, §3.2; powens-openapi/connections.yml,
// connectors.yml). Field order follows the documentation's tables.

// userJSON is Powens' User object.
type userJSON struct {
	ID     int64    `json:"id"`
	Signin datetime `json:"signin"`
}

// connectionJSON is Powens' Connection object with its expansions.
type connectionJSON struct {
	ID            int64    `json:"id"`
	IDUser        int64    `json:"id_user"`
	IDConnector   int64    `json:"id_connector"`
	ConnectorUUID string   `json:"connector_uuid"`
	State         *string  `json:"state"`
	Error         *string  `json:"error"` // deprecated duplicate of state
	ErrorMessage  *string  `json:"error_message"`
	Fields        []field  `json:"fields,omitempty"`
	LastUpdate    datetime `json:"last_update"`
	Created       datetime `json:"created"`
	Active        bool     `json:"active"`
	LastPush      datetime `json:"last_push"`
	Expire        datetime `json:"expire"`
	NextTry       datetime `json:"next_try"`
	// Expansions (expand=connector,sources,accounts,all_accounts).
	Connector   *connectorJSON         `json:"connector,omitempty"`
	Sources     []connectionSourceJSON `json:"sources,omitzero"`
	Accounts    []*accountJSON         `json:"accounts,omitzero"`
	AllAccounts []*accountJSON         `json:"all_accounts,omitzero"`
}

// connectionSourceJSON is Powens' ConnectionSource object.
type connectionSourceJSON struct {
	ID                int64    `json:"id"`
	IDConnection      int64    `json:"id_connection"`
	IDConnectorSource int64    `json:"id_connector_source"`
	Name              string   `json:"name"`
	State             *string  `json:"state"`
	LastUpdate        datetime `json:"last_update"`
	Created           datetime `json:"created"`
	Disabled          datetime `json:"disabled"`
	AccessExpire      datetime `json:"access_expire"`
	Expire            datetime `json:"expire"`
	NextTry           datetime `json:"next_try"`
}

// connectorJSON is Powens' Connector object.
type connectorJSON struct {
	ID                      int64             `json:"id"`
	UUID                    string            `json:"uuid"`
	Name                    string            `json:"name"`
	Hidden                  bool              `json:"hidden"`
	Charged                 bool              `json:"charged"`
	Code                    *string           `json:"code"`
	Beta                    bool              `json:"beta"`
	Color                   *string           `json:"color"`
	Slug                    *string           `json:"slug"`
	MonthsToFetch           *int              `json:"months_to_fetch"`
	AuthMechanism           *string           `json:"auth_mechanism"`
	AvailableAuthMechanisms []string          `json:"available_auth_mechanisms"`
	Restricted              bool              `json:"restricted"`
	Capabilities            []string          `json:"capabilities"`
	AccountUsages           []string          `json:"account_usages"`
	Products                []string          `json:"products,omitempty"`
	Sources                 []connectorSource `json:"sources,omitzero"`
	Fields                  []field           `json:"fields,omitempty"`
	URLs                    []string          `json:"urls,omitempty"`
}

// connectorSource is Powens' ConnectorSource object; the test banks keep
// theirs in this shape.
type connectorSource struct {
	ID                      int64    `json:"id"`
	IDConnector             int64    `json:"id_connector"`
	Name                    string   `json:"name"`
	AuthMechanism           string   `json:"auth_mechanism"`
	AvailableAuthMechanisms []string `json:"available_auth_mechanisms"`
	Disabled                datetime `json:"disabled"`
	Priority                int      `json:"priority"`
}

// field is Powens' ConnectorField object (one input of a credentials form);
// the test banks keep their forms in this shape.
type field struct {
	Name        string       `json:"name"`
	Label       string       `json:"label"`
	Description *string      `json:"description,omitempty"`
	Type        string       `json:"type"`
	Required    bool         `json:"required"`
	Regex       *string      `json:"regex,omitempty"`
	Values      []fieldValue `json:"values,omitempty"`
	// AuthMechanisms and ConnectorSources say when the field applies.
	AuthMechanisms   []string `json:"auth_mechanisms"`
	ConnectorSources []string `json:"connector_sources,omitempty"`

	noRequired bool // an older form: required is not written
}

// MarshalJSON writes the field; an older form leaves required out, as
// answers recorded before Powens documented it did.
func (f field) MarshalJSON() ([]byte, error) {
	type plain field
	if !f.noRequired {
		return json.Marshal(plain(f))
	}
	return json.Marshal(struct {
		plain
		Required *bool `json:"required,omitempty"`
	}{plain: plain(f)})
}

// fieldValue is one choice of a list field.
type fieldValue struct {
	Label string `json:"label"`
	Value string `json:"value"`
}
