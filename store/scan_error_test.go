package store

import (
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
)

func TestErrorText(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		e := freenahi.Errorf(freenahi.ECONFLICT, "Inqom refused the file (%s): “%s”", "HTTP 400", "Relevé refusé")
		var got *freenahi.Error
		if err := (errorVal{&got}).Scan(errorText(e)); err != nil {
			t.Fatal(err)
		}
		if got.Code != e.Code || got.Message != e.Message || got.Key != e.Key || len(got.Args) != 2 || got.Args[1] != "Relevé refusé" {
			t.Fatalf("read back %+v, want %+v", got, e)
		}
	})
	t.Run("None", func(t *testing.T) {
		got := &freenahi.Error{}
		if err := (errorVal{&got}).Scan(""); err != nil || got != nil || errorText(nil) != "" {
			t.Fatalf("empty: %v %v", got, err)
		}
	})
	t.Run("PlainTextKeptBefore", func(t *testing.T) {
		var got *freenahi.Error
		if err := (errorVal{&got}).Scan([]byte("Inqom refused the file (400)")); err != nil {
			t.Fatal(err)
		}
		if got.Message != "Inqom refused the file (400)" || got.Key != "" {
			t.Fatalf("legacy text read as %+v", got)
		}
	})
	t.Run("TooLong", func(t *testing.T) {
		long := strings.Repeat("é<", 3000)
		text := errorText(freenahi.Errorf(freenahi.EINVALID, "Inqom said: %s", long))
		var got *freenahi.Error
		if err := (errorVal{&got}).Scan(text); err != nil {
			t.Fatal(err)
		}
		if len(text) > maxErrorText || got.Code != freenahi.EINVALID || got.Key != "" || !strings.HasPrefix(got.Message, "Inqom said: é<") {
			t.Fatalf("%d bytes kept as %+v", len(text), got)
		}
	})
}
