package locale

// wealthMessages are the texts of the dashboard, the charts, the
// investment and loan pages, and the fields they take.
var wealthMessages = map[string][2]string{
	"field.interval": {"Interval", "Intervalle"},

	"chart.periods":       {"Period", "Période"},
	"chart.hint":          {"Point at or tap the chart to read a day's value.", "Survolez ou touchez le graphique pour lire la valeur d’un jour."},
	"chart.table":         {"Show the values as a table", "Afficher les valeurs sous forme de tableau"},
	"chart.date":          {"Date", "Date"},
	"chart.balance":       {"Balance", "Solde"},
	"chart.reconstructed": {"Days between synchronisations are computed from the balance and the booked transactions.", "Les jours entre deux synchronisations sont calculés à partir du solde et des opérations comptabilisées."},
	"period.1m":           {"1 month", "1 mois"},
	"period.3m":           {"3 months", "3 mois"},
	"period.1y":           {"1 year", "1 an"},
	"period.all":          {"All", "Tout"},

	"nav.home":        {"Overview", "Synthèse"},
	"nav.investments": {"Investments", "Placements"},
	"nav.loans":       {"Loans", "Crédits"},

	"dashboard.title":            {"Your wealth", "Votre patrimoine"},
	"dashboard.net_worth":        {"Net worth", "Patrimoine net"},
	"dashboard.net_worth_in":     {"Net worth in %s", "Patrimoine net en %s"},
	"dashboard.chart_label":      {"Net worth in %s from %s to %s", "Patrimoine net en %s du %s au %s"},
	"dashboard.change.1m":        {"Over 1 month", "Sur 1 mois"},
	"dashboard.change.3m":        {"Over 3 months", "Sur 3 mois"},
	"dashboard.change.1y":        {"Over 1 year", "Sur 1 an"},
	"dashboard.change.all":       {"Since the start", "Depuis le début"},
	"dashboard.attention":        {"Banks that need you", "Banques qui ont besoin de vous"},
	"dashboard.upcoming":         {"Coming debits", "Débits à venir"},
	"dashboard.all_transactions": {"All transactions", "Toutes les opérations"},
	"dashboard.latest":           {"Latest transactions", "Dernières opérations"},

	"account.see_loan":      {"Loan details and schedule", "Détail du crédit et échéancier"},
	"account.see_positions": {"Positions and performance", "Positions et performance"},

	"investments.title":            {"Investments", "Placements"},
	"investments.none":             {"No investment account yet.", "Aucun compte de placement pour l’instant."},
	"investments.total_in":         {"Investments in %s", "Placements en %s"},
	"investments.gain":             {"Gain", "Gain ou perte"},
	"investments.by_account":       {"By account", "Par compte"},
	"investments.by_kind":          {"By kind of asset", "Par type d’actif"},
	"investments.account":          {"Account", "Compte"},
	"investments.kind":             {"Kind", "Type"},
	"investments.valuation":        {"Valuation", "Valorisation"},
	"investments.share":            {"Share", "Part"},
	"investments.positions":        {"Positions", "Positions"},
	"investments.label":            {"Position", "Ligne"},
	"investments.quantity":         {"Quantity", "Quantité"},
	"investments.unit_price":       {"Average buying price", "Prix de revient unitaire"},
	"investments.unit_value":       {"Unit value", "Cours"},
	"investments.total":            {"Total", "Total"},
	"investments.no_positions":     {"The bank gives no positions for this account.", "La banque ne fournit pas de positions pour ce compte."},
	"investments.position_history": {"Valuation history of %s", "Historique de valorisation de %s"},
	"investments.chart_label":      {"Valuation of %s from %s to %s", "Valorisation de %s du %s au %s"},
	"investments.history_note":     {"Each synchronisation records the valuation; days between show the latest one.", "Chaque synchronisation enregistre la valorisation ; les jours intermédiaires reprennent la dernière."},
	"asset.cash":                   {"Cash", "Liquidités"},
	"asset.security":               {"Securities and funds", "Titres et fonds"},
	"asset.other":                  {"Other assets", "Autres actifs"},

	"loans.title":            {"Loans", "Crédits"},
	"loans.none":             {"No loan.", "Aucun crédit."},
	"loans.remaining":        {"Remaining capital", "Capital restant dû"},
	"loans.borrowed":         {"Amount borrowed", "Montant emprunté"},
	"loans.rate":             {"Rate", "Taux"},
	"loans.payment":          {"Monthly payment", "Mensualité"},
	"loans.computed_payment": {"(computed: %s without insurance)", "(calculée : %s hors assurance)"},
	"loans.next":             {"Next payment", "Prochaine échéance"},
	"loans.payments":         {"Payments", "Échéances"},
	"loans.start":            {"Start", "Début"},
	"loans.maturity":         {"End", "Fin"},
	"loans.insurance":        {"Insurance", "Assurance"},
	"loans.per_month":        {"%s a month", "%s par mois"},
	"loans.interest_left":    {"Interest still to pay: %s", "Intérêts restant à payer : %s"},
	"loans.insurance_left":   {"insurance still to pay: %s", "assurance restant à payer : %s"},
	"loans.computed_note":    {"Computed by freenahi as a constant-annuity loan from the remaining capital, the rate and the payments left; your bank's schedule may differ by a few cents.", "Calculé par freenahi comme un prêt à échéances constantes à partir du capital restant dû, du taux et des échéances restantes ; l’échéancier de votre banque peut différer de quelques centimes."},
	"loans.interest":         {"Interest", "Intérêts"},
	"loans.principal":        {"Capital", "Capital"},
	"loans.no_schedule":      {"The bank does not give the rate, the remaining capital or the payments left, so no schedule can be computed.", "La banque ne donne pas le taux, le capital restant dû ou les échéances restantes : aucun échéancier ne peut être calculé."},
	"loans.used":             {"Used", "Utilisé"},
	"loans.available":        {"Available", "Disponible"},
	"loans.limit":            {"Credit limit", "Montant autorisé"},
}

// wealthPlurals are the counted texts of the wealth pages.
var wealthPlurals = map[string][2]plural{
	"loans.done":     {{"%d paid", "%d paid"}, {"%d payée", "%d payées"}},
	"loans.left":     {{"%d to go", "%d to go"}, {"%d restante", "%d restantes"}},
	"loans.total":    {{"%d in all", "%d in all"}, {"%d au total", "%d au total"}},
	"loans.schedule": {{"Amortisation schedule (%d payment, computed)", "Amortisation schedule (%d payments, computed)"}, {"Tableau d’amortissement (%d échéance, calculé)", "Tableau d’amortissement (%d échéances, calculé)"}},
}

func init() {
	for k, v := range wealthPlurals {
		plurals[k] = v
	}
}
