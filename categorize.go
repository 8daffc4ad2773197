package freenahi

// How a transaction got its category (Transaction.CategorySource).
const (
	CategoryFromBuiltin = "builtin" // freenahi's rules for common French payees and operations
	CategoryFromLearned = "learned" // the person's earlier correction of the same payee
	CategoryFromRule    = "rule"    // one of the person's rules
	CategoryFromManual  = "manual"  // the person chose it for this transaction
)

// Edits is the set of a transaction's fields a person changed by hand;
// neither a sync nor a rule ever overwrites them.
type Edits int

// Fields a person may edit.
const (
	EditedCategory Edits = 1 << iota
	EditedPayee
	EditedTags
	EditedTransfer
	EditedNote
)

// Categorizer chooses a transaction's payee and category at ingest. It is
// built once per event from the user's own data and holds no connection
// to anything: the same inputs always give the same answer. It remembers
// what it worked out for the event's repeated wordings, so one Categorizer
// serves one goroutine at a time.
type Categorizer struct {
	// Rules are the user's validated rules, in order; the first match wins.
	Rules []*Rule
	// Learned maps a PayeeKey to the category the person last gave that
	// payee by hand.
	Learned map[string]int64
	// Keys maps a default category key to the user's category id, merges
	// followed.
	Keys map[string]int64

	// payees remembers payeeOfSimplified by simplified wording: an event
	// lists the same few hundred payees thousands of times.
	payees map[string]simplifiedPayee
	// text is the buffer of the built-in rules' matchText, reused.
	text []byte
}

// simplifiedPayee is what payeeOfSimplified returned for a wording.
type simplifiedPayee struct {
	payee string
	named bool
}

// maxRememberedPayees bounds Categorizer.payees: an event whose wordings
// never repeat would otherwise keep one entry per transaction.
const maxRememberedPayees = 10_000

// normalizePayee is NormalizePayee, remembering simplified wordings.
func (c *Categorizer) normalizePayee(original, simplified string) string {
	if simplified == "" {
		return payeeOfOriginal(original)
	}
	p, ok := c.payees[simplified]
	if !ok {
		p.payee, p.named = payeeOfSimplified(simplified)
		if c.payees == nil {
			c.payees = map[string]simplifiedPayee{}
		}
		if len(c.payees) < maxRememberedPayees {
			c.payees[simplified] = p
		}
	}
	if p.named {
		return p.payee
	}
	return payeeOfOriginal(original)
}

// Categorize sets t's Payee, CategoryID, CategorySource, and what a
// matching rule says of Tags and Transfer. The user's rules come first,
// then what the person taught by correcting the same payee, then the
// built-in rules. Fields the person edited (t.Edits) are left alone.
func (c *Categorizer) Categorize(t *Transaction) {
	if t.Edits&EditedPayee == 0 {
		t.Payee = c.normalizePayee(t.OriginalWording, t.SimplifiedWording)
	}
	in := ruleInput{payee: t.Payee}
	for _, r := range c.Rules {
		if r.matches(t, &in) {
			c.apply(t, r)
			return
		}
	}
	if t.Edits&EditedCategory != 0 {
		return
	}
	if t.Payee != "" && len(c.Learned) > 0 {
		if id, ok := c.Learned[in.payeeKey()]; ok {
			t.CategoryID, t.CategorySource = &id, CategoryFromLearned
			return
		}
	}
	c.text = appendMatchText(c.text[:0], t.OriginalWording, t.SimplifiedWording, counterpartyLabel(t))
	if key := builtinCategory(t, c.text); key != "" {
		if id, ok := c.Keys[key]; ok {
			t.CategoryID, t.CategorySource = &id, CategoryFromBuiltin
			return
		}
	}
	t.CategoryID, t.CategorySource = nil, ""
}

// apply does what rule r says to t, sparing the fields edited by hand.
func (c *Categorizer) apply(t *Transaction, r *Rule) {
	a := &r.Then
	if a.CategoryID != nil && t.Edits&EditedCategory == 0 {
		id := *a.CategoryID
		t.CategoryID, t.CategorySource = &id, CategoryFromRule
	}
	if a.Payee != "" && t.Edits&EditedPayee == 0 {
		t.Payee = a.Payee
	}
	if len(a.Tags) > 0 && t.Edits&EditedTags == 0 {
		t.Tags = mergeTags(t.Tags, a.Tags)
	}
	if a.Transfer != nil && t.Edits&EditedTransfer == 0 {
		t.Transfer = *a.Transfer
	}
}

// RuleChanges reports whether rule r, applied to t, would change anything a
// person sees, and applies it to t. Manual edits are spared.
func (r *Rule) RuleChanges(t *Transaction) bool {
	if !r.Matches(t, t.Payee) {
		return false
	}
	before := *t
	beforeTags := len(t.Tags)
	(&Categorizer{}).apply(t, r)
	return !sameID(before.CategoryID, t.CategoryID) || before.Payee != t.Payee || beforeTags != len(t.Tags) || before.Transfer != t.Transfer
}

func sameID(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func mergeTags(have, add []string) []string {
	out, _ := NormalizeTags(append(append([]string(nil), have...), add...))
	return out
}

func counterpartyLabel(t *Transaction) string {
	if t.Counterparty == nil {
		return ""
	}
	return t.Counterparty.Label
}
