package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestStatusWriter_WriteString: text written as a string reaches the
// writer beneath as a string (no copy into a byte slice), and counts in
// the logged size and status like bytes do.
func TestStatusWriter_WriteString(t *testing.T) {
	rec := httptest.NewRecorder()
	w := &statusWriter{ResponseWriter: rec}
	if _, ok := any(w).(io.StringWriter); !ok {
		t.Fatal("statusWriter does not take strings: io.WriteString copies every page into a byte slice")
	}
	io.WriteString(w, "<main>"+strings.Repeat("é", 10)+"</main>")
	w.Write([]byte("\n"))
	if got, want := rec.Body.String(), "<main>"+strings.Repeat("é", 10)+"</main>\n"; got != want {
		t.Fatalf("body %q, want %q", got, want)
	}
	if w.n != 34 || !w.wrote || w.status() != http.StatusOK {
		t.Fatalf("size %d, wrote %v, status %d; want 34, true, 200", w.n, w.wrote, w.status())
	}
}
