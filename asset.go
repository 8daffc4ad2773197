package freenahi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// AssetKind is what a manual asset is.
type AssetKind string

// Asset kinds. AssetLoan is a liability (a private loan, a debt to family):
// its value is the amount owed and net worth subtracts it.
const (
	AssetCash     AssetKind = "cash"
	AssetProperty AssetKind = "property"
	AssetVehicle  AssetKind = "vehicle"
	AssetCrypto   AssetKind = "crypto"
	AssetAccount  AssetKind = "account"
	AssetOther    AssetKind = "other"
	AssetLoan     AssetKind = "loan"
)

// AssetKinds lists the kinds in display order.
var AssetKinds = []AssetKind{AssetCash, AssetProperty, AssetVehicle, AssetCrypto, AssetAccount, AssetOther, AssetLoan}

// Liability reports whether an asset of kind k is owed rather than owned.
func (k AssetKind) Liability() bool { return k == AssetLoan }

// Asset is something a person owns or owes outside the banks Powens reaches,
// valued by the person on the days they choose.
type Asset struct {
	ID     int64
	UserID int64
	Name   string
	Kind   AssetKind
	// ChosenGroup is the group the person put it in; "" is that of its
	// kind (loans for a liability, other assets otherwise).
	ChosenGroup AccountGroup
	// Institution is where it is held (a bank Powens does not cover), if said.
	Institution string
	Currency    Currency
	// Latest is its most recent value; nil before the first one.
	Latest    *AssetValue
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AssetValue is an asset's value from one day on, in minor units, as the
// person gave it (an amount owed is positive).
type AssetValue struct {
	Date       Date
	ValueMinor int64
}

// Group returns the group a counts in.
func (a *Asset) Group() AccountGroup {
	if a.ChosenGroup != "" {
		return a.ChosenGroup
	}
	if a.Kind.Liability() {
		return GroupLoans
	}
	return GroupOther
}

// Worth returns what a value of a adds to net worth: minus the amount for
// a liability.
func (a *Asset) Worth(valueMinor int64) int64 {
	if a.Kind.Liability() {
		return -valueMinor
	}
	return valueMinor
}

// AssetInput is what a person sets on an asset; a nil field stays as it is
// (on creation, Name, Kind and Currency are required).
type AssetInput struct {
	Name        *string
	Kind        *AssetKind
	Group       *AccountGroup
	Institution *string
	Currency    *string
}

// Apply checks in and sets its fields on a; a is left unchanged on error.
// creating requires the fields a new asset needs.
func (in AssetInput) Apply(a *Asset, creating bool) error {
	b := *a
	if in.Name != nil {
		b.Name = strings.TrimSpace(*in.Name)
		if err := checkName(b.Name); err != nil {
			return err
		}
	}
	if (creating || in.Name != nil) && b.Name == "" {
		return FieldErrorf("name", "is required")
	}
	if in.Kind != nil {
		if !slices.Contains(AssetKinds, *in.Kind) {
			return FieldErrorf("kind", "%q is not cash, property, vehicle, crypto, account, other or loan", string(*in.Kind))
		}
		b.Kind = *in.Kind
	} else if creating {
		return FieldErrorf("kind", "is required")
	}
	if in.Group != nil {
		if *in.Group != "" && !slices.Contains(AccountGroups, *in.Group) {
			return FieldErrorf("group", "%q is not checking, savings, investments, loans or other", string(*in.Group))
		}
		b.ChosenGroup = *in.Group
	}
	if in.Institution != nil {
		b.Institution = strings.TrimSpace(*in.Institution)
		if err := checkName(b.Institution); err != nil {
			return FieldErrorf("institution", "is longer than %d characters or contains control characters", 100)
		}
	}
	if in.Currency != nil {
		if !creating && strings.ToUpper(strings.TrimSpace(*in.Currency)) != a.Currency.Code {
			// Its values are in minor units of the currency they were
			// entered in: converting them would invent an exchange rate.
			return FieldErrorf("currency", "cannot change once the asset exists")
		}
		code := strings.ToUpper(strings.TrimSpace(*in.Currency))
		if !isISOCode(code) {
			return FieldErrorf("currency", "%q is not an ISO 4217 currency code such as EUR", *in.Currency)
		}
		b.Currency = LookupCurrency(code, nil)
	} else if creating {
		return FieldErrorf("currency", "is required")
	}
	*a = b
	return nil
}

// CheckAssetValue checks a dated value before it is stored.
func CheckAssetValue(v AssetValue) error {
	if v.Date.IsZero() {
		return FieldErrorf("date", "is required")
	}
	if v.ValueMinor < 0 {
		return FieldErrorf("value", "must not be negative: a debt is an asset of kind loan")
	}
	return nil
}

// AssetHistory is one asset with its daily worth (signed as in net worth).
type AssetHistory struct {
	Asset  *Asset
	Points []BalancePoint
}

// AssetPoints returns a's worth each day from from to to: each value holds
// until the next one; days before the first value have none.
func AssetPoints(a *Asset, values []AssetValue, from, to Date) []BalancePoint {
	snaps := make([]DayAmount, len(values))
	for i, v := range values {
		snaps[i] = DayAmount{Date: v.Date, Minor: a.Worth(v.ValueMinor)}
	}
	return BalanceHistory(HistoryInput{HistoryData: HistoryData{Snapshots: snaps}, From: from, To: to})
}

// AddAssets adds the asset histories to net-worth series at each of dates,
// per currency, keeping series in currency code order.
func AddAssets(series []NetWorthSeries, assets []AssetHistory, dates []Date) []NetWorthSeries {
	for _, h := range assets {
		c := h.Asset.Currency
		i := slices.IndexFunc(series, func(s NetWorthSeries) bool { return s.Currency.Code == c.Code })
		if i < 0 {
			s := NetWorthSeries{Currency: c, Points: make([]NetWorthPoint, len(dates))}
			for k, d := range dates {
				s.Points[k].Date = d
			}
			series = append(series, s)
			i = len(series) - 1
		}
		g := slices.Index(AccountGroups, h.Asset.Group())
		pts := series[i].Points
		k := 0
		for j, d := range dates {
			for k < len(h.Points) && h.Points[k].Date.Before(d) {
				k++
			}
			if k == len(h.Points) {
				break
			}
			if h.Points[k].Date == d {
				pts[j].TotalMinor += h.Points[k].BalanceMinor
				pts[j].GroupMinor[g] += h.Points[k].BalanceMinor
			}
		}
	}
	slices.SortFunc(series, func(a, b NetWorthSeries) int { return strings.Compare(a.Currency.Code, b.Currency.Code) })
	return series
}

// AssetService keeps a person's manual assets and their dated values.
// Every method is scoped to one user: another user's asset is ENOTFOUND.
type AssetService interface {
	// FindAssets returns the user's assets with their latest value, by name then id.
	FindAssets(ctx context.Context, userID int64) ([]*Asset, error)
	// FindAssetByID returns one of the user's assets with its latest value.
	FindAssetByID(ctx context.Context, userID, id int64) (*Asset, error)
	// CreateAsset stores a new asset of a.UserID (checked with
	// AssetInput.Apply beforehand) and sets its ID.
	CreateAsset(ctx context.Context, a *Asset) error
	// UpdateAsset applies in to the user's asset and returns it; EINVALID
	// naming the field for bad input.
	UpdateAsset(ctx context.Context, userID, id int64, in AssetInput) (*Asset, error)
	// DeleteAsset deletes the user's asset and all its values.
	DeleteAsset(ctx context.Context, userID, id int64) error
	// FindAssetValues returns the values of the user's asset, oldest first.
	FindAssetValues(ctx context.Context, userID, id int64) ([]AssetValue, error)
	// FindAllAssetValues returns the values of every asset of the user,
	// oldest first, by asset id.
	FindAllAssetValues(ctx context.Context, userID int64) (map[int64][]AssetValue, error)
	// SetAssetValue sets the asset's value of v.Date, replacing the value
	// of that day if there is one.
	SetAssetValue(ctx context.Context, userID, id int64, v AssetValue) error
	// DeleteAssetValue deletes the asset's value of one day; ENOTFOUND if
	// there is none.
	DeleteAssetValue(ctx context.Context, userID, id int64, day Date) error
}

// ParseAssetValue reads a dated value as a person types it: date is
// YYYY-MM-DD (field "date"), value a decimal amount in currency c (field
// "value").
func ParseAssetValue(date, value string, c Currency) (AssetValue, error) {
	var v AssetValue
	date = strings.TrimSpace(date)
	if date == "" {
		return v, FieldErrorf("date", "is required")
	}
	d, err := ParseDate(date)
	if err != nil {
		return v, FieldErrorf("date", "%q is not a date (YYYY-MM-DD)", date)
	}
	if strings.TrimSpace(value) == "" {
		return v, FieldErrorf("value", "is required")
	}
	// As a person types it: "250 000,50" in French is 250000.50.
	value = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(strings.TrimSpace(value))
	if strings.Count(value, ",") == 1 && !strings.Contains(value, ".") {
		value = strings.Replace(value, ",", ".", 1)
	}
	m, err := ParseAmount("value", value, c.Exponent)
	if err != nil {
		return v, err
	}
	v = AssetValue{Date: d, ValueMinor: m}
	return v, CheckAssetValue(v)
}

// LatestWorth is what a's latest value adds to net worth; nil before its
// first value.
func (a *Asset) LatestWorth() *Money {
	if a.Latest == nil {
		return nil
	}
	return &Money{Minor: a.Worth(a.Latest.ValueMinor), Currency: a.Currency}
}
