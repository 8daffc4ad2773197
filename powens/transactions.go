package powens

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/freenahi/freenahi"
)

// MaxTransactionLimit is the largest page Powens serves.
const MaxTransactionLimit = 1000

// TransactionQuery filters GET /users/me/transactions.
type TransactionQuery struct {
	// AccountID, when set, lists one account's transactions
	// (/users/me/accounts/{id}/transactions).
	AccountID int64
	// Limit is the page size, MaxTransactionLimit when zero.
	Limit int
	// LastUpdate keeps the transactions updated after this instant: the
	// incremental pull. It is sent as Paris wall-clock time, the zone of
	// Powens' naive datetimes, so that a value read from a payload's
	// last_update round-trips exactly. The autumn hour that repeats is
	// ambiguous in that form: pull with a margin of an hour or more.
	LastUpdate time.Time
	// MinDate and MaxDate bound the Filter date (zero: unbounded).
	MinDate, MaxDate freenahi.Date
	// Filter names the date MinDate and MaxDate apply to: "date" or
	// "application_date" (Powens' default).
	Filter string
	// All includes deleted transactions, which the reconcile pull needs.
	All bool
	// Expand lists expansions of each transaction.
	Expand []string
}

// TransactionPage is one page of a transaction listing.
type TransactionPage struct {
	Transactions []Transaction `json:"transactions"`
	// FirstDate and LastDate bound all available transactions;
	// ResultMinDate and ResultMaxDate those of this page.
	FirstDate     Date `json:"first_date"`
	LastDate      Date `json:"last_date"`
	ResultMinDate Date `json:"result_min_date"`
	ResultMaxDate Date `json:"result_max_date"`
	// Links is Powens' _links; Next reads it.
	Links struct {
		Next *struct {
			Href string `json:"href"`
		} `json:"next"`
	} `json:"_links"`
}

// Next returns the link to the following page, or "" on the last page.
func (p *TransactionPage) Next() string {
	if p.Links.Next == nil {
		return ""
	}
	return p.Links.Next.Href
}

// values encodes q as Powens expects it.
func (q *TransactionQuery) values() (url.Values, []string, error) {
	limit := q.Limit
	if limit == 0 {
		limit = MaxTransactionLimit
	}
	if limit < 1 || limit > MaxTransactionLimit {
		return nil, nil, fmt.Errorf("powens: transaction limit %d is not within 1…%d", q.Limit, MaxTransactionLimit)
	}
	v := url.Values{"limit": {strconv.Itoa(limit)}}
	if !q.LastUpdate.IsZero() {
		v.Set("last_update", q.LastUpdate.In(Paris).Format(DateTimeLayout))
	}
	if !q.MinDate.IsZero() {
		v.Set("min_date", q.MinDate.String())
	}
	if !q.MaxDate.IsZero() {
		v.Set("max_date", q.MaxDate.String())
	}
	if q.Filter != "" {
		v.Set("filter", q.Filter)
	}
	setList(v, "expand", q.Expand)
	return v, allFlag(q.All), nil
}

// EachTransactionPage lists transactions page by page, calling fn for each
// page in turn so that memory stays bounded by one page. It follows
// _links.next as Powens gives it, refuses (with an error) a link leaving the
// API's scheme and host, since the bearer token would follow it, and stops
// when a link repeats. An error from fn stops the listing and is returned.
func (u *UserClient) EachTransactionPage(ctx context.Context, q TransactionQuery, fn func(*TransactionPage) error) error {
	v, flags, err := q.values()
	if err != nil {
		return err
	}
	path := "users/me/transactions"
	if q.AccountID > 0 {
		path = accountPath(q.AccountID) + "/transactions"
	}
	req := &request{method: http.MethodGet, path: path, query: v, flags: flags}
	first, err := u.c.target(req)
	if err != nil {
		return err
	}
	// seen holds every URL fetched, so that a link back to any earlier page,
	// the first included, ends the listing instead of looping.
	seen := map[string]bool{first.String(): true}
	for {
		var page TransactionPage
		if _, err := u.do(ctx, req, &page); err != nil {
			return err
		}
		if err := fn(&page); err != nil {
			return err
		}
		if page.Next() == "" {
			return nil
		}
		next, err := u.c.sameOrigin(page.Next())
		if err != nil {
			return fmt.Errorf("powens transaction paging: %w", err)
		}
		if seen[next.String()] {
			// Everything up to here was delivered; stop and leave a trace.
			u.c.log.Warn("powens transaction paging: next link repeats, stopping", slog.Int("pages", len(seen)))
			return nil
		}
		seen[next.String()] = true
		req = &request{method: http.MethodGet, rawURL: next.String()}
	}
}

// errStopPaging ends EachTransactionPage when an iterator's consumer stops.
var errStopPaging = errors.New("stop paging")

// TransactionPages is EachTransactionPage as an iterator: it yields each
// page, or a single error that ends the sequence.
func (u *UserClient) TransactionPages(ctx context.Context, q TransactionQuery) iter.Seq2[*TransactionPage, error] {
	return func(yield func(*TransactionPage, error) bool) {
		err := u.EachTransactionPage(ctx, q, func(p *TransactionPage) error {
			if !yield(p, nil) {
				return errStopPaging
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStopPaging) {
			yield(nil, err)
		}
	}
}

// GetTransaction returns one transaction, deleted or not.
func (u *UserClient) GetTransaction(ctx context.Context, id int64) (*Transaction, error) {
	var out Transaction
	path := "users/me/transactions/" + strconv.FormatInt(id, 10)
	if _, err := u.do(ctx, &request{method: http.MethodGet, path: path, flags: allFlag(true)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
