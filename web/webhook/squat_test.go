package webhook_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestWebhook_DeliveryKeySquatting (issue 10, item 2): in bearer mode anyone
// can have a delivery stored for a Powens user freenahi does not know yet.
// Such a delivery must never take the key of a genuine one: neither of a
// linked user's delivery with the same id_webhook_data, nor of the genuine
// delivery for the unknown user, which is processed once the user is linked.
func TestWebhook_DeliveryKeySquatting(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ts := webtest.NewServer(t, s, func(srv *web.Server) { srv.Webhook.Secret = "" })
		alice, _ := s.CreateUser(ctx, "alice@example.com", "")
		if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: alice.ID, PowensUserID: 42, Token: "alice-token"}); err != nil {
			t.Fatal(err)
		}
		post := func(body, token string) *webtest.Response {
			t.Helper()
			return deliver(t, ts, delivery{body: []byte(body), noSign: true, bearer: token})
		}
		// The attacker squats delivery 500 for an unknown user and for Bob,
		// who is not linked yet.
		for _, body := range []string{
			`{"id_webhook_data": 500, "user": {"id": 31337}, "connection": {"id": 1, "id_user": 31337}}`,
			`{"id_webhook_data": 500, "user": {"id": 77}, "connection": {"id": 1, "id_user": 77}}`,
			`{"id_webhook_data": 501, "user": {"id": 77}, "connection": {"id": 1, "id_user": 77}}`,
		} {
			if r := post(body, "attacker-token"); r.Status != http.StatusOK {
				t.Fatalf("squat: status=%d body=%s", r.Status, r.Body)
			}
		}
		// Alice's genuine delivery 500 is stored and queued, not "duplicate".
		r := post(`{"id_webhook_data": 500, "user": {"id": 42}, "connection": {"id": 7, "id_user": 42}}`, "alice-token")
		if r.Status != http.StatusOK || strings.Contains(string(r.Body), "duplicate") {
			t.Fatalf("genuine delivery for a linked user: status=%d body=%s, want accepted", r.Status, r.Body)
		}
		// Bob's genuine delivery 501 arrives before Bob is linked: stored too.
		r = post(`{"id_webhook_data": 501, "user": {"id": 77}, "connection": {"id": 8, "id_user": 77}}`, "bob-token")
		if r.Status != http.StatusOK || strings.Contains(string(r.Body), "duplicate") {
			t.Fatalf("genuine delivery for a user not linked yet: status=%d body=%s, want accepted", r.Status, r.Body)
		}
		// A re-delivery of Alice's is recognised as such.
		r = post(`{"id_webhook_data": 500, "user": {"id": 42}, "connection": {"id": 7, "id_user": 42}}`, "alice-token")
		if !strings.Contains(string(r.Body), "duplicate") {
			t.Fatalf("re-delivery: body=%s, want duplicate", r.Body)
		}
		bob, _ := s.CreateUser(ctx, "bob@example.com", "")
		released, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: bob.ID, PowensUserID: 77, Token: "bob-token"})
		if err != nil || released != 1 {
			t.Fatalf("linking Bob released %d events (err %v), want his one genuine delivery", released, err)
		}
		pending := freenahi.StatusPending
		events, _ := s.FindEvents(ctx, freenahi.InboxFilter{Status: &pending})
		var conns []string
		for _, e := range events {
			full, _ := s.FindEventByID(ctx, e.ID)
			conns = append(conns, string(full.Body))
		}
		if len(events) != 2 || !strings.Contains(conns[0], `"id": 8`) || !strings.Contains(conns[1], `"id": 7`) {
			t.Fatalf("pending events=%v, want Bob's and Alice's genuine deliveries only", conns)
		}
	})
}
