// Package seal encrypts secrets at rest (Powens user tokens, Inqom passwords)
// with AES-256-GCM under one key taken from the environment or a key file.
//
// A sealed value is: version byte, 4-byte key id, 12-byte nonce, ciphertext+tag.
// The key id lets Open say "sealed with another key" instead of a bare
// authentication failure when the key changed.
package seal

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const version = 1

// KeySize is the length of a key in bytes.
const KeySize = 32

// Key seals and opens secrets. It is safe for concurrent use.
type Key struct {
	aead cipher.AEAD
	id   [4]byte
	raw  []byte
}

// ErrWrongKey means a value was sealed under a different key.
var ErrWrongKey = errors.New("sealed with a different key (was FREENAHI_SECRET_KEY or the key file changed?)")

// NewKey returns a Key for 32 raw bytes.
func NewKey(raw []byte) (*Key, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("key must be %d bytes, got %d", KeySize, len(raw))
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	k := &Key{aead: aead, raw: append([]byte(nil), raw...)}
	sum := sha256.Sum256(append([]byte("freenahi key id\x00"), raw...))
	copy(k.id[:], sum[:4])
	return k, nil
}

// ParseKey decodes a key written as 64 hex characters or as standard or
// URL-safe base64 of 32 bytes.
func ParseKey(text string) (*Key, error) {
	text = strings.TrimSpace(text)
	if raw, err := hex.DecodeString(text); err == nil && len(raw) == KeySize {
		return NewKey(raw)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err := enc.DecodeString(text); err == nil && len(raw) == KeySize {
			return NewKey(raw)
		}
	}
	return nil, fmt.Errorf("must be 32 bytes written as 64 hex characters or base64 (generate one with: openssl rand -base64 32)")
}

// GenerateKeyText returns a new random key as base64 text.
func GenerateKeyText() (string, error) {
	raw := make([]byte, KeySize)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(raw), nil
}

// LoadOrCreateKeyFile reads the key in path, creating the file (mode 0600,
// parent directories 0700) with a new random key when it does not exist.
func LoadOrCreateKeyFile(path string) (k *Key, created bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		text, err := GenerateKeyText()
		if err != nil {
			return nil, false, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, false, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, false, err
		}
		if _, err := f.WriteString(text + "\n"); err != nil {
			f.Close()
			return nil, false, err
		}
		if err := f.Close(); err != nil {
			return nil, false, err
		}
		k, err := ParseKey(text)
		return k, true, err
	} else if err != nil {
		return nil, false, err
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, false, fmt.Errorf("key file %s is readable by others (mode %v); run chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	k, err = ParseKey(string(b))
	if err != nil {
		return nil, false, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, false, nil
}

// Derive returns a 32-byte key for another purpose (signing webview states,
// session cookies…), independent of the sealing key: HMAC-SHA256(key, label).
func (k *Key) Derive(label string) []byte {
	m := hmac.New(sha256.New, k.raw)
	m.Write([]byte("freenahi derive\x00" + label))
	return m.Sum(nil)
}

// Seal encrypts plaintext; aad binds the ciphertext to its context (for
// example "powens_token:42"), so a sealed value copied to another row fails to open.
func (k *Key) Seal(plaintext []byte, aad string) ([]byte, error) {
	out := make([]byte, 0, 1+4+k.aead.NonceSize()+len(plaintext)+k.aead.Overhead())
	out = append(out, version)
	out = append(out, k.id[:]...)
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out = append(out, nonce...)
	return k.aead.Seal(out, nonce, plaintext, []byte(aad)), nil
}

// Open decrypts a value made by Seal with the same aad.
func (k *Key) Open(sealed []byte, aad string) ([]byte, error) {
	ns := k.aead.NonceSize()
	if len(sealed) < 1+4+ns+k.aead.Overhead() || sealed[0] != version {
		return nil, errors.New("not a sealed value")
	}
	if !bytes.Equal(sealed[1:5], k.id[:]) {
		return nil, ErrWrongKey
	}
	nonce := sealed[5 : 5+ns]
	pt, err := k.aead.Open(nil, nonce, sealed[5+ns:], []byte(aad))
	if err != nil {
		return nil, errors.New("sealed value is corrupt or belongs to another record")
	}
	return pt, nil
}
