package export_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/inqom"
	"github.com/freenahi/freenahi/inqom/sandbox"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/store"
)

const (
	inqomUser    = "compta@example.com"
	inqomDossier = 1001
)

// upload is one import request as the sandbox received it.
type upload struct {
	Filename string
	Content  []byte
}

// inqomEnv is a local Inqom over HTTP, a store, and a Pusher between them.
type inqomEnv struct {
	s       *store.Store
	sb      *sandbox.Server
	srv     *httptest.Server
	clients *export.Clients
	pusher  *export.Pusher

	mu      sync.Mutex
	uploads []upload
}

// newInqomEnv starts the sandbox and a pusher whose client retries once at
// once (two attempts, no backoff) so fault tests stay short. Each attempt
// may take 30 s: a loaded machine must not turn a slow answer into a
// timeout; shortPusher is the one that gives up fast.
func newInqomEnv(t *testing.T, s *store.Store) *inqomEnv {
	t.Helper()
	e := &inqomEnv{s: s}
	e.sb = sandbox.New(sandbox.Config{ClientID: "freenahi", ClientSecret: "client-secret",
		Users: map[string]string{inqomUser: "inqom-password"}, Dossiers: map[string][]int64{inqomUser: {inqomDossier}}})
	e.srv = httptest.NewServer(http.HandlerFunc(e.capture))
	t.Cleanup(func() { e.sb.Close(); e.srv.Close() })
	e.clients = e.newClients(30 * time.Second)
	e.pusher = &export.Pusher{Ledger: s, Importer: e.clients.Importer, Backoff: func(int) time.Duration { return 0 }}
	return e
}

// newClients returns Inqom clients making two attempts of at most timeout each.
func (e *inqomEnv) newClients(timeout time.Duration) *export.Clients {
	// The sandbox is plain http on this computer (allowed), and vouched
	// for, so that its refusals read as Inqom's would.
	return &export.Clients{Store: e.s, AllowLoopback: true, AnswersShownFrom: []string{strings.TrimPrefix(e.srv.URL, "http://")},
		Edit: func(c *inqom.Config) {
			c.MaxAttempts, c.Timeout = 2, timeout
			c.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
		}}
}

// shortPusher pushes over the same ledger with a client that gives up after
// 300 ms per attempt, for the timeout tests.
func (e *inqomEnv) shortPusher() *export.Pusher {
	return &export.Pusher{Ledger: e.s, Importer: e.newClients(300 * time.Millisecond).Importer, Backoff: func(int) time.Duration { return 0 }}
}

// waitState waits until the sandbox's state satisfies ok.
func (e *inqomEnv) waitState(t *testing.T, what string, ok func(sandbox.State) bool) {
	t.Helper()
	testenv.WaitFor(t, time.Minute, what, func() bool { return ok(e.sb.State()) })
}

// waitIdle waits until every injected fault has been used and no request
// is being served, held ones included.
func (e *inqomEnv) waitIdle(t *testing.T) {
	t.Helper()
	e.waitState(t, "the Inqom sandbox to be idle", func(st sandbox.State) bool { return st.FaultsPending == 0 && st.InFlight == 0 })
}

// saveCredentials gives the user Inqom credentials pointing at the sandbox.
func (e *inqomEnv) saveCredentials(t *testing.T, userID int64) {
	t.Helper()
	err := e.s.SaveInqomCredentials(ctx, &freenahi.InqomCredentials{UserID: userID, Username: inqomUser,
		Password: "inqom-password", ClientID: "freenahi", ClientSecret: "client-secret",
		AuthURL: e.srv.URL + sandbox.TokenPath, BankingURL: e.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
}

// capture keeps every uploaded file, then lets the sandbox answer.
func (e *inqomEnv) capture(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == sandbox.ImportPath {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		_, params, _ := strings.Cut(r.Header.Get("Content-Type"), "boundary=")
		if part, err := multipart.NewReader(bytes.NewReader(body), params).NextPart(); err == nil {
			content, _ := io.ReadAll(part)
			e.mu.Lock()
			e.uploads = append(e.uploads, upload{part.FileName(), content})
			e.mu.Unlock()
		}
	}
	e.sb.ServeHTTP(w, r)
}

func (e *inqomEnv) Uploads() []upload {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]upload(nil), e.uploads...)
}

// link maps the fixture's account to the dossier.
func (e *inqomEnv) link(t *testing.T, f *fixture, control bool) *freenahi.InqomMapping {
	t.Helper()
	m, err := e.pusher.MapAccount(ctx, freenahi.InqomMappingInput{UserID: f.user.ID, AccountID: f.account.ID,
		DossierID: inqomDossier, CFONBControl: &control})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// imported returns the references of every movement the dossier received,
// with the file each came in: a reference under two files is a duplicate.
func (e *inqomEnv) imported(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, is := range e.sb.Imports(inqomDossier) {
		for _, m := range is.Statement.Movements {
			out[m.Reference] = append(out[m.Reference], is.Filename)
		}
	}
	return out
}

// batches returns the mapping's batches, oldest first.
func (e *inqomEnv) batches(t *testing.T, f *fixture, m *freenahi.InqomMapping) []*freenahi.ExportBatch {
	t.Helper()
	bs, err := e.s.FindExportBatches(ctx, f.user.ID, m.ID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(bs)-1; i < j; i, j = i+1, j-1 {
		bs[i], bs[j] = bs[j], bs[i]
	}
	return bs
}

// assertOnce checks invariant 7 on both sides: every exportable transaction
// is in exactly one live batch, and Inqom holds each movement from one file.
func (e *inqomEnv) assertOnce(t *testing.T, f *fixture, m *freenahi.InqomMapping, wantImported int) {
	t.Helper()
	imported := e.imported(t)
	for ref, files := range imported {
		for _, fn := range files[1:] {
			if fn != files[0] {
				t.Fatalf("movement %s reached Inqom in two different files: %v", ref, files)
			}
		}
	}
	if len(imported) != wantImported {
		t.Fatalf("Inqom holds %d distinct movements, want %d", len(imported), wantImported)
	}
	st, err := e.s.FindInqomMappingStatus(ctx, f.user.ID, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Waiting != 0 {
		t.Fatalf("%d transactions still wait", st.Waiting)
	}
}
