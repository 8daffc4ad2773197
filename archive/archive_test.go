package archive_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi/archive"
	"github.com/google/go-cmp/cmp"
)

// handMade is an archive written byte by byte from the format described in
// doc.go, not by the Writer: one table of two rows holding each kind of value.
func handMade() []byte {
	var b []byte
	block := func(s string) {
		if n := len(s); n < 0x80 { // LEB128 by hand: 7 bits per byte, high bit = more
			b = append(b, byte(n))
		} else {
			b = append(b, byte(n&0x7f|0x80), byte(n>>7))
		}
		b = append(b, s...)
	}
	b = append(b, "FREENAHI-ARCHIVE\n"...)
	b = append(b, 0x01) // version 1
	block(`{"format":"freenahi-archive","id":"x","source":"s","engine":"sqlite","migrations":[1,2],"created_at":"2026-01-02T03:04:05Z","freenahi":"test"}`)
	b = append(b, 'T')
	block(`{"name":"t","columns":[{"name":"a","type":"int"},{"name":"b","type":"text"},{"name":"c","type":"bytes"},{"name":"d","type":"bool"},{"name":"e","type":"float"}]}`)
	b = append(b, 'R',
		0x01, 0xD8, 0x04, // 300: zig-zag 600 = 0x258 → D8 04
		0x02, 0x02, 0xC3, 0xA9, // "é"
		0x03, 0x01, 0xFF, // {0xff}
		0x05,                                  // true
		0x06, 0x3F, 0xF8, 0x00, 0, 0, 0, 0, 0) // 1.5
	b = append(b, 'R',
		0x01, 0x01, // -1: zig-zag 1
		0x00,       // NULL
		0x03, 0x00, // empty bytes
		0x04,       // false
		0x01, 0x00) // an integer in a float column: kept as it is
	b = append(b, 'E', 0x02)
	b = append(b, 'Z')
	block(`{"rows":{"t":2},"checks":{"k":1}}`)
	return b
}

func gz(t testing.TB, raw []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(raw)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var handRows = [][]any{
	{int64(300), "é", []byte{0xff}, true, 1.5},
	{int64(-1), nil, []byte{}, false, int64(0)},
}

type content struct {
	Header  archive.Header
	Tables  []archive.Table
	Rows    map[string][][]any
	Trailer archive.Trailer
}

func readAll(r io.Reader) (*content, error) {
	ar, err := archive.NewReader(r)
	if err != nil {
		return nil, err
	}
	c := &content{Header: ar.Header(), Rows: map[string][][]any{}}
	for {
		t, err := ar.Next()
		if err == io.EOF {
			c.Trailer = *ar.Trailer()
			return c, nil
		} else if err != nil {
			return nil, err
		}
		c.Tables = append(c.Tables, *t)
		for {
			row, more, err := ar.Row(nil)
			if err != nil {
				return nil, err
			}
			if !more {
				break
			}
			c.Rows[t.Name] = append(c.Rows[t.Name], row)
		}
	}
}

func TestReader_HandMadeArchive(t *testing.T) {
	c, err := readAll(bytes.NewReader(gz(t, handMade())))
	if err != nil {
		t.Fatal(err)
	}
	want := archive.Header{Format: "freenahi-archive", ID: "x", Source: "s", Engine: "sqlite", Migrations: []int64{1, 2},
		CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Freenahi: "test"}
	if diff := cmp.Diff(want, c.Header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(handRows, c.Rows["t"]); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if c.Trailer.Rows["t"] != 2 || string(c.Trailer.Checks) != `{"k":1}` {
		t.Errorf("trailer = %+v", c.Trailer)
	}
}

// The Writer produces exactly the documented bytes.
func TestWriter_WritesTheDocumentedBytes(t *testing.T) {
	var buf bytes.Buffer
	w, err := archive.NewWriter(&buf, archive.Header{ID: "x", Source: "s", Engine: "sqlite", Migrations: []int64{1, 2},
		CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Freenahi: "test"})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.BeginTable(archive.Table{Name: "t", Columns: []archive.Column{{"a", "int"}, {"b", "text"}, {"c", "bytes"}, {"d", "bool"}, {"e", "float"}}}))
	for _, r := range handRows {
		must(w.WriteRow(r))
	}
	must(w.EndTable())
	must(w.Close(archive.Trailer{Checks: []byte(`{"k":1}`)}))
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, handMade()) {
		t.Errorf("writer bytes differ from the documented format:\n got %q\nwant %q", got, handMade())
	}
}

func TestRoundTrip_ExtremeValues(t *testing.T) {
	rows := [][]any{
		{int64(math.MinInt64), string([]byte{0xff, 0xfe, 0}), bytes.Repeat([]byte{7}, 70_000), math.Inf(-1)},
		{int64(math.MaxInt64), strings.Repeat("ü", 40_000), []byte(nil), -0.0},
		{nil, "", nil, nil},
	}
	var buf bytes.Buffer
	w, err := archive.NewWriter(&buf, archive.Header{ID: "r"})
	if err != nil {
		t.Fatal(err)
	}
	cols := []archive.Column{{"i", "int"}, {"s", "text"}, {"b", "bytes"}, {"f", "float"}}
	for _, name := range []string{"first", "empty"} {
		if err := w.BeginTable(archive.Table{Name: name, Columns: cols}); err != nil {
			t.Fatal(err)
		}
		if name == "first" {
			for _, r := range rows {
				if err := w.WriteRow(r); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := w.EndTable(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(archive.Trailer{}); err != nil {
		t.Fatal(err)
	}
	c, err := readAll(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// A nil []byte comes back as an empty one: both are the same empty BLOB.
	rows[1][2] = []byte{}
	if diff := cmp.Diff(rows, c.Rows["first"]); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if len(c.Tables) != 2 || c.Trailer.Rows["first"] != 3 || c.Trailer.Rows["empty"] != 0 {
		t.Errorf("tables %v, trailer %v", c.Tables, c.Trailer.Rows)
	}
}

// Every strict prefix of an archive is refused as corrupt.
func TestReader_RefusesEveryTruncation(t *testing.T) {
	full := gz(t, handMade())
	for n := 0; n < len(full); n++ {
		if _, err := readAll(bytes.NewReader(full[:n])); !errors.Is(err, archive.ErrCorrupt) {
			t.Fatalf("prefix of %d/%d bytes: err = %v, want ErrCorrupt", n, len(full), err)
		}
	}
	// The same for a prefix of the decompressed stream, well compressed.
	raw := handMade()
	for n := 0; n < len(raw); n++ {
		if _, err := readAll(bytes.NewReader(gz(t, raw[:n]))); !errors.Is(err, archive.ErrCorrupt) {
			t.Fatalf("decompressed prefix of %d/%d bytes: err = %v, want ErrCorrupt", n, len(raw), err)
		}
	}
}

// Any changed byte is refused, or (gzip's header fields the CRC does not
// cover) leaves the content unchanged.
func TestReader_CorruptBytes(t *testing.T) {
	full := gz(t, handMade())
	want, err := readAll(bytes.NewReader(full))
	if err != nil {
		t.Fatal(err)
	}
	for i := range full {
		for _, flip := range []byte{0x01, 0x80, 0xff} {
			bad := bytes.Clone(full)
			bad[i] ^= flip
			got, err := readAll(bytes.NewReader(bad))
			if err == nil {
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("byte %d ^ %#x: accepted with different content:\n%s", i, flip, diff)
				}
				continue
			}
			if !errors.Is(err, archive.ErrCorrupt) {
				t.Fatalf("byte %d ^ %#x: err = %v, want ErrCorrupt", i, flip, err)
			}
		}
	}
}

func TestReader_ClearErrors(t *testing.T) {
	trailerLie := bytes.Replace(handMade(), []byte(`{"rows":{"t":2}`), []byte(`{"rows":{"t":3}`), 1)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty file", nil, "not a gzip stream"},
		{"plain text", []byte("hello"), "not a gzip stream"},
		{"another gzip file", gz(t, []byte("id,amount\n1,2\n")), `does not start with "FREENAHI-ARCHIVE"`},
		{"newer version", gz(t, append([]byte("FREENAHI-ARCHIVE\n"), 0x02)), "format version 2"},
		{"cut after the rows", gz(t, handMade()[:bytes.LastIndexByte(handMade(), 'E')]), "ends early, reading a row in table t after 2 rows"},
		{"trailer disagrees", gz(t, trailerLie), "the trailer counts 3 rows in table t"},
		{"garbage after", gz(t, append(handMade(), 'x')), "1 bytes follow the trailer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(bytes.NewReader(tt.data))
			if !errors.Is(err, archive.ErrCorrupt) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrCorrupt containing %q", err, tt.want)
			}
		})
	}
}

// A length field claiming a gigabyte allocates only what the file holds.
func TestReader_FalseLengthDoesNotAllocate(t *testing.T) {
	raw := handMade()
	i := bytes.Index(raw, []byte{0x02, 0x02, 0xC3, 0xA9})
	bad := append(bytes.Clone(raw[:i+1]), 0x80, 0x80, 0x80, 0x80, 0x04) // 1 GiB
	data := gz(t, bad)
	allocs := testing.AllocsPerRun(1, func() { readAll(bytes.NewReader(data)) })
	var ms1, ms2 runtimeMem
	ms1.read()
	_, err := readAll(bytes.NewReader(data))
	ms2.read()
	if !errors.Is(err, archive.ErrCorrupt) {
		t.Fatalf("err = %v", err)
	}
	if grown := ms2.total - ms1.total; grown > 32<<20 {
		t.Errorf("reading allocated %d bytes (%.0f allocations) for a %d-byte file", grown, allocs, len(data))
	}
}
