package ui

import (
	"mime"
	"net/http"
)

func init() {
	// Not in every system's MIME table; browsers want this type.
	mime.AddExtensionType(".webmanifest", "application/manifest+json")
}

// registerUIInstallRoutes serves what makes the UI an installable app: the
// service worker at the root (its scope is its own folder) and the offline
// page it keeps.
func (s *Handler) registerUIInstallRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /sw.js", s.page(s.handleServiceWorker))
	mux.HandleFunc("GET /offline", s.page(s.handleOffline))
}

func (s *Handler) handleServiceWorker(w http.ResponseWriter, r *http.Request) {
	b, err := staticFS.ReadFile("static/sw.js")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache") // a new version is picked up at once
	w.Write(b)
}

func (s *Handler) handleOffline(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "offline", &page{Title: "offline.title"})
}
