package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Handler) registerUIBudgetRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /budgets", s.signedIn(s.handleUIBudgets))
	mux.HandleFunc("POST /budgets", s.signedIn(s.handleUIBudgetCreate))
	mux.HandleFunc("POST /budgets/{id}", s.signedIn(s.handleUIBudgetUpdate))
	mux.HandleFunc("POST /budgets/{id}/delete", s.signedIn(s.handleUIBudgetDelete))
	mux.HandleFunc("GET /recurring", s.signedIn(s.handleUIRecurring))
	mux.HandleFunc("POST /recurring/dismiss", s.signedIn(s.handleUIRecurringDismiss))
	mux.HandleFunc("POST /transactions/{id}/split", s.signedIn(s.handleUITransactionSplit))
}

// budgetRow is one budget with its progress, as the budgets page and the
// dashboard show it.
type budgetRow struct {
	freenahi.BudgetProgress
	Label string
	// Amount is the monthly amount as the edit form shows it.
	Amount string
	Cur    freenahi.Currency
	// Bar is the width of the spent part, 0 to 100; Remaining is what is
	// left, or by how much it is exceeded, without a sign.
	Bar       int
	Remaining int64
}

// budgetsView is the budgets page of one month.
type budgetsView struct {
	Month      freenahi.Date
	MonthLabel string
	Prev, Next string // YYYY-MM
	Current    bool
	Rows       []budgetRow
	Groups     []categoryGroup
	Amount     string // the create form's amount as typed
}

// budgetRows reads the progress of the user's budgets in month, named in
// the page's language.
func (s *Handler) budgetRows(r *http.Request, month freenahi.Date, names map[int64]string) ([]budgetRow, error) {
	ps, err := s.Spending.BudgetProgress(r.Context(), request.User(r.Context()).ID, month)
	if err != nil {
		return nil, err
	}
	return budgetRowsOf(ps, names), nil
}

// budgetRowsOf names the budgets' categories.
func budgetRowsOf(ps []freenahi.BudgetProgress, names map[int64]string) []budgetRow {
	rows := make([]budgetRow, len(ps))
	for i, p := range ps {
		rows[i] = budgetRow{BudgetProgress: p, Label: names[p.Budget.CategoryID], Cur: p.Budget.Currency,
			Amount: p.Budget.Amount().Decimal(), Bar: p.Percent(), Remaining: max(p.LeftMinor, -p.LeftMinor)}
	}
	return rows
}

func (s *Handler) handleUIBudgets(w http.ResponseWriter, r *http.Request) {
	s.renderBudgets(w, r, http.StatusOK, "", "")
}

func (s *Handler) renderBudgets(w http.ResponseWriter, r *http.Request, status int, problem, amount string) {
	p := request.NewParams(r.URL.Query(), "month", "msg")
	month := freenahi.MonthStart(freenahi.DateOf(s.Now().In(s.Config.Location)))
	v := &budgetsView{Month: month, Current: true, Amount: amount}
	if m := p.Str("month"); p.Err == nil && m != "" {
		d, err := freenahi.ParseMonth("month", m)
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		v.Month, v.Current = d, d == month
	}
	if p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	v.Prev, v.Next = v.Month.AddDays(-1).String()[:7], v.Month.AddDays(40).String()[:7]
	v.MonthLabel = s.localeOf(r).MonthYear(v.Month)
	groups, names, err := s.categoryTree(r)
	if err == nil {
		v.Groups = groups
		v.Rows, err = s.budgetRows(r, v.Month, names)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, status, "budgets", &page{Title: "budgets.title", Nav: "reports", Error: problem, Data: v})
}

// budgetDone redirects after a change, or shows the page with the error.
func (s *Handler) budgetDone(w http.ResponseWriter, r *http.Request, err error, flash string) {
	switch freenahi.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/budgets?msg="+flash, http.StatusSeeOther)
	case freenahi.EINVALID, freenahi.ECONFLICT:
		s.renderBudgets(w, r, http.StatusBadRequest, s.localeOf(r).Err(err), r.PostForm.Get("amount"))
	default:
		respond.Error(w, r, err)
	}
}

// formAmount reads an amount typed in a form: spaces, a euro sign and a
// decimal comma allowed.
func formAmount(field, text string) (*freenahi.Decimal, error) {
	d, err := threshold(field, strings.TrimSpace(text))
	if err == nil && d == nil {
		err = freenahi.FieldErrorf(field, "is required")
	}
	return d, err
}

func (s *Handler) handleUIBudgetCreate(w http.ResponseWriter, r *http.Request) {
	in := freenahi.BudgetInput{Rollover: ptrTo(r.PostForm.Get("rollover") == "on")}
	cat, err := strconv.ParseInt(r.PostForm.Get("category_id"), 10, 64)
	if err != nil {
		s.budgetDone(w, r, freenahi.FieldErrorf("category_id", "is required"), "")
		return
	}
	in.CategoryID = &cat
	if in.Amount, err = formAmount("amount", r.PostForm.Get("amount")); err == nil {
		_, err = s.Spending.CreateBudget(r.Context(), request.User(r.Context()).ID, in)
	}
	s.budgetDone(w, r, err, "flash.budget_created")
}

func (s *Handler) handleUIBudgetUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	in := freenahi.BudgetInput{Rollover: ptrTo(r.PostForm.Get("rollover") == "on")}
	if in.Amount, err = formAmount("amount", r.PostForm.Get("amount")); err == nil {
		_, err = s.Spending.UpdateBudget(r.Context(), request.User(r.Context()).ID, id, in)
	}
	s.budgetDone(w, r, err, "flash.budget_saved")
}

func (s *Handler) handleUIBudgetDelete(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = s.Spending.DeleteBudget(r.Context(), request.User(r.Context()).ID, id)
	}
	s.budgetDone(w, r, err, "flash.budget_deleted")
}

func ptrTo[T any](v T) *T { return &v }

// recurringView is the recurring payments page.
type recurringView struct {
	Active, Dismissed []recurringRow
	// Yearly is the yearly cost of the active ones, per currency.
	Yearly []freenahi.Money
}

// recurringRow is one series with its category's name and drill-down link.
type recurringRow struct {
	freenahi.Recurring
	Category string
	Link     string
}

func (s *Handler) handleUIRecurring(w http.ResponseWriter, r *http.Request) {
	if err := request.NewParams(r.URL.Query(), "msg").Err; err != nil {
		respond.Error(w, r, err)
		return
	}
	today := freenahi.DateOf(s.Now().In(s.Config.Location))
	found, err := s.Spending.FindRecurring(r.Context(), request.User(r.Context()).ID, today)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	names := s.categoryNames(r)
	v := &recurringView{}
	yearly := map[string]int{}
	for _, rc := range found {
		row := recurringRow{Recurring: rc, Link: "/transactions?" + url.Values{"q": {rc.Payee}}.Encode()}
		if rc.CategoryID != nil {
			row.Category = names[*rc.CategoryID]
		}
		if rc.Dismissed {
			v.Dismissed = append(v.Dismissed, row)
			continue
		}
		v.Active = append(v.Active, row)
		i, ok := yearly[rc.Currency.Code]
		if !ok {
			i = len(v.Yearly)
			yearly[rc.Currency.Code] = i
			v.Yearly = append(v.Yearly, freenahi.Money{Currency: rc.Currency})
		}
		v.Yearly[i].Minor += rc.YearlyMinor
	}
	s.render(w, r, http.StatusOK, "recurring", &page{Title: "recurring.title", Nav: "reports", Data: v})
}

func (s *Handler) handleUIRecurringDismiss(w http.ResponseWriter, r *http.Request) {
	dismissed := r.PostForm.Get("action") != "restore"
	if err := s.Spending.DismissRecurring(r.Context(), request.User(r.Context()).ID, r.PostForm.Get("key"), dismissed); err != nil {
		respond.Error(w, r, err)
		return
	}
	flash := "flash.recurring_dismissed"
	if !dismissed {
		flash = "flash.recurring_restored"
	}
	http.Redirect(w, r, "/recurring?msg="+flash, http.StatusSeeOther)
}

// splitRow is one line of the split form: a part, or an empty line to fill.
type splitRow struct {
	CategoryID int64
	Amount     string // unsigned, as typed
}

// splitRows are the lines the split form shows: the parts, then empty
// lines up to four, at least one.
func splitRows(t *freenahi.Transaction) []splitRow {
	var rows []splitRow
	for _, sp := range t.Splits {
		m := sp.AmountMinor
		if t.ValueMinor < 0 {
			m = -m
		}
		rows = append(rows, splitRow{CategoryID: sp.CategoryID, Amount: freenahi.FormatMinor(m, t.Currency.Exponent)})
	}
	for len(rows) < 4 || len(rows) < len(t.Splits)+1 {
		rows = append(rows, splitRow{})
	}
	return rows
}

// handleUITransactionSplit saves the split form: amounts are typed as the
// page shows them, without the sign of the transaction, which each part
// takes (a part typed with a minus goes the other way, a refund within a
// payment). Lines left empty are ignored; "remove" undoes the split.
func (s *Handler) handleUITransactionSplit(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	userID := request.User(r.Context()).ID
	var t *freenahi.Transaction
	if err == nil {
		// One shared with the person is refused by the edit (403), not unseen.
		t, err = s.writableTransaction(r, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	parts := []freenahi.SplitPart{}
	if r.PostForm.Get("action") != "remove" {
		parts, err = splitForm(r.PostForm, t.ValueMinor < 0)
	}
	if err == nil {
		_, err = s.Spending.EditTransaction(r.Context(), userID, id, freenahi.TransactionEdit{Splits: &parts})
	}
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		s.renderTransaction(w, r, http.StatusBadRequest, t, s.localeOf(r).Err(err))
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/transactions/"+strconv.FormatInt(id, 10)+"?msg=flash.split_saved#split", http.StatusSeeOther)
}

// splitForm reads the lines of the split form.
func splitForm(f url.Values, debit bool) ([]freenahi.SplitPart, error) {
	cats, amounts := f["split_category"], f["split_amount"]
	var parts []freenahi.SplitPart
	for i := range min(len(cats), len(amounts)) {
		if strings.TrimSpace(cats[i]) == "" && strings.TrimSpace(amounts[i]) == "" {
			continue
		}
		field := "splits[" + strconv.Itoa(len(parts)) + "]"
		cat, err := strconv.ParseInt(cats[i], 10, 64)
		if err != nil || cat <= 0 {
			return nil, freenahi.FieldErrorf("split_category", "is required on every line with an amount")
		}
		d, err := formAmount(field+".amount", amounts[i])
		if err != nil {
			return nil, err
		}
		if debit {
			d = ptrTo(negateDecimal(*d))
		}
		parts = append(parts, freenahi.SplitPart{CategoryID: cat, Amount: *d})
	}
	if len(parts) == 0 {
		return nil, freenahi.FieldErrorf("splits", "must have between 2 and %d parts", 20)
	}
	return parts, nil
}

// negateDecimal returns -d exactly.
func negateDecimal(d freenahi.Decimal) freenahi.Decimal {
	text := d.String()
	if strings.HasPrefix(text, "-") {
		return freenahi.MustParseDecimal(text[1:])
	}
	return freenahi.MustParseDecimal("-" + text)
}

// dashboardBudgets is this month's progress for the dashboard's panel;
// none without a spending service.
func (s *Handler) dashboardBudgets(r *http.Request, today freenahi.Date) ([]budgetRow, error) {
	if s.Spending == nil {
		return nil, nil
	}
	// The category names only when there are budgets to name: most
	// people have none, and reading the category tree was a tenth of the
	// dashboard.
	ps, err := s.Spending.BudgetProgress(r.Context(), request.User(r.Context()).ID, freenahi.MonthStart(today))
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return budgetRowsOf(ps, s.categoryNames(r)), nil
}
