package locale

// edgeMessages are the texts of the connection flow's finishing touches:
// the repaired screen, checking a bank outage now, choosing accounts,
// telling connections apart, confirming a token's revocation.
var edgeMessages = map[string][2]string{
	"screen.repaired":          {"Repaired: your bank connection works again.", "Réparée\u00a0: votre connexion bancaire fonctionne de nouveau."},
	"state.repaired":           {"freenahi has fetched the latest data from your bank. Your accounts stay as they were.", "freenahi a récupéré les dernières données de votre banque. Vos comptes restent tels quels."},
	"state.repaired_accounts":  {"Add or remove accounts", "Ajouter ou retirer des comptes"},
	"state.decoupled_auto":     {"This page goes on by itself once you have approved.", "Cette page continue d’elle-même dès que vous avez validé."},
	"state.transient_auto":     {"This page checks again by itself every 30 seconds.", "Cette page vérifie de nouveau d’elle-même toutes les 30 secondes."},
	"state.check_now":          {"Check now", "Vérifier maintenant"},
	"activate.all":             {"All accounts", "Tous les comptes"},
	"connections.created":      {"Added", "Ajoutée"},
	"connections.number":       {"Connection no.", "Connexion n°"},
	"connections.account_list": {"Accounts", "Comptes"},
	"tokens.copy":              {"Copy", "Copier"},
	"tokens.copied":            {"Copied.", "Copié."},
	"tokens.revoke_title":      {"Revoke a token", "Révoquer un jeton"},
	"tokens.revoke_confirm":    {"Revoke the token “%s”? Every program that uses it loses access at once, and a revoked token cannot be restored.", "Révoquer le jeton «\u00a0%s\u00a0»\u00a0? Tout programme qui l’utilise perd l’accès aussitôt, et un jeton révoqué ne peut pas être rétabli."},
}

var edgePlurals = map[string][2]plural{
	"callback.updated": {
		{"Done: %d connection updated; its accounts are up to date.", "Done: %d connections updated; their accounts are up to date."},
		{"C’est fait\u00a0: %d connexion mise à jour\u00a0; ses comptes sont à jour.", "C’est fait\u00a0: %d connexions mises à jour\u00a0; leurs comptes sont à jour."}},
	"connections.more_accounts": {
		{"and %d other", "and %d others"},
		{"et %d autre", "et %d autres"}},
}

// Merged here rather than in messages.go, so that this part's texts stay
// in one file.
func init() {
	for k, v := range edgeMessages {
		messages[k] = v
	}
	for k, v := range edgePlurals {
		plurals[k] = v
	}
}
