package store

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestBodyHandoff(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	t.Run("TakenOnce", func(t *testing.T) {
		var h bodyHandoff
		h.put(1, []byte("abc"), t0)
		if got := mustTake(t, &h, 1, 3, t0); !bytes.Equal(got, []byte("abc")) {
			t.Fatalf("take=%q, want abc", got)
		}
		if got := mustTake(t, &h, 1, 3, t0); got != nil {
			t.Fatalf("second take=%q, want nil (the retry reads the inbox)", got)
		}
		if h.bytes != 0 || len(h.entries) != 0 || len(h.order) != 0 {
			t.Fatalf("left bytes=%d entries=%d order=%d, want all 0", h.bytes, len(h.entries), len(h.order))
		}
	})
	t.Run("SizeMismatch", func(t *testing.T) {
		var h bodyHandoff
		h.put(1, []byte("abc"), t0)
		if got := mustTake(t, &h, 1, 4, t0); got != nil {
			t.Fatalf("take with another size=%q, want nil", got)
		}
	})
	t.Run("TooOld", func(t *testing.T) {
		var h bodyHandoff
		h.put(1, []byte("abc"), t0)
		if got := mustTake(t, &h, 1, 3, t0.Add(handoffMaxAge+time.Second)); got != nil {
			t.Fatalf("take after %s=%q, want nil", handoffMaxAge, got)
		}
		h.put(2, []byte("old"), t0)
		h.put(3, []byte("new"), t0.Add(2*handoffMaxAge))
		if _, ok := h.entries[2]; ok {
			t.Fatal("an entry older than the bound was kept")
		}
	})
	t.Run("BytesBound", func(t *testing.T) {
		var h bodyHandoff
		third := make([]byte, handoffMaxBytes/3+1) // three do not fit, two do
		for id := int64(1); id <= 3; id++ {
			h.put(id, third, t0)
		}
		if _, ok := h.entries[1]; ok {
			t.Fatal("the oldest entry was kept past the byte bound")
		}
		if h.bytes != 2*int64(len(third)) || len(h.entries) != 2 {
			t.Fatalf("bytes=%d entries=%d, want %d and 2", h.bytes, len(h.entries), 2*len(third))
		}
		h.put(4, make([]byte, handoffMaxBytes+1), t0)
		if _, ok := h.entries[4]; ok {
			t.Fatal("a body larger than the bound was kept")
		}
	})
	t.Run("Files", func(t *testing.T) {
		var h bodyHandoff
		taken, mismatched, dropped, tooLarge := newFile("abc"), newFile("abc"), newFile("old"), newFile("big")
		h.putFile(1, taken, 3, t0)
		h.putFile(2, mismatched, 3, t0)
		h.putFile(3, dropped, 3, t0)
		h.putFile(4, tooLarge, handoffMaxBytes+1, t0)
		if got := mustTake(t, &h, 1, 3, t0); !bytes.Equal(got, []byte("abc")) {
			t.Fatalf("take=%q, want abc read from the file", got)
		}
		if got := mustTake(t, &h, 2, 4, t0); got != nil {
			t.Fatalf("take with another size=%q, want nil", got)
		}
		h.put(5, []byte("new"), t0.Add(2*handoffMaxAge)) // drops 3, too old
		for name, f := range map[string]*closeCounter{"taken": taken, "mismatched": mismatched, "dropped": dropped, "too large": tooLarge} {
			if f.closed != 1 {
				t.Errorf("%s file closed %d times, want once", name, f.closed)
			}
		}
		if h.bytes != 3 || len(h.entries) != 1 {
			t.Fatalf("bytes=%d entries=%d, want 3 and 1", h.bytes, len(h.entries))
		}
	})
	t.Run("CountBound", func(t *testing.T) {
		var h bodyHandoff
		for id := int64(1); id <= handoffMaxEvents+10; id++ {
			h.put(id, []byte("x"), t0)
		}
		if len(h.entries) != handoffMaxEvents {
			t.Fatalf("entries=%d, want %d", len(h.entries), handoffMaxEvents)
		}
		if _, ok := h.entries[10]; ok {
			t.Fatal("entry 10 was kept, want the oldest dropped")
		}
		if _, ok := h.entries[11]; !ok {
			t.Fatal("entry 11 was dropped, want kept")
		}
	})
}

func mustTake(t *testing.T, h *bodyHandoff, id, size int64, now time.Time) []byte {
	t.Helper()
	b, err := h.take(id, size, now)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// closeCounter is a body file that counts its closes.
type closeCounter struct {
	*strings.Reader
	closed int
}

func newFile(s string) *closeCounter { return &closeCounter{Reader: strings.NewReader(s)} }

func (c *closeCounter) Close() error { c.closed++; return nil }
