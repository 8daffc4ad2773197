package powens

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	jose "github.com/go-jose/go-jose/v4"
)

// Field encryption algorithms Powens requires: RSA-OAEP-256 key wrapping and
// A256GCM content encryption, the prose and the Kotlin example of the
// end-to-end encryption guide agreeing against its Swift sample.
const (
	FieldKeyAlgorithm     = jose.RSA_OAEP_256
	FieldContentAlgorithm = jose.A256GCM
)

// minRSABits refuses keys too weak to protect bank credentials.
const minRSABits = 2048

// PublicKey fetches the domain's encryption key (GET /publickey).
func (c *Client) PublicKey(ctx context.Context) (*jose.JSONWebKey, error) {
	var raw json.RawMessage
	if _, err := c.do(ctx, &request{method: http.MethodGet, path: "publickey"}, &raw); err != nil {
		return nil, err
	}
	key, err := ParsePublicKey(raw)
	if err != nil {
		return nil, fmt.Errorf("powens GET /publickey: %w", err)
	}
	return key, nil
}

// ParsePublicKey reads a public JWK, or the first RSA encryption key of a JWK
// set ({"keys": […]}): Powens documents "a JWK" without its exact envelope.
func ParsePublicKey(data []byte) (*jose.JSONWebKey, error) {
	data = bytes.TrimSpace(data)
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err == nil && len(set.Keys) > 0 {
		var errs []error
		for _, k := range set.Keys {
			key, err := parseJWK(k)
			if err == nil {
				return key, nil
			}
			errs = append(errs, err)
		}
		return nil, fmt.Errorf("no usable key in the set: %w", errors.Join(errs...))
	}
	return parseJWK(data)
}

func parseJWK(data []byte) (*jose.JSONWebKey, error) {
	var key jose.JSONWebKey
	if err := key.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("not a JWK: %w", err)
	}
	if key.Use != "" && key.Use != "enc" {
		return nil, fmt.Errorf("key %q is for %q, not encryption", key.KeyID, key.Use)
	}
	if _, err := rsaPublic(&key); err != nil {
		return nil, err
	}
	pub := key.Public()
	return &pub, nil
}

func rsaPublic(key *jose.JSONWebKey) (*rsa.PublicKey, error) {
	var pub *rsa.PublicKey
	switch k := key.Key.(type) {
	case *rsa.PublicKey:
		pub = k
	case *rsa.PrivateKey:
		pub = &k.PublicKey
	default:
		return nil, fmt.Errorf("key %q is %T, not RSA", key.KeyID, key.Key)
	}
	if pub.N.BitLen() < minRSABits {
		return nil, fmt.Errorf("key %q has %d bits, fewer than %d", key.KeyID, pub.N.BitLen(), minRSABits)
	}
	return pub, nil
}

// FieldEncrypter encrypts connector field values for Powens: each value on
// its own, as a compact JWE whose protected header names the key (kid). It
// is safe for concurrent use.
type FieldEncrypter struct {
	enc jose.Encrypter
	kid string
}

// NewFieldEncrypter prepares encryption to key, which must be an RSA key
// (2048 bits or more) with a kid, since Powens requires the kid header.
func NewFieldEncrypter(key *jose.JSONWebKey) (*FieldEncrypter, error) {
	if key == nil {
		return nil, errors.New("powens: no encryption key")
	}
	if key.KeyID == "" {
		return nil, errors.New("powens: encryption key has no kid, which Powens requires in the JWE header")
	}
	pub, err := rsaPublic(key)
	if err != nil {
		return nil, fmt.Errorf("powens: %w", err)
	}
	rcpt := jose.Recipient{Algorithm: FieldKeyAlgorithm, Key: pub, KeyID: key.KeyID}
	enc, err := jose.NewEncrypter(FieldContentAlgorithm, rcpt, nil)
	if err != nil {
		return nil, fmt.Errorf("powens: field encrypter: %w", err)
	}
	return &FieldEncrypter{enc: enc, kid: key.KeyID}, nil
}

// FieldEncrypter fetches the domain's public key and returns an encrypter.
// Fetch it when a person submits a form rather than caching it for ever, so
// that a key rotation at Powens is picked up.
func (c *Client) FieldEncrypter(ctx context.Context) (*FieldEncrypter, error) {
	key, err := c.PublicKey(ctx)
	if err != nil {
		return nil, err
	}
	return NewFieldEncrypter(key)
}

// KeyID returns the kid the encrypted values name.
func (e *FieldEncrypter) KeyID() string { return e.kid }

// Encrypt returns value (UTF-8) as a compact JWE.
func (e *FieldEncrypter) Encrypt(value string) (string, error) {
	obj, err := e.enc.Encrypt([]byte(value))
	if err != nil {
		return "", fmt.Errorf("powens: encrypt field: %w", err)
	}
	s, err := obj.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("powens: serialize field: %w", err)
	}
	return s, nil
}

// EncryptFields returns a copy of fields with every value encrypted; the
// custom-connection guide asks for all values, not only secret ones. Error
// messages name the field, never its value.
func (e *FieldEncrypter) EncryptFields(fields map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(fields))
	for name, v := range fields {
		s, err := e.Encrypt(v)
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", name, err)
		}
		out[name] = s
	}
	return out, nil
}
