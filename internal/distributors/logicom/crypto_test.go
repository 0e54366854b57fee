package logicom

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Known answers, computed once and cross-checked with openssl, e.g.
//
//	printf 'ck14221654677984;cs' | openssl enc -aes-256-cbc \
//	  -K 000102…1f -iv 00000000000000000000000000000000 | base64
//
// Key: the 32 bytes 0x00..0x1f; IV: 16 zero bytes (distributors.md →
// Crypto).
const (
	kaKey          = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	kaABC          = "0dAAiEIigDkvDiVorahkNg==" // AES-256("abc")
	kaBCode        = "bl+0JxY3IvtozdYHjV4SKw==" // "ck;cs"
	kaGenerateSig  = "skzUe8nKAYsxcUrgf6JQFY/3Xei+5YSObVlZnoY9tEQ="
	kaSignature    = "Z01IN2NDL2xEMFJOMzZOKy9lYjRtdz09" // base64(base64(AES("tok1654677984")))
	kaABC128ZeroKy = "l2qZX5TPTB4ktuL7Bn56aQ=="         // AES-128, zero key, "abc"
)

func TestCryptoKnownAnswers(t *testing.T) {
	s, err := newSigner(kaKey, nil)
	require.NoError(t, err)
	assert.Equal(t, kaABC, s.encrypt("abc"))
	assert.Equal(t, kaBCode, s.bcode("ck", "cs"))
	assert.Equal(t, kaGenerateSig, s.generateSignature("ck", "1422", "1654677984", "cs"))
	assert.Equal(t, kaSignature, s.signature("tok", "1654677984"))

	s16, err := newSigner(base64.StdEncoding.EncodeToString(make([]byte, 16)), nil)
	require.NoError(t, err)
	assert.Equal(t, kaABC128ZeroKy, s16.encrypt("abc"))
}

func TestCryptoRoundTrip(t *testing.T) {
	for _, n := range []int{16, 24, 32} {
		key := make([]byte, n)
		for i := range key {
			key[i] = byte(3*i + 1)
		}
		s, err := newSigner(base64.StdEncoding.EncodeToString(key), nil)
		require.NoError(t, err)
		for _, plain := range []string{"", "x", "0123456789abcdef", strings.Repeat("é", 40)} {
			got, err := s.decrypt(s.encrypt(plain))
			require.NoError(t, err)
			assert.Equal(t, plain, got)
		}
		// Signature is base64 of a base64 string whose plaintext is token+timestamp.
		inner, err := base64.StdEncoding.DecodeString(s.signature("the-token", "1700000000"))
		require.NoError(t, err)
		got, err := s.decrypt(string(inner))
		require.NoError(t, err)
		assert.Equal(t, "the-token1700000000", got)
	}
}

func TestCryptoDeterministicFirstBlock(t *testing.T) {
	// Zero IV: same first block in, same first block out (what the seed's
	// examples show).
	s, _ := newSigner(kaKey, nil)
	a, _ := base64.StdEncoding.DecodeString(s.encrypt("0123456789abcdefXXXX"))
	b, _ := base64.StdEncoding.DecodeString(s.encrypt("0123456789abcdefYYYYYYYYYYYYYYYYYYYY"))
	assert.Equal(t, a[:16], b[:16])
	// A different IV setting changes the output.
	iv := make([]byte, 16)
	iv[0] = 1
	s2, err := newSigner(kaKey, iv)
	require.NoError(t, err)
	assert.NotEqual(t, kaABC, s2.encrypt("abc"))
}

func TestSignerRejectsBadKeys(t *testing.T) {
	for _, k := range []string{
		base64.StdEncoding.EncodeToString(make([]byte, 20)),
		base64.StdEncoding.EncodeToString(make([]byte, 64)),
		"not base64!!",
		"",
	} {
		_, err := newSigner(k, nil)
		assert.Error(t, err, k)
	}
	_, err := newSigner(kaKey, make([]byte, 8))
	assert.Error(t, err)
}

func TestTimestamp(t *testing.T) {
	assert.Equal(t, "1654677984", timestamp(time.Unix(1654677984, 0).In(time.FixedZone("x", 3600))))
	assert.Len(t, timestamp(time.Now()), 10)
}
