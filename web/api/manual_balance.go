package api

import (
	"net/http"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// handleManualBalance sets a manual account's balance at the end of a day
// and answers the account with its current balance.
func (s *Handler) handleManualBalance(w http.ResponseWriter, r *http.Request) {
	userID := request.User(r.Context()).ID
	id, err := request.PathID(r.PathValue("id"))
	var in struct {
		Date    string `json:"date"`
		Balance string `json:"balance"`
	}
	if err == nil {
		err = decodeBody(w, r, &in)
	}
	if err == nil && s.Imports == nil {
		err = freenahi.Errorf(freenahi.EUNAVAILABLE, "Imports are not configured on this server.")
	}
	var a *freenahi.Account
	if err == nil {
		a, err = s.Accounts.FindAccountByID(r.Context(), userID, id)
	}
	var b freenahi.DatedBalance
	if err == nil {
		b, err = datedBalance(in.Date, in.Balance, a.Currency.Exponent)
	}
	if err == nil {
		_, err = s.Imports.SetBalance(r.Context(), userID, id, b)
	}
	if err == nil {
		a, err = s.Accounts.FindAccountByID(r.Context(), userID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, toAccountJSON(a))
}

// datedBalance reads a day and an exact amount (12.30 or 12,30) in minor
// units of a currency with exp decimals.
func datedBalance(date, balance string, exp int) (freenahi.DatedBalance, error) {
	d, err := freenahi.ParseDate(date)
	if err != nil {
		return freenahi.DatedBalance{}, freenahi.FieldErrorf("date", "%q is not a date such as 2024-01-31", date)
	}
	v, err := freenahi.ParseDecimal(strings.Replace(strings.TrimSpace(balance), ",", ".", 1))
	if err != nil {
		return freenahi.DatedBalance{}, freenahi.FieldErrorf("balance", "%q is not an amount such as -12.50", balance)
	}
	minor, err := v.Minor(exp)
	if err != nil {
		return freenahi.DatedBalance{}, freenahi.FieldErrorf("balance", "%s has more decimals than the account's currency allows (%d), or is too large", v, exp)
	}
	return freenahi.DatedBalance{Date: d, Minor: minor}, nil
}
