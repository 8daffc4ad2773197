package store

import (
	"context"
	"database/sql"
	"strings"
	"unicode/utf8"
)

// storableText returns s as both engines store it. PostgreSQL's text type
// cannot hold NUL and refuses bytes that are not UTF-8, where SQLite keeps
// both: each NUL, and each byte that is not part of valid UTF-8 (as
// encoding/json decodes such bytes), becomes U+FFFD on both engines, so that
// one stray byte in what Powens sends can neither stall an event on
// PostgreSQL nor make the two engines hold different text.
func storableText(s string) string {
	if isStorableText(s) {
		return s // nearly always: two fast scans, no copy
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0 || (r == utf8.RuneError && size == 1) {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isStorableText reports whether storableText(s) is s.
func isStorableText(s string) bool { return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) }

// storableArgs replaces, in place, every text argument by its storable
// form: strings, and the string arrays of PostgreSQL's column-array upserts.
func storableArgs(args []any) []any {
	for i, a := range args {
		switch v := a.(type) {
		case string:
			// Only a changed text is stored back: boxing a string in an
			// interface allocates, 37 times a row on SQLite's batches.
			if !isStorableText(v) {
				args[i] = storableText(v)
			}
		case []*string:
			for _, p := range v {
				if p != nil {
					*p = storableText(*p)
				}
			}
		}
	}
	return args
}

// textTx is the transaction an event's writes go through: every statement
// it runs gets storable text (storableArgs), so the rule holds in one place
// for every table ingestion writes, whichever statement writes it.
type textTx struct{ tx *sql.Tx }

func (t textTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, query, storableArgs(args)...)
}

func (t textTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, query, storableArgs(args)...)
}

func (t textTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, query, storableArgs(args)...)
}
