package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/freenahi/freenahi"
)

// micros converts an instant to the BIGINT microseconds the columns hold.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros converts stored microseconds to a UTC instant.
func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// nullMicros is micros for an optional instant.
func nullMicros(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// nullDate stores a Date as YYYYMMDD, the zero Date as NULL.
func nullDate(d freenahi.Date) any {
	if d.IsZero() {
		return nil
	}
	return int64(d.Int())
}

// nullInt stores an optional integer.
func nullInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// nullDecimal stores an optional decimal as canonical text.
func nullDecimal(d *freenahi.Decimal) any {
	if d == nil {
		return nil
	}
	return d.String()
}

// nullBool stores an optional boolean.
func nullBool(p *bool) any {
	if p == nil {
		return nil
	}
	return *p
}

// asInt64 reads an integer column whatever the driver hands back.
func asInt64(v any) (int64, error) {
	switch v := v.(type) {
	case int64:
		return v, nil
	case int32:
		return int64(v), nil
	case int:
		return int64(v), nil
	case float64:
		return int64(v), nil
	case bool:
		if v {
			return 1, nil
		}
		return 0, nil
	}
	return 0, fmt.Errorf("store: cannot read %T as an integer", v)
}

// timePtr scans a nullable microsecond column into a *time.Time.
type timePtr struct{ dst **time.Time }

func (s timePtr) Scan(v any) error {
	if v == nil {
		*s.dst = nil
		return nil
	}
	n, err := asInt64(v)
	if err != nil {
		return err
	}
	t := fromMicros(n)
	*s.dst = &t
	return nil
}

// timeVal scans a NOT NULL microsecond column.
type timeVal struct{ dst *time.Time }

func (s timeVal) Scan(v any) error {
	n, err := asInt64(v)
	if err != nil {
		return err
	}
	*s.dst = fromMicros(n)
	return nil
}

// dateVal scans a nullable YYYYMMDD column; NULL gives the zero Date.
type dateVal struct{ dst *freenahi.Date }

func (s dateVal) Scan(v any) error {
	if v == nil {
		*s.dst = freenahi.Date{}
		return nil
	}
	n, err := asInt64(v)
	if err != nil {
		return err
	}
	*s.dst = freenahi.DateFromInt(int(n))
	return nil
}

// intPtr scans a nullable integer column.
type intPtr struct{ dst **int64 }

func (s intPtr) Scan(v any) error {
	if v == nil {
		*s.dst = nil
		return nil
	}
	n, err := asInt64(v)
	if err != nil {
		return err
	}
	*s.dst = &n
	return nil
}

// boolVal scans a boolean column (BOOLEAN on PostgreSQL, integer on SQLite).
type boolVal struct{ dst *bool }

func (s boolVal) Scan(v any) error {
	if v == nil {
		*s.dst = false
		return nil
	}
	if b, ok := v.(bool); ok {
		*s.dst = b
		return nil
	}
	n, err := asInt64(v)
	*s.dst = n != 0
	return err
}

// boolPtr scans a nullable boolean column.
type boolPtr struct{ dst **bool }

func (s boolPtr) Scan(v any) error {
	if v == nil {
		*s.dst = nil
		return nil
	}
	var b bool
	if err := (boolVal{&b}).Scan(v); err != nil {
		return err
	}
	*s.dst = &b
	return nil
}

// strVal scans a nullable text column; NULL gives "".
type strVal struct{ dst *string }

func (s strVal) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*s.dst = ""
	case string:
		*s.dst = v
	case []byte:
		*s.dst = string(v)
	default:
		return fmt.Errorf("store: cannot read %T as text", v)
	}
	return nil
}

// decimalPtr scans a nullable decimal text column.
type decimalPtr struct{ dst **freenahi.Decimal }

func (s decimalPtr) Scan(v any) error {
	var text string
	if v == nil {
		*s.dst = nil
		return nil
	}
	if err := (strVal{&text}).Scan(v); err != nil {
		return err
	}
	d, err := freenahi.ParseDecimal(text)
	if err != nil {
		return fmt.Errorf("store: stored decimal %q: %w", text, err)
	}
	*s.dst = &d
	return nil
}

// maxErrorText bounds a kept error, as the last_error columns always were.
const maxErrorText = 2000

// errorText keeps a domain error in a text column as its JSON (key and
// arguments included, so that it can be said again in the reader's
// language); "" for none. One too long for the column keeps its message
// alone, clipped.
func errorText(e *freenahi.Error) string {
	if e == nil {
		return ""
	}
	b, err := json.Marshal(e)
	for msg := e.Message; err == nil && len(b) > maxErrorText; msg = clipRunes(msg, len(msg)/2) {
		b, err = json.Marshal(&freenahi.Error{Code: e.Code, Field: e.Field, Message: msg})
	}
	if err != nil {
		return ""
	}
	return string(b)
}

// clipRunes cuts s to at most n bytes on a rune boundary, marking the cut.
func clipRunes(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// errorVal scans what errorText wrote; "" is no error, and text kept
// before errors were JSON comes back as the message of an error without
// a key, shown as it is.
type errorVal struct{ dst **freenahi.Error }

func (s errorVal) Scan(v any) error {
	var text string
	switch v := v.(type) {
	case string:
		text = v
	case []byte:
		text = string(v)
	case nil:
	default:
		return fmt.Errorf("error column: unexpected %T", v)
	}
	*s.dst = nil
	if text == "" {
		return nil
	}
	e := &freenahi.Error{}
	if !strings.HasPrefix(text, "{") || json.Unmarshal([]byte(text), e) != nil {
		e = &freenahi.Error{Message: text}
	}
	*s.dst = e
	return nil
}
