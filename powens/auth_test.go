package powens

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestClient_InitUser(t *testing.T) {
	f := MustNewFake(t, reply(200, `{"auth_token": "perm-tok", "type": "permanent", "id_user": 42, "expires_in": null, "future": 1}`))
	got, err := f.client.InitUser(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&AuthToken{Token: "perm-tok", Type: TokenPermanent, IDUser: 42}, got); diff != "" {
		t.Errorf("token (-want +got):\n%s", diff)
	}
	r := f.Only(t)
	checkRequest(t, r, "POST", "/2.0/auth/init", "", "")
	if diff := cmp.Diff(map[string]any{"client_id": "1234", "client_secret": "s3cret"}, r.JSON(t)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type=%q", got)
	}
}

func TestClient_InitUser_NeedsCredentials(t *testing.T) {
	f := MustNewFake(t, reply(200, `{}`), func(c *ClientConfig) { c.ClientSecret = "" })
	if _, err := f.client.InitUser(context.Background()); err == nil {
		t.Fatal("InitUser without a secret succeeded")
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("requests=%d, want 0", n)
	}
}

func TestClient_ExchangeCode(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"AccessToken", `{"access_token": "perm", "token_type": "Bearer"}`},
		{"Token", `{"token": "perm"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := MustNewFake(t, reply(200, tc.body))
			got, err := f.client.ExchangeCode(context.Background(), "tmp/code+1", "https://app.example/cb")
			if err != nil {
				t.Fatal(err)
			}
			if got.Token != "perm" {
				t.Errorf("Token=%q, want perm", got.Token)
			}
			r := f.Only(t)
			checkRequest(t, r, "POST", "/2.0/auth/token/access", "", "")
			want := map[string]any{"grant_type": "authorization_code", "client_id": "1234", "client_secret": "s3cret",
				"code": "tmp/code+1", "redirect_uri": "https://app.example/cb"}
			if diff := cmp.Diff(want, r.JSON(t)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("NoToken", func(t *testing.T) {
		f := MustNewFake(t, reply(200, `{"token_type": "Bearer"}`))
		if _, err := f.client.ExchangeCode(context.Background(), "c", ""); err == nil {
			t.Fatal("want an error for a response without token")
		}
		if _, has := f.Only(t).JSON(t)["redirect_uri"]; has {
			t.Error("empty redirect_uri was sent")
		}
	})
}

func TestClient_RenewToken(t *testing.T) {
	f := MustNewFake(t, reply(200, `{"access_token": "new", "token_type": "Bearer"}`))
	got, err := f.client.RenewToken(context.Background(), 42, true)
	if err != nil {
		t.Fatal(err)
	}
	if got.Token != "new" || got.TokenType != "Bearer" {
		t.Errorf("got %+v", *got)
	}
	r := f.Only(t)
	checkRequest(t, r, "POST", "/2.0/auth/renew", "", "")
	want := map[string]any{"grant_type": "client_credentials", "client_id": "1234", "client_secret": "s3cret",
		"id_user": float64(42), "revoke_previous": true}
	if diff := cmp.Diff(want, r.JSON(t)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if _, err := f.client.RenewToken(context.Background(), 0, false); err == nil {
		t.Error("RenewToken without a user succeeded (Powens would create a user)")
	}
}

func TestUserClient_TemporaryCode(t *testing.T) {
	f := MustNewFake(t, reply(200, `{"code": "a/b+c", "type": "temporary", "access": "single", "expires_in": 1800}`))
	got, err := f.client.User("tok").TemporaryCode(context.Background(), CodeSingleAccess)
	if err != nil {
		t.Fatal(err)
	}
	exp := int64(1800)
	if diff := cmp.Diff(&AuthCode{Code: "a/b+c", Type: "temporary", Access: "single", ExpiresIn: &exp}, got); diff != "" {
		t.Errorf("code (-want +got):\n%s", diff)
	}
	checkRequest(t, f.Only(t), "GET", "/2.0/auth/token/code", "type=singleAccess", "tok")
}

func TestUserClient_UserCalls(t *testing.T) {
	ctx := context.Background()
	t.Run("Me", func(t *testing.T) {
		f := MustNewFake(t, reply(200, `{"id": 42, "signin": "2024-03-31 02:30:00", "platform": "sharedAccess"}`))
		got, err := f.client.User("tok").Me(ctx)
		if err != nil {
			t.Fatal(err)
		}
		checkRequest(t, f.Only(t), "GET", "/2.0/users/me", "", "tok")
		if got.ID != 42 || got.Platform != "sharedAccess" {
			t.Errorf("user %+v", got)
		}
		// 02:30 does not exist in Paris on 2024-03-31 (clocks jump 02:00→03:00);
		// Go normalises it forward, which keeps the instant within the hour.
		if got, want := got.Signin.UTC(), time.Date(2024, 3, 31, 1, 30, 0, 0, time.UTC); got != want {
			t.Errorf("Signin=%v, want %v", got, want)
		}
	})
	t.Run("DeleteUser", func(t *testing.T) {
		f := MustNewFake(t, reply(204, ``))
		if err := f.client.User("tok").DeleteUser(ctx); err != nil {
			t.Fatal(err)
		}
		checkRequest(t, f.Only(t), "DELETE", "/2.0/users/me", "", "tok")
	})
	t.Run("RevokeToken", func(t *testing.T) {
		f := MustNewFake(t, reply(204, ``))
		if err := f.client.User("tok").RevokeToken(ctx); err != nil {
			t.Fatal(err)
		}
		checkRequest(t, f.Only(t), "DELETE", "/2.0/auth/token", "", "tok")
	})
	t.Run("Unauthorized", func(t *testing.T) {
		f := MustNewFake(t, reply(401, `{"code": "invalidToken", "description": "bad token"}`))
		_, err := f.client.User("tok").Me(ctx)
		if !IsUnauthorized(err) {
			t.Fatalf("err=%v, want unauthorized", err)
		}
	})
}

// TestClient_InitUser_WithoutIDUser: some /auth/init answers carry no
// id_user; the client asks /users/me with the new token rather than
// linking a user to Powens user 0.
func TestClient_InitUser_WithoutIDUser(t *testing.T) {
	f := MustNewFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/2.0/auth/init":
			w.Write([]byte(`{"auth_token": "perm-tok", "type": "permanent"}`))
		case "/2.0/users/me":
			if r.Header.Get("Authorization") != "Bearer perm-tok" {
				w.WriteHeader(401)
				w.Write([]byte(`{"code": "unauthorized"}`))
				return
			}
			w.Write([]byte(`{"id": 77, "signin": "2026-11-02 09:14:07", "platform": "sharedAccess"}`))
		default:
			w.WriteHeader(404)
		}
	})
	got, err := f.client.InitUser(context.Background())
	if err != nil || got.IDUser != 77 || got.Token != "perm-tok" {
		t.Fatalf("InitUser=%+v, %v; want Powens user 77 read from /users/me", got, err)
	}
}
