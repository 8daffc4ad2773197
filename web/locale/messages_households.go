package locale

// The texts of households: accounts shared with another user of this
// freenahi, read-only or in full; merged into the catalogs at start.
func init() {
	for k, v := range householdMessages {
		messages[k] = v
	}
	for k, v := range householdErrors {
		errorMessages[k] = v
	}
}

var householdMessages = map[string][2]string{
	"nav.shares":            {"Household", "Foyer"},
	"shares.title":          {"Household: shared accounts", "Foyer\u00a0: comptes partagés"},
	"shares.link":           {"Share accounts with your household", "Partager des comptes avec votre foyer"},
	"shares.intro":          {"Accounts shared with you appear in your dashboard, your accounts and your totals, marked with who shares them. Their owner keeps the bank connection and decides who sees them.", "Les comptes partagés avec vous apparaissent dans votre tableau de bord, vos comptes et vos totaux, avec le nom de qui les partage. Leur propriétaire garde la connexion bancaire et décide qui les voit."},
	"shares.received":       {"Shared with me", "Partagés avec moi"},
	"shares.received_none":  {"No one shares an account with you yet.", "Personne ne partage encore de compte avec vous."},
	"shares.given":          {"I share", "Je partage"},
	"shares.given_none":     {"You share none of your accounts.", "Vous ne partagez aucun de vos comptes."},
	"shares.how":            {"To share an account, open it and use “Share this account”.", "Pour partager un compte, ouvrez-le et utilisez «\u00a0Partager ce compte\u00a0»."},
	"shares.leave":          {"Leave", "Quitter"},
	"shares.revoke_title":   {"Stop sharing", "Arrêter le partage"},
	"shares.leave_title":    {"Leave a shared account", "Quitter un compte partagé"},
	"shares.revoke_confirm": {"Stop sharing “%s” with %s? They will no longer see it, at once.", "Arrêter de partager «\u00a0%s\u00a0» avec %s\u00a0? Cette personne ne le verra plus, immédiatement."},
	"shares.leave_confirm":  {"Leave “%s”, shared with you by %s? It leaves your accounts and totals; only its owner can share it again.", "Quitter «\u00a0%s\u00a0», partagé avec vous par %s\u00a0? Il quitte vos comptes et vos totaux\u00a0; seul son propriétaire peut le partager à nouveau."},

	"share.title":            {"Share this account", "Partager ce compte"},
	"share.intro":            {"Someone with an account on this freenahi will see this account in their dashboard and totals. You keep the connection and can stop at any time.", "Une personne ayant un compte sur ce freenahi verra ce compte dans son tableau de bord et ses totaux. Vous gardez la connexion et pouvez arrêter à tout moment."},
	"share.none":             {"This account is not shared.", "Ce compte n’est pas partagé."},
	"share.email":            {"Their e-mail address on freenahi", "Son adresse e-mail sur freenahi"},
	"share.email_help":       {"The address they sign in with on this freenahi.", "L’adresse avec laquelle cette personne se connecte à ce freenahi."},
	"share.access":           {"What they may do", "Ce que cette personne peut faire"},
	"share.access.read":      {"Read-only", "Lecture seule"},
	"share.access.full":      {"Full", "Complet"},
	"share.access_help.read": {"See the account, its history and transactions.", "Voir le compte, son historique et ses opérations."},
	"share.access_help.full": {"Also add notes, tags, payees and transfer marks to its transactions.", "Aussi ajouter notes, étiquettes, bénéficiaires et marques de virement à ses opérations."},
	"share.submit":           {"Share", "Partager"},
	"share.owner_keeps":      {"Categories, the account’s settings, statements, the bank connection and sharing stay yours.", "Les catégories, les réglages du compte, les relevés, la connexion bancaire et le partage restent les vôtres."},
	"share.revoke":           {"Stop sharing", "Arrêter le partage"},
	"share.since":            {"since %s", "depuis le %s"},
	"share.shared_by":        {"Shared by %s", "Partagé par %s"},
	"share.with":             {"with %s", "avec %s"},

	"flash.account_shared": {"Shared. They see this account now.", "Partagé. Cette personne voit ce compte dès maintenant."},
	"flash.share_revoked":  {"Sharing stopped. They no longer see the account.", "Partage arrêté. Cette personne ne voit plus le compte."},
	"flash.share_left":     {"You left the shared account.", "Vous avez quitté le compte partagé."},
	"field.access":         {"Access", "Accès"},
}

var householdErrors = map[string]string{
	"%q is not read or full":                                             "%q n’est ni read ni full",
	"%q is not an e-mail address":                                        "%q n’est pas une adresse e-mail",
	"%s has no account on this freenahi":                                 "%s n’a pas de compte sur ce freenahi",
	"%s is your own address; share with someone else":                    "%s est votre propre adresse\u00a0; partagez avec quelqu’un d’autre",
	"Share %d not found.":                                                "Partage %d introuvable.",
	"Sharing accounts is not configured on this server.":                 "Le partage de comptes n’est pas configuré sur ce serveur.",
	"This account is shared with you read-only.":                         "Ce compte est partagé avec vous en lecture seule.",
	"Categories of a shared account are its owner's.":                    "Les catégories d’un compte partagé sont celles de son propriétaire.",
	"Only the owner of this account can do that; it is shared with you.": "Seul le propriétaire de ce compte peut faire cela\u00a0; il est partagé avec vous.",
}
