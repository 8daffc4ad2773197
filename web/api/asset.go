package api

import (
	"net/http"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// registerAssetRoutes adds the person's own choices on accounts and their
// manual assets with dated values.
func (s *Handler) registerAssetRoutes(mux *http.ServeMux) {
	mux.HandleFunc("PATCH /api/v1/accounts/{id}", s.requireToken(s.handleAccountChoices))
	mux.HandleFunc("GET /api/v1/assets", s.requireToken(s.assets(s.handleAssetIndex)))
	mux.HandleFunc("POST /api/v1/assets", s.requireToken(s.assets(s.handleAssetCreate)))
	mux.HandleFunc("GET /api/v1/assets/{id}", s.requireToken(s.assets(s.handleAssetView)))
	mux.HandleFunc("PATCH /api/v1/assets/{id}", s.requireToken(s.assets(s.handleAssetUpdate)))
	mux.HandleFunc("DELETE /api/v1/assets/{id}", s.requireToken(s.assets(s.handleAssetDelete)))
	mux.HandleFunc("GET /api/v1/assets/{id}/values", s.requireToken(s.assets(s.handleAssetValues)))
	mux.HandleFunc("POST /api/v1/assets/{id}/values", s.requireToken(s.assets(s.handleAssetValueSet)))
	mux.HandleFunc("DELETE /api/v1/assets/{id}/values/{date}", s.requireToken(s.assets(s.handleAssetValueDelete)))
}

// assets answers 503 when the server keeps no assets.
func (s *Handler) assets(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Assets == nil {
			respond.Error(w, r, freenahi.Errorf(freenahi.EUNAVAILABLE, "Manual assets are not configured on this server."))
			return
		}
		h(w, r)
	}
}

// accountChoicesJSON is the body of PATCH /api/v1/accounts/{id}.
type accountChoicesJSON struct {
	Name     *string `json:"name"`
	Hidden   *bool   `json:"hidden"`
	Archived *bool   `json:"archived"`
	Group    *string `json:"group"`
}

func (s *Handler) handleAccountChoices(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var in accountChoicesJSON
	if err == nil {
		err = decodeBody(w, r, &in)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	c := freenahi.AccountChoices{Name: in.Name, Hidden: in.Hidden, Archived: in.Archived}
	if in.Group != nil {
		g := freenahi.AccountGroup(*in.Group)
		c.Group = &g
	}
	a, err := s.Accounts.UpdateAccountChoices(r.Context(), request.User(r.Context()).ID, id, c)
	if err != nil {
		respond.Error(w, r, s.ownerOnly(r, id, err))
		return
	}
	respond.JSON(w, r, http.StatusOK, toAccountJSON(a))
}

// assetJSON is a manual asset with its latest value.
type assetJSON struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Kind        string  `json:"kind"`
	Liability   bool    `json:"liability"`
	Group       string  `json:"group"`
	ChosenGroup *string `json:"chosen_group"`
	Institution *string `json:"institution"`
	Currency    string  `json:"currency"`
	Value       *string `json:"value"`
	ValueDate   *string `json:"value_date"`
	CreatedAt   string  `json:"created_at"`
	UpdatedAt   string  `json:"updated_at"`
}

func toAssetJSON(a *freenahi.Asset) assetJSON {
	out := assetJSON{ID: a.ID, Name: a.Name, Kind: string(a.Kind), Liability: a.Kind.Liability(), Group: string(a.Group()),
		ChosenGroup: strPtrOrNil(string(a.ChosenGroup)), Institution: strPtrOrNil(a.Institution), Currency: a.Currency.Code,
		CreatedAt: a.CreatedAt.UTC().Format(time.RFC3339), UpdatedAt: a.UpdatedAt.UTC().Format(time.RFC3339)}
	if a.Latest != nil {
		out.Value = amountPtr(&a.Latest.ValueMinor, a.Currency)
		out.ValueDate = datePtr(a.Latest.Date)
	}
	return out
}

// assetInputJSON is the body of POST and PATCH /api/v1/assets.
type assetInputJSON struct {
	Name        *string `json:"name"`
	Kind        *string `json:"kind"`
	Group       *string `json:"group"`
	Institution *string `json:"institution"`
	Currency    *string `json:"currency"`
}

func (in assetInputJSON) input() freenahi.AssetInput {
	out := freenahi.AssetInput{Name: in.Name, Institution: in.Institution, Currency: in.Currency}
	if in.Kind != nil {
		k := freenahi.AssetKind(*in.Kind)
		out.Kind = &k
	}
	if in.Group != nil {
		g := freenahi.AccountGroup(*in.Group)
		out.Group = &g
	}
	return out
}

func (s *Handler) handleAssetIndex(w http.ResponseWriter, r *http.Request) {
	if err := request.NewParams(r.URL.Query()).Err; err != nil {
		respond.Error(w, r, err)
		return
	}
	assets, err := s.Assets.FindAssets(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Assets []assetJSON `json:"assets"`
	}{Assets: []assetJSON{}}
	for _, a := range assets {
		out.Assets = append(out.Assets, toAssetJSON(a))
	}
	respond.JSON(w, r, http.StatusOK, out)
}

func (s *Handler) handleAssetCreate(w http.ResponseWriter, r *http.Request) {
	var in assetInputJSON
	if err := decodeBody(w, r, &in); err != nil {
		respond.Error(w, r, err)
		return
	}
	a := &freenahi.Asset{UserID: request.User(r.Context()).ID}
	if err := in.input().Apply(a, true); err != nil {
		respond.Error(w, r, err)
		return
	}
	if err := s.Assets.CreateAsset(r.Context(), a); err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusCreated, toAssetJSON(a))
}

func (s *Handler) handleAssetView(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var a *freenahi.Asset
	if err == nil {
		a, err = s.Assets.FindAssetByID(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, toAssetJSON(a))
}

func (s *Handler) handleAssetUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var in assetInputJSON
	if err == nil {
		err = decodeBody(w, r, &in)
	}
	var a *freenahi.Asset
	if err == nil {
		a, err = s.Assets.UpdateAsset(r.Context(), request.User(r.Context()).ID, id, in.input())
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, toAssetJSON(a))
}

func (s *Handler) handleAssetDelete(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = s.Assets.DeleteAsset(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// assetValueJSON is one dated value, in the asset's currency.
type assetValueJSON struct {
	Date  string `json:"date"`
	Value string `json:"value"`
}

func (s *Handler) handleAssetValues(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	userID := request.User(r.Context()).ID
	var a *freenahi.Asset
	var values []freenahi.AssetValue
	if err == nil {
		a, err = s.Assets.FindAssetByID(r.Context(), userID, id)
	}
	if err == nil {
		values, err = s.Assets.FindAssetValues(r.Context(), userID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		AssetID  int64            `json:"asset_id"`
		Currency string           `json:"currency"`
		Values   []assetValueJSON `json:"values"`
	}{AssetID: a.ID, Currency: a.Currency.Code, Values: []assetValueJSON{}}
	for _, v := range values {
		out.Values = append(out.Values, assetValueJSON{Date: v.Date.String(), Value: freenahi.FormatMinor(v.ValueMinor, a.Currency.Exponent)})
	}
	respond.JSON(w, r, http.StatusOK, out)
}

func (s *Handler) handleAssetValueSet(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	userID := request.User(r.Context()).ID
	var in assetValueJSON
	var a *freenahi.Asset
	var v freenahi.AssetValue
	if err == nil {
		err = decodeBody(w, r, &in)
	}
	if err == nil {
		a, err = s.Assets.FindAssetByID(r.Context(), userID, id)
	}
	if err == nil {
		v, err = freenahi.ParseAssetValue(in.Date, in.Value, a.Currency)
	}
	if err == nil {
		err = s.Assets.SetAssetValue(r.Context(), userID, id, v)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusCreated, assetValueJSON{Date: v.Date.String(), Value: freenahi.FormatMinor(v.ValueMinor, a.Currency.Exponent)})
}

func (s *Handler) handleAssetValueDelete(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var day freenahi.Date
	if err == nil {
		if day, err = freenahi.ParseDate(r.PathValue("date")); err != nil {
			err = freenahi.FieldErrorf("date", "%q is not a date (YYYY-MM-DD)", r.PathValue("date"))
		}
	}
	if err == nil {
		err = s.Assets.DeleteAssetValue(r.Context(), request.User(r.Context()).ID, id, day)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
