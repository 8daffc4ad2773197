package freenahi

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Category sorts spending and income. Each user has their own tree, seeded
// from DefaultCategories: groups (ParentID nil) holding categories. A
// default category keeps its Key, so the built-in rules still find it after
// the person renames, hides or merges it.
type Category struct {
	ID       int64
	UserID   int64
	ParentID *int64
	// Key names a default category ("groceries"); "" for one the person made.
	Key string
	// Name is the English default name until Renamed; the web layer
	// translates a default name and shows a renamed one as it is.
	Name    string
	Renamed bool
	Hidden  bool
	// MergedInto is the category that took this one's transactions; a
	// merged category is no longer listed, and what would land in it lands
	// in MergedInto.
	MergedInto *int64
	Position   int
	CreatedAt  time.Time
}

// IsGroup reports whether c is a top-level group.
func (c *Category) IsGroup() bool { return c.ParentID == nil }

// DefaultCategory is one entry of the tree every user starts with.
type DefaultCategory struct {
	Key, Name string
	// Group is the key of the parent group; "" for a group.
	Group string
}

// DefaultCategories is the tree every user starts with: groups first, each
// followed by its categories. French names live in the web catalog.
var DefaultCategories = defaultCategories()

func defaultCategories() []DefaultCategory {
	tree := []struct {
		key, name string
		children  [][2]string
	}{
		{"income", "Income", [][2]string{{"salary", "Salary"}, {"business_income", "Business income"},
			{"benefits", "Benefits and refunds"}, {"interest", "Interest and dividends"}, {"other_income", "Other income"}}},
		{"housing", "Housing", [][2]string{{"rent", "Rent"}, {"loan_repayment", "Loan repayments"},
			{"energy", "Electricity and gas"}, {"water", "Water"}, {"telecom", "Internet and phone"}, {"home", "Home and furniture"}}},
		{"food", "Food", [][2]string{{"groceries", "Groceries"}, {"restaurants", "Restaurants"},
			{"cafes", "Cafés and bars"}, {"food_delivery", "Food delivery"}}},
		{"transport", "Transport", [][2]string{{"fuel", "Fuel"}, {"public_transport", "Public transport"},
			{"trains", "Trains"}, {"flights", "Flights"}, {"car", "Car and parking"}, {"taxi", "Taxis and ride-hailing"}}},
		{"health", "Health", [][2]string{{"pharmacy", "Pharmacy"}, {"doctors", "Doctors and care"},
			{"health_insurance", "Health insurance"}}},
		{"shopping", "Shopping", [][2]string{{"clothing", "Clothing"}, {"electronics", "Electronics and books"},
			{"online_shopping", "Online shopping"}, {"sport", "Sport"}}},
		{"leisure", "Leisure", [][2]string{{"travel", "Travel and holidays"}, {"culture", "Culture and outings"},
			{"subscriptions", "Subscriptions"}}},
		{"taxes", "Taxes", [][2]string{{"income_tax", "Income tax"}, {"social_contributions", "Social contributions"},
			{"vat", "VAT"}, {"other_taxes", "Other taxes and fines"}}},
		{"banking", "Bank and insurance", [][2]string{{"bank_fees", "Bank fees"}, {"cash", "Cash withdrawals"},
			{"insurance", "Insurance"}}},
		{"business", "Business expenses", [][2]string{{"office", "Office and supplies"}, {"software", "Software and hosting"},
			{"postage", "Postage"}}},
		{"transfers", "Transfers", [][2]string{{"savings", "Savings"}, {"card_settlement", "Deferred card settlement"},
			{"internal_transfer", "Between my accounts"}}},
		{"other", "Other", [][2]string{{"gifts", "Gifts and donations"}, {"cheques", "Cheques"}, {"miscellaneous", "Miscellaneous"}}},
	}
	var out []DefaultCategory
	for _, g := range tree {
		out = append(out, DefaultCategory{Key: g.key, Name: g.name})
		for _, c := range g.children {
			out = append(out, DefaultCategory{Key: c[0], Name: c[1], Group: g.key})
		}
	}
	return out
}

// TransferCategoryKeys are the default categories whose transactions move
// money between the person's own accounts: reports leave them out of
// income and spending.
var TransferCategoryKeys = []string{"transfers", "savings", "card_settlement", "internal_transfer"}

// CategoryUpdate changes a category; nil fields stay as they are.
type CategoryUpdate struct {
	Name     *string
	Hidden   *bool
	ParentID *int64 // 0 makes the category a group
}

// ValidateCategoryName checks a name a person typed and returns it trimmed.
func ValidateCategoryName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", FieldErrorf("name", "is required")
	case utf8.RuneCountInString(name) > 60:
		return "", FieldErrorf("name", "is longer than %d characters", 60)
	case !utf8.ValidString(name) || strings.ContainsAny(name, "\x00\r\n\t"):
		return "", FieldErrorf("name", "contains characters that are not allowed")
	}
	return name, nil
}

// CategoryService keeps each user's categories.
type CategoryService interface {
	// FindCategories returns the user's categories in tree order (each
	// group followed by its categories), merged ones left out; the default
	// tree is created on first use.
	FindCategories(ctx context.Context, userID int64) ([]*Category, error)
	// CreateCategory adds a category under parentID (nil: a new group).
	// EINVALID for a bad name; ENOTFOUND for a parent that is not the
	// user's group; ECONFLICT when a sibling has the same name.
	CreateCategory(ctx context.Context, userID int64, name string, parentID *int64) (*Category, error)
	// UpdateCategory renames, hides, shows or moves a category. ENOTFOUND
	// for another user's category; EINVALID for a bad name or a group moved
	// under a group.
	UpdateCategory(ctx context.Context, userID, id int64, upd CategoryUpdate) (*Category, error)
	// MergeCategory moves every transaction, rule and learned payee of
	// category from into category into and retires from; it returns how
	// many transactions moved. EINVALID when both are the same or from is
	// a group with categories; ENOTFOUND for another user's category.
	MergeCategory(ctx context.Context, userID, from, into int64) (int, error)
}
