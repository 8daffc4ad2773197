package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi/internal/testenv"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// openAPIFile is our own description of Powens' API, written from Powens'
// published reference: the oracle the sandbox's answers are checked against.
const openAPIFile = "testdata/powens-sandbox.openapi.yaml"

// apiOracle validates sandbox answers against openAPIFile with kin-openapi
// and remembers which operations and webhook events were checked.
type apiOracle struct {
	t      *testing.T
	h      *harness
	doc    *openapi3.T
	router routers.Router
	seen   map[string][]int // operationId → statuses checked
}

func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(openAPIFile)
	if err != nil {
		t.Fatalf("%s does not load: %v", openAPIFile, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("%s is not a valid OpenAPI document: %v", openAPIFile, err)
	}
	return doc
}

func newAPIOracle(t *testing.T, h *harness) *apiOracle {
	doc := loadOpenAPI(t)
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &apiOracle{t: t, h: h, doc: doc, router: router, seen: map[string][]int{}}
}

// check sends a request to the sandbox, fails unless the status is want,
// validates the answer against the document and returns its body.
func (o *apiOracle) check(method, target, token string, body any, want int) []byte {
	o.t.Helper()
	status, b, header := o.h.do(method, target, token, body)
	if status != want {
		o.t.Fatalf("%s %s: status %d, want %d: %s", method, target, status, want, b)
	}
	o.validate(method, target, status, header, b)
	return b
}

func (o *apiOracle) validate(method, target string, status int, header http.Header, body []byte) {
	o.t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		o.t.Fatal(err)
	}
	req, err := http.NewRequest(method, u.RequestURI(), nil)
	if err != nil {
		o.t.Fatal(err)
	}
	route, params, err := o.router.FindRoute(req)
	if err != nil {
		o.t.Fatalf("%s %s is not in %s: %v", method, u.Path, openAPIFile, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()}}}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		o.t.Errorf("%s %s answered %d, which %s does not describe:\n%v\nbody: %.600s", method, target, status, openAPIFile, err, body)
	}
	id := route.Operation.OperationID
	o.seen[id] = append(o.seen[id], status)
}

// schema returns a component schema of the document.
func (o *apiOracle) schema(name string) *openapi3.Schema {
	o.t.Helper()
	ref := o.doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		o.t.Fatalf("%s has no schema %s", openAPIFile, name)
	}
	return ref.Value
}

// visit validates a decoded JSON value against a component schema.
func (o *apiOracle) visit(name string, v any) error {
	return o.schema(name).VisitJSON(v, openapi3.MultiErrors(), openapi3.DisableSchemaErrorDetails())
}

// checkWebhook validates one delivery: id_webhook_data (absent only from
// the older pushes of the legacy bank's connections), then the rest of the body
// against the schema x-webhooks names for the event. It returns the event
// and what kind of push it was.
func (o *apiOracle) checkWebhook(hk hook, legacy map[int64]bool) (event, kind string) {
	o.t.Helper()
	event = strings.Trim(strings.TrimPrefix(hk.Path, "/webhook/"), "/")
	schemas, _ := o.doc.Extensions["x-webhooks"].(map[string]any)
	name, _ := schemas[event].(string)
	if name == "" {
		o.t.Errorf("webhook %s: %s describes no such event", event, openAPIFile)
		return event, ""
	}
	var body map[string]any
	if err := json.Unmarshal(hk.Body, &body); err != nil {
		o.t.Fatalf("webhook %s: %v", event, err)
	}
	id, ok := body["id_webhook_data"]
	switch conn := connectionOf(event, body); {
	case !ok && legacy[conn]:
		kind = "without id_webhook_data"
	case !ok:
		o.t.Errorf("webhook %s of connection %v has no id_webhook_data", event, conn)
	case legacy[conn]:
		o.t.Errorf("webhook %s of the legacy connection has an id_webhook_data", event)
	default:
		if err := o.visit("IdWebhookData", id); err != nil {
			o.t.Errorf("webhook %s: id_webhook_data: %v", event, err)
		}
	}
	if pt, ok := body["push_type"].(string); ok {
		kind = "push_type=" + pt
	}
	delete(body, "id_webhook_data")
	if err := o.visit(name, body); err != nil {
		o.t.Errorf("webhook %s is not a %s:\n%v\nbody: %.600s", event, name, err, hk.Body)
	}
	return event, kind
}

// TestOpenAPI drives the sandbox through every operation the document
// describes, and through every webhook event, and validates each answer.
func TestOpenAPI(t *testing.T) {
	rc := newReceiver(t)
	events := []string{"user_created", "user_deleted", "connection_synced", "connection_deleted",
		"account_found", "account_enabled", "account_disabled", "accounts_fetched", "account_synced"}
	h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls(events...) })
	o := newAPIOracle(t, h)

	tok := checkAuth(o)
	checkConnectors(o)
	// Nothing is activated yet.
	o.check("GET", "/2.0/users/me/accounts", tok, nil, 409)
	o.check("GET", "/2.0/users/me/transactions?limit=10", tok, nil, 409)
	o.check("GET", "/2.0/users/me/investments", tok, nil, 409)
	demo, otp := checkConnections(o, tok)
	legacy := checkVariants(o, tok)
	accounts := checkAccounts(o, tok, demo)
	checkTransactions(o, tok, accounts)
	checkInvestments(o, tok)
	checkWebauth(o, tok, demo)
	o.check("DELETE", "/2.0/users/me/connections/"+itoa(otp), tok, nil, 204)
	o.check("DELETE", "/2.0/users/me/connections/"+itoa(otp), tok, nil, 404)
	other := h.user()
	o.check("DELETE", "/2.0/users/me", other, nil, 204)
	o.check("DELETE", "/2.0/users/me", other, nil, 401)

	// Unknown routes are not in the document, but still answer a Powens error.
	status, b, _ := h.do("GET", "/2.0/no/such/route", tok, nil)
	var e any
	if err := json.Unmarshal(b, &e); status != 404 || err != nil {
		t.Errorf("unknown route: %d %s", status, b)
	} else if err := o.visit("Error", e); err != nil {
		t.Errorf("unknown route: %v", err)
	}

	t.Run("EveryOperationChecked", func(t *testing.T) {
		for path, item := range o.doc.Paths.Map() {
			for method, op := range item.Operations() {
				if len(o.seen[op.OperationID]) == 0 {
					t.Errorf("%s %s (%s) is described but no answer of it was checked", method, path, op.OperationID)
				}
			}
		}
	})
	t.Run("Webhooks", func(t *testing.T) {
		o := o.with(t)
		waitWebhooksDelivered(t, h)
		got := map[string]int{}
		for _, hk := range rc.wait(t, 1) {
			event, kind := o.checkWebhook(hk, legacy)
			got[event]++
			if kind != "" {
				got[kind]++
			}
		}
		for _, e := range append(events, "push_type=accounts", "push_type=partial_history", "without id_webhook_data") {
			if got[e] == 0 {
				t.Errorf("no %s webhook was delivered to check", e)
			}
		}
		t.Logf("webhooks checked: %v", sortedCounts(got))
	})
	t.Run("RateLimit", func(t *testing.T) { checkRateLimit(t) })
	t.Run("CheckerCatchesErrors", func(t *testing.T) { checkOracleRejects(t, o) })
}

// with returns the oracle reporting to t, for subtests.
func (o *apiOracle) with(t *testing.T) *apiOracle {
	c := *o
	c.t = t
	return &c
}

// object returns a shallow copy of m with the key/value pairs kv set.
func object(m map[string]any, kv ...any) map[string]any {
	out := maps.Clone(m)
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// checkAuth creates users and tokens every way, and returns a permanent token.
func checkAuth(o *apiOracle) string {
	creds := map[string]any{"client_id": "1234", "client_secret": "s3cret"}
	o.check("POST", "/2.0/auth/init", "", nil, 200)
	var init struct {
		AuthToken string `json:"auth_token"`
		IDUser    int64  `json:"id_user"`
	}
	json.Unmarshal(o.check("POST", "/2.0/auth/init", "", creds, 200), &init)
	tok := init.AuthToken
	o.check("POST", "/2.0/auth/init", "", object(creds, "client_secret", "wrong"), 403)
	o.check("GET", "/2.0/users/me", tok, nil, 200)
	o.check("GET", "/2.0/users/me", "not-a-token", nil, 401)
	o.check("GET", "/2.0/auth/token/code", tok, nil, 200)
	var code struct{ Code string }
	json.Unmarshal(o.check("GET", "/2.0/auth/token/code?type=singleAccess", tok, nil, 200), &code)
	o.check("POST", "/2.0/auth/token/access", "", object(creds, "code", code.Code), 200)
	o.check("POST", "/2.0/auth/token/access", "", object(creds, "code", code.Code), 400) // used once already
	renew := object(creds, "grant_type", "client_credentials")
	var renewed struct {
		AccessToken string `json:"access_token"`
	}
	json.Unmarshal(o.check("POST", "/2.0/auth/renew", "", object(renew, "id_user", init.IDUser), 200), &renewed)
	o.check("POST", "/2.0/auth/renew", "", object(renew, "id_user", 999999), 404)
	o.check("POST", "/2.0/auth/renew", "", object(renew, "client_secret", "wrong"), 403)
	o.check("DELETE", "/2.0/auth/token", renewed.AccessToken, nil, 204)
	o.check("DELETE", "/2.0/auth/token", renewed.AccessToken, nil, 401)
	return tok
}

// checkConnectors reads the connectors, which need no token.
func checkConnectors(o *apiOracle) {
	o.check("GET", "/2.0/connectors?expand=sources,fields,urls", "", nil, 200)
	o.check("GET", "/2.0/banks", "", nil, 200)
	o.check("GET", "/2.0/connectors/"+ProBankUUID+"?expand=fields", "", nil, 200)
	o.check("GET", "/2.0/connectors/999", "", nil, 404)
	o.check("GET", "/2.0/connectors/40/fields", "", nil, 200)
	o.check("GET", "/2.0/connectors/40/sources", "", nil, 200)
	o.check("GET", "/2.0/connectors/40/sources/openapi", "", nil, 200)
	o.check("GET", "/2.0/connectors/40/sources/nope", "", nil, 404)
	o.check("GET", "/2.0/publickey", "", nil, 200)
}

// connect creates a connection and returns its id.
func (o *apiOracle) connect(tok string, connector int, login string, want int) int64 {
	var c struct{ ID int64 }
	body := map[string]any{"id_connector": connector, "login": login, "password": "x"}
	json.Unmarshal(o.check("POST", "/2.0/users/me/connections?expand=accounts", tok, body, want), &c)
	return c.ID
}

// checkConnections creates connections in every scripted state and updates
// them; it returns a synced connection and one that waited for an OTP.
func checkConnections(o *apiOracle, tok string) (demo, otp int64) {
	demo = o.connect(tok, 40, "demo", 201)
	otp = o.connect(tok, 40, "2fa", 202)
	for _, login := range []string{"action", "expired", "down", "sca"} {
		o.connect(tok, 40, login, 201)
	}
	decoupled := o.connect(tok, 40, "decoupled", 202)
	o.connect(tok, 40, "demo", 400) // badRequest: the bank waits for the decoupled validation
	o.connect(tok, 40, "wrongpass", 400)
	o.check("POST", "/2.0/users/me/connections", tok, map[string]any{"id_connector": 40, "login": "demo"}, 400)
	o.check("POST", "/2.0/users/me/connections", "", map[string]any{"id_connector": 40}, 401)
	o.check("GET", "/2.0/users/me/connections?expand=connector,sources,accounts,all_accounts", tok, nil, 200)
	o.check("GET", "/2.0/users/me/connections/"+itoa(otp), tok, nil, 200)
	o.check("GET", "/2.0/users/me/connections/999", tok, nil, 404)
	o.check("POST", "/2.0/users/me/connections/"+itoa(otp), tok, map[string]string{"otp": "1"}, 400)
	o.check("POST", "/2.0/users/me/connections/"+itoa(otp)+"?expand=sources", tok, map[string]string{"otp": "123456"}, 200)
	o.check("POST", "/2.0/users/me/connections/"+itoa(decoupled)+"?background", tok, map[string]any{"resume": true}, 202)
	testenv.WaitFor(o.t, time.Minute, "the decoupled validation to end", func() bool {
		_, b, _ := o.h.do("GET", "/2.0/users/me/connections/"+itoa(decoupled), tok, nil)
		return !strings.Contains(string(b), `"validating"`)
	})
	o.check("PUT", "/2.0/users/me/connections/"+itoa(demo)+"?expand=connector", tok, nil, 200)
	o.check("GET", "/2.0/users/me/connections/"+itoa(demo)+"/sources", tok, nil, 200)
	return demo, otp
}

// checkAccounts activates the accounts of conn, reads and updates them, and
// returns their ids by account type.
func checkAccounts(o *apiOracle, tok string, conn int64) map[string]int64 {
	var all struct {
		Accounts []struct {
			ID   int64
			Type string
		}
	}
	json.Unmarshal(o.check("GET", "/2.0/users/me/connections/"+itoa(conn)+"/accounts?all", tok, nil, 200), &all)
	var ids []string
	byType := map[string]int64{}
	for _, a := range all.Accounts {
		ids = append(ids, itoa(a.ID))
		byType[a.Type] = a.ID
	}
	o.check("GET", "/2.0/users/me/connections/"+itoa(conn)+"/accounts", tok, nil, 409)
	o.check("PUT", "/2.0/users/me/connections/"+itoa(conn)+"/accounts/"+strings.Join(ids, ",")+"?all", tok,
		map[string]bool{"disabled": false}, 200)
	o.check("PUT", "/2.0/users/me/connections/"+itoa(conn)+"/accounts/999?all", tok, map[string]bool{"disabled": false}, 404)
	o.check("GET", "/2.0/users/me/accounts", tok, nil, 200)
	o.check("GET", "/2.0/users/me/accounts?all", tok, nil, 200)
	o.check("GET", "/2.0/users/me/accounts/"+itoa(byType["loan"]), tok, nil, 200)
	o.check("GET", "/2.0/users/me/accounts/999", tok, nil, 404)
	o.check("POST", "/2.0/users/me/accounts/"+itoa(byType["loan"]), tok, map[string]string{"name": "Mon prêt"}, 200)
	o.check("POST", "/2.0/users/me/accounts/"+itoa(byType["savings"]), tok, map[string]bool{"disabled": true}, 200)
	return byType
}

// checkTransactions reads pages, one account, one transaction and an empty result.
func checkTransactions(o *apiOracle, tok string, accounts map[string]int64) {
	var page struct {
		Transactions []struct{ ID int64 }
		Links        struct{ Next *struct{ Href string } } `json:"_links"`
	}
	json.Unmarshal(o.check("GET", "/2.0/users/me/transactions?limit=5", tok, nil, 200), &page)
	if page.Links.Next == nil || len(page.Transactions) == 0 {
		o.t.Fatal("the first page of 5 transactions has no next page")
	}
	o.check("GET", page.Links.Next.Href, tok, nil, 200)
	o.check("GET", "/2.0/users/me/transactions?limit=1000&all", tok, nil, 200)
	o.check("GET", "/2.0/users/me/transactions?limit=10&min_date=2099-01-01", tok, nil, 200)
	o.check("GET", "/2.0/users/me/transactions?limit=0", tok, nil, 400)
	o.check("GET", "/2.0/users/me/accounts/"+itoa(accounts["checking"])+"/transactions?limit=10", tok, nil, 200)
	o.check("GET", "/2.0/users/me/accounts/999/transactions?limit=10", tok, nil, 404)
	o.check("GET", "/2.0/users/me/transactions/"+itoa(page.Transactions[0].ID), tok, nil, 200)
	o.check("GET", "/2.0/users/me/transactions/999999", tok, nil, 404)
}

// checkInvestments reads the positions of the life-insurance connector.
func checkInvestments(o *apiOracle, tok string) {
	wealth := o.connect(tok, 42, "demo", 201)
	o.h.activate(tok, wealth)
	var list struct{ Accounts []struct{ ID int64 } }
	json.Unmarshal(o.check("GET", "/2.0/users/me/connections/"+itoa(wealth)+"/accounts", tok, nil, 200), &list)
	o.check("GET", "/2.0/users/me/investments", tok, nil, 200)
	o.check("GET", "/2.0/users/me/accounts/"+itoa(list.Accounts[0].ID)+"/investments", tok, nil, 200)
}

// checkWebauth asks for a webauth URL, then follows it as a browser would.
func checkWebauth(o *apiOracle, tok string, synced int64) {
	var wa struct{ URL string }
	q := url.Values{"client_id": {"1234"}, "redirect_uri": {"https://app.example/callback"}}
	json.Unmarshal(o.check("GET", "/2.0/webauth-url?"+q.Encode()+"&id_connector=40", tok, nil, 200), &wa)
	o.check("GET", wa.URL, "", nil, 307)
	o.check("GET", wa.URL, "", nil, 401) // its code was single-use
	o.check("GET", "/2.0/webauth-url?"+q.Encode()+"&id_connection="+itoa(synced), tok, nil, 409)
	o.check("GET", "/2.0/webauth-url?"+q.Encode()+"&id_connection=999", tok, nil, 404)
	o.check("GET", "/2.0/webauth-url?client_id=1234&id_connector=40", tok, nil, 400)
}

func sortedCounts(m map[string]int) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&b, "%s=%d ", k, m[k])
	}
	return strings.TrimSpace(b.String())
}
