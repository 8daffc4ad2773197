package powens

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestValidJSON(t *testing.T) {
	for _, s := range []string{
		`{}`, `[]`, `""`, `0`, `-0.5e+10`, `true`, ` null `, `{"a": [1, {"b": "\u00e9\n"}]}`, "\"\xff\"",
		`{`, `}`, `[1,]`, `{"a":1,}`, `01`, `1.`, `-`, `.5`, `1e`, `"\x"`, `"\u12g4"`, "\"a\nb\"", `tru`, `nul`,
		`{"a" 1}`, `{1: 2}`, `[1 2]`, `{} {}`, ``, ` `, `"`, `"\`, strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	} {
		if got, want := validJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Errorf("validJSON(%q)=%v, json.Valid=%v", s, got, want)
		}
	}
}

func FuzzValidJSON(f *testing.F) {
	if b, err := os.ReadFile("../ingest/testdata/connection_synced.json"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{`{"a": [1, -2.5e3, "x\u0041", true, null]}`, `[{]`, `"\ud800"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validJSON(b), json.Valid(b); got != want {
			t.Fatalf("validJSON(%q)=%v, json.Valid=%v", b, got, want)
		}
	})
}

func BenchmarkValidJSON(b *testing.B) {
	body, err := os.ReadFile("../ingest/testdata/connection_synced.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.Run("freenahi", func(b *testing.B) {
		for range b.N {
			validJSON(body)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for range b.N {
			json.Valid(body)
		}
	})
}
