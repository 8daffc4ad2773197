package store

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// upsertSpec describes an idempotent multi-row upsert keyed by Powens ids.
// On conflict a row is updated only when the incoming event is not older than
// the one that last wrote it (event_id) and something actually changed, so a
// re-delivered or replayed event rewrites nothing and an older event never
// overwrites a newer one.
type upsertSpec struct {
	table    string
	conflict string   // the unique key, e.g. "account_id, powens_id"
	columns  []string // inserted, in argument order; must include event_id and updated_at
	// fixed columns are set on insert only (identity, creation time).
	fixed []string
	// merge gives an update expression other than excluded.<col>, e.g. to keep a
	// known value when a payload omits it.
	merge     map[string]string
	returning string
	// shared columns hold the same value in every row of a statement (the
	// user, the event, its clock): on SQLite the multi-row form binds each
	// once, as parameter number shared[c], and the rows' own parameters
	// follow them. Unused by PostgreSQL's forms.
	shared map[string]int
	// clause, when set, is the spec whose ON CONFLICT clause this one
	// shares: a narrower insert of the same table, its left-out columns
	// taking their default in excluded.* as the full one's NULLs would.
	clause *upsertSpec

	cache sync.Map // [rows, engine] → SQL text
}

// bookkeeping columns are updated with the row but do not make it "changed":
// search_text, search_numbers and search_words (PostgreSQL) follow the
// wordings and the counterparty's label, and a row stored with an earlier
// form of them (before migrations 00240 and 00280, or restored) is not
// rewritten for them alone: the search finds every form.
func isBookkeeping(c string) bool {
	switch c {
	case "event_id", "updated_at", "search_text", "search_numbers", "search_words":
		return true
	}
	return false
}

// conflictClause is the ON CONFLICT … DO UPDATE … WHERE … tail shared by
// every form of the statement.
func (u *upsertSpec) conflictClause() string {
	if u.clause != nil {
		return u.clause.conflictClause()
	}
	var set, mine, theirs []string
	for _, c := range u.columns {
		if slices.Contains(u.fixed, c) {
			continue
		}
		expr := "excluded." + c
		if m, ok := u.merge[c]; ok {
			expr = m
		}
		set = append(set, c+" = "+expr)
		if !isBookkeeping(c) {
			mine = append(mine, u.table+"."+c)
			theirs = append(theirs, expr)
		}
	}
	q := " ON CONFLICT (" + u.conflict + ") DO UPDATE SET " + strings.Join(set, ", ") +
		" WHERE excluded.event_id >= " + u.table + ".event_id AND (" + strings.Join(mine, ", ") +
		") IS DISTINCT FROM (" + strings.Join(theirs, ", ") + ")"
	if u.returning != "" {
		q += " RETURNING " + u.returning
	}
	return q
}

// unnestSQL is the PostgreSQL form taking one array per column (types gives
// each array's SQL type): 37 parameters whatever the number of rows, where
// the VALUES form binds one parameter per cell.
func (u *upsertSpec) unnestSQL(types []string) string {
	casts := make([]string, len(u.columns))
	for i := range u.columns {
		casts[i] = "$" + strconv.Itoa(i+1) + "::" + types[i] + "[]"
	}
	return "INSERT INTO " + u.table + " (" + strings.Join(u.columns, ", ") + ") SELECT * FROM unnest(" +
		strings.Join(casts, ", ") + ")" + u.conflictClause()
}

// sharedParams is how many parameters the shared columns take.
func (u *upsertSpec) sharedParams() int {
	n := 0
	for _, k := range u.shared {
		n = max(n, k)
	}
	return n
}

// sql returns the statement for n rows. On SQLite, placeholders are plain
// "?", or "?N" when shared columns are bound once: SQLite treats "$N" as a
// named parameter and resolves names by a linear scan, which made a 400-row
// statement (14,800 parameters) quadratic — 100 times slower than the insert
// itself — while "?N" is a number. Shared columns come first in the
// arguments, then each row's other columns in order.
func (u *upsertSpec) sql(n int, engine Engine) string {
	key := [2]int{n, 0}
	if engine == SQLite {
		key[1] = 1
	}
	if q, ok := u.cache.Load(key); ok {
		return q.(string)
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + u.table + " (" + strings.Join(u.columns, ", ") + ") VALUES ")
	p := 1
	if engine == SQLite {
		p += u.sharedParams()
	}
	for r := 0; r < n; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c, name := range u.columns {
			if c > 0 {
				b.WriteString(", ")
			}
			switch k, shared := u.shared[name]; {
			case engine == SQLite && shared:
				b.WriteString("?" + strconv.Itoa(k))
				continue
			case engine == SQLite && len(u.shared) > 0:
				// Numbered, since the shared ones come back in every
				// row; SQLite reads "?N" by its number, no lookup.
				b.WriteString("?" + strconv.Itoa(p))
			case engine == SQLite:
				b.WriteByte('?')
			default:
				b.WriteString("$" + strconv.Itoa(p))
			}
			p++
		}
		b.WriteByte(')')
	}
	b.WriteString(u.conflictClause())
	q := b.String()
	u.cache.Store(key, q)
	return q
}
