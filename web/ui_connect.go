package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// The custom connection flow of Powens' guide, step by step: pick a
// connector (list fetched fresh), fill the form of its first source (fields
// filtered by source), post the encrypted values or go to the bank's page
// (webauth), handle the connection's state, activate accounts, and offer
// the next source as "add more accounts".

func (s *Server) registerUIConnectRoutes() {
	s.mux.HandleFunc("GET /connect", s.signedIn(s.handleConnectorIndex))
	s.mux.HandleFunc("POST /connect/webview", s.signedIn(s.handleWebviewStart))
	s.mux.HandleFunc("GET /connect/bank/{uuid}", s.signedIn(s.handleConnectForm))
	s.mux.HandleFunc("POST /connect/bank/{uuid}", s.signedIn(s.handleConnectSubmit))
	s.mux.HandleFunc("GET /connect/jobs/{id}", s.signedIn(s.handleJobView))
	s.mux.HandleFunc("GET /connect/jobs/{id}/status", s.signedIn(s.handleJobStatus))
	s.mux.HandleFunc("GET /connect/callback", s.signedIn(s.handleCallback))
	if p := s.callbackPath(); p != "/connect/callback" {
		s.mux.HandleFunc("GET "+p, s.signedIn(s.handleCallback))
	}
	s.registerUIStateRoutes()
}

// connectorsView is the connector list.
type connectorsView struct {
	Query, Capability string
	Connectors        []powens.Connector
}

// handleConnectorIndex lists connectors, fetched from Powens on every visit
// as Powens advises, filtered by name and capability.
func (s *Server) handleConnectorIndex(w http.ResponseWriter, r *http.Request) {
	agg, err := s.aggregator()
	var all []powens.Connector
	if err == nil {
		all, err = agg.Client().ListConnectors(r.Context(), powens.ConnectorQuery{Expand: []string{"sources"}})
	}
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	v := connectorsView{Query: strings.TrimSpace(r.URL.Query().Get("q")), Capability: r.URL.Query().Get("cap")}
	for _, c := range all {
		if (c.Hidden == nil || !*c.Hidden) && matchesConnector(&c, v.Query, v.Capability) {
			v.Connectors = append(v.Connectors, c)
		}
	}
	slices.SortFunc(v.Connectors, func(a, b powens.Connector) int { return strings.Compare(foldText(a.Name), foldText(b.Name)) })
	s.render(w, r, http.StatusOK, "connectors", &page{Title: "connectors.title", Nav: "connections", Data: v})
}

// matchesConnector filters by name (case and accents ignored) and by
// capability: "bank" for bank accounts, "wealth" for investment products.
func matchesConnector(c *powens.Connector, q, capability string) bool {
	if q != "" && !strings.Contains(foldText(c.Name), foldText(q)) {
		return false
	}
	switch capability {
	case "bank":
		return slices.Contains(c.Capabilities, "bank")
	case "wealth":
		return slices.Contains(c.Capabilities, "bankwealth")
	}
	return true
}

var accentFolder = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ä", "a",
	"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c", "œ", "oe")

func foldText(s string) string { return accentFolder.Replace(strings.ToLower(s)) }

// connectStep is a resolved form step: which connector, which source, which
// fields, and for an added source, which connection.
type connectStep struct {
	Connector *powens.Connector
	Source    *powens.ConnectorSource
	Mechanism string
	Fields    []powens.Field
	// Connection is the Powens id of the connection a source is added to.
	Connection int64
	// Added lists the connection's sources; Waiting, those of them not yet
	// working (a webauth source the person has not authorized at the bank),
	// which may be taken up again.
	Added, Waiting []string
	// Keep carries the accounts chosen before "add more accounts".
	Keep string
}

// resolveStep reads a form step from its query or form values. The
// connection, when named, is read through the person's own Powens token, so
// naming someone else's connection finds nothing.
func (s *Server) resolveStep(r *http.Request, q url.Values) (*connectStep, error) {
	agg, err := s.aggregator()
	if err != nil {
		return nil, err
	}
	uuid := r.PathValue("uuid")
	c, err := agg.Client().GetConnector(r.Context(), uuid, "sources", "fields")
	if err != nil {
		return nil, err
	}
	st := &connectStep{Connector: c, Keep: keepList(q.Get("keep"))}
	if pid, _ := strconv.ParseInt(q.Get("connection"), 10, 64); pid > 0 {
		conn, err := s.powensConnection(r.Context(), pid)
		if err != nil {
			return nil, err
		}
		if conn.ConnectorUUID != "" && !strings.EqualFold(conn.ConnectorUUID, c.UUID) {
			return nil, freenahi.Errorf(freenahi.ENOTFOUND, "Connection %d not found.", pid)
		}
		st.Connection = conn.ID
		for _, src := range conn.Sources {
			st.Added = append(st.Added, src.Name)
			if src.State != nil && *src.State != "" {
				st.Waiting = append(st.Waiting, src.Name)
			}
		}
	} else if c.Restricted {
		return nil, freenahi.Errorf(freenahi.ECONFLICT, "%s accepts no new connections at the moment.", c.Name)
	}
	st.Source = nextSource(c, st.Added)
	if name := q.Get("source"); name != "" {
		st.Source = nil
		for _, src := range sourcesByPriority(c) {
			if src.Name == name && (!slices.Contains(st.Added, name) || slices.Contains(st.Waiting, name)) {
				st.Source = &src
			}
		}
		if st.Source == nil {
			return nil, freenahi.Errorf(freenahi.ENOTFOUND, "%s has no source %q to add.", c.Name, name)
		}
	} else if st.Connection > 0 && st.Source == nil {
		return nil, freenahi.Errorf(freenahi.ECONFLICT, "Every source of %s is already added.", c.Name)
	}
	st.Mechanism = mechanismOf(c, st.Source)
	st.Fields = fieldsFor(c.Fields, st.sourceName(), st.Mechanism, st.Added)
	return st, nil
}

func (st *connectStep) sourceName() string {
	if st.Source == nil {
		return ""
	}
	return st.Source.Name
}

// formURL is the address of this step's form, with a problem to show.
func (st *connectStep) formURL(problem string) string {
	q := url.Values{}
	if st.Connection > 0 {
		q.Set("connection", strconv.FormatInt(st.Connection, 10))
		q.Set("source", st.sourceName())
	}
	setIf(q, "keep", st.Keep)
	setIf(q, "problem", problem)
	return "/connect/bank/" + url.PathEscape(st.Connector.UUID) + "?" + q.Encode()
}

// connectFormView is the form of a step.
type connectFormView struct {
	Step    *connectStep
	Fields  []formField
	Problem string
}

func (s *Server) handleConnectForm(w http.ResponseWriter, r *http.Request) {
	st, err := s.resolveStep(r, r.URL.Query())
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	v := connectFormView{Step: st, Fields: formFields(st.Fields, nil, nil)}
	if p := r.URL.Query().Get("problem"); p != "" {
		v.Problem = s.localeOf(r).T("problem." + problemKey(p))
	}
	s.render(w, r, http.StatusOK, "connect_form", &page{Title: "connect.title", Nav: "connections", Data: v})
}

// handleConnectSubmit checks the values again on the server, then starts
// the Powens call in the background (credentials) or sends the person to
// the bank's page (webauth).
func (s *Server) handleConnectSubmit(w http.ResponseWriter, r *http.Request) {
	st, err := s.resolveStep(r, r.PostForm)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	values, errs := readFields(st.Fields, r.PostForm)
	if len(errs) > 0 {
		v := connectFormView{Step: st, Fields: formFields(st.Fields, r.PostForm, errs)}
		s.render(w, r, http.StatusBadRequest, "connect_form", &page{Title: "connect.title", Nav: "connections", Data: v})
		return
	}
	userID := userFrom(r.Context()).ID
	switch st.Mechanism {
	case "credentials":
		s.runJob(w, r, "job.credentials", func(ctx context.Context) (string, error) {
			return s.postCredentials(ctx, userID, st, values)
		})
	case "webauth":
		back, state := s.callbackURL(r), s.signFlowState(sessionFrom(r.Context()), flowState{Kind: "webauth",
			Connector: st.Connector.UUID, Source: st.sourceName(), Connection: st.Connection, Keep: st.Keep})
		s.runJob(w, r, "job.webauth", func(ctx context.Context) (string, error) {
			return s.startWebauth(ctx, userID, st, values, back, state)
		})
	default:
		// A mechanism Powens added after this code was written.
		s.uiError(w, r, freenahi.Errorf(freenahi.EINVALID, "%s uses a sign-in method freenahi does not know (%s); use the Powens window instead.", st.Connector.Name, st.Mechanism))
	}
}

// postCredentials encrypts every value (JWE, Powens' key fetched now) and
// creates the connection, or adds the source to it. Refused credentials
// lead back to the form: Powens has deleted what it created.
func (s *Server) postCredentials(ctx context.Context, userID int64, st *connectStep, values map[string]string) (string, error) {
	sealed, err := s.encryptFields(ctx, values)
	if err != nil {
		return "", err
	}
	var conn *powens.Connection
	err = s.Aggregator.Do(ctx, userID, func(u *powens.UserClient) error {
		var err error
		if st.Connection > 0 {
			conn, _, err = u.UpdateConnection(ctx, st.Connection, powens.UpdateConnection{Fields: sealed, Source: st.sourceName()})
		} else {
			conn, _, err = u.CreateConnection(ctx, powens.CreateConnection{ConnectorUUID: st.Connector.UUID, Source: st.sourceName(), Fields: sealed})
		}
		return err
	})
	if powens.IsCode(err, powens.CodeWrongpass) {
		return st.formURL("wrongpass"), nil
	} else if err != nil {
		return "", err
	}
	return s.afterChange(ctx, userID, conn.ID, st.Keep), nil
}

func (s *Server) encryptFields(ctx context.Context, values map[string]string) (map[string]string, error) {
	enc, err := s.Aggregator.Client().FieldEncrypter(ctx)
	if err != nil {
		return nil, err
	}
	return enc.EncryptFields(values)
}

// startWebauth returns the bank's page for a new connection of a webauth
// connector, or for a webauth source added to a connection: the source is
// added first (it waits in webauthRequired), then authorized at the bank.
func (s *Server) startWebauth(ctx context.Context, userID int64, st *connectStep, values map[string]string, back, state string) (string, error) {
	wa := powens.Webauth{RedirectURI: back, State: state, Source: st.sourceName(), Fields: values}
	if st.Connection > 0 {
		wa.ConnectionID = st.Connection
	} else {
		wa.ConnectorUUID = st.Connector.UUID
	}
	var code *powens.AuthCode
	err := s.Aggregator.Do(ctx, userID, func(u *powens.UserClient) error {
		if st.Connection > 0 && !slices.Contains(st.Added, st.sourceName()) {
			if _, _, err := u.UpdateConnection(ctx, st.Connection, powens.UpdateConnection{Source: st.sourceName()}); err != nil {
				return err
			}
		}
		var err error
		code, err = u.TemporaryCode(ctx, powens.CodeSingleAccess)
		return err
	})
	if err != nil {
		return "", err
	}
	return s.Aggregator.Client().BrowserWebauthURL(wa, code.Code)
}

// handleWebviewStart sends the person to the Powens Connect webview, the
// one-click alternative to the custom flow.
func (s *Server) handleWebviewStart(w http.ResponseWriter, r *http.Request) {
	s.redirectToWebview(w, r, powens.FlowConnect, nil)
}

func (s *Server) aggregator() (Aggregator, error) {
	if s.Aggregator == nil {
		return nil, freenahi.Errorf(freenahi.EUNAVAILABLE, "Powens is not configured on this server (POWENS_CLIENT_ID, POWENS_CLIENT_SECRET).")
	}
	return s.Aggregator, nil
}

// keepList keeps only a comma-separated list of ids.
func keepList(s string) string {
	var ids []string
	for part := range strings.SplitSeq(s, ",") {
		if n, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64); err == nil && n > 0 {
			ids = append(ids, strconv.FormatInt(n, 10))
		}
	}
	return strings.Join(ids, ",")
}

func setIf(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}
