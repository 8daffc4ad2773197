package powens

import (
	"errors"
	"testing"
	"time"
)

// signatureVectors were computed once outside Go, from the formula of
// Powens' documentation (Base64(HMAC-SHA256(secret, METHOD.PATH.DATE.BODY))):
//
//	printf '%s' 'POST./webhook/connection_synced/.2025-03-16T11:00:00.000000Z.{"id_webhook_data":1}' |
//	  openssl dgst -sha256 -hmac s3cret -binary | base64
//
// and likewise for each row, so they check Sign and VerifySignature against
// something neither of them computed.
var signatureVectors = []struct {
	name, secret, method, path, date, body, want string
}{
	{"ConnectionSynced", "s3cret", "POST", "/webhook/connection_synced/", "2025-03-16T11:00:00.000000Z",
		`{"id_webhook_data":1}`, "4dPDU7yDKHivfr3mniRUeCHgtWlebrl4FnAE9wH3DGU="},
	{"DocumentationPath", "my-secret-key", "POST", "/v1/webhook-listener", "2022-06-27T11:08:52.577831Z",
		`{"id_webhook_data":42,"id":7,"signin":"2022-06-27 13:08:52"}`, "as2rGBdJbGeuy9hlkXVsIJzdNVJWJIhsDJc0AAxiTpU="},
	{"EmptyBody", "k", "POST", "/webhook/user_deleted/", "2025-01-01T00:00:00.000000Z",
		"", "cVbsRzMZzx+Pq64Pg4GFFUl3BrpQ4LDdawW46eaS/so="},
	{"UTF8SecretAndBody", "clé secrète", "POST", "/webhook/connection_synced/", "2025-03-16T11:00:00.123456Z",
		`{"label":"Crédit Agricole €"}`, "pzk3EO7q52H4B6OXTgI90813KOphHcWB62Fou59/2YU="},
}

func TestSign_Vectors(t *testing.T) {
	for _, v := range signatureVectors {
		t.Run(v.name, func(t *testing.T) {
			if got := Sign(v.secret, v.method, v.path, v.date, []byte(v.body)); got != v.want {
				t.Fatalf("Sign=%s, want %s", got, v.want)
			}
		})
	}
}

func TestVerifySignature(t *testing.T) {
	for _, v := range signatureVectors {
		t.Run(v.name, func(t *testing.T) {
			at, err := time.Parse(time.RFC3339Nano, v.date)
			if err != nil {
				t.Fatal(err)
			}
			verify := func(secret, method, path, date, sig, body string, now time.Time) error {
				return VerifySignature(secret, method, path, date, sig, []byte(body), now, 5*time.Minute)
			}
			if err := verify(v.secret, v.method, v.path, v.date, v.want, v.body, at.Add(time.Minute)); err != nil {
				t.Fatalf("the documented signature is refused: %v", err)
			}
			// Each part of the message is covered by the signature.
			for _, tc := range []struct {
				name                                  string
				secret, method, path, date, sig, body string
				want                                  error
			}{
				{"OtherSecret", v.secret + "x", v.method, v.path, v.date, v.want, v.body, ErrSignatureInvalid},
				{"OtherMethod", v.secret, "PUT", v.path, v.date, v.want, v.body, ErrSignatureInvalid},
				{"OtherPath", v.secret, v.method, v.path + "x", v.date, v.want, v.body, ErrSignatureInvalid},
				{"OtherBody", v.secret, v.method, v.path, v.date, v.want, v.body + " ", ErrSignatureInvalid},
				{"OtherDate", v.secret, v.method, v.path, v.date[:len(v.date)-2] + "9Z", v.want, v.body, ErrSignatureInvalid},
				{"NotBase64", v.secret, v.method, v.path, v.date, "%%%", v.body, ErrSignatureInvalid},
				{"NoSignature", v.secret, v.method, v.path, v.date, "", v.body, ErrSignatureMissing},
				{"NoDate", v.secret, v.method, v.path, "", v.want, v.body, ErrSignatureMissing},
				{"DateNotISO", v.secret, v.method, v.path, "16/03/2025 11:00", v.want, v.body, ErrSignatureDate},
			} {
				if err := verify(tc.secret, tc.method, tc.path, tc.date, tc.sig, tc.body, at); !errors.Is(err, tc.want) {
					t.Errorf("%s: err=%v, want %v", tc.name, err, tc.want)
				}
			}
			for _, skew := range []time.Duration{6 * time.Minute, -6 * time.Minute} {
				if err := verify(v.secret, v.method, v.path, v.date, v.want, v.body, at.Add(skew)); !errors.Is(err, ErrSignatureStale) {
					t.Errorf("checked %v after its date: err=%v, want %v", skew, err, ErrSignatureStale)
				}
			}
		})
	}
}

// TestSignatureDate checks BI-Signature-Date's layout: UTC, microseconds, Z.
func TestSignatureDate(t *testing.T) {
	at := time.Date(2022, 6, 27, 13, 8, 52, 577831000, Paris)
	if got, want := SignatureDate(at), "2022-06-27T11:08:52.577831Z"; got != want {
		t.Fatalf("SignatureDate=%q, want %q", got, want)
	}
}

// TestParseSignatureDate: Powens documents a UTC instant with a Z; one
// written without a zone is read as UTC, the same instant.
func TestParseSignatureDate(t *testing.T) {
	want := time.Date(2022, 6, 27, 11, 8, 52, 577831000, time.UTC)
	for _, in := range []string{"2022-06-27T11:08:52.577831Z", "2022-06-27T11:08:52.577831", "2022-06-27 11:08:52.577831",
		"2022-06-27T13:08:52.577831+02:00"} {
		got, err := ParseSignatureDate(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseSignatureDate(%q)=%v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "yesterday", "27/06/2022 11:08", "2022-06-27"} {
		if _, err := ParseSignatureDate(in); err == nil {
			t.Errorf("ParseSignatureDate(%q) accepted", in)
		}
	}
}
