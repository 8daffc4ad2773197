package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

func (s *Handler) registerUIRuleEditRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /rules/{id}/edit", s.signedIn(s.handleUIRuleEdit))
	mux.HandleFunc("POST /rules/{id}", s.signedIn(s.handleUIRuleUpdate))
	mux.HandleFunc("POST /rules/{id}/move", s.signedIn(s.handleUIRuleMove))
}

// ruleValues is a saved rule as the rule form's values.
func ruleValues(r *freenahi.Rule) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	c, a := r.If, r.Then
	set("name", r.Name)
	set("wording", c.WordingContains)
	set("sign", c.Sign)
	if c.MinAmount != nil {
		set("min_amount", c.MinAmount.String())
	}
	if c.MaxAmount != nil {
		set("max_amount", c.MaxAmount.String())
	}
	if c.AccountID != nil {
		set("account_id", strconv.FormatInt(*c.AccountID, 10))
	}
	if a.CategoryID != nil {
		set("category_id", strconv.FormatInt(*a.CategoryID, 10))
	}
	set("set_payee", a.Payee)
	set("tags", strings.Join(a.Tags, ", "))
	if a.Transfer != nil && *a.Transfer {
		set("transfer", "on")
	}
	return v
}

// findUIRule returns the person's rule of the path, ENOTFOUND else.
func (s *Handler) findUIRule(r *http.Request) (*freenahi.Rule, error) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	rules, err := s.Spending.FindRules(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		return nil, err
	}
	if i := slices.IndexFunc(rules, func(x *freenahi.Rule) bool { return x.ID == id }); i >= 0 {
		return rules[i], nil
	}
	return nil, freenahi.Errorf(freenahi.ENOTFOUND, "Rule %d not found.", id)
}

func (s *Handler) handleUIRuleEdit(w http.ResponseWriter, r *http.Request) {
	rule, err := s.findUIRule(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.renderRuleEdit(w, r, http.StatusOK, rule, ruleValues(rule), nil, "")
}

func (s *Handler) renderRuleEdit(w http.ResponseWriter, r *http.Request, status int, rule *freenahi.Rule, form url.Values, wouldChange *int, problem string) {
	userID := request.User(r.Context()).ID
	groups, names, err := s.categoryTree(r)
	v := &rulesView{Groups: groups, Names: names, Form: form, Editing: rule}
	if err == nil {
		v.Accounts, err = s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: userID})
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if wouldChange != nil {
		v.Checked, v.WouldChange = true, *wouldChange
	}
	s.render(w, r, status, "rule_edit", &page{Title: "rules.edit_title", Nav: "reports", Error: problem, Data: v})
}

// handleUIRuleUpdate checks (dry-run) or saves the edited rule. The
// conditions the form does not show (a regular expression, an operation
// kind or a payee, set through the API) are kept as they were.
func (s *Handler) handleUIRuleUpdate(w http.ResponseWriter, r *http.Request) {
	old, err := s.findUIRule(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	rule, err := parseRuleForm(r.PostForm, old.UserID)
	if err == nil {
		rule.ID = old.ID
		rule.If.WordingMatches, rule.If.Type, rule.If.Payee = old.If.WordingMatches, old.If.Type, old.If.Payee
		err = rule.Validate()
	}
	if err == nil && r.PostForm.Get("action") == "check" {
		var n int
		if n, err = s.Spending.DryRunRule(r.Context(), rule); err == nil {
			s.renderRuleEdit(w, r, http.StatusOK, old, r.PostForm, &n, "")
			return
		}
	}
	if err == nil {
		err = s.Spending.UpdateRule(r.Context(), rule)
	}
	if err == nil && r.PostForm.Get("apply_to_past") == "on" {
		_, err = s.Spending.ApplyRule(r.Context(), rule.UserID, rule.ID)
	}
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		s.renderRuleEdit(w, r, http.StatusBadRequest, old, r.PostForm, nil, s.localeOf(r).Err(err))
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/rules?msg=flash.rule_updated", http.StatusSeeOther)
}

// handleUIRuleMove moves a rule one place up or down.
func (s *Handler) handleUIRuleMove(w http.ResponseWriter, r *http.Request) {
	userID := request.User(r.Context()).ID
	id, err := request.PathID(r.PathValue("id"))
	var rules []*freenahi.Rule
	if err == nil {
		rules, err = s.Spending.FindRules(r.Context(), userID)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	at := slices.IndexFunc(rules, func(x *freenahi.Rule) bool { return x.ID == id })
	step := map[string]int{"up": -1, "down": 1}[r.PostForm.Get("direction")]
	switch {
	case at < 0:
		err = freenahi.Errorf(freenahi.ENOTFOUND, "Rule %d not found.", id)
	case step == 0:
		err = freenahi.FieldErrorf("direction", "must be up or down")
	case at+step >= 0 && at+step < len(rules):
		// The store numbers the rules 1…n in this list's order (a rule
		// an older version stored that no longer validates aside).
		err = s.Spending.MoveRule(r.Context(), userID, id, at+step+1)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/rules?msg=flash.rule_moved", http.StatusSeeOther)
}
