package locale

import (
	"errors"
	"fmt"

	"github.com/freenahi/freenahi"
)

// Err says a domain error in the locale's language: its key (the English
// format it was made from) looked up in errorMessages, with its arguments.
// A key with no translation shows in English; anything that is not a
// domain error shows as an internal error, its cause never.
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
	return fmt.Sprintf(format, e.Args...)
}

// errorMessages translates the messages of domain errors into French,
// keyed by their English format.
var errorMessages = map[string]string{
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
	"Background operations are not running on this server.":                                                              "Les opérations en arrière-plan ne tournent pas sur ce serveur.",
	"Powens is not configured on this server (POWENS_DOMAIN or POWENS_API_URL, POWENS_CLIENT_ID, POWENS_CLIENT_SECRET).": "Powens n’est pas configuré sur ce serveur (POWENS_DOMAIN ou POWENS_API_URL, POWENS_CLIENT_ID, POWENS_CLIENT_SECRET).",
}
