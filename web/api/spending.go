package api

import (
	"context"
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Handler) registerSpendingRoutes(mux *http.ServeMux) {
	mux.HandleFunc("PATCH /api/v1/transactions/{id}", s.requireToken(s.spending(s.handleTransactionEdit)))
	mux.HandleFunc("GET /api/v1/categories", s.requireToken(s.spending(s.handleCategoryIndex)))
	mux.HandleFunc("POST /api/v1/categories", s.requireToken(s.spending(s.handleCategoryCreate)))
	mux.HandleFunc("PATCH /api/v1/categories/{id}", s.requireToken(s.spending(s.handleCategoryUpdate)))
	mux.HandleFunc("POST /api/v1/categories/{id}/merge", s.requireToken(s.spending(s.handleCategoryMerge)))
	mux.HandleFunc("GET /api/v1/rules", s.requireToken(s.spending(s.handleRuleIndex)))
	mux.HandleFunc("POST /api/v1/rules", s.requireToken(s.spending(s.handleRuleCreate)))
	mux.HandleFunc("POST /api/v1/rules/dry-run", s.requireToken(s.spending(s.handleRuleDryRun)))
	mux.HandleFunc("POST /api/v1/rules/{id}/apply", s.requireToken(s.spending(s.handleRuleApply)))
	mux.HandleFunc("DELETE /api/v1/rules/{id}", s.requireToken(s.spending(s.handleRuleDelete)))
	mux.HandleFunc("PATCH /api/v1/rules/{id}", s.requireToken(s.spending(s.handleRuleUpdate)))
	mux.HandleFunc("GET /api/v1/reports/cashflow", s.requireToken(s.spending(s.handleReportCashflow)))
	mux.HandleFunc("GET /api/v1/reports/spending", s.requireToken(s.spending(s.handleReportSpending)))
	mux.HandleFunc("POST /api/v1/transfers/detect", s.requireToken(s.spending(s.handleTransferDetect)))
	s.registerBudgetRoutes(mux)
}

// spending answers 503 when the server has no spending service.
func (s *Handler) spending(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Spending == nil {
			respond.Error(w, r, freenahi.Errorf(freenahi.EUNAVAILABLE, "Categories and reports are not configured on this server."))
			return
		}
		h(w, r)
	}
}

// categoryParam reads category_id: a category's id, or "none" for
// transactions without a category.
func categoryParam(p *request.Params) *int64 {
	if p.Str("category_id") == "none" {
		none := int64(0)
		return &none
	}
	return p.Int64("category_id")
}

// categoryNameMap names the user's categories for transaction documents.
type categoryNameMap map[int64]string

// categoryNames reads the user's category names; without a spending
// service, or when it fails, transactions simply carry no name.
func (s *Handler) categoryNames(ctx context.Context, userID int64) categoryNameMap {
	if s.Spending == nil {
		return nil
	}
	cs, err := s.Spending.FindCategories(ctx, userID)
	if err != nil {
		return nil
	}
	m := make(categoryNameMap, len(cs))
	for _, c := range cs {
		m[c.ID] = c.Name
	}
	return m
}

func (m categoryNameMap) named(j transactionJSON) transactionJSON {
	if j.CategoryID != nil {
		if name, ok := m[*j.CategoryID]; ok {
			j.Category = &name
		}
	}
	for i, sp := range j.Splits {
		if name, ok := m[sp.CategoryID]; ok {
			j.Splits[i].Category = &name
		}
	}
	return j
}

type transactionEditJSON struct {
	CategoryID *int64       `json:"category_id"`
	Payee      *string      `json:"payee"`
	Note       *string      `json:"note"`
	Tags       *[]string    `json:"tags"`
	Transfer   *bool        `json:"transfer"`
	Splits     *[]splitJSON `json:"splits"`
}

// splitJSON is one part of a split: amounts are decimal text, signed like
// the transaction's, and the parts add up to its amount.
type splitJSON struct {
	CategoryID int64            `json:"category_id"`
	Amount     freenahi.Decimal `json:"amount"`
}

// splitOutJSON is a part as the API answers it, its amount with the
// currency's decimals.
type splitOutJSON struct {
	CategoryID int64   `json:"category_id"`
	Category   *string `json:"category,omitempty"`
	Amount     string  `json:"amount"`
}

func (s *Handler) handleTransactionEdit(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var in transactionEditJSON
	if err == nil {
		err = decodeBody(w, r, &in)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	userID := request.User(r.Context()).ID
	edit := freenahi.TransactionEdit{CategoryID: in.CategoryID, Payee: in.Payee, Note: in.Note, Tags: in.Tags, Transfer: in.Transfer}
	if in.Splits != nil {
		parts := make([]freenahi.SplitPart, len(*in.Splits))
		for i, sp := range *in.Splits {
			parts[i] = freenahi.SplitPart{CategoryID: sp.CategoryID, Amount: sp.Amount}
		}
		edit.Splits = &parts
	}
	t, err := s.Spending.EditTransaction(r.Context(), userID, id, edit)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, s.categoryNames(r.Context(), t.UserID).named(toTransactionJSON(t)))
}

type categoryJSON struct {
	ID       int64   `json:"id"`
	ParentID *int64  `json:"parent_id"`
	Key      *string `json:"key"`
	Name     string  `json:"name"`
	Renamed  bool    `json:"renamed"`
	Hidden   bool    `json:"hidden"`
}

func toCategoryJSON(c *freenahi.Category) categoryJSON {
	return categoryJSON{ID: c.ID, ParentID: c.ParentID, Key: strPtrOrNil(c.Key), Name: c.Name, Renamed: c.Renamed, Hidden: c.Hidden}
}

func (s *Handler) handleCategoryIndex(w http.ResponseWriter, r *http.Request) {
	if err := request.NewParams(r.URL.Query()).Err; err != nil {
		respond.Error(w, r, err)
		return
	}
	cs, err := s.Spending.FindCategories(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Categories []categoryJSON `json:"categories"`
	}{Categories: make([]categoryJSON, 0, len(cs))}
	for _, c := range cs {
		out.Categories = append(out.Categories, toCategoryJSON(c))
	}
	respond.JSON(w, r, http.StatusOK, out)
}

func (s *Handler) handleCategoryCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name     string `json:"name"`
		ParentID *int64 `json:"parent_id"`
	}
	if err := decodeBody(w, r, &in); err != nil {
		respond.Error(w, r, err)
		return
	}
	c, err := s.Spending.CreateCategory(r.Context(), request.User(r.Context()).ID, in.Name, in.ParentID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusCreated, toCategoryJSON(c))
}

func (s *Handler) handleCategoryUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var in struct {
		Name     *string `json:"name"`
		Hidden   *bool   `json:"hidden"`
		ParentID *int64  `json:"parent_id"`
	}
	if err == nil {
		err = decodeBody(w, r, &in)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	c, err := s.Spending.UpdateCategory(r.Context(), request.User(r.Context()).ID, id,
		freenahi.CategoryUpdate{Name: in.Name, Hidden: in.Hidden, ParentID: in.ParentID})
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, toCategoryJSON(c))
}

func (s *Handler) handleCategoryMerge(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var in struct {
		Into int64 `json:"into"`
	}
	if err == nil {
		err = decodeBody(w, r, &in)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	moved, err := s.Spending.MergeCategory(r.Context(), request.User(r.Context()).ID, id, in.Into)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, map[string]int{"moved_transactions": moved})
}

// handleTransferDetect pairs the user's transfers between their own accounts.
func (s *Handler) handleTransferDetect(w http.ResponseWriter, r *http.Request) {
	n, err := s.Spending.DetectTransfers(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, map[string]int{"pairs": n})
}
