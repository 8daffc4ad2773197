package powens

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/google/go-cmp/cmp"
)

// pagedServer serves pages of two transactions; page i links to next(i),
// "" meaning the last page.
func pagedServer(pages int, next func(base string, i int) string) (http.HandlerFunc, *string) {
	base := new(string)
	return func(w http.ResponseWriter, r *http.Request) {
		i := 0
		fmt.Sscan(r.URL.Query().Get("cursor"), &i)
		link := "null"
		if n := next(*base, i); n != "" && i < pages-1 {
			link = fmt.Sprintf(`{"href": %q}`, n)
		}
		fmt.Fprintf(w, `{"transactions": [{"id": %d, "id_account": 1, "value": -1.5, "date": "2025-01-0%d"}, {"id": %d, "id_account": 1, "value": "2"}],
			"first_date": "2024-01-01", "last_date": "2025-03-01", "result_min_date": null,
			"_links": {"self": {"href": "x"}, "prev": null, "next": %s}}`, 2*i+1, i+1, 2*i+2, link)
	}, base
}

func collectIDs(t *testing.T, u *UserClient, q TransactionQuery) ([]int64, int, error) {
	t.Helper()
	var ids []int64
	pages := 0
	err := u.EachTransactionPage(context.Background(), q, func(p *TransactionPage) error {
		pages++
		for _, tx := range p.Transactions {
			ids = append(ids, tx.ID)
		}
		return nil
	})
	return ids, pages, err
}

func TestUserClient_EachTransactionPage(t *testing.T) {
	t.Run("FollowsNext", func(t *testing.T) {
		h, base := pagedServer(4, func(base string, i int) string {
			return fmt.Sprintf("%s/2.0/users/me/transactions?cursor=%d&limit=2", base, i+1)
		})
		f := MustNewFake(t, h)
		*base = f.srv.URL
		q := TransactionQuery{
			Limit: 2, All: true, MinDate: freenahi.Date{Year: 2024, Month: 1, Day: 1}, MaxDate: freenahi.Date{Year: 2025, Month: 3, Day: 31},
			LastUpdate: time.Date(2025, 7, 1, 10, 0, 0, 0, time.UTC), Filter: "date",
		}
		ids, pages, err := collectIDs(t, f.client.User("tok"), q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{1, 2, 3, 4, 5, 6, 7, 8}, ids); diff != "" {
			t.Errorf("ids (-want +got):\n%s", diff)
		}
		if pages != 4 {
			t.Errorf("pages=%d, want 4", pages)
		}
		reqs := f.Requests()
		checkRequest(t, reqs[0], "GET", "/2.0/users/me/transactions",
			"filter=date&last_update=2025-07-01+12%3A00%3A00&limit=2&max_date=2025-03-31&min_date=2024-01-01&all", "tok")
		for i, r := range reqs[1:] {
			checkRequest(t, r, "GET", "/2.0/users/me/transactions", fmt.Sprintf("cursor=%d&limit=2", i+1), "tok")
		}
	})
	t.Run("RelativeNext", func(t *testing.T) {
		h, _ := pagedServer(3, func(_ string, i int) string {
			return fmt.Sprintf("/2.0/users/me/transactions?cursor=%d", i+1)
		})
		f := MustNewFake(t, h)
		ids, _, err := collectIDs(t, f.client.User("tok"), TransactionQuery{AccountID: 9})
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != 6 {
			t.Errorf("ids=%v, want 6", ids)
		}
		checkRequest(t, f.Requests()[0], "GET", "/2.0/users/me/accounts/9/transactions", "limit=1000", "tok")
	})
	t.Run("RefusesOtherHost", func(t *testing.T) {
		evil := MustNewFake(t, reply(200, `{"transactions": []}`))
		for _, next := range []string{
			evil.srv.URL + "/2.0/users/me/transactions?cursor=1",
			"https://attacker.example/2.0/users/me/transactions?cursor=1",
			"//attacker.example/steal",
		} {
			h, _ := pagedServer(3, func(string, int) string { return next })
			f := MustNewFake(t, h)
			ids, pages, err := collectIDs(t, f.client.User("tok"), TransactionQuery{})
			if err == nil || !strings.Contains(err.Error(), "refusing") {
				t.Errorf("next %q: err=%v, want a refusal", next, err)
			}
			if pages != 1 || len(ids) != 2 {
				t.Errorf("next %q: pages=%d ids=%v, want the first page only", next, pages, ids)
			}
		}
		if n := len(evil.Requests()); n != 0 {
			t.Errorf("the other host got %d requests", n)
		}
	})
	t.Run("SchemeChangeRefused", func(t *testing.T) {
		h, base := pagedServer(3, func(base string, i int) string {
			return strings.Replace(base, "http://", "https://", 1) + "/2.0/users/me/transactions?cursor=1"
		})
		f := MustNewFake(t, h)
		*base = f.srv.URL
		if _, _, err := collectIDs(t, f.client.User("tok"), TransactionQuery{}); err == nil {
			t.Error("an https link from an http API was followed")
		}
	})
	t.Run("StopsOnRepeat", func(t *testing.T) {
		h, _ := pagedServer(100, func(_ string, i int) string {
			return fmt.Sprintf("/2.0/users/me/transactions?cursor=%d", min(i+1, 2)) // 0→1→2→2…
		})
		f := MustNewFake(t, h)
		ids, pages, err := collectIDs(t, f.client.User("tok"), TransactionQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if pages != 3 || len(f.Requests()) != 3 {
			t.Errorf("pages=%d requests=%d, want 3", pages, len(f.Requests()))
		}
		if len(ids) != 6 {
			t.Errorf("ids=%v", ids)
		}
	})
	t.Run("StopsOnLinkToFirstPage", func(t *testing.T) {
		h, _ := pagedServer(100, func(string, int) string { return "/2.0/users/me/transactions?limit=1000" })
		f := MustNewFake(t, h)
		if _, pages, err := collectIDs(t, f.client.User("tok"), TransactionQuery{}); err != nil || pages != 1 {
			t.Errorf("pages=%d err=%v, want 1 page", pages, err)
		}
	})
	t.Run("CallbackError", func(t *testing.T) {
		h, _ := pagedServer(5, func(_ string, i int) string { return fmt.Sprintf("/2.0/users/me/transactions?cursor=%d", i+1) })
		f := MustNewFake(t, h)
		boom := errors.New("disk full")
		err := f.client.User("tok").EachTransactionPage(context.Background(), TransactionQuery{}, func(*TransactionPage) error { return boom })
		if !errors.Is(err, boom) || len(f.Requests()) != 1 {
			t.Errorf("err=%v requests=%d", err, len(f.Requests()))
		}
	})
	t.Run("NoAccount", func(t *testing.T) {
		f := MustNewFake(t, reply(409, `{"code": "noAccount", "description": "No active account"}`))
		_, _, err := collectIDs(t, f.client.User("tok"), TransactionQuery{})
		if !IsCode(err, CodeNoAccount) {
			t.Errorf("err=%v", err)
		}
	})
	t.Run("Limit", func(t *testing.T) {
		f := MustNewFake(t, reply(200, `{}`))
		for _, l := range []int{-1, 1001} {
			if _, _, err := collectIDs(t, f.client.User("tok"), TransactionQuery{Limit: l}); err == nil {
				t.Errorf("limit %d accepted", l)
			}
		}
		if n := len(f.Requests()); n != 0 {
			t.Errorf("requests=%d", n)
		}
	})
}

func TestUserClient_TransactionPages(t *testing.T) {
	h, _ := pagedServer(3, func(_ string, i int) string { return fmt.Sprintf("/2.0/users/me/transactions?cursor=%d", i+1) })
	f := MustNewFake(t, h)
	u := f.client.User("tok")
	var total int
	for page, err := range u.TransactionPages(context.Background(), TransactionQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		total += len(page.Transactions)
		if got := page.Transactions[0].Value.String(); got != "-1.5" {
			t.Errorf("value %q", got)
		}
	}
	if total != 6 {
		t.Errorf("total=%d, want 6", total)
	}
	// Breaking out stops the fetching.
	f = MustNewFake(t, h)
	for range f.client.User("tok").TransactionPages(context.Background(), TransactionQuery{}) {
		break
	}
	if n := len(f.Requests()); n != 1 {
		t.Errorf("requests after break=%d, want 1", n)
	}
	// An error is yielded once.
	f = MustNewFake(t, reply(401, `{"code": "invalidToken"}`))
	var errs int
	for p, err := range f.client.User("tok").TransactionPages(context.Background(), TransactionQuery{}) {
		if p != nil || !IsUnauthorized(err) {
			t.Errorf("page=%v err=%v", p, err)
		}
		errs++
	}
	if errs != 1 {
		t.Errorf("errors yielded=%d", errs)
	}
}

func TestUserClient_GetTransaction(t *testing.T) {
	f := MustNewFake(t, reply(200, `{"id": 5, "id_account": 1, "datetime": "2025-03-30 01:30:00", "deleted": "2025-03-31 10:00:00", "coming": false}`))
	tx, err := f.client.User("tok").GetTransaction(context.Background(), 5)
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, f.Only(t), "GET", "/2.0/users/me/transactions/5", "all", "tok")
	// datetime is documented UTC; deleted is a Paris naive datetime (CEST that day).
	if got, want := tx.Datetime.UTC(), time.Date(2025, 3, 30, 1, 30, 0, 0, time.UTC); got != want {
		t.Errorf("Datetime=%v, want %v", got, want)
	}
	if got, want := tx.Deleted.UTC(), time.Date(2025, 3, 31, 8, 0, 0, 0, time.UTC); got != want {
		t.Errorf("Deleted=%v, want %v", got, want)
	}
}
