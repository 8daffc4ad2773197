package bankfile

import (
	"html"
	"strings"

	"github.com/freenahi/freenahi"
)

// parseOFX reads the STMTTRN aggregates of an OFX file. One tokenizer
// serves both versions: OFX 1.x is SGML whose elements (the leaves) may
// omit their end tag, OFX 2.x is XML where every element is closed; in both
// an element's value is the text after its start tag, up to the next tag.
// Aggregates (STMTTRN) are closed in both.
func parseOFX(text string) (*File, error) {
	f := &File{}
	var cur map[string]string
	var ledger map[string]string // inside LEDGERBAL
	curLine, line := 0, 1
	rest := text
	for {
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			break
		}
		line += strings.Count(rest[:i], "\n")
		rest = rest[i+1:]
		j := strings.IndexByte(rest, '>')
		if j < 0 {
			break
		}
		tag := strings.ToUpper(strings.TrimSpace(rest[:j]))
		line += strings.Count(rest[:j], "\n")
		rest = rest[j+1:]
		if strings.HasPrefix(tag, "?") || strings.HasPrefix(tag, "!") {
			continue
		}
		if strings.HasPrefix(tag, "/") {
			if tag == "/LEDGERBAL" && ledger != nil {
				f.addLedger(ledger)
				ledger = nil
			}
			if tag == "/STMTTRN" && cur != nil {
				if err := f.addOFX(cur, curLine); err != nil {
					return nil, err
				}
				cur = nil
			}
			continue
		}
		if k := strings.IndexAny(tag, " \t\r\n"); k >= 0 {
			tag = tag[:k] // attributes, which OFX does not use
		}
		value := rest
		if k := strings.IndexByte(rest, '<'); k >= 0 {
			value = rest[:k]
		}
		value = strings.TrimSpace(html.UnescapeString(value))
		switch {
		case tag == "STMTTRN":
			cur, curLine = map[string]string{}, line
		case tag == "LEDGERBAL":
			ledger = map[string]string{}
		case ledger != nil && value != "":
			ledger[tag] = value
		case tag == "CURDEF" && f.Currency == "":
			f.Currency = strings.ToUpper(value)
		case cur != nil && value != "":
			if _, dup := cur[tag]; !dup {
				cur[tag] = value
			}
		}
	}
	if cur != nil {
		// The last STMTTRN was never closed: a cut file.
		f.Errors = append(f.Errors, LineError{curLine, freenahi.FieldErrorf("STMTTRN", "is not closed: the file is cut")})
	}
	return f, nil
}

// addOFX adds the entry of one STMTTRN, or its error.
func (f *File) addOFX(t map[string]string, line int) error {
	if len(f.Entries)+len(f.Errors) >= MaxEntries {
		return freenahi.FieldErrorf("file", "holds more than %d transactions", MaxEntries)
	}
	fail := func(err *freenahi.Error) error {
		f.Errors = append(f.Errors, LineError{line, err})
		return nil
	}
	posted := t["DTPOSTED"]
	if posted == "" {
		return fail(freenahi.FieldErrorf("DTPOSTED", "is missing"))
	}
	// YYYYMMDD, then optionally a time and a time zone, which do not change the day the bank booked it.
	d, ok := parseDate(posted[:min(len(posted), 8)], "yyyymmdd")
	if !ok || len(posted) < 8 {
		return fail(freenahi.FieldErrorf("DTPOSTED", "%q is not a date such as 20240131", posted))
	}
	raw := t["TRNAMT"]
	if raw == "" {
		return fail(freenahi.FieldErrorf("TRNAMT", "is missing"))
	}
	// The specification writes a point; some French banks write a comma.
	amount, ok := parseAmount(raw, strings.Contains(raw, ",") && !strings.Contains(raw, "."))
	if !ok {
		return fail(freenahi.FieldErrorf("TRNAMT", "%q is not an amount such as -12.50", raw))
	}
	wording := t["NAME"]
	if memo := t["MEMO"]; memo != "" && !strings.Contains(wording, memo) {
		wording = strings.TrimSpace(wording + " " + memo)
	}
	if wording == "" {
		wording = t["PAYEE"]
	}
	id := t["FITID"]
	if len(id) > 255 {
		return fail(freenahi.FieldErrorf("FITID", "is longer than %d characters", 255))
	}
	f.Entries = append(f.Entries, Entry{Line: line, Date: d, Amount: amount, Wording: cleanWording(wording), ID: id,
		Kind: kindOfOFX(t["TRNTYPE"], wording)})
	return nil
}

// addLedger keeps a LEDGERBAL (BALAMT at DTASOF) as the file's balance
// when it is readable and the latest of the file; a file may hold one
// statement per account period. A balance that cannot be read is left out:
// the import then counts the balance from the lines.
func (f *File) addLedger(l map[string]string) {
	asOf, raw := l["DTASOF"], l["BALAMT"]
	d, ok := parseDate(asOf[:min(len(asOf), 8)], "yyyymmdd")
	if !ok || len(asOf) < 8 {
		return
	}
	amount, ok := parseAmount(raw, strings.Contains(raw, ",") && !strings.Contains(raw, "."))
	if !ok {
		return
	}
	if f.Balance == nil || !d.Before(f.Balance.Date) {
		f.Balance = &Balance{Date: d, Amount: amount}
	}
}
