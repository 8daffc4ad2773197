package ui

import (
	"bytes"
	"html/template"
	"net/http"
	"sync"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/internal/lru"
)

// dashboardCacheBytes bounds the dashboards kept in memory (as estimated by
// dashboardView.size): a person with 200 accounts and a year's chart takes
// about 150 KB, so some two hundred such dashboards, or thousands of
// people's with a few accounts.
const dashboardCacheBytes = 32 << 20

// dashboardKey is what a dashboard's data depends on besides the person's
// data and the day: its language and zone (the text is written in the
// language, days counted in the zone) and the address (the chosen period,
// and the query its links keep). Nothing of the session: the CSRF token
// and the person's name are written by render, at every request.
type dashboardKey struct {
	userID int64
	lang   string
	zone   string
	uri    string
}

// dashboardEntry is a dashboard's data as read under a page version on a
// day; it is served only while both are still those of the request.
// content is its <main> as the dashboard template writes it from the data
// alone (in the key's language), written once: rendering it was most of
// serving a cached dashboard. The layout around it, with the session's
// CSRF token and the person's name, is written at every request.
type dashboardEntry struct {
	version string
	today   freenahi.Date
	view    *dashboardView

	once    sync.Once
	content template.HTML
	err     error
}

// newDashboardCache returns the cache of dashboards of a Handler.
func newDashboardCache() *lru.Cache[dashboardKey, *dashboardEntry] {
	return lru.New[dashboardKey, *dashboardEntry](dashboardCacheBytes)
}

// cachedDashboard returns the dashboard's data, from the cache when the
// store's page version of the person and the day are those it was read
// under. The version is read first: data read after it is at least as new,
// so an entry is never older than its version says, and any write since,
// through any instance, shows as a new version. Requests that find the
// entry out of date together read the data once. Without a PageVersioner
// every request reads the data.
func (s *Handler) cachedDashboard(r *http.Request, userID int64, today freenahi.Date) (*dashboardEntry, error) {
	if s.Pages == nil {
		v, err := s.readDashboard(r, userID, today)
		return &dashboardEntry{view: v}, err
	}
	version, err := s.Pages.PageVersion(r.Context(), userID)
	if err != nil {
		return nil, err
	}
	l := s.localeOf(r)
	key := dashboardKey{userID: userID, lang: l.Lang(), zone: l.Zone().String(), uri: r.URL.RequestURI()}
	return s.ui.dashboards.GetOrFill(key, func(e *dashboardEntry) bool { return e.version == version && e.today == today },
		func() (*dashboardEntry, int, error) {
			v, err := s.readDashboard(r, userID, today)
			if err != nil {
				return nil, 0, err
			}
			// Twice the data's size: the written <main> is about as large.
			return &dashboardEntry{version: version, today: today, view: v}, 2*v.size() + len(key.uri) + len(version), nil
		})
}

// renderDashboard writes the page of e: its <main> written once per entry
// (the template's "content" reads nothing but the data and the language),
// inside the layout written now. Without a cache, the whole template runs.
func (s *Handler) renderDashboard(w http.ResponseWriter, r *http.Request, e *dashboardEntry) {
	p := &page{Title: "dashboard.title", Nav: "home", Data: e.view}
	if s.Pages == nil {
		s.render(w, r, http.StatusOK, "dashboard", p)
		return
	}
	e.once.Do(func() {
		var buf bytes.Buffer
		if e.err = s.ui.pages[s.localeOf(r).Lang()]["dashboard"].ExecuteTemplate(&buf, "content", p); e.err == nil {
			e.content = template.HTML(buf.String())
		}
	})
	if e.err != nil {
		s.renderFailure(w, r, "dashboard", e.err)
		return
	}
	p.main = e.content
	s.render(w, r, http.StatusOK, "prerendered", p)
}

// size estimates the memory a dashboard's data holds, in bytes: its
// written markup, and a rough share for each other row.
func (v *dashboardView) size() int {
	n := 1024 + len(v.Accounts.Items) + 200*len(v.Accounts.Accounts) + 256*len(v.Accounts.Assets) +
		512*(len(v.Latest)+len(v.Upcoming)+len(v.Attention)) + 256*len(v.Budgets)
	for _, c := range v.Currencies {
		n += 512 + 128*len(c.Changes)
		if c.Chart != nil {
			n += len(c.Chart.SVG) + len(c.Chart.Body) + 256*len(c.Chart.Periods)
		}
	}
	return n
}
