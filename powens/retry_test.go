package powens

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const meBody = `{"id": 1, "signin": "2024-01-02 03:04:05"}`

// withRetryAfter answers 429 with the given Retry-After header.
func withRetryAfter(v string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", v)
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"code": "tooManyRequests", "description": "slow down"}`))
	}
}

func TestRetry(t *testing.T) {
	ctx := context.Background()
	t.Run("RetryAfterSeconds", func(t *testing.T) {
		f := MustNewFake(t, sequence(withRetryAfter("3"), withRetryAfter("7"), reply(200, meBody)))
		if _, err := f.client.User("tok").Me(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]time.Duration{3 * time.Second, 7 * time.Second}, f.Waits()); diff != "" {
			t.Errorf("waits (-want +got):\n%s", diff)
		}
		if got := len(f.Requests()); got != 3 {
			t.Errorf("requests=%d, want 3", got)
		}
	})
	t.Run("RetryAfterCapped", func(t *testing.T) {
		f := MustNewFake(t, sequence(withRetryAfter("86400"), reply(200, meBody)),
			func(c *ClientConfig) { c.RetryAfterCap = 10 * time.Second })
		if _, err := f.client.User("tok").Me(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]time.Duration{10 * time.Second}, f.Waits()); diff != "" {
			t.Errorf("waits (-want +got):\n%s", diff)
		}
	})
	t.Run("RetryAfterDate", func(t *testing.T) {
		date := time.Now().Add(20 * time.Second).UTC().Format(http.TimeFormat)
		f := MustNewFake(t, sequence(withRetryAfter(date), reply(200, meBody)))
		if _, err := f.client.User("tok").Me(ctx); err != nil {
			t.Fatal(err)
		}
		w := f.Waits()
		if len(w) != 1 || w[0] < 15*time.Second || w[0] > 20*time.Second {
			t.Errorf("waits=%v, want one of about 20s", w)
		}
	})
	t.Run("ServerErrorBackoff", func(t *testing.T) {
		f := MustNewFake(t, reply(500, `{"code": "bug", "description": "oops"}`), func(c *ClientConfig) {
			c.BackoffBase = time.Second
			c.BackoffCap = 3 * time.Second
			c.MaxAttempts = 4
		})
		_, err := f.client.User("tok").Me(ctx)
		if !IsCode(err, CodeBug) || StatusOf(err) != 500 {
			t.Fatalf("err=%v, want the last 500 bug", err)
		}
		if got := len(f.Requests()); got != 4 {
			t.Errorf("requests=%d, want 4", got)
		}
		// Equal jitter: each wait lies in [d/2, d] for d = 1s, 2s, then the 3s cap.
		w := f.Waits()
		bounds := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}
		if len(w) != len(bounds) {
			t.Fatalf("waits=%v, want %d", w, len(bounds))
		}
		for i, d := range bounds {
			if w[i] < d/2 || w[i] > d {
				t.Errorf("wait %d=%v, want within [%v, %v]", i, w[i], d/2, d)
			}
		}
	})
	t.Run("NetworkError", func(t *testing.T) {
		f := MustNewFake(t, reply(200, meBody))
		f.srv.Close()
		_, err := f.client.User("tok").Me(ctx)
		if err == nil {
			t.Fatal("Me succeeded against a closed server")
		}
		if AsError(err) != nil {
			t.Errorf("network failure reported as a Powens error: %v", err)
		}
		if got := len(f.Waits()); got != DefaultMaxAttempts-1 {
			t.Errorf("waits=%d, want %d", got, DefaultMaxAttempts-1)
		}
	})
	t.Run("NoRetryOnClientError", func(t *testing.T) {
		f := MustNewFake(t, reply(404, `{"code": "notFound"}`))
		if _, err := f.client.User("tok").Me(ctx); !IsNotFound(err) {
			t.Fatalf("err=%v, want 404", err)
		}
		if got := len(f.Requests()); got != 1 {
			t.Errorf("requests=%d, want 1", got)
		}
	})
	t.Run("PutAndDeleteRetried", func(t *testing.T) {
		f := MustNewFake(t, sequence(reply(502, `bad gateway`), reply(200, `{"id": 5}`), reply(503, ``), reply(204, ``)))
		u := f.client.User("tok")
		if _, err := u.SyncConnection(ctx, 5, false); err != nil {
			t.Fatal(err)
		}
		if err := u.DeleteConnection(ctx, 5); err != nil {
			t.Fatal(err)
		}
		if got := len(f.Requests()); got != 4 {
			t.Errorf("requests=%d, want 4", got)
		}
		// The replayed PUT must carry the same request again.
		reqs := f.Requests()
		if reqs[0].Query != reqs[1].Query || reqs[0].Method != reqs[1].Method {
			t.Errorf("replay differs: %+v vs %+v", reqs[0], reqs[1])
		}
	})
	t.Run("ReplayedBody", func(t *testing.T) {
		f := MustNewFake(t, sequence(reply(500, ``), reply(200, `[]`)))
		if _, err := f.client.User("tok").ActivateAccounts(ctx, 3, []int64{1, 2}); err != nil {
			t.Fatal(err)
		}
		reqs := f.Requests()
		if len(reqs) != 2 || reqs[0].Body != reqs[1].Body || reqs[1].Body != `{"disabled":false}` {
			t.Errorf("bodies %q, want the same JSON twice", []string{reqs[0].Body, reqs[len(reqs)-1].Body})
		}
	})
	t.Run("MaxAttemptsOne", func(t *testing.T) {
		f := MustNewFake(t, reply(500, ``), func(c *ClientConfig) { c.MaxAttempts = 1 })
		if _, err := f.client.User("tok").Me(ctx); StatusOf(err) != 500 {
			t.Fatalf("err=%v", err)
		}
		if got := len(f.Requests()); got != 1 {
			t.Errorf("requests=%d, want 1", got)
		}
	})
}

func TestRetry_NeverForPOST(t *testing.T) {
	ctx := context.Background()
	for name, call := range map[string]func(c *Client) error{
		"AuthInit": func(c *Client) error { _, err := c.InitUser(ctx); return err },
		"TokenAccess": func(c *Client) error {
			_, err := c.ExchangeCode(ctx, "code", "")
			return err
		},
		"Renew": func(c *Client) error { _, err := c.RenewToken(ctx, 9, false); return err },
		"CreateConnection": func(c *Client) error {
			_, _, err := c.User("tok").CreateConnection(ctx, CreateConnection{ConnectorUUID: "u"})
			return err
		},
		"UpdateConnection": func(c *Client) error {
			_, _, err := c.User("tok").UpdateConnection(ctx, 1, UpdateConnection{Resume: true})
			return err
		},
		"UpdateAccount": func(c *Client) error {
			f := false
			_, err := c.User("tok").UpdateAccount(ctx, 1, AccountUpdate{Disabled: &f})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			for _, h := range []http.HandlerFunc{reply(503, `<html>maintenance</html>`), withRetryAfter("1")} {
				f := MustNewFake(t, h)
				if err := call(f.client); err == nil {
					t.Fatal("call succeeded, want the server's error")
				}
				if got := len(f.Requests()); got != 1 {
					t.Errorf("requests=%d, want exactly 1", got)
				}
				if got := f.Waits(); len(got) != 0 {
					t.Errorf("waits=%v, want none", got)
				}
			}
			f := MustNewFake(t, reply(200, `{}`))
			f.srv.Close()
			if err := call(f.client); err == nil {
				t.Fatal("call succeeded against a closed server")
			}
			if got := f.Waits(); len(got) != 0 {
				t.Errorf("waits after a network error=%v, want none", got)
			}
		})
	}
}

func TestRetry_ContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var f *fake
	f = MustNewFake(t, reply(503, ``), func(c *ClientConfig) {
		c.Sleep = func(ctx context.Context, d time.Duration) error {
			cancel() // the caller gives up while we wait
			<-ctx.Done()
			return ctx.Err()
		}
	})
	_, err := f.client.User("tok").Me(ctx)
	if !errors.Is(err, context.Canceled) && StatusOf(err) != 503 {
		t.Fatalf("err=%v", err)
	}
	if got := len(f.Requests()); got != 1 {
		t.Errorf("requests=%d, want 1 (no retry after cancel)", got)
	}

	// A context already cancelled sends nothing at all.
	f2 := MustNewFake(t, reply(200, meBody))
	_, err = f2.client.User("tok").Me(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err=%v, want context.Canceled", err)
	}
	if got := len(f2.Requests()); got != 0 {
		t.Errorf("requests=%d, want 0", got)
	}
}
