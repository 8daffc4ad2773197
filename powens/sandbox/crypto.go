package sandbox

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// setupKey loads the RSA key from the state, or uses Config.Key, or makes a
// new one; the key is kept in the state so a restarted demo still decrypts
// values encrypted with the public key a client cached.
func (s *Server) setupKey() error {
	switch {
	case s.cfg.Key != nil:
		s.key = s.cfg.Key
	case len(s.st.KeyPKCS8) > 0:
		k, err := x509.ParsePKCS8PrivateKey(s.st.KeyPKCS8)
		if err != nil {
			return err
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return fmt.Errorf("stored key is not RSA")
		}
		s.key = rk
	default:
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return err
		}
		s.key = k
	}
	if s.cfg.StatePath != "" {
		b, err := x509.MarshalPKCS8PrivateKey(s.key)
		if err != nil {
			return err
		}
		s.st.KeyPKCS8 = b
	}
	jwk := jose.JSONWebKey{Key: &s.key.PublicKey}
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return err
	}
	s.kid = base64.RawURLEncoding.EncodeToString(tp)[:16]
	return nil
}

// handlePublicKey answers the RSA public JWK clients encrypt field values with.
func (s *Server) handlePublicKey(w http.ResponseWriter, r *http.Request) {
	jwk := jose.JSONWebKey{Key: &s.key.PublicKey, KeyID: s.kid, Algorithm: string(jose.RSA_OAEP_256), Use: "enc"}
	b, err := jwk.MarshalJSON()
	if err != nil {
		s.fail(w, r, errf(http.StatusInternalServerError, "bug", "Cannot encode the key."))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(append(b, '\n'))
}

// decryptValue returns v in clear: compact JWE values (RSA-OAEP-256 + A256GCM
// with our kid) are decrypted, anything else is taken as cleartext.
func (s *Server) decryptValue(name, v string) (string, *apiError) {
	if strings.Count(v, ".") != 4 || !strings.HasPrefix(v, "ey") {
		return v, nil
	}
	obj, err := jose.ParseEncryptedCompact(v, []jose.KeyAlgorithm{jose.RSA_OAEP_256},
		[]jose.ContentEncryption{jose.A256GCM})
	if err != nil {
		return "", errInvalid("Field %q is not a valid JWE (RSA-OAEP-256, A256GCM): %v", name, err)
	}
	if obj.Header.KeyID != s.kid {
		return "", errInvalid("Field %q is encrypted with an unknown key id %q.", name, obj.Header.KeyID)
	}
	clear, err := obj.Decrypt(s.key)
	if err != nil {
		return "", errInvalid("Field %q cannot be decrypted.", name)
	}
	return string(clear), nil
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
