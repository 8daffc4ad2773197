package sandbox

import (
	"net/http"
	"slices"
	"strings"
)

func (s *Server) registerConnectorRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /2.0/connectors", s.handleConnectorIndex)
	m.HandleFunc("GET /2.0/banks", s.handleConnectorIndex)
	m.HandleFunc("GET /2.0/connectors/{id}", s.handleConnectorView)
	m.HandleFunc("GET /2.0/connectors/{id}/fields", s.handleConnectorFields)
	m.HandleFunc("GET /2.0/connectors/{id}/sources", s.handleConnectorSources)
	m.HandleFunc("GET /2.0/connectors/{id}/sources/{source}", s.handleConnectorSource)
	m.HandleFunc("GET /2.0/publickey", s.handlePublicKey)
}

// handleConnectorIndex lists the test banks; connector routes need no token, like Powens'.
func (s *Server) handleConnectorIndex(w http.ResponseWriter, r *http.Request) {
	exp := expands(r)
	countries := r.URL.Query().Get("country_codes")
	list := []*connectorJSON{}
	for _, b := range s.banks {
		// Every test bank is French: a filter without FR hides them all.
		if countries != "" && !slices.Contains(strings.Split(strings.ToUpper(countries), ","), "FR") {
			continue
		}
		list = append(list, b.json(exp))
	}
	key := "connectors"
	if strings.HasSuffix(r.URL.Path, "/banks") {
		key = "banks"
	}
	writeJSON(w, http.StatusOK, map[string]any{key: list})
}

func (s *Server) connector(w http.ResponseWriter, r *http.Request) *bank {
	b := s.findBank(r.PathValue("id"))
	if b == nil {
		s.fail(w, r, errNotFound("Unknown connector."))
	}
	return b
}

func (s *Server) handleConnectorView(w http.ResponseWriter, r *http.Request) {
	if b := s.connector(w, r); b != nil {
		writeJSON(w, http.StatusOK, b.json(expands(r)))
	}
}

func (s *Server) handleConnectorFields(w http.ResponseWriter, r *http.Request) {
	if b := s.connector(w, r); b != nil {
		writeJSON(w, http.StatusOK, map[string]any{"fields": b.fieldsFor(r.URL.Query().Get("source"))})
	}
}

func (s *Server) handleConnectorSources(w http.ResponseWriter, r *http.Request) {
	if b := s.connector(w, r); b != nil {
		writeJSON(w, http.StatusOK, map[string]any{"sources": b.Sources})
	}
}

func (s *Server) handleConnectorSource(w http.ResponseWriter, r *http.Request) {
	b := s.connector(w, r)
	if b == nil {
		return
	}
	for _, src := range b.Sources {
		if src.Name == r.PathValue("source") || itoa(src.ID) == r.PathValue("source") {
			writeJSON(w, http.StatusOK, src)
			return
		}
	}
	s.fail(w, r, errNotFound("Unknown source."))
}
