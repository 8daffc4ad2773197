package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
	"github.com/freenahi/freenahi/web/ui/chart"
)

func (s *Handler) registerUIAssetRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /assets", s.signedIn(s.withAssets(s.handleUIAssetIndex)))
	mux.HandleFunc("POST /assets", s.signedIn(s.withAssets(s.handleUIAssetCreate)))
	mux.HandleFunc("GET /assets/{id}", s.signedIn(s.withAssets(s.handleUIAssetView)))
	mux.HandleFunc("POST /assets/{id}", s.signedIn(s.withAssets(s.handleUIAssetUpdate)))
	mux.HandleFunc("POST /assets/{id}/delete", s.signedIn(s.withAssets(s.handleUIAssetDelete)))
	mux.HandleFunc("POST /assets/{id}/values", s.signedIn(s.withAssets(s.handleUIAssetValueAdd)))
	mux.HandleFunc("POST /assets/{id}/values/{date}/delete", s.signedIn(s.withAssets(s.handleUIAssetValueDelete)))
}

// withAssets answers "no such page" when the server keeps no assets.
func (s *Handler) withAssets(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Assets == nil {
			respond.Error(w, r, freenahi.Errorf(freenahi.ENOTFOUND, "No such page: %s", r.URL.Path))
			return
		}
		h(w, r)
	}
}

// assetForm is the form of an asset's fields, typed back after an error.
type assetForm struct {
	Name, Kind, Group, Institution, Currency string
	Error, Field                             string
}

func (f *assetForm) fail(s *Handler, r *http.Request, err error) {
	f.Error, f.Field = s.localeOf(r).Err(err), freenahi.ErrorField(err)
}

func assetFormOf(a *freenahi.Asset) assetForm {
	return assetForm{Name: a.Name, Kind: string(a.Kind), Group: string(a.ChosenGroup), Institution: a.Institution, Currency: a.Currency.Code}
}

// input reads the form as the person's input; currency only on creation.
func (f assetForm) input(creating bool) freenahi.AssetInput {
	k, g := freenahi.AssetKind(f.Kind), freenahi.AccountGroup(f.Group)
	in := freenahi.AssetInput{Name: &f.Name, Kind: &k, Group: &g, Institution: &f.Institution}
	if creating {
		in.Currency = &f.Currency
	}
	return in
}

func assetFormFrom(v url.Values) assetForm {
	return assetForm{Name: v.Get("name"), Kind: v.Get("kind"), Group: v.Get("group"), Institution: v.Get("institution"),
		Currency: v.Get("currency")}
}

// assetsView is the assets page: the list with totals and the new-asset form.
type assetsView struct {
	Assets []*freenahi.Asset
	// Totals are what the assets add to net worth, per currency.
	Totals []freenahi.Money
	Form   assetForm
	Kinds  []freenahi.AssetKind
	Groups []freenahi.AccountGroup
}

func (s *Handler) handleUIAssetIndex(w http.ResponseWriter, r *http.Request) {
	s.renderAssets(w, r, http.StatusOK, assetForm{Kind: string(freenahi.AssetProperty), Currency: "EUR"})
}

func (s *Handler) renderAssets(w http.ResponseWriter, r *http.Request, status int, form assetForm) {
	assets, err := s.Assets.FindAssets(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := assetsView{Assets: assets, Form: form, Kinds: freenahi.AssetKinds, Groups: freenahi.AccountGroups}
	for _, a := range assets {
		if a.Latest == nil {
			continue
		}
		i := slices.IndexFunc(v.Totals, func(m freenahi.Money) bool { return m.Currency.Code == a.Currency.Code })
		if i < 0 {
			v.Totals = append(v.Totals, freenahi.Money{Currency: a.Currency})
			i = len(v.Totals) - 1
		}
		v.Totals[i].Minor += a.Worth(a.Latest.ValueMinor)
	}
	s.render(w, r, status, "assets", &page{Title: "assets.title", Nav: "assets", Data: v})
}

func (s *Handler) handleUIAssetCreate(w http.ResponseWriter, r *http.Request) {
	form := assetFormFrom(r.PostForm)
	a := &freenahi.Asset{UserID: request.User(r.Context()).ID}
	err := form.input(true).Apply(a, true)
	var v freenahi.AssetValue
	if err == nil && r.PostForm.Get("value") != "" {
		// A first value may come with the asset, dated today by default.
		date := r.PostForm.Get("date")
		if date == "" {
			date = freenahi.DateOf(s.Now().In(s.localeOf(r).Zone())).String()
		}
		v, err = freenahi.ParseAssetValue(date, r.PostForm.Get("value"), a.Currency)
	}
	if err == nil {
		err = s.Assets.CreateAsset(r.Context(), a)
	}
	if err == nil && !v.Date.IsZero() {
		err = s.Assets.SetAssetValue(r.Context(), a.UserID, a.ID, v)
	}
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		form.fail(s, r, err)
		s.renderAssets(w, r, http.StatusBadRequest, form)
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/assets/"+strconv.FormatInt(a.ID, 10)+"?msg=flash.asset_saved", http.StatusSeeOther)
}

// assetView is one asset's page.
type assetView struct {
	Asset  *freenahi.Asset
	Values []freenahi.AssetValue
	Chart  *chartView
	Form   assetForm
	Value  valueForm
	Kinds  []freenahi.AssetKind
	Groups []freenahi.AccountGroup
	Today  string
}

// valueForm is the add-a-value form, typed back after an error.
type valueForm struct {
	Date, Value  string
	Error, Field string
}

// ownAsset reads {id}, one of the person's assets.
func (s *Handler) ownAsset(r *http.Request) (*freenahi.Asset, error) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.Assets.FindAssetByID(r.Context(), request.User(r.Context()).ID, id)
}

func (s *Handler) handleUIAssetView(w http.ResponseWriter, r *http.Request) {
	a, err := s.ownAsset(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.renderAsset(w, r, http.StatusOK, a, assetFormOf(a), valueForm{})
}

func (s *Handler) renderAsset(w http.ResponseWriter, r *http.Request, status int, a *freenahi.Asset, form assetForm, value valueForm) {
	l := s.localeOf(r)
	today := freenahi.DateOf(s.Now().In(l.Zone()))
	values, err := s.Assets.FindAssetValues(r.Context(), a.UserID, a.ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := assetView{Asset: a, Form: form, Value: value, Kinds: freenahi.AssetKinds, Groups: freenahi.AccountGroups,
		Today: today.String()}
	if v.Value.Date == "" {
		v.Value.Date = v.Today
	}
	v.Values = slices.Clone(values)
	slices.Reverse(v.Values) // newest first
	if len(values) > 0 {
		from := values[0].Date
		if from.After(today) {
			from = today
		}
		pts := freenahi.AssetPoints(a, values, from, today)
		if len(pts) > 1 {
			v.Chart = newChart(l, l.T("asset.chart_label", a.Name, l.Date(pts[0].Date), l.Date(pts[len(pts)-1].Date)), a.Currency,
				[]chart.Series{{Name: l.T("asset.value"), Points: balancePoints(pts)}})
		}
	}
	s.render(w, r, status, "asset", &page{Title: "asset.title", Nav: "assets", Data: v})
}

func (s *Handler) handleUIAssetUpdate(w http.ResponseWriter, r *http.Request) {
	a, err := s.ownAsset(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	form := assetFormFrom(r.PostForm)
	form.Currency = a.Currency.Code
	_, err = s.Assets.UpdateAsset(r.Context(), a.UserID, a.ID, form.input(false))
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		form.fail(s, r, err)
		s.renderAsset(w, r, http.StatusBadRequest, a, form, valueForm{})
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/assets/"+strconv.FormatInt(a.ID, 10)+"?msg=flash.asset_saved", http.StatusSeeOther)
}

func (s *Handler) handleUIAssetValueAdd(w http.ResponseWriter, r *http.Request) {
	a, err := s.ownAsset(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	vf := valueForm{Date: r.PostForm.Get("date"), Value: r.PostForm.Get("value")}
	v, err := freenahi.ParseAssetValue(vf.Date, vf.Value, a.Currency)
	if err == nil {
		err = s.Assets.SetAssetValue(r.Context(), a.UserID, a.ID, v)
	}
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		vf.Error, vf.Field = s.localeOf(r).Err(err), freenahi.ErrorField(err)
		s.renderAsset(w, r, http.StatusBadRequest, a, assetFormOf(a), vf)
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/assets/"+strconv.FormatInt(a.ID, 10)+"?msg=flash.asset_value_saved#values", http.StatusSeeOther)
}

func (s *Handler) handleUIAssetValueDelete(w http.ResponseWriter, r *http.Request) {
	a, err := s.ownAsset(r)
	var day freenahi.Date
	if err == nil {
		if day, err = freenahi.ParseDate(r.PathValue("date")); err != nil {
			err = freenahi.FieldErrorf("date", "%q is not a date (YYYY-MM-DD)", r.PathValue("date"))
		}
	}
	if err == nil {
		err = s.Assets.DeleteAssetValue(r.Context(), a.UserID, a.ID, day)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/assets/"+strconv.FormatInt(a.ID, 10)+"?msg=flash.asset_value_deleted#values", http.StatusSeeOther)
}

func (s *Handler) handleUIAssetDelete(w http.ResponseWriter, r *http.Request) {
	a, err := s.ownAsset(r)
	if err == nil {
		err = s.Assets.DeleteAsset(r.Context(), a.UserID, a.ID)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/assets?msg=flash.asset_deleted", http.StatusSeeOther)
}
