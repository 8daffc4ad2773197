package locale

// codeMessages name the codes Powens reports, so that a page never shows a
// code itself where a word exists: account types ("type." and Powens'
// type, with "type.other" for a type Powens adds later), connector
// capabilities ("capability."), connector sources ("source.") and
// connection states ("state_name.").
var codeMessages = map[string][2]string{
	"type.article83":       {"Article 83 retirement contract", "Contrat retraite article 83"},
	"type.capitalisation":  {"Capitalisation contract", "Contrat de capitalisation"},
	"type.card":            {"Card", "Carte"},
	"type.cat":             {"Term deposit", "Compte à terme"},
	"type.cel":             {"Home savings account (CEL)", "Compte épargne logement (CEL)"},
	"type.checking":        {"Checking account", "Compte courant"},
	"type.consumercredit":  {"Consumer credit", "Crédit à la consommation"},
	"type.crowdlending":    {"Crowdlending", "Financement participatif"},
	"type.csl":             {"Savings book (CSL)", "Compte sur livret (CSL)"},
	"type.deposit":         {"Deposit account", "Compte de dépôt"},
	"type.joint":           {"Joint account", "Compte joint"},
	"type.ldds":            {"Sustainable development savings book (LDDS)", "Livret de développement durable et solidaire (LDDS)"},
	"type.lep":             {"Popular savings book (LEP)", "Livret d’épargne populaire (LEP)"},
	"type.lifeinsurance":   {"Life insurance", "Assurance vie"},
	"type.livret_a":        {"Livret A", "Livret A"},
	"type.livret_b":        {"Livret B", "Livret B"},
	"type.loan":            {"Loan", "Prêt"},
	"type.madelin":         {"Madelin retirement contract", "Contrat retraite Madelin"},
	"type.market":          {"Securities account", "Compte-titres"},
	"type.mortgage":        {"Mortgage", "Prêt immobilier"},
	"type.pea":             {"Share savings plan (PEA)", "Plan d’épargne en actions (PEA)"},
	"type.pee":             {"Company savings plan (PEE)", "Plan d’épargne entreprise (PEE)"},
	"type.pel":             {"Home savings plan (PEL)", "Plan d’épargne logement (PEL)"},
	"type.per":             {"Retirement savings plan (PER)", "Plan d’épargne retraite (PER)"},
	"type.perco":           {"Group retirement savings plan (PERCO)", "Plan d’épargne pour la retraite collectif (PERCO)"},
	"type.perp":            {"Popular retirement savings plan (PERP)", "Plan d’épargne retraite populaire (PERP)"},
	"type.real_estate":     {"Real estate investment", "Placement immobilier"},
	"type.revolvingcredit": {"Revolving credit", "Crédit renouvelable"},
	"type.rsp":             {"Special profit-sharing reserve (RSP)", "Réserve spéciale de participation (RSP)"},
	"type.savings":         {"Savings account", "Compte d’épargne"},
	"type.unknown":         {"Account of unknown type", "Compte de type inconnu"},
	"type.other":           {"Other kind of account (%s)", "Autre type de compte (%s)"},

	"capability.bank":       {"bank accounts", "comptes bancaires"},
	"capability.bankwealth": {"savings and investments", "épargne et placements"},
	"capability.transfer":   {"transfers", "virements"},
	"capability.document":   {"documents", "documents"},
	"capability.profile":    {"profile", "profil"},
	"capability.contact":    {"contact details", "coordonnées"},

	"source.directaccess": {"direct access with your credentials", "accès direct avec vos identifiants"},
	"source.openapi":      {"your bank’s open banking interface", "l’interface d’accès ouverte de votre banque (DSP2)"},
	"source.other":        {"another access", "un autre accès"},

	"state_name.notSupported": {"not supported", "non pris en charge"},
}
