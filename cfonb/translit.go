package cfonb

// Romanisation tables for the two non-Latin alphabets that reach French
// bank statements most: without them a Russian or Greek wording folds to
// nothing and the 04 label would be blank.

// cyrillic romanises U+0400–U+045F letter by letter. Russian letters follow
// ICAO Doc 9303 (the table of machine-readable passports, also Russia's
// since 2013): Ж ZH, Х KH, Ц TS, Щ SHCH, Ъ IE, Ь nothing, Ю IU, Я IA.
// Ukrainian Є IE, І Ї I (Ґ G is outside the block, in foldRune), Belarusian
// Ў U, and Serbian and Macedonian Ђ DJ, Ѓ GJ, Ѕ DZ, Ј J, Љ LJ, Њ NJ, Ћ C,
// Ќ KJ, Џ DZ follow their national Latin spellings without diacritics.
var cyrillic = [0x60]string{
	"E", "E", "DJ", "GJ", "IE", "DZ", "I", "I", "J", "LJ", "NJ", "C", "KJ", "I", "U", "DZ",
	"A", "B", "V", "G", "D", "E", "ZH", "Z", "I", "I", "K", "L", "M", "N", "O", "P",
	"R", "S", "T", "U", "F", "KH", "TS", "CH", "SH", "SHCH", "IE", "Y", "", "E", "IU", "IA",
	"A", "B", "V", "G", "D", "E", "ZH", "Z", "I", "I", "K", "L", "M", "N", "O", "P",
	"R", "S", "T", "U", "F", "KH", "TS", "CH", "SH", "SHCH", "IE", "Y", "", "E", "IU", "IA",
	"E", "E", "DJ", "GJ", "IE", "DZ", "I", "I", "J", "LJ", "NJ", "C", "KJ", "I", "U", "DZ",
}

// greek romanises U+0386–U+03CE letter by letter after ELOT 743 / ISO 843
// (type 2, as on Greek passports): Β V, Η I, Θ TH, Ξ X, Υ Y, Φ F, Χ CH,
// Ψ PS, Ω O, accents and diaeresis dropped; the one digraph rule applied
// is ΟΥ → OU (see appendFold). Unassigned code points and the ano teleia
// become spaces.
var greek = [0x49]string{
	"A", " ", "E", "I", "I", " ", "O", " ", "Y", "O", "I", "A", "V", "G", "D", "E",
	"Z", "I", "TH", "I", "K", "L", "M", "N", "X", "O", "P", "R", " ", "S", "T", "Y",
	"F", "CH", "PS", "O", "I", "Y", "A", "E", "I", "I", "Y", "A", "V", "G", "D", "E",
	"Z", "I", "TH", "I", "K", "L", "M", "N", "X", "O", "P", "R", "S", "S", "T", "Y",
	"F", "CH", "PS", "O", "I", "Y", "O", "Y", "O",
}
