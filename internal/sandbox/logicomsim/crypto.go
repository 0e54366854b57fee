package logicomsim

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
)

// ZeroIV is the IV of every Logicom ciphertext (distributors.md → Crypto).
var ZeroIV = make([]byte, aes.BlockSize)

// DecodeKey decodes an AccessTokenKey; the key must be 16, 24 or 32 bytes.
func DecodeKey(accessTokenKey string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(accessTokenKey)
	if err != nil {
		return nil, fmt.Errorf("AccessTokenKey is not base64: %w", err)
	}
	switch len(k) {
	case 16, 24, 32:
		return k, nil
	}
	return nil, fmt.Errorf("AccessTokenKey decodes to %d bytes, want 16, 24 or 32", len(k))
}

// Encrypt is base64(AES-CBC(key, IV=0, PKCS#7(plain))).
func Encrypt(key []byte, plain string) (string, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	buf := make([]byte, len(plain)+pad)
	copy(buf, plain)
	copy(buf[len(plain):], bytes.Repeat([]byte{byte(pad)}, pad))
	cipher.NewCBCEncrypter(b, ZeroIV).CryptBlocks(buf, buf)
	return base64.StdEncoding.EncodeToString(buf), nil
}

// Decrypt reverses Encrypt.
func Decrypt(key []byte, b64 string) (string, error) {
	ct, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", fmt.Errorf("not base64: %w", err)
	}
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return "", errors.New("ciphertext is not a whole number of blocks")
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	buf := make([]byte, len(ct))
	cipher.NewCBCDecrypter(b, ZeroIV).CryptBlocks(buf, ct)
	pad := int(buf[len(buf)-1])
	if pad == 0 || pad > aes.BlockSize || pad > len(buf) {
		return "", errors.New("bad padding")
	}
	for _, c := range buf[len(buf)-pad:] {
		if int(c) != pad {
			return "", errors.New("bad padding")
		}
	}
	return string(buf[:len(buf)-pad]), nil
}

// BCode = base64(AES(ConsumerKey + ";" + ConsumerSecret)).
func BCode(key []byte, consumerKey, consumerSecret string) (string, error) {
	return Encrypt(key, consumerKey+";"+consumerSecret)
}

// GenerateSignature = base64(AES(ConsumerKey + CustomerId + Timestamp + ";" + ConsumerSecret)).
func GenerateSignature(key []byte, consumerKey string, customerID int, timestamp, consumerSecret string) (string, error) {
	return Encrypt(key, fmt.Sprintf("%s%d%s;%s", consumerKey, customerID, timestamp, consumerSecret))
}

// Signature = base64(base64(AES(AccessToken + Timestamp))).
func Signature(key []byte, accessToken, timestamp string) (string, error) {
	inner, err := Encrypt(key, accessToken+timestamp)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString([]byte(inner)), nil
}

// verifyEncrypted decrypts b64 and compares it with want in constant time.
func verifyEncrypted(key []byte, b64, want string) bool {
	got, err := Decrypt(key, b64)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// verifySignature checks a per-call Signature header.
func verifySignature(key []byte, sig, token, timestamp string) bool {
	inner, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	return verifyEncrypted(key, string(inner), token+timestamp)
}
