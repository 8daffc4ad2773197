package ui

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
)

// searchChoices fills the choices of the search form: the orders, the
// category tree and the tags in use. Without the spending service there
// are no categories to offer.
func (s *Handler) searchChoices(r *http.Request, v *transactionsView) error {
	v.Sorts = freenahi.Sorts
	tags, err := s.Transactions.FindTags(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		return err
	}
	// A tag typed in an address or kept in a saved search stays on offer,
	// selected, even when no transaction carries it any more.
	if t := v.Form.Get("tag"); t != "" && !slices.Contains(tags, t) {
		tags = append(tags, t)
	}
	v.Tags = tags
	if s.Spending == nil {
		return nil
	}
	v.CategoryGroups, _, err = s.categoryTree(r)
	return err
}

// prevLink is the URL of the page before, read with the before cursor.
func prevLink(q url.Values, prev *freenahi.Cursor) string {
	if prev == nil {
		return ""
	}
	c := url.Values{}
	for k, v := range q {
		if k != "cursor" && k != "before" && k != "msg" && len(v) > 0 && v[0] != "" {
			c[k] = v[:1]
		}
	}
	c.Set("before", prev.String())
	return "/transactions?" + c.Encode()
}
