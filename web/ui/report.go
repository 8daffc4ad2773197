package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Handler) registerUIReportRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /reports", s.signedIn(s.handleUIReports))
	mux.HandleFunc("POST /transfers/detect", s.signedIn(s.handleUITransferDetect))
}

// reportsView is the reports page: income and spending per month, and
// where the money went, each line with its bar and drill-down link.
type reportsView struct {
	From, To   freenahi.Date
	Months     []monthRow
	ByCategory []spendingRow
	ByPayee    []spendingRow
}

// monthRow is one month of the cash-flow table; the bars are percentages
// of the largest amount shown.
type monthRow struct {
	freenahi.MonthFlow
	Cur                    freenahi.Currency
	NetMinor               int64
	IncomeBar, SpendingBar int
}

// spendingRow is one category or payee; Link lists its transactions.
type spendingRow struct {
	Label    string
	Currency freenahi.Currency
	Minor    int64
	Count    int
	Bar      int
	Link     string
}

func (s *Handler) handleUIReports(w http.ResponseWriter, r *http.Request) {
	userID := request.User(r.Context()).ID
	p := request.NewParams(r.URL.Query(), "from", "to", "msg")
	today := freenahi.DateOf(s.Now().In(s.Config.Location))
	v := &reportsView{From: freenahi.Date{Year: today.Year - 1, Month: today.Month + 1, Day: 1}, To: today}
	if v.From.Month > 12 {
		v.From = freenahi.Date{Year: today.Year, Month: 1, Day: 1}
	}
	if d := p.Date("from"); d != nil {
		v.From = *d
	}
	if d := p.Date("to"); d != nil {
		v.To = *d
	}
	err := p.Err
	if err == nil {
		err = freenahi.ValidatePeriod(v.From, v.To)
	}
	pg := &page{Title: "reports.title", Nav: "reports", Data: v}
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		pg.Error = s.localeOf(r).Err(err)
		s.render(w, r, http.StatusBadRequest, "reports", pg)
		return
	}
	flows, err := s.Spending.Cashflow(r.Context(), userID, v.From, v.To)
	var rep *freenahi.SpendingReport
	if err == nil {
		rep, err = s.Spending.Spending(r.Context(), userID, v.From, v.To)
	}
	var names map[int64]string
	if err == nil {
		_, names, err = s.categoryTree(r)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v.Months = monthRows(flows)
	l := s.localeOf(r)
	period := url.Values{"from": {v.From.String()}, "to": {v.To.String()}}
	v.ByCategory = spendingRows(rep.ByCategory, func(sl freenahi.SpendingLine) (string, url.Values) {
		q := url.Values{"category_id": {"none"}}
		label := l.T("reports.uncategorized")
		if sl.CategoryID != nil {
			q.Set("category_id", strconv.FormatInt(*sl.CategoryID, 10))
			label = names[*sl.CategoryID]
		}
		return label, q
	}, period)
	v.ByPayee = spendingRows(rep.ByPayee, func(sl freenahi.SpendingLine) (string, url.Values) {
		if sl.Payee == "" {
			return l.T("reports.no_payee"), url.Values{}
		}
		return sl.Payee, url.Values{"payee": {sl.Payee}}
	}, period)
	s.render(w, r, http.StatusOK, "reports", pg)
}

func monthRows(flows []freenahi.MonthFlow) []monthRow {
	var top int64 = 1
	for _, m := range flows {
		top = max(top, m.IncomeMinor, m.SpendingMinor)
	}
	out := make([]monthRow, len(flows))
	for i, m := range flows {
		out[i] = monthRow{MonthFlow: m, Cur: freenahi.Currency{Code: m.Currency, Exponent: m.Exponent}, NetMinor: m.IncomeMinor - m.SpendingMinor,
			IncomeBar: percent(m.IncomeMinor, top), SpendingBar: percent(m.SpendingMinor, top)}
	}
	return out
}

func spendingRows(lines []freenahi.SpendingLine, name func(freenahi.SpendingLine) (string, url.Values), period url.Values) []spendingRow {
	var top int64 = 1
	for _, sl := range lines {
		top = max(top, sl.SpendingMinor)
	}
	out := make([]spendingRow, 0, len(lines))
	for _, sl := range lines {
		label, q := name(sl)
		for k, v := range period {
			q[k] = v
		}
		out = append(out, spendingRow{Label: label, Currency: freenahi.Currency{Code: sl.Currency, Exponent: sl.Exponent},
			Minor: sl.SpendingMinor, Count: sl.Count, Bar: percent(sl.SpendingMinor, top), Link: "/transactions?" + q.Encode()})
	}
	return out
}

// percent is n of top in whole percent, at least 1 for any amount so a
// small line still shows a bar.
func percent(n, top int64) int {
	switch {
	case n <= 0:
		return 0
	case top < 100:
		return max(1, int(n*100/top))
	}
	return min(100, max(1, int(n/(top/100)))) // no n*100: it may overflow
}

// handleUITransferDetect pairs the person's transfers, then shows the reports.
func (s *Handler) handleUITransferDetect(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Spending.DetectTransfers(r.Context(), request.User(r.Context()).ID); err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/reports?msg=flash.transfers_detected", http.StatusSeeOther)
}
