package powens

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris must resolve on machines without a zoneinfo database.

	"github.com/freenahi/freenahi"
)

// Paris is the time zone of Powens' naive datetimes.
var Paris = mustLoadLocation("Europe/Paris")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var jsonNull = []byte("null")

// Number is a JSON number (or a numeric string, which some payloads carry) kept
// as exact decimal text. The zero Number is null.
type Number struct {
	text string
}

// NewNumber returns a Number holding text, e.g. NewNumber("-12.30").
func NewNumber(text string) Number { return Number{text: text} }

// NumberFromMinor returns the exact Number for minor units with an exponent.
func NumberFromMinor(minor int64, exponent int) Number {
	return Number{text: freenahi.FormatMinor(minor, exponent)}
}

// Valid reports whether n holds a value (is not null or absent).
func (n Number) Valid() bool { return n.text != "" }

// String returns the decimal text, or "" for null.
func (n Number) String() string { return n.text }

// Decimal converts n exactly; it must be Valid.
func (n Number) Decimal() (freenahi.Decimal, error) {
	if !n.Valid() {
		return freenahi.Decimal{}, fmt.Errorf("is null")
	}
	return freenahi.ParseDecimal(n.text)
}

// UnmarshalJSON accepts a number, a numeric string or null.
func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, jsonNull):
		*n = Number{}
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*n = Number{}
			return nil
		}
		if _, err := freenahi.ParseDecimal(s); err != nil {
			return fmt.Errorf("number: %v", err)
		}
		*n = Number{text: s}
		return nil
	}
	if !json.Valid(b) || len(b) == 0 || !(b[0] == '-' || b[0] >= '0' && b[0] <= '9') {
		return fmt.Errorf("number: %s is not a number", truncate(b))
	}
	*n = Number{text: string(b)}
	return nil
}

// MarshalJSON writes the number as a JSON number, or null.
func (n Number) MarshalJSON() ([]byte, error) {
	if !n.Valid() {
		return jsonNull, nil
	}
	return []byte(n.text), nil
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// DateTimeLayout is Powens' datetime layout, without a zone.
const DateTimeLayout = "2006-01-02 15:04:05"

// Time is a Powens datetime. Naive values are Europe/Paris wall-clock time;
// values with an explicit zone keep it. The zero Time is null.
type Time struct{ time.Time }

// UnmarshalJSON accepts "YYYY-MM-DD HH:MM:SS", RFC 3339, a bare date, or null.
func (t *Time) UnmarshalJSON(b []byte) error { return unmarshalTime(b, &t.Time, Paris) }

// MarshalJSON writes Paris wall-clock time in Powens' layout.
func (t Time) MarshalJSON() ([]byte, error) { return marshalTime(t.Time, Paris) }

// Ptr returns the instant in UTC, or nil for null.
func (t Time) Ptr() *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// UTCTime is a Powens datetime documented as UTC (transaction datetime, rdatetime, vdatetime).
type UTCTime struct{ time.Time }

// UnmarshalJSON accepts "YYYY-MM-DD HH:MM:SS" (UTC), RFC 3339, or null.
func (t *UTCTime) UnmarshalJSON(b []byte) error { return unmarshalTime(b, &t.Time, time.UTC) }

// MarshalJSON writes UTC time in Powens' layout.
func (t UTCTime) MarshalJSON() ([]byte, error) { return marshalTime(t.Time, time.UTC) }

// Ptr returns the instant in UTC, or nil for null.
func (t UTCTime) Ptr() *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// jsonString returns the text of a JSON string. Dates and times never hold
// escapes, so the common case skips encoding/json, which dominated decoding
// large payloads.
func jsonString(b []byte) (string, bool) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		return string(b[1 : len(b)-1]), true
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return "", false
	}
	return s, true
}

func unmarshalTime(b []byte, dst *time.Time, naive *time.Location) error {
	// Nearly every datetime Powens sends is "YYYY-MM-DD HH:MM:SS", read here
	// without making a string of it: the conversion does not escape, so it
	// costs no allocation (two an event's transaction otherwise).
	if len(b) == 21 && b[0] == '"' && b[20] == '"' {
		if t, ok := parseDateTimeFast(string(b[1:20]), naive); ok {
			*dst = t
			return nil
		}
	}
	if bytes.Equal(bytes.TrimSpace(b), jsonNull) {
		*dst = time.Time{}
		return nil
	}
	s, ok := jsonString(b)
	if !ok {
		return fmt.Errorf("datetime: %s is not a string", truncate(b))
	}
	t, err := ParseTime(s, naive)
	if err != nil {
		return err
	}
	*dst = t
	return nil
}

// ParseTime parses a Powens datetime; naive values are read in loc.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return time.Time{}, nil
	}
	if t, ok := parseDateTimeFast(s, loc); ok {
		return t, nil
	}
	for _, layout := range []string{DateTimeLayout, "2006-01-02 15:04:05.999999", "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("datetime: %q is not a Powens datetime", s)
}

func marshalTime(t time.Time, loc *time.Location) ([]byte, error) {
	if t.IsZero() {
		return jsonNull, nil
	}
	return json.Marshal(t.In(loc).Format(DateTimeLayout))
}

// Date is a Powens date (YYYY-MM-DD). The zero Date is null.
type Date struct{ freenahi.Date }

// UnmarshalJSON accepts "YYYY-MM-DD", a datetime (its date part), or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	// "YYYY-MM-DD", most dates, read without making a string of it (as
	// unmarshalTime does); anything else goes the long way below.
	if len(b) == 12 && b[0] == '"' && b[11] == '"' {
		if v, ok := parseDateFast(b[1:11]); ok {
			*d = Date{v}
			return nil
		}
	}
	if bytes.Equal(bytes.TrimSpace(b), jsonNull) {
		*d = Date{}
		return nil
	}
	s, ok := jsonString(b)
	if !ok {
		return fmt.Errorf("date: %s is not a string", truncate(b))
	}
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		*d = Date{}
		return nil
	}
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := freenahi.ParseDate(s)
	if err != nil {
		return fmt.Errorf("date: %v", err)
	}
	*d = Date{v}
	return nil
}

// MarshalJSON writes YYYY-MM-DD or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return jsonNull, nil
	}
	return json.Marshal(d.String())
}

// Flag is a boolean that Powens sometimes sends as 0/1 (bookmarked).
type Flag bool

// UnmarshalJSON accepts true/false, 0/1, "0"/"1", or null (false).
func (f *Flag) UnmarshalJSON(b []byte) error {
	switch s := strings.Trim(string(bytes.TrimSpace(b)), `"`); s {
	case "true", "1":
		*f = true
	case "false", "0", "null", "":
		*f = false
	default:
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			*f = n != 0
			return nil
		}
		return fmt.Errorf("flag: %s is not a boolean", truncate(b))
	}
	return nil
}

// Name is a value documented as an object but observed as a plain string
// (account type). It accepts both and keeps the name.
type Name string

// UnmarshalJSON accepts "checking", {"name": "checking", …}, or null.
func (n *Name) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, jsonNull):
		*n = ""
	case len(b) > 0 && b[0] == '{':
		var o struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		*n = Name(o.Name)
	default:
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("name: %s is neither a string nor an object", truncate(b))
		}
		*n = Name(s)
	}
	return nil
}

// Currency is Powens' currency object; a plain code string is accepted too.
type Currency struct {
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	Symbol    string `json:"symbol,omitempty"`
	Precision *int   `json:"precision,omitempty"`
	Crypto    bool   `json:"crypto,omitempty"`
}

// UnmarshalJSON accepts {"id": "EUR", …} or "EUR".
func (c *Currency) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*c = Currency{ID: s}
		return nil
	}
	type plain Currency
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*c = Currency(p)
	return nil
}

// Domain returns the freenahi currency (ISO exponent first, then Powens precision).
func (c *Currency) Domain() freenahi.Currency {
	if c == nil || c.ID == "" {
		return freenahi.LookupCurrency("EUR", nil)
	}
	return freenahi.LookupCurrency(c.ID, c.Precision)
}

// RequestID is an error request id, documented as an integer and typed as a string by the SDK.
type RequestID string

// UnmarshalJSON accepts a string, a number, or null.
func (r *RequestID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, jsonNull) {
		*r = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*r = RequestID(s)
		return nil
	}
	*r = RequestID(b)
	return nil
}

// parseDateTimeFast reads "YYYY-MM-DD HH:MM:SS", Powens' usual form, without
// time.Parse's general machinery; anything else falls back to the layouts.
func parseDateTimeFast(s string, loc *time.Location) (time.Time, bool) {
	if len(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	var n [6]int
	for i, span := range [6][2]int{{0, 4}, {5, 7}, {8, 10}, {11, 13}, {14, 16}, {17, 19}} {
		for j := span[0]; j < span[1]; j++ {
			c := s[j]
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			n[i] = n[i]*10 + int(c-'0')
		}
	}
	if n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > daysInMonth(n[0], n[1]) || n[3] > 23 || n[4] > 59 || n[5] > 59 {
		return time.Time{}, false // 2025-02-30 would normalise to March: not a date
	}
	return time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, loc), true
}

// parseDateFast reads "YYYY-MM-DD" of a real calendar day from year 1, as
// freenahi.ParseDate does; false for anything else, the long way's to read
// or refuse (a year 0, "0000-00-00", a datetime, white space).
func parseDateFast(b []byte) (freenahi.Date, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return freenahi.Date{}, false
	}
	var n [3]int
	for i, span := range [3][2]int{{0, 4}, {5, 7}, {8, 10}} {
		for j := span[0]; j < span[1]; j++ {
			c := b[j]
			if c < '0' || c > '9' {
				return freenahi.Date{}, false
			}
			n[i] = n[i]*10 + int(c-'0')
		}
	}
	if n[0] < 1 || n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > daysInMonth(n[0], n[1]) {
		return freenahi.Date{}, false
	}
	return freenahi.Date{Year: n[0], Month: time.Month(n[1]), Day: n[2]}, true
}

// daysInMonth is the length of month m (1-12) of year y in the proleptic
// Gregorian calendar, as package time counts: checked before time.Date,
// which would otherwise normalise an impossible day, it spares working the
// day back out of the result.
func daysInMonth(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
