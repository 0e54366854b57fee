package logicom

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// DefaultIV is the CBC initialisation vector: 16 zero bytes. Zero IV:
// distributors.md, Logicom → Crypto (the seed's example ciphertexts of
// plaintexts sharing a first block share their first block, so the IV is
// fixed). Options.IV overrides it for an account that differs.
var DefaultIV = make([]byte, aes.BlockSize)

// signer computes Logicom's AES headers (distributors.md, Logicom → Crypto).
// It holds the key schedule only; it is safe for concurrent use.
type signer struct {
	block cipher.Block
	iv    []byte
}

// errKeyLength is returned for an AccessTokenKey that is not an AES key.
var errKeyLength = errors.New("AccessTokenKey must be base64 of a 16, 24 or 32 byte key")

// newSigner decodes the AccessTokenKey (base64 of 16, 24 or 32 bytes) and
// prepares the cipher. The error never contains the key.
func newSigner(accessTokenKey string, iv []byte) (*signer, error) {
	key, err := base64.StdEncoding.DecodeString(accessTokenKey)
	if err != nil {
		return nil, fmt.Errorf("AccessTokenKey is not valid base64")
	}
	switch len(key) {
	case 16, 24, 32:
	default:
		return nil, fmt.Errorf("AccessTokenKey decodes to %d bytes; %w", len(key), errKeyLength)
	}
	if iv == nil {
		iv = DefaultIV
	}
	if len(iv) != aes.BlockSize {
		return nil, fmt.Errorf("IV must be %d bytes, not %d", aes.BlockSize, len(iv))
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return &signer{block: b, iv: append([]byte(nil), iv...)}, nil
}

// encrypt is base64(AES-CBC(key, iv, PKCS#7(plain))).
func (s *signer) encrypt(plain string) string {
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	buf := make([]byte, len(plain)+pad)
	copy(buf, plain)
	copy(buf[len(plain):], bytes.Repeat([]byte{byte(pad)}, pad))
	cipher.NewCBCEncrypter(s.block, s.iv).CryptBlocks(buf, buf)
	return base64.StdEncoding.EncodeToString(buf)
}

// decrypt reverses encrypt (used by tests and by nothing on the wire).
func (s *signer) decrypt(b64 string) (string, error) {
	ct, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", err
	}
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return "", errors.New("ciphertext is not whole blocks")
	}
	buf := make([]byte, len(ct))
	cipher.NewCBCDecrypter(s.block, s.iv).CryptBlocks(buf, ct)
	pad := int(buf[len(buf)-1])
	if pad == 0 || pad > aes.BlockSize {
		return "", errors.New("bad padding")
	}
	for _, c := range buf[len(buf)-pad:] {
		if int(c) != pad {
			return "", errors.New("bad padding")
		}
	}
	return string(buf[:len(buf)-pad]), nil
}

// BCode header of GenerateAccessToken: base64(AES(ConsumerKey + ";" +
// ConsumerSecret)).
func (s *signer) bcode(consumerKey, consumerSecret string) string {
	return s.encrypt(consumerKey + ";" + consumerSecret)
}

// GenerateSignature header of GenerateAccessToken: base64(AES(ConsumerKey +
// CustomerId + Timestamp + ";" + ConsumerSecret)); customerID is "" for an
// account whose signature leaves it out, as the seed's example does.
func (s *signer) generateSignature(consumerKey, customerID, timestamp, consumerSecret string) string {
	return s.encrypt(consumerKey + customerID + timestamp + ";" + consumerSecret)
}

// signature is the Signature header of every other call:
// base64(base64(AES(AccessToken + Timestamp))) — the seed's example decodes
// to a base64 string, so it is base64 twice (distributors.md → Crypto).
func (s *signer) signature(accessToken, timestamp string) string {
	return base64.StdEncoding.EncodeToString([]byte(s.encrypt(accessToken + timestamp)))
}

// apply returns the transport's signing step for every call but the token
// call: Authorization (the token, no scheme word), a fresh Timestamp, its
// Signature and the CustomerId (distributors.md, Logicom → Headers).
func (s *signer) apply(customerID string, now func() time.Time) func(*http.Request, string) {
	return func(r *http.Request, token string) {
		ts := timestamp(now())
		r.Header.Set("Authorization", token)
		r.Header.Set("Timestamp", ts)
		r.Header.Set("Signature", s.signature(token, ts))
		r.Header.Set("CustomerId", customerID)
	}
}

// timestamp is the Timestamp header: Unix seconds, 10 digits, UTC.
func timestamp(now time.Time) string {
	return strconv.FormatInt(now.UTC().Unix(), 10)
}
