package freenahi

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The categoriser as it was before it remembered payees per event and
// worked out a transaction's texts once for all rules (main 5d467d3),
// copied unchanged as the reference of TestCategorizer_SameAsBefore.

func referenceCategorize(c *Categorizer, t *Transaction) {
	if t.Edits&EditedPayee == 0 {
		t.Payee = referenceNormalizePayee(t.OriginalWording, t.SimplifiedWording)
	}
	for _, r := range c.Rules {
		if referenceMatches(r, t, t.Payee) {
			c.apply(t, r)
			return
		}
	}
	if t.Edits&EditedCategory != 0 {
		return
	}
	if id, ok := c.Learned[referencePayeeKey(t.Payee)]; ok && t.Payee != "" {
		t.CategoryID, t.CategorySource = &id, CategoryFromLearned
		return
	}
	text := referenceMatchText(t.OriginalWording, t.SimplifiedWording, counterpartyLabel(t))
	if key := referenceBuiltinCategory(t, text); key != "" {
		if id, ok := c.Keys[key]; ok {
			t.CategoryID, t.CategorySource = &id, CategoryFromBuiltin
			return
		}
	}
	t.CategoryID, t.CategorySource = nil, ""
}

func referencePayeeKey(payee string) string { return strings.TrimSpace(referenceMatchText(payee)) }

func referenceMatchText(parts ...string) string {
	var b strings.Builder
	b.Grow(len(parts) * 32)
	b.WriteByte(' ')
	space := true
	for _, s := range parts {
		for _, r := range s {
			if r < utf8.RuneSelf {
				// ASCII, most of any bank text, without the Unicode tables.
				if 'A' <= r && r <= 'Z' {
					r += 'a' - 'A'
				}
				if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
					b.WriteByte(byte(r))
					space = false
				} else if !space {
					b.WriteByte(' ')
					space = true
				}
				continue
			}
			r = baseLetter(unicode.ToLower(r))
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(r)
				space = false
			} else if !space {
				b.WriteByte(' ')
				space = true
			}
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

func referenceBuiltinCategory(t *Transaction, text string) string {
	sign := 0
	switch {
	case t.ValueMinor < 0:
		sign = -1
	case t.ValueMinor > 0:
		sign = 1
	}
	best := len(builtinRules)
	for i := range builtinRules {
		if r := &builtinRules[i]; len(r.types) > 0 && r.applies(t, sign) && slices.Contains(r.types, t.Type) {
			best = i
			break
		}
	}
	// Word boundaries of text, which has one space before and after each word.
	var starts, ends [64]int
	n := 0
	for i := 1; i < len(text) && n < len(starts); i++ {
		if text[i-1] == ' ' && text[i] != ' ' {
			starts[n] = i
		}
		if text[i] == ' ' && text[i-1] != ' ' {
			ends[n] = i
			n++
		}
	}
	for i := 0; i < n; i++ {
		for k := i; k < n && k < i+referenceMaxWords; k++ {
			for _, ri := range referenceIndex[text[starts[i]:ends[k]]] {
				if ri < best && builtinRules[ri].applies(t, sign) {
					best = ri
					break
				}
			}
		}
	}
	if best == len(builtinRules) {
		return ""
	}
	return builtinRules[best].key
}

var referenceIndex, referenceMaxWords = referenceIndexBuiltin(builtinRules)

func referenceIndexBuiltin(rules []builtinRule) (map[string][]int, int) {
	index, longest := map[string][]int{}, 1
	for i, r := range rules {
		for _, w := range r.words {
			index[w] = append(index[w], i)
			longest = max(longest, strings.Count(w, " ")+1)
		}
	}
	return index, longest
}

func referenceNormalizePayee(original, simplified string) string {
	if s := strings.Join(strings.Fields(simplified), " "); s != "" && !genericPayees[referencePayeeKey(s)] {
		if s == strings.ToUpper(s) {
			return titleCase(strings.Fields(s)) // "AMAZON" reads as "Amazon"
		}
		return s
	}
	var words []string
	leading := true
	for _, w := range strings.Fields(original) {
		switch {
		case !hasLetterOrDigit(w):
			continue
		case leading && operationWords[referencePayeeKey(w)]:
			continue
		case strings.ContainsAny(w, "0123456789"):
			if len(words) > 0 {
				return titleCase(words)
			}
			continue
		}
		leading = false
		words = append(words, w)
	}
	return titleCase(words)
}

func referenceMatches(r *Rule, t *Transaction, payee string) bool {
	c := &r.If
	switch {
	case c.Sign == SignDebit && t.ValueMinor >= 0, c.Sign == SignCredit && t.ValueMinor <= 0:
		return false
	case c.AccountID != nil && *c.AccountID != t.AccountID:
		return false
	case c.Type != "" && c.Type != t.Type:
		return false
	case c.Payee != "" && referencePayeeKey(c.Payee) != referencePayeeKey(payee):
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
	if c.WordingContains != "" && !strings.Contains(referenceMatchText(t.OriginalWording, t.SimplifiedWording, t.Wording), strings.TrimSpace(referenceMatchText(c.WordingContains))) {
		return false
	}
	if r.matcher != nil && !r.matcher.MatchString(t.OriginalWording+"\n"+t.SimplifiedWording+"\n"+t.Wording) {
		return false
	}
	return true
}

// sandboxYearRecord is one transaction of testdata/sandbox_year.jsonl: what
// categorisation reads of it.
type sandboxYearRecord struct {
	AccountID         int64  `json:"account_id"`
	Type              string `json:"type"`
	Card              string `json:"card,omitempty"`
	OriginalWording   string `json:"original_wording"`
	SimplifiedWording string `json:"simplified_wording,omitempty"`
	Wording           string `json:"wording,omitempty"`
	Counterparty      string `json:"counterparty,omitempty"`
	ValueMinor        int64  `json:"value_minor"`
}

// readSandboxYear reads the transactions the sandbox's test bank gives
// for a year (written by aggregator's TestCategorize_SandboxYear with
// -sandbox-year-out).
func readSandboxYear(t *testing.T) []Transaction {
	f, err := os.Open("testdata/sandbox_year.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Transaction
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec sandboxYearRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		tx := Transaction{AccountID: rec.AccountID, Type: rec.Type, Card: rec.Card, OriginalWording: rec.OriginalWording,
			SimplifiedWording: rec.SimplifiedWording, Wording: rec.Wording, ValueMinor: rec.ValueMinor,
			Currency: Currency{Code: "EUR", Exponent: 2}}
		if rec.Counterparty != "" {
			tx.Counterparty = &Counterparty{Label: rec.Counterparty}
		}
		out = append(out, tx)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCategorizer_SameAsBefore categorises the sandbox's year of
// transactions with the categoriser and with the reference above, without
// rules, then with rules testing every condition (each alone and some
// together) and with learned payees, and wants the same payee, category,
// source, tags and transfer mark for every transaction.
func TestCategorizer_SameAsBefore(t *testing.T) {
	year := readSandboxYear(t)
	if len(year) < 800 {
		t.Fatalf("%d transactions in the sandbox year, want a year's worth", len(year))
	}
	// Text the sandbox does not print: accents, ligatures, another script,
	// a wording longer than matchText's stack buffer, operation words only.
	for i, w := range [][2]string{{"CB BOULANGERIE DU MARCHÉ 01/02", ""}, {"PRLV SEPA Crédit Agricole", "Crédit Agricole"},
		{"CB CŒUR DE BŒUF 12/05", ""}, {"CARTE Ελληνικά ΤΑΒΕΡΝΑ", ""}, {strings.Repeat("PRLV SEPA URSSAF ", 12) + "REF 123", ""},
		{"VIR INST", "Virement"}, {"RETRAIT DAB 12/05", "Retrait"}, {"CB UBER EATS", "UBER   EATS"}, {"", ""}} {
		year = append(year, Transaction{AccountID: year[0].AccountID, Type: []string{"card", "order", "deferred_card"}[i%3],
			OriginalWording: w[0], SimplifiedWording: w[1], ValueMinor: int64(1000 - 700*(i%2)*3), Currency: Currency{Code: "EUR", Exponent: 2}})
	}
	keys := map[string]int64{}
	for i, d := range DefaultCategories {
		keys[d.Key] = int64(i + 1)
	}
	id := func(n int64) *int64 { return &n }
	dec := func(s string) *Decimal { d := MustParseDecimal(s); return &d }
	yes := true
	conditions := []RuleConditions{
		{WordingContains: "carrefour"},
		{WordingContains: "Prlv  Sépa"},
		{WordingMatches: `^cb .*\d{2}/\d{2}`},
		{WordingMatches: `(?m)^vir`},
		{Payee: "SNCF"},
		{Payee: "amazon"},
		{Sign: SignCredit},
		{MinAmount: dec("100"), MaxAmount: dec("250.50")},
		{MaxAmount: dec("9.99")},
		{Type: "card", WordingContains: "boulangerie"},
		{AccountID: &year[0].AccountID, Sign: SignDebit, MinAmount: dec("50")},
		{Payee: "Uber Eats", Type: "deferred_card"},
	}
	var rules []*Rule
	for i, c := range conditions {
		r := &Rule{Name: "rule", If: c, Then: RuleActions{CategoryID: id(int64(100 + i))}}
		switch i % 4 {
		case 1:
			r.Then = RuleActions{Payee: "Payee " + string(rune('A'+i))}
		case 2:
			r.Then.Tags = []string{"tag" + string(rune('a'+i)), "common"}
		case 3:
			r.Then.Transfer = &yes
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("rule %d: %v", i, err)
		}
		rules = append(rules, r)
	}
	learned := map[string]int64{}
	for i, tx := range year {
		if i%7 == 0 {
			learned[referencePayeeKey(referenceNormalizePayee(tx.OriginalWording, tx.SimplifiedWording))] = int64(200 + i%5)
		}
	}
	applied := 0 // rule sets that changed some transaction
	for _, setup := range []struct {
		name    string
		rules   []*Rule
		learned map[string]int64
	}{
		{"built-in alone", nil, nil},
		{"learned payees", nil, learned},
		{"each rule alone", nil, nil}, // filled below
		{"all rules and learned payees", rules, learned},
		{"rules reversed", reversed(rules), nil},
	} {
		sets := [][]*Rule{setup.rules}
		if setup.name == "each rule alone" {
			sets = nil
			for _, r := range rules {
				sets = append(sets, []*Rule{r})
			}
		}
		for _, set := range sets {
			got := &Categorizer{Rules: set, Learned: setup.learned, Keys: keys}
			want := &Categorizer{Rules: set, Learned: setup.learned, Keys: keys}
			changed := 0
			for i := range year {
				a, b := year[i], year[i]
				if i%11 == 0 { // a person's edits are spared alike
					a.Edits, b.Edits = EditedPayee, EditedPayee
					a.Payee, b.Payee = "Edited", "Edited"
				}
				got.Categorize(&a)
				referenceCategorize(want, &b)
				if a.Payee != b.Payee || !sameID(a.CategoryID, b.CategoryID) || a.CategorySource != b.CategorySource ||
					!slices.Equal(a.Tags, b.Tags) || a.Transfer != b.Transfer {
					t.Fatalf("%s: %q %q: got payee %q category %v (%s) tags %q transfer %v; the reference %q %v (%s) %q %v",
						setup.name, a.OriginalWording, a.SimplifiedWording, a.Payee, deref(a.CategoryID), a.CategorySource, a.Tags,
						a.Transfer, b.Payee, deref(b.CategoryID), b.CategorySource, b.Tags, b.Transfer)
				}
				if b.CategorySource == CategoryFromRule || b.CategorySource == CategoryFromLearned || len(b.Tags) > 0 || b.Transfer ||
					strings.HasPrefix(b.Payee, "Payee ") {
					changed++
				}
			}
			if changed > 0 {
				applied++
			} else {
				for _, r := range set {
					t.Logf("%s: rule %+v applied to none", setup.name, r.If)
				}
			}
		}
	}
	// Built-in alone changes nothing; of the 15 other sets, the learned
	// payees, the two sets of all rules and most single rules must apply.
	if applied < 13 {
		t.Fatalf("only %d of 15 rule and learned-payee sets changed a transaction: the check is weak", applied)
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func reversed(rules []*Rule) []*Rule {
	out := slices.Clone(rules)
	slices.Reverse(out)
	return out
}
