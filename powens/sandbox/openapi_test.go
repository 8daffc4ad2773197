package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// openAPIDir locates Powens' OpenAPI files: $FREENAHI_POWENS_OPENAPI_DIR,
// else shared/powens-openapi beside the repository.
func openAPIDir(t *testing.T) string {
	dir := os.Getenv("FREENAHI_POWENS_OPENAPI_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "powens-openapi")
	}
	if _, err := os.Stat(filepath.Join(dir, "powens-api.yml")); err != nil {
		t.Skipf("Powens OpenAPI files not found in %s (set FREENAHI_POWENS_OPENAPI_DIR): %v", dir, err)
	}
	return dir
}

// spec is the OpenAPI document split across files, with a validator for
// the JSON Schema subset they use.
type spec struct {
	dir   string
	files map[string]any
}

func (s *spec) file(name string) (any, error) {
	if doc, ok := s.files[name]; ok {
		return doc, nil
	}
	b, err := os.ReadFile(filepath.Join(s.dir, name))
	if err != nil {
		return nil, err
	}
	doc, err := parseYAML(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s.files[name] = doc
	return doc, nil
}

// resolve follows "file.yml#/json/pointer" relative to the current file.
func (s *spec) resolve(cur, ref string) (string, any, error) {
	name, ptr, _ := strings.Cut(ref, "#")
	name = strings.TrimPrefix(name, "./")
	if name == "" {
		name = cur
	}
	node, err := s.file(name)
	if err != nil {
		return "", nil, err
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if tok == "" {
			continue
		}
		tok, _ = url.PathUnescape(strings.NewReplacer("~1", "/", "~0", "~").Replace(tok))
		m, ok := node.(map[string]any)
		if !ok || m[tok] == nil {
			return "", nil, fmt.Errorf("%s: %s not found", name, ref)
		}
		node = m[tok]
	}
	return name, node, nil
}

// responseSchema finds the JSON schema of an operation's response.
func (s *spec) responseSchema(path, method string, status int) (string, any, error) {
	file, item, err := s.resolve("powens-api.yml", "#/paths/"+strings.ReplaceAll(path, "/", "~1"))
	if err != nil {
		return "", nil, err
	}
	if ref, ok := item.(map[string]any)["$ref"].(string); ok {
		if file, item, err = s.resolve(file, ref); err != nil {
			return "", nil, err
		}
	}
	op, _ := item.(map[string]any)[strings.ToLower(method)].(map[string]any)
	responses, _ := op["responses"].(map[string]any)
	resp := responses[strconv.Itoa(status)]
	if resp == nil && status/100 == 2 {
		resp = responses["200"] // 201 and 202 answers have the 200 body
	}
	if resp == nil {
		return "", nil, nil // undocumented status: nothing to check
	}
	if ref, ok := resp.(map[string]any)["$ref"].(string); ok {
		if file, resp, err = s.resolve(file, ref); err != nil {
			return "", nil, err
		}
	}
	content, _ := resp.(map[string]any)["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	return file, media["schema"], nil
}

// validate checks v against schema; oneOf is read as anyOf, since several
// of these schemas (an enum or any string) overlap on purpose.
func (s *spec) validate(file string, schema any, v any, at string) []string {
	sc, ok := schema.(map[string]any)
	if !ok {
		return nil
	}
	if ref, ok := sc["$ref"].(string); ok {
		f, target, err := s.resolve(file, ref)
		if err != nil {
			return []string{at + ": " + err.Error()}
		}
		return s.validate(f, target, v, at)
	}
	var errs []string
	for _, sub := range list(sc["allOf"]) {
		errs = append(errs, s.validate(file, sub, v, at)...)
	}
	if alts := append(list(sc["oneOf"]), list(sc["anyOf"])...); len(alts) > 0 {
		var first []string
		for i, sub := range alts {
			e := s.validate(file, sub, v, at)
			if len(e) == 0 {
				first = nil
				break
			}
			if i == 0 {
				first = e
			}
		}
		errs = append(errs, first...)
	}
	types := list(sc["type"])
	if t, ok := sc["type"].(string); ok {
		types = []any{t}
	} else if t, present := sc["type"]; present && t == nil {
		types = []any{nil} // "type: null", OpenAPI 3.1 style
	}
	if v == nil {
		// A null in a type list reads as YAML null or as the string "null".
		if sc["nullable"] == true || slices.Contains(types, any("null")) || slices.Contains(types, nil) || len(types) == 0 {
			return errs
		}
		return append(errs, at+": null is not allowed")
	}
	if len(types) > 0 && !slices.ContainsFunc(types, func(t any) bool { return typeOK(t, v) }) {
		return append(errs, fmt.Sprintf("%s: %v is not of type %v", at, v, types))
	}
	if enum := list(sc["enum"]); len(enum) > 0 && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
	}
	if n, ok := v.(json.Number); ok && sc["minimum"] != nil {
		if f, _ := n.Float64(); f < float64(sc["minimum"].(int64)) {
			errs = append(errs, fmt.Sprintf("%s: %v is below the minimum %v", at, n, sc["minimum"]))
		}
	}
	if str, ok := v.(string); ok {
		if pat, ok := sc["pattern"].(string); ok {
			if re, err := regexp.Compile(pat); err == nil && !re.MatchString(str) {
				errs = append(errs, fmt.Sprintf("%s: %q does not match %s", at, str, pat))
			}
		}
		if sc["format"] == "date" {
			if _, err := time.Parse(time.DateOnly, str); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %q is not a date", at, str))
			}
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := sc["properties"].(map[string]any)
		for _, r := range list(sc["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				errs = append(errs, fmt.Sprintf("%s: missing required %q", at, r))
			}
		}
		for k, val := range obj {
			switch sub := props[k]; {
			case sub != nil:
				errs = append(errs, s.validate(file, sub, val, at+"."+k)...)
			case sc["additionalProperties"] == false:
				errs = append(errs, fmt.Sprintf("%s: unexpected %q", at, k))
			case sc["additionalProperties"] != nil:
				errs = append(errs, s.validate(file, sc["additionalProperties"], val, at+"."+k)...)
			}
		}
	}
	if arr, ok := v.([]any); ok {
		for i, item := range arr {
			errs = append(errs, s.validate(file, sc["items"], item, fmt.Sprintf("%s[%d]", at, i))...)
		}
	}
	return errs
}

func list(v any) []any { l, _ := v.([]any); return l }

func typeOK(t any, v any) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		_, err := strconv.ParseInt(n.String(), 10, 64)
		return ok && err == nil
	case "number":
		_, ok := v.(json.Number)
		return ok
	}
	return false
}

func TestOpenAPI(t *testing.T) {
	sp := &spec{dir: openAPIDir(t), files: map[string]any{}}
	h := newHarness(t, nil)
	tok := h.user()
	c := h.connect(tok, "demo", 201)
	h.activate(tok, c.ID)
	acct := h.accounts(tok, c.ID)[3] // the loan, with its schedule
	var code struct{ Code string }
	h.call("GET", "/2.0/auth/token/code", tok, nil, 200, &code)
	otp := h.connect(tok, "2fa", 202)
	cases := []struct {
		method, url, path string
		body              any
	}{
		{"POST", "/2.0/auth/init", "/auth/init", map[string]string{"client_id": "1234", "client_secret": "s3cret"}},
		{"POST", "/2.0/auth/init", "/auth/init", nil},
		{"GET", "/2.0/auth/token/code", "/auth/token/code", nil},
		{"POST", "/2.0/auth/token/access", "/auth/token/access", map[string]string{"client_id": "1234", "client_secret": "s3cret", "code": code.Code}},
		{"POST", "/2.0/auth/renew", "/auth/renew", map[string]any{"grant_type": "client_credentials", "client_id": "1234", "client_secret": "s3cret", "id_user": 1}},
		{"GET", "/2.0/users/me", "/users/me", nil},
		{"GET", "/2.0/connectors?expand=sources,fields", "/connectors", nil},
		{"GET", "/2.0/connectors/41?expand=fields", "/connectors/{connectorId}", nil},
		{"POST", "/2.0/users/me/connections", "/users/me/connections", map[string]any{"id_connector": 41, "website": "pro", "login": "demo", "password": "x"}},
		{"POST", "/2.0/users/me/connections", "/users/me/connections", map[string]any{"id_connector": 40, "login": "wrongpass", "password": "x"}},
		{"GET", "/2.0/users/me/connections?expand=connector,sources,accounts,all_accounts", "/users/me/connections", nil},
		{"GET", "/2.0/users/me/connections/" + itoa(otp.ID), "/users/me/connections/{connectionId}", nil},
		{"POST", "/2.0/users/me/connections/" + itoa(otp.ID), "/users/me/connections/{connectionId}", map[string]string{"otp": "1"}},
		{"POST", "/2.0/users/me/connections/" + itoa(c.ID) + "?expand=accounts", "/users/me/connections/{connectionId}", nil},
		{"GET", "/2.0/users/me/accounts?all", "/users/me/accounts", nil},
		{"GET", "/2.0/users/me/accounts/" + itoa(acct.ID), "/users/me/accounts/{accountId}", nil},
		{"POST", "/2.0/users/me/accounts/" + itoa(acct.ID), "/users/me/accounts/{accountId}", map[string]string{"name": "Mon prêt"}},
		{"GET", "/2.0/users/me/transactions?limit=1000", "/users/me/transactions", nil},
		{"GET", "/2.0/users/me/transactions?limit=5&all&min_date=2025-02", "/users/me/transactions", nil},
	}
	checked := 0
	for _, tc := range cases {
		status, body, _ := h.do(tc.method, tc.url, tok, tc.body)
		file, schema, err := sp.responseSchema(tc.path, tc.method, status)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.method, tc.path, err)
		}
		if schema == nil {
			t.Errorf("%s %s: status %d has no documented JSON body", tc.method, tc.url, status)
			continue
		}
		d := json.NewDecoder(bytes.NewReader(body))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			t.Fatalf("%s %s: %v", tc.method, tc.url, err)
		}
		for _, e := range sp.validate(file, schema, v, "$") {
			t.Errorf("%s %s (%d): %s", tc.method, tc.url, status, e)
		}
		checked++
	}
	t.Logf("%d responses validated against %s", checked, sp.dir)

	t.Run("WebhookConnection", func(t *testing.T) {
		rc := newReceiver(t)
		h := newHarness(t, func(c *Config) { c.WebhookURLs = rc.urls("connection_synced") })
		tok := h.user()
		h.activate(tok, h.connect(tok, "demo", 201).ID)
		d := json.NewDecoder(bytes.NewReader(rc.wait(t, 2)[1].Body))
		d.UseNumber()
		var body map[string]any
		if err := d.Decode(&body); err != nil {
			t.Fatal(err)
		}
		// The connection of CONNECTION_SYNCED is a Connection; its accounts
		// are BankAccounts with transactions, which Connection allows.
		schema := map[string]any{"$ref": "connections.yml#/components/schemas/Connection"}
		for _, e := range sp.validate("powens-api.yml", schema, body["connection"], "$.connection") {
			t.Error(e)
		}
		tx := map[string]any{"$ref": "bank-transactions.yml#/components/schemas/Transaction"}
		for _, a := range body["connection"].(map[string]any)["accounts"].([]any) {
			for i, v := range list(a.(map[string]any)["transactions"]) {
				for _, e := range sp.validate("powens-api.yml", tx, v, fmt.Sprintf("$.transactions[%d]", i)) {
					t.Error(e)
				}
			}
		}
	})

	t.Run("CheckerCatchesErrors", func(t *testing.T) {
		file, schema, _ := sp.responseSchema("/users/me/connections/{connectionId}", "GET", 200)
		bad := map[string]any{"id": json.Number("0"), "id_connector": "40", "state": "nope", "active": true}
		if errs := sp.validate(file, schema, bad, "$"); len(errs) < 3 {
			t.Fatalf("invalid connection gave only %v", errs)
		}
	})
}
