package bankfile_test

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/freenahi/freenahi/bankfile"
)

// fuzzFormat feeds hostile bytes to one format's parser: it must never
// panic, and what it returns must hold what the store relies on: valid
// UTF-8 wordings of bounded length, non-empty keys unique in the file, and
// entries that point at a line of the file.
func fuzzFormat(f *testing.F, format bankfile.Format, seeds ...string) {
	for _, s := range seeds {
		b, err := os.ReadFile(filepath.Join("testdata", s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := bankfile.Parse(data, bankfile.Options{Format: format})
		if err != nil {
			return
		}
		keys := map[string]bool{}
		for _, e := range file.Entries {
			if !utf8.ValidString(e.Wording) || utf8.RuneCountInString(e.Wording) > 300 {
				t.Fatalf("wording %q", e.Wording)
			}
			if e.Key == "" || keys[e.Key] && e.ID == "" {
				t.Fatalf("key %q empty or repeated", e.Key)
			}
			keys[e.Key] = true
			if e.Line < 0 || e.Line > len(data)+1 {
				t.Fatalf("line %d of a %d-byte file", e.Line, len(data))
			}
		}
		if len(file.Entries) > bankfile.MaxEntries {
			t.Fatalf("%d entries", len(file.Entries))
		}
	})
}

func FuzzParseOFX(f *testing.F) { fuzzFormat(f, bankfile.OFX, "sgml-v102.ofx", "xml-v220.ofx") }
func FuzzParseQIF(f *testing.F) { fuzzFormat(f, bankfile.QIF, "quicken-us.qif", "french.qif") }
func FuzzParseCSV(f *testing.F) { fuzzFormat(f, bankfile.CSV, "bank-fr-1252.csv", "export-en-bom.csv") }
func FuzzParseCFONB(f *testing.F) {
	f.Add([]byte(cfonbSeed))
	fuzzFormat(f, bankfile.CFONB)
}
