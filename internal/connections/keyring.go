package connections

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// sealedPrefix marks a sealed value: "qcs1.<key id>.<base64url(nonce‖ciphertext)>".
const sealedPrefix = "qcs1."

// Keyring seals Password-type settings with AES-256-GCM under the current
// key (QC_STORE_KEY) and opens values sealed under it or under the previous
// key (QC_STORE_KEY_PREVIOUS, during a rotation).
type Keyring struct {
	current  sealKey
	previous *sealKey
}

type sealKey struct {
	id   string // names the key in a sealed value without revealing it
	aead cipher.AEAD
	mac  []byte // fingerprint key, derived from the key
}

// ParseKey reads a key as the contract writes it: base64 of exactly 32
// bytes (standard or URL alphabet, padded or not). The error never quotes
// the value.
func ParseKey(name, b64 string) ([]byte, error) {
	b64 = strings.TrimSpace(b64)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(b64); err == nil {
			if len(k) != 32 {
				return nil, fmt.Errorf("%s must be base64 of 32 random bytes, not %d bytes (make one with: openssl rand -base64 32)", name, len(k))
			}
			return k, nil
		}
	}
	return nil, fmt.Errorf("%s is not base64 (make one with: openssl rand -base64 32)", name)
}

// NewKeyring returns a keyring sealing with current; previous may be nil.
func NewKeyring(current, previous []byte) (*Keyring, error) {
	c, err := newSealKey(current)
	if err != nil {
		return nil, err
	}
	k := &Keyring{current: c}
	if previous != nil {
		p, err := newSealKey(previous)
		if err != nil {
			return nil, err
		}
		k.previous = &p
	}
	return k, nil
}

// DevelopmentKeyring is the fixed key of sandbox mode when QC_STORE_KEY is
// unset. It is derived from a public string: it keeps sandbox data out of
// plain sight, nothing more, and the startup log says so.
func DevelopmentKeyring() *Keyring {
	sum := sha256.Sum256([]byte("quoteconnector sandbox development store key (not a secret)"))
	k, _ := NewKeyring(sum[:], nil)
	return k
}

func newSealKey(key []byte) (sealKey, error) {
	if len(key) != 32 {
		return sealKey{}, errors.New("store key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return sealKey{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return sealKey{}, err
	}
	return sealKey{id: derive(key, "key id")[:8], aead: aead, mac: []byte(derive(key, "fingerprint"))}, nil
}

// derive is a one-way label-specific value of the key, in hex.
func derive(key []byte, label string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("quoteconnector " + label))
	return hex.EncodeToString(m.Sum(nil))
}

// Seal encrypts plaintext bound to aad (the row and field it belongs to, so
// a sealed value copied elsewhere does not open).
func (k *Keyring) Seal(plaintext, aad string) string {
	nonce := make([]byte, k.current.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	ct := k.current.aead.Seal(nonce, nonce, []byte(plaintext), []byte(aad))
	return sealedPrefix + k.current.id + "." + base64.RawURLEncoding.EncodeToString(ct)
}

// ErrUnreadable means a sealed value opens with neither key.
var ErrUnreadable = errors.New("a stored secret cannot be decrypted with QC_STORE_KEY or QC_STORE_KEY_PREVIOUS")

// Open decrypts a value made by Seal with the same aad.
func (k *Keyring) Open(sealed, aad string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return "", ErrUnreadable
	}
	id, body, ok := strings.Cut(rest, ".")
	if !ok {
		return "", ErrUnreadable
	}
	var key *sealKey
	switch {
	case id == k.current.id:
		key = &k.current
	case k.previous != nil && id == k.previous.id:
		key = k.previous
	default:
		return "", ErrUnreadable
	}
	ct, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(ct) < key.aead.NonceSize() {
		return "", ErrUnreadable
	}
	n := key.aead.NonceSize()
	pt, err := key.aead.Open(nil, ct[:n], ct[n:], []byte(aad))
	if err != nil {
		return "", ErrUnreadable
	}
	return string(pt), nil
}

// IsSealed reports whether a stored value was sealed.
func IsSealed(v string) bool { return strings.HasPrefix(v, sealedPrefix) }

// Fingerprint is a keyed digest of a plaintext settings set: equal sets give
// equal fingerprints under one key, and the digest tells nothing about the
// values. A rotated key changes every fingerprint, so each connection is
// written again (and re-sealed under the new key) on its next call.
func (k *Keyring) Fingerprint(values map[string]string) string {
	keys := make([]string, 0, len(values))
	for key := range values {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	m := hmac.New(sha256.New, k.current.mac)
	for _, key := range keys {
		fmt.Fprintf(m, "%d:%s%d:%s", len(key), key, len(values[key]), values[key])
	}
	return hex.EncodeToString(m.Sum(nil))
}
