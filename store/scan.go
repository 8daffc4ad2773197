package store

import (
	"fmt"
	"time"

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
