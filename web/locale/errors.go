package locale

import (
	"errors"
	"fmt"
	"strings"

	"github.com/freenahi/freenahi"
)

// Err says a domain error in the locale's language: its key (the English
// format it was made from) looked up in errorMessages, with its arguments.
// The message of a field error that is a fragment ("is required") follows
// the field's name. A key with no translation shows in English; anything
// that is not a domain error shows as an internal error, its cause never.
func (l *Locale) Err(err error) string {
	var e *freenahi.Error
	if !errors.As(err, &e) || e.Code == freenahi.EINTERNAL {
		return l.T("error.generic")
	}
	if e.Key == "" {
		return e.Message
	}
	format := e.Key
	if l.lang == "fr" {
		if fr, ok := errorMessages[e.Key]; ok {
			format = fr
		}
	}
	text := fmt.Sprintf(format, e.Args...)
	if e.Field != "" && isFragment(e.Key) {
		return l.fieldLabel(e.Field) + l.colon() + text
	}
	return text
}

// isFragment reports whether a field error's format is a fragment about
// the field ("is required", "must be between 1 and %d") rather than a
// sentence of its own: sentences end with a full stop.
func isFragment(format string) bool {
	return !strings.HasSuffix(format, ".")
}

// fieldLabel is the name of an input field in the locale's language, or
// the field's own name when it has none (a path in Powens' data).
func (l *Locale) fieldLabel(field string) string {
	if Has("field." + field) {
		return l.T("field." + field)
	}
	return field
}

// colon separates a label from what follows: French puts a no-break
// space before it.
func (l *Locale) colon() string {
	if l.lang == "fr" {
		return nbsp + ": "
	}
	return ": "
}

// errorMessages translates the messages of domain errors into French,
// keyed by their English format.
var errorMessages = map[string]string{
	"The database does not answer.": "La base de données ne répond pas.",
	"Your bank says your password has expired: change it on the bank’s website, then type the new one here.":                                         "Votre banque indique que votre mot de passe a expiré\u00a0: changez-le sur le site de la banque, puis saisissez le nouveau ici.",
	"Your bank refuses more attempts for now; wait a few minutes before trying again.":                                                               "Votre banque refuse de nouveaux essais pour le moment\u00a0; attendez quelques minutes avant de réessayer.",
	"Powens met an unexpected problem with your bank; it has been told. Try again later.":                                                            "Powens a rencontré un problème inattendu avec votre banque\u00a0; il en est informé. Réessayez plus tard.",
	"Another connection to this bank waits for your confirmation in the bank’s app: confirm or finish it first (see your banks), then add this one.": "Une autre connexion à cette banque attend votre confirmation dans l’application de la banque\u00a0: confirmez-la ou terminez-la d’abord (voir vos banques), puis ajoutez celle-ci.",
	"Inqom mapping %d not found.":                                                       "Compte lié à Inqom %d introuvable.",
	"Powens user %d is not linked to user %d.":                                          "L’utilisateur Powens %d n’est pas relié à l’utilisateur %d.",
	"User %d has no Powens link.":                                                       "L’utilisateur %d n’est pas relié à Powens.",
	"Event %d is no longer leased to this worker.":                                      "L’événement %d n’est plus réservé à ce processus.",
	"Event %d is no longer leased to this worker: another worker claimed it.":           "L’événement %d n’est plus réservé à ce processus : un autre l’a pris.",
	"Event %d is back in the queue: this worker's lease ran out.":                       "L’événement %d est revenu dans la file : la réservation de ce processus a expiré.",
	"Event %d is already finished.":                                                     "L’événement %d est déjà terminé.",
	"Inqom mapping %d has no transaction waiting to be exported.":                       "Le compte lié à Inqom %d n’a aucune opération en attente d’export.",
	"The lease of Inqom mapping %d is no longer this worker's.":                         "Le compte lié à Inqom %d n’est plus réservé à ce processus.",
	"The database is closed.":                                                           "La base de données est fermée.",
	"Export batch %d of Inqom mapping %d is not sent yet: the next batch waits for it.": "Le fichier d’export %d du compte lié à Inqom %d n’est pas encore envoyé\u00a0: le fichier suivant l’attend.",
	"No event is ready to process.":                                                     "Aucun événement n’est prêt à être traité.",
	"Inqom mapping %d has no open export batch.":                                        "Le compte lié à Inqom %d n’a pas de fichier d’export en cours.",
	"Event %d is not being processed.":                                                  "L’événement %d n’est pas en cours de traitement.",
	// Connector forms.
	"This field is required.":                                          "Ce champ est obligatoire.",
	"Choose one of the listed values.":                                 "Choisissez une des valeurs proposées.",
	"Enter a date (YYYY-MM-DD).":                                       "Saisissez une date (AAAA-MM-JJ).",
	"Enter a number.":                                                  "Saisissez un nombre.",
	"This value does not have the expected format.":                    "Cette valeur n’a pas le format attendu.",
	"Several operations are already running; wait for them to finish.": "Plusieurs opérations sont déjà en cours\u00a0; attendez qu’elles se terminent.",

	// Powens, as the aggregator maps its answers.
	"Powens did not answer in time; nothing is lost, try again in a few minutes.": "Powens n’a pas répondu à temps\u00a0; rien n’est perdu, réessayez dans quelques minutes.",
	"Your bank refused these credentials. Check them and try again.":              "Votre banque a refusé ces identifiants. Vérifiez-les et réessayez.",
	"Your bank’s website is unavailable right now; try again later.":              "Le site de votre banque est indisponible pour le moment\u00a0; réessayez plus tard.",
	"Your bank says: %s": "Votre banque indique\u00a0: %s",
	"Your bank asks you to do something on its website or app first.":                                                    "Votre banque vous demande d’abord une action sur son site ou son application.",
	"This bank or this kind of access is not supported.":                                                                 "Cette banque ou ce type d’accès n’est pas pris en charge.",
	"Your bank was synchronised a moment ago; try again in a few minutes.":                                               "Votre banque vient d’être synchronisée\u00a0; réessayez dans quelques minutes.",
	"Powens is busy or unavailable; try again in a few minutes.":                                                         "Powens est occupé ou indisponible\u00a0; réessayez dans quelques minutes.",
	"This connection does not exist (any more).":                                                                         "Cette connexion n’existe pas (ou plus).",
	"Powens refused the request (%s).":                                                                                   "Powens a refusé la demande (%s).",
	"Powens refused the request (HTTP %d).":                                                                              "Powens a refusé la demande (HTTP %d).",
	"Connection %d not found.":                                                                                           "Connexion %d introuvable.",
	"%s accepts no new connections at the moment.":                                                                       "%s n’accepte pas de nouvelle connexion pour le moment.",
	"%s has no source %q to add.":                                                                                        "%s n’a pas de source %q à ajouter.",
	"Every source of %s is already added.":                                                                               "Toutes les sources de %s sont déjà ajoutées.",
	"%s uses a sign-in method freenahi does not know (%s); use the Powens window instead.":                               "%s utilise une méthode de connexion que freenahi ne connaît pas (%s)\u00a0; passez plutôt par la fenêtre Powens.",
	"The connection needs attention before its accounts can be activated.":                                               "La connexion demande votre attention avant que ses comptes puissent être activés.",
	"%d is not an account of this connection.":                                                                           "%d n’est pas un compte de cette connexion.",
	"Account %q is not an account of this connection.":                                                                   "Le compte %q n’est pas un compte de cette connexion.",
	"The operation did not finish in time. Nothing is lost: check the state of the connection, or try again later.":      "L’opération n’a pas abouti à temps. Rien n’est perdu\u00a0: vérifiez l’état de la connexion, ou réessayez plus tard.",
	"You cancelled at the bank or in the Powens window; nothing was changed.":                                            "Vous avez annulé à la banque ou dans la fenêtre Powens\u00a0; rien n’a été modifié.",
	"The terms of use were declined, so the connection was not added.":                                                   "Les conditions d’utilisation ont été refusées\u00a0: la connexion n’a pas été ajoutée.",
	"The Powens session expired before you finished; please start again.":                                                "La session Powens a expiré avant la fin\u00a0; veuillez recommencer.",
	"Powens had an internal problem; please try again in a few minutes.":                                                 "Powens a rencontré un problème interne\u00a0; réessayez dans quelques minutes.",
	"The connection could not be completed (%s): %s":                                                                     "La connexion n’a pas pu aboutir (%s)\u00a0: %s",
	"The connection could not be completed (%s).":                                                                        "La connexion n’a pas pu aboutir (%s).",
	"The link back from the bank is malformed; start again from freenahi.":                                               "Le lien de retour de la banque est mal formé\u00a0; recommencez depuis freenahi.",
	"The bank sent you back without naming a connection.":                                                                "La banque vous a renvoyé sans indiquer de connexion.",
	"POWENS_REDIRECT_URL is not configured on this server: the Powens window needs a page to come back to.":              "POWENS_REDIRECT_URL n’est pas configuré sur ce serveur\u00a0: la fenêtre Powens a besoin d’une page où revenir.",
	"This link is not one freenahi started, or it expired (after %d minutes). Start again from freenahi.":                "Ce lien n’a pas été créé par freenahi, ou il a expiré (au bout de %d minutes). Recommencez depuis freenahi.",
	"This return link does not belong to your current session.":                                                          "Ce lien de retour n’appartient pas à votre session actuelle.",
	"This return link has expired; start again.":                                                                         "Ce lien de retour a expiré\u00a0; recommencez.",
	"Background operations are not running on this server.":                                                              "Les opérations en arrière-plan ne tournent pas sur ce serveur.",
	"Powens is not configured on this server (POWENS_DOMAIN or POWENS_API_URL, POWENS_CLIENT_ID, POWENS_CLIENT_SECRET).": "Powens n’est pas configuré sur ce serveur (POWENS_DOMAIN ou POWENS_API_URL, POWENS_CLIENT_ID, POWENS_CLIENT_SECRET).",

	// Stores and forms: what was not found, or already exists.
	"Account %d not found.":                         "Compte %d introuvable.",
	"Transaction %d not found.":                     "Opération %d introuvable.",
	"Event %d not found.":                           "Événement %d introuvable.",
	"Export batch %d not found.":                    "Fichier d’export %d introuvable.",
	"Token %d not found.":                           "Jeton %d introuvable.",
	"User %d not found.":                            "Utilisateur %d introuvable.",
	"User not found.":                               "Utilisateur introuvable.",
	"Job not found.":                                "Opération introuvable.",
	"No job is waiting.":                            "Aucune opération n’attend.",
	"No Powens user is linked.":                     "Aucun utilisateur Powens n’est lié.",
	"No Inqom credentials are saved for this user.": "Aucun identifiant Inqom n’est enregistré pour cet utilisateur.",
	"This link between an account and an Inqom dossier does not exist.": "Ce lien entre un compte et un dossier Inqom n’existe pas.",
	"Nothing has the id %q.":                                                            "Rien ne porte l’identifiant %q.",
	"No such page: %s":                                                                  "Page inexistante\u00a0: %s",
	"No such endpoint: %s":                                                              "Point d’accès inexistant\u00a0: %s",
	"A user with the e-mail address %s already exists.":                                 "Un utilisateur avec l’adresse e-mail %s existe déjà.",
	"Powens user %d is already linked to another freenahi user.":                        "L’utilisateur Powens %d est déjà lié à un autre utilisateur de freenahi.",
	"IBAN %s is already mapped to dossier %d by another account.":                       "L’IBAN %s est déjà lié au dossier %d par un autre compte.",
	"Another file of this linked account was made at the same time; try again.":         "Un autre fichier de ce compte lié a été créé au même moment\u00a0; réessayez.",
	"A transaction of this file is already in another file of the same linked account.": "Une opération de ce fichier figure déjà dans un autre fichier du même compte lié.",
	"Job %s is no longer held by this runner.":                                          "L’opération %s n’est plus tenue par ce processus.",

	// Sessions, sign-in, API access.
	"Your session has ended; please sign in again.":                                        "Votre session a pris fin\u00a0; veuillez vous reconnecter.",
	"freenahi is already set up; sign in instead.":                                         "freenahi est déjà configuré\u00a0; connectez-vous plutôt.",
	"This form was not sent from a freenahi page; go back, reload it and try again.":       "Ce formulaire n’a pas été envoyé depuis une page de freenahi\u00a0; revenez en arrière, rechargez la page et réessayez.",
	"The form could not be read.":                                                          "Le formulaire n’a pas pu être lu.",
	"Invalid or revoked API token.":                                                        "Jeton d’API invalide ou révoqué.",
	"Missing Authorization: Bearer <API token> (create one with `freenahi token create`).": "En-tête Authorization: Bearer <jeton d’API> manquant (créez-en un avec `freenahi token create`).",
	"The body is larger than 64 KiB.":                                                      "Le corps de la requête dépasse 64\u00a0Kio.",
	"The database is unreachable.":                                                         "La base de données est injoignable.",
	"This operation is not known to this version of freenahi.":                             "Cette opération est inconnue de cette version de freenahi.",

	// Input fields: sentences, and fragments shown after the field's name.
	"is required":                                                         "est obligatoire",
	"is required (YYYY-MM-DD)":                                            "est obligatoire (AAAA-MM-JJ)",
	"is required to repair a connection":                                  "est obligatoire pour réparer une connexion",
	"is longer than 100 characters":                                       "dépasse 100 caractères",
	"is longer than 200 characters":                                       "dépasse 200 caractères",
	"must be between 1 and %d":                                            "doit être compris entre 1 et %d",
	"must be any, spending or income":                                     "doit valoir any (tout), spending (dépenses) ou income (revenus)",
	"A saved search named %q exists already.":                             "Une recherche enregistrée nommée %q existe déjà.",
	"You have %d saved searches already; delete one first.":               "Vous avez déjà %d recherches enregistrées\u00a0; supprimez-en une d’abord.",
	"Saved search %d not found.":                                          "Recherche enregistrée %d introuvable.",
	"must be a positive integer":                                          "doit être un nombre entier positif",
	"must be a positive Inqom dossier id":                                 "doit être un identifiant de dossier Inqom positif",
	"is not a cursor this API returned":                                   "n’est pas un curseur renvoyé par cette API",
	"is not the expected JSON: %v":                                        "n’est pas le JSON attendu\u00a0: %v",
	"%q is not a parameter of this address (known: %s).":                  "%q n’est pas un paramètre de cette adresse (paramètres connus\u00a0: %s).",
	"%q is not a positive integer":                                        "%q n’est pas un nombre entier positif",
	"%q is not a date (YYYY-MM-DD)":                                       "%q n’est pas une date (AAAA-MM-JJ)",
	"%q is not an amount such as -12.50":                                  "%q n’est pas un montant comme -12.50 (avec un point décimal)",
	"%q is not an amount such as 12.30 or 12,30":                          "%q n’est pas un montant comme 12,30 ou 12.30",
	"%q has more decimals than its currency allows (%d), or is too large": "%q a plus de décimales que sa devise n’en permet (%d), ou est trop grand",
	"%s is too large for an amount":                                       "%s est trop grand pour un montant",
	"%q is not true or false":                                             "%q n’est ni true ni false",
	"%q is not an e-mail address":                                         "%q n’est pas une adresse e-mail",
	"%q is not cfonb, csv, camt053 or ofx":                                "%q n’est ni cfonb, ni csv, ni camt053, ni ofx",
	"%q is not ; or ,":                                                    "%q n’est ni ; ni ,",
	"%q is not one of checking, savings, investments, loans, other":       "%q n’est pas l’un des groupes checking, savings, investments, loans, other",
	"%q is not one of the decisions (retry, sent, release)":               "%q n’est pas l’une des décisions possibles (retry, sent, release)",
	"%s is before the start date %s":                                      "%s est antérieure à la date de début %s",
	"%s is below the minimum amount %s":                                   "%s est inférieur au montant minimum %s",
	"Unknown webview flow %q: use connect, manage or reconnect.":          "Parcours de la fenêtre Powens %q inconnu\u00a0: utilisez connect, manage ou reconnect.",

	// Statements, RIB and IBAN.
	"Exports are not configured on this server.":                                                                                 "Les exports ne sont pas configurés sur ce serveur.",
	"%s is before %s, the first date CFONB 120 can carry":                                                                        "%s est antérieure au %s, la première date qu’un fichier CFONB 120 peut porter",
	"%s is after %s, the last date CFONB 120 can carry":                                                                          "%s est postérieure au %s, la dernière date qu’un fichier CFONB 120 peut porter",
	"%q is not a RIB: bank (5 digits), branch (5 digits), account number (11 characters) and optionally the key (2 digits)":      "%q n’est pas un RIB\u00a0: code banque (5 chiffres), code guichet (5 chiffres), numéro de compte (11 caractères) et, si vous l’avez, la clé (2 chiffres)",
	"key %s does not match bank %s, branch %s, account %s (the key is %s): check for a typo":                                     "la clé %s ne correspond pas à la banque %s, au guichet %s et au compte %s (la clé est %s)\u00a0: vérifiez la saisie",
	"Account %d (%s) has no IBAN, and CFONB 120 needs its French RIB: give its bank code, branch code and account number (rib).": "Le compte %d (%s) n’a pas d’IBAN, et le CFONB 120 a besoin de son RIB français\u00a0: donnez son code banque, son code guichet et son numéro de compte (rib).",
	"account %d (%s) has no IBAN; give its French IBAN":                                                                          "le compte %d (%s) n’a pas d’IBAN\u00a0; indiquez son IBAN français",
	"Account %d (%s) has no balance yet, so no statement balance can be computed; sync it first.":                                "Le compte %d (%s) n’a pas encore de solde, donc aucun solde de relevé ne peut être calculé\u00a0; synchronisez-le d’abord.",
	"Account %d (%s) has no balance yet, so the first statement's opening balance cannot be computed.":                           "Le compte %d (%s) n’a pas encore de solde, donc le solde d’ouverture du premier relevé ne peut pas être calculé.",
	"Account %d (%s) is in %s, whose exponent is %d; CFONB 120 carries ISO currencies with 0 to 3 decimals.":                     "Le compte %d (%s) est en %s, dont l’exposant est %d\u00a0; le CFONB 120 porte des devises ISO de 0 à 3 décimales.",
	"IBAN %s is malformed: an IBAN has two letters, two check digits, then 11 to 30 letters or digits.":                          "L’IBAN %s est mal formé\u00a0: un IBAN a deux lettres, deux chiffres de contrôle, puis 11 à 30 lettres ou chiffres.",
	"IBAN %s has wrong check digits: it likely has a typo.":                                                                      "L’IBAN %s a des chiffres de contrôle faux\u00a0: il contient sans doute une faute de frappe.",
	"IBAN %s is from %s, not France or Monaco, and CFONB 120 needs a French RIB.":                                                "L’IBAN %s est du pays %s, ni la France ni Monaco, et le CFONB 120 a besoin d’un RIB français.",
	"IBAN %s has %d characters; a French IBAN has 27.":                                                                           "L’IBAN %s a %d caractères\u00a0; un IBAN français en a 27.",
	"The account number in IBAN %s has a character a RIB does not allow.":                                                        "Le numéro de compte de l’IBAN %s contient un caractère qu’un RIB n’accepte pas.",
	"The RIB key in IBAN %s does not match its bank, branch and account number: it likely has a typo.":                           "La clé RIB de l’IBAN %s ne correspond pas à ses codes banque et guichet et à son numéro de compte\u00a0: il contient sans doute une faute de frappe.",
	"IBAN %s is not a valid French IBAN.":                                                                                        "L’IBAN %s n’est pas un IBAN français valide.",

	// Inqom: its settings, its files, and its refusals (its own words quoted).
	"The Inqom export is not configured on this server.": "L’export vers Inqom n’est pas configuré sur ce serveur.",
	"Inqom is not configured for this user: save their Inqom credentials (on the Accounting page, or with freenahi inqom credentials) or set the INQOM_* variables.": "Inqom n’est pas configuré pour cet utilisateur\u00a0: enregistrez ses identifiants Inqom (sur la page Comptabilité, ou avec freenahi inqom credentials) ou définissez les variables INQOM_*.",
	"Inqom environment %q is neither production nor staging.":                                        "L’environnement Inqom %q n’est ni production ni staging (recette).",
	"The Inqom token endpoint address %q is not an absolute http or https address without a query.":  "L’adresse du point d’obtention de jeton d’Inqom %q n’est pas une adresse http ou https absolue sans paramètres.",
	"The Inqom banking API address %q is not an absolute http or https address without a query.":     "L’adresse de l’API Banking d’Inqom %q n’est pas une adresse http ou https absolue sans paramètres.",
	"The Inqom API client id is required.":                                                           "L’identifiant du client d’API Inqom est obligatoire.",
	"The Inqom API client secret is required.":                                                       "Le secret du client d’API Inqom est obligatoire.",
	"The Inqom user is required.":                                                                    "L’utilisateur Inqom est obligatoire.",
	"The Inqom password is required.":                                                                "Le mot de passe Inqom est obligatoire.",
	"The Inqom dossier id must be a positive number.":                                                "L’identifiant du dossier Inqom doit être un nombre positif.",
	"An IBAN is required to register an account in Inqom.":                                           "Un IBAN est nécessaire pour enregistrer un compte dans Inqom.",
	"The CFONB file to import is empty.":                                                             "Le fichier CFONB à importer est vide.",
	"The CFONB file needs a name.":                                                                   "Le fichier CFONB doit avoir un nom.",
	"The CFONB file name is longer than 255 bytes.":                                                  "Le nom du fichier CFONB dépasse 255 octets.",
	"The CFONB file name has control characters.":                                                    "Le nom du fichier CFONB contient des caractères de contrôle.",
	"Export batch %d is not waiting to be sent by this worker.":                                      "Le fichier d’export %d n’attend pas d’être envoyé par ce processus.",
	"Export batch %d was resolved meanwhile.":                                                        "Le fichier d’export %d a fait l’objet d’une décision entre-temps.",
	"Export batch %d is waiting to be sent: only a refused file, or one to check, takes a decision.": "Le fichier d’export %d attend d’être envoyé\u00a0: seul un fichier refusé, ou à vérifier, appelle une décision.",
	"Export batch %d is already sent: only a refused file, or one to check, takes a decision.":       "Le fichier d’export %d est déjà envoyé\u00a0: seul un fichier refusé, ou à vérifier, appelle une décision.",
	"Export batch %d is released: only a refused file, or one to check, takes a decision.":           "Le fichier d’export %d est libéré\u00a0: seul un fichier refusé, ou à vérifier, appelle une décision.",
	"Export batch %d takes no decision now: only a refused file, or one to check, does.":             "Le fichier d’export %d n’appelle pas de décision pour le moment\u00a0: seul un fichier refusé, ou à vérifier, en appelle une.",
	"Batch %d (%s) needs a decision before later files can be sent: decide on its history page, or with `freenahi inqom resolve --batch %d sent|retry|release`.": "Le fichier %d (%s) attend une décision avant que les fichiers suivants puissent partir\u00a0: décidez sur la page de son historique, ou avec `freenahi inqom resolve --batch %d sent|retry|release`.",
	"Inqom refused the username or password (%s).":                               "Inqom a refusé l’utilisateur ou le mot de passe (%s).",
	"Inqom refused the username or password (%s): “%s”":                          "Inqom a refusé l’utilisateur ou le mot de passe (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom refused the API client id or secret (%s).":                            "Inqom a refusé l’identifiant ou le secret du client d’API (%s).",
	"Inqom refused the API client id or secret (%s): “%s”":                       "Inqom a refusé l’identifiant ou le secret du client d’API (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom refused the requested scope (%s).":                                    "Inqom a refusé la portée demandée (%s).",
	"Inqom refused the requested scope (%s): “%s”":                               "Inqom a refusé la portée demandée (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom does not allow this API client to sign in with a password (%s).":      "Inqom n’autorise pas ce client d’API à se connecter par mot de passe (%s).",
	"Inqom does not allow this API client to sign in with a password (%s): “%s”": "Inqom n’autorise pas ce client d’API à se connecter par mot de passe (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom does not accept the password grant (%s).":                             "Inqom n’accepte pas la connexion par mot de passe (%s).",
	"Inqom does not accept the password grant (%s): “%s”":                        "Inqom n’accepte pas la connexion par mot de passe (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom refused the sign-in (%s).":                                            "Inqom a refusé la connexion (%s).",
	"Inqom refused the sign-in (%s): “%s”":                                       "Inqom a refusé la connexion (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom already has this account in the dossier (%s).":                        "Inqom a déjà ce compte dans le dossier (%s).",
	"Inqom already has this account in the dossier (%s): “%s”":                   "Inqom a déjà ce compte dans le dossier (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom refused the access token (%s).":                                       "Inqom a refusé le jeton d’accès (%s).",
	"Inqom refused the access token (%s): “%s”":                                  "Inqom a refusé le jeton d’accès (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom denied access to the dossier (%s).":                                   "Inqom a refusé l’accès au dossier (%s).",
	"Inqom denied access to the dossier (%s): “%s”":                              "Inqom a refusé l’accès au dossier (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom denied access (%s).":                                                  "Inqom a refusé l’accès (%s).",
	"Inqom denied access (%s): “%s”":                                             "Inqom a refusé l’accès (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom is limiting the request rate (%s).":                                   "Inqom limite le rythme des requêtes (%s).",
	"Inqom is limiting the request rate (%s): “%s”":                              "Inqom limite le rythme des requêtes (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom's sign-in service failed (%s).":                                       "Le service de connexion d’Inqom a échoué (%s).",
	"Inqom's sign-in service failed (%s): “%s”":                                  "Le service de connexion d’Inqom a échoué (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom failed (%s).":                                                         "Inqom a rencontré une erreur (%s).",
	"Inqom failed (%s): “%s”":                                                    "Inqom a rencontré une erreur (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom refused the file (%s).":                                               "Inqom a refusé le fichier (%s).",
	"Inqom refused the file (%s): “%s”":                                          "Inqom a refusé le fichier (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom refused the account (%s).":                                            "Inqom a refusé le compte (%s).",
	"Inqom refused the account (%s): “%s”":                                       "Inqom a refusé le compte (%s)\u00a0: «\u00a0%s\u00a0»",
	"Inqom refused the request (%s).":                                            "Inqom a refusé la demande (%s).",
	"Inqom refused the request (%s): “%s”":                                       "Inqom a refusé la demande (%s)\u00a0: «\u00a0%s\u00a0»",

	// Statements stop at the last bank day that has ended.
	"%s has not ended yet: the last bank day that has ended is %s": "le %s n’est pas encore écoulé\u00a0: le dernier jour bancaire écoulé est le %s",
	"account %d (%s) already sends its transactions to Inqom dossier %d; linking it to dossier %d too sends every transaction to both. Confirm to link it to a second dossier, or unlink it from dossier %d first": "le compte %d (%s) envoie déjà ses opérations au dossier Inqom %d\u00a0; le lier aussi au dossier %d enverrait chaque opération aux deux. Confirmez pour le lier à un second dossier, ou déliez-le d’abord du dossier %d",
	"Inqom mapping %d has no transaction whose day has ended.": "La liaison Inqom %d n’a aucune opération dont le jour est écoulé.",
	// A person's own Inqom addresses (export/credentials.go).
	"must be a full https address, without query": "doit être une adresse https complète, sans requête",
	"must not be an address of this computer":     "ne doit pas être une adresse de cet ordinateur",
	"must be an https address":                    "doit être une adresse https",
	"must not be an address of a private network": "ne doit pas être une adresse d’un réseau privé",
	"Type the Inqom password and client secret again: the Inqom addresses changed, and saved secrets only go where they went before.":                     "Saisissez à nouveau le mot de passe et le secret client Inqom\u00a0: les adresses Inqom ont changé, et les secrets enregistrés ne partent que là où ils sont déjà allés.",
	"The Inqom address resolves to %s, on this computer or a private network: freenahi sends Inqom credentials saved on a page only to public addresses.": "L’adresse Inqom désigne %s, sur cet ordinateur ou un réseau privé\u00a0: freenahi n’envoie les identifiants Inqom enregistrés sur une page qu’à des adresses publiques.",
	// New passwords (password.Check).
	"must be at least %d characters long": "doit contenir au moins %d caractères",
	"must be at most %d characters long":  "doit contenir au plus %d caractères",
	"This password is one of the most common ones; choose another, for instance several unrelated words.":                           "Ce mot de passe est l’un des plus courants\u00a0; choisissez-en un autre, par exemple plusieurs mots sans rapport entre eux.",
	"This password is made of your e-mail address; choose another, for instance several unrelated words.":                           "Ce mot de passe est fait de votre adresse e-mail\u00a0; choisissez-en un autre, par exemple plusieurs mots sans rapport entre eux.",
	"This password is a common word or name; choose a longer one, for instance several unrelated words.":                            "Ce mot de passe est un mot ou un nom courant\u00a0; choisissez-en un plus long, par exemple plusieurs mots sans rapport entre eux.",
	"This password repeats characters or a pattern (such as aaaa or abcabc); choose another, for instance several unrelated words.": "Ce mot de passe répète des caractères ou un motif (comme aaaa ou abcabc)\u00a0; choisissez-en un autre, par exemple plusieurs mots sans rapport entre eux.",
	"This password is a sequence (such as abcdef or 123456); choose another, for instance several unrelated words.":                 "Ce mot de passe est une suite (comme abcdef ou 123456)\u00a0; choisissez-en un autre, par exemple plusieurs mots sans rapport entre eux.",
	"This password follows a keyboard pattern (such as azerty or qwerty); choose another, for instance several unrelated words.":    "Ce mot de passe suit un motif du clavier (comme azerty ou qwerty)\u00a0; choisissez-en un autre, par exemple plusieurs mots sans rapport entre eux.",
	"This password is mostly a date or a year; choose another, for instance several unrelated words.":                               "Ce mot de passe est surtout une date ou une année\u00a0; choisissez-en un autre, par exemple plusieurs mots sans rapport entre eux.",
	"This password is too easy to guess; choose a longer one, for instance several unrelated words.":                                "Ce mot de passe est trop facile à deviner\u00a0; choisissez-en un plus long, par exemple plusieurs mots sans rapport entre eux.",
	// Wealth: histories, net worth, portfolios, loans.
	"Balance histories are not configured on this server.": "Les historiques de solde ne sont pas configurés sur ce serveur.",
	"must not be negative":                                 "ne doit pas être négatif",
	"must be positive":                                     "doit être positif",
	"must be between 0 and 100":                            "doit être compris entre 0 et 100",
	"%s is not a number":                                   "%s n’est pas un nombre",
	"%q is not a rate such as 3.5":                         "%q n’est pas un taux comme 3,5",
	"%q is not a number of years between 1 and 100":        "%q n’est pas un nombre d’années entre 1 et 100",
	"%q is not day, week or month":                         "%q n’est ni day, ni week, ni month",
}
