package sandbox

import (
	"strconv"
	"time"
	_ "time/tzdata" // Europe/Paris must resolve on machines without a zoneinfo database.
)

// The sandbox writes its JSON from its own types, shaped after Powens'
// documentation (shared/reference/powens-api.md, shared/powens-openapi/),
// never from the powens client package: a typing mistake in the client must
// fail a test against the sandbox instead of being mirrored by it. This file
// holds the value encodings; payload_*.go hold the documented objects.

// paris is the time zone of Powens' naive datetimes, and of the test banks.
var paris = mustLoadLocation("Europe/Paris")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// dateTimeLayout is Powens' datetime layout: "2026-11-02 09:14:07", no zone.
const dateTimeLayout = "2006-01-02 15:04:05"

var jsonNull = []byte("null")

// decimal is a JSON number written from exact decimal text ("-12.30"), as
// Powens writes amounts; "" is null.
type decimal string

// MarshalJSON writes the number as is, or null.
func (d decimal) MarshalJSON() ([]byte, error) {
	if d == "" {
		return jsonNull, nil
	}
	return []byte(d), nil
}

// money is the decimal of an amount in cents.
func money(minor int64) decimal { return decimal(amount(minor)) }

// datetime is a Powens datetime, written as Europe/Paris wall-clock time
// without a zone; the zero value is null.
type datetime struct{ t time.Time }

// MarshalJSON writes "YYYY-MM-DD HH:MM:SS" in Paris, or null.
func (d datetime) MarshalJSON() ([]byte, error) { return marshalTime(d.t, paris) }

// utcDatetime is a datetime Powens documents as UTC (a transaction's
// datetime, rdatetime, vdatetime); the zero value is null.
type utcDatetime struct{ t time.Time }

// MarshalJSON writes "YYYY-MM-DD HH:MM:SS" in UTC, or null.
func (d utcDatetime) MarshalJSON() ([]byte, error) { return marshalTime(d.t, time.UTC) }

func marshalTime(t time.Time, loc *time.Location) ([]byte, error) {
	if t.IsZero() {
		return jsonNull, nil
	}
	b := make([]byte, 0, len(dateTimeLayout)+2)
	b = append(b, '"')
	b = t.In(loc).AppendFormat(b, dateTimeLayout)
	return append(b, '"'), nil
}

// day is a Powens date (YYYY-MM-DD) held as the integer YYYYMMDD; 0 is null.
type day int

// MarshalJSON writes "YYYY-MM-DD", or null.
func (d day) MarshalJSON() ([]byte, error) {
	if d == 0 {
		return jsonNull, nil
	}
	n := int(d)
	b := make([]byte, 0, 12)
	b = append(b, '"')
	b = appendPadded(b, n/10000, 4)
	b = append(b, '-')
	b = appendPadded(b, n/100%100, 2)
	b = append(b, '-')
	b = appendPadded(b, n%100, 2)
	return append(b, '"'), nil
}

func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// boolFlag is a boolean, written true/false or, in older answers, 0/1.
type boolFlag struct{ v, asInt bool }

// MarshalJSON writes true/false, or 1/0 for an older answer.
func (f boolFlag) MarshalJSON() ([]byte, error) {
	switch {
	case f.asInt && f.v:
		return []byte("1"), nil
	case f.asInt:
		return []byte("0"), nil
	case f.v:
		return []byte("true"), nil
	}
	return []byte("false"), nil
}

// str is a nullable string: "" is null.
func str(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

func ptr[T any](v T) *T { return &v }

// parseDateTime reads a datetime query parameter the way Powens writes
// them (naive Europe/Paris), or a date, or RFC 3339.
func parseDateTime(v string) (time.Time, error) {
	for _, layout := range []string{dateTimeLayout, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, v, paris); err == nil {
			return t, nil
		}
	}
	return time.Parse(time.RFC3339Nano, v)
}
