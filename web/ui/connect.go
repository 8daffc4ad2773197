package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// The custom connection flow's pages: the aggregator resolves each step
// (connector, source, fields, state) and runs each call to Powens as a
// background job; these handlers parse the form, call it and render.

func (s *Handler) registerUIConnectRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /connect", s.signedIn(s.handleConnectorIndex))
	mux.HandleFunc("POST /connect/webview", s.signedIn(s.handleWebviewStart))
	mux.HandleFunc("GET /connect/bank/{uuid}", s.signedIn(s.handleConnectForm))
	mux.HandleFunc("POST /connect/bank/{uuid}", s.signedIn(s.handleConnectSubmit))
	mux.HandleFunc("GET /connect/jobs/{id}", s.signedIn(s.handleJobView))
	mux.HandleFunc("GET /connect/jobs/{id}/status", s.signedIn(s.handleJobStatus))
	mux.HandleFunc("GET /connect/callback", s.signedIn(s.handleCallback))
	mux.HandleFunc("GET /webview/callback", s.page(s.handleWebviewCallback))
	if p := s.callbackPath(); p != "/connect/callback" {
		mux.HandleFunc("GET "+p, s.signedIn(s.handleCallback))
	}
	s.registerUIStateRoutes(mux)
}

// connectorsView is the connector list.
type connectorsView struct {
	Query, Capability string
	Connectors        []freenahi.Connector
}

// handleConnectorIndex lists connectors, fetched from Powens on every visit
// as Powens advises, filtered by name and capability.
func (s *Handler) handleConnectorIndex(w http.ResponseWriter, r *http.Request) {
	if s.Aggregator == nil {
		// A configuration that lasts until an administrator changes it,
		// not an outage: say so, and how, rather than "try again later".
		s.render(w, r, http.StatusServiceUnavailable, "no_powens", &page{Title: "nopowens.title", Nav: "connections"})
		return
	}
	v := connectorsView{Query: strings.TrimSpace(r.URL.Query().Get("q")), Capability: r.URL.Query().Get("cap")}
	agg, err := s.aggregator()
	if err == nil {
		v.Connectors, err = agg.Connectors(r.Context(), freenahi.ConnectorQuery{Name: v.Query, Capability: v.Capability})
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "connectors", &page{Title: "connectors.title", Nav: "connections", Data: v})
}

// connectForm reads a form step from its query or form values.
func (s *Handler) connectForm(r *http.Request, q url.Values) (*freenahi.ConnectForm, error) {
	agg, err := s.aggregator()
	if err != nil {
		return nil, err
	}
	pid, _ := strconv.ParseInt(q.Get("connection"), 10, 64)
	return agg.ConnectForm(r.Context(), request.User(r.Context()).ID, aggregator.FormRequest{ConnectorUUID: r.PathValue("uuid"),
		PowensConnectionID: max(pid, 0), Source: q.Get("source"), Keep: keepList(q.Get("keep"))})
}

// formURL is the address of a form step, with a problem to show.
func formURL(connector string, pid int64, source, keep, problem string) string {
	q := url.Values{}
	if pid > 0 {
		q.Set("connection", strconv.FormatInt(pid, 10))
		q.Set("source", source)
	}
	setIf(q, "keep", keep)
	setIf(q, "problem", problem)
	return withQuery("/connect/bank/"+url.PathEscape(connector), q)
}

// connectFormView is the form of a step.
type connectFormView struct {
	Form    *freenahi.ConnectForm
	Keep    string
	Fields  []formField
	Problem string
}

func (s *Handler) handleConnectForm(w http.ResponseWriter, r *http.Request) {
	f, err := s.connectForm(r, r.URL.Query())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := connectFormView{Form: f, Keep: joinIDs(f.Keep), Fields: s.formFields(r, f.Fields, nil, nil)}
	if p := r.URL.Query().Get("problem"); p != "" {
		v.Problem = s.localeOf(r).T("problem." + problemKey(p))
	}
	s.render(w, r, http.StatusOK, "connect_form", &page{Title: "connect.title", Nav: "connections", Data: v})
}

// handleConnectSubmit checks the values on the server, then starts the
// Powens call in the background: credentials posted, or the bank's page
// prepared (webauth).
func (s *Handler) handleConnectSubmit(w http.ResponseWriter, r *http.Request) {
	f, err := s.connectForm(r, r.PostForm)
	if err == nil && f.Mechanism != freenahi.MechanismCredentials && f.Mechanism != freenahi.MechanismWebauth {
		// A mechanism Powens added after this code was written.
		err = freenahi.Errorf(freenahi.EINVALID, "%s uses a sign-in method freenahi does not know (%s); use the Powens window instead.", f.Connector.Name, f.Mechanism)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	posted := postedFields(r.PostForm)
	values, errs := freenahi.CheckFields(f.Fields, posted)
	if len(errs) > 0 {
		v := connectFormView{Form: f, Keep: joinIDs(f.Keep), Fields: s.formFields(r, f.Fields, r.PostForm, errs)}
		s.render(w, r, http.StatusBadRequest, "connect_form", &page{Title: "connect.title", Nav: "connections", Data: v})
		return
	}
	args := aggregator.JobArgs{Form: f, Values: values}
	if f.Mechanism == freenahi.MechanismCredentials {
		// Credentials wait in the job encrypted for Powens, never in clear.
		if args.Sealed, err = s.Aggregator.SealValues(r.Context(), values); err != nil {
			respond.Error(w, r, err)
			return
		}
		args.Values = nil
	} else {
		args.Back = aggregator.WebauthReturn{RedirectURI: s.callbackURL(r), State: s.signFlowState(sessionFrom(r.Context()),
			flowState{Kind: "webauth", Connector: f.Connector.UUID, Source: f.Source, Connection: f.PowensConnectionID, Keep: joinIDs(f.Keep)})}
	}
	s.runJob(w, r, aggregator.JobSubmitForm, args)
}

// handleWebviewStart sends the person to the Powens Connect webview, the
// one-click alternative to the custom flow.
func (s *Handler) handleWebviewStart(w http.ResponseWriter, r *http.Request) {
	s.redirectToWebview(w, r, aggregator.FlowConnect, nil)
}

func setIf(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}
