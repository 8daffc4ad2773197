package api

import (
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

type ruleJSON struct {
	ID       int64                   `json:"id"`
	Position int                     `json:"position"`
	Name     string                  `json:"name"`
	If       freenahi.RuleConditions `json:"if"`
	Then     freenahi.RuleActions    `json:"then"`
}

func toRuleJSON(r *freenahi.Rule) ruleJSON {
	return ruleJSON{ID: r.ID, Position: r.Position, Name: r.Name, If: r.If, Then: r.Then}
}

// ruleInput is the body of POST /api/v1/rules and its dry-run.
type ruleInput struct {
	Name string                  `json:"name"`
	If   freenahi.RuleConditions `json:"if"`
	Then freenahi.RuleActions    `json:"then"`
	// ApplyToPast also applies the new rule to the transactions already
	// stored (manual edits left out).
	ApplyToPast bool `json:"apply_to_past"`
}

func (s *Handler) readRule(w http.ResponseWriter, r *http.Request) (*freenahi.Rule, bool, error) {
	var in ruleInput
	if err := decodeBody(w, r, &in); err != nil {
		return nil, false, err
	}
	return &freenahi.Rule{UserID: request.User(r.Context()).ID, Name: in.Name, If: in.If, Then: in.Then}, in.ApplyToPast, nil
}

func (s *Handler) handleRuleIndex(w http.ResponseWriter, r *http.Request) {
	if err := request.NewParams(r.URL.Query()).Err; err != nil {
		respond.Error(w, r, err)
		return
	}
	rules, err := s.Spending.FindRules(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Rules []ruleJSON `json:"rules"`
	}{Rules: make([]ruleJSON, 0, len(rules))}
	for _, rule := range rules {
		out.Rules = append(out.Rules, toRuleJSON(rule))
	}
	respond.JSON(w, r, http.StatusOK, out)
}

// handleRuleDryRun says how many transactions a rule would change, and
// saves nothing.
func (s *Handler) handleRuleDryRun(w http.ResponseWriter, r *http.Request) {
	rule, _, err := s.readRule(w, r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	n, err := s.Spending.DryRunRule(r.Context(), rule)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, map[string]int{"would_change": n})
}

func (s *Handler) handleRuleCreate(w http.ResponseWriter, r *http.Request) {
	rule, applyToPast, err := s.readRule(w, r)
	if err == nil {
		err = s.Spending.CreateRule(r.Context(), rule)
	}
	changed := 0
	if err == nil && applyToPast {
		changed, err = s.Spending.ApplyRule(r.Context(), rule.UserID, rule.ID)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusCreated, struct {
		ruleJSON
		Changed int `json:"changed"`
	}{toRuleJSON(rule), changed})
}

func (s *Handler) handleRuleApply(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	changed := 0
	if err == nil {
		changed, err = s.Spending.ApplyRule(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, map[string]int{"changed": changed})
}

func (s *Handler) handleRuleDelete(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = s.Spending.DeleteRule(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// reportPeriod reads from and to, both required.
func reportPeriod(r *http.Request) (freenahi.Date, freenahi.Date, error) {
	p := request.NewParams(r.URL.Query(), "from", "to")
	from, to := p.Date("from"), p.Date("to")
	if p.Err != nil {
		return freenahi.Date{}, freenahi.Date{}, p.Err
	}
	var f, t freenahi.Date
	if from != nil {
		f = *from
	}
	if to != nil {
		t = *to
	}
	return f, t, freenahi.ValidatePeriod(f, t)
}

type monthFlowJSON struct {
	Month    string `json:"month"`
	Currency string `json:"currency"`
	Income   string `json:"income"`
	Spending string `json:"spending"`
	Net      string `json:"net"`
}

func (s *Handler) handleReportCashflow(w http.ResponseWriter, r *http.Request) {
	from, to, err := reportPeriod(r)
	var flows []freenahi.MonthFlow
	if err == nil {
		flows, err = s.Spending.Cashflow(r.Context(), request.User(r.Context()).ID, from, to)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		From   string          `json:"from"`
		To     string          `json:"to"`
		Months []monthFlowJSON `json:"months"`
	}{From: from.String(), To: to.String(), Months: make([]monthFlowJSON, 0, len(flows))}
	for _, m := range flows {
		out.Months = append(out.Months, monthFlowJSON{Month: m.Month, Currency: m.Currency,
			Income: freenahi.FormatMinor(m.IncomeMinor, m.Exponent), Spending: freenahi.FormatMinor(m.SpendingMinor, m.Exponent),
			Net: freenahi.FormatMinor(m.IncomeMinor-m.SpendingMinor, m.Exponent)})
	}
	respond.JSON(w, r, http.StatusOK, out)
}

type spendingLineJSON struct {
	CategoryID   *int64  `json:"category_id,omitempty"`
	Category     *string `json:"category,omitempty"`
	Payee        *string `json:"payee,omitempty"`
	Currency     string  `json:"currency"`
	Amount       string  `json:"amount"`
	Transactions int     `json:"transactions"`
}

func (s *Handler) handleReportSpending(w http.ResponseWriter, r *http.Request) {
	from, to, err := reportPeriod(r)
	var rep *freenahi.SpendingReport
	userID := request.User(r.Context()).ID
	if err == nil {
		rep, err = s.Spending.Spending(r.Context(), userID, from, to)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	names := s.categoryNames(r.Context(), userID)
	out := struct {
		From       string             `json:"from"`
		To         string             `json:"to"`
		ByCategory []spendingLineJSON `json:"by_category"`
		ByPayee    []spendingLineJSON `json:"by_payee"`
	}{From: from.String(), To: to.String(), ByCategory: []spendingLineJSON{}, ByPayee: []spendingLineJSON{}}
	for _, l := range rep.ByCategory {
		j := spendingLineJSON{CategoryID: l.CategoryID, Currency: l.Currency, Amount: freenahi.FormatMinor(l.SpendingMinor, l.Exponent), Transactions: l.Count}
		if l.CategoryID != nil {
			if name, ok := names[*l.CategoryID]; ok {
				j.Category = &name
			}
		}
		out.ByCategory = append(out.ByCategory, j)
	}
	for _, l := range rep.ByPayee {
		payee := l.Payee
		out.ByPayee = append(out.ByPayee, spendingLineJSON{Payee: &payee, Currency: l.Currency,
			Amount: freenahi.FormatMinor(l.SpendingMinor, l.Exponent), Transactions: l.Count})
	}
	respond.JSON(w, r, http.StatusOK, out)
}
