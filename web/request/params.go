package request

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

// Params reads query parameters with errors that name the parameter, and
// refuses parameters the endpoint does not know, so a typo is not silently
// ignored. The first error is kept in Err; later reads return zero values.
type Params struct {
	q   url.Values
	Err error
}

// NewParams reads q, refusing parameters not listed in known.
func NewParams(q url.Values, known ...string) *Params {
	p := &Params{q: q}
	var unknown []string
	for k := range q {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		// A sentence, not a fragment after the field's label: the name is
		// what was typed, not a field of the form.
		quoted := make([]string, len(known))
		for i, k := range known {
			quoted[i] = strconv.Quote(k)
		}
		p.Err = freenahi.FieldErrorf(unknown[0], "%q is not a parameter of this address (known: %s).", unknown[0], strings.Join(quoted, ", "))
	}
	return p
}

// Str returns the trimmed value of a parameter, or "".
func (p *Params) Str(name string) string { return strings.TrimSpace(p.q.Get(name)) }

// Int64 reads a positive integer; nil when absent.
func (p *Params) Int64(name string) *int64 {
	v := p.Str(name)
	if v == "" || p.Err != nil {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		p.Err = freenahi.FieldErrorf(name, "%q is not a positive integer", v)
		return nil
	}
	return &n
}

// Limit reads a page size between 1 and freenahi.MaxPageLimit; 0 when absent.
func (p *Params) Limit(name string) int {
	n := p.Int64(name)
	if n == nil {
		return 0
	}
	if *n > freenahi.MaxPageLimit {
		p.Err = freenahi.FieldErrorf(name, "must be between 1 and %d", freenahi.MaxPageLimit)
		return 0
	}
	return int(*n)
}

// Date reads a YYYY-MM-DD date; nil when absent.
func (p *Params) Date(name string) *freenahi.Date {
	v := p.Str(name)
	if v == "" || p.Err != nil {
		return nil
	}
	d, err := freenahi.ParseDate(v)
	if err != nil {
		p.Err = freenahi.FieldErrorf(name, "%q is not a date (YYYY-MM-DD)", v)
		return nil
	}
	return &d
}

// Decimal reads an exact decimal; nil when absent.
func (p *Params) Decimal(name string) *freenahi.Decimal {
	v := p.Str(name)
	if v == "" || p.Err != nil {
		return nil
	}
	d, err := ParseAmount(v)
	if err != nil {
		p.Err = freenahi.FieldErrorf(name, "%q is not an amount such as 12.30 or 12,30", v)
		return nil
	}
	return &d
}

// groupSpaces are what people and spreadsheets put between thousands:
// space, no-break space, narrow no-break space (French typography).
var groupSpaces = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "")

// ParseAmount reads an amount as people type it: "12.30", "12,30" (the
// decimal comma of French), "-1 234,56". A text with both a comma and a
// point is refused: "1.234,56" and "1,234.56" mean different things to
// different people.
func ParseAmount(v string) (freenahi.Decimal, error) {
	v = groupSpaces.Replace(v)
	if strings.Count(v, ",") > 1 || strings.Contains(v, ",") && strings.Contains(v, ".") {
		return freenahi.Decimal{}, fmt.Errorf("%q: ambiguous separators", v)
	}
	return freenahi.ParseDecimal(strings.Replace(v, ",", ".", 1))
}

// Bool reads true or false; false when absent.
func (p *Params) Bool(name string) bool {
	v := p.Str(name)
	if v == "" || p.Err != nil {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.Err = freenahi.FieldErrorf(name, "%q is not true or false", v)
	}
	return b
}

// Cursor reads a page cursor; nil when absent.
func (p *Params) Cursor(name string) *freenahi.Cursor {
	v := p.Str(name)
	if v == "" || p.Err != nil {
		return nil
	}
	c, err := freenahi.ParseCursor(v)
	if err != nil {
		if name != "cursor" {
			// The error names the parameter the person sent.
			err = freenahi.FieldErrorf(name, "is not a cursor this API returned")
		}
		p.Err = err
		return nil
	}
	return &c
}

// PathID reads a positive integer path segment (or a form's id); a
// malformed one is ENOTFOUND, like an id that names nothing.
func PathID(raw string) (int64, error) {
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 {
		return 0, freenahi.Errorf(freenahi.ENOTFOUND, "Nothing has the id %q.", raw)
	}
	return n, nil
}
