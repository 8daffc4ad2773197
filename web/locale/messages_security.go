package locale

// The texts of account security: password reset by e-mail, two-factor
// sign-in, the sessions list, the administrator's users page and
// invitations, merged into the catalogs at start (see init below).
func init() {
	for k, v := range securityMessages {
		messages[k] = v
	}
	for k, v := range securityPlurals {
		plurals[k] = v
	}
	for k, v := range securityErrors {
		errorMessages[k] = v
	}
}

var securityMessages = map[string][2]string{
	"nav.security":                {"Security", "Sécurité"},
	"security.title":              {"Security", "Sécurité"},
	"flash.password_reset":        {"Your password is set. Sign in with it.", "Votre mot de passe est enregistré. Connectez-vous avec."},
	"flash.reset_sent":            {"If an account has this address, a link to choose a new password is on its way. Check your mailbox.", "Si un compte a cette adresse, un lien pour choisir un nouveau mot de passe est en route. Consultez votre messagerie."},
	"flash.session_revoked":       {"That session is signed out.", "Cette session est déconnectée."},
	"flash.signed_out_everywhere": {"You are signed out everywhere, here too.", "Vous êtes déconnecté partout, ici aussi."},
	"flash.signin_again":          {"That took too long; please sign in again.", "Le délai est dépassé\u00a0; veuillez vous reconnecter."},
	"flash.totp_off":              {"Two-factor sign-in is off. Your password alone signs you in.", "La connexion en deux étapes est désactivée. Votre mot de passe seul vous connecte."},
	"flash.user_deleted":          {"The user and all their data are deleted.", "L’utilisateur et toutes ses données sont supprimés."},
	"flash.user_disabled":         {"The user is disabled: they are signed out and cannot sign in.", "L’utilisateur est désactivé\u00a0: il est déconnecté et ne peut plus se connecter."},
	"flash.user_enabled":          {"The user can sign in again.", "L’utilisateur peut de nouveau se connecter."},
	"signin.disabled":             {"This account is disabled. Ask the person who runs this freenahi.", "Ce compte est désactivé. Adressez-vous à la personne qui gère ce freenahi."},

	"reset.title":         {"Forgotten password", "Mot de passe oublié"},
	"reset.new_title":     {"Choose a new password", "Choisir un nouveau mot de passe"},
	"reset.forgot":        {"Forgot your password?", "Mot de passe oublié\u00a0?"},
	"reset.intro":         {"Type the e-mail address of your account: we send a link to choose a new password. It works once, for an hour.", "Saisissez l’adresse e-mail de votre compte\u00a0: nous envoyons un lien pour choisir un nouveau mot de passe. Il fonctionne une fois, pendant une heure."},
	"reset.send":          {"Send the link", "Envoyer le lien"},
	"reset.back":          {"Back to sign-in", "Retour à la connexion"},
	"reset.no_mail":       {"This server cannot send e-mail, so it cannot send you a link. The person who runs it can set a new password for you with this command:", "Ce serveur ne peut pas envoyer d’e-mail, donc pas de lien. La personne qui le gère peut vous donner un nouveau mot de passe avec cette commande\u00a0:"},
	"reset.no_mail_email": {"your@address", "votre@adresse"},
	"reset.for":           {"New password for %s.", "Nouveau mot de passe pour %s."},
	"reset.sessions_end":  {"Every session of the account will be signed out.", "Toutes les sessions du compte seront déconnectées."},
	"reset.submit":        {"Set the password", "Enregistrer le mot de passe"},
	"reset.mail_subject":  {"Choose a new freenahi password", "Choisir un nouveau mot de passe freenahi"},
	"reset.mail_ignore":   {"If you did not ask for this, ignore this mail: your password stays as it is.", "Si vous n’avez rien demandé, ignorez ce message\u00a0: votre mot de passe reste inchangé."},

	"totp.title":              {"Two-factor sign-in", "Connexion en deux étapes"},
	"totp.enrol_title":        {"Set up two-factor sign-in", "Activer la connexion en deux étapes"},
	"totp.signin_title":       {"Sign-in code", "Code de connexion"},
	"totp.explain":            {"Ask for a code of an authenticator app (on your phone) after your password: a stolen password is then not enough to sign in.", "Demander un code d’une application d’authentification (sur votre téléphone) après le mot de passe\u00a0: un mot de passe volé ne suffit plus pour se connecter."},
	"totp.enable":             {"Set up two-factor sign-in", "Activer la connexion en deux étapes"},
	"totp.on":                 {"On", "Activée"},
	"totp.disable":            {"Turn two-factor sign-in off", "Désactiver la connexion en deux étapes"},
	"totp.password_help":      {"Your password, to draw new recovery codes or to turn two-factor sign-in off.", "Votre mot de passe, pour obtenir de nouveaux codes de secours ou désactiver la connexion en deux étapes."},
	"totp.new_codes":          {"New recovery codes", "Nouveaux codes de secours"},
	"totp.step_scan":          {"Scan this QR code with your authenticator app.", "Scannez ce QR code avec votre application d’authentification."},
	"totp.qr_alt":             {"QR code of the two-factor secret", "QR code du secret de connexion en deux étapes"},
	"totp.step_type":          {"Or type this key in the app by hand.", "Ou saisissez cette clé à la main dans l’application."},
	"totp.secret":             {"Key", "Clé"},
	"totp.step_code":          {"Type the 6-digit code the app shows.", "Saisissez le code à 6 chiffres affiché par l’application."},
	"totp.code":               {"Code", "Code"},
	"totp.confirm":            {"Turn on", "Activer"},
	"totp.wrong_code":         {"This code is not right, or was used already. Type the code your app shows now.", "Ce code n’est pas le bon, ou a déjà servi. Saisissez le code affiché maintenant par l’application."},
	"totp.codes_title":        {"Your recovery codes", "Vos codes de secours"},
	"totp.codes_once":         {"Keep these codes somewhere safe (printed, or in a password manager): each signs you in once without your phone. They are shown only now.", "Gardez ces codes en lieu sûr (imprimés, ou dans un gestionnaire de mots de passe)\u00a0: chacun vous connecte une fois sans votre téléphone. Ils ne sont affichés que maintenant."},
	"totp.signin_explain":     {"Type the 6-digit code your authenticator app shows.", "Saisissez le code à 6 chiffres affiché par votre application d’authentification."},
	"totp.recovery_explain":   {"Type one of the recovery codes you kept. Each works once.", "Saisissez l’un des codes de secours que vous avez gardés. Chacun ne sert qu’une fois."},
	"totp.recovery_code":      {"Recovery code", "Code de secours"},
	"totp.use_recovery":       {"No phone? Use a recovery code", "Pas de téléphone\u00a0? Utilisez un code de secours"},
	"totp.use_app":            {"Use the code of your app", "Utiliser le code de l’application"},
	"sessions.title":          {"Where you are signed in", "Où vous êtes connecté"},
	"sessions.this":           {"this browser", "ce navigateur"},
	"sessions.created":        {"signed in %s", "connecté le %s"},
	"sessions.seen":           {"last seen %s", "vu le %s"},
	"sessions.revoke":         {"Sign out", "Déconnecter"},
	"sessions.everywhere":     {"Sign out everywhere", "Se déconnecter partout"},
	"sessions.unknown_device": {"Unknown browser", "Navigateur inconnu"},

	"users.title":           {"Users", "Utilisateurs"},
	"users.manage":          {"Manage the users of this freenahi", "Gérer les utilisateurs de ce freenahi"},
	"users.admin":           {"administrator", "administrateur"},
	"users.disabled":        {"disabled", "désactivé"},
	"users.since":           {"since %s", "depuis le %s"},
	"users.two_factor":      {"two-factor sign-in", "connexion en deux étapes"},
	"users.disable":         {"Disable", "Désactiver"},
	"users.enable":          {"Enable", "Réactiver"},
	"users.delete":          {"Delete…", "Supprimer…"},
	"users.delete_title":    {"Delete a user", "Supprimer un utilisateur"},
	"users.delete_question": {"Delete %s and all their data?", "Supprimer %s et toutes ses données\u00a0?"},
	"users.delete_explain":  {"Their banks, accounts, transactions, settings and their Powens user are deleted, for good. To keep their data, disable them instead.", "Ses banques, comptes, opérations, réglages et son utilisateur Powens sont supprimés, définitivement. Pour garder ses données, désactivez-le plutôt."},
	"users.delete_type":     {"Type %s to confirm", "Saisissez %s pour confirmer"},
	"users.delete_confirm":  {"Delete the user and their data", "Supprimer l’utilisateur et ses données"},
	"users.delete_mismatch": {"The address typed is not the user’s; nothing was deleted.", "L’adresse saisie n’est pas celle de l’utilisateur\u00a0; rien n’a été supprimé."},
	"invite.title":          {"Join freenahi", "Rejoindre freenahi"},
	"invite.email":          {"Invite someone (e-mail address)", "Inviter quelqu’un (adresse e-mail)"},
	"invite.help_mail":      {"They receive a link to choose their password, valid for 7 days.", "La personne reçoit un lien pour choisir son mot de passe, valable 7 jours."},
	"invite.help_link":      {"You get a link to give them, valid for 7 days (this server does not send e-mail).", "Vous obtenez un lien à lui transmettre, valable 7 jours (ce serveur n’envoie pas d’e-mail)."},
	"invite.submit_admin":   {"Invite", "Inviter"},
	"invite.mailed":         {"Invitation sent to %s.", "Invitation envoyée à %s."},
	"invite.made":           {"Invitation for %s: give them this link.", "Invitation pour %s\u00a0: transmettez-lui ce lien."},
	"invite.mail_failed":    {"The invitation could not be mailed; give the link below yourself.", "L’invitation n’a pas pu être envoyée par e-mail\u00a0; transmettez vous-même le lien ci-dessous."},
	"invite.link":           {"Sign-up link", "Lien d’inscription"},
	"invite.intro":          {"Choose the password of your account %s.", "Choisissez le mot de passe de votre compte %s."},
	"invite.submit":         {"Create my account", "Créer mon compte"},
	"invite.mail_subject":   {"You are invited to freenahi", "Vous êtes invité sur freenahi"},
}

var securityPlurals = map[string][2]plural{
	"reset.throttled": {
		{"A link was asked for this address several times already. Try again in %d minute.", "A link was asked for this address several times already. Try again in %d minutes."},
		{"Un lien a déjà été demandé plusieurs fois pour cette adresse. Réessayez dans %d minute.", "Un lien a déjà été demandé plusieurs fois pour cette adresse. Réessayez dans %d minutes."}},
	"reset.mail_body": {
		{"Someone, probably you, asked to choose a new freenahi password. Open this link within %d minute to do so:", "Someone, probably you, asked to choose a new freenahi password. Open this link within %d minutes to do so:"},
		{"Quelqu’un, sans doute vous, a demandé à choisir un nouveau mot de passe freenahi. Ouvrez ce lien dans les %d minute pour le faire\u00a0:", "Quelqu’un, sans doute vous, a demandé à choisir un nouveau mot de passe freenahi. Ouvrez ce lien dans les %d minutes pour le faire\u00a0:"}},
	"totp.codes_left": {
		{"%d recovery code left.", "%d recovery codes left."},
		{"%d code de secours restant.", "%d codes de secours restants."}},
	"invite.mail_body": {
		{"%[2]s invites you to freenahi. Open this link within %[1]d day to choose your password:", "%[2]s invites you to freenahi. Open this link within %[1]d days to choose your password:"},
		{"%[2]s vous invite sur freenahi. Ouvrez ce lien dans les %[1]d jour pour choisir votre mot de passe\u00a0:", "%[2]s vous invite sur freenahi. Ouvrez ce lien dans les %[1]d jours pour choisir votre mot de passe\u00a0:"}},
}

var securityErrors = map[string]string{
	"This link does not work any more: it was used already or it expired. Ask for a new one.":       "Ce lien ne fonctionne plus\u00a0: il a déjà servi ou il a expiré. Demandez-en un nouveau.",
	"This invitation does not work any more: it was used already or it expired. Ask for a new one.": "Cette invitation ne fonctionne plus\u00a0: elle a déjà servi ou elle a expiré. Demandez-en une nouvelle.",
	"This session has already ended.":                                                          "Cette session est déjà terminée.",
	"The administrator cannot be disabled.":                                                    "L’administrateur ne peut pas être désactivé.",
	"The administrator’s own account cannot be changed on this page.":                          "Le compte de l’administrateur ne peut pas être modifié sur cette page.",
	"Two-factor sign-in is not set up.":                                                        "La connexion en deux étapes n’est pas activée.",
	"Two-factor sign-in is already on.":                                                        "La connexion en deux étapes est déjà activée.",
	"This code is not right, or was used already.":                                             "Ce code n’est pas le bon, ou a déjà servi.",
	"This user is linked to a Powens user, which must be deleted too: configure Powens first.": "Cet utilisateur est lié à un utilisateur Powens, qui doit être supprimé aussi\u00a0: configurez d’abord Powens.",
	"User not found.": "Utilisateur introuvable.",
}
