package export

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/cfonb"
)

// csvHeader names the CSV columns; see the package documentation.
var csvHeader = []string{"date", "value_date", "amount", "currency", "balance", "label", "counterparty", "type",
	"operation_code", "reference", "powens_id", "id", "category", "payee", "tags"}

// writeCSV writes d as CSV rows, oldest first, with the running balance.
func writeCSV(w io.Writer, req freenahi.StatementRequest, d *freenahi.StatementData) (*freenahi.StatementSummary, error) {
	bw := bufio.NewWriterSize(w, 64*1024)
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = req.Separator, true
	if err := cw.Write(csvHeader); err != nil {
		return nil, err
	}
	cur := d.Account.Currency
	opening := d.ClosingMinor - d.PeriodMinor
	sum := &freenahi.StatementSummary{Statements: 1, OpeningMinor: opening, Currency: cur}
	balance := opening
	row := make([]string, len(csvHeader))
	for t, err := range d.Transactions {
		if err != nil {
			return nil, err
		}
		balance += t.ValueMinor
		cp := ""
		if t.Counterparty != nil {
			cp = t.Counterparty.Label
		}
		row[0], row[1], row[2], row[3] = t.Date.String(), t.VDate.String(), freenahi.FormatMinor(t.ValueMinor, cur.Exponent), cur.Code
		row[4], row[5], row[6], row[7] = freenahi.FormatMinor(balance, cur.Exponent), cell(Label(t)), cell(cp), cell(t.Type)
		row[8], row[9] = cfonb.OperationCode(t.Type, t.ValueMinor), refPrefix+pad16(t.ID)
		row[10], row[11] = strconv.FormatInt(t.PowensID, 10), strconv.FormatInt(t.ID, 10)
		row[12], row[13], row[14] = "", cell(t.Payee), cell(strings.Join(t.Tags, ", "))
		if t.CategoryID != nil {
			row[12] = cell(d.Categories[*t.CategoryID])
		}
		if err := cw.Write(row); err != nil {
			return nil, err
		}
		sum.Movements++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	sum.ClosingMinor = balance
	return sum, bw.Flush()
}

// pad16 renders a non-negative id on 16 digits, as in the CFONB reference.
func pad16(id int64) string {
	s := strconv.FormatInt(id, 10)
	for len(s) < refDigits {
		s = "0" + s
	}
	return s
}

// cell defuses text a spreadsheet would run as a formula: a label or a
// counterparty name comes from third parties (whoever sent a transfer), so
// one starting with = + - @ gets a leading apostrophe, as OWASP advises.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
