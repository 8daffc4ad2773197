package ui_test

import (
	"cmp"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

var (
	bulkRow  = regexp.MustCompile(`BULK (\d+)\s*<`)
	nextLink = regexp.MustCompile(`href="(/transactions\?[^"]*)" rel="next"`)
	prevLink = regexp.MustCompile(`href="(/transactions\?[^"]*)" rel="prev"`)
)

// bulkPage reads one transactions page: its BULK numbers and its links.
func bulkPage(t *testing.T, c *webtest.Client, link string) (nums []int, next, prev string) {
	t.Helper()
	r := c.Get(link)
	webtest.MustStatus(t, r, http.StatusOK)
	for _, m := range bulkRow.FindAllStringSubmatch(r.Body, -1) {
		n, _ := strconv.Atoi(m[1])
		nums = append(nums, n)
	}
	if m := nextLink.FindStringSubmatch(r.Body); m != nil {
		next = strings.ReplaceAll(m[1], "&amp;", "&")
	}
	if m := prevLink.FindStringSubmatch(r.Body); m != nil {
		prev = strings.ReplaceAll(m[1], "&amp;", "&")
	}
	return nums, next, prev
}

// TestUI_TransactionsSortAndPrevious pages through 120 transactions by
// amount, lowest first, then back through "previous page": the order is
// the one mustManyTransactions' formula gives (BULK i is -(1 + i%90) and
// i%100 cents), sorted here by the test, and the pages back are the pages
// forward.
func TestUI_TransactionsSortAndPrevious(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	a := webtest.MustUserWithData(t, s, "a@example.com", 42)
	mustManyTransactions(t, s, a.ID, 120)
	c := webtest.NewClient(t, ts.URL)
	c.SignInAs(s, a.ID)

	want := make([]int, 120)
	for i := range want {
		want[i] = i
	}
	cents := func(i int) int { return -((1+i%90)*100 + i%100) }
	slices.SortFunc(want, func(x, y int) int { return cmp.Or(cmp.Compare(cents(x), cents(y)), cmp.Compare(x, y)) })

	var pages [][]int
	var prevs []string
	for link := "/transactions?q=bulk&sort=amount_asc"; link != ""; {
		nums, next, prev := bulkPage(t, c, link)
		if (len(pages) == 0) != (prev == "") {
			t.Fatalf("page %d: previous link %q", len(pages), prev)
		}
		if next != "" && (!strings.Contains(next, "sort=amount_asc") || !strings.Contains(next, "q=bulk")) {
			t.Fatalf("next link %q drops the order or the search", next)
		}
		pages, prevs, link = append(pages, nums), append(prevs, prev), next
	}
	if got := slices.Concat(pages...); !slices.Equal(got, want) || len(pages) != 3 {
		t.Fatalf("by amount in %d pages:\n%v\nwant\n%v", len(pages), got, want)
	}
	for i := len(pages) - 1; i > 0; i-- {
		nums, _, _ := bulkPage(t, c, prevs[i])
		if !slices.Equal(nums, pages[i-1]) {
			t.Fatalf("previous of page %d:\n%v\nwant\n%v", i, nums, pages[i-1])
		}
	}
}

// TestUI_TransactionsSearchChoices: the form offers the orders, the
// categories by group and the tags in use as selectors, shows the chosen
// ones back, and a saved search keeps them.
func TestUI_TransactionsSearchChoices(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	base := spendingUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	c := webtest.NewClient(t, base)
	c.SignIn("ana@example.com")
	tx := carrefour(t, s, ana.ID)
	tags := []string{"vacances"}
	groceries := categoryID(t, s, ana.ID, "groceries")
	if _, err := s.EditTransaction(ctx, ana.ID, tx.ID, freenahi.TransactionEdit{Tags: &tags, CategoryID: &groceries}); err != nil {
		t.Fatal(err)
	}
	query := "category_id=" + strconv.FormatInt(groceries, 10) + "&sort=amount_desc&tag=vacances"
	r := c.Get("/transactions?" + query)
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, `<select id="sort" name="sort">`, `<option value="amount_desc" selected>Amount, highest first</option>`,
		`<select id="tag" name="tag">`, `<option value="vacances" selected>vacances</option>`,
		`<select id="category_id" name="category_id">`, `<option value="none">Without category</option>`,
		`<optgroup label="Food">`, `<option value="`+strconv.FormatInt(groceries, 10)+`" selected>Groceries</option>`,
		"CB CARREFOUR", "1 transaction")
	r = c.Post("/transactions/searches", url.Values{"name": {"Courses"}, "query": {query + "&cursor=abc&before=def"}})
	webtest.MustStatus(t, r, http.StatusSeeOther)
	saved, err := s.FindSavedSearches(ctx, ana.ID)
	if err != nil || len(saved) != 1 {
		t.Fatalf("saved: %v %v", saved, err)
	}
	if got := saved[0].Query; got != query {
		t.Fatalf("saved query %q, want %q", got, query)
	}
	toFrench(t, c)
	r = c.Get("/transactions?" + query)
	webtest.MustContain(t, r, `<option value="amount_desc" selected>Montant, le plus élevé d’abord</option>`, "Sans catégorie")
}
