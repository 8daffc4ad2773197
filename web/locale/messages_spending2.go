package locale

// The texts of the second round of "understand your spending": search
// order and pages, rule editing and order, imported operation kinds and
// manual balances; merged into the catalogs at start like
// messages_spending.go.
func init() {
	for k, v := range spending2Messages {
		messages[k] = v
	}
	for k, v := range spending2Errors {
		errorMessages[k] = v
	}
}

var spending2Messages = map[string][2]string{
	"field.sort":          {"Order", "Ordre"},
	"field.before":        {"Page", "Page"},
	"field.position":      {"Position", "Position"},
	"field.balance":       {"Balance", "Solde"},
	"tx.sort":             {"Order", "Ordre"},
	"tx.sort.date_desc":   {"Newest first", "Plus récentes d’abord"},
	"tx.sort.date_asc":    {"Oldest first", "Plus anciennes d’abord"},
	"tx.sort.amount_desc": {"Amount, highest first", "Montant, le plus élevé d’abord"},
	"tx.sort.amount_asc":  {"Amount, lowest first", "Montant, le plus bas d’abord"},
	"tx.category":         {"Category", "Catégorie"},
	"tx.any_category":     {"All categories", "Toutes les catégories"},
	"tx.no_category":      {"Without category", "Sans catégorie"},
	"tx.any_tag":          {"All tags", "Toutes les étiquettes"},
	"tx.page_first":       {"« First page", "« Première page"},
	"tx.page_prev":        {"‹ Previous page", "‹ Page précédente"},
	"tx.page_next":        {"Next page ›", "Page suivante ›"},
	"rules.edit":          {"Edit", "Modifier"},
	"rules.edit_title":    {"Edit a rule", "Modifier une règle"},
	"rules.editing":       {"Edit the rule %s", "Modifier la règle %s"},
	"rules.back":          {"← All your rules", "← Toutes vos règles"},
	"rules.cancel":        {"Cancel", "Annuler"},
	"rules.save_changes":  {"Save the changes", "Enregistrer les modifications"},
	"rules.kept":          {"Also kept from the rule:", "Conservé aussi de la règle :"},
	"rules.s.type":        {"kind %s", "type %s"},
	"rules.up_label":      {"Move the rule %s up", "Monter la règle %s"},
	"rules.down_label":    {"Move the rule %s down", "Descendre la règle %s"},
	"flash.rule_updated":  {"Rule changed.", "Règle modifiée."},
	"flash.rule_moved":    {"Rule moved.", "Règle déplacée."},
	"balance.set":         {"Set the balance on a day", "Indiquer le solde à une date"},
	"balance.help":        {"The balance at the end of that day, as your bank states it. The balance history starts from it, and today's balance is the latest one plus the transactions after it.", "Le solde à la fin de ce jour, tel que votre banque l’indique. L’historique du solde en part, et le solde du jour est le plus récent augmenté des opérations qui suivent."},
	"balance.date":        {"Day", "Jour"},
	"balance.amount":      {"Balance (%s)", "Solde (%s)"},
	"balance.save":        {"Save the balance", "Enregistrer le solde"},
	"flash.balance_saved": {"Balance saved.", "Solde enregistré."},
}

var spending2Errors = map[string]string{
	"must be date_desc, date_asc, amount_desc or amount_asc":         "doit être date_desc, date_asc, amount_desc ou amount_asc",
	"%q is not a date such as 2024-01-31":                            "%q n’est pas une date comme 2024-01-31",
	"must be up or down":                                             "doit être up ou down",
	"cannot be given with cursor":                                    "ne peut pas être donné avec cursor",
	"belongs to another sort order: start again from the first page": "appartient à un autre ordre de tri\u00a0: repartez de la première page",
}
