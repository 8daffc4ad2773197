package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/freenahi/freenahi"
)

// registerAPIRoutes registers the JSON API; every route requires an API token
// and every query is scoped to the token's user.
func (s *Server) registerAPIRoutes() {
	s.mux.HandleFunc("GET /api/openapi.json", s.handleOpenAPI)
	s.mux.HandleFunc("GET /api/v1/accounts", s.requireToken(s.handleAccountIndex))
	s.mux.HandleFunc("GET /api/v1/accounts/{id}", s.requireToken(s.handleAccountView))
	s.mux.HandleFunc("GET /api/v1/accounts/{id}/balances", s.requireToken(s.handleAccountBalances))
	s.mux.HandleFunc("GET /api/v1/transactions", s.requireToken(s.handleTransactionIndex))
	s.mux.HandleFunc("GET /api/v1/transactions/{id}", s.requireToken(s.handleTransactionView))
	s.mux.HandleFunc("GET /api/v1/investments", s.requireToken(s.handleInvestmentIndex))
	s.mux.HandleFunc("GET /api/v1/loans", s.requireToken(s.handleLoanIndex))
	s.mux.HandleFunc("GET /api/v1/connections", s.requireToken(s.handleConnectionIndex))
	s.mux.HandleFunc("GET /api/v1/connections/{id}", s.requireToken(s.handleConnectionView))
	s.mux.HandleFunc("/api/", s.notFound)
}

func (s *Server) handleAccountIndex(w http.ResponseWriter, r *http.Request) {
	p := newParams(r.URL.Query(), "type", "group", "include_deleted")
	f := freenahi.AccountFilter{UserID: userFrom(r.Context()).ID, Type: p.str("type"),
		Group: freenahi.AccountGroup(p.str("group")), IncludeDeleted: p.bool("include_deleted")}
	if f.Group != "" && !slices.Contains(freenahi.AccountGroups, f.Group) {
		p.err = freenahi.FieldErrorf("group", "%q is not one of checking, savings, investments, loans, other", f.Group)
	}
	if p.err != nil {
		s.Error(w, r, p.err)
		return
	}
	accounts, err := s.Accounts.FindAccounts(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := struct {
		Accounts []accountJSON `json:"accounts"`
		Totals   []totalJSON   `json:"totals"`
	}{Accounts: []accountJSON{}, Totals: []totalJSON{}}
	for _, a := range accounts {
		out.Accounts = append(out.Accounts, toAccountJSON(a))
	}
	for _, t := range freenahi.Totals(accounts) {
		out.Totals = append(out.Totals, totalJSON{Group: string(t.Group), Amount: t.Money.Decimal(), Currency: t.Money.Currency.Code, Accounts: t.Count})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) handleAccountView(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r.PathValue("id"), "Account")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	a, err := s.Accounts.FindAccountByID(r.Context(), userFrom(r.Context()).ID, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, toAccountJSON(a))
}

func (s *Server) handleAccountBalances(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r.PathValue("id"), "Account")
	p := newParams(r.URL.Query(), "from", "to")
	from, to := p.date("from"), p.date("to")
	if err == nil {
		err = p.err
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var f, t freenahi.Date
	if from != nil {
		f = *from
	}
	if to != nil {
		t = *to
	}
	snaps, err := s.Accounts.FindBalances(r.Context(), userFrom(r.Context()).ID, id, f, t)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	type point struct {
		At      string  `json:"at"`
		Balance string  `json:"balance"`
		Coming  *string `json:"coming"`
	}
	out := struct {
		AccountID int64   `json:"account_id"`
		Balances  []point `json:"balances"`
	}{AccountID: id, Balances: []point{}}
	for _, b := range snaps {
		out.Balances = append(out.Balances, point{At: *timeUTC(&b.At), Balance: freenahi.FormatMinor(b.BalanceMinor, b.Currency.Exponent),
			Coming: amountPtr(b.ComingMinor, b.Currency)})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) handleTransactionIndex(w http.ResponseWriter, r *http.Request) {
	p := newParams(r.URL.Query(), "account_id", "from", "to", "min_amount", "max_amount", "q", "include_deleted",
		"exclude_coming", "limit", "cursor")
	f := freenahi.TransactionFilter{
		UserID: userFrom(r.Context()).ID, AccountID: p.int64("account_id"), From: p.date("from"), To: p.date("to"),
		MinAmount: p.decimal("min_amount"), MaxAmount: p.decimal("max_amount"), Query: p.str("q"),
		IncludeDeleted: p.bool("include_deleted"), ExcludeComing: p.bool("exclude_coming"),
		Limit: p.limit("limit"), After: p.cursor("cursor"),
	}
	if p.err != nil {
		s.Error(w, r, p.err)
		return
	}
	txs, next, err := s.Transactions.FindTransactions(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := struct {
		Transactions []transactionJSON `json:"transactions"`
		NextCursor   *string           `json:"next_cursor"`
		Next         *string           `json:"next"`
	}{Transactions: make([]transactionJSON, 0, len(txs))}
	for _, t := range txs {
		out.Transactions = append(out.Transactions, toTransactionJSON(t))
	}
	if next != nil {
		c := next.String()
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[k] = v
		}
		q.Set("cursor", c)
		link := r.URL.Path + "?" + q.Encode()
		out.NextCursor, out.Next = &c, &link
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) handleTransactionView(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r.PathValue("id"), "Transaction")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	t, err := s.Transactions.FindTransactionByID(r.Context(), userFrom(r.Context()).ID, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, toTransactionJSON(t))
}

func (s *Server) handleInvestmentIndex(w http.ResponseWriter, r *http.Request) {
	p := newParams(r.URL.Query(), "account_id")
	accountID := p.int64("account_id")
	if p.err != nil {
		s.Error(w, r, p.err)
		return
	}
	invs, err := s.Wealth.FindInvestments(r.Context(), userFrom(r.Context()).ID, accountID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := struct {
		Investments []investmentJSON `json:"investments"`
	}{Investments: []investmentJSON{}}
	for _, in := range invs {
		out.Investments = append(out.Investments, toInvestmentJSON(in))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) handleLoanIndex(w http.ResponseWriter, r *http.Request) {
	if p := newParams(r.URL.Query()); p.err != nil {
		s.Error(w, r, p.err)
		return
	}
	loans, err := s.Wealth.FindLoans(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := struct {
		Loans []loanJSON `json:"loans"`
	}{Loans: []loanJSON{}}
	for _, l := range loans {
		out.Loans = append(out.Loans, toLoanJSON(l))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) handleConnectionIndex(w http.ResponseWriter, r *http.Request) {
	if p := newParams(r.URL.Query()); p.err != nil {
		s.Error(w, r, p.err)
		return
	}
	conns, err := s.Connections.FindConnections(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := struct {
		Connections []connectionJSON `json:"connections"`
	}{Connections: []connectionJSON{}}
	for _, c := range conns {
		out.Connections = append(out.Connections, toConnectionJSON(c))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) handleConnectionView(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r.PathValue("id"), "Connection")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.Connections.FindConnectionByID(r.Context(), userFrom(r.Context()).ID, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, toConnectionJSON(c))
}
