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

func (s *Handler) registerUIRuleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /rules", s.signedIn(s.handleUIRuleIndex))
	mux.HandleFunc("POST /rules", s.signedIn(s.handleUIRuleCreate))
	mux.HandleFunc("POST /rules/{id}/apply", s.signedIn(s.handleUIRuleApply))
	mux.HandleFunc("POST /rules/{id}/delete", s.signedIn(s.handleUIRuleDelete))
	s.registerUIRuleEditRoutes(mux)
}

// rulesView is the rules page: the person's rules and the form of a new
// one, with the dry-run count once checked.
type rulesView struct {
	Rules    []*freenahi.Rule
	Groups   []categoryGroup
	Names    map[int64]string
	Accounts []*freenahi.Account
	Form     url.Values
	// Checked is set after "Check": WouldChange is the dry-run's count.
	Checked     bool
	WouldChange int
	// Editing is the rule the edit page changes; Last, the id of the
	// last rule (it has no "move down").
	Editing *freenahi.Rule
	Last    int64
}

func (s *Handler) handleUIRuleIndex(w http.ResponseWriter, r *http.Request) {
	s.renderRules(w, r, http.StatusOK, r.URL.Query(), nil, "")
}

func (s *Handler) renderRules(w http.ResponseWriter, r *http.Request, status int, form url.Values, wouldChange *int, problem string) {
	userID := request.User(r.Context()).ID
	groups, names, err := s.categoryTree(r)
	v := &rulesView{Groups: groups, Names: names, Form: form}
	if err == nil {
		v.Rules, err = s.Spending.FindRules(r.Context(), userID)
	}
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
	if len(v.Rules) > 0 {
		v.Last = v.Rules[len(v.Rules)-1].ID
	}
	s.render(w, r, status, "rules", &page{Title: "rules.title", Nav: "reports", Error: problem, Data: v})
}

// ruleForm reads the rule form; amounts accept a decimal comma.
func ruleForm(f url.Values, userID int64) (*freenahi.Rule, error) {
	r, err := parseRuleForm(f, userID)
	if err != nil {
		return nil, err
	}
	return r, r.Validate()
}

// parseRuleForm reads the rule form without validating the rule.
func parseRuleForm(f url.Values, userID int64) (*freenahi.Rule, error) {
	r := &freenahi.Rule{UserID: userID, Name: f.Get("name")}
	c, a := &r.If, &r.Then
	c.WordingContains, c.Sign, c.Payee = f.Get("wording"), f.Get("sign"), f.Get("if_payee")
	for _, b := range []struct {
		name string
		dst  **freenahi.Decimal
	}{{"min_amount", &c.MinAmount}, {"max_amount", &c.MaxAmount}} {
		text := strings.ReplaceAll(strings.TrimSpace(f.Get(b.name)), ",", ".")
		if text == "" {
			continue
		}
		d, err := freenahi.ParseDecimal(text)
		if err != nil {
			return nil, freenahi.FieldErrorf(b.name, "%q is not an amount", f.Get(b.name))
		}
		*b.dst = &d
	}
	for _, id := range []struct {
		name, field string
		dst         **int64
	}{{"account_id", "account_id", &c.AccountID}, {"category_id", "category_id", &a.CategoryID}} {
		if v := f.Get(id.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return nil, freenahi.FieldErrorf(id.field, "is not one of your categories")
			}
			*id.dst = &n
		}
	}
	a.Payee = f.Get("set_payee")
	if tags := f.Get("tags"); tags != "" {
		a.Tags = strings.Split(tags, ",")
	}
	if f.Get("transfer") == "on" {
		yes := true
		a.Transfer = &yes
	}
	return r, nil
}

func (s *Handler) handleUIRuleCreate(w http.ResponseWriter, r *http.Request) {
	userID := request.User(r.Context()).ID
	rule, err := ruleForm(r.PostForm, userID)
	if err == nil && r.PostForm.Get("action") == "check" {
		var n int
		if n, err = s.Spending.DryRunRule(r.Context(), rule); err == nil {
			s.renderRules(w, r, http.StatusOK, r.PostForm, &n, "")
			return
		}
	}
	if err == nil {
		err = s.Spending.CreateRule(r.Context(), rule)
	}
	if err == nil && r.PostForm.Get("apply_to_past") == "on" {
		_, err = s.Spending.ApplyRule(r.Context(), userID, rule.ID)
	}
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		s.renderRules(w, r, http.StatusBadRequest, r.PostForm, nil, s.localeOf(r).Err(err))
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/rules?msg=flash.rule_saved", http.StatusSeeOther)
}

func (s *Handler) handleUIRuleApply(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		_, err = s.Spending.ApplyRule(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/rules?msg=flash.rule_applied", http.StatusSeeOther)
}

func (s *Handler) handleUIRuleDelete(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = s.Spending.DeleteRule(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/rules?msg=flash.rule_deleted", http.StatusSeeOther)
}
