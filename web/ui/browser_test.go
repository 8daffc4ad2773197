package ui_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/web/webtest"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Browser tests drive Debian's Chromium through the real flows, against the
// real server wired to the real sandbox over HTTP. One browser serves the
// whole test binary; each test gets its own tab in its own browser context
// (its own cookies). They skip when no browser is installed.

// chromium is the test binary's shared browser, started on first use.
type chromium struct {
	once   sync.Once
	ctx    context.Context // the first tab; new tabs derive from it
	cancel func()
	dir    string
	err    error
}

var sharedBrowser chromium

// The browser tests run in parallel with each other (t.Parallel, up to
// -parallel at a time, GOMAXPROCS by default): each has its own server,
// store and browser context, and most of a browser test is waiting for a
// page, a time the other one uses. Run one alone with -run when a
// screenshot's timing matters.
func TestMain(m *testing.M) {
	code := m.Run()
	sharedBrowser.close()
	os.Exit(code)
}

// browserPath finds Chromium: FREENAHI_CHROMIUM, else the usual names.
func browserPath() string {
	if p := os.Getenv("FREENAHI_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func (c *chromium) start() {
	path := browserPath()
	if path == "" {
		c.err = errors.New("no Chromium found (install Debian's chromium, or set FREENAHI_CHROMIUM)")
		return
	}
	if c.dir, c.err = os.MkdirTemp("", "freenahi-chromium-"); c.err != nil {
		return
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-features", "Translate,MediaRouter"),
		chromedp.UserDataDir(c.dir))
	ctx, cancelTab := chromedp.NewContext(alloc)
	c.ctx = ctx
	c.cancel = func() { cancelTab(); cancelAlloc() }
	// The first run starts the browser; it must not carry a timeout.
	if c.err = chromedp.Do(ctx); c.err != nil {
		c.cancel()
	}
}

func (c *chromium) close() {
	if c.cancel == nil {
		return
	}
	c.cancel()
	// Chromium's helpers may write to the profile briefly after exit.
	for range 20 {
		if os.RemoveAll(c.dir) == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// browserWait bounds each wait for a page to show something. It is generous
// because CI machines have two cores shared by several test packages, and a
// flow that takes 2 s alone took 30 s there.
const browserWait = 90 * time.Second

// tab is one browser tab of a test, with its own cookies.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// newTab opens a tab in a fresh browser context, or skips the test.
func newTab(t *testing.T, base string) *tab {
	t.Helper()
	sharedBrowser.once.Do(sharedBrowser.start)
	if sharedBrowser.err != nil {
		// CI installs Chromium and sets FREENAHI_CI, so that a broken
		// install fails the run instead of passing with no browser test.
		testenv.Skip(t, "browser tests skipped (install Debian's chromium): %v", sharedBrowser.err)
	}
	ctx, cancel := chromedp.NewContext(sharedBrowser.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, recordShownPages); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(cancelTimeout)
	return &tab{t: t, ctx: ctx, base: base}
}

// do runs steps; on failure it saves a screenshot and the page, then fails.
func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.shot("failure")
		b.t.Fatalf("browser: %v\npage:\n%s", err, b.mainText())
	}
}

func (b *tab) open(path string) { b.t.Helper(); b.do(chromedp.Navigate(b.base + path)) }

func (b *tab) mainText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	return text
}

// waitText waits until the page shows text, reloading it when reload is
// set (a page that changes only once background work is done). Reload
// only once the navigation of a click is over: it would cancel it.
func (b *tab) waitText(text string, reload bool) {
	b.t.Helper()
	b.waitFor(fmt.Sprintf("the page to show %q", text), func() bool {
		if strings.Contains(b.mainText(), text) {
			return true
		}
		if reload {
			chromedp.Do(b.ctx, chromedp.Reload())
		}
		return false
	})
}

// shownKey is the tab's sessionStorage entry where shownScript keeps the
// text of the last pages the tab loaded.
const shownKey = "freenahi.test.shown"

// shownScript runs in every document the tab loads and keeps its text.
const shownScript = `document.addEventListener("DOMContentLoaded", function () {
  try {
    var log = JSON.parse(sessionStorage.getItem("` + shownKey + `") || "[]");
    log.push(document.body.innerText);
    sessionStorage.setItem("` + shownKey + `", JSON.stringify(log.slice(-20)));
  } catch (e) {}
});`

// recordShownPages installs shownScript in the tab.
var recordShownPages = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: shownScript})
	return err
})

// forgetShown empties the record of pages shown, before an action whose
// pages waitShown looks for.
func (b *tab) forgetShown() {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`sessionStorage.removeItem("`+shownKey+`"), true`)); err != nil {
		b.t.Fatalf("forget the pages shown: %v", err)
	}
}

// waitShown is waitText for a page that moves on by itself (the decoupled
// screen submits itself after half a second): it also reads the text of
// the pages loaded since forgetShown, so that a test that looks late, on a
// loaded machine, still sees that the page was shown.
func (b *tab) waitShown(text string) {
	b.t.Helper()
	b.waitFor(fmt.Sprintf("the tab to show %q", text), func() bool {
		if strings.Contains(b.mainText(), text) {
			return true
		}
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		defer cancel()
		shown, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`sessionStorage.getItem("`+shownKey+`") || ""`))
		return strings.Contains(shown, text)
	})
}

// waitFor polls cond as testenv.WaitFor does, up to browserWait; when it
// gives up, it saves a screenshot and logs the page's text.
func (b *tab) waitFor(what string, cond func() bool) {
	b.t.Helper()
	done := false
	defer func() {
		if !done { // testenv.WaitFor failed the test: show why
			b.shot("failure")
			b.t.Logf("page:\n%s", b.mainText())
		}
	}()
	testenv.WaitFor(b.t, browserWait, what, cond)
	done = true
}

// keepingArtifacts tells whether go test was given -artifacts. Without it
// the artifact directory is a temporary one, removed after the test.
var keepingArtifacts = sync.OnceValue(func() bool {
	f := flag.Lookup("test.artifacts")
	return f != nil && f.Value.String() == "true"
})

// shot saves a full-page PNG screenshot in the test's artifact directory,
// when -artifacts keeps it for a person to look at: otherwise it would be
// deleted unseen, and each costs the browser about half a second.
func (b *tab) shot(name string) {
	b.t.Helper()
	if !keepingArtifacts() {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.t.ArtifactDir(), name+".png")
	if err := os.WriteFile(path, img, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}

// fill types into the inputs by id, then clicks the submit button sel.
func (b *tab) fill(fields map[string]string, submit string) {
	b.t.Helper()
	// The page's script first (it may restore a remembered login into an
	// empty field), so that typing is not mixed with it; the live value is
	// emptied by script (chromedp.Clear only resets the attribute, which a
	// value set by script outlives).
	b.do(chromedp.WaitReady(chromedp.CSS(`html[data-js=ready]`)))
	for id, v := range fields {
		b.do(chromedp.WaitVisible(chromedp.ID(id)))
		empty := `(function(e){e.value="";return true})(document.getElementById(` + strconv.Quote(id) + `))`
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](empty)); err != nil {
			b.t.Fatalf("empty #%s: %v", id, err)
		}
		b.do(chromedp.SendKeys(chromedp.ID(id), v))
	}
	b.do(chromedp.Click(chromedp.CSS(submit)))
}

// signIn signs in through the form.
func (b *tab) signIn(email string) {
	b.t.Helper()
	b.open("/signin")
	b.fill(map[string]string{"email": email, "password": webtest.Password}, `button[type=submit]`)
	// The sign-out form, rather than its words: on a phone it is folded in the menu.
	b.do(chromedp.WaitReady(chromedp.CSS(`form[action="/signout"]`)))
}

// html returns the page's HTML.
func (b *tab) html() string {
	b.t.Helper()
	// A navigation may still replace the document (its nodes then vanish
	// under the query): read again until one document answers whole.
	var h string
	b.waitFor("the page's HTML", func() bool {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		defer cancel()
		var err error
		h, err = chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		return err == nil
	})
	return h
}

func mustParseInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// waitPath waits until the page's URL path is exactly path (waitLocation's
// substring would match /connect/c/1/accounts for "/accounts" too).
func (b *tab) waitPath(path string) {
	b.t.Helper()
	b.waitFor(fmt.Sprintf("the page %s", path), func() bool {
		loc, err := chromedp.Run(b.ctx, chromedp.Location())
		if err != nil {
			return false
		}
		u, err := url.Parse(loc)
		return err == nil && u.Path == path
	})
}

// waitLocation waits until the tab's URL contains part: the navigation a
// click started has happened.
func (b *tab) waitLocation(part string) {
	b.t.Helper()
	// The URL changes when the new document is committed, before it has
	// loaded: a query then could find a node that loading replaces ("No
	// node with given id found" on a loaded machine). Both are read in the
	// page at once, so they describe the same document.
	loaded := `location.href.includes(` + strconv.Quote(part) + `) && document.readyState === "complete"`
	b.waitFor(fmt.Sprintf("a loaded page at a URL with %q", part), func() bool {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		defer cancel()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](loaded))
		return err == nil && ok
	})
}

// eachView calls fn on a desktop (1280×900) and then a phone (390×844,
// mobile), each in English and then French, the language chosen through
// the page a person uses; view is "desktop" or "phone".
func (b *tab) eachView(fn func(view, lang string)) {
	b.t.Helper()
	for _, view := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
		if view.mobile {
			b.do(chromedp.EmulateViewport(view.width, view.height, chromedp.EmulateMobile))
		} else {
			b.do(chromedp.EmulateViewport(view.width, view.height))
		}
		for _, lang := range []string{"en", "fr"} {
			b.open("/lang/" + lang + "?back=/")
			fn(view.name, lang)
		}
	}
}
