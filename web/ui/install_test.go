package ui_test

import (
	"encoding/json"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestUI_Installable: the manifest names icons that exist with the sizes
// it says (read back with the PNG decoder), the service worker is served
// at the root, every page links the manifest, and the offline page speaks
// French without anyone's session in it.
func TestUI_Installable(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	c := webtest.NewClient(t, ts.URL)
	r := c.Get("/static/manifest.webmanifest")
	webtest.MustStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "application/manifest+json" {
		t.Fatalf("manifest served as %q", ct)
	}
	var m struct {
		Name, StartURL, Display string
		Icons                   []struct{ Src, Sizes, Type, Purpose string }
	}
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, icon := range m.Icons {
		r := c.Get(icon.Src)
		webtest.MustStatus(t, r, http.StatusOK)
		if icon.Type == "image/png" {
			w, h := pngSize(t, r.Body)
			if icon.Sizes != itoa(int64(w))+"x"+itoa(int64(h)) {
				t.Errorf("%s says %s, is %dx%d", icon.Src, icon.Sizes, w, h)
			}
			sizes = append(sizes, w)
		}
	}
	if len(sizes) < 2 || sizes[0] != 192 || sizes[1] != 512 {
		t.Fatalf("icons %v: installable apps need 192 and 512 pixels", sizes)
	}
	r = c.Get("/sw.js")
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, `caches.match("/offline")`)
	toFrench(t, c)
	r = c.Get("/offline")
	(&frenchPages{t: t}).check("offline", r, http.StatusOK)
	webtest.MustContain(t, r, "Vous êtes hors ligne", `rel="manifest"`)
	webtest.MustNotContain(t, r, `action="/signout"`)
}

func pngSize(t *testing.T, body string) (int, int) {
	t.Helper()
	cfg, err := png.DecodeConfig(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Width, cfg.Height
}
