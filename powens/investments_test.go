package powens

import (
	"context"
	"testing"
)

const investmentsBody = `{
	"investments": [{"id": 1, "id_account": 9, "label": "Fonds Euro", "code": "FR0010135103", "code_type": "ISIN",
		"quantity": 12.5, "unitvalue": "103.2", "valuation": 1290.0, "diff": -3.25, "vdate": "2025-03-28",
		"last_update": "2025-03-30 03:15:00", "details": {"srri": 4}, "id_security": 77}],
	"valuation": 1290.0, "diff": -3.25, "diff_percent": -0.0025, "calculated": ["diff"]
}`

func TestUserClient_ListInvestments(t *testing.T) {
	ctx := context.Background()
	f := MustNewFake(t, reply(200, investmentsBody))
	got, err := f.client.User("tok").ListInvestments(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, f.Only(t), "GET", "/2.0/users/me/investments", "", "tok")
	if len(got.Investments) != 1 || got.Valuation.String() != "1290.0" || got.Investments[0].UnitValue.String() != "103.2" {
		t.Errorf("investments %+v", got)
	}

	f = MustNewFake(t, reply(200, investmentsBody))
	if _, err := f.client.User("tok").ListAccountInvestments(ctx, 9, true); err != nil {
		t.Fatal(err)
	}
	checkRequest(t, f.Only(t), "GET", "/2.0/users/me/accounts/9/investments", "all", "tok")
}
