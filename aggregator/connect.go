package aggregator

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/internal/fold"
	"github.com/freenahi/freenahi/powens"
)

// The custom connection flow of Powens' guide, step by step: pick a
// connector (list fetched fresh), fill the form of its first source (fields
// filtered by source), post the encrypted values or go to the bank's page
// (webauth), handle the connection's state, activate accounts, and offer
// the next source as "add more accounts". Connections are addressed by
// their Powens id and always read through the person's own Powens token:
// another person's id is simply not found.

// Connectors lists the connectors a person may add, fetched from Powens on
// every call as Powens advises, hidden ones left out, sorted by name.
func (s *Service) Connectors(ctx context.Context, q freenahi.ConnectorQuery) ([]freenahi.Connector, error) {
	all, err := s.Powens.ListConnectors(ctx, powens.ConnectorQuery{Expand: []string{"sources"}})
	if err != nil {
		return nil, powensError("list connectors", err)
	}
	var out []freenahi.Connector
	for _, c := range all {
		if (c.Hidden == nil || !*c.Hidden) && matchesConnector(&c, q) {
			out = append(out, toConnector(&c))
		}
	}
	slices.SortFunc(out, func(a, b freenahi.Connector) int {
		return strings.Compare(fold.String(a.Name), fold.String(b.Name))
	})
	return out, nil
}

// matchesConnector filters by name (case and accents ignored) and by
// capability: "bank" for bank accounts, "wealth" for investment products.
func matchesConnector(c *powens.Connector, q freenahi.ConnectorQuery) bool {
	if name := strings.TrimSpace(q.Name); name != "" && !strings.Contains(fold.String(c.Name), fold.String(name)) {
		return false
	}
	switch q.Capability {
	case "bank":
		return slices.Contains(c.Capabilities, "bank")
	case "wealth":
		return slices.Contains(c.Capabilities, "bankwealth")
	}
	return true
}

func toConnector(c *powens.Connector) freenahi.Connector {
	return freenahi.Connector{UUID: c.UUID, Name: c.Name, Capabilities: c.Capabilities, Restricted: c.Restricted}
}

// FormRequest names a form step: a new connection to a connector, or a
// source added to one of the person's connections.
type FormRequest struct {
	ConnectorUUID      string
	PowensConnectionID int64
	// Source, when set, is the source to add; else the next one by priority.
	Source string
	Keep   []int64
}

// ConnectForm resolves a form step: the connector and its fields, filtered
// for the source and auth mechanism. It returns ENOTFOUND for an unknown
// connector or source, or a connection of another person or connector, and
// ECONFLICT for a restricted connector or when every source is added.
func (s *Service) ConnectForm(ctx context.Context, userID int64, req FormRequest) (*freenahi.ConnectForm, error) {
	c, err := s.Powens.GetConnector(ctx, req.ConnectorUUID, "sources", "fields")
	if err != nil {
		return nil, powensError("read the connector", err)
	}
	f := &freenahi.ConnectForm{Connector: toConnector(c), Keep: req.Keep, PowensConnectionID: req.PowensConnectionID}
	if req.PowensConnectionID > 0 {
		conn, err := s.powensConnection(ctx, userID, req.PowensConnectionID)
		if err != nil {
			return nil, err
		}
		if conn.ConnectorUUID != "" && !strings.EqualFold(conn.ConnectorUUID, c.UUID) {
			return nil, connectionNotFound(req.PowensConnectionID)
		}
		for _, src := range conn.Sources {
			f.Added = append(f.Added, src.Name)
			if src.State != nil && *src.State != "" {
				f.Waiting = append(f.Waiting, src.Name)
			}
		}
	} else if c.Restricted {
		return nil, freenahi.Errorf(freenahi.ECONFLICT, "%s accepts no new connections at the moment.", c.Name)
	}
	src := nextSource(c, f.Added)
	if req.Source != "" {
		src = nil
		for _, cand := range sourcesByPriority(c) {
			if cand.Name == req.Source && (!slices.Contains(f.Added, cand.Name) || slices.Contains(f.Waiting, cand.Name)) {
				src = &cand
			}
		}
		if src == nil {
			return nil, freenahi.Errorf(freenahi.ENOTFOUND, "%s has no source %q to add.", c.Name, req.Source)
		}
	} else if req.PowensConnectionID > 0 && src == nil {
		return nil, freenahi.Errorf(freenahi.ECONFLICT, "Every source of %s is already added.", c.Name)
	}
	if src != nil {
		f.Source = src.Name
	}
	f.Mechanism = mechanismOf(c, src)
	f.Fields = toFields(fieldsFor(c.Fields, f.Source, f.Mechanism, f.Added))
	return f, nil
}

// WebauthReturn is where the bank's page sends the person back.
type WebauthReturn struct {
	RedirectURI string
	// State is opaque to the aggregator; the web layer signs and checks it.
	State string
}

// Attempt says which run of a job this is: above 1, an earlier run was
// interrupted (a restart, a crash) and may have reached Powens.
type Attempt struct {
	N int
	// FirstStarted is when the first run began.
	FirstStarted time.Time
}

// SealedValues are form values encrypted for Powens (JWE, RSA-OAEP-256 and
// A256GCM with Powens' key): only Powens can read them, so they may wait in
// a background job's payload without the clear secrets ever being stored.
type SealedValues map[string]string

// SealValues encrypts checked form values for Powens, with its key fetched
// now (Powens may rotate it).
func (s *Service) SealValues(ctx context.Context, values map[string]string) (SealedValues, error) {
	enc, err := s.Powens.FieldEncrypter(ctx)
	if err != nil {
		return nil, powensError("fetch Powens' encryption key", err)
	}
	sealed, err := enc.EncryptFields(values)
	if err != nil {
		return nil, fmt.Errorf("encrypt the form values: %w", err)
	}
	return sealed, nil
}

// SubmitForm posts a form step: the credentials (sealed, see SealValues)
// for a credentials source, or, for webauth, the fields shown before the
// bank's page (not secret: a website choice) and the bank's page returned.
// Refused credentials lead back to the form (Powens has deleted what it
// created). A repeated attempt adopts the connection an interrupted one
// created, rather than create a second.
func (s *Service) SubmitForm(ctx context.Context, userID int64, f *freenahi.ConnectForm, sealed SealedValues, values map[string]string, back WebauthReturn, attempt Attempt) (*freenahi.Next, error) {
	switch f.Mechanism {
	case freenahi.MechanismCredentials:
		return s.postCredentials(ctx, userID, f, sealed, attempt)
	case freenahi.MechanismWebauth:
		return s.startWebauth(ctx, userID, f, values, back)
	}
	return nil, freenahi.Errorf(freenahi.EINVALID, "%s uses a sign-in method freenahi does not know (%s); use the Powens window instead.", f.Connector.Name, f.Mechanism)
}

func (s *Service) postCredentials(ctx context.Context, userID int64, f *freenahi.ConnectForm, sealed SealedValues, attempt Attempt) (*freenahi.Next, error) {
	if attempt.N > 1 && f.PowensConnectionID == 0 {
		pid, err := s.awaitInterrupted(ctx, userID, f.Connector.UUID, attempt.FirstStarted)
		if err != nil {
			return nil, err
		} else if pid > 0 {
			return s.afterChange(ctx, userID, pid, f.Keep), nil
		}
	}
	var conn *powens.Connection
	err := s.Do(ctx, userID, func(u *powens.UserClient) (err error) {
		if f.PowensConnectionID > 0 {
			conn, _, err = u.UpdateConnection(ctx, f.PowensConnectionID, powens.UpdateConnection{Fields: sealed, Source: f.Source})
		} else {
			conn, _, err = u.CreateConnection(ctx, powens.CreateConnection{ConnectorUUID: f.Connector.UUID, Source: f.Source, Fields: sealed})
		}
		return err
	})
	// Refused credentials lead back to the form: Powens created nothing.
	for code, problem := range map[string]string{powens.CodeWrongpass: freenahi.ProblemWrongpass,
		powens.CodePasswordExpired: freenahi.ProblemPasswordExpired} {
		if powens.IsCode(err, code) {
			return &freenahi.Next{Step: freenahi.StepForm, ConnectorUUID: f.Connector.UUID, PowensConnectionID: f.PowensConnectionID,
				Source: f.Source, Keep: f.Keep, Problem: problem}, nil
		}
	}
	if err != nil {
		return nil, powensError("post the credentials", err)
	}
	return s.afterChange(ctx, userID, conn.ID, f.Keep), nil
}

// awaitInterrupted looks for the connection an interrupted attempt created.
// That attempt's request may still be at the bank: Powens finishes it even
// though nobody waits for the answer any more. So the connection is looked
// for until such a request must have ended (the client's long timeout after
// the first attempt began); creating a second one would charge the person
// twice and confuse their bank. It returns 0 when there is none.
func (s *Service) awaitInterrupted(ctx context.Context, userID int64, connectorUUID string, firstStarted time.Time) (int64, error) {
	deadline := firstStarted.Add(s.Powens.LongTimeout())
	for {
		pid, err := s.adoptCreated(ctx, userID, connectorUUID)
		if err != nil || pid > 0 || !s.now().Before(deadline) {
			return pid, err
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(cmp.Or(s.PollInterval, 2*time.Second)):
		}
	}
}

// adoptCreated finds a connection to the connector that an interrupted
// attempt created: the newest one not yet known to the store.
func (s *Service) adoptCreated(ctx context.Context, userID int64, connectorUUID string) (int64, error) {
	var conns []powens.Connection
	err := s.Do(ctx, userID, func(u *powens.UserClient) (err error) {
		conns, err = u.ListConnections(ctx)
		return err
	})
	if err != nil {
		return 0, powensError("list the connections", err)
	}
	known, err := s.Store.FindConnections(ctx, userID)
	if err != nil {
		return 0, err
	}
	var newest int64
	for _, c := range conns {
		if strings.EqualFold(c.ConnectorUUID, connectorUUID) && c.ID > newest &&
			!slices.ContainsFunc(known, func(k *freenahi.Connection) bool { return k.PowensID == c.ID }) {
			newest = c.ID
		}
	}
	return newest, nil
}

// startWebauth returns the bank's page for a new connection of a webauth
// connector, or for a webauth source added to a connection: the source is
// added first (it waits in webauthRequired), then authorized at the bank.
func (s *Service) startWebauth(ctx context.Context, userID int64, f *freenahi.ConnectForm, values map[string]string, back WebauthReturn) (*freenahi.Next, error) {
	wa := powens.Webauth{RedirectURI: back.RedirectURI, State: back.State, Source: f.Source, Fields: values}
	if f.PowensConnectionID > 0 {
		wa.ConnectionID = f.PowensConnectionID
	} else {
		wa.ConnectorUUID = f.Connector.UUID
	}
	var code *powens.AuthCode
	err := s.Do(ctx, userID, func(u *powens.UserClient) error {
		if f.PowensConnectionID > 0 && !slices.Contains(f.Added, f.Source) {
			if _, _, err := u.UpdateConnection(ctx, f.PowensConnectionID, powens.UpdateConnection{Source: f.Source}); err != nil {
				return err
			}
		}
		var err error
		code, err = u.TemporaryCode(ctx, powens.CodeSingleAccess)
		return err
	})
	if err != nil {
		return nil, powensError("prepare the bank's page", err)
	}
	link, err := s.Powens.BrowserWebauthURL(wa, code.Code)
	if err != nil {
		return nil, err
	}
	return &freenahi.Next{Step: freenahi.StepBank, URL: link}, nil
}

// powensConnection reads one of the person's connections at Powens.
func (s *Service) powensConnection(ctx context.Context, userID, pid int64) (*powens.Connection, error) {
	var conn *powens.Connection
	err := s.Do(ctx, userID, func(u *powens.UserClient) (err error) {
		conn, err = u.GetConnection(ctx, pid, "sources", "connector")
		return err
	})
	if powens.IsNotFound(err) {
		return nil, connectionNotFound(pid)
	} else if err != nil {
		return nil, powensError("read the connection", err)
	}
	return conn, nil
}

func connectionNotFound(pid int64) error {
	return freenahi.Errorf(freenahi.ENOTFOUND, "Connection %d not found.", pid)
}

// afterChange pulls the connection's data now, whatever its state, so the
// connections page shows it (a half-finished connection shows as needing
// action), and goes on to its state screen. A failed pull is not the
// person's problem: the webhook and the periodic pull will bring the data.
func (s *Service) afterChange(ctx context.Context, userID, pid int64, keep []int64) *freenahi.Next {
	if err := s.PullConnection(ctx, userID, pid); err != nil {
		s.logger().Warn("pull after a connection change failed", "powens_connection_id", pid, "error", err)
	}
	return &freenahi.Next{Step: freenahi.StepState, PowensConnectionID: pid, Keep: keep}
}

// fieldsFor filters a connector's fields as the guide says: those of the
// source being added, none of a source already added, and only those of
// the auth mechanism in use (credentials form, or fields shown before webauth).
func fieldsFor(all []powens.Field, source, mechanism string, added []string) []powens.Field {
	var out []powens.Field
	for _, f := range all {
		if source != "" && len(f.ConnectorSources) > 0 && !slices.Contains(f.ConnectorSources, source) {
			continue
		}
		if slices.ContainsFunc(f.ConnectorSources, func(s string) bool { return slices.Contains(added, s) }) {
			continue
		}
		if mechanism == freenahi.MechanismWebauth && !slices.Contains(f.AuthMechanisms, freenahi.MechanismWebauth) {
			continue
		}
		if mechanism != freenahi.MechanismWebauth && len(f.AuthMechanisms) > 0 && !slices.Contains(f.AuthMechanisms, freenahi.MechanismCredentials) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func toFields(fields []powens.Field) []freenahi.ConnectField {
	out := make([]freenahi.ConnectField, 0, len(fields))
	for _, f := range fields {
		cf := freenahi.ConnectField{Name: f.Name, Label: cmp.Or(f.Label, f.Name), Type: f.Type, Required: f.Required}
		if f.Description != nil {
			cf.Description = *f.Description
		}
		if f.Regex != nil {
			cf.Regex = *f.Regex
		}
		for _, v := range f.Values {
			cf.Choices = append(cf.Choices, freenahi.FieldChoice{Label: v.Label, Value: v.Value})
		}
		out = append(out, cf)
	}
	return out
}

// sourcesByPriority returns a connector's usable sources, lowest priority
// first, skipping disabled ones, as the guide requires.
func sourcesByPriority(c *powens.Connector) []powens.ConnectorSource {
	var out []powens.ConnectorSource
	for _, s := range c.Sources {
		if s.Disabled.IsZero() {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b powens.ConnectorSource) int { return a.Priority - b.Priority })
	return out
}

// nextSource is the first usable source not yet added, or nil.
func nextSource(c *powens.Connector, added []string) *powens.ConnectorSource {
	for _, s := range sourcesByPriority(c) {
		if !slices.Contains(added, s.Name) {
			return &s
		}
	}
	return nil
}

// mechanismOf is the auth mechanism of a source, else of the connector.
func mechanismOf(c *powens.Connector, src *powens.ConnectorSource) string {
	if src != nil && src.AuthMechanism != nil {
		return *src.AuthMechanism
	}
	if c.AuthMechanism != nil {
		return *c.AuthMechanism
	}
	return freenahi.MechanismCredentials
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
