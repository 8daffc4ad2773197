package freenahi

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Rule is a person's own categorisation rule: when every condition set in
// If holds, Then is applied. A user's rules are tried in Position order and
// the first that matches wins; they come before what freenahi learnt from
// the person's corrections and before the built-in rules. A manual edit of a
// transaction is never overwritten by a rule.
type Rule struct {
	ID        int64
	UserID    int64
	Position  int
	Name      string
	If        RuleConditions
	Then      RuleActions
	CreatedAt time.Time
	UpdatedAt time.Time

	matcher *regexp.Regexp // If.WordingMatches, compiled by Validate

	// payeeKey and containsText are PayeeKey(If.Payee) and the matchText
	// of If.WordingContains, prepared by Validate for the values of
	// preparedPayee and preparedContains (a condition changed since is
	// worked out again).
	preparedPayee, payeeKey        string
	preparedContains, containsText string
}

// RuleConditions are the tests of a rule; the zero value of each is "any".
type RuleConditions struct {
	WordingContains string   `json:"wording_contains,omitempty"` // in any wording, case and accents ignored
	WordingMatches  string   `json:"wording_matches,omitempty"`  // a Go regular expression over the wordings, case-insensitive
	MinAmount       *Decimal `json:"min_amount,omitempty"`       // unsigned, inclusive
	MaxAmount       *Decimal `json:"max_amount,omitempty"`       // unsigned, inclusive
	Sign            string   `json:"sign,omitempty"`             // "debit" or "credit"
	AccountID       *int64   `json:"account_id,omitempty"`
	Type            string   `json:"type,omitempty"` // Powens' operation type, e.g. "card"
	Payee           string   `json:"payee,omitempty"`
}

// RuleActions are what a rule does; at least one must be set.
type RuleActions struct {
	CategoryID *int64   `json:"category_id,omitempty"`
	Payee      string   `json:"payee,omitempty"`
	Tags       []string `json:"tags,omitempty"`
	Transfer   *bool    `json:"transfer,omitempty"`
}

// Rule signs.
const (
	SignDebit  = "debit"
	SignCredit = "credit"
)

// Validate checks a rule a person wrote and prepares it for Matches.
func (r *Rule) Validate() error {
	r.Name = strings.TrimSpace(r.Name)
	c := &r.If
	c.WordingContains = strings.TrimSpace(c.WordingContains)
	c.Payee = strings.TrimSpace(c.Payee)
	switch {
	case utf8.RuneCountInString(r.Name) > 100:
		return FieldErrorf("name", "is longer than %d characters", 100)
	case len(c.WordingContains) > 200:
		return FieldErrorf("wording_contains", "is longer than 200 characters")
	case len(c.WordingMatches) > 200:
		return FieldErrorf("wording_matches", "is longer than 200 characters")
	case c.Sign != "" && c.Sign != SignDebit && c.Sign != SignCredit:
		return FieldErrorf("sign", "must be debit or credit")
	case c.MinAmount != nil && c.MinAmount.Sign() < 0:
		return FieldErrorf("min_amount", "must not be negative: amounts are compared without their sign")
	case c.MaxAmount != nil && c.MaxAmount.Sign() < 0:
		return FieldErrorf("max_amount", "must not be negative: amounts are compared without their sign")
	case c.MinAmount != nil && c.MaxAmount != nil && decimalLess(*c.MaxAmount, *c.MinAmount):
		return FieldErrorf("max_amount", "%s is below the minimum amount %s", c.MaxAmount, c.MinAmount)
	case *c == RuleConditions{}:
		return FieldErrorf("conditions", "at least one condition is required")
	}
	r.preparedPayee, r.payeeKey = c.Payee, PayeeKey(c.Payee)
	r.preparedContains, r.containsText = c.WordingContains, strings.TrimSpace(matchText(c.WordingContains))
	r.matcher = nil
	if c.WordingMatches != "" {
		re, err := regexp.Compile("(?i)" + c.WordingMatches)
		if err != nil {
			return FieldErrorf("wording_matches", "is not a valid regular expression")
		}
		r.matcher = re
	}
	a := &r.Then
	a.Payee = strings.TrimSpace(a.Payee)
	tags, err := NormalizeTags(a.Tags)
	if err != nil {
		return err
	}
	a.Tags = tags
	if a.CategoryID == nil && a.Payee == "" && len(a.Tags) == 0 && a.Transfer == nil {
		return FieldErrorf("actions", "at least one action is required")
	}
	if utf8.RuneCountInString(a.Payee) > 100 {
		return FieldErrorf("payee", "is longer than %d characters", 100)
	}
	return nil
}

// Matches reports whether t meets every condition of r, payee being the
// payee t has at this point. r must have been validated.
func (r *Rule) Matches(t *Transaction, payee string) bool {
	return r.matches(t, &ruleInput{payee: payee})
}

// ruleInput holds the texts rules compare of a transaction, worked out once
// for all the user's rules. It holds no pointer to the transaction, which
// would then escape to the heap with the texts a regular expression reads.
type ruleInput struct {
	payee                 string
	key, wordings, joined string
	keyDone, wordingsDone bool
}

// payeeKey returns PayeeKey(in.payee).
func (in *ruleInput) payeeKey() string {
	if !in.keyDone {
		in.key, in.keyDone = PayeeKey(in.payee), true
	}
	return in.key
}

// wordingText returns the matchText of t's wordings.
func (in *ruleInput) wordingText(t *Transaction) string {
	if !in.wordingsDone {
		in.wordings, in.wordingsDone = matchText(t.OriginalWording, t.SimplifiedWording, t.Wording), true
	}
	return in.wordings
}

// joinedWordings returns t's wordings one per line, as a rule's regular
// expression reads them.
func (in *ruleInput) joinedWordings(t *Transaction) string {
	if in.joined == "" {
		in.joined = t.OriginalWording + "\n" + t.SimplifiedWording + "\n" + t.Wording
	}
	return in.joined
}

func (r *Rule) matches(t *Transaction, in *ruleInput) bool {
	c := &r.If
	switch {
	case c.Sign == SignDebit && t.ValueMinor >= 0, c.Sign == SignCredit && t.ValueMinor <= 0:
		return false
	case c.AccountID != nil && *c.AccountID != t.AccountID:
		return false
	case c.Type != "" && c.Type != t.Type:
		return false
	case c.Payee != "" && r.conditionPayeeKey() != in.payeeKey():
		return false
	}
	if c.MinAmount != nil || c.MaxAmount != nil {
		if !t.AmountKnown() {
			return false
		}
		abs := t.ValueMinor
		if abs < 0 {
			abs = -abs
		}
		if c.MinAmount != nil {
			if lo, err := c.MinAmount.MinorBound(t.Currency.Exponent, true); err != nil || abs < lo {
				return false
			}
		}
		if c.MaxAmount != nil {
			if hi, err := c.MaxAmount.MinorBound(t.Currency.Exponent, false); err == nil && abs > hi {
				return false
			}
		}
	}
	if c.WordingContains != "" && !strings.Contains(in.wordingText(t), r.conditionContainsText()) {
		return false
	}
	if r.matcher != nil && !r.matcher.MatchString(in.joinedWordings(t)) {
		return false
	}
	return true
}

// conditionPayeeKey returns PayeeKey(r.If.Payee), prepared by Validate.
func (r *Rule) conditionPayeeKey() string {
	if r.If.Payee == r.preparedPayee {
		return r.payeeKey
	}
	return PayeeKey(r.If.Payee)
}

// conditionContainsText returns the matchText of r.If.WordingContains
// without its outer spaces, prepared by Validate.
func (r *Rule) conditionContainsText() string {
	if r.If.WordingContains == r.preparedContains {
		return r.containsText
	}
	return strings.TrimSpace(matchText(r.If.WordingContains))
}

// NormalizeTags trims, de-duplicates and sorts tags, and checks each.
func NormalizeTags(tags []string) ([]string, error) {
	var out []string
	for _, tag := range tags {
		tag = strings.Join(strings.Fields(tag), " ")
		switch {
		case tag == "":
			continue
		case utf8.RuneCountInString(tag) > 40:
			return nil, FieldErrorf("tags", "%q is longer than %d characters", tag, 40)
		case strings.ContainsAny(tag, ",\x00"):
			return nil, FieldErrorf("tags", "%q contains a comma", tag)
		}
		if !slices.Contains(out, tag) {
			out = append(out, tag)
		}
	}
	if len(out) > 20 {
		return nil, FieldErrorf("tags", "at most %d tags", 20)
	}
	slices.Sort(out)
	return out, nil
}

// RuleService keeps each user's rules.
type RuleService interface {
	// FindRules returns the user's rules in order.
	FindRules(ctx context.Context, userID int64) ([]*Rule, error)
	// CreateRule validates and saves a rule at the end of the user's list
	// (EINVALID naming the field; ENOTFOUND for another user's category or
	// account).
	CreateRule(ctx context.Context, r *Rule) error
	// DeleteRule removes one of the user's rules (ENOTFOUND else).
	DeleteRule(ctx context.Context, userID, id int64) error
	// UpdateRule validates and saves new name, conditions and actions for
	// one of the user's rules (r.ID), keeping its place in the order; it
	// changes no transaction (ApplyRule does, manual edits left out).
	// EINVALID naming the field; ENOTFOUND for another user's rule,
	// category or account.
	UpdateRule(ctx context.Context, r *Rule) error
	// MoveRule puts one of the user's rules at position (1 is tried
	// first), the others keeping their order. EINVALID (field position)
	// outside 1…the number of rules; ENOTFOUND for another user's rule.
	MoveRule(ctx context.Context, userID, id int64, position int) error
	// DryRunRule counts the user's transactions a validated rule would
	// change, manual edits left out, without changing anything.
	DryRunRule(ctx context.Context, r *Rule) (int, error)
	// ApplyRule applies one of the user's rules to their past transactions,
	// manual edits left out, and returns how many changed.
	ApplyRule(ctx context.Context, userID, id int64) (int, error)
}
