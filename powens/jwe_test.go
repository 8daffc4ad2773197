package powens

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// MustGenerateKey returns a private RSA JWK with a kid, and its public JSON.
func MustGenerateKey(tb testing.TB, bits int, kid string) (*rsa.PrivateKey, []byte) {
	tb.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		tb.Fatal(err)
	}
	pub := jose.JSONWebKey{Key: &priv.PublicKey, KeyID: kid, Use: "enc", Algorithm: string(jose.RSA_OAEP_256)}
	b, err := json.Marshal(pub)
	if err != nil {
		tb.Fatal(err)
	}
	return priv, b
}

func TestFieldEncrypter_RoundTrip(t *testing.T) {
	priv, jwk := MustGenerateKey(t, 2048, "powens-key-1")
	f := MustNewFake(t, reply(200, string(jwk)))
	enc, err := f.client.FieldEncrypter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, f.Only(t), "GET", "/2.0/publickey", "", "")
	if enc.KeyID() != "powens-key-1" {
		t.Errorf("KeyID=%q", enc.KeyID())
	}
	in := map[string]string{"login": "jean.dupont", "password": "pâssw0rd €", "website": "par"}
	out, err := enc.EncryptFields(in)
	if err != nil {
		t.Fatal(err)
	}
	seenCiphertexts := map[string]bool{}
	for name, plain := range in {
		compact := out[name]
		if strings.Count(compact, ".") != 4 || strings.Contains(compact, plain) {
			t.Fatalf("%s: %q is not a compact JWE hiding the value", name, compact)
		}
		if seenCiphertexts[compact] {
			t.Errorf("%s: ciphertext reused", name)
		}
		seenCiphertexts[compact] = true
		obj, err := jose.ParseEncryptedCompact(compact, []jose.KeyAlgorithm{jose.RSA_OAEP_256}, []jose.ContentEncryption{jose.A256GCM})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h := obj.Header
		if h.KeyID != "powens-key-1" || h.Algorithm != "RSA-OAEP-256" || h.ExtraHeaders[jose.HeaderKey("enc")] != "A256GCM" {
			t.Errorf("%s: header alg=%q kid=%q extra=%v", name, h.Algorithm, h.KeyID, h.ExtraHeaders)
		}
		got, err := obj.Decrypt(priv)
		if err != nil {
			t.Fatalf("%s: decrypt: %v", name, err)
		}
		if string(got) != plain {
			t.Errorf("%s: decrypted %q, want %q", name, got, plain)
		}
	}
	// The kid must be in the protected (authenticated) header, not beside it.
	protected, err := base64.RawURLEncoding.DecodeString(strings.Split(out["login"], ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	var hdr map[string]string
	if err := json.Unmarshal(protected, &hdr); err != nil {
		t.Fatal(err)
	}
	if hdr["kid"] != "powens-key-1" || hdr["alg"] != "RSA-OAEP-256" || hdr["enc"] != "A256GCM" {
		t.Errorf("protected header %v", hdr)
	}
}

func TestParsePublicKey(t *testing.T) {
	_, jwk := MustGenerateKey(t, 2048, "k1")
	set := []byte(`{"keys": [{"kty": "oct", "k": "AAAA"}, ` + string(jwk) + `]}`)
	for name, in := range map[string][]byte{"JWK": jwk, "Set": set} {
		key, err := ParsePublicKey(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if key.KeyID != "k1" || !key.IsPublic() {
			t.Errorf("%s: key %+v", name, key)
		}
	}
	_, small := MustGenerateKey(t, 1024, "small")
	sig := strings.Replace(string(jwk), `"use":"enc"`, `"use":"sig"`, 1)
	for name, in := range map[string]string{
		"Empty": ``, "NotJSON": `-----BEGIN PUBLIC KEY-----`, "Symmetric": `{"kty": "oct", "k": "AAAA", "kid": "x"}`,
		"Small": string(small), "Signing": sig, "EmptySet": `{"keys": []}`,
	} {
		if _, err := ParsePublicKey([]byte(in)); err == nil {
			t.Errorf("%s: ParsePublicKey succeeded", name)
		}
	}
}

func TestNewFieldEncrypter_NeedsKid(t *testing.T) {
	_, jwk := MustGenerateKey(t, 2048, "")
	key, err := ParsePublicKey(jwk)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewFieldEncrypter(key); err == nil {
		t.Error("NewFieldEncrypter accepted a key without kid")
	}
	if _, err := NewFieldEncrypter(nil); err == nil {
		t.Error("NewFieldEncrypter accepted nil")
	}
}
