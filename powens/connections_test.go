package powens

import (
	"context"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/google/go-cmp/cmp"
)

const otpConnection = `{
	"id": 7, "id_user": 42, "id_connector": 40, "connector_uuid": "338178e6-3d01-564f-9a7b-52ca442459bf",
	"state": "additionalInformationNeeded", "error": "additionalInformationNeeded", "error_message": null,
	"fields": [{"name": "otp", "label": "Code", "type": "text", "required": true, "regex": "^\\d{6}$", "future": {}}],
	"last_update": null, "created": "2025-10-26 03:30:00", "active": true, "unknown_field": [1, 2]
}`

func TestUserClient_CreateConnection(t *testing.T) {
	f := MustNewFake(t, reply(202, otpConnection))
	in := CreateConnection{
		ConnectorUUID: "338178e6-3d01-564f-9a7b-52ca442459bf",
		Source:        "directaccess",
		Fields:        map[string]string{"login": "2fa", "password": "eyJ.enc"},
		Expand:        []string{"sources"},
	}
	conn, status, err := f.client.User("tok").CreateConnection(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if status != 202 {
		t.Errorf("status=%d, want 202", status)
	}
	r := f.Only(t)
	checkRequest(t, r, "POST", "/2.0/users/me/connections", "expand=sources&source=directaccess", "tok")
	want := map[string]any{"connector_uuid": in.ConnectorUUID, "login": "2fa", "password": "eyJ.enc"}
	if diff := cmp.Diff(want, r.JSON(t)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if got := conn.ConnectionState(); got != freenahi.StateAdditionalInformationNeeded || got.Kind() != freenahi.StateKindUserAction {
		t.Errorf("state=%q kind=%q", got, got.Kind())
	}
	if !conn.NeedsInput() || conn.Fields[0].Name != "otp" || *conn.Fields[0].Regex != `^\d{6}$` {
		t.Errorf("fields %+v", conn.Fields)
	}
	// Naive datetimes are Paris time: the day summer time ended, 03:30 is CET (UTC+1).
	if got, want := conn.Created.UTC(), time.Date(2025, 10, 26, 2, 30, 0, 0, time.UTC); got != want {
		t.Errorf("Created=%v, want %v", got, want)
	}
}

func TestUserClient_CreateConnection_Validation(t *testing.T) {
	f := MustNewFake(t, reply(200, `{}`))
	u := f.client.User("tok")
	for name, in := range map[string]CreateConnection{
		"NoConnector":  {Fields: map[string]string{"login": "x"}},
		"ReservedName": {ConnectorUUID: "u", Fields: map[string]string{"connector_uuid": "other"}},
		"EmptyName":    {ConnectorUUID: "u", Fields: map[string]string{"": "x"}},
	} {
		if _, _, err := u.CreateConnection(context.Background(), in); err == nil {
			t.Errorf("%s: CreateConnection succeeded", name)
		}
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("requests=%d, want 0", n)
	}
	t.Run("DeprecatedConnectorID", func(t *testing.T) {
		f := MustNewFake(t, reply(201, `{"id": 8, "state": null}`))
		conn, status, err := f.client.User("tok").CreateConnection(context.Background(), CreateConnection{ConnectorID: 40})
		if err != nil || status != 201 {
			t.Fatalf("status=%d err=%v", status, err)
		}
		if diff := cmp.Diff(map[string]any{"id_connector": float64(40)}, f.Only(t).JSON(t)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
		if conn.ConnectionState() != freenahi.StateOK || conn.NeedsInput() {
			t.Errorf("state %q", conn.ConnectionState())
		}
	})
}

func TestUserClient_UpdateConnection(t *testing.T) {
	ctx := context.Background()
	t.Run("Fields", func(t *testing.T) {
		f := MustNewFake(t, reply(200, `{"id": 7, "state": null}`))
		_, status, err := f.client.User("tok").UpdateConnection(ctx, 7, UpdateConnection{Fields: map[string]string{"otp": "123456"}})
		if err != nil || status != 200 {
			t.Fatalf("status=%d err=%v", status, err)
		}
		r := f.Only(t)
		checkRequest(t, r, "POST", "/2.0/users/me/connections/7", "", "tok")
		if diff := cmp.Diff(map[string]any{"otp": "123456"}, r.JSON(t)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})
	t.Run("ResumeInBackground", func(t *testing.T) {
		f := MustNewFake(t, reply(202, `{"id": 7, "state": "validating"}`))
		active := true
		conn, status, err := f.client.User("tok").UpdateConnection(ctx, 7,
			UpdateConnection{Resume: true, Active: &active, Source: "openapi", Background: true, Expand: []string{"sources"}})
		if err != nil {
			t.Fatal(err)
		}
		if status != 202 || conn.ConnectionState().Kind() != freenahi.StateKindTransient {
			t.Errorf("status=%d state=%q", status, conn.ConnectionState())
		}
		r := f.Only(t)
		checkRequest(t, r, "POST", "/2.0/users/me/connections/7", "expand=sources&source=openapi&background", "tok")
		if diff := cmp.Diff(map[string]any{"resume": true, "active": true}, r.JSON(t)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})
	t.Run("EmptyBodySyncs", func(t *testing.T) {
		f := MustNewFake(t, reply(200, `{"id": 7, "state": "SCARequired"}`))
		conn, _, err := f.client.User("tok").UpdateConnection(ctx, 7, UpdateConnection{})
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Only(t).Body; got != `{}` {
			t.Errorf("body %q, want {}", got)
		}
		if conn.ConnectionState() != freenahi.StateSCARequired {
			t.Errorf("state %q", conn.ConnectionState())
		}
	})
	t.Run("WrongOTP", func(t *testing.T) {
		f := MustNewFake(t, reply(400, `{"code": "wrongpass", "description": "Invalid OTP"}`))
		_, status, err := f.client.User("tok").UpdateConnection(ctx, 7, UpdateConnection{Fields: map[string]string{"otp": "000000"}})
		if !IsCode(err, CodeWrongpass) || status != 400 {
			t.Errorf("status=%d err=%v", status, err)
		}
	})
}

func TestUserClient_SyncConnection(t *testing.T) {
	for _, tc := range []struct {
		psu   bool
		query string
	}{{true, "psu_requested=true"}, {false, "psu_requested=false"}} {
		f := MustNewFake(t, reply(200, `{"id": 7, "state": "webauthRequired"}`))
		conn, err := f.client.User("tok").SyncConnection(context.Background(), 7, tc.psu)
		if err != nil {
			t.Fatal(err)
		}
		checkRequest(t, f.Only(t), "PUT", "/2.0/users/me/connections/7", tc.query, "tok")
		if conn.ConnectionState() != freenahi.StateWebauthRequired {
			t.Errorf("state %q", conn.ConnectionState())
		}
	}
	f := MustNewFake(t, reply(409, `{"code": "invalidValue", "description": "Can't force synchronization"}`))
	if _, err := f.client.User("tok").SyncConnection(context.Background(), 7, false); !IsConflict(err) {
		t.Errorf("err=%v, want a conflict", err)
	}
	if n := len(f.Requests()); n != 1 {
		t.Errorf("a 409 was retried: %d requests", n)
	}
}

func TestUserClient_GetListDeleteConnection(t *testing.T) {
	ctx := context.Background()
	t.Run("Get", func(t *testing.T) {
		f := MustNewFake(t, reply(200, `{"id": 7, "state": "someFutureState", "sources": [{"id": 1, "name": "openapi", "state": null, "access_expire": "2026-04-01 00:00:00"}], "connector": {"id": 40, "uuid": "u", "name": "Test"}}`))
		conn, err := f.client.User("tok").GetConnection(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		checkRequest(t, f.Only(t), "GET", "/2.0/users/me/connections/7", "expand=sources%2Cconnector", "tok")
		if conn.ConnectionState().Kind() != freenahi.StateKindFatal {
			t.Errorf("unknown state kind %q, want fatal", conn.ConnectionState().Kind())
		}
		if conn.Connector.Name != "Test" || conn.Sources[0].Name != "openapi" {
			t.Errorf("expansions not decoded: %+v", conn)
		}
	})
	t.Run("GetExpand", func(t *testing.T) {
		f := MustNewFake(t, reply(200, `{"id": 7}`))
		if _, err := f.client.User("tok").GetConnection(ctx, 7, "all_accounts"); err != nil {
			t.Fatal(err)
		}
		checkRequest(t, f.Only(t), "GET", "/2.0/users/me/connections/7", "expand=all_accounts", "tok")
	})
	t.Run("List", func(t *testing.T) {
		f := MustNewFake(t, reply(200, `{"connections": [{"id": 1, "state": null}, {"id": 2, "error": "wrongpass"}], "total": 2}`))
		conns, err := f.client.User("tok").ListConnections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		checkRequest(t, f.Only(t), "GET", "/2.0/users/me/connections", "expand=sources%2Cconnector", "tok")
		if len(conns) != 2 || conns[1].ConnectionState() != freenahi.StateWrongpass {
			t.Errorf("connections %+v", conns)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		f := MustNewFake(t, reply(204, ``))
		if err := f.client.User("tok").DeleteConnection(ctx, 7); err != nil {
			t.Fatal(err)
		}
		checkRequest(t, f.Only(t), "DELETE", "/2.0/users/me/connections/7", "", "tok")
	})
}
