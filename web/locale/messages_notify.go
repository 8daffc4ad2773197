package locale

// notifyMessages are the texts of the notifications (mail and webhook) and
// of their pages: history, preferences, the demo's outbox.
var notifyMessages = map[string][2]string{
	"notify.a_bank":                 {"your bank", "votre banque"},
	"notify.bank_says":              {"Your bank says: %s", "Votre banque indique\u00a0: %s"},
	"notify.connection.subject":     {"%s needs you", "%s a besoin de vous"},
	"notify.state.sca":              {"%s asks you to confirm your identity (strong authentication) before freenahi can fetch your transactions again. Open the link and follow the steps.", "%s vous demande de confirmer votre identité (authentification forte) avant que freenahi puisse de nouveau récupérer vos opérations. Ouvrez le lien et suivez les étapes."},
	"notify.state.webauth":          {"%s asks you to sign in again on its own page before freenahi can fetch your transactions again. Open the link to go there.", "%s vous demande de vous reconnecter sur sa propre page avant que freenahi puisse de nouveau récupérer vos opérations. Ouvrez le lien pour y aller."},
	"notify.state.wrongpass":        {"%s refused the login or password freenahi has. Open the link to type them again.", "%s a refusé l’identifiant ou le mot de passe que freenahi connaît. Ouvrez le lien pour les saisir de nouveau."},
	"notify.state.action":           {"%s needs you to do something on its own website or app (accept new terms, read a message) before freenahi can fetch your transactions again.", "%s attend une action de votre part sur son site ou son application (accepter de nouvelles conditions, lire un message) avant que freenahi puisse de nouveau récupérer vos opérations."},
	"notify.state.expired":          {"Your password at %s has expired. Change it at the bank, then open the link to give freenahi the new one.", "Votre mot de passe chez %s a expiré. Changez-le auprès de la banque, puis ouvrez le lien pour donner le nouveau à freenahi."},
	"notify.state.info":             {"%s asks for more information (a code, an answer) before freenahi can fetch your transactions again. Open the link to give it.", "%s demande une information supplémentaire (un code, une réponse) avant que freenahi puisse de nouveau récupérer vos opérations. Ouvrez le lien pour la donner."},
	"notify.consent.subject":        {"Your consent for %s ends soon", "Votre consentement pour %s expire bientôt"},
	"notify.sync.subject":           {"%s has not been updated for more than a day", "%s n’a pas été mise à jour depuis plus d’un jour"},
	"notify.sync.body":              {"freenahi could not fetch new data from %s since %s. The bank or Powens is retrying by itself; if it lasts, open the link to check the connection.", "freenahi n’a pas pu récupérer de nouvelles données de %s depuis le %s. La banque ou Powens réessaie d’elle-même\u00a0; si cela dure, ouvrez le lien pour vérifier la connexion."},
	"notify.balance.subject":        {"Low balance on %s", "Solde bas sur %s"},
	"notify.balance.body":           {"The balance of %s is %s, under the %s you chose to be told about.", "Le solde de %s est de %s, sous le seuil de %s que vous avez choisi."},
	"notify.debit.subject":          {"A debit of %s", "Un débit de %s"},
	"notify.debit.body":             {"A debit of %s, “%s”, on %s dated %s: more than the amount you chose to be told about.", "Un débit de %s, «\u00a0%s\u00a0», sur %s, daté du %s\u00a0: plus que le montant que vous avez choisi."},
	"notify.inqom.subject":          {"Inqom: the file %s needs a decision", "Inqom\u00a0: le fichier %s attend une décision"},
	"notify.inqom.refused":          {"Inqom refused the statement file %s for dossier %d. Its transactions wait: open the link to send it again or release them.", "Inqom a refusé le fichier de relevé %s du dossier %d. Ses opérations attendent\u00a0: ouvrez le lien pour le renvoyer ou les libérer."},
	"notify.inqom.unknown":          {"freenahi cannot tell whether Inqom imported the statement file %s for dossier %d (no clear answer). Check the dossier, then open the link to say what happened.", "freenahi ne sait pas si Inqom a importé le fichier de relevé %s du dossier %d (pas de réponse claire). Vérifiez le dossier, puis ouvrez le lien pour indiquer ce qu’il en est."},
	"notify.weekly.subject":         {"Your week, %s", "Votre semaine, %s"},
	"nav.notifications":             {"Notifications", "Notifications"},
	"notifications.title":           {"Notifications", "Notifications"},
	"notifications.intro":           {"What freenahi told you, newest first. Each condition is told at most once a day.", "Ce que freenahi vous a signalé, du plus récent au plus ancien. Chaque situation est signalée au plus une fois par jour."},
	"notifications.none":            {"Nothing to tell you so far.", "Rien à vous signaler pour l’instant."},
	"notifications.prefs":           {"Preferences", "Préférences"},
	"notifications.open":            {"Open the page that fixes it", "Ouvrir la page qui règle cela"},
	"notifications.by_email":        {"E-mail: %s", "E-mail\u00a0: %s"},
	"notifications.by_webhook":      {"Webhook: %s", "Webhook\u00a0: %s"},
	"delivery.off":                  {"not sent", "non envoyé"},
	"delivery.pending":              {"to send", "à envoyer"},
	"delivery.sent":                 {"sent", "envoyé"},
	"delivery.failed":               {"failed", "échec"},
	"prefs.title":                   {"Notification preferences", "Préférences de notification"},
	"prefs.language":                {"Language of the messages", "Langue des messages"},
	"prefs.email":                   {"Send them by e-mail to %s", "Les envoyer par e-mail à %s"},
	"prefs.no_smtp":                 {"Mail is not configured on this server (FREENAHI_SMTP_URL): messages are only kept here and sent to the webhook.", "L’envoi d’e-mails n’est pas configuré sur ce serveur (FREENAHI_SMTP_URL)\u00a0: les messages sont seulement conservés ici et envoyés au webhook."},
	"prefs.webhook_url":             {"Webhook address (ntfy, Gotify, Apprise…)", "Adresse du webhook (ntfy, Gotify, Apprise…)"},
	"prefs.webhook_help":            {"Each message is posted there. A Gotify address carries its token; it is stored encrypted.", "Chaque message y est envoyé. L’adresse d’un serveur Gotify contient son jeton\u00a0; elle est conservée chiffrée."},
	"prefs.webhook_format":          {"Format", "Format"},
	"prefs.format_json":             {"JSON (Gotify, Apprise, others)", "JSON (Gotify, Apprise, autres)"},
	"prefs.format_ntfy":             {"Plain text with title (ntfy)", "Texte avec titre (ntfy)"},
	"prefs.kinds":                   {"Tell me when", "Me prévenir quand"},
	"prefs.low_balance":             {"Balance under (empty: never)", "Solde sous (vide\u00a0: jamais)"},
	"prefs.large_debit":             {"Debit larger than (empty: never)", "Débit supérieur à (vide\u00a0: jamais)"},
	"prefs.save":                    {"Save", "Enregistrer"},
	"flash.prefs_saved":             {"Preferences saved.", "Préférences enregistrées."},
	"notify_kind.connection_action": {"a bank connection needs me", "une connexion bancaire a besoin de moi"},
	"notify_kind.consent_expiring":  {"my consent to a bank ends within 7 days", "mon consentement auprès d’une banque expire dans les 7 jours"},
	"notify_kind.sync_failing":      {"a bank has not been updated for more than a day", "une banque n’a pas été mise à jour depuis plus d’un jour"},
	"notify_kind.low_balance":       {"a current account’s balance is low", "le solde d’un compte courant est bas"},
	"notify_kind.large_debit":       {"a large debit appears", "un débit important apparaît"},
	"notify_kind.inqom_file":        {"Inqom refuses a file, or its outcome is unknown", "Inqom refuse un fichier, ou son sort est inconnu"},
	"notify_kind.weekly_summary":    {"every Monday: a summary of my week", "chaque lundi\u00a0: un résumé de ma semaine"},
	"outbox.title":                  {"Demo outbox", "Boîte d’envoi de la démo"},
	"outbox.intro":                  {"The demo sends its mails to a mail server inside itself instead of the Internet; here they are, as they arrived.", "La démo envoie ses e-mails à un serveur de messagerie interne plutôt que sur Internet\u00a0; les voici, tels qu’ils sont arrivés."},
	"outbox.none":                   {"No mail sent yet. Notifications are checked every minute in the demo.", "Aucun e-mail envoyé pour l’instant. La démo vérifie les notifications chaque minute."},
	"outbox.from":                   {"From", "De"},
	"outbox.to":                     {"To", "À"},
	"outbox.date":                   {"Date", "Date"},
	"offline.title":                 {"You are offline", "Vous êtes hors ligne"},
	"offline.body":                  {"freenahi cannot reach its server right now. Check your connection; your data is safe on the server.", "freenahi ne peut pas joindre son serveur pour l’instant. Vérifiez votre connexion ; vos données sont en sécurité sur le serveur."},
	"offline.retry":                 {"Try again", "Réessayer"},
	"screen.no_accounts":            {"No account is synchronised: choose the accounts to follow.", "Aucun compte n’est synchronisé : choisissez les comptes à suivre."},
	"connections.choose_accounts":   {"Choose accounts", "Choisir les comptes"},
	"nopowens.title":                {"Adding banks is not set up", "L’ajout de banques n’est pas configuré"},
	"nopowens.lead":                 {"This server cannot add or repair bank connections: it has no Powens configuration. This lasts until its administrator sets it up.", "Ce serveur ne peut pas ajouter ni réparer de connexions bancaires : il n’a pas de configuration Powens. Cela dure tant que son administrateur ne l’a pas faite."},
	"nopowens.how":                  {"The administrator sets POWENS_DOMAIN, POWENS_CLIENT_ID and POWENS_CLIENT_SECRET (see the README), then restarts freenahi. To try freenahi without Powens, run freenahi demo.", "L’administrateur renseigne POWENS_DOMAIN, POWENS_CLIENT_ID et POWENS_CLIENT_SECRET (voir le README), puis redémarre freenahi. Pour essayer freenahi sans Powens, lancez freenahi demo."},
	"flash.ready":                   {"Your account is ready.", "Votre compte est prêt."},
	"nav.password":                  {"Password", "Mot de passe"},
	"password.title":                {"Change your password", "Changer de mot de passe"},
	"password.current":              {"Current password", "Mot de passe actuel"},
	"password.new":                  {"New password", "Nouveau mot de passe"},
	"password.confirm":              {"New password again", "Nouveau mot de passe, à nouveau"},
	"password.change":               {"Change the password", "Changer le mot de passe"},
	"password.others_end":           {"Your other sessions (other browsers, phones) will be signed out.", "Vos autres sessions (autres navigateurs, téléphones) seront déconnectées."},
	"password.wrong_current":        {"The current password is not right; nothing was changed.", "Le mot de passe actuel n’est pas le bon ; rien n’a été modifié."},
	"flash.password_changed":        {"Password changed. Your other sessions are signed out.", "Mot de passe changé. Vos autres sessions sont déconnectées."},
	"nav.menu":                      {"Menu", "Menu"},
	"tx.csv_comma":                  {"CSV with commas (other spreadsheets)", "CSV avec virgules (autres tableurs)"},
	"tx.csv_semicolon":              {"CSV for Excel in French (semicolons)", "CSV pour Excel en français (points-virgules)"},
	"field.separator":               {"Separator", "Séparateur"},
	"field.language":                {"Language", "Langue"},
	"field.webhook_url":             {"Webhook address", "Adresse du webhook"},
	"field.webhook_format":          {"Webhook format", "Format du webhook"},
	"field.off":                     {"Kinds of notification", "Types de notification"},
	"field.low_balance":             {"Low balance threshold", "Seuil de solde bas"},
	"field.large_debit":             {"Large debit threshold", "Seuil de débit important"},
}

// notifyErrors are the French texts of the notification errors.
var notifyErrors = map[string]string{
	"must be comma or semicolon":             "doit être comma ou semicolon",
	"must be en or fr":                       "doit être en ou fr",
	"must be json or ntfy":                   "doit être json ou ntfy",
	"must be an http:// or https:// address": "doit être une adresse http:// ou https://",
	"is longer than 2000 characters":         "dépasse 2000 caractères",
	"%q is not a kind of notification":       "%q n’est pas un type de notification",
	"must not be negative":                   "ne doit pas être négatif",
	"No notification preferences saved.":     "Aucune préférence de notification enregistrée.",
	"This notification was already raised.":  "Cette notification a déjà été émise.",
	"Notification %d not found.":             "Notification %d introuvable.",
}

// notifyPlurals are the notification texts with a count.
var notifyPlurals = map[string][2]plural{
	"notify.consent.body": {
		{"The consent you gave %[2]s ends in %[1]d day (%[3]s). After that freenahi can no longer fetch your transactions: open the link and renew it.",
			"The consent you gave %[2]s ends in %[1]d days (%[3]s). After that freenahi can no longer fetch your transactions: open the link and renew it."},
		{"Le consentement donné à %[2]s expire dans %[1]d jour (%[3]s). Ensuite freenahi ne pourra plus récupérer vos opérations\u00a0: ouvrez le lien et renouvelez-le.",
			"Le consentement donné à %[2]s expire dans %[1]d jours (%[3]s). Ensuite freenahi ne pourra plus récupérer vos opérations\u00a0: ouvrez le lien et renouvelez-le."}},
	"notify.weekly.accounts": {
		{"%d active account, balances:", "%d active accounts, balances:"},
		{"%d compte actif, soldes\u00a0:", "%d comptes actifs, soldes\u00a0:"}},
	"notify.weekly.transactions": {
		{"%d transaction since %s.", "%d transactions since %s."},
		{"%d opération depuis le %s.", "%d opérations depuis le %s."}},
	"notify.weekly.needing": {
		{"%d bank connection needs you: open the link.", "%d bank connections need you: open the link."},
		{"%d connexion bancaire a besoin de vous\u00a0: ouvrez le lien.", "%d connexions bancaires ont besoin de vous\u00a0: ouvrez le lien."}},
}

// Merged here rather than in messages.go, so that this part's texts stay
// in one file.
func init() {
	for k, v := range notifyMessages {
		messages[k] = v
	}
	for k, v := range notifyErrors {
		errorMessages[k] = v
	}
	for k, v := range notifyPlurals {
		plurals[k] = v
	}
}
