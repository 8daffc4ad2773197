package sandbox

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
)

const maxLimit = 1000

// cardNumber is the masked card number of the test banks' card payments.
const cardNumber = "XXXXXXXXXXXX4974"

func (s *Server) registerTransactionRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /2.0/users/{u}/transactions", s.handleTransactionIndex)
	m.HandleFunc("GET /2.0/users/{u}/accounts/{a}/transactions", s.handleTransactionIndex)
	m.HandleFunc("GET /2.0/users/{u}/transactions/{id}", s.handleTransactionView)
	m.HandleFunc("GET /2.0/users/{u}/investments", s.handleInvestmentIndex)
	m.HandleFunc("GET /2.0/users/{u}/accounts/{a}/investments", s.handleInvestmentIndex)
}

// txnJSON renders a stored transaction as Powens does.
func txnJSON(a *account, t *txn) transactionJSON {
	out := transactionJSON{ID: t.ID, IDAccount: a.ID, ApplicationDate: day(t.RDate), Date: day(t.Date),
		RDate: day(t.RDate), VDate: day(t.Date), Value: money(t.Minor), GrossValue: money(t.Minor), Type: t.Type,
		OriginalWording: t.Label, SimplifiedWording: t.Simple, Wording: t.Simple, Coming: t.Coming, Active: true,
		DateScraped: datetime{t.Scraped}, Deleted: datetime{t.Deleted}, LastUpdate: datetime{t.LastUpdate}}
	if t.Card {
		out.Card = ptr(cardNumber)
		out.RDatetime = utcDatetime{t.At}
	}
	if g := t.Split; g != nil {
		out.Value, out.GrossValue = "", ""
		if !g.Unknown {
			out.GrossValue, out.Commission = money(g.Gross), money(g.Commission)
		}
		if c, ok := currencies[g.Currency]; ok && !g.Unknown {
			out.CommissionCurrency = &c
		}
	}
	if t.CP != nil {
		out.Counterparty = &counterpartyJSON{Label: ptr(t.CP.Label), Type: ptr(t.CP.Type)}
		if t.CP.IBAN != "" {
			out.Counterparty.AccountSchemeName, out.Counterparty.AccountIdentification = ptr("iban"), ptr(t.CP.IBAN)
		}
	}
	return out
}

// txFilter is a parsed transactions query.
type txFilter struct {
	limit, offset    int
	minDate, maxDate int // YYYYMMDD bounds, 0 for none
	byDate           bool
	lastUpdate       time.Time
	all, hasDeleted  bool
	deleted          bool
	income           *bool
	wording          string
	cursorDate       int
	cursorID         int64
}

// parseBound reads a date, a month or a year; upper bounds take its last day.
func parseBound(v string, upper bool) (int, error) {
	switch len(v) {
	case 4:
		y, err := strconv.Atoi(v)
		return y*10000 + 101 + btoi(upper)*1130, err
	case 7:
		t, err := time.Parse("2006-01", v)
		if upper {
			return freenahi.DateOf(t.AddDate(0, 1, -1)).Int(), err
		}
		return freenahi.DateOf(t).Int(), err
	}
	d, err := freenahi.ParseDate(v)
	return d.Int(), err
}

func parseTxFilter(q url.Values) (*txFilter, *apiError) {
	f := &txFilter{all: q.Has("all") && q.Get("all") != "false", byDate: q.Get("filter") == "date"}
	if q.Get("limit") == "" {
		return nil, errMissing("limit")
	}
	var err error
	if f.limit, err = strconv.Atoi(q.Get("limit")); err != nil || f.limit < 1 || f.limit > maxLimit {
		return nil, errInvalid("limit must be between 1 and %d.", maxLimit)
	}
	if v := q.Get("offset"); v != "" {
		if f.offset, err = strconv.Atoi(v); err != nil || f.offset < 0 {
			return nil, errInvalid("Invalid offset.")
		}
	}
	for name, dst := range map[string]*int{"min_date": &f.minDate, "max_date": &f.maxDate} {
		if v := q.Get(name); v != "" {
			if *dst, err = parseBound(v, name == "max_date"); err != nil {
				return nil, errInvalid("Invalid %s %q.", name, v)
			}
		}
	}
	if v := q.Get("last_update"); v != "" {
		if f.lastUpdate, err = parseDateTime(v); err != nil {
			return nil, errInvalid("Invalid last_update %q.", v)
		}
	}
	if q.Has("deleted") {
		f.hasDeleted, f.deleted = true, truthy(q.Get("deleted"))
	}
	if q.Has("income") {
		f.income = ptr(truthy(q.Get("income")))
	}
	f.wording = strings.ToLower(q.Get("wording"))
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		if err != nil || len(strings.SplitN(string(b), ":", 2)) != 2 {
			return nil, errInvalid("Invalid cursor.")
		}
		parts := strings.SplitN(string(b), ":", 2)
		f.cursorDate, _ = strconv.Atoi(parts[0])
		f.cursorID, _ = strconv.ParseInt(parts[1], 10, 64)
	}
	return f, nil
}

func (f *txFilter) match(t *txn) bool {
	d := t.RDate
	if f.byDate {
		d = t.Date
	}
	switch {
	case f.hasDeleted && f.deleted != !t.Deleted.IsZero():
	case !f.hasDeleted && !f.all && !t.Deleted.IsZero():
	case f.minDate != 0 && d < f.minDate, f.maxDate != 0 && d > f.maxDate:
	case !f.lastUpdate.IsZero() && !t.LastUpdate.After(f.lastUpdate):
	case f.income != nil && *f.income != (t.Minor > 0):
	case f.wording != "" && !strings.Contains(strings.ToLower(t.Label+" "+t.Simple), f.wording):
	default:
		return true
	}
	return false
}

type txRow struct {
	a *account
	t *txn
}

func (s *Server) handleTransactionIndex(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return
	}
	f, err := parseTxFilter(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.mu.Lock()
	accounts := s.visibleAccountsLocked(u.ID, 0, false)
	if len(accounts) == 0 {
		s.mu.Unlock()
		s.fail(w, r, errNoAccount)
		return
	}
	if id := r.PathValue("a"); id != "" {
		a := s.userAccountLocked(u.ID, id)
		if a == nil || !slices.Contains(accounts, a) {
			s.mu.Unlock()
			s.fail(w, r, errNotFound("Unknown account."))
			return
		}
		accounts = []*account{a}
	}
	var rows []txRow
	for _, a := range accounts {
		for _, t := range a.Txns {
			if f.match(t) {
				rows = append(rows, txRow{a, t})
			}
		}
	}
	body := s.transactionPage(r, f, rows)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// transactionPage orders rows newest first (date, then id) and cuts one
// page; the next link carries an opaque keyset cursor, so pages stay right
// while new transactions arrive.
func (s *Server) transactionPage(r *http.Request, f *txFilter, rows []txRow) map[string]any {
	slices.SortFunc(rows, func(x, y txRow) int { return cmp.Or(cmp.Compare(y.t.Date, x.t.Date), cmp.Compare(y.t.ID, x.t.ID)) })
	body := map[string]any{"first_date": nil, "last_date": nil, "result_min_date": nil, "result_max_date": nil}
	if len(rows) > 0 {
		body["first_date"], body["last_date"] = intDate(rows[len(rows)-1].t.Date), intDate(rows[0].t.Date)
	}
	if f.cursorID != 0 {
		i, _ := slices.BinarySearchFunc(rows, txRow{t: &txn{Date: f.cursorDate, ID: f.cursorID}}, func(x, y txRow) int {
			return cmp.Or(cmp.Compare(y.t.Date, x.t.Date), cmp.Compare(y.t.ID, x.t.ID))
		})
		if i < len(rows) && rows[i].t.ID == f.cursorID {
			i++
		}
		rows = rows[i:]
	}
	rows = rows[min(f.offset, len(rows)):]
	more := len(rows) > f.limit
	rows = rows[:min(f.limit, len(rows))]
	list := make([]transactionJSON, 0, len(rows))
	for _, row := range rows {
		list = append(list, txnJSON(row.a, row.t))
	}
	body["transactions"] = list
	if len(rows) > 0 {
		body["result_min_date"], body["result_max_date"] = intDate(rows[len(rows)-1].t.Date), intDate(rows[0].t.Date)
	}
	self := s.baseURL(r) + r.URL.RequestURI()
	links := map[string]any{"self": map[string]string{"href": self}, "prev": nil, "next": nil}
	if more {
		last := rows[len(rows)-1].t
		q := r.URL.Query()
		q.Del("offset")
		q.Set("cursor", base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d:%d", last.Date, last.ID)))
		links["next"] = map[string]string{"href": s.baseURL(r) + r.URL.Path + "?" + q.Encode()}
	}
	body["_links"] = links
	return body
}

func (s *Server) handleTransactionView(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.visibleAccountsLocked(u.ID, 0, false) {
		for _, t := range a.Txns {
			if t.ID == id && (t.Deleted.IsZero() || flag(r, "all")) {
				writeJSON(w, http.StatusOK, txnJSON(a, t))
				return
			}
		}
	}
	s.fail(w, r, errNotFound("Unknown transaction."))
}

// investmentsJSON renders an investment account's positions on a day.
func (s *Server) investmentsJSON(p *profile, a *account, on freenahi.Date) []investmentJSON {
	ps := p.positions(a.Slot, on)
	total := investmentBalance(ps)
	out := make([]investmentJSON, 0, len(ps))
	for i, pos := range ps {
		inv := investmentJSON{ID: a.InvIDs[i], IDAccount: a.ID, Label: pos.Inst.Label, Source: "website",
			Quantity: decimal(freenahi.FormatMinor(pos.Qty, pos.QtyScale)), UnitPrice: money(pos.UnitPrice),
			UnitValue: money(pos.UnitValue), Valuation: money(pos.Valuation), Diff: money(pos.Valuation - pos.Cost),
			DiffPercent: decimal(decimalRatio(pos.Valuation-pos.Cost, pos.Cost)), VDate: day(on.Int()),
			PortfolioShare: decimal(decimalRatio(pos.Valuation, total)),
			Calculated:     []string{"diff", "diff_percent", "portfolio_share"}, LastUpdate: datetime{a.LastUpdate}}
		if pos.Inst.ISINBase != "" {
			inv.Code, inv.CodeType = ptr(isin(pos.Inst.ISINBase)), "ISIN"
		}
		out = append(out, inv)
	}
	return out
}

func (s *Server) handleInvestmentIndex(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	accounts := s.visibleAccountsLocked(u.ID, 0, false)
	if len(accounts) == 0 {
		s.fail(w, r, errNoAccount)
		return
	}
	today := parisDate(s.now())
	list := []investmentJSON{}
	var valuation, cost int64
	for _, a := range accounts {
		if id := r.PathValue("a"); (id != "" && id != strconv.FormatInt(a.ID, 10)) || len(a.InvIDs) == 0 {
			continue
		}
		p := s.profile(s.st.Connections[a.ConnectionID])
		list = append(list, s.investmentsJSON(p, a, today)...)
		for _, pos := range p.positions(a.Slot, today) {
			valuation, cost = valuation+pos.Valuation, cost+pos.Cost
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"investments": list, "valuation": money(valuation),
		"diff": money(valuation - cost), "diff_percent": decimal(decimalRatio(valuation-cost, cost)),
		"prev_diff": nil, "prev_diff_percent": nil, "calculated": []string{"diff", "diff_percent"}})
}
