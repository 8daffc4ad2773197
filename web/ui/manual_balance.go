package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/respond"
)

// balanceForm sets a manual account's balance at the end of a day.
type balanceForm struct {
	Date, Amount string
	Error, Field string
}

// handleUIManualBalance records the balance typed for a manual account;
// a bad value shows the account page again with the form and its error.
func (s *Handler) handleUIManualBalance(w http.ResponseWriter, r *http.Request) {
	a, err := s.ownAccount(r)
	if err == nil && s.Imports == nil {
		err = freenahi.Errorf(freenahi.EUNAVAILABLE, "Imports are not configured on this server.")
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	form := balanceForm{Date: r.PostForm.Get("date"), Amount: r.PostForm.Get("balance")}
	b, err := manualBalance(form, a.Currency.Exponent)
	if err == nil {
		_, err = s.Imports.SetBalance(r.Context(), a.UserID, a.ID, b)
	}
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		form.Error, form.Field = s.localeOf(r).Err(err), freenahi.ErrorField(err)
		s.renderAccountWith(w, r, http.StatusBadRequest, a, s.newStatementForm(a), newChoicesForm(a),
			func(v *accountView) { v.Balance = &form })
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/accounts/"+strconv.FormatInt(a.ID, 10)+"?msg=flash.balance_saved", http.StatusSeeOther)
}

// manualBalance reads the form: a day and an exact amount, 12.30 or 12,30.
func manualBalance(f balanceForm, exp int) (freenahi.DatedBalance, error) {
	d, err := freenahi.ParseDate(strings.TrimSpace(f.Date))
	if err != nil {
		return freenahi.DatedBalance{}, freenahi.FieldErrorf("date", "%q is not a date such as 2024-01-31", f.Date)
	}
	v, err := freenahi.ParseDecimal(strings.Replace(strings.ReplaceAll(strings.TrimSpace(f.Amount), " ", ""), ",", ".", 1))
	if err != nil {
		return freenahi.DatedBalance{}, freenahi.FieldErrorf("balance", "%q is not an amount such as -12.50", f.Amount)
	}
	minor, err := v.Minor(exp)
	if err != nil {
		return freenahi.DatedBalance{}, freenahi.FieldErrorf("balance", "%s has more decimals than the account's currency allows (%d), or is too large", v, exp)
	}
	return freenahi.DatedBalance{Date: d, Minor: minor}, nil
}
