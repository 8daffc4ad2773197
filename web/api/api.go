package api

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/internal/lru"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// Handler serves the JSON API under /api/v1 and its OpenAPI document at
// /api/openapi.json. Every route requires an API token (Authorization:
// Bearer) and every query is scoped to the token's user. Set the fields,
// then Register.
type Handler struct {
	Users        freenahi.UserService
	Connections  freenahi.ConnectionService
	Accounts     freenahi.AccountService
	Transactions freenahi.TransactionService
	Wealth       freenahi.WealthService
	// History rebuilds balance and net-worth histories; nil answers 503.
	History freenahi.HistoryService
	// Aggregator acts through Powens (sync, webview links); nil when Powens
	// is not configured, and those endpoints then answer 503.
	Aggregator Aggregator
	// Statements writes account statements (CFONB 120, CSV); nil answers 503.
	Statements freenahi.StatementExporter
	// Inqom maps accounts to Inqom dossiers and keeps the export ledger;
	// nil answers 503.
	Inqom freenahi.InqomService
	// Spending keeps categories, rules, edits and reports; nil answers 503.
	Spending freenahi.SpendingService
	// Imports reads bank files into manual accounts; nil answers 503.
	Imports bankfile.Service
	// Assets keeps the person's manual assets; nil answers 503.
	Assets freenahi.AssetService
	// Shares keeps the accounts shared between users (households); nil
	// answers 503 on its routes, and the others show no shared account.
	Shares freenahi.ShareService
	Logger *slog.Logger
	// Now is the clock of "today" and "this month"; nil is time.Now.
	Now func() time.Time
	// Pages tells when a person's net worth changed, so that it is cached
	// between requests; nil computes it at every request.
	Pages freenahi.PageVersioner

	netWorths *lru.Cache[netWorthKey, *netWorthEntry] // networth_cache.go
}

// Aggregator is what the API asks of the link with Powens; it is
// implemented by *aggregator.Service.
type Aggregator interface {
	// Reconcile queues a pull of everything that changed at Powens for the
	// user and returns the number of connections pulled.
	Reconcile(ctx context.Context, userID int64) (int, error)
	// SyncConnection asks Powens to sync one of the user's connections (ours)
	// now, then pulls it; ENOTFOUND for a connection of someone else.
	SyncConnection(ctx context.Context, userID, connectionID int64) (*freenahi.Connection, error)
	// WebviewURL returns a fresh link to a Powens webview flow (connect,
	// manage or reconnect); ENOTFOUND for an unknown flow.
	WebviewURL(ctx context.Context, userID int64, flow string, connectionID int64) (string, error)
}

//go:embed openapi.json
var openAPIDocument []byte

// Register registers the API's routes on mux.
func (s *Handler) Register(mux *http.ServeMux) {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	s.netWorths = newNetWorthCache()
	mux.HandleFunc("GET /api/openapi.json", handleOpenAPI)
	mux.HandleFunc("GET /api/v1/accounts", s.requireToken(s.handleAccountIndex))
	mux.HandleFunc("GET /api/v1/accounts/{id}", s.requireToken(s.handleAccountView))
	mux.HandleFunc("GET /api/v1/transactions", s.requireToken(s.handleTransactionIndex))
	mux.HandleFunc("GET /api/v1/transactions/{id}", s.requireToken(s.handleTransactionView))
	mux.HandleFunc("GET /api/v1/investments", s.requireToken(s.handleInvestmentIndex))
	mux.HandleFunc("GET /api/v1/loans", s.requireToken(s.handleLoanIndex))
	mux.HandleFunc("GET /api/v1/connections", s.requireToken(s.handleConnectionIndex))
	mux.HandleFunc("GET /api/v1/connections/{id}", s.requireToken(s.handleConnectionView))
	mux.HandleFunc("/api/", notFound)
	s.registerSyncRoutes(mux)
	s.registerExportRoutes(mux)
	s.registerHistoryRoutes(mux)
	s.registerSpendingRoutes(mux)
	s.registerSearchRoutes(mux)
	s.registerImportRoutes(mux)
	s.registerAssetRoutes(mux)
	s.registerLoanRoutes(mux)
	s.registerShareRoutes(mux)
}

func handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPIDocument)
}

// notFound answers unknown API routes in the problem format.
func notFound(w http.ResponseWriter, r *http.Request) {
	respond.Error(w, r, freenahi.Errorf(freenahi.ENOTFOUND, "No such endpoint: %s", r.URL.Path))
}

func (s *Handler) handleAccountIndex(w http.ResponseWriter, r *http.Request) {
	p := request.NewParams(r.URL.Query(), "type", "group", "include_deleted")
	f := freenahi.AccountFilter{UserID: request.User(r.Context()).ID, Type: p.Str("type"),
		Group: freenahi.AccountGroup(p.Str("group")), IncludeDeleted: p.Bool("include_deleted"), WithShared: s.Shares != nil}
	if f.Group != "" && !slices.Contains(freenahi.AccountGroups, f.Group) {
		p.Err = freenahi.FieldErrorf("group", "%q is not one of checking, savings, investments, loans, other", f.Group)
	}
	if p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	accounts, err := s.Accounts.FindAccounts(r.Context(), f)
	if err != nil {
		respond.Error(w, r, err)
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
	respond.JSON(w, r, http.StatusOK, out)
}

func (s *Handler) handleAccountView(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	a, err := s.Accounts.FindVisibleAccount(r.Context(), request.User(r.Context()).ID, id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, toAccountJSON(a))
}

func (s *Handler) handleTransactionIndex(w http.ResponseWriter, r *http.Request) {
	p := request.NewParams(r.URL.Query(), "account_id", "from", "to", "min_amount", "max_amount", "q", "include_deleted",
		"exclude_coming", "limit", "cursor", "category_id", "payee", "direction", "tag", "totals", "sort", "before")
	f := freenahi.TransactionFilter{CategoryID: categoryParam(p), Payee: p.Str("payee"),
		UserID: request.User(r.Context()).ID, AccountID: p.Int64("account_id"), From: p.Date("from"), To: p.Date("to"),
		MinAmount: p.Decimal("min_amount"), MaxAmount: p.Decimal("max_amount"), Query: p.Str("q"),
		IncludeDeleted: p.Bool("include_deleted"), ExcludeComing: p.Bool("exclude_coming"),
		Limit: p.Limit("limit"), After: p.Cursor("cursor"), Direction: p.Str("direction"), Tag: p.Str("tag"),
		Sort: p.Str("sort"), Before: p.Cursor("before"),
		WithShared: s.Shares != nil,
	}
	withTotals := p.Bool("totals")
	if p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	page, err := s.Transactions.FindTransactionPage(r.Context(), f)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	txs := page.Transactions
	out := struct {
		Transactions []transactionJSON `json:"transactions"`
		NextCursor   *string           `json:"next_cursor"`
		Next         *string           `json:"next"`
		PrevCursor   *string           `json:"prev_cursor"`
		Prev         *string           `json:"prev"`
		Totals       []matchTotalJSON  `json:"totals,omitempty"`
	}{Transactions: make([]transactionJSON, 0, len(txs))}
	if withTotals {
		// Only on request: counting every match costs more than a page.
		totals, err := s.Transactions.SumTransactions(r.Context(), f)
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		out.Totals = make([]matchTotalJSON, 0, len(totals))
		for _, t := range totals {
			out.Totals = append(out.Totals, matchTotalJSON{Currency: t.Currency.Code, Count: t.Count,
				Sum: freenahi.FormatMinor(t.SumMinor, t.Currency.Exponent)})
		}
	}
	// A shared account's transactions are filed in its owner's categories.
	names := map[int64]categoryNameMap{}
	for _, t := range txs {
		if _, ok := names[t.UserID]; !ok {
			names[t.UserID] = s.categoryNames(r.Context(), t.UserID)
		}
		out.Transactions = append(out.Transactions, names[t.UserID].named(toTransactionJSON(t)))
	}
	out.NextCursor, out.Next = pageLink(r, "cursor", page.Next)
	out.PrevCursor, out.Prev = pageLink(r, "before", page.Prev)
	respond.JSON(w, r, http.StatusOK, out)
}

func (s *Handler) handleTransactionView(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var t *freenahi.Transaction
	if s.Shares != nil {
		t, _, err = s.Shares.FindVisibleTransaction(r.Context(), request.User(r.Context()).ID, id)
	} else {
		t, err = s.Transactions.FindTransactionByID(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, s.categoryNames(r.Context(), t.UserID).named(toTransactionJSON(t)))
}

func (s *Handler) handleInvestmentIndex(w http.ResponseWriter, r *http.Request) {
	p := request.NewParams(r.URL.Query(), "account_id")
	accountID := p.Int64("account_id")
	if p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	invs, err := s.Wealth.FindInvestments(r.Context(), request.User(r.Context()).ID, accountID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Investments []investmentJSON `json:"investments"`
	}{Investments: []investmentJSON{}}
	for _, in := range invs {
		out.Investments = append(out.Investments, toInvestmentJSON(in))
	}
	respond.JSON(w, r, http.StatusOK, out)
}

func (s *Handler) handleLoanIndex(w http.ResponseWriter, r *http.Request) {
	if p := request.NewParams(r.URL.Query()); p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	loans, err := s.Wealth.FindLoans(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Loans []loanJSON `json:"loans"`
	}{Loans: []loanJSON{}}
	for _, l := range loans {
		out.Loans = append(out.Loans, toLoanJSON(l))
	}
	respond.JSON(w, r, http.StatusOK, out)
}

func (s *Handler) handleConnectionIndex(w http.ResponseWriter, r *http.Request) {
	if p := request.NewParams(r.URL.Query()); p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	conns, err := s.Connections.FindConnections(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Connections []connectionJSON `json:"connections"`
	}{Connections: []connectionJSON{}}
	for _, c := range conns {
		out.Connections = append(out.Connections, toConnectionJSON(c))
	}
	respond.JSON(w, r, http.StatusOK, out)
}

func (s *Handler) handleConnectionView(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	c, err := s.Connections.FindConnectionByID(r.Context(), request.User(r.Context()).ID, id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, toConnectionJSON(c))
}

// matchTotalJSON is the count and exact sum of one currency's matches.
type matchTotalJSON struct {
	Currency string `json:"currency"`
	Count    int64  `json:"count"`
	Sum      string `json:"sum"`
}
