package locale

// accountsMessages are the texts of a person's own choices on accounts
// (name, hidden, archived, group) and of manual assets.
var accountsMessages = map[string][2]string{
	"field.kind":        {"Kind", "Type"},
	"field.institution": {"Held at", "Établissement"},
	"field.currency":    {"Currency", "Devise"},
	"field.date":        {"Date", "Date"},
	"field.value":       {"Value", "Valeur"},
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
}
