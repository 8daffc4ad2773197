package ui

import (
	"net/http"

	"github.com/freenahi/freenahi"
)

// dashboardAccounts is the dashboard's list of what net worth counts: the
// accounts the person sees and their assets, each by its shown name.
type dashboardAccounts struct {
	Accounts []*freenahi.Account
	Assets   []*freenahi.Asset
	SetAside int
}

// dashboardAccounts reads the accounts net worth counts, in group order,
// and the person's assets.
func (s *Handler) dashboardAccounts(r *http.Request, userID int64) (dashboardAccounts, error) {
	var v dashboardAccounts
	accounts, err := s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: userID, WithShared: s.Shares != nil})
	if err != nil {
		return v, err
	}
	byGroup := map[freenahi.AccountGroup][]*freenahi.Account{}
	for _, a := range accounts {
		switch {
		case a.Disabled != nil:
		case !a.Counted():
			v.SetAside++
		default:
			byGroup[a.Group()] = append(byGroup[a.Group()], a)
		}
	}
	for _, g := range freenahi.AccountGroups {
		v.Accounts = append(v.Accounts, byGroup[g]...)
	}
	if s.Assets != nil {
		if v.Assets, err = s.Assets.FindAssets(r.Context(), userID); err != nil {
			return v, err
		}
	}
	return v, nil
}
