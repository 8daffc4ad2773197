package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/locale"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Handler) registerUISpendingRoutes(mux *http.ServeMux) {
	if s.Spending == nil {
		return
	}
	mux.HandleFunc("GET /transactions/{id}", s.signedIn(s.handleUITransactionView))
	mux.HandleFunc("POST /transactions/{id}", s.signedIn(s.handleUITransactionEdit))
	mux.HandleFunc("GET /categories", s.signedIn(s.handleUICategoryIndex))
	mux.HandleFunc("POST /categories", s.signedIn(s.handleUICategoryCreate))
	mux.HandleFunc("POST /categories/{id}", s.signedIn(s.handleUICategoryUpdate))
	mux.HandleFunc("POST /categories/{id}/merge", s.signedIn(s.handleUICategoryMerge))
	s.registerUIRuleRoutes(mux)
	s.registerUIReportRoutes(mux)
	s.registerUIBudgetRoutes(mux)
}

// categoryOption is a category as pickers and lists show it.
type categoryOption struct {
	*freenahi.Category
	// Label is the name in the page's language: a default category's
	// translation until the person renames it.
	Label string
}

// categoryGroup is a group and its categories, for <optgroup> and lists.
type categoryGroup struct {
	categoryOption
	Children []categoryOption
}

// categoryLabel names a category in the page's language.
func categoryLabel(l *locale.Locale, c *freenahi.Category) string {
	if !c.Renamed && c.Key != "" && locale.Has("category."+c.Key) {
		return l.T("category." + c.Key)
	}
	return c.Name
}

// categoryTree reads the user's categories, grouped, with their labels,
// and a map from id to label.
func (s *Handler) categoryTree(r *http.Request) ([]categoryGroup, map[int64]string, error) {
	cs, err := s.Spending.FindCategories(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		return nil, nil, err
	}
	l := s.localeOf(r)
	names := make(map[int64]string, len(cs))
	var groups []categoryGroup
	for _, c := range cs {
		o := categoryOption{Category: c, Label: categoryLabel(l, c)}
		names[c.ID] = o.Label
		if c.IsGroup() {
			groups = append(groups, categoryGroup{categoryOption: o})
		} else if len(groups) > 0 {
			groups[len(groups)-1].Children = append(groups[len(groups)-1].Children, o)
		}
	}
	return groups, names, nil
}

// transactionView is the detail page of one transaction.
type transactionView struct {
	T        *freenahi.Transaction
	Account  *freenahi.Account
	Groups   []categoryGroup
	Category string
	TagsText string
	RuleLink string
	// Original is the amount in the currency of a payment abroad.
	Original *freenahi.Money
	// TypeLabel names Powens' operation type in the page's language.
	TypeLabel string
	// SplitRows are the lines of the split form; SplitNames name the parts.
	SplitRows []splitRow
	Splits    []splitPartView
	// SplitTotal is what the parts must make, without the sign;
	// SplitMismatch says the bank changed the amount after the split.
	SplitTotal    freenahi.Money
	SplitMismatch bool
}

// splitPartView is a stored part of a split, named.
type splitPartView struct {
	Label string
	Money freenahi.Money
}

func (s *Handler) handleUITransactionView(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	t, err := s.visibleTransaction(r, id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.renderTransaction(w, r, http.StatusOK, t, "")
}

func (s *Handler) renderTransaction(w http.ResponseWriter, r *http.Request, status int, t *freenahi.Transaction, problem string) {
	groups, names, err := s.categoryTree(r)
	var a *freenahi.Account
	if err == nil {
		// As the person reads it: Shared set on an account shared with them.
		a, err = s.Accounts.FindVisibleAccount(r.Context(), request.User(r.Context()).ID, t.AccountID)
	}
	if err == nil && a.Shared != nil {
		// Its categories are its owner's.
		names, err = s.ownerCategoryNames(r, t.UserID)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := &transactionView{T: t, Account: a, Groups: groups, TagsText: strings.Join(t.Tags, ", "), TypeLabel: t.Type}
	if locale.Has("optype." + t.Type) {
		v.TypeLabel = s.localeOf(r).T("optype." + t.Type)
	}
	if t.CategoryID != nil {
		v.Category = names[*t.CategoryID]
	}
	v.SplitRows = splitRows(t)
	v.SplitTotal = freenahi.Money{Minor: max(t.ValueMinor, -t.ValueMinor), Currency: t.Currency}
	var parts int64
	for _, sp := range t.Splits {
		parts += sp.AmountMinor
		v.Splits = append(v.Splits, splitPartView{Label: names[sp.CategoryID], Money: freenahi.Money{Minor: sp.AmountMinor, Currency: t.Currency}})
	}
	v.SplitMismatch = len(t.Splits) > 0 && parts != t.ValueMinor
	if t.OriginalCurrency != nil && t.OriginalValueMinor != nil {
		v.Original = &freenahi.Money{Minor: *t.OriginalValueMinor, Currency: *t.OriginalCurrency}
	}
	q := url.Values{"wording": {firstWord(t)}}
	if t.CategoryID != nil {
		q.Set("category_id", strconv.FormatInt(*t.CategoryID, 10))
	}
	v.RuleLink = "/rules?" + q.Encode()
	s.render(w, r, status, "transaction", &page{Title: "txd.title", Nav: "transactions", Error: problem, Data: v})
}

// firstWord proposes what a rule made from t should look for: its payee,
// else its wording.
func firstWord(t *freenahi.Transaction) string {
	if t.Payee != "" {
		return t.Payee
	}
	return t.Label()
}

// handleUITransactionEdit saves the form of the detail page; every field
// of the form is sent, so only those that changed are marked as edited.
func (s *Handler) handleUITransactionEdit(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	userID := request.User(r.Context()).ID
	var t *freenahi.Transaction
	if err == nil {
		t, err = s.writableTransaction(r, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	edit, err := transactionEditForm(r.PostForm, t)
	if t.UserID != userID {
		// A shared account's form has no category: it stays the owner's.
		edit.CategoryID = nil
	}
	if err == nil && edit != (freenahi.TransactionEdit{}) {
		t, err = s.Spending.EditTransaction(r.Context(), userID, id, edit)
	}
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		s.renderTransaction(w, r, http.StatusBadRequest, t, s.localeOf(r).Err(err))
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/transactions/"+strconv.FormatInt(id, 10)+"?msg=flash.transaction_saved", http.StatusSeeOther)
}

// transactionEditForm reads the detail form into an edit of what changed.
func transactionEditForm(f url.Values, t *freenahi.Transaction) (freenahi.TransactionEdit, error) {
	var e freenahi.TransactionEdit
	if v := f.Get("category_id"); v != "" || t.CategoryID != nil {
		n, err := strconv.ParseInt(cmpOr(v, "0"), 10, 64)
		if err != nil || n < 0 {
			return e, freenahi.FieldErrorf("category_id", "is not one of your categories")
		}
		if t.CategoryID == nil && n != 0 || t.CategoryID != nil && *t.CategoryID != n {
			e.CategoryID = &n
		}
	}
	if p := strings.TrimSpace(f.Get("payee")); p != t.Payee {
		e.Payee = &p
	}
	if n := strings.TrimSpace(f.Get("note")); n != t.Note {
		e.Note = &n
	}
	tags := strings.Split(f.Get("tags"), ",")
	if norm, err := freenahi.NormalizeTags(tags); err != nil {
		return e, err
	} else if strings.Join(norm, ",") != strings.Join(t.Tags, ",") {
		e.Tags = &norm
	}
	if tr := f.Get("transfer") == "on"; tr != t.Transfer {
		e.Transfer = &tr
	}
	return e, nil
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// categoriesView is the categories page.
type categoriesView struct {
	Groups []categoryGroup
}

func (s *Handler) handleUICategoryIndex(w http.ResponseWriter, r *http.Request) {
	s.renderCategories(w, r, http.StatusOK, "")
}

func (s *Handler) renderCategories(w http.ResponseWriter, r *http.Request, status int, problem string) {
	groups, _, err := s.categoryTree(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, status, "categories", &page{Title: "categories.title", Nav: "reports", Error: problem, Data: categoriesView{Groups: groups}})
}

// categoryDone redirects after a change, or shows the page with the error.
func (s *Handler) categoryDone(w http.ResponseWriter, r *http.Request, err error, flash string) {
	switch freenahi.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/categories?msg="+flash, http.StatusSeeOther)
	case freenahi.EINVALID, freenahi.ECONFLICT:
		s.renderCategories(w, r, http.StatusBadRequest, s.localeOf(r).Err(err))
	default:
		respond.Error(w, r, err)
	}
}

func (s *Handler) handleUICategoryCreate(w http.ResponseWriter, r *http.Request) {
	var parent *int64
	if v := r.PostForm.Get("parent_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.categoryDone(w, r, freenahi.FieldErrorf("parent_id", "is not one of your groups"), "")
			return
		}
		parent = &n
	}
	_, err := s.Spending.CreateCategory(r.Context(), request.User(r.Context()).ID, r.PostForm.Get("name"), parent)
	s.categoryDone(w, r, err, "flash.category_created")
}

func (s *Handler) handleUICategoryUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var upd freenahi.CategoryUpdate
	switch r.PostForm.Get("action") {
	case "hide", "show":
		hidden := r.PostForm.Get("action") == "hide"
		upd.Hidden = &hidden
	default:
		name := r.PostForm.Get("name")
		upd.Name = &name
	}
	_, err = s.Spending.UpdateCategory(r.Context(), request.User(r.Context()).ID, id, upd)
	s.categoryDone(w, r, err, "flash.category_saved")
}

func (s *Handler) handleUICategoryMerge(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	into, perr := strconv.ParseInt(r.PostForm.Get("into"), 10, 64)
	if perr != nil {
		s.categoryDone(w, r, freenahi.FieldErrorf("into", "is not one of your categories"), "")
		return
	}
	_, err = s.Spending.MergeCategory(r.Context(), request.User(r.Context()).ID, id, into)
	s.categoryDone(w, r, err, "flash.category_merged")
}

// categoryNames names the user's categories in the page's language; nil
// without categories or when they cannot be read (the list still shows).
func (s *Handler) categoryNames(r *http.Request) map[int64]string {
	if s.Spending == nil {
		return nil
	}
	_, names, err := s.categoryTree(r)
	if err != nil {
		return nil
	}
	return names
}

func categoryOf(names map[int64]string, t *freenahi.Transaction) string {
	if t.CategoryID == nil {
		return ""
	}
	return names[*t.CategoryID]
}
