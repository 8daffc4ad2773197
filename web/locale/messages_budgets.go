package locale

// The texts of budgets, recurring payments and split transactions, merged
// into the catalogs at start, so that this feature keeps its words in one
// file.
func init() {
	for k, v := range budgetMessages {
		messages[k] = v
	}
	for k, v := range budgetPlurals {
		plurals[k] = v
	}
	for k, v := range budgetErrors {
		errorMessages[k] = v
	}
}

var budgetErrors = map[string]string{
	"is not a series this server found":                   "n’est pas une série trouvée par ce serveur",
	"a transaction without an amount cannot be split":     "une opération sans montant ne peut pas être répartie",
	"changes nothing: give amount or rollover":            "ne change rien\u00a0: indiquez amount ou rollover",
	"This category already has a budget.":                 "Cette catégorie a déjà un budget.",
	"must not be zero":                                    "ne doit pas être nul",
	"%q is not a month (YYYY-MM)":                         "%q n’est pas un mois (AAAA-MM)",
	"must have between 2 and %d parts":                    "doit avoir entre 2 et %d parts",
	"is too large":                                        "est trop grand",
	"%q is not a currency code such as EUR":               "%q n’est pas un code de devise comme EUR",
	"the parts add up to %s, not to the amount %s":        "les parts font %s au total, et non le montant %s",
	"must be more than zero":                              "doit être supérieur à zéro",
	"cannot change: delete the budget and create another": "ne peut pas changer\u00a0: supprimez le budget et créez-en un autre",
	"Budget %d not found.":                                "Budget %d introuvable.",
}

var budgetPlurals = map[string][2]plural{}

var budgetMessages = map[string][2]string{
	"field.amount":   {"Amount", "Montant"},
	"field.splits":   {"Split", "Répartition"},
	"field.currency": {"Currency", "Devise"},
	"field.month":    {"Month", "Mois"},
	"field.today":    {"Date", "Date"},
	"field.key":      {"Recurring payment", "Paiement récurrent"},

	"notify_kind.budget_exceeded": {"a budget is exceeded", "un budget est dépassé"},
	"notify.budget.subject":       {"Budget exceeded: %s", "Budget dépassé\u00a0: %s"},
	"notify.budget.body": {"You have spent %s in %s this month, more than the %s available: %s over. Open the link to see your budgets.",
		"Vous avez dépensé %s en %s ce mois-ci, plus que les %s disponibles\u00a0: %s de dépassement. Ouvrez le lien pour voir vos budgets."},
}
