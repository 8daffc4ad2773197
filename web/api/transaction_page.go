package api

import (
	"net/http"
	"net/url"

	"github.com/freenahi/freenahi"
)

// pageLink returns a page's cursor and the path and query that read it:
// the request's filters with the cursor as param ("cursor" for the next
// page, "before" for the previous one) and the other one left out. Both
// are nil without a cursor.
func pageLink(r *http.Request, param string, c *freenahi.Cursor) (token, link *string) {
	if c == nil {
		return nil, nil
	}
	t := c.String()
	q := url.Values{}
	for k, v := range r.URL.Query() {
		if k != "cursor" && k != "before" {
			q[k] = v
		}
	}
	q.Set(param, t)
	l := r.URL.Path + "?" + q.Encode()
	return &t, &l
}
