package api

import (
	"net/http"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// registerBudgetRoutes serves budgets, recurring payments; split
// transactions go through PATCH /api/v1/transactions/{id}.
func (s *Handler) registerBudgetRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/budgets", s.requireToken(s.spending(s.handleBudgetIndex)))
	mux.HandleFunc("POST /api/v1/budgets", s.requireToken(s.spending(s.handleBudgetCreate)))
	mux.HandleFunc("GET /api/v1/budgets/progress", s.requireToken(s.spending(s.handleBudgetProgress)))
	mux.HandleFunc("PATCH /api/v1/budgets/{id}", s.requireToken(s.spending(s.handleBudgetUpdate)))
	mux.HandleFunc("DELETE /api/v1/budgets/{id}", s.requireToken(s.spending(s.handleBudgetDelete)))
	mux.HandleFunc("GET /api/v1/reports/recurring", s.requireToken(s.spending(s.handleRecurringIndex)))
	mux.HandleFunc("POST /api/v1/reports/recurring/dismissals", s.requireToken(s.spending(s.handleRecurringDismiss)))
}

// paris is where "this month" and "today" are reckoned, like Powens' dates.
var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return l
}()

// today is the current date in Paris, or the clock tests set.
func (s *Handler) today() freenahi.Date {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return freenahi.DateOf(now().In(paris))
}

type budgetJSON struct {
	ID         int64   `json:"id"`
	CategoryID int64   `json:"category_id"`
	Category   *string `json:"category"`
	Amount     string  `json:"amount"`
	Currency   string  `json:"currency"`
	Rollover   bool    `json:"rollover"`
	Start      string  `json:"start"`
}

func (m categoryNameMap) budget(b *freenahi.Budget) budgetJSON {
	j := budgetJSON{ID: b.ID, CategoryID: b.CategoryID, Amount: b.Amount().Decimal(), Currency: b.Currency.Code,
		Rollover: b.Rollover, Start: b.Start.String()[:7]}
	if name, ok := m[b.CategoryID]; ok {
		j.Category = &name
	}
	return j
}

type budgetInputJSON struct {
	CategoryID *int64            `json:"category_id"`
	Amount     *freenahi.Decimal `json:"amount"`
	Currency   string            `json:"currency"`
	Rollover   *bool             `json:"rollover"`
}

func (in budgetInputJSON) domain() freenahi.BudgetInput {
	return freenahi.BudgetInput{CategoryID: in.CategoryID, Amount: in.Amount, Currency: in.Currency, Rollover: in.Rollover}
}

func (s *Handler) handleBudgetIndex(w http.ResponseWriter, r *http.Request) {
	if err := request.NewParams(r.URL.Query()).Err; err != nil {
		respond.Error(w, r, err)
		return
	}
	userID := request.User(r.Context()).ID
	bs, err := s.Spending.FindBudgets(r.Context(), userID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	names := s.categoryNames(r.Context(), userID)
	out := struct {
		Budgets []budgetJSON `json:"budgets"`
	}{Budgets: make([]budgetJSON, 0, len(bs))}
	for _, b := range bs {
		out.Budgets = append(out.Budgets, names.budget(b))
	}
	respond.JSON(w, r, http.StatusOK, out)
}

func (s *Handler) handleBudgetCreate(w http.ResponseWriter, r *http.Request) {
	var in budgetInputJSON
	if err := decodeBody(w, r, &in); err != nil {
		respond.Error(w, r, err)
		return
	}
	userID := request.User(r.Context()).ID
	b, err := s.Spending.CreateBudget(r.Context(), userID, in.domain())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusCreated, s.categoryNames(r.Context(), userID).budget(b))
}

func (s *Handler) handleBudgetUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var in budgetInputJSON
	if err == nil {
		err = decodeBody(w, r, &in)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	userID := request.User(r.Context()).ID
	b, err := s.Spending.UpdateBudget(r.Context(), userID, id, in.domain())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, s.categoryNames(r.Context(), userID).budget(b))
}

func (s *Handler) handleBudgetDelete(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = s.Spending.DeleteBudget(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type budgetProgressJSON struct {
	Budget    budgetJSON `json:"budget"`
	Spent     string     `json:"spent"`
	Carried   string     `json:"carried"`
	Available string     `json:"available"`
	Left      string     `json:"left"`
	Over      bool       `json:"over"`
}

// handleBudgetProgress answers where each budget stands in ?month=YYYY-MM
// (default: this month).
func (s *Handler) handleBudgetProgress(w http.ResponseWriter, r *http.Request) {
	p := request.NewParams(r.URL.Query(), "month")
	month := s.today()
	var err error
	if m := p.Str("month"); p.Err == nil && m != "" {
		month, err = freenahi.ParseMonth("month", m)
	}
	if err == nil {
		err = p.Err
	}
	userID := request.User(r.Context()).ID
	var ps []freenahi.BudgetProgress
	if err == nil {
		ps, err = s.Spending.BudgetProgress(r.Context(), userID, month)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	names := s.categoryNames(r.Context(), userID)
	out := struct {
		Month   string               `json:"month"`
		Budgets []budgetProgressJSON `json:"budgets"`
	}{Month: month.String()[:7], Budgets: make([]budgetProgressJSON, 0, len(ps))}
	for _, bp := range ps {
		e := bp.Budget.Currency.Exponent
		out.Budgets = append(out.Budgets, budgetProgressJSON{Budget: names.budget(bp.Budget),
			Spent: freenahi.FormatMinor(bp.SpentMinor, e), Carried: freenahi.FormatMinor(bp.CarriedMinor, e),
			Available: freenahi.FormatMinor(bp.AvailableMinor, e), Left: freenahi.FormatMinor(bp.LeftMinor, e), Over: bp.Over()})
	}
	respond.JSON(w, r, http.StatusOK, out)
}

type recurringJSON struct {
	Key        string  `json:"key"`
	Payee      string  `json:"payee"`
	Interval   string  `json:"interval"`
	Currency   string  `json:"currency"`
	Amount     string  `json:"amount"`
	YearlyCost string  `json:"yearly_cost"`
	Count      int     `json:"count"`
	First      string  `json:"first"`
	Last       string  `json:"last"`
	Next       string  `json:"next"`
	CategoryID *int64  `json:"category_id"`
	Category   *string `json:"category"`
	Dismissed  bool    `json:"dismissed"`
}

// handleRecurringIndex lists the recurring payments running on ?on
// (default today), dismissed ones marked.
func (s *Handler) handleRecurringIndex(w http.ResponseWriter, r *http.Request) {
	p := request.NewParams(r.URL.Query(), "on")
	on := p.Date("on")
	if p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	today := s.today()
	if on != nil {
		today = *on
	}
	userID := request.User(r.Context()).ID
	found, err := s.Spending.FindRecurring(r.Context(), userID, today)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	names := s.categoryNames(r.Context(), userID)
	out := struct {
		Recurring []recurringJSON `json:"recurring"`
	}{Recurring: make([]recurringJSON, 0, len(found))}
	for _, rc := range found {
		e := rc.Currency.Exponent
		j := recurringJSON{Key: rc.Key, Payee: rc.Payee, Interval: string(rc.Interval), Currency: rc.Currency.Code,
			Amount: freenahi.FormatMinor(rc.AmountMinor, e), YearlyCost: freenahi.FormatMinor(rc.YearlyMinor, e), Count: rc.Count,
			First: rc.First.String(), Last: rc.Last.String(), Next: rc.Next.String(), CategoryID: rc.CategoryID, Dismissed: rc.Dismissed}
		if rc.CategoryID != nil {
			if name, ok := names[*rc.CategoryID]; ok {
				j.Category = &name
			}
		}
		out.Recurring = append(out.Recurring, j)
	}
	respond.JSON(w, r, http.StatusOK, out)
}

// handleRecurringDismiss marks a series as not recurring, or takes the mark back.
func (s *Handler) handleRecurringDismiss(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Key       string `json:"key"`
		Dismissed *bool  `json:"dismissed"`
	}
	if err := decodeBody(w, r, &in); err != nil {
		respond.Error(w, r, err)
		return
	}
	dismissed := in.Dismissed == nil || *in.Dismissed
	if err := s.Spending.DismissRecurring(r.Context(), request.User(r.Context()).ID, in.Key, dismissed); err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, map[string]any{"key": in.Key, "dismissed": dismissed})
}
