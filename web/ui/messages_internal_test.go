package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/locale"
	"github.com/freenahi/freenahi/web/respond"
)

// TestMessages_Used checks that every key the templates and handlers name,
// and every key built from a state, group or code, has a text.
func TestMessages_Used(t *testing.T) {
	keys := map[string]bool{}
	literal := regexp.MustCompile(`(?:\bt |\.T\(|label: |Title: |Flash: )"([a-z_]+\.[a-z_.]+)"|"((?:flash|job|problem|form)\.[a-z_]+)"`)
	for _, pattern := range []string{"templates/*.html", "*.go", "../../aggregator/*.go", "../../export/*.go"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
				if k := m[1] + m[2]; !strings.HasSuffix(k, ".") { // a prefix completed at run time
					keys[k] = true
				}
			}
		}
	}
	for _, g := range freenahi.AccountGroups {
		keys["group."+string(g)] = true
	}
	for _, st := range []freenahi.ConnectionState{"", "SCARequired", "webauthRequired", "additionalInformationNeeded", "decoupled",
		"validating", "actionNeeded", "passwordExpired", "wrongpass", "rateLimiting", "websiteUnavailable", "bug", "notSupported", "someday"} {
		keys["screen."+screenOf(st)] = true
		keys["kind."+string(st.Kind())] = true
		if screenOf(st) == screenTransient {
			keys["state."+string(st)] = true
		}
	}
	// Every account type Powens documents (and those GroupOf knows), every
	// connector capability and source it documents has words of its own.
	for _, typ := range []string{"article83", "capitalisation", "card", "cat", "cel", "checking", "crowdlending", "csl",
		"deposit", "joint", "ldds", "lifeinsurance", "livret_a", "livret_b", "loan", "madelin", "market", "pea", "pee",
		"pel", "per", "perco", "perp", "real_estate", "rsp", "savings", "unknown", "lep", "mortgage", "consumercredit",
		"revolvingcredit", "other"} {
		keys["type."+typ] = true
	}
	for _, c := range []string{"bank", "bankwealth", "transfer", "document", "profile", "contact"} {
		keys["capability."+c] = true
	}
	for _, src := range []string{"directaccess", "openapi", "other"} {
		keys["source."+src] = true
	}
	for _, code := range respond.Codes() {
		keys["error.title."+code] = true
	}
	for _, p := range append(problemKeys, "generic") {
		keys["problem."+p] = true
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys; is the pattern still right?", len(keys))
	}
	for k := range keys {
		if !locale.Has(k) {
			t.Errorf("no message for key %q", k)
		}
	}
}
