package powens_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The contract documents in testdata/contract are JSON bodies written by
// hand from Powens' documentation (see their README): an oracle for the
// client, and later for ingestion and the webhook receiver, that owes nothing
// to the client's types or to the sandbox's.

const (
	contractDir = "testdata/contract"
	contractAPI = "sandbox/testdata/powens-sandbox.openapi.yaml"
)

// contractSchemas names, for each document, the component schema it is an
// instance of; "" picks the listUserConnections answer.
var contractSchemas = map[string]string{
	"connection-synced.json":        "ConnectionSynced",
	"connection-synced-older.json":  "ConnectionSynced",
	"account-synced.json":           "AccountSynced",
	"accounts-fetched.json":         "AccountsFetched",
	"connections-list.json":         "",
	"transactions-page.json":        "TransactionsList",
	"accounts-list.json":            "BankAccountsList",
	"investments.json":              "InvestmentsList",
	"loan-account.json":             "BankAccount",
	"connector.json":                "Connector",
	"error.json":                    "Error",
	"error-bug.json":                "Error",
	"error-unauthorized-older.json": "LegacyError",
	"error-authfailure-older.json":  "LegacyError",
}

// notInDocuments are the schema properties no contract document carries,
// with the reason.
var notInDocuments = map[string]string{
	"Connection.all_accounts":    "an expansion of connection answers; accounts has the same shape",
	"Connection.accounts":        "present in the webhook documents, not in the connection list",
	"ConnectionSynced.push_type": "not in Powens' documentation (issue 9 reports it); the sandbox's partial login sends it",
	"BankAccount.push_type":      "not in Powens' documentation (issue 9 reports it); the sandbox's partial login sends it",
	"Connection.connector":       "present in the webhook documents",
	"Connection.sources":         "present in the webhook documents",
	"BankAccount.transactions":   "present in the webhook documents",
	"BankAccount.investments":    "present in the webhook documents",
	"BankAccount.market_orders":  "present in the webhook documents",
	"BankAccount.recipients":     "present in the webhook documents",
	"BankAccount.transfers":      "present in the webhook documents",
}

// neverNullInDocuments are the nullable schema properties no contract
// document sets to null, with the reason.
var neverNullInDocuments = map[string]string{
	"Connection.accounts":              "expansions are absent, not null, when not asked for",
	"Connection.connector":             "expansions are absent, not null, when not asked for",
	"Connection.sources":               "expansions are absent, not null, when not asked for",
	"TransactionsList.first_date":      "documented as required; the documentation says nothing of an empty list",
	"TransactionsList.last_date":       "documented as required; the documentation says nothing of an empty list",
	"TransactionsList.result_min_date": "documented as required; the documentation says nothing of an empty list",
	"TransactionsList.result_max_date": "documented as required; the documentation says nothing of an empty list",
}

// contractDoc reads and decodes one document.
func contractDoc(tb testing.TB, name string) ([]byte, any) {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(contractDir, name))
	if err != nil {
		tb.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatalf("%s is not JSON: %v", name, err)
	}
	return b, v
}

func TestContractDocuments_Schema(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile(contractAPI)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(contractDir, "*.json"))
	if len(files) != len(contractSchemas) {
		t.Errorf("%d documents in %s, %d named in contractSchemas", len(files), contractDir, len(contractSchemas))
	}
	cov := newCoverage(doc)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range contractSchemas {
			if !yield(k) {
				return
			}
		}
	}) {
		_, v := contractDoc(t, name)
		s := schemaFor(t, doc, contractSchemas[name])
		if m, ok := v.(map[string]any); ok && (contractSchemas[name] == "ConnectionSynced" ||
			contractSchemas[name] == "AccountSynced" || contractSchemas[name] == "AccountsFetched") {
			// Webhook bodies carry the delivery id (absent from older pushes) beside the documented object.
			if id, ok := m["id_webhook_data"]; ok {
				if err := doc.Components.Schemas["IdWebhookData"].Value.VisitJSON(id); err != nil {
					t.Errorf("%s: id_webhook_data: %v", name, err)
				}
			}
			delete(m, "id_webhook_data")
		}
		if err := s.VisitJSON(v, openapi3.MultiErrors()); err != nil {
			t.Errorf("%s is not a valid %s:\n%v", name, contractSchemas[name], err)
		}
		cov.walk(s, v)
	}
	for _, problem := range cov.gaps() {
		t.Error(problem)
	}
	t.Run("CoverageCatchesGaps", func(t *testing.T) {
		// One error body alone leaves every enum value and most fields unseen.
		partial := newCoverage(doc)
		_, v := contractDoc(t, "error-bug.json")
		partial.walk(schemaFor(t, doc, "Error"), v)
		if gaps := partial.gaps(); len(gaps) < 3 {
			t.Fatalf("a lone error body left only %d gaps: %v", len(gaps), gaps)
		}
	})
}

// schemaFor returns a component schema, or for "" the listUserConnections answer's.
func schemaFor(tb testing.TB, doc *openapi3.T, name string) *openapi3.Schema {
	tb.Helper()
	if name == "" {
		op := doc.Paths.Find("/users/me/connections").Get
		return op.Responses.Status(200).Value.Content["application/json"].Schema.Value
	}
	ref := doc.Components.Schemas[name]
	if ref == nil {
		tb.Fatalf("%s has no schema %s", contractAPI, name)
	}
	return ref.Value
}

// coverage records which properties of the named schemas the documents
// carry, which of them are null somewhere, and which enum values appear.
type coverage struct {
	names   map[*openapi3.Schema]string
	visited map[string]*openapi3.Schema
	present map[string]bool // "Schema.property"
	null    map[string]bool
	values  map[string]map[string]bool // enum schema → values seen
}

func newCoverage(doc *openapi3.T) *coverage {
	c := &coverage{names: map[*openapi3.Schema]string{}, visited: map[string]*openapi3.Schema{},
		present: map[string]bool{}, null: map[string]bool{}, values: map[string]map[string]bool{}}
	for name, ref := range doc.Components.Schemas {
		c.names[ref.Value] = name
	}
	return c
}

func (c *coverage) walk(s *openapi3.Schema, v any) {
	name := c.names[s]
	if len(s.Enum) > 0 && name != "" {
		if c.values[name] == nil {
			c.values[name] = map[string]bool{}
		}
		c.values[name][fmt.Sprint(v)] = true
	}
	for _, sub := range s.AllOf {
		c.walk(sub.Value, v)
	}
	for _, sub := range s.OneOf {
		if sub.Value.VisitJSON(v) == nil {
			c.walk(sub.Value, v)
		}
	}
	switch v := v.(type) {
	case map[string]any:
		if name != "" && len(s.Properties) > 0 {
			c.visited[name] = s
		}
		for p, ref := range s.Properties {
			val, ok := v[p]
			if !ok {
				continue
			}
			c.present[name+"."+p] = true
			if val == nil {
				c.null[name+"."+p] = true
			}
			c.walk(ref.Value, val)
		}
	case []any:
		if s.Items != nil {
			for _, x := range v {
				c.walk(s.Items.Value, x)
			}
		}
	}
}

// gaps lists documented properties never present, nullable ones never
// null, and the enum values of transaction types and connection states
// that appear nowhere.
func (c *coverage) gaps() []string {
	var absent, neverNull, out []string
	for name, s := range c.visited {
		for p, ref := range s.Properties {
			key := name + "." + p
			if !c.present[key] && notInDocuments[key] == "" {
				absent = append(absent, key)
			}
			if ref.Value.Nullable && c.present[key] && !c.null[key] && neverNullInDocuments[key] == "" {
				neverNull = append(neverNull, key)
			}
		}
	}
	sort.Strings(absent)
	sort.Strings(neverNull)
	if len(absent) > 0 {
		out = append(out, fmt.Sprintf("documented fields no contract document carries: %v", absent))
	}
	if len(neverNull) > 0 {
		out = append(out, fmt.Sprintf("nullable fields null in no contract document: %v", neverNull))
	}
	for _, enum := range []string{"TransactionType", "ConnectionState"} {
		s := c.visited[enum]
		if s == nil {
			s = findSchema(c.names, enum)
		}
		for _, want := range s.Enum {
			if !c.values[enum][fmt.Sprint(want)] {
				out = append(out, fmt.Sprintf("%s %v appears in no contract document", enum, want))
			}
		}
	}
	return out
}

func findSchema(names map[*openapi3.Schema]string, name string) *openapi3.Schema {
	for s, n := range names {
		if n == name {
			return s
		}
	}
	return nil
}
