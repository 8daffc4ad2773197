package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi/internal/testenv"
)

func TestServer_Controls(t *testing.T) {
	h := MustHarness(t)
	tok := h.MustToken("u", "p")
	h.Register(tok, "2", testIBAN, true)

	t.Run("FaultsByJSON", func(t *testing.T) {
		status, _, body := h.Do("POST", "/__sandbox/faults", "application/json", "",
			[]byte(`[{"path":"/identity/","status":429,"retry_after":9},{"path":"/api/","status":503,"count":2}]`))
		if status != 204 {
			t.Fatalf("%d %s", status, body)
		}
		status, hdr, _ := h.TokenRequest(url.Values{})
		if status != 429 || hdr.Get("Retry-After") != "9" {
			t.Fatalf("token: %d Retry-After %q, want 429 and 9", status, hdr.Get("Retry-After"))
		}
		status, hdr, body = h.Do("POST", ImportPath, "", tok, nil)
		if status != 503 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "503 Service Unavailable") {
			t.Fatalf("import: %d %q %s", status, hdr.Get("Content-Type"), body)
		}
		if got := h.s.State().FaultsPending; got != 1 {
			t.Fatalf("%d faults pending, want 1", got)
		}
		if status, _, _ := h.Do("DELETE", "/__sandbox/faults", "", "", nil); status != 204 {
			t.Fatalf("clear: %d", status)
		}
		if got := h.s.State().FaultsPending; got != 0 {
			t.Fatalf("%d faults pending after clearing", got)
		}
	})

	t.Run("ControlsNeverFaulted", func(t *testing.T) {
		h.s.InjectFault(Fault{Status: 500})
		defer h.s.ClearFaults()
		if status, _, _ := h.Do("GET", "/__sandbox/state", "", "", nil); status != 200 {
			t.Fatalf("state answered %d under a catch-all fault", status)
		}
	})

	t.Run("State", func(t *testing.T) {
		status, _, body := h.Do("GET", "/__sandbox/state", "", "", nil)
		var st State
		if status != 200 || json.Unmarshal(body, &st) != nil {
			t.Fatalf("%d %s", status, body)
		}
		if len(st.Dossiers) != 3 || st.Dossiers[1].ID != 2 || len(st.Dossiers[1].Accounts) != 1 || st.Dossiers[1].Accounts[0].IBAN != testIBAN {
			t.Fatalf("state %s", body)
		}
		if st.TokensIssued != 1 || strings.Contains(string(body), tok) || strings.Contains(string(body), "csecret") {
			t.Fatalf("state %s: want 1 token counted and no secret shown", body)
		}
	})
}

// TestServer_Start runs the sandbox as a process would and stops it.
func TestServer_Start(t *testing.T) {
	s := New(Config{})
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(s.URL() + "/__sandbox/state")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("state answered %d", res.StatusCode)
	}
	if err := s.Start("127.0.0.1:0"); err == nil {
		t.Fatal("started twice")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := http.Get(s.URL() + "/__sandbox/state"); err == nil {
		t.Fatal("still serving after Close")
	}
}

// TestFault_Release holds a request until the test releases it, and counts
// it in flight meanwhile.
func TestFault_Release(t *testing.T) {
	h := MustHarness(t)
	tok := h.MustToken("u", "p")
	release := make(chan struct{})
	h.s.InjectFault(Fault{Path: "/api/", Release: release})
	done := make(chan int)
	go func() {
		status, _ := h.Register(tok, "2", testIBAN, true)
		done <- status
	}()
	testenv.WaitFor(t, time.Minute, "the request to be held", func() bool {
		st := h.s.State()
		return st.FaultsPending == 0 && st.InFlight == 1
	})
	select {
	case status := <-done:
		t.Fatalf("a held request answered %d before its release", status)
	default:
	}
	close(release)
	if status := <-done; status != 200 {
		t.Fatalf("released request answered %d", status)
	}
	testenv.WaitFor(t, time.Minute, "the request to end", func() bool { return h.s.State().InFlight == 0 })
}
