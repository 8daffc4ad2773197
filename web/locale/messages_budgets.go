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
	"is required on every line with an amount":            "est obligatoire sur chaque ligne qui a un montant",
	"%q is not a currency code such as EUR":               "%q n’est pas un code de devise comme EUR",
	"the parts add up to %s, not to the amount %s":        "les parts font %s au total, et non le montant %s",
	"must be more than zero":                              "doit être supérieur à zéro",
	"cannot change: delete the budget and create another": "ne peut pas changer\u00a0: supprimez le budget et créez-en un autre",
	"Budget %d not found.":                                "Budget %d introuvable.",
}

var budgetPlurals = map[string][2]plural{}

var budgetMessages = map[string][2]string{
	"field.amount":         {"Amount", "Montant"},
	"field.splits":         {"Split", "Répartition"},
	"field.currency":       {"Currency", "Devise"},
	"field.month":          {"Month", "Mois"},
	"field.today":          {"Date", "Date"},
	"field.key":            {"Recurring payment", "Paiement récurrent"},
	"field.split_category": {"Category of a part", "Catégorie d’une part"},

	"budgets.title":         {"Budgets", "Budgets"},
	"budgets.months":        {"Months", "Mois"},
	"budgets.prev":          {"Previous month", "Mois précédent"},
	"budgets.next":          {"Next month", "Mois suivant"},
	"budgets.how":           {"Spending counts the month’s debits less its refunds; transfers between your accounts are left out, and a split transaction counts by its parts.", "Les dépenses comptent les débits du mois moins ses remboursements\u00a0; les virements entre vos comptes sont exclus, et une opération répartie compte par ses parts."},
	"budgets.to_reports":    {"Reports", "Rapports"},
	"budgets.to_recurring":  {"Recurring payments", "Paiements récurrents"},
	"budgets.none":          {"No budget yet. Add one below: a monthly amount for a category or a whole group.", "Aucun budget pour l’instant. Ajoutez-en un ci-dessous\u00a0: un montant mensuel pour une catégorie ou tout un groupe."},
	"budgets.over_by":       {"%s over", "%s de dépassement"},
	"budgets.left_of":       {"%s left of %s", "Reste %s sur %s"},
	"budgets.left":          {"%s left", "Reste %s"},
	"budgets.spent_percent": {"%d %% spent", "%d\u00a0%% dépensé"},
	"budgets.spent":         {"Spent", "Dépensé"},
	"budgets.amount":        {"Monthly amount", "Montant mensuel"},
	"budgets.amount_eur":    {"Monthly amount (EUR)", "Montant mensuel (EUR)"},
	"budgets.carried":       {"Carried from earlier months", "Report des mois précédents"},
	"budgets.change":        {"Change or delete", "Modifier ou supprimer"},
	"budgets.rollover":      {"Carry what is left (or overspent) into next month", "Reporter le reste (ou le dépassement) sur le mois suivant"},
	"budgets.rollover_help": {"Counted from the month the budget is created.", "Compté à partir du mois de création du budget."},
	"budgets.save":          {"Save", "Enregistrer"},
	"budgets.delete":        {"Delete this budget", "Supprimer ce budget"},
	"budgets.new":           {"New budget", "Nouveau budget"},
	"budgets.category":      {"Category or group", "Catégorie ou groupe"},
	"budgets.choose":        {"Choose…", "Choisir…"},
	"budgets.whole_group":   {"%s (whole group)", "%s (tout le groupe)"},
	"budgets.add":           {"Add the budget", "Ajouter le budget"},
	"flash.budget_created":  {"Budget added.", "Budget ajouté."},
	"flash.budget_saved":    {"Budget saved.", "Budget enregistré."},
	"flash.budget_deleted":  {"Budget deleted.", "Budget supprimé."},

	"dashboard.budgets":      {"Budgets this month", "Budgets du mois"},
	"dashboard.budget_spent": {"%s spent of %s", "%s dépensés sur %s"},
	"dashboard.all_budgets":  {"All budgets", "Tous les budgets"},
	"reports.to_budgets":     {"Budgets", "Budgets"},
	"reports.to_recurring":   {"Recurring payments", "Paiements récurrents"},

	"recurring.title":              {"Recurring payments", "Paiements récurrents"},
	"recurring.active":             {"Recurring payments and subscriptions", "Paiements récurrents et abonnements"},
	"recurring.how":                {"Payments to the same payee at a regular interval (weekly, monthly, quarterly, yearly) with a similar amount, over the last two years and still running.", "Paiements au même bénéficiaire à intervalle régulier (hebdomadaire, mensuel, trimestriel, annuel) d’un montant semblable, sur les deux dernières années et toujours en cours."},
	"recurring.to_budgets":         {"Budgets", "Budgets"},
	"recurring.total":              {"A year of them costs", "Sur un an, ils coûtent"},
	"recurring.interval.weekly":    {"Weekly", "Chaque semaine"},
	"recurring.interval.monthly":   {"Monthly", "Chaque mois"},
	"recurring.interval.quarterly": {"Quarterly", "Chaque trimestre"},
	"recurring.interval.yearly":    {"Yearly", "Chaque année"},
	"recurring.next":               {"next on %s", "prochain le %s"},
	"recurring.yearly":             {"%s a year", "%s par an"},
	"recurring.dismiss":            {"Not recurring", "Pas récurrent"},
	"recurring.dismiss_label":      {"%s is not recurring", "%s n’est pas récurrent"},
	"recurring.none":               {"No recurring payment found yet: it takes three monthly payments, four weekly ones or two yearly ones.", "Aucun paiement récurrent trouvé pour l’instant\u00a0: il faut trois paiements mensuels, quatre hebdomadaires ou deux annuels."},
	"recurring.dismissed":          {"Marked as not recurring", "Marqués comme non récurrents"},
	"recurring.restore":            {"Recurring after all", "Finalement récurrent"},
	"flash.recurring_dismissed":    {"Marked as not recurring.", "Marqué comme non récurrent."},
	"flash.recurring_restored":     {"Back among the recurring payments.", "De retour parmi les paiements récurrents."},

	"split.title":       {"Split across categories", "Répartir entre catégories"},
	"split.help":        {"Type each part without a sign; together the parts must make exactly %s. Reports and budgets count the parts.", "Saisissez chaque part sans signe\u00a0; ensemble, les parts doivent faire exactement %s. Les rapports et les budgets comptent les parts."},
	"split.category":    {"Category of part %d", "Catégorie de la part %d"},
	"split.amount":      {"Amount of part %d", "Montant de la part %d"},
	"split.mismatch":    {"The bank changed the amount since you split it: the parts no longer add up to it. Reports still count the parts; save a new split.", "La banque a changé le montant depuis votre répartition\u00a0: les parts ne font plus ce total. Les rapports comptent toujours les parts\u00a0; enregistrez une nouvelle répartition."},
	"split.save":        {"Save the split", "Enregistrer la répartition"},
	"split.remove":      {"Remove the split", "Supprimer la répartition"},
	"flash.split_saved": {"Split saved.", "Répartition enregistrée."},

	"notify_kind.budget_exceeded": {"a budget is exceeded", "un budget est dépassé"},
	"notify.budget.subject":       {"Budget exceeded: %s", "Budget dépassé\u00a0: %s"},
	"notify.budget.body": {"You have spent %s in %s this month, more than the %s available: %s over. Open the link to see your budgets.",
		"Vous avez dépensé %s en %s ce mois-ci, plus que les %s disponibles\u00a0: %s de dépassement. Ouvrez le lien pour voir vos budgets."},
}
