package bankfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/freenahi/freenahi"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Format names a file format.
type Format string

// Formats Parse reads.
const (
	CFONB Format = "cfonb"
	OFX   Format = "ofx"
	QIF   Format = "qif"
	CSV   Format = "csv"
)

// Formats lists the formats in the order a form offers them.
var Formats = []Format{CSV, OFX, QIF, CFONB}

// Bounds of one file.
const (
	MaxSize    = 8 << 20 // bytes
	MaxEntries = 50_000
	maxWording = 300 // characters kept of a wording
)

// Entry is one transaction read from a file.
type Entry struct {
	// Line is the 1-based line of the file where the entry starts.
	Line    int
	Date    freenahi.Date
	Amount  freenahi.Decimal
	Wording string
	// ID is the bank's own id of the entry (OFX FITID), when the file has one.
	ID string
	// Key identifies the entry across files; see the package documentation.
	Key string
	// Kind is the operation kind the file tells (a Powens type: card,
	// transfer, withdrawal, check, order…; see kind.go), "" when it does not.
	Kind string
}

// LineError is an entry that could not be read: the line it starts on and
// why, as a field error a person may read in their language.
type LineError struct {
	Line int
	Err  *freenahi.Error
}

// File is what Parse read.
type File struct {
	Format Format
	// Currency is the ISO code the file states (OFX CURDEF, CFONB), if any.
	Currency string
	Entries  []Entry
	Errors   []LineError
	// Mapping is the CSV mapping used, guesses filled in.
	Mapping Mapping
	// Balance is the account's balance the file states at the end of a
	// day (OFX LEDGERBAL, the CFONB 07 closing balance of its last
	// statement), nil when it states none.
	Balance *Balance
}

// Balance is a balance a file states: Amount at the end of Date.
type Balance struct {
	Date   freenahi.Date
	Amount freenahi.Decimal
}

// Options say how to read a file. The zero value detects the format and,
// for CSV, guesses the mapping from the header.
type Options struct {
	Format Format
	CSV    Mapping
	// DayFirst reads ambiguous QIF dates (03/04/2024) as day/month (the
	// French order) when true, month/day when false; a file whose dates
	// settle the question (31/01) is read in that order whatever is set.
	DayFirst bool
}

// Parse reads a whole file. It fails (EINVALID, field "file") only when
// nothing can be read: too large, no known format, no entry at all; entries
// that cannot be read are listed in File.Errors with their line.
func Parse(data []byte, opt Options) (*File, error) {
	if len(data) > MaxSize {
		return nil, freenahi.FieldErrorf("file", "is larger than %d MB", MaxSize>>20)
	}
	text := Decode(data)
	format := opt.Format
	if format == "" {
		format = Detect(text)
	}
	var f *File
	var err error
	switch format {
	case CFONB:
		f, err = parseCFONB(text)
	case OFX:
		f, err = parseOFX(text)
	case QIF:
		f, err = parseQIF(text, opt.DayFirst)
	case CSV:
		f, err = parseCSV(text, opt.CSV)
	default:
		return nil, freenahi.FieldErrorf("format", "%q is not one of csv, ofx, qif, cfonb", string(format))
	}
	if err != nil {
		return nil, err
	}
	f.Format = format
	if len(f.Entries) == 0 && len(f.Errors) == 0 {
		return nil, freenahi.FieldErrorf("file", "holds no transaction")
	}
	setKeys(f.Entries)
	return f, nil
}

// Decode returns data as UTF-8 text: a UTF-8 or UTF-16 byte-order mark
// says the encoding; valid UTF-8 stays as it is; anything else is
// Windows-1252 (a superset of Latin-1 with € at 0x80).
func Decode(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(data[3:]), "\uFFFD")
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err == nil {
			return string(out)
		}
	case utf8.Valid(data):
		return string(data)
	}
	out, _ := charmap.Windows1252.NewDecoder().Bytes(data)
	return string(out)
}

// Detect names the format of text from its first characters; CSV when
// nothing else fits.
func Detect(text string) Format {
	head := strings.TrimLeft(text[:min(len(text), 4096)], " \t\r\n")
	upper := strings.ToUpper(head)
	switch {
	case strings.HasPrefix(upper, "OFXHEADER") || strings.Contains(upper, "<OFX>") || strings.Contains(upper, "<?OFX"):
		return OFX
	case strings.HasPrefix(upper, "!TYPE:") || strings.HasPrefix(upper, "!ACCOUNT") || strings.HasPrefix(upper, "!OPTION"):
		return QIF
	case strings.HasPrefix(head, "01") && len(firstLine(head)) == 120:
		return CFONB
	}
	return CSV
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// setKeys gives each entry its Key: "id:" and the bank's id, or "sum:" and
// a digest of date, amount and folded wording, then "#n" for the n-th time
// that triple occurs in the file.
func setKeys(entries []Entry) {
	seen := map[string]int{}
	for i := range entries {
		e := &entries[i]
		if e.ID != "" {
			e.Key = "id:" + e.ID
			continue
		}
		sum := sha256.Sum256([]byte(e.Date.String() + "\x00" + e.Amount.String() + "\x00" + strings.ToUpper(strings.Join(strings.Fields(e.Wording), " "))))
		base := hex.EncodeToString(sum[:16])
		seen[base]++
		e.Key = "sum:" + base + "#" + strconv.Itoa(seen[base])
	}
}

// cleanWording trims and collapses spaces, drops control characters and
// bounds the length.
func cleanWording(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxWording {
		s = string([]rune(s)[:maxWording])
	}
	return s
}

// ImportLines converts entries to the lines a store imports, in minor units
// of the account's currency (exponent decimals). An amount with more decimals
// than the currency allows is a line error, not a rounding.
func ImportLines(entries []Entry, exponent int) ([]freenahi.ImportLine, []LineError) {
	out := make([]freenahi.ImportLine, 0, len(entries))
	var errs []LineError
	for _, e := range entries {
		minor, err := e.Amount.Minor(exponent)
		if err != nil {
			errs = append(errs, LineError{e.Line, freenahi.FieldErrorf("amount", "%s has more decimals than the account's currency allows (%d), or is too large", e.Amount, exponent)})
			continue
		}
		out = append(out, freenahi.ImportLine{Line: e.Line, Key: e.Key, Date: e.Date, AmountMinor: minor, Wording: e.Wording, Kind: e.Kind})
	}
	return out, errs
}
