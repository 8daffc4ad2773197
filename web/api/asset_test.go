package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

type accountBody struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	DisplayName string  `json:"display_name"`
	PowensName  string  `json:"powens_name"`
	Renamed     bool    `json:"renamed"`
	Hidden      bool    `json:"hidden"`
	Archived    bool    `json:"archived"`
	Group       string  `json:"group"`
	ChosenGroup *string `json:"chosen_group"`
	Bank        string  `json:"bank"`
}

type assetBody struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	Group     string  `json:"group"`
	Liability bool    `json:"liability"`
	Value     *string `json:"value"`
	ValueDate *string `json:"value_date"`
	Currency  string  `json:"currency"`
}

// lastNetWorth is today's EUR net worth and its groups, from the API.
func lastNetWorth(t *testing.T, ts *webtest.Server, token string) (string, map[string]string) {
	t.Helper()
	var nw struct {
		Currencies []struct {
			Currency string
			Points   []struct {
				Date, Total string
				Groups      map[string]string
			}
		}
	}
	ts.Get(token, "/api/v1/networth?interval=month").Decode(t, &nw)
	for _, c := range nw.Currencies {
		if c.Currency == "EUR" {
			p := c.Points[len(c.Points)-1]
			return p.Total, p.Groups
		}
	}
	t.Fatalf("no EUR net worth: %+v", nw)
	return "", nil
}

func TestAPI_AccountChoices(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		today := parisToday()
		a := webtest.MustUserWithWealth(t, s, "a@example.com", 42, today)
		b := webtest.MustUserWithWealth(t, s, "b@example.com", 43, today)
		path := fmt.Sprintf("/api/v1/accounts/%d", a.Savings.ID)

		// The fixture's balances, by hand: 2345.67 + 12000.00 + 18540.30 - 182345.12.
		if total, _ := lastNetWorth(t, ts, a.Token); total != "-149459.15" {
			t.Fatalf("net worth before: %s", total)
		}
		t.Run("RenameHideGroup", func(t *testing.T) {
			var got accountBody
			r := patch(ts, a.Token, path, `{"name":"Rainy day fund","hidden":true,"group":"other"}`)
			if r.Status != http.StatusOK {
				t.Fatalf("PATCH: %d %s", r.Status, r.Body)
			}
			r.Decode(t, &got)
			if got.DisplayName != "Rainy day fund" || got.PowensName != "Livret A" || got.Name != "Livret A" || !got.Renamed ||
				!got.Hidden || got.Archived || got.Group != "other" || got.ChosenGroup == nil || *got.ChosenGroup != "other" ||
				got.Bank != "Banque Test" {
				t.Fatalf("%+v", got)
			}
			// The hidden Livret A leaves the totals and net worth.
			var list struct {
				Accounts []accountBody
				Totals   []struct{ Group, Amount, Currency string }
			}
			ts.Get(a.Token, "/api/v1/accounts").Decode(t, &list)
			for _, tot := range list.Totals {
				if tot.Group == "savings" || tot.Group == "other" {
					t.Fatalf("a hidden account is in the totals: %+v", list.Totals)
				}
			}
			if len(list.Accounts) != 4 {
				t.Fatalf("the hidden account must stay listed: %d accounts", len(list.Accounts))
			}
			if total, groups := lastNetWorth(t, ts, a.Token); total != "-161459.15" || groups["savings"] != "0.00" && groups["savings"] != "" {
				t.Fatalf("net worth with the Livret A hidden: %s %v", total, groups)
			}
		})
		t.Run("ShowAgainInItsGroup", func(t *testing.T) {
			var got accountBody
			patch(ts, a.Token, path, `{"hidden":false,"group":""}`).Decode(t, &got)
			if got.Hidden || got.Group != "savings" || got.ChosenGroup != nil || got.DisplayName != "Rainy day fund" {
				t.Fatalf("%+v", got)
			}
			if total, _ := lastNetWorth(t, ts, a.Token); total != "-149459.15" {
				t.Fatalf("net worth: %s", total)
			}
			patch(ts, a.Token, path, `{"archived":true}`).Decode(t, &got)
			if total, _ := lastNetWorth(t, ts, a.Token); !got.Archived || total != "-161459.15" {
				t.Fatalf("archived: %+v, net worth %s", got, total)
			}
		})
		t.Run("BadInput", func(t *testing.T) {
			for _, c := range []struct{ body, field string }{
				{`{"group":"cash"}`, "group"},
				{`{"name":"` + fmt.Sprintf("%0101d", 0) + `"}`, "name"},
				{`{"hidden":"yes"}`, "body"},
				{`{"colour":"red"}`, "body"},
			} {
				r := patch(ts, a.Token, path, c.body)
				if p := r.Problem(t); r.Status != http.StatusBadRequest || p.Field != c.field {
					t.Fatalf("%s: %d %+v, want 400 on %s", c.body, r.Status, p, c.field)
				}
			}
			var got accountBody
			ts.Get(a.Token, path).Decode(t, &got)
			if got.DisplayName != "Rainy day fund" || got.Group != "savings" {
				t.Fatalf("a refused change was stored: %+v", got)
			}
		})
		t.Run("AnotherUsersAccount", func(t *testing.T) {
			r := patch(ts, a.Token, fmt.Sprintf("/api/v1/accounts/%d", b.Savings.ID), `{"name":"Mine"}`)
			if r.Status != http.StatusNotFound {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			var got accountBody
			ts.Get(b.Token, fmt.Sprintf("/api/v1/accounts/%d", b.Savings.ID)).Decode(t, &got)
			if got.Renamed || got.DisplayName != "Livret A" {
				t.Fatalf("b's account changed: %+v", got)
			}
		})
	})
}

func TestAPI_Assets(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s)
		today := parisToday()
		a := webtest.MustUserWithWealth(t, s, "a@example.com", 42, today)
		b := webtest.MustUserWithWealth(t, s, "b@example.com", 43, today)
		var flat, debt assetBody

		t.Run("Create", func(t *testing.T) {
			r := ts.PostJSON(a.Token, "/api/v1/assets", `{"name":"Flat in Lyon","kind":"property","currency":"eur","institution":"Notaire"}`)
			if r.Status != http.StatusCreated {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			r.Decode(t, &flat)
			if flat.Name != "Flat in Lyon" || flat.Group != "other" || flat.Currency != "EUR" || flat.Value != nil {
				t.Fatalf("%+v", flat)
			}
			ts.PostJSON(a.Token, "/api/v1/assets", `{"name":"Loan from Mum","kind":"loan","currency":"EUR"}`).Decode(t, &debt)
			if !debt.Liability || debt.Group != "loans" {
				t.Fatalf("%+v", debt)
			}
		})
		t.Run("CreateBad", func(t *testing.T) {
			for _, c := range []struct{ body, field string }{
				{`{"kind":"cash","currency":"EUR"}`, "name"},
				{`{"name":"Boat","kind":"boat","currency":"EUR"}`, "kind"},
				{`{"name":"Boat","kind":"other","currency":"EURO"}`, "currency"},
				{`{"name":"Boat","kind":"other"}`, "currency"},
				{`{"name":"Boat","kind":"other","currency":"EUR","group":"boats"}`, "group"},
				{`{"name":"Boat","kind":"other","currency":"EUR","value":"1"}`, "body"},
			} {
				r := ts.PostJSON(a.Token, "/api/v1/assets", c.body)
				if p := r.Problem(t); r.Status != http.StatusBadRequest || p.Field != c.field {
					t.Fatalf("%s: %d %+v, want 400 on %s", c.body, r.Status, p, c.field)
				}
			}
		})
		flatValues := fmt.Sprintf("/api/v1/assets/%d/values", flat.ID)
		t.Run("Values", func(t *testing.T) {
			for _, body := range []string{
				`{"date":"2023-01-15","value":"210000.00"}`,
				`{"date":"` + today.AddDays(-10).String() + `","value":"250000.5"}`,
			} {
				if r := ts.PostJSON(a.Token, flatValues, body); r.Status != http.StatusCreated {
					t.Fatalf("%s: %d %s", body, r.Status, r.Body)
				}
			}
			ts.PostJSON(a.Token, fmt.Sprintf("/api/v1/assets/%d/values", debt.ID), `{"date":"2024-05-01","value":"5000"}`)
			var got assetBody
			ts.Get(a.Token, fmt.Sprintf("/api/v1/assets/%d", flat.ID)).Decode(t, &got)
			if got.Value == nil || *got.Value != "250000.50" || *got.ValueDate != today.AddDays(-10).String() {
				t.Fatalf("%+v", got)
			}
			var vs struct {
				Values []struct{ Date, Value string }
			}
			ts.Get(a.Token, flatValues).Decode(t, &vs)
			if len(vs.Values) != 2 || vs.Values[0].Value != "210000.00" {
				t.Fatalf("%+v", vs)
			}
			// -149459.15 (the accounts) + 250000.50 (the flat) - 5000.00 (owed to Mum).
			total, groups := lastNetWorth(t, ts, a.Token)
			if total != "95541.35" || groups["other"] != "250000.50" {
				t.Fatalf("net worth with assets: %s %v", total, groups)
			}
		})
		t.Run("ValuesBad", func(t *testing.T) {
			for _, c := range []struct{ body, field string }{
				{`{"date":"2024-02-30","value":"1"}`, "date"},
				{`{"date":"","value":"1"}`, "date"},
				{`{"date":"2024-01-01","value":"1.001"}`, "value"},
				{`{"date":"2024-01-01","value":"ten"}`, "value"},
				{`{"date":"2024-01-01","value":"-3"}`, "value"},
				{`{"date":"2024-01-01"}`, "value"},
			} {
				r := ts.PostJSON(a.Token, flatValues, c.body)
				if p := r.Problem(t); r.Status != http.StatusBadRequest || p.Field != c.field {
					t.Fatalf("%s: %d %+v, want 400 on %s", c.body, r.Status, p, c.field)
				}
			}
			var vs struct {
				Values []struct{ Date, Value string }
			}
			ts.Get(a.Token, flatValues).Decode(t, &vs)
			if len(vs.Values) != 2 {
				t.Fatalf("a refused value was stored: %+v", vs)
			}
		})
		t.Run("Update", func(t *testing.T) {
			var got assetBody
			r := patch(ts, a.Token, fmt.Sprintf("/api/v1/assets/%d", flat.ID), `{"name":"Flat","group":"savings"}`)
			r.Decode(t, &got)
			if r.Status != http.StatusOK || got.Name != "Flat" || got.Group != "savings" {
				t.Fatalf("%d %+v", r.Status, got)
			}
			r = patch(ts, a.Token, fmt.Sprintf("/api/v1/assets/%d", flat.ID), `{"currency":"USD"}`)
			if p := r.Problem(t); r.Status != http.StatusBadRequest || p.Field != "currency" {
				t.Fatalf("%d %+v", r.Status, p)
			}
		})
		t.Run("OwnerScoped", func(t *testing.T) {
			one := fmt.Sprintf("/api/v1/assets/%d", flat.ID)
			for _, r := range []*webtest.Response{
				ts.Get(b.Token, one),
				patch(ts, b.Token, one, `{"name":"Mine"}`),
				ts.Get(b.Token, one+"/values"),
				ts.PostJSON(b.Token, one+"/values", `{"date":"2024-01-01","value":"1"}`),
				del(ts, b.Token, one+"/values/2023-01-15"),
				del(ts, b.Token, one),
			} {
				if r.Status != http.StatusNotFound {
					t.Fatalf("another user's asset: %d %s", r.Status, r.Body)
				}
			}
			var list struct{ Assets []assetBody }
			ts.Get(b.Token, "/api/v1/assets").Decode(t, &list)
			if len(list.Assets) != 0 {
				t.Fatalf("b sees %+v", list.Assets)
			}
			var vs struct {
				Values []struct{ Date, Value string }
			}
			ts.Get(a.Token, flatValues).Decode(t, &vs)
			if len(vs.Values) != 2 {
				t.Fatalf("a's values changed: %+v", vs)
			}
		})
		t.Run("Delete", func(t *testing.T) {
			if r := del(ts, a.Token, flatValues+"/2023-01-15"); r.Status != http.StatusNoContent {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			if r := del(ts, a.Token, flatValues+"/2023-01-15"); r.Status != http.StatusNotFound {
				t.Fatalf("again: %d %s", r.Status, r.Body)
			}
			if r := del(ts, a.Token, flatValues+"/yesterday"); r.Status != http.StatusBadRequest || r.Problem(t).Field != "date" {
				t.Fatalf("bad date: %d %s", r.Status, r.Body)
			}
			if r := del(ts, a.Token, fmt.Sprintf("/api/v1/assets/%d", flat.ID)); r.Status != http.StatusNoContent {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			if total, _ := lastNetWorth(t, ts, a.Token); total != "-154459.15" {
				t.Fatalf("net worth after the flat went: %s", total)
			}
		})
	})
}
