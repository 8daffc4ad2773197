package api

import (
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// ruleUpdate is the body of PATCH /api/v1/rules/{id}: nil fields stay.
type ruleUpdate struct {
	Name        *string                  `json:"name"`
	If          *freenahi.RuleConditions `json:"if"`
	Then        *freenahi.RuleActions    `json:"then"`
	Position    *int                     `json:"position"`
	ApplyToPast bool                     `json:"apply_to_past"`
}

// handleRuleUpdate edits a rule and/or moves it, then answers it as saved.
func (s *Handler) handleRuleUpdate(w http.ResponseWriter, r *http.Request) {
	userID := request.User(r.Context()).ID
	id, err := request.PathID(r.PathValue("id"))
	var in ruleUpdate
	if err == nil {
		err = decodeBody(w, r, &in)
	}
	var rule *freenahi.Rule
	if err == nil {
		rule, err = s.findRule(r, userID, id)
	}
	if err == nil && (in.Name != nil || in.If != nil || in.Then != nil) {
		if in.Name != nil {
			rule.Name = *in.Name
		}
		if in.If != nil {
			rule.If = *in.If
		}
		if in.Then != nil {
			rule.Then = *in.Then
		}
		err = s.Spending.UpdateRule(r.Context(), rule)
	}
	if err == nil && in.Position != nil {
		err = s.Spending.MoveRule(r.Context(), userID, id, *in.Position)
	}
	changed := 0
	if err == nil && in.ApplyToPast {
		changed, err = s.Spending.ApplyRule(r.Context(), userID, id)
	}
	if err == nil {
		rule, err = s.findRule(r, userID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, struct {
		ruleJSON
		Changed int `json:"changed"`
	}{toRuleJSON(rule), changed})
}

// findRule returns one of the user's rules, ENOTFOUND else.
func (s *Handler) findRule(r *http.Request, userID, id int64) (*freenahi.Rule, error) {
	rules, err := s.Spending.FindRules(r.Context(), userID)
	if err != nil {
		return nil, err
	}
	for _, rule := range rules {
		if rule.ID == id {
			return rule, nil
		}
	}
	return nil, freenahi.Errorf(freenahi.ENOTFOUND, "Rule %d not found.", id)
}
