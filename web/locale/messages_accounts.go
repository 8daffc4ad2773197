package locale

// accountsMessages are the texts of a person's own choices on accounts
// (name, hidden, archived, group) and of manual assets.
var accountsMessages = map[string][2]string{
	"field.kind":        {"Kind", "Type"},
	"field.institution": {"Held at", "Établissement"},
	"field.currency":    {"Currency", "Devise"},
	"field.date":        {"Date", "Date"},
	"field.value":       {"Value", "Valeur"},

	"nav.assets":         {"Assets", "Biens"},
	"dashboard.accounts": {"Accounts and assets", "Comptes et biens"},

	"account.hidden":         {"Hidden", "Masqué"},
	"account.archived":       {"Archived", "Archivé"},
	"account.not_counted":    {"Hidden and archived accounts count in no total and not in net worth.", "Les comptes masqués ou archivés ne comptent dans aucun total ni dans le patrimoine net."},
	"account.powens_name":    {"Name at the bank", "Nom à la banque"},
	"account.bank":           {"Bank", "Banque"},
	"account.held_at":        {"%s · connection %d", "%s · connexion %d"},
	"account.choices":        {"Name, group, visibility", "Nom, groupe, visibilité"},
	"account.your_name":      {"Your name for this account", "Votre nom pour ce compte"},
	"account.your_name_help": {"Leave empty to use the bank’s name, “%s”.", "Laissez vide pour garder le nom donné par la banque, «\u00a0%s\u00a0»."},
	"account.group":          {"Group", "Groupe"},
	"account.group_of_type":  {"As its type says (%s)", "Selon son type (%s)"},
	"account.hide":           {"Hide this account", "Masquer ce compte"},
	"account.archive":        {"Archive this account", "Archiver ce compte"},
	"account.hide_help":      {"It stays here and keeps syncing, but leaves the totals and net worth.", "Il reste ici et continue de se synchroniser, mais sort des totaux et du patrimoine net."},
	"account.save_choices":   {"Save", "Enregistrer"},
	"account.choices_kept":   {"Synchronisations never change what you choose here.", "Les synchronisations ne changent jamais ce que vous choisissez ici."},

	"accounts.set_aside":      {"Hidden and archived accounts", "Comptes masqués et archivés"},
	"accounts.hide_set_aside": {"Hide them", "Les cacher"},
	"assets.manage":           {"Your own assets and debts (property, cash, vehicle…)", "Vos biens et dettes (immobilier, espèces, véhicule…)"},

	"flash.account_saved":       {"Saved. Synchronisations will keep your choices.", "Enregistré. Les synchronisations garderont vos choix."},
	"flash.asset_saved":         {"Saved.", "Enregistré."},
	"flash.asset_value_saved":   {"Value saved.", "Valeur enregistrée."},
	"flash.asset_value_deleted": {"Value deleted.", "Valeur supprimée."},
	"flash.asset_deleted":       {"Asset deleted.", "Bien supprimé."},

	"assets.title":  {"Your assets", "Vos biens"},
	"assets.intro":  {"What your banks do not show: a flat, cash, a car, crypto, an account at a bank freenahi cannot reach, money you owe. You give the value on the days you choose; net worth counts it from then on.", "Ce que vos banques ne montrent pas\u00a0: un appartement, des espèces, une voiture, des cryptos, un compte dans une banque que freenahi ne joint pas, de l’argent que vous devez. Vous donnez la valeur aux dates de votre choix\u00a0; le patrimoine net la compte à partir de là."},
	"assets.yours":  {"Your assets and debts", "Vos biens et dettes"},
	"assets.total":  {"In net worth:", "Dans le patrimoine net\u00a0:"},
	"assets.none":   {"No asset yet.", "Aucun bien pour l’instant."},
	"assets.add":    {"Add an asset or a debt", "Ajouter un bien ou une dette"},
	"assets.create": {"Add", "Ajouter"},
	"assets.back":   {"All your assets", "Tous vos biens"},

	"asset.kind.cash":     {"Cash", "Espèces"},
	"asset.kind.property": {"Property", "Immobilier"},
	"asset.kind.vehicle":  {"Vehicle", "Véhicule"},
	"asset.kind.crypto":   {"Crypto", "Cryptoactifs"},
	"asset.kind.account":  {"Account at another bank", "Compte dans une autre banque"},
	"asset.kind.other":    {"Other asset", "Autre bien"},
	"asset.kind.loan":     {"Money you owe (private loan)", "Argent que vous devez (prêt privé)"},

	"asset.title":              {"Asset", "Bien"},
	"asset.as_of":              {"value of %s", "valeur du %s"},
	"asset.first_value":        {"Value today (optional)", "Valeur aujourd’hui (facultatif)"},
	"asset.first_value_help":   {"An amount such as 250000 or 1234.56; for a debt, the amount you owe.", "Un montant comme 250000 ou 1234,56\u00a0; pour une dette, le montant dû."},
	"asset.more":               {"Group and institution", "Groupe et établissement"},
	"asset.group_of_kind":      {"As its kind says", "Selon son type"},
	"asset.liability":          {"subtracted from net worth", "déduit du patrimoine net"},
	"asset.latest":             {"Latest value", "Dernière valeur"},
	"asset.counted":            {"Each value counts in net worth from its day until the next one.", "Chaque valeur compte dans le patrimoine net de sa date jusqu’à la suivante."},
	"asset.history":            {"Value over time", "Valeur dans le temps"},
	"asset.no_history":         {"Add values at two dates or more to see a chart.", "Ajoutez des valeurs à deux dates ou plus pour voir un graphique."},
	"asset.values":             {"Dated values", "Valeurs datées"},
	"asset.value_in":           {"Value in %s", "Valeur en %s"},
	"asset.value_help":         {"What it is worth that day, such as 250000 or 1234.56.", "Ce qu’il vaut ce jour-là, par exemple 250000 ou 1234,56."},
	"asset.value_help_owed":    {"What you owe that day, such as 5000.", "Ce que vous devez ce jour-là, par exemple 5000."},
	"asset.add_value":          {"Save this value", "Enregistrer cette valeur"},
	"asset.delete_value":       {"Delete", "Supprimer"},
	"asset.delete_value_label": {"Delete the value of %s", "Supprimer la valeur du %s"},
	"asset.no_values":          {"No value yet.", "Aucune valeur pour l’instant."},
	"asset.edit":               {"Change or delete", "Modifier ou supprimer"},
	"asset.save":               {"Save", "Enregistrer"},
	"asset.delete":             {"Delete this asset", "Supprimer ce bien"},
	"asset.delete_help":        {"Its values go with it.", "Ses valeurs sont supprimées avec lui."},
	"asset.chart_label":        {"Value of %s from %s to %s", "Valeur de %s du %s au %s"},
	"asset.value":              {"Value", "Valeur"},
}

// accountsPlurals are the counted texts of this part.
var accountsPlurals = map[string][2]plural{
	"accounts.show_set_aside": {
		{"Show %d hidden or archived account", "Show %d hidden or archived accounts"},
		{"Afficher %d compte masqué ou archivé", "Afficher %d comptes masqués ou archivés"}},
}

// accountsErrors translate the domain errors of account choices and assets.
var accountsErrors = map[string]string{
	"contains control characters":                                       "contient des caractères de contrôle",
	"%q is not checking, savings, investments, loans or other":          "%q n’est ni checking, ni savings, ni investments, ni loans, ni other",
	"%q is not cash, property, vehicle, crypto, account, other or loan": "%q n’est ni cash, ni property, ni vehicle, ni crypto, ni account, ni other, ni loan",
	"is longer than %d characters or contains control characters":       "dépasse %d caractères ou contient des caractères de contrôle",
	"cannot change once the asset exists":                               "ne peut plus changer une fois le bien créé",
	"%q is not an ISO 4217 currency code such as EUR":                   "%q n’est pas un code de devise ISO 4217 comme EUR",
	"must not be negative: a debt is an asset of kind loan":             "ne doit pas être négative\u00a0: une dette se saisit comme un bien de type prêt",
	"Asset %d not found.":                                               "Bien %d introuvable.",
	"Asset %d has no value on %s.":                                      "Le bien %d n’a pas de valeur le %s.",
	"Account %d is not a loan.":                                         "Le compte %d n’est pas un crédit.",
	"Manual assets are not configured on this server.":                  "Les biens saisis à la main ne sont pas configurés sur ce serveur.",
}

// Merged here rather than in messages.go, so that this part's texts stay
// in one file.
func init() {
	for k, v := range accountsMessages {
		messages[k] = v
	}
	for k, v := range accountsErrors {
		errorMessages[k] = v
	}
	for k, v := range accountsPlurals {
		plurals[k] = v
	}
}
