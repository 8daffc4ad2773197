package main

import (
	"strings"
	"testing"
)

func TestImportCommand(t *testing.T) {
	tm, _, _ := newExportMain(t)
	csv := "../../bankfile/testdata/bank-fr-1252.csv"
	out := tm.run("", "import", "--new-account", "Ancien compte", "--dry-run", csv)
	if !strings.Contains(out, "csv: would import 3 transaction(s)") {
		t.Fatalf("dry run: %s", out)
	}
	out = tm.run("", "import", "--new-account", "Ancien compte", csv)
	if !strings.Contains(out, "csv: imported 3 transaction(s) into account") || !strings.Contains(out, "3 line(s) left out") {
		t.Fatalf("import: %s", out)
	}
	id := strings.Fields(strings.SplitAfter(out, "into account ")[1])[0]
	out = tm.run("", "import", "--account", id, csv)
	if !strings.Contains(out, "imported 0 transaction(s)") || !strings.Contains(out, "3 already there") {
		t.Fatalf("re-import: %s", out)
	}
	out = tm.run("", "import", "--account", id, "../../bankfile/testdata/sgml-v102.ofx")
	if !strings.Contains(out, "ofx: imported 2 transaction(s)") {
		t.Fatalf("OFX: %s", out)
	}
	for _, args := range [][]string{
		{"import", csv},
		{"import", "--account", id, "--new-account", "X", csv},
		{"import", "--account", id, "../../bankfile/testdata/xml-v220.ofx"}, // USD into EUR
		{"import", "--account", id, "no-such-file.csv"},
	} {
		if err := tm.runErr("", args...); err == nil {
			t.Errorf("freenahi %s: no error", strings.Join(args, " "))
		}
	}
}
