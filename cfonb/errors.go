package cfonb

import "fmt"

// Error is a format error found by the Reader. Line and Column are 1-based;
// Column points at the offending character when one character is at fault
// (a lower-case letter, a bad sign) and at the start of the field otherwise
// (an impossible date, a balance that does not add up), so that a person can
// open the file at that place. Msg says what is wrong in plain words.
type Error struct {
	Line   int
	Column int
	Msg    string
}

// Error returns "line L, column C: message".
func (e *Error) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// errorf builds an *Error; columns are 1-based like the positions of the
// CFONB tables, so callers pass the position printed in the standard.
func errorf(line, column int, format string, args ...any) *Error {
	return &Error{Line: line, Column: column, Msg: fmt.Sprintf(format, args...)}
}

// IBANError reports an IBAN that cannot give a French RIB: malformed, from
// another country, or failing the IBAN or RIB checksum.
type IBANError struct {
	IBAN string
	Msg  string
	// Problem names what is wrong, for callers that say it in their own
	// words (another language); Msg says it in English.
	Problem IBANProblem
}

// IBANProblem is what an IBANError finds wrong.
type IBANProblem int

// The problems of an IBAN.
const (
	IBANShape         IBANProblem = iota + 1 // not two letters, two check digits and 11 to 30 letters or digits
	IBANChecksum                             // the MOD 97-10 check fails
	IBANCountry                              // not France or Monaco
	IBANLength                               // a French IBAN of another length than 27
	IBANAccountNumber                        // the RIB's account number has a character a RIB does not allow
	IBANRIBKey                               // the RIB key does not match bank, branch and account number
)

// Error returns "iban "FR76…": problem".
func (e *IBANError) Error() string {
	return fmt.Sprintf("iban %q: %s", e.IBAN, e.Msg)
}
