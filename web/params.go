package web

import (
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

// params reads query parameters with errors that name the parameter, and
// refuses parameters the endpoint does not know, so a typo is not silently
// ignored.
type params struct {
	q   url.Values
	err error
}

func newParams(q url.Values, known ...string) *params {
	p := &params{q: q}
	var unknown []string
	for k := range q {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		p.err = freenahi.FieldErrorf(unknown[0], "is not a parameter of this endpoint (known: %s)", strings.Join(known, ", "))
	}
	return p
}

func (p *params) str(name string) string { return strings.TrimSpace(p.q.Get(name)) }

func (p *params) int64(name string) *int64 {
	v := p.str(name)
	if v == "" || p.err != nil {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		p.err = freenahi.FieldErrorf(name, "%q is not a positive integer", v)
		return nil
	}
	return &n
}

func (p *params) limit(name string) int {
	n := p.int64(name)
	if n == nil {
		return 0
	}
	if *n > freenahi.MaxPageLimit {
		p.err = freenahi.FieldErrorf(name, "must be between 1 and %d", freenahi.MaxPageLimit)
		return 0
	}
	return int(*n)
}

func (p *params) date(name string) *freenahi.Date {
	v := p.str(name)
	if v == "" || p.err != nil {
		return nil
	}
	d, err := freenahi.ParseDate(v)
	if err != nil {
		p.err = freenahi.FieldErrorf(name, "%v", err)
		return nil
	}
	return &d
}

func (p *params) decimal(name string) *freenahi.Decimal {
	v := p.str(name)
	if v == "" || p.err != nil {
		return nil
	}
	d, err := freenahi.ParseDecimal(v)
	if err != nil {
		p.err = freenahi.FieldErrorf(name, "%v", err)
		return nil
	}
	return &d
}

func (p *params) bool(name string) bool {
	v := p.str(name)
	if v == "" || p.err != nil {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.err = freenahi.FieldErrorf(name, "%q is not true or false", v)
	}
	return b
}

func (p *params) cursor(name string) *freenahi.Cursor {
	v := p.str(name)
	if v == "" || p.err != nil {
		return nil
	}
	c, err := freenahi.ParseCursor(v)
	if err != nil {
		p.err = err
		return nil
	}
	return &c
}

// pathID reads a positive integer path segment.
func pathID(raw, what string) (int64, error) {
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 {
		return 0, freenahi.Errorf(freenahi.ENOTFOUND, "%s %q not found.", what, raw)
	}
	return n, nil
}
