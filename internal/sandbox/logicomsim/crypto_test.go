package logicomsim

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCryptoKnownAnswer(t *testing.T) {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	// AES-256-CBC, IV 0, PKCS#7 of "abc" (computed with openssl:
	// printf abc | openssl enc -aes-256-cbc -K 000102..1f -iv 00..00 | base64).
	ct, err := Encrypt(key, "abc")
	require.NoError(t, err)
	assert.Equal(t, knownABC, ct)
	pt, err := Decrypt(key, ct)
	require.NoError(t, err)
	assert.Equal(t, "abc", pt)

	// Deterministic: same plaintext, same ciphertext; same first block shared.
	a, _ := Encrypt(key, "0123456789abcdefXXXX")
	b, _ := Encrypt(key, "0123456789abcdefYYYYYYYYYYYYYYYYYYYY")
	ra, _ := base64.StdEncoding.DecodeString(a)
	rb, _ := base64.StdEncoding.DecodeString(b)
	assert.Equal(t, ra[:16], rb[:16])
	assert.Len(t, ra, 32)
	assert.Len(t, rb, 48)

	// Exact block multiple gets a full padding block.
	c, _ := Encrypt(key, "0123456789abcdef")
	rc, _ := base64.StdEncoding.DecodeString(c)
	assert.Len(t, rc, 32)
	pt, err = Decrypt(key, c)
	require.NoError(t, err)
	assert.Equal(t, "0123456789abcdef", pt)

	_, err = Decrypt(key, "bm90IGJsb2Nrcw==")
	assert.Error(t, err)
	_, err = Decrypt(key[:16], ct)
	assert.Error(t, err) // wrong key → padding error (overwhelmingly likely)
}

func TestSignatures(t *testing.T) {
	key := make([]byte, 32)
	key[0] = 7
	bc, err := BCode(key, "ck", "cs")
	require.NoError(t, err)
	assert.True(t, verifyEncrypted(key, bc, "ck;cs"))
	gs, err := GenerateSignature(key, "ck", 1422, "1654677984", "cs")
	require.NoError(t, err)
	assert.True(t, verifyEncrypted(key, gs, "ck14221654677984;cs"))
	sig, err := Signature(key, "tok", "1654677984")
	require.NoError(t, err)
	inner, err := base64.StdEncoding.DecodeString(sig)
	require.NoError(t, err)
	_, err = base64.StdEncoding.DecodeString(string(inner))
	assert.NoError(t, err, "signature is base64 of a base64 string")
	assert.True(t, verifySignature(key, sig, "tok", "1654677984"))
	assert.False(t, verifySignature(key, sig, "tok", "1654677985"))

	_, err = DecodeKey(base64.StdEncoding.EncodeToString(make([]byte, 20)))
	assert.Error(t, err)
	k, err := DecodeKey(base64.StdEncoding.EncodeToString(key))
	require.NoError(t, err)
	assert.Equal(t, key, k)
}

const knownABC = "0dAAiEIigDkvDiVorahkNg=="
