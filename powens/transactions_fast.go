package powens

import (
	"errors"
	"fmt"
	"io"

	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// Transactions are most of a sync's body, and decoding them with
// encoding/json was the largest cost of ingesting one after the database
// (issue 15, item 4). They are read with go-json-experiment's jsontext
// under encoding/json's syntax rules (v1Rules: repeated names and invalid
// UTF-8 pass the tokenizer), and each transaction is decoded by hand from
// its tokens (decodeTransaction), which costs a fraction. An array the
// fast decoder refuses is decoded again by encoding/json from the first
// transaction not yet given, so errors read as they always did and a
// transaction the fast decoder leaves to encoding/json is not lost
// (TestDecodeTransactions_SameAsEncodingJSON, FuzzDecodeTransactions).

// v1Rules are go-json-experiment's options that mimic encoding/json: the
// tokenizer lets repeated names and invalid UTF-8 through, as encoding/json
// does, and the hand decoder refuses both for encoding/json to decide.
var v1Rules = jsonv1.DefaultOptionsV1()

// callbackError carries fn's own error through the fast decoder, told
// apart from a decoding error.
type callbackError struct{ err error }

func (e *callbackError) Error() string { return e.err.Error() }

// decodeTransactionsFast calls fn for each transaction of the JSON array
// r holds and returns how many it gave fn. A decoding error is
// returned as it is, fn's as a *callbackError.
func decodeTransactionsFast(r io.Reader, fn func(i int, t *Transaction) error) (int, error) {
	d := jsontext.NewDecoder(r, v1Rules)
	tok, err := d.ReadToken()
	if err != nil {
		return 0, err
	}
	if tok.Kind() != '[' {
		// null among them: the callers' own rules say which nulls count
		// as no transactions.
		return 0, fmt.Errorf("transactions is not an array")
	}
	x := &txDecoder{d: d}
	// One Transaction serves every element, cleared before each: fn only
	// borrows it (see DecodeTransactions). A new one each was 456 bytes on
	// the heap per transaction, 23 MB of garbage an event of 50,000.
	t := new(Transaction)
	i := 0
	for ; d.PeekKind() != ']'; i++ {
		*t = Transaction{}
		if err := x.decodeTransaction(t); err != nil {
			return i, err
		}
		if err := fn(i, t); err != nil {
			return i, &callbackError{err}
		}
	}
	if _, err := d.ReadToken(); err != nil {
		return i, err
	}
	return i, nil
}

// decodeOrFallBack runs decodeTransactionsFast on r; when it refuses the
// array, slow decodes it again with encoding/json, giving fn only the
// transactions from the first one it did not get.
func decodeOrFallBack(r io.Reader, fn func(i int, t *Transaction) error, slow func(fn func(int, *Transaction) error) error) error {
	n, err := decodeTransactionsFast(r, fn)
	if err == nil {
		return nil
	}
	var ce *callbackError
	if errors.As(err, &ce) {
		return ce.err
	}
	return slow(func(i int, t *Transaction) error {
		if i < n {
			return nil // given already
		}
		return fn(i, t)
	})
}
