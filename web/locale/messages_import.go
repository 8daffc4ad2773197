package locale

// importFields name the fields of bank files an import may blame: a CSV
// column, an OFX element, a QIF code.
var importFields = map[string][2]string{
	"field.file":                 {"File", "Fichier"},
	"field.mapping":              {"Columns", "Colonnes"},
	"field.date":                 {"Date", "Date"},
	"field.amount":               {"Amount", "Montant"},
	"field.debit":                {"Debit", "Débit"},
	"field.credit":               {"Credit", "Crédit"},
	"field.wording":              {"Wording", "Libellé"},
	"field.cfonb":                {"CFONB record", "Enregistrement CFONB"},
	"field.STMTTRN":              {"Transaction (STMTTRN)", "Opération (STMTTRN)"},
	"field.DTPOSTED":             {"Date (DTPOSTED)", "Date (DTPOSTED)"},
	"field.TRNAMT":               {"Amount (TRNAMT)", "Montant (TRNAMT)"},
	"field.FITID":                {"Bank id (FITID)", "Identifiant bancaire (FITID)"},
	"field.D":                    {"Date (D)", "Date (D)"},
	"field.T":                    {"Amount (T)", "Montant (T)"},
	"field.^":                    {"End of record (^)", "Fin d’enregistrement (^)"},
	"field.currency":             {"Currency", "Devise"},
	"field.date_format":          {"Date format", "Format des dates"},
	"field.decimal":              {"Decimal mark", "Séparateur décimal"},
	"field.date_column":          {"Date column", "Colonne de la date"},
	"field.amount_column":        {"Amount column", "Colonne du montant"},
	"field.debit_column":         {"Debit column", "Colonne du débit"},
	"field.credit_column":        {"Credit column", "Colonne du crédit"},
	"field.wording_column":       {"Wording column", "Colonne du libellé"},
	"field.new_account_name":     {"Name of the new account", "Nom du nouveau compte"},
	"field.new_account_currency": {"Currency of the new account", "Devise du nouveau compte"},
	"field.new_account_type":     {"Type of the new account", "Type du nouveau compte"},
	"field.day_first":            {"Day before month", "Jour avant le mois"},
	"field.dry_run":              {"Preview only", "Aperçu seulement"},
}

// importErrors translate the errors of bank files and imports.
var importErrors = map[string]string{
	"line %d has more than %d columns":         "la ligne %d a plus de %d colonnes",
	"is missing: the last record is not ended": "manque\u00a0: le dernier enregistrement n’est pas terminé",
	"holds no transaction":                     "ne contient aucune opération",
	"needs a date column, a wording column and an amount column (or debit and credit columns)": "il faut une colonne de date, une colonne de libellé et une colonne de montant (ou des colonnes de débit et de crédit)",
	"is missing":                            "manque",
	"holds more than %d transactions":       "contient plus de %d opérations",
	"has both a debit %q and a credit %q":   "a à la fois un débit %q et un crédit %q",
	"%q is not a date in the format %s":     "%q n’est pas une date au format %s",
	"%q is not a date such as 20240131":     "%q n’est pas une date comme 20240131",
	"is not closed: the file is cut":        "n’est pas fermée\u00a0: le fichier est tronqué",
	"line %d cannot be read as CSV":         "la ligne %d ne se lit pas en CSV",
	"%q is not one of csv, ofx, qif, cfonb": "%q n’est pas l’un de csv, ofx, qif, cfonb",
	"is larger than %d MB":                  "dépasse %d Mo",
	"%s has more decimals than the account's currency allows (%d), or is too large": "%s a plus de décimales que la devise du compte n’en permet (%d), ou est trop grand",
	"column %d: %s":                                                         "colonne %d\u00a0: %s",
	"%q is not a date such as 31/01/2024":                                   "%q n’est pas une date comme 31/01/2024",
	"Another account was created at the same time; try again.":              "Un autre compte a été créé au même moment ; réessayez.",
	"%q is not a three-letter ISO 4217 code such as EUR":                    "%q n’est pas un code ISO 4217 de trois lettres comme EUR",
	"%q is not one of checking, savings, card, other":                       "%q n’est pas l’un de checking, savings, card, other",
	"is an account of a bank connection: import only into a manual account": "est un compte d’une connexion bancaire : n’importez que dans un compte manuel",
	"the file is in %s, the account in %s":                                  "le fichier est en %s, le compte en %s",
	"has no line that can be imported (%d lines with errors)":               "n’a aucune ligne importable (%d lignes en erreur)",
	"is required, or new_account_name and new_account_currency":             "est requis, ou new_account_name et new_account_currency",
	"Imports are not configured on this server.":                            "Les imports ne sont pas configurés sur ce serveur.",
	"%q is not one of the date formats offered":                             "%q n’est pas l’un des formats de date proposés",
	"%q is not ; , or tab":                                                  "%q n’est pas «\u00a0;\u00a0», «\u00a0,\u00a0» ni une tabulation",
	"%q is not a column number between 1 and %d":                            "%q n’est pas un numéro de colonne entre 1 et %d",
	"%q is not , or .":                                                      "%q n’est pas , ou .",
	"is not one of your manual accounts":                                    "n’est pas l’un de vos comptes manuels",
	"is not a CFONB 120 file: %s":                                           "n’est pas un fichier CFONB 120\u00a0: %s",
}

// importMessages are the texts of the import page.
var importMessages = map[string][2]string{
	"import.title":          {"Import a bank file", "Importer un fichier bancaire"},
	"import.link":           {"Import a bank file", "Importer un fichier bancaire"},
	"import.intro":          {"For history before your bank connection, or an account Powens does not cover: a CFONB 120, OFX, QIF or CSV file from your bank goes into a manual account. Lines already imported are skipped, so importing the same file twice, or an overlapping one, adds nothing twice.", "Pour l’historique d’avant votre connexion bancaire, ou un compte que Powens ne couvre pas : un fichier CFONB 120, OFX, QIF ou CSV de votre banque va dans un compte manuel. Les lignes déjà importées sont ignorées : importer deux fois le même fichier, ou un fichier qui recoupe le précédent, n’ajoute rien en double."},
	"import.into":           {"Into", "Dans"},
	"import.account":        {"Manual account", "Compte manuel"},
	"import.new_account":    {"A new manual account", "Un nouveau compte manuel"},
	"import.new_name":       {"Name of the new account", "Nom du nouveau compte"},
	"import.new_currency":   {"Currency", "Devise"},
	"import.file":           {"File", "Fichier"},
	"import.choose":         {"Bank file", "Fichier bancaire"},
	"import.file_again":     {"Bank file (%s is kept; choose another to replace it)", "Fichier bancaire (%s est conservé ; choisissez-en un autre pour le remplacer)"},
	"import.format":         {"Format", "Format"},
	"import.detect":         {"Detect", "Détecter"},
	"import.format.csv":     {"CSV", "CSV"},
	"import.format.ofx":     {"OFX", "OFX"},
	"import.format.qif":     {"QIF", "QIF"},
	"import.format.cfonb":   {"CFONB 120", "CFONB 120"},
	"import.csv_columns":    {"CSV columns", "Colonnes du CSV"},
	"import.csv_help":       {"Columns are numbered from 1. Left empty, they are guessed from the header; the preview shows what was guessed.", "Les colonnes sont numérotées à partir de 1. Laissées vides, elles sont déduites de l’en-tête ; l’aperçu montre ce qui a été déduit."},
	"import.separator":      {"Separator", "Séparateur"},
	"import.guess":          {"Guess", "Deviner"},
	"import.tab":            {"Tab", "Tabulation"},
	"import.header":         {"The first row names the columns", "La première ligne nomme les colonnes"},
	"import.date_column":    {"Date column", "Colonne de la date"},
	"import.wording_column": {"Wording column", "Colonne du libellé"},
	"import.amount_column":  {"Amount column", "Colonne du montant"},
	"import.debit_column":   {"Debit column", "Colonne du débit"},
	"import.credit_column":  {"Credit column", "Colonne du crédit"},
	"import.date_format":    {"Date format", "Format des dates"},
	"import.decimal":        {"Decimal mark", "Séparateur décimal"},
	"import.preview":        {"Preview", "Aperçu"},
	"import.no_category":    {"no category", "sans catégorie"},
	"import.errors":         {"Lines left out", "Lignes écartées"},
	"import.line":           {"Line %d", "Ligne %d"},
	"import.do_preview":     {"Preview", "Aperçu"},
	"flash.imported":        {"File imported.", "Fichier importé."},
}

// importPlurals are the counted texts of the import page.
var importPlurals = map[string][2]plural{
	"import.would_add": {{"%d new transaction", "%d new transactions"}, {"%d nouvelle opération", "%d nouvelles opérations"}},
	"import.already":   {{"%d already imported", "%d already imported"}, {"%d déjà importée", "%d déjà importées"}},
	"import.left_out":  {{"%d line left out", "%d lines left out"}, {"%d ligne écartée", "%d lignes écartées"}},
	"import.more":      {{"and %d more", "and %d more"}, {"et %d autre", "et %d autres"}},
	"import.confirm":   {{"Import %d transaction", "Import %d transactions"}, {"Importer %d opération", "Importer %d opérations"}},
}

// Merged here rather than in messages.go, so that this part's texts stay
// in one file.
func init() {
	for k, v := range importFields {
		messages[k] = v
	}
	for k, v := range importErrors {
		errorMessages[k] = v
	}
	for k, v := range importMessages {
		messages[k] = v
	}
	for k, v := range importPlurals {
		plurals[k] = v
	}
}
