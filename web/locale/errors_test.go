package locale

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
)

// domainMessages finds the message formats of every domain error the
// product can return to a person: the literal format of each call to
// freenahi.Errorf and freenahi.FieldErrorf outside tests, the command line
// (English by design) and the local sandboxes.
func domainMessages(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, c := range domainCalls(t) {
		out[c.format] = c.where
	}
	return out
}

// domainCall is one call to freenahi.Errorf or freenahi.FieldErrorf.
type domainCall struct {
	where, format string
	// field is FieldErrorf's literal field name; "" for Errorf or a name
	// known only at run time.
	field string
}

// domainCalls finds the calls domainMessages reads.
func domainCalls(t *testing.T) []domainCall {
	t.Helper()
	root := filepath.Join("..", "..")
	var out []domainCall
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			switch rel {
			case "cmd", "scripts", filepath.Join("powens", "sandbox"), filepath.Join("inqom", "sandbox"), ".git", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rootPkg := f.Name.Name == "freenahi"
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "freenahi" {
					name = fn.Sel.Name
				}
			case *ast.Ident:
				if rootPkg {
					name = fn.Name
				}
			}
			if (name != "Errorf" && name != "FieldErrorf") || len(call.Args) < 2 {
				return true
			}
			where := fset.Position(call.Pos()).String()
			lit, ok := call.Args[1].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: the message of %s is not a literal, so it cannot be translated", where, name)
				return true
			}
			format, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			c := domainCall{where: where, format: format}
			if f, ok := call.Args[0].(*ast.BasicLit); ok && name == "FieldErrorf" && f.Kind == token.STRING {
				c.field, _ = strconv.Unquote(f.Value)
			}
			out = append(out, c)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestErrorMessages_Complete fails when a domain error a person may read
// has no French text, or when its French text does not take the same verbs.
func TestErrorMessages_Complete(t *testing.T) {
	found := domainMessages(t)
	if len(found) < 50 {
		t.Fatalf("found only %d messages; is the scan still right?", len(found))
	}
	for format, where := range found {
		fr, ok := errorMessages[format]
		if !ok {
			t.Errorf("%s: no French for %q", where, format)
			continue
		}
		if verbs(format) != verbs(fr) {
			t.Errorf("%s: the French of %q takes other verbs: %q", where, format, fr)
		}
	}
	for format := range errorMessages {
		if _, ok := found[format]; !ok {
			t.Errorf("errorMessages has %q, which no code uses any more", format)
		}
	}
}

// TestErrorMessages_FieldLabels fails when a field error that is a
// fragment ("is required") names a field that has no label to follow.
func TestErrorMessages_FieldLabels(t *testing.T) {
	n := 0
	for _, c := range domainCalls(t) {
		if c.field == "" || !isFragment(c.format) {
			continue
		}
		n++
		if !Has("field." + c.field) {
			t.Errorf("%s: no label field.%s for the fragment %q", c.where, c.field, c.format)
		}
	}
	if n < 10 {
		t.Fatalf("found only %d fragments; is the scan still right?", n)
	}
	fr := New("fr", nil)
	err := freenahi.FieldErrorf("limit", "must be between 1 and %d", 200)
	if got, want := fr.Err(err), "Taille de page\u00a0: doit être compris entre 1 et 200"; got != want {
		t.Errorf("fr Err=%q, want %q", got, want)
	}
	if got, want := New("en", nil).Err(err), "Page size: must be between 1 and 200"; got != want {
		t.Errorf("en Err=%q, want %q", got, want)
	}
}

// verbs lists a format's verbs in order, e.g. "%d%s".
func verbs(format string) string {
	var b strings.Builder
	for i := 0; i < len(format)-1; i++ {
		if format[i] == '%' {
			j := i + 1
			for j < len(format) && strings.ContainsRune("+-# 0123456789.", rune(format[j])) {
				j++
			}
			if j < len(format) {
				b.WriteString(format[i : j+1])
			}
			i = j
		}
	}
	return b.String()
}
