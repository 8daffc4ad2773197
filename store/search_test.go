package store_test

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// searchVocabulary mixes accents, punctuation glued to words, digits and a
// script other than Latin: what bank wordings hold. The long numbers share
// their first digits, as references do, and some go on with letters.
var searchVocabulary = []string{"PRÉLÈVEMENT", "EDF", "Chèque", "n°1234", "CARREFOUR", "Café", "SNCF", "loyer",
	"VIR", "SEPA", "Reçu", "AMAZON.FR", "frais_tenue", "Ελληνικά", "12/05", "URSSAF", "impôts", "Noël", "45,90",
	"cheques", "carte", "CB*NETFLIX", "Échéance", "prêt", "1234567", "REF:1234589", "123456AB", "12399", "00012345"}

// oracleFold is the test's own folding: NFD, drop combining marks, lower
// case (golang.org/x/text, not the store's code).
func oracleFold(s string) string {
	out, _, _ := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	return strings.ToLower(out)
}

var oracleWord = regexp.MustCompile(`[\pL\pN]+`)

// oracleText is a transaction's searchable text, folded by the oracle.
func oracleText(t *freenahi.Transaction) string {
	text := oracleFold(t.OriginalWording + " " + t.SimplifiedWording + " " + t.Wording)
	if t.Counterparty != nil {
		text += " " + oracleFold(t.Counterparty.Label)
	}
	return text
}

// oracleMatcher is the naive filter: every word of the query starts a word
// of the transaction's texts.
func oracleMatcher(query string) func(text string) bool {
	var res []*regexp.Regexp
	for _, w := range oracleWord.FindAllString(oracleFold(query), -1) {
		res = append(res, regexp.MustCompile(`(^|[^\pL\pN])`+regexp.QuoteMeta(w)))
	}
	return func(text string) bool {
		for _, re := range res {
			if !re.MatchString(text) {
				return false
			}
		}
		return true
	}
}

func randomWording(r *rand.Rand) string {
	n := 1 + r.IntN(4)
	words := make([]string, n)
	for i := range words {
		words[i] = searchVocabulary[r.IntN(len(searchVocabulary))]
	}
	return strings.Join(words, " ")
}

// randomQuery is one or two words of the vocabulary, some cut short, some
// in another case or without their accents, some not in it at all.
func randomQuery(r *rand.Rand) string {
	var parts []string
	for range 1 + r.IntN(2) {
		w := searchVocabulary[r.IntN(len(searchVocabulary))]
		switch r.IntN(5) {
		case 0:
			w = strings.ToLower(w)
		case 1:
			w = oracleFold(w)
		case 2:
			if rs := []rune(w); len(rs) > 2 {
				w = string(rs[:1+r.IntN(len(rs)-1)])
			}
		case 3:
			w = "zq" + w
		}
		parts = append(parts, w)
	}
	return strings.Join(parts, " ")
}

// TestSearch_MatchesNaiveFilter compares the indexed text search with the
// naive filter above over random wordings, after ingest, after a sync that
// rewrites wordings and moves transactions between accounts, and after
// another user (with the same words) is deleted.
func TestSearch_MatchesNaiveFilter(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		r := rand.New(rand.NewPCG(13, 5))
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		write := func(b *bank, txs []*freenahi.Transaction) {
			MustSync(t, s, b.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
		}
		gen := func(b *bank, n int) []*freenahi.Transaction {
			var txs []*freenahi.Transaction
			for i := range n {
				tx := &freenahi.Transaction{AccountID: b.checking.ID, PowensID: int64(i + 1), Currency: eur,
					Date: date("2026-01-01").AddDays(r.IntN(60)), ValueMinor: r.Int64N(20000) - 10000,
					OriginalWording: randomWording(r), Type: "card", Active: true}
				if r.IntN(3) == 0 {
					tx.SimplifiedWording = randomWording(r)
				}
				if r.IntN(7) == 0 {
					tx.Counterparty = &freenahi.Counterparty{Label: randomWording(r)}
				}
				txs = append(txs, tx)
			}
			return txs
		}
		mine, theirs := gen(ana, 300), gen(bob, 100)
		write(ana, mine)
		write(bob, theirs)
		check := func(stage string) {
			t.Helper()
			stored := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, Limit: 1000})
			texts := map[int64]string{}
			for _, tx := range mine {
				texts[tx.PowensID] = oracleText(tx)
			}
			matched := 0
			for range 60 {
				q := randomQuery(r)
				match := oracleMatcher(q)
				var want []int64
				for _, tx := range stored {
					if match(texts[tx.PowensID]) {
						want = append(want, tx.ID)
					}
				}
				got := idsOf(mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, Query: q, Limit: 41}))
				if !slices.Equal(got, want) {
					t.Fatalf("%s: search %q found %v, the naive filter %v", stage, q, got, want)
				}
				if len(want) > 0 && len(want) < len(stored) {
					matched++
				}
			}
			if matched < 20 {
				t.Fatalf("%s: only %d of 60 queries selected some but not all rows: the check is weak", stage, matched)
			}
		}
		check("after ingest")

		// A sync rewrites a third of the wordings and moves some rows to
		// the card account (Powens keeps their id).
		for _, tx := range mine {
			switch r.IntN(6) {
			case 0, 1:
				tx.OriginalWording = randomWording(r)
			case 2:
				tx.AccountID = ana.card.ID
			}
		}
		write(ana, mine)
		check("after a sync that changed wordings and moved rows")

		if err := s.DeleteUser(ctx, bob.user.ID); err != nil {
			t.Fatal(err)
		}
		check("after another user was deleted")
	})
}

// TestSearch_Accents holds hand-written cases of what a person types.
func TestSearch_Accents(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		txs := []*freenahi.Transaction{}
		for i, w := range []string{"CHÈQUE N°1234", "REMISE CHEQUES", "PRLV ÉLECTRICITÉ DE FRANCE", "CB CARREFOUR 12/05"} {
			txs = append(txs, &freenahi.Transaction{AccountID: ana.checking.ID, PowensID: int64(i + 1), Currency: eur,
				Date: date("2026-01-02"), ValueMinor: -100, OriginalWording: w, Type: "card", Active: true})
		}
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"cheque", []string{"CHÈQUE N°1234", "REMISE CHEQUES"}},
			{"Chèque 1234", []string{"CHÈQUE N°1234"}},
			{"electricite france", []string{"PRLV ÉLECTRICITÉ DE FRANCE"}},
			{"carref 12", []string{"CB CARREFOUR 12/05"}},
			{"arrefour", nil},
			{"cheque carrefour", nil},
		} {
			var got []string
			for _, tx := range mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, Query: tc.q}) {
				got = append(got, tx.OriginalWording)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("search %q found %q, want %q", tc.q, got, tc.want)
			}
		}
	})
}

// TestFindTransactions_Tag selects by a whole tag, never by part of one or
// by a tag of another user.
func TestFindTransactions_Tag(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		mine, theirs := mustSeedTransactions(t, s, ana, 1), mustSeedTransactions(t, s, bob, 2)
		tag := func(userID int64, tx seeded, tags ...string) {
			if _, err := s.EditTransaction(ctx, userID, tx.ID, freenahi.TransactionEdit{Tags: &tags}); err != nil {
				t.Fatal(err)
			}
		}
		tag(ana.user.ID, mine[0], "vacances", "50%_off")
		tag(ana.user.ID, mine[1], "vacances 2025")
		tag(ana.user.ID, mine[2], "pro", "vacances")
		tag(bob.user.ID, theirs[0], "vacances")
		for _, tc := range []struct {
			tag  string
			want []int64
		}{
			{"vacances", []int64{mine[0].ID, mine[2].ID}},
			{"vacances 2025", []int64{mine[1].ID}},
			{"50%_off", []int64{mine[0].ID}},
			{"vacan", nil},
			{"50%", nil},
		} {
			got := idsOf(mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, Tag: tc.tag, IncludeDeleted: true}))
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("tag %q: got %v, want %v", tc.tag, got, tc.want)
			}
		}
	})
}

// TestSearch_WordIndexEdges holds hand-written cases at the edges of
// PostgreSQL's word index (migration 00130), the same on both engines: a
// run its text parser would cut ("9e88z7zaa" into "9e88" and "z7zaa"), a
// word past the longest lexeme (2,047 bytes) in a text past the index's
// 2,048 bytes, a word glued to a sign that is not a letter ("n°1234"), and
// words starting with a letter outside ASCII.
func TestSearch_WordIndexEdges(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		long := strings.Repeat("x", 2100)
		wordings := []string{"REF 9E88Z7ZAA", "CB " + long + " ZANZIBAR", "CHÈQUE N°1234", "Ελληνικά ΤΑΒΕΡΝΑ", "SØREN ØSTERGAARD",
			"CB ZANZIBAR 12/05", strings.Repeat("PRLV SEPA ", 300) + "QUIMPER"}
		var txs []*freenahi.Transaction
		for i, w := range wordings {
			txs = append(txs, &freenahi.Transaction{AccountID: ana.checking.ID, PowensID: int64(i + 1), Currency: eur,
				Date: date("2026-01-02"), ValueMinor: -100, OriginalWording: w, Type: "card", Active: true})
		}
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
		for _, tc := range []struct {
			q    string
			want []int // indexes in wordings
		}{
			{"9e88z", []int{0}},
			{"9e88z7zaa", []int{0}},
			{"z7zaa", nil},
			{"zanzibar", []int{1, 5}},
			{"xxxx cb", []int{1}},
			{strings.Repeat("x", 150), []int{1}},
			{"1234", []int{2}},
			{"n 1234", []int{2}},
			{"ελλην", []int{3}},
			{"ταβερνα ελληνικα", []int{3}},
			{"ληνικα", nil},
			{"søren", []int{4}},
			{"ren", nil},
			{"østergaard", []int{4}},
			{"quimper sepa", []int{6}},
			{"quimpers", nil},
		} {
			var got []int
			for _, tx := range mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, Query: tc.q}) {
				got = append(got, int(tx.PowensID-1))
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("search %.40q found %v, want %v", tc.q, got, tc.want)
			}
		}
	})
}

// TestSearch_RepeatedFields holds hand-written cases of fields found whole
// in the wordings before them, which the search text leaves out (see
// searchText): a search finds the same rows as if they were kept, and a
// piece that starts inside another word is kept.
func TestSearch_RepeatedFields(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		fields := []struct{ original, simplified, wording, counterparty string }{
			{"CB CARREFOUR MARKET 12/05", "Carrefour Market", "Carrefour Market", ""},
			{"PRLV SEPA ARREFOUR", "REFOUR", "", ""},
			{"VIR SEPA MARKETS", "MARKET", "", "markets"},
			{"CB ZINC", "", "", "ZINC-BAR SARL"},
			{"", "Épicerie Fine", "", ""},
		}
		var txs []*freenahi.Transaction
		for i, f := range fields {
			tx := &freenahi.Transaction{AccountID: ana.checking.ID, PowensID: int64(i + 1), Currency: eur, Date: date("2026-01-02"),
				ValueMinor: -100, OriginalWording: f.original, SimplifiedWording: f.simplified, Wording: f.wording, Type: "card", Active: true}
			if f.counterparty != "" {
				tx.Counterparty = &freenahi.Counterparty{Label: f.counterparty}
			}
			txs = append(txs, tx)
		}
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
		for _, tc := range []struct {
			q    string
			want []int // indexes in fields
		}{
			{"refour", []int{1}},
			{"arrefour", []int{1}},
			{"carrefour market", []int{0}},
			{"market", []int{0, 2}},
			{"markets", []int{2}},
			{"bar sarl", []int{3}},
			{"zinc bar", []int{3}},
			{"epicerie fine", []int{4}},
			{"sepa", []int{1, 2}},
			{"12 05", []int{0}},
		} {
			var got []int
			for _, tx := range mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, Query: tc.q}) {
				got = append(got, int(tx.PowensID-1))
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("search %q found %v, want %v", tc.q, got, tc.want)
			}
		}
	})
}

// TestSearch_LongNumbers holds hand-written cases of numbers longer than
// the search text keeps (four digits, the rest in search_numbers): a
// search for one finds exactly the rows holding a word that starts with
// it, whether the row was stored cut, stored whole (before migration
// 00280, simulated here), or holds it in a word going on with letters,
// which is never cut. A sync that brings the same wordings leaves a row
// stored whole as it is; one that changes them stores it cut.
func TestSearch_LongNumbers(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		wordings := []string{"CHQ 1234567", "REF:1234589 LOYER", "FACT 123456AB", "VIR 12399", "PRLV 7654321",
			"ж123456", "PRLV 00012345"}
		const whole = 4 // stored as before migration 00280
		var txs []*freenahi.Transaction
		for i, w := range wordings {
			txs = append(txs, &freenahi.Transaction{AccountID: ana.checking.ID, PowensID: int64(i + 1), Currency: eur,
				Date: date("2026-01-02"), ValueMinor: -100, OriginalWording: w, Type: "card", Active: true})
		}
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error {
			return store.ExecInEvent(ctx, w, `UPDATE transactions SET search_text = 'prlv 7654321', search_numbers = NULL
				WHERE user_id = $1 AND powens_id = $2`, ana.user.ID, whole+1)
		})
		stored := func(i int) (text string, numbers *string) {
			t.Helper()
			if err := s.DB().QueryRowContext(ctx, `SELECT search_text, search_numbers FROM transactions WHERE user_id = $1 AND powens_id = $2`,
				ana.user.ID, i+1).Scan(&text, &numbers); err != nil {
				t.Fatal(err)
			}
			return text, numbers
		}
		if text, numbers := stored(0); text != "chq 1234" || numbers == nil || *numbers != "1234567" {
			t.Fatalf("row 0 stores %q, %v; want it cut", text, numbers)
		}
		check := func(stage string) {
			t.Helper()
			for _, tc := range []struct {
				q    string
				want []int // indexes in wordings
			}{
				{"1234567", []int{0}},
				{"12345", []int{0, 1, 2}},
				{"123456", []int{0, 2}},
				{"123458", []int{1}},
				{"123458 loyer", []int{1}},
				{"1234", []int{0, 1, 2}},
				{"123", []int{0, 1, 2, 3}},
				{"123456ab", []int{2}},
				{"12346", nil},
				{"76543", []int{4}},
				{"7654321", []int{4}},
				{"7654322", nil},
				{"ж12345", []int{5}},
				{"000123", []int{6}},
				{"00012346", nil},
			} {
				var got []int
				for _, tx := range mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, Query: tc.q}) {
					got = append(got, int(tx.PowensID-1))
				}
				slices.Sort(got)
				if !slices.Equal(got, tc.want) {
					t.Errorf("%s: search %q found %v, want %v", stage, tc.q, got, tc.want)
				}
			}
		}
		check("after ingest")

		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
		if text, numbers := stored(whole); text != "prlv 7654321" || numbers != nil {
			t.Fatalf("a sync of the same wordings rewrote the row stored whole: %q, %v", text, numbers)
		}
		check("after a sync of the same wordings")

		txs[whole].OriginalWording = "PRLV 7654321 "
		txs[whole].SimplifiedWording = "PRLV"
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
		if text, numbers := stored(whole); text != "prlv 7654 " || numbers == nil || *numbers != "7654321" {
			t.Fatalf("a sync of new wordings stored %q, %v; want the row cut", text, numbers)
		}
		check("after a sync that changed the wording of the row stored whole")
	})
}
