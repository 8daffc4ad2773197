package locale

// messages holds every UI text: key → {English, French}. A French text left
// empty falls back to English. Texts with verbs (%d, %s) take the arguments
// given to t in the template. It is read-only after initialisation.
var messages = mergeMessages(coreMessages, connectMessages, exportMessages, fieldMessages, codeMessages, wealthMessages)

func mergeMessages(parts ...map[string][2]string) map[string][2]string {
	out := map[string][2]string{}
	for _, p := range parts {
		for k, v := range p {
			out[k] = v
		}
	}
	return out
}

// coreMessages are the texts of sign-in, accounts, transactions and tokens.
var coreMessages = map[string][2]string{
	"nav.skip":         {"Skip to content", "Aller au contenu"},
	"nav.label":        {"Main menu", "Menu principal"},
	"nav.accounts":     {"Accounts", "Comptes"},
	"nav.transactions": {"Transactions", "Opérations"},
	"nav.connections":  {"Banks", "Banques"},
	"nav.tokens":       {"API tokens", "Jetons d’API"},
	"nav.signout":      {"Sign out", "Se déconnecter"},

	"error.title.not_found":    {"Not found", "Introuvable"},
	"error.title.invalid":      {"Something is not right", "Quelque chose ne va pas"},
	"error.title.unauthorized": {"Please sign in", "Veuillez vous connecter"},
	"error.title.forbidden":    {"Not allowed", "Action refusée"},
	"error.title.conflict":     {"Not possible right now", "Impossible pour le moment"},
	"error.title.unavailable":  {"Temporarily unavailable", "Indisponible pour le moment"},
	"error.title.too_large":    {"Too large", "Trop volumineux"},
	"error.title.unsupported":  {"Not supported", "Non pris en charge"},
	"error.title.internal":     {"Internal error", "Erreur interne"},
	"error.generic":            {"Something went wrong on our side.", "Un problème est survenu de notre côté."},
	"error.request":            {"Request id: %s", "Identifiant de requête\u00a0: %s"},
	"error.home":               {"Back to the start", "Retour à l’accueil"},

	"form.email":            {"E-mail address", "Adresse e-mail"},
	"form.password":         {"Password", "Mot de passe"},
	"form.new_password":     {"Choose a password", "Choisissez un mot de passe"},
	"form.confirm_password": {"Type the password again", "Retapez le mot de passe"},
	"form.cancel":           {"Cancel", "Annuler"},
	"form.required":         {"This field is required.", "Ce champ est obligatoire."},
	"form.not_a_choice":     {"Choose one of the listed values.", "Choisissez une des valeurs proposées."},
	"form.not_a_date":       {"Enter a date (YYYY-MM-DD).", "Saisissez une date (AAAA-MM-JJ)."},

	"signin.title":  {"Sign in", "Connexion"},
	"signin.submit": {"Sign in", "Se connecter"},
	"signin.wrong":  {"Wrong e-mail address or password.", "Adresse e-mail ou mot de passe incorrect."},

	"setup.title":         {"Welcome to freenahi", "Bienvenue dans freenahi"},
	"setup.intro":         {"No account exists yet. Create the first one: it will own the bank connections you add.", "Aucun compte n’existe encore. Créez le premier\u00a0: il possédera les connexions bancaires que vous ajouterez."},
	"setup.submit":        {"Create my account", "Créer mon compte"},
	"setup.bad_email":     {"This is not an e-mail address.", "Ce n’est pas une adresse e-mail."},
	"setup.long_password": {"The password must have at most %d characters.", "Le mot de passe doit contenir au plus %d caractères."},
	"setup.mismatch":      {"The two passwords differ.", "Les deux mots de passe diffèrent."},

	"flash.signed_out":    {"You are signed out.", "Vous êtes déconnecté."},
	"flash.welcome":       {"Your account is ready. Add your first bank.", "Votre compte est prêt. Ajoutez votre première banque."},
	"flash.token_revoked": {"The token is revoked.", "Le jeton est révoqué."},
	"flash.activated":     {"Your accounts are being synchronised; they appear below as soon as the data arrives.", "Vos comptes sont en cours de synchronisation\u00a0; ils apparaissent ci-dessous dès l’arrivée des données."},
	"flash.synced":        {"The connection is synchronised.", "La connexion est synchronisée."},
	"flash.up_to_date":    {"Your bank was synchronised moments ago, so it was not asked again: what you see is its latest data.", "Votre banque a été synchronisée il y a quelques instants, elle n’a donc pas été sollicitée de nouveau\u00a0: vous voyez ses dernières données."},
	"flash.deleted":       {"The connection is deleted. Its data stays here, marked as deleted.", "La connexion est supprimée. Ses données restent ici, marquées comme supprimées."},
	"flash.webview_done":  {"Back from Powens. Your banks are being updated.", "Retour de Powens. Vos banques sont en cours de mise à jour."},

	"group.checking":    {"Checking accounts", "Comptes courants"},
	"group.savings":     {"Savings", "Épargne"},
	"group.investments": {"Investments", "Placements"},
	"group.loans":       {"Loans", "Crédits"},
	"group.other":       {"Other accounts", "Autres comptes"},

	"accounts.title":       {"Accounts", "Comptes"},
	"accounts.last_update": {"Last update: %s", "Dernière mise à jour\u00a0: %s"},
	"accounts.none":        {"No account yet. Add a bank to see your accounts here.", "Aucun compte pour l’instant. Ajoutez une banque pour voir vos comptes ici."},
	"accounts.total":       {"Total:", "Total\u00a0:"},

	"account.title":            {"Account", "Compte"},
	"account.type":             {"Kind", "Type"},
	"account.number":           {"Number", "Numéro"},
	"account.coming":           {"Coming", "À venir"},
	"account.last_update":      {"Last update", "Dernière mise à jour"},
	"account.history":          {"Balance history", "Historique du solde"},
	"account.chart_label":      {"Balance chart, from %s to %s", "Graphique du solde, de %s à %s"},
	"account.no_history":       {"Not enough history yet: the chart appears after a few synchronisations.", "Pas encore assez d’historique\u00a0: le graphique apparaît après quelques synchronisations."},
	"account.recent":           {"Latest transactions", "Dernières opérations"},
	"account.all_transactions": {"All transactions of this account", "Toutes les opérations de ce compte"},

	"transactions.title": {"Transactions", "Opérations"},
	"tx.coming":          {"coming", "à venir"},
	"tx.amount_unknown":  {"amount unknown", "montant inconnu"},
	"tx.amount_unknown_why": {"The bank gave no amount for this transaction: it is left out of balances and exports.",
		"La banque n’a donné aucun montant pour cette opération\u00a0: elle est exclue des soldes et des exports."},
	"tx.gross":              {"gross %s", "brut %s"},
	"tx.commission":         {"commission %s", "commission %s"},
	"tx.none":               {"No transaction matches.", "Aucune opération ne correspond."},
	"tx.search":             {"Search in labels", "Rechercher dans les libellés"},
	"tx.account":            {"Account", "Compte"},
	"tx.all_accounts":       {"All accounts", "Tous les comptes"},
	"tx.from":               {"From", "Du"},
	"tx.to":                 {"To", "Au"},
	"tx.min":                {"Minimum amount", "Montant minimum"},
	"tx.max":                {"Maximum amount", "Montant maximum"},
	"tx.filter":             {"Filter", "Filtrer"},
	"tx.reset":              {"Reset", "Réinitialiser"},
	"tx.csv":                {"Download as CSV", "Télécharger en CSV"},
	"tx.pages":              {"Pages", "Pages"},
	"tx.first":              {"← Most recent", "← Plus récentes"},
	"tx.next":               {"Older →", "Plus anciennes →"},
	"tx.direction":          {"Spending or income", "Dépenses ou revenus"},
	"tx.direction_any":      {"Both (amounts as sizes)", "Les deux (montants sans signe)"},
	"tx.direction_spending": {"Spending", "Dépenses"},
	"tx.direction_income":   {"Income", "Revenus"},
	"tx.tag":                {"Tag", "Étiquette"},
	"search.saved":          {"Saved searches", "Recherches enregistrées"},
	"search.none":           {"No saved search yet: filter, then name the search to find it here.", "Aucune recherche enregistrée : filtrez, puis nommez la recherche pour la retrouver ici."},
	"search.name":           {"Name this search", "Nommer cette recherche"},
	"search.save":           {"Save", "Enregistrer"},
	"search.delete":         {"Delete", "Supprimer"},
	"search.delete_label":   {"Delete the saved search %s", "Supprimer la recherche enregistrée %s"},
	"flash.search_saved":    {"Search saved.", "Recherche enregistrée."},
	"flash.search_deleted":  {"Saved search deleted.", "Recherche enregistrée supprimée."},

	"tokens.title":        {"API tokens", "Jetons d’API"},
	"tokens.intro":        {"A token lets a program (your accountant’s tool, a script) read your data through the JSON API.", "Un jeton permet à un programme (l’outil de votre comptable, un script) de lire vos données par l’API JSON."},
	"tokens.created":      {"Token “%s” created.", "Jeton «\u00a0%s\u00a0» créé."},
	"tokens.once":         {"Copy it now: it is shown only this once.", "Copiez-le maintenant\u00a0: il n’est affiché qu’une seule fois."},
	"tokens.secret":       {"Token", "Jeton"},
	"tokens.name":         {"Name of the new token", "Nom du nouveau jeton"},
	"tokens.create":       {"Create a token", "Créer un jeton"},
	"tokens.created_at":   {"created %s", "créé le %s"},
	"tokens.used_at":      {"last used %s", "utilisé le %s"},
	"tokens.revoke":       {"Revoke", "Révoquer"},
	"tokens.revoke_label": {"Revoke the token %s", "Révoquer le jeton %s"},
	"tokens.none":         {"No token yet.", "Aucun jeton pour l’instant."},
}

// plural is a message's forms for CLDR's "one" and "other" categories.
type plural struct{ One, Other string }

// plurals holds the messages with a count: key → {English, French}. The
// count is the first argument.
var plurals = map[string][2]plural{
	"tx.count": {
		{"%d transaction", "%d transactions"},
		{"%d opération", "%d opérations"}},
	"connections.days_left": {
		{"expires in %d day", "expires in %d days"},
		{"expire dans %d jour", "expire dans %d jours"}},
	"signin.throttled": {
		{"Too many failed attempts. Try again in %d minute.", "Too many failed attempts. Try again in %d minutes."},
		{"Trop d’essais infructueux. Réessayez dans %d minute.", "Trop d’essais infructueux. Réessayez dans %d minutes."}},
	"signin.throttled_seconds": {
		{"Too many failed attempts. Try again in %d second.", "Too many failed attempts. Try again in %d seconds."},
		{"Trop d’essais infructueux. Réessayez dans %d seconde.", "Trop d’essais infructueux. Réessayez dans %d secondes."}},
	"accounts.inactive": {
		{"%d account found at your banks is not activated.", "%d accounts found at your banks are not activated."},
		{"%d compte trouvé dans vos banques n’est pas activé.", "%d comptes trouvés dans vos banques ne sont pas activés."}},
	"setup.password_help": {
		{"At least %d character.", "At least %d characters."},
		{"Au moins %d caractère.", "Au moins %d caractères."}},
	"setup.bad_password": {
		{"The password must have at least %d character.", "The password must have at least %d characters."},
		{"Le mot de passe doit contenir au moins %d caractère.", "Le mot de passe doit contenir au moins %d caractères."}},
	"progress.wait": {
		{"This can take a minute (at most %d). You can leave this page open.", "This can take a few minutes (at most %d). You can leave this page open."},
		{"Cela peut prendre une minute (%d au plus). Vous pouvez laisser cette page ouverte.", "Cela peut prendre quelques minutes (%d au plus). Vous pouvez laisser cette page ouverte."}},
	"inqom.changes": {
		{"%d transaction changed at the bank after it was sent to Inqom. freenahi does not send corrections: correct it in your books.",
			"%d transactions changed at the bank after they were sent to Inqom. freenahi does not send corrections: correct them in your books."},
		{"%d opération a changé à la banque après son envoi à Inqom. freenahi n’envoie pas de correction\u00a0: corrigez-la dans votre comptabilité.",
			"%d opérations ont changé à la banque après leur envoi à Inqom. freenahi n’envoie pas de correction\u00a0: corrigez-les dans votre comptabilité."}},
	"inqom.unlink_explain": {
		{"Unlinking stops sending this account to Inqom dossier %[2]d. The %[1]d transaction waiting stays in freenahi and is not sent; files already sent stay in Inqom. If you link this account to the same dossier again, sending resumes where it stopped, and nothing goes twice.",
			"Unlinking stops sending this account to Inqom dossier %[2]d. The %[1]d transactions waiting stay in freenahi and are not sent; files already sent stay in Inqom. If you link this account to the same dossier again, sending resumes where it stopped, and nothing goes twice."},
		{"Délier arrête l’envoi de ce compte au dossier Inqom %[2]d. %[1]d opération en attente reste dans freenahi et n’est pas envoyée ; les fichiers déjà envoyés restent dans Inqom. Si vous liez de nouveau ce compte au même dossier, l’envoi reprend là où il s’est arrêté, sans rien envoyer deux fois.",
			"Délier arrête l’envoi de ce compte au dossier Inqom %[2]d. Les %[1]d opérations en attente restent dans freenahi et ne sont pas envoyées ; les fichiers déjà envoyés restent dans Inqom. Si vous liez de nouveau ce compte au même dossier, l’envoi reprend là où il s’est arrêté, sans rien envoyer deux fois."}},
	"batch.answer_import": {
		{"Inqom accepted the file: %d movement recorded (import %d).", "Inqom accepted the file: %d movements recorded (import %d)."},
		{"Inqom a accepté le fichier : %d mouvement enregistré (import %d).", "Inqom a accepté le fichier : %d mouvements enregistrés (import %d)."}},
	"batch.latest": {
		{"The most recent file.", "The %d most recent files."},
		{"Le fichier le plus récent.", "Les %d fichiers les plus récents."}},
	"callback.imported": {
		{"Done: %d connection is being imported; its accounts appear within a minute.", "Done: %d connections are being imported; their accounts appear within a minute."},
		{"C’est fait\u00a0: %d connexion est en cours d’import\u00a0; ses comptes apparaissent d’ici une minute.", "C’est fait\u00a0: %d connexions sont en cours d’import\u00a0; leurs comptes apparaissent d’ici une minute."}},
	"connections.refused": {
		{"Powens’ deliveries to this server were refused %d time in the last 24 hours.", "Powens’ deliveries to this server were refused %d times in the last 24 hours."},
		{"Les envois de Powens vers ce serveur ont été refusés %d\u00a0fois ces dernières 24\u00a0heures.", "Les envois de Powens vers ce serveur ont été refusés %d\u00a0fois ces dernières 24\u00a0heures."}},
	"count.transactions": {
		{"%d transaction", "%d transactions"},
		{"%d opération", "%d opérations"}},
}
