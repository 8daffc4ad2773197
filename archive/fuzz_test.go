package archive_test

import (
	"bytes"
	"errors"
	"runtime"
	"testing"

	"github.com/freenahi/freenahi/archive"
)

type runtimeMem struct{ total uint64 }

func (m *runtimeMem) read() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m.total = ms.TotalAlloc
}

// FuzzReader: whatever the bytes, the reader answers content or an error
// wrapping ErrCorrupt, never a panic; content that is accepted reads the
// same twice.
func FuzzReader(f *testing.F) {
	f.Add(gz(f, handMade()))
	f.Add(handMade())
	f.Add(gz(f, handMade()[:40]))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := readAll(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, archive.ErrCorrupt) {
				t.Fatalf("error not marked corrupt: %v", err)
			}
			return
		}
		for name, rows := range c.Rows {
			if int64(len(rows)) != c.Trailer.Rows[name] {
				t.Fatalf("table %s: %d rows read, trailer says %d", name, len(rows), c.Trailer.Rows[name])
			}
		}
	})
}
