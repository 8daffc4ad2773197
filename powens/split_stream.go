package powens

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/go-json-experiment/json/jsontext"
)

// Section is a byte range of a body: Len bytes from Off.
type Section struct{ Off, Len int64 }

// errUnusual is a body splitTransactionsFrom leaves to the whole-body path.
var errUnusual = errors.New("unusual body")

// SplitBody is a CONNECTION_SYNCED body decoded but for its transactions.
type SplitBody struct {
	Synced *ConnectionSynced
	// Arrays are where each account's transactions array is in the body,
	// by account index; Len 0 for an account whose transactions member
	// was not an array (it is then in Synced, as sent: null, say).
	Arrays []Section
	// Envelope is the body with those arrays replaced by [].
	Envelope []byte
}

// ConnectionSyncedFrom decodes a CONNECTION_SYNCED body read from r without
// holding it in memory (issue 15, item 5): as DecodeConnectionSynced, but
// each account's transactions stay in the body, at the Section returned by
// account index (Len 0 when the account has no transactions member), for
// DecodeTransactionsAt. The body is validated as it streams past.
//
// ok is false when the body has what the scan leaves to encoding/json
// (escaped or repeated names where transactions are looked for): then
// decode it whole with DecodeConnectionSynced. Both give the same result
// (TestConnectionSyncedFrom_SameAsWholeBody, FuzzConnectionSyncedFrom).
func ConnectionSyncedFrom(r io.Reader) (b *SplitBody, ok bool, err error) {
	envelope, arrays, err := splitTransactionsFrom(r)
	if errors.Is(err, errUnusual) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	p := &ConnectionSynced{}
	if err := json.Unmarshal(envelope, p); err != nil {
		return nil, false, err
	}
	n := 0
	if p.Connection != nil {
		n = len(p.Connection.Accounts)
	}
	// One section per account (those the scan found are all within n).
	arrays = append(arrays[:min(len(arrays), n)], make([]Section, max(0, n-len(arrays)))...)
	return &SplitBody{Synced: p, Arrays: arrays, Envelope: envelope}, true, nil
}

// splitTransactionsFrom is splitTransactions over a stream: it returns the
// body with every connection.accounts[i].transactions array replaced by [],
// and where those arrays are.
func splitTransactionsFrom(r io.Reader) (envelope []byte, arrays []Section, err error) {
	d := jsontext.NewDecoder(r, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	var out bytes.Buffer
	s := &splitter{d: d, out: &out}
	if err := s.value(0, ""); err != nil {
		return nil, nil, err
	}
	if _, err := d.ReadToken(); !errors.Is(err, io.EOF) {
		if err == nil {
			err = errors.New("invalid character after top-level value")
		}
		return nil, nil, notJSON(err)
	}
	return out.Bytes(), s.arrays, nil
}

type splitter struct {
	d      *jsontext.Decoder
	out    *bytes.Buffer
	arrays []Section
	index  int64 // of the account being read
}

// value copies the value the decoder is at, at depth, reached by name
// (the member name or, in an array, ""), descending only along
// connection.accounts[i].transactions.
func (s *splitter) value(depth int, name string) error {
	kind := s.d.PeekKind()
	descend := (depth == 0 && kind == '{') ||
		(depth == 1 && name == "connection" && kind == '{') ||
		(depth == 2 && name == "accounts" && kind == '[') ||
		(depth == 3 && kind == '{')
	if depth == 4 && name == "transactions" && kind == '[' {
		start := s.d.InputOffset()
		if err := s.d.SkipValue(); err != nil {
			return notJSON(err)
		}
		for int64(len(s.arrays)) <= s.index {
			s.arrays = append(s.arrays, Section{})
		}
		s.arrays[s.index] = Section{Off: start, Len: s.d.InputOffset() - start}
		s.out.WriteString("[]")
		return nil
	}
	if !descend {
		v, err := s.d.ReadValue()
		if err != nil {
			return notJSON(err)
		}
		s.out.Write(v)
		return nil
	}
	open, err := s.d.ReadToken()
	if err != nil {
		return notJSON(err)
	}
	s.out.WriteByte(byte(open.Kind()))
	var seen map[string]bool
	for i := int64(0); ; i++ {
		if k := s.d.PeekKind(); k == '}' || k == ']' {
			break
		} else if k == 0 {
			_, err := s.d.ReadToken()
			return notJSON(err)
		}
		if i > 0 {
			s.out.WriteByte(',')
		}
		member := ""
		if open.Kind() == '{' {
			raw, err := s.d.ReadValue() // the name, as sent
			if err != nil {
				return notJSON(err)
			}
			if bytes.IndexByte(raw, '\\') >= 0 {
				return errUnusual // an escaped name might spell one we look for
			}
			member = string(raw[1 : len(raw)-1])
			// encoding/json keeps the last of repeated names; rather than
			// mimic it, leave such bodies to it.
			if seen == nil {
				seen = map[string]bool{}
			}
			if seen[member] {
				return errUnusual
			}
			seen[member] = true
			s.out.Write(raw)
			s.out.WriteByte(':')
		} else if depth == 2 {
			s.index = i
		}
		if err := s.value(depth+1, member); err != nil {
			return err
		}
	}
	close, err := s.d.ReadToken()
	if err != nil {
		return notJSON(err)
	}
	s.out.WriteByte(byte(close.Kind()))
	return nil
}

// DecodeTransactionsAt is DecodeTransactions for the array at sec of a body
// read through r: it reads one transaction at a time, and fn borrows each
// as there. A body whose array
// does not decode is read again, that array only, to say which member of
// which transaction is at fault.
func DecodeTransactionsAt(r io.ReaderAt, sec Section, fn func(i int, t *Transaction) error) error {
	if sec.Len == 0 {
		return nil
	}
	in, err := sectionArray(r, sec)
	if err != nil {
		return err
	}
	return decodeOrFallBack(in, fn, func(fn func(int, *Transaction) error) error {
		return decodeSectionV1(r, sec, fn)
	})
}

// sectionArray reads the array at sec of the body read through r: the
// section starts at the member's name, so it is read from past the colon.
func sectionArray(r io.ReaderAt, sec Section) (*bufio.Reader, error) {
	in := bufio.NewReaderSize(io.NewSectionReader(r, sec.Off, sec.Len), 64<<10)
	if _, err := in.ReadBytes(':'); err != nil {
		return nil, err
	}
	return in, nil
}

// decodeSectionV1 is DecodeTransactionsAt with encoding/json alone.
func decodeSectionV1(r io.ReaderAt, sec Section, fn func(i int, t *Transaction) error) error {
	in, err := sectionArray(r, sec)
	if err != nil {
		return err
	}
	err = decodeTransactions(in, fn)
	if err == nil || !errors.As(err, new(*TransactionsError)) {
		return err
	}
	// Say where, as the whole-body path does, from the array alone.
	raw := make([]byte, sec.Len)
	if _, err := r.ReadAt(raw, sec.Off); err != nil {
		return err
	}
	raw = raw[bytes.IndexByte(raw, ':')+1:]
	return decodeTransactionsV1(raw, func(int, *Transaction) error { return nil })
}

// ArrayHasElements reports whether the array at sec of the body read
// through r has at least one element, reading only up to the first.
func ArrayHasElements(r io.ReaderAt, sec Section) (bool, error) {
	in := bufio.NewReaderSize(io.NewSectionReader(r, sec.Off, sec.Len), 512)
	opened := false
	for {
		c, err := in.ReadByte()
		if err != nil {
			return false, err
		}
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ':':
		case c == '[' && !opened:
			opened = true
		default:
			return opened && c != ']', nil
		}
	}
}

// TransactionsError is a transactions array that does not decode.
type TransactionsError struct{ Err error }

func (e *TransactionsError) Error() string { return e.Err.Error() }
func (e *TransactionsError) Unwrap() error { return e.Err }

// decodeTransactions streams a JSON array of transactions (or null) from r.
func decodeTransactions(r io.Reader, fn func(i int, t *Transaction) error) error {
	d := json.NewDecoder(r)
	tok, err := d.Token()
	if err != nil {
		return &TransactionsError{err}
	}
	if tok == nil {
		return nil
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '[' {
		return &TransactionsError{fmt.Errorf("transactions is not an array")}
	}
	for i := 0; d.More(); i++ {
		var t Transaction
		if err := d.Decode(&t); err != nil {
			return &TransactionsError{err}
		}
		if err := fn(i, &t); err != nil {
			return err
		}
	}
	if _, err := d.Token(); err != nil {
		return &TransactionsError{err}
	}
	return nil
}
