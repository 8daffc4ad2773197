package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/web"
)

// TestUIJob_RestartDuringSlowConnection: the instance that took a slow bank
// connection shuts down while the bank is still checking; a second
// instance on the same database takes the job up, serves its progress page
// to the same browser, and adopts the connection the first attempt created
// at Powens instead of creating a second one.
func TestUIJob_RestartDuringSlowConnection(t *testing.T) {
	e := newFlowEnv(t) // the sandbox's "slow" login answers after 3 s
	mustStatus(t, e.c.get("/connect/bank/"+testBankUUID), http.StatusOK)
	r := e.c.post("/connect/bank/"+testBankUUID, url.Values{"f.login": {"slow"}, "f.password": {"x"}})
	loc := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/connect/jobs/") {
		t.Fatalf("slow login → %d %q, want the progress page", r.Status, loc)
	}
	mustStatus(t, e.c.get(loc), http.StatusAccepted)
	e.stopJobs() // instance A goes away while the bank is thinking

	// Instance B: same database and Powens, another address and job runner.
	agg := &aggregator.Service{Powens: e.agg.Powens, Store: e.store}
	srvB := &web.Server{Users: e.store, Connections: e.store, Accounts: e.store, Transactions: e.store, Wealth: e.store,
		Inbox: e.store, Sessions: e.store, Aggregator: agg}
	startJobs(t, e.store, srvB)
	b := httptest.NewServer(srvB.Handler())
	t.Cleanup(b.Close)
	e.c.base, e.url = b.URL, b.URL // the same browser (its session cookie), served by B

	page := e.settle(e.c.get(loc))
	mustStatus(t, page, http.StatusOK)
	mustContain(t, page, `action="/connect/c/`) // the activation page of the new connection

	// Exactly one connection exists at Powens for the person.
	pu, err := e.store.FindPowensUser(context.Background(), e.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	conns, err := e.agg.Powens.User(pu.Token).ListConnections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(conns) != 1 {
		t.Fatalf("%d connections at Powens after the restart, want 1 (the interrupted one adopted)", len(conns))
	}
}
