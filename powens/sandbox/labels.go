package sandbox

// merchant is a card merchant: the bank label and its cleaned name, with a
// typical amount range in cents.
type merchant struct {
	Label, Simple string
	Min, Max      int64
}

// Everyday card merchants (immediate debit on the checking account).
var dailyMerchants = []merchant{
	{"CARREFOUR CITY", "Carrefour", 4_50, 68_00},
	{"MONOPRIX", "Monoprix", 6_00, 85_00},
	{"BOULANGERIE PAUL", "Paul", 1_20, 14_80},
	{"PHARMACIE DU CENTRE", "Pharmacie", 3_90, 42_00},
	{"LECLERC", "E.Leclerc", 18_00, 160_00},
	{"PICARD SURGELES", "Picard", 9_00, 55_00},
	{"SNCF CONNECT", "SNCF", 15_00, 120_00},
	{"RATP", "RATP", 2_15, 86_40},
	{"CAFE DE LA GARE", "Café de la gare", 2_40, 24_00},
	{"BIOCOOP", "Biocoop", 7_00, 64_00},
}

// Deferred card merchants (debited at the end of the month).
var deferredMerchants = []merchant{
	{"AMAZON PAYMENTS", "Amazon", 9_99, 149_00},
	{"FNAC DARTY", "Fnac", 12_00, 320_00},
	{"AIR FRANCE", "Air France", 89_00, 640_00},
	{"DECATHLON", "Decathlon", 8_00, 190_00},
	{"RESTAURANT LE PETIT ZINC", "Le Petit Zinc", 24_00, 130_00},
	{"TOTALENERGIES", "TotalEnergies", 35_00, 95_00},
	{"IKEA", "Ikea", 15_00, 420_00},
	{"UBER EATS", "Uber Eats", 14_00, 48_00},
}

// Professional card merchants.
var proMerchants = []merchant{
	{"OVH SAS", "OVHcloud", 5_99, 89_00},
	{"BURO CLUB", "Buro Club", 25_00, 190_00},
	{"AMAZON BUSINESS", "Amazon", 12_00, 540_00},
	{"SNCF CONNECT", "SNCF", 45_00, 190_00},
	{"TOTALENERGIES", "TotalEnergies", 40_00, 110_00},
	{"LA POSTE", "La Poste", 1_43, 38_00},
}

// Customers paying the professional account.
var proCustomers = []string{"DURAND SARL", "ATELIER MOREAU", "MAIRIE DE LYON", "BOULANGERIE MARTIN", "SCI LES TILLEULS", "CABINET LEROY"}

// instrument is an investment line; ISINs get their check digit computed.
type instrument struct {
	Label, ISINBase string // ISINBase lacks the check digit; "" for a euro fund
	Price           int64  // typical unit value in cents
	Units           bool   // fractional units (funds) rather than whole shares
}

var peaInstruments = []instrument{
	{"AIR LIQUIDE", "FR000012007", 168_00, false},
	{"TOTALENERGIES SE", "FR000012027", 58_00, false},
	{"LVMH MOET HENNESSY", "FR000012101", 640_00, false},
	{"SCHNEIDER ELECTRIC", "FR000012197", 215_00, false},
	{"BNP PARIBAS", "FR000013110", 63_00, false},
}

var lifeInstruments = []instrument{
	{"FONDS EUROS SECURITE", "", 0, false},
	{"CARMIGNAC PATRIMOINE A EUR ACC", "FR001013510", 690_00, true},
	{"COMGEST MONDE C", "FR000028402", 2_480_00, true},
	{"DNCA EVOLUTIF C", "FR000705019", 320_00, true},
}

var perInstruments = []instrument{
	{"FONDS EUROS RETRAITE", "", 0, false},
	{"AMUNDI PROFIL EQUILIBRE", "FR001081101", 142_00, true},
	{"ODDO BHF AVENIR EUROPE", "FR000097470", 780_00, true},
}
