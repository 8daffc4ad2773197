package cfonb

import (
	"fmt"
	"time"
)

// Record geometry. Zone offsets are 0-based (CFONB position − 1) so that
// rec[posX:posX+width] reads like the tables of reference §1.3–1.7.
const (
	recordLen = 120

	posCode       = 0   // 1–2 record code 01, 04, 05, 07
	posBank       = 2   // 3–7 bank code
	posInternal   = 7   // 8–11 bank-internal operation code (04, 05)
	posBranch     = 11  // 12–16 branch code
	posCurrency   = 16  // 17–19 ISO 4217 currency
	posExponent   = 19  // 20 number of decimals
	posReserved21 = 20  // 21 reserved
	posAccount    = 21  // 22–32 account number
	posOpCode     = 32  // 33–34 interbank operation code (04, 05)
	posDate       = 34  // 35–40 balance date (01, 07) or booking date (04, 05)
	posReject     = 40  // 41–42 reject reason code (04)
	posValueDate  = 42  // 43–48 value date (04)
	posLabel      = 48  // 49–79 label (04)
	posEntry      = 81  // 82–88 entry number (04)
	posExempt     = 88  // 89 commission exemption flag (04)
	posUnavail    = 89  // 90 unavailability flag (04)
	posAmount     = 90  // 91–104 signed amount (01, 04, 07)
	posRefZone    = 104 // 105–120 reference zone (04)
	posQualifier  = 45  // 46–48 qualifier (05)
	posInfo       = 48  // 49–118 additional information (05)

	internalWidth = 4
	accountWidth  = 11
	dateWidth     = 6
	labelWidth    = 31
	entryWidth    = 7
	refZoneWidth  = 16
	infoWidth     = 70
	halfInfoWidth = 35 // the two parts of REF, RCN, RUM, IPY… zones

)

// spaces fills reserved zones; a constant so that copying from it allocates nothing.
const spaces = "                                                                                                                        "

// Two-digit years pivot at 80, as the strictest reader of reference §1.8:
// 00–79 are 2000–2079 and 80–99 are 1980–1999. The writer refuses dates
// outside that window, so every date it writes reads back as itself.
const (
	minYear = 1980
	maxYear = 2079
)

// day is a calendar date as yyyymmdd, cheap to compare and to store.
type day int

// dayOf returns the calendar date of t in t's own location, so that midnight
// in Europe/Paris stays the same date and is not shifted by a UTC conversion.
func dayOf(t time.Time) (day, error) {
	if t.IsZero() {
		return 0, fmt.Errorf("date is missing")
	}
	y, m, d := t.Date()
	if y < minYear || y > maxYear {
		return 0, fmt.Errorf("date %04d-%02d-%02d is outside %d–%d, which DDMMYY can carry", y, m, d, minYear, maxYear)
	}
	return day(y*10000 + int(m)*100 + d), nil
}

// String renders DD/MM/YY, the way a French statement prints dates.
func (d day) String() string {
	return fmt.Sprintf("%02d/%02d/%02d", d%100, d/100%100, d/10000%100)
}

// time returns the date at midnight UTC, the reader's representation.
func (d day) time() time.Time {
	return time.Date(int(d/10000), time.Month(d/100%100), int(d%100), 0, 0, 0, 0, time.UTC)
}

// putDate writes d as DDMMYY.
func putDate(dst []byte, d day) {
	putDigits(dst[0:2], int64(d%100))
	putDigits(dst[2:4], int64(d/100%100))
	putDigits(dst[4:6], int64(d/10000%100))
}

// parseDate reads DDMMYY; the message is empty when the date is valid.
func parseDate(b []byte) (day, string) {
	for _, c := range b {
		if !isDigit(c) {
			return 0, fmt.Sprintf("date %q is not DDMMYY", b)
		}
	}
	dd, mm, yy := int(atoi(b[0:2])), int(atoi(b[2:4])), int(atoi(b[4:6]))
	y := 2000 + yy
	if yy >= 80 {
		y = 1900 + yy
	}
	t := time.Date(y, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	// time.Date normalises 31/02 into March: a round trip exposes it.
	if mm < 1 || mm > 12 || dd < 1 || t.Day() != dd || int(t.Month()) != mm {
		return 0, fmt.Sprintf("date %q (DDMMYY) does not exist", b)
	}
	return day(y*10000 + mm*100 + dd), ""
}

// putDigits writes v right-aligned and zero-filled into dst.
func putDigits(dst []byte, v int64) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = byte('0' + v%10)
		v /= 10
	}
}

// putText writes s left-aligned and space-filled; s is already folded and
// cut by the caller, so excess bytes are dropped deterministically here.
func putText[S ~string | ~[]byte](dst []byte, s S) {
	n := copy(dst, s)
	for n < len(dst) {
		n += copy(dst[n:], spaces)
	}
}

// codeChars reports whether s is made of digits and upper-case letters only,
// the shape of codes (operation codes, account numbers, qualifiers).
func codeChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && !isUpper(s[i]) {
			return false
		}
	}
	return true
}
