package cfonb

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// Reader reads CFONB 120 files strictly, one statement at a time: memory
// holds one statement, never the whole file. Every record must be 120
// characters of the CFONB set followed by CRLF, records must come as 01,
// 04 (each with its 05s), 07, the account must not change inside a
// statement, the 07 must equal the 01 plus the movements, and a statement
// must start where the previous statement of the same account ended.
//
// Format errors are *Error values with the line and column of the fault;
// the first error ends the reading and is returned again by later calls.
type Reader struct {
	// SkipChainCheck turns off the check that a statement's 01 repeats the
	// date and balance of the previous 07 of the same account; the worked
	// example of the reference, for one, deliberately breaks the chain.
	SkipChainCheck bool

	br    *bufio.Reader
	line  int
	err   error
	chain map[identity]chainPoint
	label []byte // scratch for joining a label with its LIB records
}

// identity is the account zone of a record: bank, branch, currency,
// decimals and account number, the parts that never change in a statement.
type identity [5 + 5 + 3 + 1 + accountWidth]byte

// chainPoint is where a statement of an account ended.
type chainPoint struct {
	line    int
	date    day
	balance int64
}

// NewReader returns a Reader reading from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 4096), chain: make(map[identity]chainPoint)}
}

// Next returns the next statement, or io.EOF after the last one. A file
// with no record at all is an error: it is not a CFONB 120 file.
func (r *Reader) Next() (*Statement, error) {
	if r.err != nil {
		return nil, r.err
	}
	st, err := r.next()
	if err != nil {
		r.err = err
	}
	return st, err
}

func (r *Reader) next() (*Statement, error) {
	rec, err := r.readRecord()
	if err == io.EOF && r.line == 0 {
		return nil, errorf(1, 1, "empty file: a CFONB 120 file holds at least one statement (01 … 07)")
	}
	if err != nil {
		return nil, err
	}
	if code := string(rec[:2]); code != "01" {
		return nil, errorf(r.line, 1, "record %s where a statement must begin with a 01 (old balance)", code)
	}
	st, open, err := r.opening(rec)
	if err != nil {
		return nil, err
	}
	id := identityOf(rec)
	start, sum := r.line, int64(0)
	var cur *pending
	for {
		rec, err := r.readRecord()
		if err == io.EOF {
			return nil, errorf(r.line+1, 1, "file ends inside the statement begun at line %d: its 07 (new balance) is missing", start)
		}
		if err != nil {
			return nil, err
		}
		code := string(rec[:2])
		if code == "01" {
			return nil, errorf(r.line, 1, "record 01 inside the statement begun at line %d, which has no 07 (new balance) yet", start)
		}
		if err := r.sameAccount(rec, id, start); err != nil {
			return nil, err
		}
		switch code {
		case "04":
			r.finish(st, cur)
			if cur, err = r.movement(rec); err != nil {
				return nil, err
			}
			var ok bool
			if sum, ok = addBalance(sum, cur.AmountMinor); !ok {
				return nil, errorf(r.line, posAmount+1, "the movements of the statement overflow a 64-bit sum")
			}
		case "05":
			if cur == nil {
				return nil, errorf(r.line, 1, "record 05 (complement) does not follow a 04 (movement)")
			}
			if err := r.complement(rec, cur); err != nil {
				return nil, err
			}
		case "07":
			r.finish(st, cur)
			if err := r.closing(rec, st, open, sum); err != nil {
				return nil, err
			}
			return st, nil
		}
	}
}

// readRecord returns the next record without its CRLF, checked for length,
// line ending, record code and character set, or io.EOF at the end.
func (r *Reader) readRecord() ([]byte, error) {
	b, err := r.br.ReadSlice('\n')
	switch {
	case err == io.EOF && len(b) == 0:
		return nil, io.EOF
	case err == bufio.ErrBufferFull:
		r.line++
		return nil, r.lengthError(b, len(b))
	case err != nil && err != io.EOF:
		return nil, fmt.Errorf("cfonb: read line %d: %w", r.line+1, err)
	}
	r.line++
	rec, ending := b, ""
	if bytes.HasSuffix(rec, []byte("\r\n")) {
		rec, ending = rec[:len(rec)-2], "CRLF"
	} else if bytes.HasSuffix(rec, []byte("\n")) {
		rec, ending = rec[:len(rec)-1], "LF"
	}
	if len(rec) != recordLen {
		return nil, r.lengthError(rec, len(rec))
	}
	switch ending {
	case "LF":
		return nil, errorf(r.line, recordLen+1, "record ends with LF only: CFONB 120 records end with CRLF (the file uses Unix line endings)")
	case "":
		return nil, errorf(r.line, recordLen+1, "the last record has no line ending: every record, the last one too, ends with CRLF")
	}
	return rec, r.checkChars(rec)
}

// lengthError explains a record of the wrong length, pointing first at a
// non-ASCII byte (one accented letter in UTF-8 makes a record 121 bytes
// long) or at a lone CR (old Mac line endings run records together).
func (r *Reader) lengthError(rec []byte, n int) error {
	head := rec[:min(len(rec), recordLen+1)]
	for i, c := range head {
		if c >= 0x80 {
			return errorf(r.line, i+1, "byte 0x%02X is not ASCII (CFONB 120 is ASCII only)", c)
		}
	}
	if i := bytes.IndexByte(head, '\r'); i >= 0 {
		return errorf(r.line, i+1, "CR without LF: CFONB 120 records end with CRLF")
	}
	if n < recordLen {
		return errorf(r.line, n+1, "record is %d characters long, want 120", n)
	}
	return errorf(r.line, recordLen+1, "record is longer than 120 characters (records must end with CRLF after character 120)")
}

// checkChars checks the record code and that every character is in the
// CFONB set; amount zones are left to decodeAmount, whose last character is
// a sign letter or brace.
func (r *Reader) checkChars(rec []byte) error {
	code := string(rec[:2])
	switch code {
	case "01", "04", "05", "07":
	default:
		return errorf(r.line, 1, "record code %q is not 01, 04, 05 or 07", rec[:2])
	}
	for i, c := range rec {
		if code != "05" && i >= posAmount && i < posAmount+amountWidth {
			continue
		}
		if c >= 0x80 {
			return errorf(r.line, i+1, "byte 0x%02X is not ASCII (CFONB 120 is ASCII only)", c)
		}
		if !Allowed(c) {
			return errorf(r.line, i+1, "character %q is not allowed (CFONB 120 text is digits, upper-case letters, space and * - . / ( ) only)", rec[i:i+1])
		}
	}
	return nil
}

// sameAccount checks that a record repeats the identity of its statement's 01.
func (r *Reader) sameAccount(rec []byte, id identity, start int) error {
	got := identityOf(rec)
	if got == id {
		return nil
	}
	zones := []struct {
		name     string
		pos, off int
		width    int
	}{
		{"bank code", posBank, 0, 5}, {"branch code", posBranch, 5, 5}, {"currency", posCurrency, 10, 3},
		{"number of decimals", posExponent, 13, 1}, {"account number", posAccount, 14, accountWidth},
	}
	for _, z := range zones {
		if !bytes.Equal(got[z.off:z.off+z.width], id[z.off:z.off+z.width]) {
			return errorf(r.line, z.pos+1, "%s %q differs from %q in the 01 at line %d: a statement covers one account",
				z.name, got[z.off:z.off+z.width], id[z.off:z.off+z.width], start)
		}
	}
	return errorf(r.line, posBank+1, "account zone differs from the 01 at line %d", start)
}

// identityOf extracts the account zone of a record.
func identityOf(rec []byte) identity {
	var id identity
	n := copy(id[:], rec[posBank:posBank+5])
	n += copy(id[n:], rec[posBranch:posBranch+5+3+1])
	copy(id[n:], rec[posAccount:posAccount+accountWidth])
	return id
}
