package store

import (
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

	cache sync.Map // rows → SQL text
}

// bookkeeping columns are updated with the row but do not make it "changed".
func isBookkeeping(c string) bool { return c == "event_id" || c == "updated_at" }

// sql returns the statement for n rows.
func (u *upsertSpec) sql(n int) string {
	if q, ok := u.cache.Load(n); ok {
		return q.(string)
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + u.table + " (" + strings.Join(u.columns, ", ") + ") VALUES ")
	p := 1
	for r := 0; r < n; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range u.columns {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(p))
			p++
		}
		b.WriteByte(')')
	}
	var set, mine, theirs []string
	for _, c := range u.columns {
		if contains(u.fixed, c) {
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
	b.WriteString(" ON CONFLICT (" + u.conflict + ") DO UPDATE SET " + strings.Join(set, ", "))
	b.WriteString(" WHERE excluded.event_id >= " + u.table + ".event_id AND (" + strings.Join(mine, ", ") +
		") IS DISTINCT FROM (" + strings.Join(theirs, ", ") + ")")
	if u.returning != "" {
		b.WriteString(" RETURNING " + u.returning)
	}
	q := b.String()
	u.cache.Store(n, q)
	return q
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
