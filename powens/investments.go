package powens

import (
	"context"
	"net/http"
)

// InvestmentList is the answer of the investment listings: the positions and
// their totals.
type InvestmentList struct {
	Investments     []Investment `json:"investments"`
	Valuation       Number       `json:"valuation"`
	Diff            Number       `json:"diff"`
	DiffPercent     Number       `json:"diff_percent"`
	PrevDiff        Number       `json:"prev_diff"`
	PrevDiffPercent Number       `json:"prev_diff_percent"`
	Calculated      []string     `json:"calculated,omitempty"`
}

// ListInvestments returns the positions of all the user's investment accounts.
func (u *UserClient) ListInvestments(ctx context.Context, all bool) (*InvestmentList, error) {
	return u.listInvestments(ctx, "users/me/investments", all)
}

// ListAccountInvestments returns the positions of one account.
func (u *UserClient) ListAccountInvestments(ctx context.Context, accountID int64, all bool) (*InvestmentList, error) {
	return u.listInvestments(ctx, accountPath(accountID)+"/investments", all)
}

func (u *UserClient) listInvestments(ctx context.Context, path string, all bool) (*InvestmentList, error) {
	var out InvestmentList
	if _, err := u.do(ctx, &request{method: http.MethodGet, path: path, flags: allFlag(all)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
