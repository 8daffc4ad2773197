package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/locale"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// The account page's statement download: a period, CFONB 120 or CSV, one
// CFONB statement per bank day or per period, and a RIB when the account
// has no French IBAN. The file is what the API's export.cfonb and
// export.csv answer, from the same exporter; a request refused before the
// first byte shows the account page again with the reason in the person's
// language. A GET: it changes nothing, and a link can repeat it.

func (s *Handler) registerUIExportRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /accounts/{id}/statement", s.signedIn(s.handleUIStatementDownload))
}

// statementParams are the query parameters of the download.
var statementParams = []string{"from", "to", "format", "per_period", "rib"}

// statementForm is the download form of the account page.
type statementForm struct {
	// From and To are as typed (YYYY-MM-DD, the value of a date input).
	From, To  string
	Format    string // freenahi.FormatCFONB or FormatCSV
	PerPeriod bool
	RIB       string
	// DefaultFrom and DefaultTo are the proposed period: the last full month.
	DefaultFrom, DefaultTo freenahi.Date
	// LastDay is the last bank day that has ended, where statements stop.
	LastDay freenahi.Date
	// RIBReason is the message key saying why CFONB 120 needs a RIB for
	// this account, "" when its IBAN is French; Country goes into it.
	RIBReason, Country string
	// Error is why the last download was refused, in the page's language;
	// Field names the input at fault.
	Error, Field string
}

// newStatementForm is the form as first shown: the last full month, CFONB
// 120, one statement per day. Nil when the server has no exporter.
func (s *Handler) newStatementForm(a *freenahi.Account) *statementForm {
	if s.Statements == nil {
		return nil
	}
	today := freenahi.DateOf(s.Now().In(s.Config.Location))
	to := freenahi.Date{Year: today.Year, Month: today.Month, Day: 1}.AddDays(-1)
	from := freenahi.Date{Year: to.Year, Month: to.Month, Day: 1}
	last := s.Statements.LastEndedDay()
	if to.After(last) {
		to = last // the first days of a month: its last days may not have ended
	}
	if from.After(to) {
		from = freenahi.Date{Year: to.Year, Month: to.Month, Day: 1}
	}
	f := &statementForm{From: from.String(), To: to.String(), Format: freenahi.FormatCFONB, DefaultFrom: from, DefaultTo: to, LastDay: last}
	f.RIBReason, f.Country = ribReason(a.IBAN)
	return f
}

// ribReason says why an IBAN cannot name the account in CFONB 120, which
// carries French RIBs (France and Monaco): none, or another country's.
// A French IBAN with a typo passes here; the exporter then says what is wrong.
func ribReason(iban string) (key, country string) {
	iban = strings.ToUpper(strings.Join(strings.Fields(iban), ""))
	switch {
	case iban == "":
		return "statement.no_iban", ""
	case len(iban) < 2:
		return "statement.foreign_iban", iban
	case iban[:2] != "FR" && iban[:2] != "MC":
		return "statement.foreign_iban", iban[:2]
	}
	return "", ""
}

// ribText is RIBReason in words.
func (f *statementForm) ribText(l *locale.Locale) string {
	if f.Country == "" {
		return l.T(f.RIBReason)
	}
	return l.T(f.RIBReason, f.Country)
}

// read fills the form from the query and checks it, with errors in the
// page's language; the request is valid when f.Error stays empty.
func (f *statementForm) read(r *http.Request, l *locale.Locale) freenahi.StatementRequest {
	q := r.URL.Query()
	f.From, f.To, f.RIB = strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to")), strings.TrimSpace(q.Get("rib"))
	f.Format, f.PerPeriod = q.Get("format"), q.Get("per_period") == "true"
	if f.Format == "" {
		f.Format = freenahi.FormatCFONB
	}
	req := freenahi.StatementRequest{Format: f.Format, PerPeriod: f.PerPeriod, RIB: f.RIB}
	fail := func(field, msg string) freenahi.StatementRequest {
		f.Field, f.Error = field, msg
		return req
	}
	if p := request.NewParams(q, statementParams...); p.Err != nil {
		return fail(fieldOf(p.Err), l.Err(p.Err))
	}
	var err error
	switch {
	case f.From == "":
		return fail("from", l.T("statement.need_from"))
	case f.To == "":
		return fail("to", l.T("statement.need_to"))
	}
	if req.From, err = freenahi.ParseDate(f.From); err != nil {
		return fail("from", l.T("form.not_a_date"))
	}
	if req.To, err = freenahi.ParseDate(f.To); err != nil {
		return fail("to", l.T("form.not_a_date"))
	}
	switch pp := q.Get("per_period"); {
	case req.To.Before(req.From):
		return fail("to", l.T("statement.from_after_to"))
	case f.Format != freenahi.FormatCFONB && f.Format != freenahi.FormatCSV && f.Format != freenahi.FormatCamt053 && f.Format != freenahi.FormatOFX:
		return fail("format", l.T("form.not_a_choice"))
	case pp != "" && pp != "true" && pp != "false":
		return fail("per_period", l.T("form.not_a_choice"))
	case f.Format == freenahi.FormatCFONB && f.RIBReason != "" && f.RIB == "":
		return fail("rib", f.ribText(l)+" "+l.T("statement.need_rib"))
	}
	return req
}

// handleUIStatementDownload streams the statement, or shows the account
// page again with what to correct.
func (s *Handler) handleUIStatementDownload(w http.ResponseWriter, r *http.Request) {
	a, err := s.ownAccount(r)
	if err == nil && s.Statements == nil {
		err = freenahi.Errorf(freenahi.EUNAVAILABLE, "Exports are not configured on this server.")
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	l := s.localeOf(r)
	form := s.newStatementForm(a)
	req := form.read(r, l)
	if form.Error == "" {
		req.UserID, req.AccountID = request.User(r.Context()).ID, a.ID
		err = respond.Statement(w, r, s.Statements, req)
		if err == nil {
			return
		}
		if freenahi.ErrorCode(err) != freenahi.EINVALID {
			respond.Error(w, r, err)
			return
		}
		form.Field, form.Error = fieldOf(err), l.T("statement.refused", l.Err(err))
	}
	s.renderAccount(w, r, http.StatusBadRequest, a, form)
}

// fieldOf returns the input a domain error names, if any.
func fieldOf(err error) string {
	var e *freenahi.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
