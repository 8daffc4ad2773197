package bankfile

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/freenahi/freenahi"
)

// Mapping says how to read a CSV file. Columns are numbered from 1; 0 means
// none. Either Amount, or Debit and/or Credit, give the amount: a debit
// column's positive numbers are money out.
type Mapping struct {
	// Separator is ';', ',' or '\t'; 0 picks the one of the first line that
	// splits it in the most columns.
	Separator rune
	// Header says the first row names the columns (guessed when the mapping
	// has no column at all).
	Header     bool
	Date       int
	Amount     int
	Debit      int
	Credit     int
	Wording    int
	DateFormat string // one of DateFormats; "" guesses from the rows
	// Decimal is the decimal mark, "," or "."; "" guesses from the rows.
	Decimal string
}

// complete reports whether m names enough columns to read a row.
func (m Mapping) complete() bool {
	return m.Date > 0 && m.Wording > 0 && (m.Amount > 0 || m.Debit > 0 || m.Credit > 0)
}

// maxColumns bounds a row: no statement needs more.
const maxColumns = 64

// parseCSV reads rows with m; a mapping without columns is guessed from the
// header, and a missing separator, date format or decimal mark from the
// rows.
func parseCSV(text string, m Mapping) (*File, error) {
	text = strings.TrimPrefix(text, "\uFEFF")
	if m.Separator == 0 {
		m.Separator = guessSeparator(firstLine(text))
	}
	rows, lines, err := readRows(text, m.Separator)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, freenahi.FieldErrorf("file", "holds no transaction")
	}
	if m.Date == 0 && m.Amount == 0 && m.Debit == 0 && m.Credit == 0 && m.Wording == 0 {
		m = GuessMapping(rows[0], m.Separator)
	}
	if !m.complete() {
		return nil, freenahi.FieldErrorf("mapping", "needs a date column, a wording column and an amount column (or debit and credit columns)")
	}
	body, bodyLines := rows, lines
	if m.Header {
		body, bodyLines = rows[1:], lines[1:]
	}
	if m.DateFormat == "" {
		var samples []string
		for _, r := range body[:min(len(body), 50)] {
			if !isBlank(r) {
				samples = append(samples, cell(r, m.Date))
			}
		}
		m.DateFormat = guessDateFormat(samples)
		if m.DateFormat == "" {
			m.DateFormat = DateFormats[0]
		}
	}
	if m.Decimal == "" {
		var amounts []string
		for _, r := range body[:min(len(body), 200)] {
			amounts = append(amounts, cell(r, m.Amount), cell(r, m.Debit), cell(r, m.Credit))
		}
		m.Decimal = "."
		if guessDecimalComma(amounts) {
			m.Decimal = ","
		}
	}
	f := &File{Mapping: m}
	for i, r := range body {
		if isBlank(r) {
			continue
		}
		f.addCSV(r, bodyLines[i], m)
	}
	return f, nil
}

// readRows splits text into rows and the line each starts on. Fields may
// be quoted; rows of varying width are accepted (banks add a total line).
func readRows(text string, sep rune) ([][]string, []int, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = sep, -1, true, false
	var rows [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, nil, freenahi.FieldErrorf("file", "line %d cannot be read as CSV", line)
		}
		if len(rec) > maxColumns {
			return nil, nil, freenahi.FieldErrorf("file", "line %d has more than %d columns", line, maxColumns)
		}
		if len(rows) > MaxEntries {
			return nil, nil, freenahi.FieldErrorf("file", "holds more than %d transactions", MaxEntries)
		}
		rows, lines = append(rows, rec), append(lines, line)
	}
	return rows, lines, nil
}

func guessSeparator(line string) rune {
	best, n := ';', 0
	for _, sep := range []rune{';', ',', '\t'} {
		if c := strings.Count(line, string(sep)); c > n {
			best, n = sep, c
		}
	}
	return best
}

func cell(r []string, col int) string {
	if col < 1 || col > len(r) {
		return ""
	}
	return strings.TrimSpace(r[col-1])
}

func isBlank(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// addCSV adds the entry of one row, or its error.
func (f *File) addCSV(r []string, line int, m Mapping) {
	fail := func(err *freenahi.Error) {
		f.Errors = append(f.Errors, LineError{line, err})
	}
	d, ok := parseDate(cell(r, m.Date), m.DateFormat)
	if !ok {
		fail(freenahi.FieldErrorf("date", "%q is not a date in the format %s", cell(r, m.Date), m.DateFormat))
		return
	}
	var amount freenahi.Decimal
	if m.Amount > 0 {
		if amount, ok = parseAmount(cell(r, m.Amount), m.Decimal == ","); !ok {
			fail(freenahi.FieldErrorf("amount", "%q is not an amount such as -12.50", cell(r, m.Amount)))
			return
		}
	} else {
		debit, credit := cell(r, m.Debit), cell(r, m.Credit)
		switch {
		case debit != "" && credit != "":
			fail(freenahi.FieldErrorf("amount", "has both a debit %q and a credit %q", debit, credit))
			return
		case debit != "":
			if amount, ok = parseAmount(debit, m.Decimal == ","); !ok {
				fail(freenahi.FieldErrorf("debit", "%q is not an amount such as -12.50", debit))
				return
			}
			if amount.Sign() > 0 {
				amount = negate(amount)
			}
		case credit != "":
			if amount, ok = parseAmount(credit, m.Decimal == ","); !ok {
				fail(freenahi.FieldErrorf("credit", "%q is not an amount such as -12.50", credit))
				return
			}
		default:
			fail(freenahi.FieldErrorf("amount", "is missing"))
			return
		}
	}
	wording := cleanWording(cell(r, m.Wording))
	f.Entries = append(f.Entries, Entry{Line: line, Date: d, Amount: amount, Wording: wording, Kind: kindOfWording(wording)})
}

// GuessMapping reads a header row in French or English ("Date
// d'opération", "Libellé", "Débit", "Crédit", "Montant", "Amount"…) and
// returns the mapping it suggests; Header is true when it found a date column.
func GuessMapping(header []string, sep rune) Mapping {
	m := Mapping{Separator: sep}
	for i, h := range header {
		k := strings.ToLower(foldAccents(strings.TrimSpace(h)))
		col := i + 1
		switch {
		case m.Date == 0 && strings.Contains(k, "date") && !strings.Contains(k, "valeur") && !strings.Contains(k, "value"):
			m.Date = col
		case m.Amount == 0 && (strings.Contains(k, "montant") || strings.Contains(k, "amount") || k == "somme"):
			m.Amount = col
		case m.Debit == 0 && strings.Contains(k, "debit"):
			m.Debit = col
		case m.Credit == 0 && strings.Contains(k, "credit"):
			m.Credit = col
		case m.Wording == 0 && (strings.Contains(k, "libelle") || strings.Contains(k, "wording") || strings.Contains(k, "description") ||
			strings.Contains(k, "label") || strings.Contains(k, "memo") || strings.Contains(k, "payee") || strings.Contains(k, "operation")):
			m.Wording = col
		}
	}
	m.Header = m.Date > 0
	if m.Amount > 0 {
		m.Debit, m.Credit = 0, 0
	}
	return m
}

// foldAccents replaces the accented letters of French headers.
func foldAccents(s string) string {
	return strings.NewReplacer("é", "e", "è", "e", "ê", "e", "É", "e", "È", "e", "à", "a", "ç", "c", "ô", "o", "û", "u", "î", "i").Replace(s)
}

// negate returns -d exactly.
func negate(d freenahi.Decimal) freenahi.Decimal {
	n, err := freenahi.ParseDecimal("-" + d.String())
	if err != nil {
		return d // unreachable: a positive decimal's text always negates
	}
	return n
}
