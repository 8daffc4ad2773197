package freenahi

import (
	"bytes"
	"slices"
	"strings"
)

// builtinRule puts transactions whose text holds one of words (whole words,
// lower case, without accents) into the default category key. Sign limits
// it to debits (-1) or credits (+1); types, when set, also matches on
// Powens' operation type alone; cardOnly keeps a word that is too common
// elsewhere (a first name, "total") to card payments.
type builtinRule struct {
	key      string
	sign     int
	types    []string
	cardOnly bool
	words    []string
}

// builtinRules are tried in order, the more specific first ("uber eats"
// before "uber", "tva" before "dgfip"). They cover the operation kinds of
// French banks and the payees most French statements show.
var builtinRules = compileBuiltin([]builtinRule{
	{key: "card_settlement", types: []string{"summary_card"}, words: []string{"releve cb", "releve carte", "debit mensuel carte", "facture carte", "releve differe"}},
	{key: "cash", types: []string{"withdrawal"}, words: []string{"retrait dab", "retrait", "dab"}},
	{key: "loan_repayment", types: []string{"loan_payment"}, words: []string{"echeance pret", "pret immo", "credit immobilier", "remboursement pret"}},
	{key: "cheques", types: []string{"check"}, words: []string{"chq", "cheque", "remise cheque"}},
	{key: "savings", words: []string{"livret", "livret a", "ldds", "lep", "pel", "cel", "epargne", "assurance vie", "compte cheques"}},
	{key: "internal_transfer", words: []string{"virement interne", "vir interne", "entre comptes", "versement initial", "transfert compte"}},
	{key: "salary", sign: 1, words: []string{"salaire", "salaires", "paie", "remuneration", "traitement"}},
	{key: "interest", sign: 1, words: []string{"interets", "interets crediteurs", "dividende", "dividendes", "coupon", "coupons"}},
	{key: "benefits", sign: 1, words: []string{"caf", "cpam", "ameli", "pole emploi", "france travail", "remboursement", "rembt", "remb", "carsat", "mutuelle", "allocations"}},
	{key: "business_income", sign: 1, words: []string{"fact", "facture", "factures", "honoraires", "reglement", "invoice", "stripe", "sumup", "payplug"}},
	{key: "vat", sign: -1, words: []string{"tva"}},
	{key: "social_contributions", sign: -1, words: []string{"urssaf", "cipav", "carmf", "carpimko", "msa", "cotisations sociales"}},
	{key: "income_tax", sign: -1, words: []string{"dgfip", "impot", "impots", "finances publiques", "tresor public", "prelevement a la source", "pas dgfip"}},
	{key: "other_taxes", sign: -1, words: []string{"taxe fonciere", "taxe habitation", "amende", "antai", "amendes"}},
	{key: "bank_fees", sign: -1, types: []string{"bank"}, words: []string{"frais", "commission", "commissions", "cotisation carte", "agios", "tenue de compte", "frais bancaires", "cotisation"}},
	{key: "food_delivery", sign: -1, words: []string{"uber eats", "ubereats", "deliveroo", "just eat", "frichti"}},
	{key: "subscriptions", sign: -1, words: []string{"netflix", "spotify", "deezer", "disney plus", "canal", "amazon prime", "prime video", "youtube", "apple com bill", "molotov"}},
	{key: "groceries", sign: -1, words: []string{"carrefour", "carrefour city", "carrefour market", "monoprix", "leclerc", "e leclerc", "auchan", "lidl", "aldi",
		"intermarche", "super u", "hyper u", "u express", "casino", "franprix", "picard", "biocoop", "naturalia", "grand frais", "netto", "cora",
		"la vie claire", "g20", "spar", "boulangerie", "boucherie", "primeur", "fromagerie", "marche", "supermarche", "epicerie"}},
	{key: "groceries", sign: -1, cardOnly: true, words: []string{"paul", "marie blachere", "leader price", "match"}},
	{key: "restaurants", sign: -1, words: []string{"restaurant", "resto", "mcdonald", "mcdonalds", "mc donald", "burger king", "kfc", "brasserie", "pizzeria", "sushi", "bistrot", "creperie", "quick", "subway", "flunch", "buffalo grill", "hippopotamus"}},
	{key: "cafes", sign: -1, words: []string{"cafe", "bar", "starbucks", "columbus cafe", "tabac", "pmu"}},
	{key: "fuel", sign: -1, words: []string{"totalenergies", "esso", "shell", "avia", "carburant", "station service", "total access", "bp"}},
	{key: "fuel", sign: -1, cardOnly: true, words: []string{"total", "preautorisation total"}},
	{key: "public_transport", sign: -1, words: []string{"ratp", "navigo", "tcl", "rtm", "tisseo", "transpole", "keolis", "velib", "star", "tan", "ilevia", "idf mobilites"}},
	{key: "trains", sign: -1, words: []string{"sncf", "sncf connect", "oui sncf", "trainline", "ouigo", "tgv", "eurostar", "ter", "thalys"}},
	{key: "flights", sign: -1, words: []string{"air france", "easyjet", "ryanair", "transavia", "vueling", "lufthansa", "klm", "volotea"}},
	{key: "taxi", sign: -1, words: []string{"uber", "g7", "taxi", "taxis", "bolt", "heetch", "marcel", "blablacar"}},
	{key: "car", sign: -1, words: []string{"peage", "autoroute", "autoroutes", "vinci", "sanef", "aprr", "parking", "indigo", "norauto", "feu vert", "midas", "speedy", "controle technique", "effia", "saemes"}},
	{key: "energy", sign: -1, words: []string{"edf", "engie", "gaz de bordeaux", "ekwateur", "enercoop", "grdf", "enedis", "eni", "mint energie", "ohm energie", "vattenfall"}},
	{key: "water", sign: -1, words: []string{"veolia", "eau de paris", "saur", "suez", "eaux"}},
	{key: "telecom", sign: -1, words: []string{"free", "free mobile", "freebox", "orange", "sfr", "bouygues", "bouygues telecom", "sosh", "red by sfr", "b and you", "la poste mobile", "nrj mobile"}},
	{key: "rent", sign: -1, words: []string{"loyer", "loyers", "foncia", "nexity", "citya", "oralia", "sergic", "century 21", "syndic"}},
	{key: "home", sign: -1, words: []string{"ikea", "leroy merlin", "castorama", "conforama", "maisons du monde", "bricorama", "brico depot", "mr bricolage", "but", "darty cuisine", "alinea"}},
	{key: "insurance", sign: -1, words: []string{"maif", "macif", "matmut", "axa", "allianz", "groupama", "gmf", "maaf", "generali", "mma", "assurance", "assurances", "direct assurance", "luko", "april"}},
	{key: "health_insurance", sign: -1, words: []string{"mutuelle", "harmonie mutuelle", "mgen", "alan", "malakoff humanis", "ag2r", "swiss life"}},
	{key: "pharmacy", sign: -1, words: []string{"pharmacie", "pharma", "parapharmacie"}},
	{key: "doctors", sign: -1, words: []string{"docteur", "dr", "medecin", "doctolib", "dentiste", "kine", "kinesitherapeute", "laboratoire", "labo", "hopital", "clinique", "opticien", "optique", "ophtalmo", "osteopathe", "cabinet medical"}},
	{key: "sport", sign: -1, words: []string{"decathlon", "intersport", "go sport", "basic fit", "fitness park", "salle de sport", "neoness", "keep cool"}},
	{key: "clothing", sign: -1, words: []string{"zara", "h m", "kiabi", "uniqlo", "celio", "jules", "primark", "galeries lafayette", "printemps", "mango", "vinted", "la redoute", "zalando"}},
	{key: "electronics", sign: -1, words: []string{"fnac", "darty", "fnac darty", "boulanger", "apple", "ldlc", "cultura", "librairie", "gibert", "apple store", "materiel net"}},
	{key: "online_shopping", sign: -1, words: []string{"amazon", "amazon payments", "amazon marketplace", "cdiscount", "leboncoin", "aliexpress", "temu", "shein", "wish", "ebay", "rakuten"}},
	{key: "travel", sign: -1, words: []string{"airbnb", "booking", "booking com", "hotel", "ibis", "accor", "pierre et vacances", "club med", "camping", "gites", "abritel"}},
	{key: "culture", sign: -1, words: []string{"cinema", "ugc", "pathe", "gaumont", "mk2", "musee", "theatre", "ticketmaster", "fnac spectacles", "concert", "opera"}},
	{key: "office", sign: -1, words: []string{"buro club", "bureau vallee", "office depot", "lyreco", "regus", "wework", "papeterie"}},
	{key: "software", sign: -1, words: []string{"ovh", "ovh sas", "ovhcloud", "google", "microsoft", "github", "aws", "scaleway", "o2switch", "ionos", "gandi", "adobe", "notion", "slack", "dropbox", "openai"}},
	{key: "postage", sign: -1, words: []string{"la poste", "laposte", "colissimo", "chronopost", "mondial relay", "relais colis"}},
	{key: "gifts", sign: -1, words: []string{"don", "dons", "leetchi", "croix rouge", "restos du coeur", "msf", "unicef", "lydia cagnotte"}},
})

// builtinIndex maps each phrase of the built-in rules ("uber eats"), and
// each first word of one, to what builtinCategory needs of it.
var builtinIndex = indexBuiltin(builtinRules)

// builtinStarts tells which bytes start a key of builtinIndex: a word
// starting with another (a date, an amount, a reference number: most of a
// bank's wording) costs no map lookup.
var builtinStarts = func() (starts [256]bool) {
	for k := range builtinIndex {
		starts[k[0]] = true
	}
	return starts
}()

// builtinTyped are the indexes of the built-in rules that match on the
// operation type, in rule order.
var builtinTyped = func() (typed []int) {
	for i, r := range builtinRules {
		if len(r.types) > 0 {
			typed = append(typed, i)
		}
	}
	return typed
}()

// builtinEntry is what builtinIndex holds of a phrase: the rules holding
// it, in rule order, and, for a word, how many words the longest phrase
// starting with it has (0 when none does). A text's word that starts no
// phrase then costs one map lookup, not one per phrase length.
type builtinEntry struct {
	rules   []int
	longest int
}

// compileBuiltin writes each phrase as matchText does, without its outer
// spaces.
func compileBuiltin(rules []builtinRule) []builtinRule {
	for i := range rules {
		for j, w := range rules[i].words {
			rules[i].words[j] = strings.TrimSpace(matchText(w))
		}
	}
	return rules
}

func indexBuiltin(rules []builtinRule) map[string]builtinEntry {
	index := map[string]builtinEntry{}
	for i, r := range rules {
		for _, w := range r.words {
			e := index[w]
			e.rules = append(e.rules, i)
			index[w] = e
			first, _, _ := strings.Cut(w, " ")
			f := index[first]
			f.longest = max(f.longest, strings.Count(w, " ")+1)
			index[first] = f
		}
	}
	return index
}

// applies reports whether rule i may match t by its sign and card limits.
func (r *builtinRule) applies(t *Transaction, sign int) bool {
	return (r.sign == 0 || r.sign == sign) && (!r.cardOnly || t.Card != "" || t.Type == "card" || t.Type == "deferred_card")
}

// builtinCategory returns the key of the default category the built-in
// rules give t, or "": the first rule, in order, that t's operation type or
// one of the phrases of its text (a matchText: single spaces around each
// word) selects. Phrases are looked up word by word in an index, so the
// cost does not grow with the number of rules.
func builtinCategory(t *Transaction, text []byte) string {
	sign := 0
	switch {
	case t.ValueMinor < 0:
		sign = -1
	case t.ValueMinor > 0:
		sign = 1
	}
	best := len(builtinRules)
	for _, i := range builtinTyped {
		if r := &builtinRules[i]; r.applies(t, sign) && slices.Contains(r.types, t.Type) {
			best = i
			break
		}
	}
	// Each word of text runs from i to the space at end. A map lookup of a
	// []byte converted to string copies nothing.
	for i := 1; i < len(text); {
		end := i + bytes.IndexByte(text[i:], ' ')
		if end < i {
			break // no closing space: not a matchText
		}
		if builtinStarts[text[i]] {
			word := builtinIndex[string(text[i:end])]
			best = firstApplying(word.rules, best, t, sign)
			// The phrases of up to word.longest words starting here.
			for k, phraseEnd := 1, end; k < word.longest && phraseEnd+1 < len(text); k++ {
				next := phraseEnd + 1 + bytes.IndexByte(text[phraseEnd+1:], ' ')
				if next <= phraseEnd {
					break
				}
				phraseEnd = next
				best = firstApplying(builtinIndex[string(text[i:phraseEnd])].rules, best, t, sign)
			}
		}
		i = end + 1
	}
	if best == len(builtinRules) {
		return ""
	}
	return builtinRules[best].key
}

// firstApplying returns the first of rules (in rule order) before best
// that applies to t, else best.
func firstApplying(rules []int, best int, t *Transaction, sign int) int {
	for _, ri := range rules {
		if ri >= best {
			break
		}
		if builtinRules[ri].applies(t, sign) {
			return ri
		}
	}
	return best
}
