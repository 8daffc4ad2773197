package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStorableText(t *testing.T) {
	// Expected values written by hand: U+FFFD is "\xef\xbf\xbd".
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"CB CAFE DE PARIS", "CB CAFE DE PARIS"},
		{"Prélèvement €", "Prélèvement €"},
		{"CB\x00CAFE", "CB\uFFFDCAFE"},
		{"\x00\x00", "\uFFFD\uFFFD"},
		{"VIR \xff\xfe SEPA", "VIR \uFFFD\uFFFD SEPA"}, // each stray byte
		{"caf\xc3", "caf\uFFFD"},                       // half of "é", cut at the end
		{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},         // a UTF-16 surrogate written as UTF-8
		{"\uFFFD stays", "\uFFFD stays"},               // already replaced: unchanged
		{"tab\tnew\nline\x01", "tab\tnew\nline\x01"},   // other control characters are text
	} {
		if got := storableText(tc.in); got != tc.want {
			t.Errorf("storableText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzStorableText checks storableText against encoding/json, which
// replaces each byte that is not UTF-8 by U+FFFD when it decodes a string:
// apart from NUL (which JSON keeps and PostgreSQL cannot), both must agree.
//
//	go test ./store -run '^$' -fuzz FuzzStorableText
func FuzzStorableText(f *testing.F) {
	for _, s := range []string{"", "CB\x00CAFE", "VIR \xff\xfe", "caf\xc3", "\xed\xa0\x80", "é€😀", "\xf4\x90\x80\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := storableText(s)
		if !utf8.ValidString(got) || strings.IndexByte(got, 0) >= 0 {
			t.Fatalf("storableText(%q) = %q: not storable on PostgreSQL", s, got)
		}
		if again := storableText(got); again != got {
			t.Fatalf("storableText is not stable: %q, then %q", got, again)
		}
		// The oracle: a JSON string holding s's bytes raw (control
		// characters and the two JSON specials escaped), decoded.
		var doc strings.Builder
		doc.WriteByte('"')
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c == '"' || c == '\\':
				doc.WriteString(`\` + string(c))
			case c < 0x20:
				doc.WriteString(`\u00` + "0123456789abcdef"[c>>4:c>>4+1] + "0123456789abcdef"[c&15:c&15+1])
			default:
				doc.WriteByte(c)
			}
		}
		doc.WriteByte('"')
		var decoded string
		if err := json.Unmarshal([]byte(doc.String()), &decoded); err != nil {
			t.Fatalf("oracle: %v", err)
		}
		if want := strings.ReplaceAll(decoded, "\x00", "\uFFFD"); got != want {
			t.Fatalf("storableText(%q) = %q, encoding/json gives %q", s, got, want)
		}
	})
}

// TestRefusedByDatabase_SQLite classifies errors SQLite really returns: a
// constraint is a refusal (retrying cannot help), a busy database is not.
func TestRefusedByDatabase_SQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "f.db")
	open := func() *sql.DB {
		db, err := sql.Open(SQLiteDriver, "file:"+path+"?_busy_timeout=0&_journal_mode=WAL&_txlock=immediate")
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(), open()
	if _, err := a.ExecContext(ctx, `CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ExecContext(ctx, `INSERT INTO t (v) VALUES ('x')`); err != nil {
		t.Fatal(err)
	}
	_, unique := a.ExecContext(ctx, `INSERT INTO t (v) VALUES ('x')`)
	_, notNull := a.ExecContext(ctx, `INSERT INTO t (v) VALUES (NULL)`)
	_, mismatch := a.ExecContext(ctx, `INSERT INTO t (k, v) VALUES ('not a number', 'y')`)
	for name, err := range map[string]error{"unique": unique, "not null": notNull, "datatype mismatch": mismatch} {
		if err == nil || !refusedByDatabase(err) {
			t.Errorf("%s: %v, want a refusal", name, err)
		}
	}
	tx, err := a.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES ('z')`); err != nil {
		t.Fatal(err)
	}
	_, busy := b.ExecContext(ctx, `INSERT INTO t (v) VALUES ('w')`)
	if busy == nil || refusedByDatabase(busy) {
		t.Errorf("a write while another holds the lock: %v, want a busy error, not a refusal", busy)
	}
	if refusedByDatabase(context.DeadlineExceeded) || refusedByDatabase(sql.ErrConnDone) {
		t.Error("errors without a database answer are refusals")
	}
}
