package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

func TestAPI_Inqom(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts, sb, credentials := exportServer(t, s)
		ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
		bob := webtest.MustUserWithData(t, s, "bob@example.com", 43)
		acct := webtest.FrenchAccount(t, s, ana.ID)
		credentials(ana.ID)
		body := `{"account_id": ` + itoa(acct.ID) + `, "dossier_id": 77, "from": "2025-01-01"}`

		var m struct {
			ID           int64          `json:"id"`
			RegisteredAt *string        `json:"registered_at"`
			Exported     int64          `json:"exported"`
			Waiting      int64          `json:"waiting"`
			Batches      map[string]int `json:"batches"`
		}
		r := ts.PostJSON(ana.Token, "/api/v1/inqom/mappings", body)
		r.Decode(t, &m)
		if r.Status != 200 || m.RegisteredAt == nil || m.Waiting != 2 || len(sb.Accounts(77)) != 1 {
			t.Fatalf("link: %d %s", r.Status, r.Body)
		}
		if r := ts.PostJSON(ana.Token, "/api/v1/inqom/mappings", body); r.Status != 200 || len(sb.Accounts(77)) != 1 {
			t.Fatalf("linking again: %d %s", r.Status, r.Body)
		}
		var list struct {
			Mappings []struct {
				ID       int64 `json:"id"`
				Exported int64 `json:"exported"`
			} `json:"mappings"`
		}
		r = ts.PostJSON(ana.Token, "/api/v1/inqom/push", "")
		r.Decode(t, &list)
		if r.Status != 200 || len(list.Mappings) != 1 || list.Mappings[0].Exported != 2 || len(sb.Imports(77)) == 0 {
			t.Fatalf("push: %d %s", r.Status, r.Body)
		}
		var hist struct {
			Batches []struct {
				ID     int64  `json:"id"`
				Status string `json:"status"`
				SHA256 string `json:"sha256"`
			} `json:"batches"`
		}
		mp := "/api/v1/inqom/mappings/" + itoa(m.ID)
		r = ts.Get(ana.Token, mp+"/batches")
		r.Decode(t, &hist)
		if r.Status != 200 || len(hist.Batches) != 1 || hist.Batches[0].Status != "sent" {
			t.Fatalf("batches: %d %s", r.Status, r.Body)
		}
		file := "/api/v1/inqom/batches/" + itoa(hist.Batches[0].ID)
		if r := ts.Get(ana.Token, file+"/file"); r.Status != 200 || r.Header.Get("Digest") != "sha-256="+hist.Batches[0].SHA256 {
			t.Fatalf("file: %d %v", r.Status, r.Header)
		}
		if r := ts.Get(ana.Token, mp); r.Status != 200 {
			t.Fatalf("mapping: %d %s", r.Status, r.Body)
		}
		for _, c := range []struct {
			name, token, method, path, body, field string
			status                                 int
		}{
			{"ResolveSent", ana.Token, "POST", file + "/resolve", `{"action": "retry"}`, "", 409},
			{"BadAction", ana.Token, "POST", file + "/resolve", `{"action": "nope"}`, "", 409},
			{"UnknownField", ana.Token, "POST", "/api/v1/inqom/mappings", `{"account_id": 1, "dossier": 77}`, "body", 400},
			{"NotFrench", ana.Token, "POST", "/api/v1/inqom/mappings", `{"account_id": ` + itoa(acct.ID) + `, "dossier_id": 78, "iban": "DE89370400440532013000"}`, "iban", 400},
			{"OthersMapping", bob.Token, "GET", mp, "", "", 404},
			{"OthersBatches", bob.Token, "GET", mp + "/batches", "", "", 404},
			{"OthersFile", bob.Token, "GET", file + "/file", "", "", 404},
			{"OthersResolve", bob.Token, "POST", file + "/resolve", `{"action": "sent"}`, "", 404},
			{"OthersAccount", bob.Token, "POST", "/api/v1/inqom/mappings", body, "", 404},
		} {
			t.Run(c.name, func(t *testing.T) {
				var r *webtest.Response
				if c.method == "POST" {
					r = ts.With(t).PostJSON(c.token, c.path, c.body)
				} else {
					r = ts.With(t).Get(c.token, c.path)
				}
				if p := r.Problem(t); r.Status != c.status || p.Field != c.field {
					t.Fatalf("%d %+v, want %d naming %q", r.Status, p, c.status, c.field)
				}
			})
		}
	})
}

// TestAPI_InqomUnlink: a refused link creates nothing, a second dossier
// needs "additional", unlink answers what happens in words, and linking
// again resumes the same mapping.
func TestAPI_InqomUnlink(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts, _, credentials := exportServer(t, s)
		ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
		bob := webtest.MustUserWithData(t, s, "bob@example.com", 43)
		acct := webtest.FrenchAccount(t, s, ana.ID)
		credentials(ana.ID)
		link := func(dossier int64, extra string) *webtest.Response {
			return ts.PostJSON(ana.Token, "/api/v1/inqom/mappings", `{"account_id": `+itoa(acct.ID)+`, "dossier_id": `+itoa(dossier)+extra+`}`)
		}
		if r := link(78, ""); r.Status != 403 {
			t.Fatalf("a dossier without rights: %d %s", r.Status, r.Body)
		}
		if ms, err := s.FindInqomMappings(ctx, ana.ID); err != nil || len(ms) != 0 {
			t.Fatalf("a refused link left %d mappings (%v)", len(ms), err)
		}
		var m struct {
			ID int64 `json:"id"`
		}
		r := link(77, "")
		r.Decode(t, &m)
		if r.Status != 200 {
			t.Fatalf("link: %d %s", r.Status, r.Body)
		}
		if r := link(79, ""); r.Status != 400 || r.Problem(t).Field != "additional" {
			t.Fatalf("a second dossier without additional: %d %s", r.Status, r.Body)
		}
		if r := link(79, `, "additional": true`); r.Status != 200 {
			t.Fatalf("a second dossier with additional: %d %s", r.Status, r.Body)
		}
		del := func(token string, id int64) *webtest.Response {
			req, err := http.NewRequest("DELETE", ts.URL+"/api/v1/inqom/mappings/"+itoa(id), nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+token)
			return ts.Do(req, nil)
		}
		if r := del(bob.Token, m.ID); r.Status != 404 {
			t.Fatalf("bob unlinks ana's mapping: %d", r.Status)
		}
		var out struct {
			Waiting int64  `json:"waiting"`
			Message string `json:"message"`
		}
		r = del(ana.Token, m.ID)
		r.Decode(t, &out)
		if r.Status != 200 || out.Waiting != 2 || !strings.Contains(out.Message, "The 2 transaction(s) waiting stay in freenahi and are not sent") {
			t.Fatalf("unlink: %d %s", r.Status, r.Body)
		}
		if r := del(ana.Token, m.ID); r.Status != 404 {
			t.Fatalf("unlinking twice: %d", r.Status)
		}
		var again struct {
			ID int64 `json:"id"`
		}
		r = link(77, `, "additional": true`)
		r.Decode(t, &again)
		if r.Status != 200 || again.ID != m.ID {
			t.Fatalf("linking again: %d %s, want mapping %d back", r.Status, r.Body, m.ID)
		}
	})
}
