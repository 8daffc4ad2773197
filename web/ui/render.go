package ui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/locale"
	"github.com/freenahi/freenahi/web/request"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageTemplate is one page: the layout and partials plus the page's own
// "content", with the functions of one language bound.
type pageTemplate = template.Template

// page is what every template receives.
type page struct {
	// Title is the message key of the page title.
	Title string
	Lang  string
	User  *freenahi.User
	// CSRF is the token forms post back (per session, or per browser before sign-in).
	CSRF string
	// Path is the current request URI, for the language links.
	Path string
	// Nav names the active menu entry.
	Nav string
	// Flash is a message key shown once at the top (from ?msg=); FlashWarn
	// shows it as a warning, for outcomes that met problems.
	Flash     string
	FlashWarn bool
	// Error is a message shown at the top, already in the page's language.
	Error string
	// Refresh, when positive, reloads the page after that many seconds
	// (a fallback for browsers without JavaScript on waiting pages).
	Refresh int
	Data    any

	// main, when set, is the page's <main> already written (the
	// "prerendered" page): see render.
	main template.HTML
}

// parsePages parses every page once, for every language.
func parsePages(assets map[string]string, loc *time.Location) map[string]map[string]*pageTemplate {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]map[string]*pageTemplate{}
	for _, lang := range locale.Languages {
		l := locale.New(lang, loc)
		base := template.Must(template.New("").Funcs(templateFuncs(l, assets)).
			ParseFS(templateFS, "templates/layout.html", "templates/partials.html"))
		out[lang] = map[string]*pageTemplate{}
		for _, n := range names {
			name := strings.TrimSuffix(path.Base(n), ".html")
			if name == "layout" || name == "partials" {
				continue
			}
			out[lang][name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, n))
		}
	}
	return out
}

// templateFuncs binds formatting to one language.
func templateFuncs(l *locale.Locale, assets map[string]string) template.FuncMap {
	return template.FuncMap{
		"t":     l.T,
		"money": func(m freenahi.Money) string { return l.Money(m.Minor, m.Currency) },
		// dataURL marks a data: URL this server drew (the QR code) as safe.
		"dataURL": func(s string) template.URL { return template.URL(s) },
		"device":  func(ua string) string { return deviceName(l, ua) },
		"minor":   l.Money,
		"date":    l.Date,
		"time": func(v any) string {
			switch t := v.(type) {
			case time.Time:
				return withZone(l, &t)
			case *time.Time:
				return withZone(l, t)
			}
			return ""
		},
		"dateOf":       func(t time.Time) freenahi.Date { return freenahi.DateOf(t.In(l.Zone())) },
		"asset":        func(name string) string { return "/static/" + name + "?v=" + assets[name] },
		"neg":          func(n int64) bool { return n < 0 },
		"label":        (*freenahi.Transaction).Label,
		"accountType":  func(code string) string { return accountTypeName(l, code) },
		"capabilities": func(codes []string) string { return capabilityNames(l, codes) },
		"source":       func(code string) string { return sourceName(l, code) },
		"stateName":    func(code string) string { return stateName(l, code) },
		"kept":         func(e *freenahi.Error) keptProblem { return keptProblemOf(l, e) },
		"deref":        func(p *int64) int64 { return *p },
		"derefInt":     func(p *int) int { return *p },
		"iban":         groupIBAN,
		"groupHref":    groupHref,
		"inc":          func(i int) int { return i + 1 },
		"calcField": func(f calcForm, id, name, label, def string) map[string]any {
			return map[string]any{"Form": f, "ID": id, "Name": name, "Label": label, "Default": def}
		},
		"percent":    l.Percent,
		"number":     func(d *freenahi.Decimal) string { return l.Number(*d) },
		"decPercent": func(d *freenahi.Decimal) string { return l.Percent(*d) },
		"rate": func(d *freenahi.Decimal) string {
			return l.Number(*d) + map[bool]string{true: "\u00a0%", false: "%"}[l.Lang() == "fr"]
		},
		"nonzero": func(p *int64) bool { return p != nil && *p != 0 },
		"money0":  func(m *freenahi.Money) string { return l.Money(m.Minor, m.Currency) },
	}
}

// assetHashes fingerprints the embedded assets so their URLs change when
// they do, which lets browsers cache them for a year.
func assetHashes() map[string]string {
	out := map[string]string{}
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	return out
}

func (s *Handler) staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}

// render executes a page into a buffer, then writes it, so that a template
// error becomes a clean 500 instead of half a page.
func (s *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	l := s.localeOf(r)
	p.Lang = l.Lang()
	p.Path = r.URL.RequestURI()
	if sess := sessionFrom(r.Context()); sess != nil {
		p.User, p.CSRF = sess.user, sess.csrf
	}
	if p.Flash == "" {
		if key := r.URL.Query().Get("msg"); strings.HasPrefix(key, "flash.") {
			if locale.Has(key) {
				p.Flash, p.FlashWarn = key, warnFlashes[key]
			}
		}
	}
	t := s.ui.pages[l.Lang()][name]
	if t == nil {
		s.renderFailure(w, r, "no template "+name, nil)
		return
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer func() {
		// Keep only buffers of ordinary size, so one huge page does not
		// stay pinned in the pool.
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			pageBuffers.Put(buf)
		}
	}()
	// A <main> written before is sent as it is, around the layout written
	// now: the layout holds a mark where it goes, unguessable so that no
	// text of the page can stand for it. Printing it through the template
	// copied 100 KB through fmt for every dashboard.
	if p.main != "" {
		p.Data = template.HTML(s.ui.mainMark)
	}
	if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		s.renderFailure(w, r, name, err)
		return
	}
	before, after := buf.Bytes(), []byte(nil)
	if p.main != "" {
		i := bytes.Index(before, []byte(s.ui.mainMark))
		if i < 0 {
			s.renderFailure(w, r, name, errors.New("no mark of the written main"))
			return
		}
		before, after = before[:i], before[i+len(s.ui.mainMark):]
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(before)+len(p.main)+len(after)))
	// Pages show bank data and one-time secrets: never keep them in a shared cache.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(before)
	if p.main != "" {
		io.WriteString(w, string(p.main))
		w.Write(after)
	}
}

// pageBuffers are the buffers pages are written into before they are sent:
// a dashboard of 200 accounts is some 100 KB, and growing a new buffer to
// that size for every page was a third of serving a cached dashboard.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// renderFailure answers a bare 500 when a page cannot be rendered; the
// error page itself may be what failed.
func (s *Handler) renderFailure(w http.ResponseWriter, r *http.Request, name string, err error) {
	request.Logger(r.Context(), s.Logger).Error("template failed", slog.String("page", name), slog.Any("error", err))
	l := s.localeOf(r)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write([]byte(l.T("error.generic") + " " + l.T("error.request", request.ID(r.Context())) + "\n"))
}

// errorView is the data of the error page.
type errorView struct {
	Status    int
	Code      string
	Message   string
	RequestID string
}

// errorPage answers an error as an HTML page, for respond.Error on the
// UI's routes (which logged it and chose the status): internal causes are
// never shown. An unauthenticated visitor of a page is sent to sign in.
func (s *Handler) errorPage(w http.ResponseWriter, r *http.Request, status int, err error) {
	code := freenahi.ErrorCode(err)
	if code == freenahi.EUNAUTHORIZED && r.Method == http.MethodGet {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	msg := ""
	if code != freenahi.EINTERNAL {
		msg = s.localeOf(r).Err(err)
	}
	s.render(w, r, status, "error", &page{Title: "error.title." + code,
		Data: errorView{Status: status, Code: code, Message: msg, RequestID: request.ID(r.Context())}})
}

// warnFlashes are the flash messages that report problems: they must not
// look like a success.
var warnFlashes = map[string]bool{"flash.inqom_push_trouble": true}
