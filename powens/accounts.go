package powens

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// AccountList is the answer of the account listings.
type AccountList struct {
	Accounts []Account `json:"accounts"`
	// Balances and ComingBalances sum the listed accounts per currency code.
	Balances       map[string]Number `json:"balances,omitempty"`
	ComingBalances map[string]Number `json:"coming_balances,omitempty"`
}

// AccountUpdate changes an account's metadata; nil fields are left alone.
type AccountUpdate struct {
	// Disabled false activates the account: it counts as the person's
	// consent and starts the sync of its transactions. Disabled true
	// deletes the account's transactions and investments at Powens.
	Disabled   *bool   `json:"disabled,omitempty"`
	Display    *bool   `json:"display,omitempty"`
	Name       *string `json:"name,omitempty"`
	Bookmarked *bool   `json:"bookmarked,omitempty"`
	Usage      *string `json:"usage,omitempty"`
}

// ListAccounts returns the user's accounts; all includes the disabled and
// deleted ones, which is how the accounts waiting for activation are seen.
func (u *UserClient) ListAccounts(ctx context.Context, all bool) (*AccountList, error) {
	return u.listAccounts(ctx, "users/me/accounts", all)
}

// ListConnectionAccounts returns the accounts of one connection; see
// ListAccounts for all.
func (u *UserClient) ListConnectionAccounts(ctx context.Context, connectionID int64, all bool) (*AccountList, error) {
	return u.listAccounts(ctx, connectionPath(connectionID)+"/accounts", all)
}

func (u *UserClient) listAccounts(ctx context.Context, path string, all bool) (*AccountList, error) {
	var out AccountList
	if _, err := u.do(ctx, &request{method: http.MethodGet, path: path, flags: allFlag(all)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetAccount returns one account, disabled or not.
func (u *UserClient) GetAccount(ctx context.Context, id int64) (*Account, error) {
	var out Account
	if _, err := u.do(ctx, &request{method: http.MethodGet, path: accountPath(id), flags: allFlag(true)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateAccount changes one account (POST …/accounts/{id}?all, so that a
// disabled account can be reached to enable it).
func (u *UserClient) UpdateAccount(ctx context.Context, id int64, upd AccountUpdate) (*Account, error) {
	var out Account
	req := &request{method: http.MethodPost, path: accountPath(id), flags: allFlag(true), body: upd}
	if _, err := u.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ActivateAccounts enables several accounts of a connection in one call
// (PUT …/connections/{c}/accounts/{id1,id2}?all with {"disabled": false}),
// as the custom-connection guide does once the person has chosen them.
// It returns the accounts Powens sends back, in whichever shape it uses.
func (u *UserClient) ActivateAccounts(ctx context.Context, connectionID int64, ids []int64) ([]Account, error) {
	return u.setAccountsDisabled(ctx, connectionID, ids, false)
}

// DeactivateAccounts disables several accounts of a connection, which
// deletes their transactions and investments at Powens.
func (u *UserClient) DeactivateAccounts(ctx context.Context, connectionID int64, ids []int64) ([]Account, error) {
	return u.setAccountsDisabled(ctx, connectionID, ids, true)
}

func (u *UserClient) setAccountsDisabled(ctx context.Context, connectionID int64, ids []int64, disabled bool) ([]Account, error) {
	if len(ids) == 0 {
		return nil, errors.New("powens: no account ids")
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		if id <= 0 {
			return nil, fmt.Errorf("powens: invalid account id %d", id)
		}
		parts[i] = strconv.FormatInt(id, 10)
	}
	path := connectionPath(connectionID) + "/accounts/" + strings.Join(parts, ",")
	var raw json.RawMessage
	req := &request{method: http.MethodPut, path: path, flags: allFlag(true),
		body: map[string]bool{"disabled": disabled}}
	if _, err := u.do(ctx, req, &raw); err != nil {
		return nil, err
	}
	accounts, err := decodeAccounts(raw)
	if err != nil {
		return nil, fmt.Errorf("powens PUT /%s: %w", path, err)
	}
	return accounts, nil
}

// decodeAccounts accepts the shapes a batch update may answer with: a list
// envelope {"accounts": […]}, a bare array, a single account, or nothing.
func decodeAccounts(raw json.RawMessage) ([]Account, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || bytes.Equal(raw, jsonNull):
		return nil, nil
	case raw[0] == '[':
		var list []Account
		err := json.Unmarshal(raw, &list)
		return list, err
	}
	var probe struct {
		Accounts json.RawMessage `json:"accounts"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, err
	}
	if probe.Accounts != nil {
		var list []Account
		err := json.Unmarshal(probe.Accounts, &list)
		return list, err
	}
	var one Account
	if err := json.Unmarshal(raw, &one); err != nil {
		return nil, err
	}
	return []Account{one}, nil
}

func accountPath(id int64) string {
	return "users/me/accounts/" + strconv.FormatInt(id, 10)
}

// allFlag returns the value-less "all" flag when set.
func allFlag(all bool) []string {
	if all {
		return []string{"all"}
	}
	return nil
}
