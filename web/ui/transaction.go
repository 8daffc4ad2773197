package ui

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Handler) registerUITransactionRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /transactions", s.signedIn(s.handleUITransactionIndex))
	mux.HandleFunc("GET /transactions.csv", s.signedIn(s.handleUITransactionCSV))
	s.registerUISavedSearchRoutes(mux)
}

// txFilterParams are the query parameters of the transactions page and its CSV.
var txFilterParams = []string{"q", "from", "to", "min_amount", "max_amount", "account_id", "cursor", "msg", "separator", "category_id", "payee",
	"direction", "tag", "sort", "before"}

// transactionsView is the transactions page.
type transactionsView struct {
	// Form holds the filter as typed, to show it back.
	Form         url.Values
	Accounts     []*freenahi.Account
	AccountNames map[int64]string
	Transactions []*freenahi.Transaction
	// Next is the URL of the following page; Prev, of the one before;
	// First, of the first page when this is not it; CSV, of the download
	// of the whole filter.
	Next, Prev, First, CSV string
	// Sorts are the orders offered; CategoryGroups and Tags the category
	// and tag choices of the filter (see searchChoices).
	Sorts          []string
	CategoryGroups []categoryGroup
	Tags           []string
	// Categories names the user's categories; nil without categories.
	Categories map[int64]string
	// Banks are the active accounts the filter offers, by bank.
	Banks []accountGroup
	// Count is how many transactions the whole filter selects; Sums their
	// exact sum per currency.
	// Totaled tells that the page is a search (text, amounts, direction,
	// tag, category or payee): plain browsing by account and dates shows no
	// totals, which would read every row of a long history for each page.
	Totaled bool
	Count   int64
	Sums    []freenahi.Money
	// Saved are the person's saved searches; Query, this page's search
	// as one would be saved.
	Saved []savedSearchLink
	Query string
}

// accountGroup is one bank's active accounts.
type accountGroup struct {
	Bank     string
	Accounts []*freenahi.Account
}

// activeAccountsByBank keeps the accounts a person can still pick (neither
// disabled nor deleted), grouped by bank in the order of their connections.
func activeAccountsByBank(accounts []*freenahi.Account, conns []*freenahi.Connection) []accountGroup {
	var groups []accountGroup
	for _, c := range conns {
		g := accountGroup{Bank: c.BankName}
		for _, a := range accounts {
			if a.ConnectionID == c.ID && a.Disabled == nil && a.Deleted == nil {
				g.Accounts = append(g.Accounts, a)
			}
		}
		if len(g.Accounts) > 0 {
			groups = append(groups, g)
		}
	}
	// Accounts shared with the person, under their bank and owner.
	for _, a := range accounts {
		if a.Shared == nil || a.Disabled != nil || a.Deleted != nil {
			continue
		}
		label := a.BankName + " · " + a.Shared.OwnerEmail
		if n := len(groups); n > 0 && groups[n-1].Bank == label {
			groups[n-1].Accounts = append(groups[n-1].Accounts, a)
			continue
		}
		groups = append(groups, accountGroup{Bank: label, Accounts: []*freenahi.Account{a}})
	}
	return groups
}

// transactionFilter reads the filter of the page; the cursor is the keyset
// position (date, id) of the page, never an offset.
func transactionFilter(r *http.Request, userID int64, limit int) (freenahi.TransactionFilter, error) {
	p := request.NewParams(r.URL.Query(), txFilterParams...)
	f := freenahi.TransactionFilter{UserID: userID, Query: p.Str("q"), From: p.Date("from"), To: p.Date("to"),
		MinAmount: p.Decimal("min_amount"), MaxAmount: p.Decimal("max_amount"), AccountID: p.Int64("account_id"),
		After: p.Cursor("cursor"), Limit: limit, Payee: p.Str("payee"), Direction: p.Str("direction"), Tag: p.Str("tag"),
		Sort: p.Str("sort"), Before: p.Cursor("before"),
		WithShared: true} // the page and its CSV show the accounts shared with the person too
	if p.Str("category_id") == "none" {
		f.CategoryID = new(int64)
	} else {
		f.CategoryID = p.Int64("category_id")
	}
	if p.Err != nil {
		return f, p.Err
	}
	return f, f.Validate()
}

func (s *Handler) handleUITransactionIndex(w http.ResponseWriter, r *http.Request) {
	s.renderTransactions(w, r, http.StatusOK, "")
}

// renderTransactions shows the page of r's filter, with problem (already
// in the person's language) as its error when set.
func (s *Handler) renderTransactions(w http.ResponseWriter, r *http.Request, status int, problem string) {
	userID := request.User(r.Context()).ID
	accounts, err := s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: userID, WithShared: s.Shares != nil})
	var conns []*freenahi.Connection
	if err == nil {
		conns, err = s.Connections.FindConnections(r.Context(), userID)
	}
	var saved []*freenahi.SavedSearch
	if err == nil {
		saved, err = s.Transactions.FindSavedSearches(r.Context(), userID)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := transactionsView{Form: r.URL.Query(), Accounts: accounts, AccountNames: accountNames(accounts),
		Banks: activeAccountsByBank(accounts, conns), Saved: savedSearchLinks(saved), Query: searchQuery(r.URL.Query())}
	p := &page{Title: "transactions.title", Nav: "transactions", Data: &v, Error: problem}
	f, err := transactionFilter(r, userID, freenahi.DefaultPageLimit)
	page := &freenahi.TransactionPage{}
	if err == nil {
		page, err = s.Transactions.FindTransactionPage(r.Context(), f)
		v.Transactions = page.Transactions
	}
	if err == nil {
		err = s.searchChoices(r, &v)
	}
	var totals []freenahi.TransactionTotal
	v.Totaled = f.Query != "" || f.MinAmount != nil || f.MaxAmount != nil || f.Direction != "" || f.Tag != "" ||
		f.CategoryID != nil || f.Payee != ""
	if err == nil && v.Totaled {
		totals, err = s.Transactions.SumTransactions(r.Context(), f)
	}
	for _, t := range totals {
		v.Count += t.Count
		v.Sums = append(v.Sums, freenahi.Money{Minor: t.SumMinor, Currency: t.Currency})
	}
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		// A filter typed wrong is shown back with its error, not an error page.
		p.Error = s.localeOf(r).Err(err)
		s.render(w, r, http.StatusBadRequest, "transactions", p)
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	v.Next, v.First, v.CSV = pageLinks(r.URL.Query(), page.Next)
	v.Prev = prevLink(r.URL.Query(), page.Prev)
	v.Categories = s.categoryNames(r)
	s.render(w, r, status, "transactions", p)
}

// pageLinks builds the next-page, first-page and CSV links of a filter.
func pageLinks(q url.Values, next *freenahi.Cursor) (nextURL, firstURL, csvURL string) {
	c := url.Values{}
	for k, v := range q {
		if k != "cursor" && k != "before" && k != "msg" && len(v) > 0 && v[0] != "" {
			c[k] = v[:1]
		}
	}
	if q.Get("cursor") != "" || q.Get("before") != "" {
		firstURL = "/transactions?" + c.Encode()
	}
	csvURL = "/transactions.csv?" + c.Encode()
	if next != nil {
		c.Set("cursor", next.String())
		nextURL = "/transactions?" + c.Encode()
	}
	return nextURL, firstURL, csvURL
}

func accountNames(accounts []*freenahi.Account) map[int64]string {
	names := make(map[int64]string, len(accounts))
	for _, a := range accounts {
		names[a.ID] = a.Title()
	}
	return names
}

// csvPage is how many rows the CSV export reads at a time.
const csvPage = freenahi.MaxPageLimit

// handleUITransactionCSV streams every transaction of the filter, page by
// keyset page, so memory stays flat whatever the size. Amounts are exact
// decimals with a dot. A failure after the first byte cannot become an error
// page: the connection is cut so the download shows as failed, not short.
func (s *Handler) handleUITransactionCSV(w http.ResponseWriter, r *http.Request) {
	userID := request.User(r.Context()).ID
	f, err := transactionFilter(r, userID, csvPage)
	var accounts []*freenahi.Account
	if err == nil {
		accounts, err = s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: userID, IncludeDeleted: true, WithShared: s.Shares != nil})
	}
	var txs []*freenahi.Transaction
	var next *freenahi.Cursor
	if err == nil {
		txs, next, err = s.Transactions.FindTransactions(r.Context(), f)
	}
	var excel bool
	if err == nil {
		excel, err = frenchExcel(r.URL.Query().Get("separator"), s.localeOf(r).Lang())
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="transactions.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	amount := freenahi.FormatMinor
	if excel {
		// French Excel reads UTF-8 only after a byte order mark, splits on
		// ';' and takes "-12,50" (not "-12.50") as a number.
		bw.WriteString("\ufeff")
		cw.Comma = ';'
		amount = func(minor int64, exp int) string {
			return strings.Replace(freenahi.FormatMinor(minor, exp), ".", ",", 1)
		}
	}
	cw.Write([]string{"id", "date", "value_date", "account", "label", "original_label", "type", "amount", "currency", "coming",
		"category", "payee", "tags"})
	names := accountNames(accounts)
	categories := s.categoryNames(r)
	for {
		for _, t := range txs {
			cw.Write([]string{strconv.FormatInt(t.ID, 10), t.Date.String(), t.VDate.String(), csvText(names[t.AccountID]),
				csvText(t.Label()), csvText(t.OriginalWording), t.Type, amount(t.ValueMinor, t.Currency.Exponent),
				t.Currency.Code, strconv.FormatBool(t.Coming), csvText(categoryOf(categories, t)), csvText(t.Payee),
				csvText(strings.Join(t.Tags, ", "))})
		}
		cw.Flush()
		if err = cmp.Or(cw.Error(), bw.Flush()); err != nil || next == nil {
			break
		}
		f.After = next
		if txs, next, err = s.Transactions.FindTransactions(r.Context(), f); err != nil {
			break
		}
	}
	if err != nil {
		request.Logger(r.Context(), s.Logger).Warn("csv export cut short", slog.Any("error", err))
		panic(http.ErrAbortHandler)
	}
}

// frenchExcel reads the separator parameter: "semicolon" is French
// Excel's CSV (';', a byte order mark, decimal commas), "comma" the RFC
// 4180 one with decimal points; without it, French pages get the former.
func frenchExcel(separator, lang string) (bool, error) {
	switch separator {
	case "":
		return lang == "fr", nil
	case "semicolon":
		return true, nil
	case "comma":
		return false, nil
	}
	return false, freenahi.FieldErrorf("separator", "must be comma or semicolon")
}

// csvText keeps a spreadsheet from reading a bank label as a formula.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
