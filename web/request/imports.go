package request

import (
	"slices"
	"strconv"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
)

// ImportParams are the names ImportOptions reads.
var ImportParams = []string{"format", "separator", "header", "date_column", "amount_column", "debit_column",
	"credit_column", "wording_column", "date_format", "decimal", "day_first"}

// ImportOptions reads how to read a bank file from query or form values:
// the format (empty detects it), the CSV mapping (columns numbered from 1;
// none given guesses them from the header) and the QIF date order.
func ImportOptions(p *Params) bankfile.Options {
	var o bankfile.Options
	switch f := bankfile.Format(p.Str("format")); {
	case f == "", slices.Contains(bankfile.Formats, f):
		o.Format = f
	default:
		p.fail(freenahi.FieldErrorf("format", "%q is not one of csv, ofx, qif, cfonb", string(f)))
	}
	m := &o.CSV
	switch sep := p.q.Get("separator"); sep {
	case "":
	case ";", ",":
		m.Separator = rune(sep[0])
	case "tab", "\t":
		m.Separator = '\t'
	default:
		p.fail(freenahi.FieldErrorf("separator", "%q is not ; , or tab", sep))
	}
	m.Header = p.Bool("header")
	m.Date, m.Amount, m.Debit = p.column("date_column"), p.column("amount_column"), p.column("debit_column")
	m.Credit, m.Wording = p.column("credit_column"), p.column("wording_column")
	if df := p.Str("date_format"); df != "" {
		if !slices.Contains(bankfile.DateFormats, df) {
			p.fail(freenahi.FieldErrorf("date_format", "%q is not one of the date formats offered", df))
		}
		m.DateFormat = df
	}
	switch d := p.Str("decimal"); d {
	case "", ",", ".":
		m.Decimal = d
	default:
		p.fail(freenahi.FieldErrorf("decimal", "%q is not , or .", d))
	}
	o.DayFirst = p.Str("day_first") == "" || p.Bool("day_first")
	return o
}

// column reads a column number, 1 to 64; 0 when absent.
func (p *Params) column(name string) int {
	v := p.Str(name)
	if v == "" || v == "0" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 64 {
		p.fail(freenahi.FieldErrorf(name, "%q is not a column number between 1 and %d", v, 64))
		return 0
	}
	return n
}

func (p *Params) fail(err error) {
	if p.Err == nil {
		p.Err = err
	}
}
