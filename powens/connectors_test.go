package powens

import (
	"context"
	"testing"
)

const connectorsBody = `{"connectors": [{
	"id": 40, "uuid": "338178e6-3d01-564f-9a7b-52ca442459bf", "name": "Connecteur de test", "auth_mechanism": "credentials",
	"capabilities": ["bank", "document", "someFutureCapability"], "stability": {"status": "stable"},
	"sources": [
		{"id": 1, "name": "directaccess", "priority": 1, "auth_mechanism": "credentials", "disabled": null},
		{"id": 2, "name": "openapi", "priority": 2, "auth_mechanism": "webauth", "disabled": "2025-01-01 00:00:00"}
	],
	"fields": [
		{"name": "login", "label": "Identifiant", "type": "text", "required": true, "connector_sources": ["directaccess"]},
		{"name": "password", "label": "Mot de passe", "type": "password", "required": true},
		{"name": "website", "label": "Type", "type": "list", "values": [{"label": "Particuliers", "value": "par"}], "auth_mechanisms": ["webauth"]},
		{"name": "birthday", "label": "Date", "type": "someFutureType", "required": false}
	]
}]}`

func TestClient_ListConnectors(t *testing.T) {
	ctx := context.Background()
	t.Run("Default", func(t *testing.T) {
		f := MustNewFake(t, reply(200, connectorsBody))
		got, err := f.client.ListConnectors(ctx, ConnectorQuery{CountryCodes: []string{"FR", "DE"}})
		if err != nil {
			t.Fatal(err)
		}
		checkRequest(t, f.Only(t), "GET", "/2.0/connectors", "country_codes=FR%2CDE&expand=sources%2Cfields", "")
		if len(got) != 1 || len(got[0].Sources) != 2 || len(got[0].Fields) != 4 {
			t.Fatalf("connectors %+v", got)
		}
		c := got[0]
		if c.UUID != "338178e6-3d01-564f-9a7b-52ca442459bf" || *c.AuthMechanism != "credentials" {
			t.Errorf("connector %+v", c)
		}
		if c.Sources[1].Disabled.IsZero() || c.Fields[2].Values[0].Value != "par" || c.Fields[3].Type != "someFutureType" {
			t.Errorf("sources/fields %+v %+v", c.Sources, c.Fields)
		}
	})
	t.Run("NoExpand", func(t *testing.T) {
		f := MustNewFake(t, reply(200, `{"connectors": []}`))
		if _, err := f.client.ListConnectors(ctx, ConnectorQuery{Expand: []string{}}); err != nil {
			t.Fatal(err)
		}
		checkRequest(t, f.Only(t), "GET", "/2.0/connectors", "", "")
	})
}

func TestClient_GetConnector(t *testing.T) {
	f := MustNewFake(t, reply(200, `{"id": 40, "uuid": "u-1", "name": "Test"}`))
	got, err := f.client.GetConnector(context.Background(), "u-1", "sources")
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, f.Only(t), "GET", "/2.0/connectors/u-1", "expand=sources", "")
	if got.Name != "Test" {
		t.Errorf("connector %+v", got)
	}
	for _, bad := range []string{"", ".", ".."} {
		if _, err := f.client.GetConnector(context.Background(), bad); err == nil {
			t.Errorf("GetConnector(%q) succeeded", bad)
		}
	}
}

func TestClient_ConnectorFields(t *testing.T) {
	f := MustNewFake(t, reply(200, `{"fields": [{"name": "login", "label": "Identifiant", "type": "text", "required": true}]}`))
	got, err := f.client.ConnectorFields(context.Background(), "40")
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, f.Only(t), "GET", "/2.0/connectors/40/fields", "", "")
	if len(got) != 1 || got[0].Name != "login" || !got[0].Required {
		t.Errorf("fields %+v", got)
	}
}
