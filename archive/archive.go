package archive

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Magic starts every archive, before compression is undone.
const Magic = "FREENAHI-ARCHIVE\n"

// Version is the format version this package writes and the newest it reads.
const Version = 1

// Bounds on what a reader accepts.
const (
	// MaxBlock bounds a JSON block (header, table, trailer).
	MaxBlock = 16 << 20
	// MaxValue bounds one text or bytes value (webhook bodies may be large).
	MaxValue = 1 << 30
	// MaxColumns bounds the columns of a table.
	MaxColumns = 4096
)

// Format is the "format" field of every header.
const Format = "freenahi-archive"

// Column types, as declared by the source engine.
const (
	TypeInt   = "int"
	TypeText  = "text"
	TypeBytes = "bytes"
	TypeBool  = "bool"
	TypeFloat = "float"
)

// Value tags.
const (
	tagNull  = 0
	tagInt   = 1
	tagText  = 2
	tagBytes = 3
	tagFalse = 4
	tagTrue  = 5
	tagFloat = 6
)

// Section markers.
const (
	markTable   = 'T'
	markRow     = 'R'
	markEnd     = 'E'
	markTrailer = 'Z'
)

// ErrCorrupt is wrapped by every error about the archive's own bytes.
var ErrCorrupt = errors.New("not a complete, valid freenahi archive")

// Header describes an archive; it comes first so a restore can refuse an
// archive before reading its rows.
type Header struct {
	Format string `json:"format"`
	// ID identifies the archive (a restore interrupted part-way resumes only
	// with the same ID).
	ID string `json:"id"`
	// Source names where the rows came from, without any password.
	Source string `json:"source"`
	// Engine is the source engine ("sqlite" or "postgres").
	Engine string `json:"engine"`
	// Migrations lists the schema migrations applied to the source.
	Migrations []int64   `json:"migrations"`
	CreatedAt  time.Time `json:"created_at"`
	// Freenahi is the version of the program that wrote the archive.
	Freenahi string `json:"freenahi"`
	// KeyCheck is a known text sealed with the source's secrets key: the
	// restore opens it to tell a missing or wrong key before loading.
	KeyCheck []byte `json:"key_check,omitempty"`
}

// Column is one column of a table.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Table starts a table's rows.
type Table struct {
	Name    string   `json:"name"`
	Columns []Column `json:"columns"`
}

// Trailer ends an archive.
type Trailer struct {
	// Rows counts the rows of each table, filled by the Writer.
	Rows map[string]int64 `json:"rows"`
	// Checks are figures the writer's caller computed from the source, for
	// the restore to compare with the target.
	Checks json.RawMessage `json:"checks,omitempty"`
}

// Writer writes an archive.
type Writer struct {
	gz    *gzip.Writer
	bw    *bufio.Writer
	table *Table
	rows  int64
	count map[string]int64
	buf   []byte
	err   error
}

// NewWriter writes the magic and the header to w. Close must be called to
// finish the archive; it does not close w.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	// BestSpeed: a backup runs beside a serving instance; level 1 costs a
	// third of the default level's CPU for a slightly larger file.
	gz, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	aw := &Writer{gz: gz, bw: bufio.NewWriterSize(gz, 256<<10), count: map[string]int64{}}
	h.Format = Format
	aw.bw.WriteString(Magic)
	aw.uvarint(Version)
	if err := aw.block(h); err != nil {
		return nil, err
	}
	return aw, aw.err
}

func (w *Writer) uvarint(n uint64) {
	w.buf = binary.AppendUvarint(w.buf[:0], n)
	w.write(w.buf)
}

func (w *Writer) write(b []byte) {
	if w.err == nil {
		_, w.err = w.bw.Write(b)
	}
}

func (w *Writer) block(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	if len(b) > MaxBlock {
		return fmt.Errorf("write archive: a block of %d bytes exceeds %d", len(b), MaxBlock)
	}
	w.uvarint(uint64(len(b)))
	w.write(b)
	return w.err
}

// BeginTable starts the rows of a table.
func (w *Writer) BeginTable(t Table) error {
	if w.table != nil {
		return fmt.Errorf("write archive: table %s is not ended", w.table.Name)
	}
	if _, dup := w.count[t.Name]; dup {
		return fmt.Errorf("write archive: table %s written twice", t.Name)
	}
	if len(t.Columns) == 0 || len(t.Columns) > MaxColumns {
		return fmt.Errorf("write archive: table %s has %d columns", t.Name, len(t.Columns))
	}
	for _, c := range t.Columns {
		if !validType(c.Type) {
			return fmt.Errorf("write archive: column %s.%s has unknown type %q", t.Name, c.Name, c.Type)
		}
	}
	w.write([]byte{markTable})
	if err := w.block(t); err != nil {
		return err
	}
	w.table, w.rows = &t, 0
	return w.err
}

// WriteRow writes one row: nil, int64, string, []byte, bool or float64 per
// column, in the table's column order.
func (w *Writer) WriteRow(values []any) error {
	if w.table == nil {
		return errors.New("write archive: row outside a table")
	}
	if len(values) != len(w.table.Columns) {
		return fmt.Errorf("write archive: table %s: %d values for %d columns", w.table.Name, len(values), len(w.table.Columns))
	}
	b := append(w.buf[:0], markRow)
	for i, v := range values {
		switch v := v.(type) {
		case nil:
			b = append(b, tagNull)
		case int64:
			b = binary.AppendVarint(append(b, tagInt), v)
		case string:
			if len(v) > MaxValue {
				return fmt.Errorf("write archive: %s.%s: a value of %d bytes exceeds %d", w.table.Name, w.table.Columns[i].Name, len(v), MaxValue)
			}
			b = append(binary.AppendUvarint(append(b, tagText), uint64(len(v))), v...)
		case []byte:
			if len(v) > MaxValue {
				return fmt.Errorf("write archive: %s.%s: a value of %d bytes exceeds %d", w.table.Name, w.table.Columns[i].Name, len(v), MaxValue)
			}
			b = append(binary.AppendUvarint(append(b, tagBytes), uint64(len(v))), v...)
		case bool:
			if v {
				b = append(b, tagTrue)
			} else {
				b = append(b, tagFalse)
			}
		case float64:
			b = binary.BigEndian.AppendUint64(append(b, tagFloat), math.Float64bits(v))
		default:
			return fmt.Errorf("write archive: %s.%s: values of type %T cannot be archived", w.table.Name, w.table.Columns[i].Name, v)
		}
	}
	w.write(b)
	if cap(b) <= 1<<20 {
		w.buf = b[:0]
	}
	w.rows++
	return w.err
}

// EndTable ends the current table.
func (w *Writer) EndTable() error {
	if w.table == nil {
		return errors.New("write archive: no table to end")
	}
	w.write([]byte{markEnd})
	w.uvarint(uint64(w.rows))
	w.count[w.table.Name] = w.rows
	w.table = nil
	return w.err
}

// Close writes the trailer (its Rows are filled here) and flushes the
// compressed stream.
func (w *Writer) Close(t Trailer) error {
	if w.table != nil {
		return fmt.Errorf("write archive: table %s is not ended", w.table.Name)
	}
	t.Rows = w.count
	w.write([]byte{markTrailer})
	if err := w.block(t); err != nil {
		return err
	}
	if w.err == nil {
		w.err = w.bw.Flush()
	}
	if w.err == nil {
		w.err = w.gz.Close()
	}
	if w.err != nil {
		return fmt.Errorf("write archive: %w", w.err)
	}
	return nil
}

// Rows returns the rows written per table so far.
func (w *Writer) Rows() map[string]int64 {
	out := make(map[string]int64, len(w.count))
	for k, v := range w.count {
		out[k] = v
	}
	return out
}

func validType(t string) bool {
	switch t {
	case TypeInt, TypeText, TypeBytes, TypeBool, TypeFloat:
		return true
	}
	return false
}

// Reader reads an archive.
type Reader struct {
	gz      *gzip.Reader
	br      *bufio.Reader
	header  Header
	table   *Table
	rows    int64
	trailer *Trailer
	seen    map[string]int64
	err     error
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// NewReader reads the magic and the header.
func NewReader(r io.Reader) (*Reader, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, corrupt("not a gzip stream (%v)", err)
	}
	gz.Multistream(false)
	ar := &Reader{gz: gz, br: bufio.NewReaderSize(gz, 256<<10), seen: map[string]int64{}}
	magic := make([]byte, len(Magic))
	if _, err := io.ReadFull(ar.br, magic); err != nil || string(magic) != Magic {
		return nil, corrupt("it does not start with %q", Magic[:len(Magic)-1])
	}
	v, err := ar.readUvarint("the format version")
	if err != nil {
		return nil, err
	}
	if v != Version {
		return nil, fmt.Errorf("%w: format version %d (this freenahi reads version %d; use the freenahi that wrote it)", ErrCorrupt, v, Version)
	}
	if err := ar.readBlock("the header", &ar.header); err != nil {
		return nil, err
	}
	if ar.header.Format != Format {
		return nil, corrupt("its header names format %q", ar.header.Format)
	}
	return ar, nil
}

// Header returns the archive's header.
func (r *Reader) Header() Header { return r.header }

// Trailer returns the trailer, once Next has returned io.EOF.
func (r *Reader) Trailer() *Trailer { return r.trailer }

// where says where reading stopped, for errors.
func (r *Reader) where() string {
	if r.table != nil {
		return fmt.Sprintf(" in table %s after %d rows", r.table.Name, r.rows)
	}
	return ""
}

func (r *Reader) eof(err error, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return corrupt("it ends early, reading %s%s (truncated file?)", what, r.where())
	}
	if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) {
		return corrupt("%v%s", err, r.where())
	}
	// A reader that was stopped (a cancelled copy streams through a pipe)
	// says so, not that the archive is bad.
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("read archive: %s%s: %w", what, r.where(), err)
	}
	// Anything else (a broken deflate stream, a varint longer than 64 bits,
	// a read error of the file) also means the archive cannot be trusted;
	// the cause stays in the chain.
	return fmt.Errorf("%w: reading %s%s: %w", ErrCorrupt, what, r.where(), err)
}

func (r *Reader) readUvarint(what string) (uint64, error) {
	n, err := binary.ReadUvarint(r.br)
	if err != nil {
		return 0, r.eof(err, what)
	}
	return n, nil
}

func (r *Reader) readBlock(what string, v any) error {
	n, err := r.readUvarint(what)
	if err != nil {
		return err
	}
	if n > MaxBlock {
		return corrupt("%s is %d bytes long, more than %d%s", what, n, MaxBlock, r.where())
	}
	b, err := r.readN(int64(n), what)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return corrupt("%s is not valid JSON: %v%s", what, err, r.where())
	}
	return nil
}

// readN reads n bytes, growing its buffer only as bytes arrive so that a
// false length cannot make it allocate more than the file holds.
func (r *Reader) readN(n int64, what string) ([]byte, error) {
	if n <= 64<<10 {
		b := make([]byte, n)
		if _, err := io.ReadFull(r.br, b); err != nil {
			return nil, r.eof(err, what)
		}
		return b, nil
	}
	var buf bytes.Buffer
	got, err := io.CopyN(&buf, r.br, n)
	if err != nil || got != n {
		return nil, r.eof(cmpErr(err), what)
	}
	return buf.Bytes(), nil
}

func cmpErr(err error) error {
	if err == nil {
		return io.ErrUnexpectedEOF
	}
	return err
}

// Next moves to the next table, returning io.EOF after the trailer, once
// the whole stream, its length and its CRC-32 are checked. The rows of the
// previous table must have been read to their end.
func (r *Reader) Next() (*Table, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.table != nil {
		r.err = fmt.Errorf("read archive: rows of table %s left unread", r.table.Name)
		return nil, r.err
	}
	if r.trailer != nil {
		return nil, io.EOF
	}
	t, err := r.next()
	if err != nil && err != io.EOF {
		r.err = err
	}
	return t, err
}

func (r *Reader) next() (*Table, error) {
	mark, err := r.br.ReadByte()
	if err != nil {
		return nil, r.eof(err, "the next table")
	}
	switch mark {
	case markTable:
		var t Table
		if err := r.readBlock("a table header", &t); err != nil {
			return nil, err
		}
		if t.Name == "" || len(t.Columns) == 0 || len(t.Columns) > MaxColumns {
			return nil, corrupt("a table header names table %q with %d columns", t.Name, len(t.Columns))
		}
		if _, dup := r.seen[t.Name]; dup {
			return nil, corrupt("table %s appears twice", t.Name)
		}
		names := map[string]bool{}
		for _, c := range t.Columns {
			if c.Name == "" || names[c.Name] || !validType(c.Type) {
				return nil, corrupt("table %s has a bad column %q of type %q", t.Name, c.Name, c.Type)
			}
			names[c.Name] = true
		}
		r.table, r.rows = &t, 0
		return &t, nil
	case markTrailer:
		var t Trailer
		if err := r.readBlock("the trailer", &t); err != nil {
			return nil, err
		}
		for name, n := range r.seen {
			if t.Rows[name] != n {
				return nil, corrupt("the trailer counts %d rows in table %s, the archive holds %d", t.Rows[name], name, n)
			}
		}
		if len(t.Rows) != len(r.seen) {
			return nil, corrupt("the trailer names %d tables, the archive holds %d", len(t.Rows), len(r.seen))
		}
		// Reading to the end makes gzip check the CRC-32 and length.
		if n, err := io.Copy(io.Discard, r.br); err != nil {
			return nil, r.eof(err, "the end of the archive")
		} else if n != 0 {
			return nil, corrupt("%d bytes follow the trailer", n)
		}
		r.trailer = &t
		return nil, io.EOF
	}
	return nil, corrupt("unexpected byte 0x%02x where a table or the trailer should start", mark)
}

// Row reads the next row of the current table into dst (resized to the
// columns), returning false at the table's end. Text is string, bytes are
// []byte (owned by the caller), integers int64, floats float64.
func (r *Reader) Row(dst []any) ([]any, bool, error) {
	if r.err != nil {
		return dst, false, r.err
	}
	if r.table == nil {
		return dst, false, errors.New("read archive: no table is open")
	}
	dst, more, err := r.row(dst[:0])
	if err != nil {
		r.err = err
	}
	return dst, more, err
}

func (r *Reader) row(dst []any) ([]any, bool, error) {
	mark, err := r.br.ReadByte()
	if err != nil {
		return dst, false, r.eof(err, "a row")
	}
	switch mark {
	case markEnd:
		n, err := r.readUvarint("a table's row count")
		if err != nil {
			return dst, false, err
		}
		if n != uint64(r.rows) {
			return dst, false, corrupt("table %s ends saying %d rows after %d", r.table.Name, n, r.rows)
		}
		r.seen[r.table.Name] = r.rows
		r.table = nil
		return dst, false, nil
	case markRow:
	default:
		return dst, false, corrupt("unexpected byte 0x%02x where a row should start", mark)
	}
	for _, c := range r.table.Columns {
		v, err := r.value(c.Name)
		if err != nil {
			return dst, false, err
		}
		dst = append(dst, v)
	}
	r.rows++
	return dst, true, nil
}

func (r *Reader) value(column string) (any, error) {
	what := "column " + column
	tag, err := r.br.ReadByte()
	if err != nil {
		return nil, r.eof(err, what)
	}
	switch tag {
	case tagNull:
		return nil, nil
	case tagInt:
		n, err := binary.ReadVarint(r.br)
		if err != nil {
			return nil, r.eof(err, what)
		}
		return n, nil
	case tagText, tagBytes:
		n, err := r.readUvarint(what)
		if err != nil {
			return nil, err
		}
		if n > MaxValue {
			return nil, corrupt("a value of column %s is %d bytes long, more than %d%s", column, n, MaxValue, r.where())
		}
		b, err := r.readN(int64(n), what)
		if err != nil {
			return nil, err
		}
		if tag == tagText {
			return string(b), nil
		}
		return b, nil
	case tagFalse:
		return false, nil
	case tagTrue:
		return true, nil
	case tagFloat:
		var b [8]byte
		if _, err := io.ReadFull(r.br, b[:]); err != nil {
			return nil, r.eof(err, what)
		}
		return math.Float64frombits(binary.BigEndian.Uint64(b[:])), nil
	}
	return nil, corrupt("unknown value tag 0x%02x in column %s%s", tag, column, r.where())
}

// Close releases the reader; it does not close the underlying reader.
func (r *Reader) Close() error { return r.gz.Close() }
