package powens

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const accountsBody = `{
	"accounts": [
		{"id": 1234, "id_connection": 7, "name": "Compte courant", "balance": 123456789.99, "coming": "-12.30",
		 "currency": {"id": "EUR", "precision": 2}, "type": "checking", "disabled": "2025-01-02 03:04:05",
		 "bookmarked": 0, "iban": "FR7630001007941234567890185", "brand_new_field": {"x": 1}},
		{"id": 4567, "id_connection": 7, "name": "Livret", "balance": null, "currency": "EUR",
		 "type": {"name": "savings"}, "disabled": null, "bookmarked": true}
	],
	"balances": {"EUR": 123456789.99},
	"coming_balances": {"EUR": -12.3}
}`

func TestUserClient_ListAccounts(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		call  func(u *UserClient) (*AccountList, error)
		path  string
		query string
	}{
		{"All", func(u *UserClient) (*AccountList, error) { return u.ListAccounts(ctx, true) }, "/2.0/users/me/accounts", "all"},
		{"Enabled", func(u *UserClient) (*AccountList, error) { return u.ListAccounts(ctx, false) }, "/2.0/users/me/accounts", ""},
		{"Connection", func(u *UserClient) (*AccountList, error) { return u.ListConnectionAccounts(ctx, 7, true) },
			"/2.0/users/me/connections/7/accounts", "all"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := MustNewFake(t, reply(200, accountsBody))
			got, err := tc.call(f.client.User("tok"))
			if err != nil {
				t.Fatal(err)
			}
			checkRequest(t, f.Only(t), "GET", tc.path, tc.query, "tok")
			if len(got.Accounts) != 2 {
				t.Fatalf("accounts=%d, want 2", len(got.Accounts))
			}
			a, b := got.Accounts[0], got.Accounts[1]
			if a.Balance.String() != "123456789.99" || a.Coming.String() != "-12.30" || a.Type != "checking" || a.Disabled.IsZero() {
				t.Errorf("account 0 %+v", a)
			}
			if b.Balance.Valid() || b.Type != "savings" || !b.Disabled.IsZero() || !bool(b.Bookmarked) || b.Currency.ID != "EUR" {
				t.Errorf("account 1 %+v", b)
			}
			if got.Balances["EUR"].String() != "123456789.99" {
				t.Errorf("balances %v", got.Balances)
			}
		})
	}
}

func TestUserClient_ActivateAccounts(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, body string
		want       int
	}{
		{"Envelope", `{"accounts": [{"id": 1}, {"id": 2}]}`, 2},
		{"Array", `[{"id": 1}, {"id": 2}]`, 2},
		{"Single", `{"id": 1, "disabled": null}`, 1},
		{"Empty", ``, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := MustNewFake(t, reply(200, tc.body))
			got, err := f.client.User("tok").ActivateAccounts(ctx, 7, []int64{1, 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want {
				t.Errorf("accounts=%d, want %d", len(got), tc.want)
			}
			r := f.Only(t)
			checkRequest(t, r, "PUT", "/2.0/users/me/connections/7/accounts/1,2", "all", "tok")
			if diff := cmp.Diff(map[string]any{"disabled": false}, r.JSON(t)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("Deactivate", func(t *testing.T) {
		f := MustNewFake(t, reply(200, `[]`))
		if _, err := f.client.User("tok").DeactivateAccounts(ctx, 7, []int64{3}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]any{"disabled": true}, f.Only(t).JSON(t)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})
	t.Run("NoIDs", func(t *testing.T) {
		f := MustNewFake(t, reply(200, `[]`))
		for _, ids := range [][]int64{nil, {0}, {1, -2}} {
			if _, err := f.client.User("tok").ActivateAccounts(ctx, 7, ids); err == nil {
				t.Errorf("ActivateAccounts(%v) succeeded", ids)
			}
		}
		if n := len(f.Requests()); n != 0 {
			t.Errorf("requests=%d, want 0", n)
		}
	})
}

func TestUserClient_UpdateAccount(t *testing.T) {
	f := MustNewFake(t, reply(200, `{"id": 1234, "disabled": null, "name": "Joint"}`))
	no, name := false, "Joint"
	got, err := f.client.User("tok").UpdateAccount(context.Background(), 1234, AccountUpdate{Disabled: &no, Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	r := f.Only(t)
	checkRequest(t, r, "POST", "/2.0/users/me/accounts/1234", "all", "tok")
	if diff := cmp.Diff(map[string]any{"disabled": false, "name": "Joint"}, r.JSON(t)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if got.ID != 1234 || !got.Disabled.IsZero() {
		t.Errorf("account %+v", got)
	}
}

func TestUserClient_GetAccount(t *testing.T) {
	f := MustNewFake(t, reply(200, `{"id": 9}`))
	if _, err := f.client.User("tok").GetAccount(context.Background(), 9); err != nil {
		t.Fatal(err)
	}
	checkRequest(t, f.Only(t), "GET", "/2.0/users/me/accounts/9", "all", "tok")
}
