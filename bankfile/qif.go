package bankfile

import (
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

// qifRecord is one QIF record: its first line and its fields by code.
type qifRecord struct {
	line   int
	fields map[byte]string
}

// parseQIF reads the records of a QIF file (Quicken Interchange Format):
// lines that start with a one-letter code (D date, T or U amount, P payee,
// M memo, N number), each record ended by "^". Only bank-like sections are
// read: a !Type:Invst, !Type:Cat or !Type:Class section is skipped, and so
// are the !Account lists.
func parseQIF(text string, dayFirst bool) (*File, error) {
	var recs []qifRecord
	cur := qifRecord{}
	skip := false
	for n, raw := range strings.Split(text, "\n") {
		l := strings.TrimRight(raw, "\r \t")
		if l == "" {
			continue
		}
		if l[0] == '!' {
			head := strings.ToLower(strings.TrimSpace(l))
			switch {
			case strings.HasPrefix(head, "!type:"):
				kind := strings.TrimSpace(strings.TrimPrefix(head, "!type:"))
				skip = kind != "bank" && kind != "cash" && kind != "ccard" && kind != "oth a" && kind != "oth l"
			case strings.HasPrefix(head, "!account"):
				skip = true // an account list, ended by the next !Type
			}
			cur = qifRecord{}
			continue
		}
		if l[0] == '^' {
			if !skip && cur.fields != nil {
				recs = append(recs, cur)
				if len(recs) > MaxEntries {
					return nil, freenahi.FieldErrorf("file", "holds more than %d transactions", MaxEntries)
				}
			}
			cur = qifRecord{}
			continue
		}
		if cur.fields == nil {
			cur = qifRecord{line: n + 1, fields: map[byte]string{}}
		}
		if _, dup := cur.fields[l[0]]; !dup {
			cur.fields[l[0]] = strings.TrimSpace(l[1:])
		}
	}
	f := &File{}
	if cur.fields != nil && !skip {
		f.Errors = append(f.Errors, LineError{cur.line, freenahi.FieldErrorf("^", "is missing: the last record is not ended")})
	}
	var dates, amounts []string
	for _, r := range recs {
		dates, amounts = append(dates, r.fields['D']), append(amounts, qifAmount(r))
	}
	dayFirst = qifDayFirst(dates, dayFirst)
	comma := guessDecimalComma(amounts)
	for _, r := range recs {
		f.addQIF(r, dayFirst, comma)
	}
	return f, nil
}

func qifAmount(r qifRecord) string {
	if t, ok := r.fields['T']; ok {
		return t
	}
	return r.fields['U']
}

// addQIF adds the entry of one record, or its error.
func (f *File) addQIF(r qifRecord, dayFirst, comma bool) {
	fail := func(err *freenahi.Error) {
		f.Errors = append(f.Errors, LineError{r.line, err})
	}
	d, ok := qifDate(r.fields['D'], dayFirst)
	if !ok {
		fail(freenahi.FieldErrorf("D", "%q is not a date such as 31/01/2024", r.fields['D']))
		return
	}
	raw := qifAmount(r)
	amount, ok := parseAmount(raw, comma)
	if !ok {
		fail(freenahi.FieldErrorf("T", "%q is not an amount such as -12.50", raw))
		return
	}
	wording := r.fields['P']
	if m := r.fields['M']; m != "" && !strings.Contains(wording, m) {
		wording = strings.TrimSpace(wording + " " + m)
	}
	f.Entries = append(f.Entries, Entry{Line: r.line, Date: d, Amount: amount, Wording: cleanWording(wording),
		Kind: kindOfQIF(r.fields['N'], wording)})
}

// qifParts splits a QIF date into its three numbers. Quicken writes
// 1/31/24, 1/31'24 (years 2000 on) or 01/31/2024; French software writes
// 31/01/2024; some write dashes or points.
func qifParts(s string) (a, b, y int, ok bool) {
	s = strings.NewReplacer("'", "/", "-", "/", ".", "/", " ", "").Replace(strings.TrimSpace(s))
	p := strings.Split(s, "/")
	if len(p) != 3 {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, x := range p {
		v, err := strconv.Atoi(x)
		if err != nil || v < 0 || len(x) > 4 {
			return 0, 0, 0, false
		}
		n[i] = v
	}
	y = n[2]
	switch {
	case len(p[2]) == 4:
	case y < 70:
		y += 2000
	case y < 100:
		y += 1900
	default:
		return 0, 0, 0, false
	}
	return n[0], n[1], y, true
}

// qifDayFirst settles the order of day and month: a first number above 12
// means day first, a second above 12 month first; else the caller's choice.
func qifDayFirst(dates []string, dayFirst bool) bool {
	for _, s := range dates {
		a, b, _, ok := qifParts(s)
		switch {
		case !ok:
		case a > 12 && b <= 12:
			return true
		case b > 12 && a <= 12:
			return false
		}
	}
	return dayFirst
}

func qifDate(s string, dayFirst bool) (freenahi.Date, bool) {
	a, b, y, ok := qifParts(s)
	if !ok {
		return freenahi.Date{}, false
	}
	day, month := b, a
	if dayFirst {
		day, month = a, b
	}
	if y < 1900 || y > 2200 {
		return freenahi.Date{}, false
	}
	d, err := freenahi.ParseDate(strconv.Itoa(y) + "-" + pad2(month) + "-" + pad2(day))
	return d, err == nil
}

func pad2(n int) string {
	if n < 10 && n >= 0 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
