package cfonb

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseIBAN(t *testing.T) {
	// The verified examples of reference §5.
	tests := []struct {
		iban string
		want RIB
	}{
		{"FR76 3000 6000 0112 3456 7890 189", RIB{"30006", "00001", "12345678901", "89"}},
		{"FR14 2004 1010 0505 0001 3M02 606", RIB{"20041", "01005", "0500013M026", "06"}},
		{"FR7630001007941234567890185", RIB{"30001", "00794", "12345678901", "85"}},
		{"fr7630001007941234567890185", RIB{"30001", "00794", "12345678901", "85"}},
	}
	for _, tc := range tests {
		got, err := ParseIBAN(tc.iban)
		if err != nil {
			t.Fatalf("ParseIBAN(%q): %v", tc.iban, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParseIBAN(%q) (-want +got):\n%s", tc.iban, diff)
		}
		if err := ValidateIBAN(tc.iban); err != nil {
			t.Errorf("ValidateIBAN(%q): %v", tc.iban, err)
		}
		if key, err := RIBKey(got.BankCode, got.BranchCode, got.AccountNumber); err != nil || key != tc.want.Key {
			t.Errorf("RIBKey(%v)=%q, %v, want %q", got, key, err, tc.want.Key)
		}
	}
}

func TestParseIBAN_Errors(t *testing.T) {
	tests := []struct {
		iban, want string
		problem    IBANProblem
	}{
		{"FR7730006000011234567890189", "check digits 77 are wrong", IBANChecksum},
		{"FR7630006000011234567890188", "check digits 76 are wrong", IBANChecksum}, // key changed: the IBAN check catches it first
		{"FR0630006000011234567890188", "RIB key 88 is wrong", IBANRIBKey},         // IBAN recomputed over a wrong key
		{"DE89370400440532013000", "country DE is not France", IBANCountry},
		{"FR76300060000112345678901", "has 25 characters, a French IBAN has 27", IBANLength},
		{"FR763000600001123456789018", "has 26 characters, a French IBAN has 27", IBANLength},
		{"", "has 0 characters", IBANShape},
		{"F176300060000112345678901890", "does not start with a two-letter country code", IBANShape},
		{"FRXX30006000011234567890189", "are not check digits", IBANShape},
		{"FR76300060000112345678901-9", `"-" is neither a digit nor a letter`, IBANShape},
		{"FR1430006000011234567890_89", `"_" is neither`, IBANShape},
	}
	for _, tc := range tests {
		_, err := ParseIBAN(tc.iban)
		var ie *IBANError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) || ie.Problem != tc.problem {
			t.Errorf("ParseIBAN(%q) err=%v, want an *IBANError containing %q, problem %d", tc.iban, err, tc.want, tc.problem)
		}
	}
}

func TestValidateIBAN_OtherCountries(t *testing.T) {
	for _, iban := range []string{"DE89370400440532013000", "GB82 WEST 1234 5698 7654 32", "MC5811222000010123456789030"} {
		if err := ValidateIBAN(iban); err != nil {
			t.Errorf("ValidateIBAN(%q): %v", iban, err)
		}
	}
	if err := ValidateIBAN("GB83WEST12345698765432"); err == nil {
		t.Error("ValidateIBAN accepted a wrong GB checksum")
	}
}

func TestRIBKey_Errors(t *testing.T) {
	for _, args := range [][3]string{{"3000", "00001", "12345678901"}, {"30006", "0000A", "12345678901"}, {"30006", "00001", "1234567890"}, {"30006", "00001", "1234567890a"}} {
		if key, err := RIBKey(args[0], args[1], args[2]); err == nil {
			t.Errorf("RIBKey%q=%q, want an error", args, key)
		}
	}
}

func TestAccountFromIBAN(t *testing.T) {
	got, err := AccountFromIBAN("FR1420041010050500013M02606")
	if err != nil {
		t.Fatal(err)
	}
	want := Account{BankCode: "20041", BranchCode: "01005", AccountNumber: "0500013M026", RIBKey: "06", Currency: "EUR", Exponent: 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestRIBKey_Letters(t *testing.T) {
	// Letters count as digits by the RIB table: A,J→1 … I,R,Z→9, S→2.
	digits, err := RIBKey("30006", "00001", "19234567892")
	if err != nil {
		t.Fatal(err)
	}
	for _, acct := range []string{"AIBCDEFGHI2", "JRKLMNOPQR2", "AZSTUVWXYZ2"} {
		if got, err := RIBKey("30006", "00001", acct); err != nil || got != digits {
			t.Errorf("RIBKey(%q)=%q, %v, want %q like its digits", acct, got, err, digits)
		}
	}
}
