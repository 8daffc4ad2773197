package store

import (
	"strings"

	textfold "github.com/freenahi/freenahi/internal/fold"
)

// fold lower-cases s and strips accents, so that searching "prelevement"
// finds "PRÉLÈVEMENT" the same way on SQLite and PostgreSQL.
func fold(s string) string { return textfold.String(s) }

// likeEscape escapes LIKE wildcards in user text (with ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
