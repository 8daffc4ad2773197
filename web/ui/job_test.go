package ui_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestUIJob_RestartDuringSlowConnection: the instance that took a slow bank
// connection shuts down while the bank is still checking; a second
// instance on the same database takes the job up, serves its progress page
// to the same browser, and adopts the connection the first attempt created
// at Powens instead of creating a second one.
func TestUIJob_RestartDuringSlowConnection(t *testing.T) {
	e := webtest.NewFlow(t) // the sandbox's "slow" login answers after 3 s
	webtest.MustStatus(t, e.Client.Get("/connect/bank/"+sandbox.TestBankUUID), http.StatusOK)
	r := e.Client.Post("/connect/bank/"+sandbox.TestBankUUID, url.Values{"f.login": {"slow"}, "f.password": {"a-secret-password"}})
	loc := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/connect/jobs/") {
		t.Fatalf("slow login → %d %q, want the progress page", r.Status, loc)
	}
	// The waiting job holds the credentials encrypted for Powens only.
	job, err := e.Store.FindJob(context.Background(), e.User.ID, strings.TrimPrefix(loc, "/connect/jobs/"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(job.Payload), "a-secret-password") || !strings.Contains(string(job.Payload), `"sealed"`) {
		t.Fatalf("job payload keeps the credentials in a form freenahi can read:\n%s", job.Payload)
	}
	webtest.MustStatus(t, e.Client.Get(loc), http.StatusAccepted)
	e.StopJobs() // instance A goes away while the bank is thinking

	// Instance B: same database and Powens, another address and job runner.
	agg := &aggregator.Service{Powens: e.Aggregator.Powens, Store: e.Store}
	srvB := &web.Server{Users: e.Store, Connections: e.Store, Accounts: e.Store, Transactions: e.Store, Wealth: e.Store,
		Inbox: e.Store, Sessions: e.Store, Aggregator: agg}
	webtest.StartJobs(t, e.Store, srvB)
	b := httptest.NewServer(srvB.Handler())
	t.Cleanup(b.Close)
	e.Client.Base, e.URL = b.URL, b.URL // the same browser (its session cookie), served by B

	page := e.Settle(e.Client.Get(loc))
	webtest.MustStatus(t, page, http.StatusOK)
	webtest.MustContain(t, page, `action="/connect/c/`) // the activation page of the new connection

	// Exactly one connection exists at Powens for the person.
	pu, err := e.Store.FindPowensUser(context.Background(), e.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	conns, err := e.Aggregator.Powens.User(pu.Token).ListConnections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(conns) != 1 {
		t.Fatalf("%d connections at Powens after the restart, want 1 (the interrupted one adopted)", len(conns))
	}
}
