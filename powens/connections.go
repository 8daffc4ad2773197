package powens

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/freenahi/freenahi"
)

// ConnectionState returns the connection's state as the domain's open enum,
// whose Kind tells what the person has to do; unknown states are fatal.
func (c *Connection) ConnectionState() freenahi.ConnectionState {
	return freenahi.ConnectionState(c.StateString())
}

// NeedsInput reports whether the connection waits for values of its Fields
// (an OTP, an answer, new credentials) to be posted with UpdateConnection.
func (c *Connection) NeedsInput() bool {
	switch c.ConnectionState() {
	case freenahi.StateAdditionalInformationNeeded, freenahi.StateWrongpass:
		return len(c.Fields) > 0
	}
	return false
}

// CreateConnection describes a new connection of a credentials connector.
type CreateConnection struct {
	// ConnectorUUID names the connector; ConnectorID is the deprecated
	// alternative, sent only when the UUID is empty.
	ConnectorUUID string
	ConnectorID   int64
	// Source restricts the connection to one connector source ("openapi").
	Source string
	// Fields holds one value per connector field name. Encrypt the values
	// first (FieldEncrypter.EncryptFields) when the domain requires it.
	Fields map[string]string
	// Expand lists expansions of the returned connection.
	Expand []string
}

// UpdateConnection describes a change to an existing connection: new field
// values (OTP, credentials), a decoupled resume, a source to add.
type UpdateConnection struct {
	// Fields holds new values for the connection's fields; encrypt them
	// like CreateConnection.Fields.
	Fields map[string]string
	// Resume continues a connection in the decoupled state.
	Resume bool
	// Active, when set, turns automatic syncing on or off.
	Active *bool
	// Source targets (or adds) one source of a multi-source connector.
	Source string
	// Background makes Powens answer at once; poll GetConnection afterwards.
	Background bool
	// Expand lists expansions of the returned connection.
	Expand []string
}

// reservedField reports body members the client sets itself; a connector
// field of that name would silently overwrite them.
func reservedField(name string) bool {
	switch name {
	case "", "connector_uuid", "id_connector", "resume", "active":
		return true
	}
	return false
}

// CreateConnection adds a connection, which makes Powens check the
// credentials at the bank while the call waits (LongTimeout). The status is
// 200 or 201, or 202 when the connection waits for more input; branch on
// conn.ConnectionState(). Refused credentials come back as an error for
// which IsCode(err, CodeWrongpass) holds, and nothing is created.
func (u *UserClient) CreateConnection(ctx context.Context, in CreateConnection) (*Connection, int, error) {
	body := make(map[string]any, len(in.Fields)+1)
	switch {
	case in.ConnectorUUID != "":
		body["connector_uuid"] = in.ConnectorUUID
	case in.ConnectorID > 0:
		body["id_connector"] = in.ConnectorID
	default:
		return nil, 0, errors.New("powens: CreateConnection needs a ConnectorUUID or a ConnectorID")
	}
	if err := addFields(body, in.Fields); err != nil {
		return nil, 0, err
	}
	v := url.Values{}
	if in.Source != "" {
		v.Set("source", in.Source)
	}
	setList(v, "expand", in.Expand)
	req := &request{method: http.MethodPost, path: "users/me/connections", query: v, body: body, long: true}
	return u.connectionCall(ctx, req)
}

// UpdateConnection posts new field values, a resume or a source to a
// connection and lets Powens sync it (LongTimeout unless Background). An
// empty UpdateConnection simply syncs, as Powens' SCA guide prescribes for
// SCARequired while the person is present.
func (u *UserClient) UpdateConnection(ctx context.Context, id int64, in UpdateConnection) (*Connection, int, error) {
	body := make(map[string]any, len(in.Fields)+2)
	if in.Resume {
		body["resume"] = true
	}
	if in.Active != nil {
		body["active"] = *in.Active
	}
	if err := addFields(body, in.Fields); err != nil {
		return nil, 0, err
	}
	v := url.Values{}
	if in.Source != "" {
		v.Set("source", in.Source)
	}
	setList(v, "expand", in.Expand)
	var flags []string
	if in.Background {
		flags = append(flags, "background")
	}
	req := &request{method: http.MethodPost, path: connectionPath(id), query: v, flags: flags,
		body: body, long: !in.Background}
	return u.connectionCall(ctx, req)
}

func addFields(body map[string]any, fields map[string]string) error {
	for k, val := range fields {
		if reservedField(k) {
			return fmt.Errorf("powens: %q cannot be a field name", k)
		}
		body[k] = val
	}
	return nil
}

func (u *UserClient) connectionCall(ctx context.Context, req *request) (*Connection, int, error) {
	var conn Connection
	status, err := u.do(ctx, req, &conn)
	if err != nil {
		return nil, status, err
	}
	return &conn, status, nil
}

// SyncConnection asks Powens to sync a connection now. psuRequested says the
// person is present (Powens may then demand an SCA); pass false from
// background jobs. Powens may refuse with 409 (IsConflict) when it will not
// force a sync.
func (u *UserClient) SyncConnection(ctx context.Context, id int64, psuRequested bool) (*Connection, error) {
	v := url.Values{"psu_requested": {strconv.FormatBool(psuRequested)}}
	var conn Connection
	req := &request{method: http.MethodPut, path: connectionPath(id), query: v, long: true}
	if _, err := u.do(ctx, req, &conn); err != nil {
		return nil, err
	}
	return &conn, nil
}

// GetConnection returns one connection; with no expand it expands sources
// and connector.
func (u *UserClient) GetConnection(ctx context.Context, id int64, expand ...string) (*Connection, error) {
	v := url.Values{}
	setList(v, "expand", defaultExpand(expand))
	var conn Connection
	if _, err := u.do(ctx, &request{method: http.MethodGet, path: connectionPath(id), query: v}, &conn); err != nil {
		return nil, err
	}
	return &conn, nil
}

// ListConnections returns the user's connections; with no expand it expands
// sources and connector.
func (u *UserClient) ListConnections(ctx context.Context, expand ...string) ([]Connection, error) {
	v := url.Values{}
	setList(v, "expand", defaultExpand(expand))
	var out struct {
		Connections []Connection `json:"connections"`
	}
	if _, err := u.do(ctx, &request{method: http.MethodGet, path: "users/me/connections", query: v}, &out); err != nil {
		return nil, err
	}
	return out.Connections, nil
}

func defaultExpand(expand []string) []string {
	if len(expand) == 0 {
		return []string{"sources", "connector"}
	}
	return expand
}

// DeleteConnection deletes a connection and all its data at Powens.
func (u *UserClient) DeleteConnection(ctx context.Context, id int64) error {
	_, err := u.do(ctx, &request{method: http.MethodDelete, path: connectionPath(id)}, nil)
	return err
}

func connectionPath(id int64) string {
	return "users/me/connections/" + strconv.FormatInt(id, 10)
}
