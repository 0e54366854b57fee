package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ctxClaim = "http://schemes.superoffice.net/identity/ctx"

var now = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return now }

var (
	keysOnce         sync.Once
	rsaKey, rsaOther *rsa.PrivateKey
	ecKey            *ecdsa.PrivateKey
)

func testKeys(t *testing.T) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		rsaKey, err = rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		rsaOther, err = rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
	})
}

func pkixPEM(t *testing.T, pub crypto.PublicKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func pkcs1PEM(pub *rsa.PublicKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(pub)})
}

func certPEM(t *testing.T, priv crypto.Signer) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "superoffice test"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, priv.Public(), priv)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func writePEM(t *testing.T, blocks ...[]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keys.pem")
	var all []byte
	for _, b := range blocks {
		all = append(all, b...)
	}
	require.NoError(t, os.WriteFile(path, all, 0o600))
	return path
}

func sign(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	require.NoError(t, err)
	return s
}

// claims returns valid claims for tenant, with extra merged in (a nil value
// deletes the claim).
func claims(tenant string, extra map[string]any) jwt.MapClaims {
	c := jwt.MapClaims{ctxClaim: tenant, "exp": now.Add(5 * time.Minute).Unix(), "iat": now.Add(-time.Minute).Unix()}
	for k, v := range extra {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

func request(auth string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/GetCapabilities", nil)
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	return r
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func TestBasic(t *testing.T) {
	tests := []struct {
		name       string
		opts       Options
		auth       string
		wantTenant string
		wantErr    string
	}{
		{"right password", Options{Secrets: map[string]string{"acme": "s3cret"}}, basic("acme", "s3cret"), "acme", ""},
		{"wrong password", Options{Secrets: map[string]string{"acme": "s3cret"}}, basic("acme", "nope"), "", "invalid credentials"},
		{"prefix of the secret", Options{Secrets: map[string]string{"acme": "s3cret"}}, basic("acme", "s3cre"), "", "invalid credentials"},
		{"empty password", Options{Secrets: map[string]string{"acme": "s3cret"}}, basic("acme", ""), "", "invalid credentials"},
		{"unknown tenant", Options{Secrets: map[string]string{"acme": "s3cret"}}, basic("other", "s3cret"), "", "invalid credentials"},
		{"tenant is case-sensitive", Options{Secrets: map[string]string{"acme": "s3cret"}}, basic("ACME", "s3cret"), "", "invalid credentials"},
		{"no tenant", Options{DefaultSecret: "shared"}, basic("", "shared"), "", "invalid credentials"},
		{"QC_SHARED_SECRET for any tenant", Options{DefaultSecret: "shared"}, basic("anyone", "shared"), "anyone", ""},
		{"QC_SHARED_SECRET wrong", Options{DefaultSecret: "shared"}, basic("anyone", "other"), "", "invalid credentials"},
		{"fallback for an unlisted tenant", Options{Secrets: map[string]string{"acme": "own"}, DefaultSecret: "shared"}, basic("beta", "shared"), "beta", ""},
		{"tenant-specific secret wins", Options{Secrets: map[string]string{"acme": "own"}, DefaultSecret: "shared"}, basic("acme", "own"), "acme", ""},
		{"default refused for a listed tenant", Options{Secrets: map[string]string{"acme": "own"}, DefaultSecret: "shared"}, basic("acme", "shared"), "", "invalid credentials"},
		{"empty listed secret falls back", Options{Secrets: map[string]string{"acme": ""}, DefaultSecret: "shared"}, basic("acme", "shared"), "acme", ""},
		{"no secrets at all", Options{}, basic("acme", "\x00no-secret"), "", "invalid credentials"},
		{"no secrets, empty password", Options{}, basic("acme", ""), "", "invalid credentials"},
		{"password with colon", Options{Secrets: map[string]string{"acme": "a:b"}}, basic("acme", "a:b"), "acme", ""},
		{"scheme case-insensitive", Options{Secrets: map[string]string{"acme": "s"}}, "basic " + base64.StdEncoding.EncodeToString([]byte("acme:s")), "acme", ""},
		{"not base64", Options{Secrets: map[string]string{"acme": "s"}}, "Basic !!!", "", "invalid credentials"},
		{"no colon", Options{Secrets: map[string]string{"acme": "s"}}, "Basic " + base64.StdEncoding.EncodeToString([]byte("acme")), "", "invalid credentials"},
		{"empty credentials", Options{Secrets: map[string]string{"acme": "s"}}, "Basic", "", "invalid credentials"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := New(tc.opts).Authenticate(request(tc.auth))
			if tc.wantErr != "" {
				var f *Failure
				require.ErrorAs(t, err, &f)
				assert.Equal(t, tc.wantErr, f.Reason)
				assert.Equal(t, Identity{}, id)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, Identity{Tenant: tc.wantTenant, Method: "basic"}, id)
		})
	}
}

func TestHeaderSchemes(t *testing.T) {
	a := New(Options{DefaultSecret: "shared"})
	tests := []struct {
		name, auth, want string
	}{
		{"no header", "", "missing credentials"},
		{"digest", `Digest username="acme"`, "unsupported authorization scheme"},
		{"negotiate", "Negotiate abc", "unsupported authorization scheme"},
		{"token only", "abc.def.ghi", "unsupported authorization scheme"},
		{"bearer without token", "Bearer", "unsupported authorization scheme"},
		{"bearer with spaces only", "Bearer    ", "unsupported authorization scheme"},
		{"bearer garbage", "Bearer not-a-jwt", "invalid token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.Authenticate(request(tc.auth))
			var f *Failure
			require.ErrorAs(t, err, &f)
			assert.Equal(t, tc.want, f.Reason)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestBearerHS256(t *testing.T) {
	opts := Options{Secrets: map[string]string{"acme": "acme-secret"}, DefaultSecret: "shared", Now: fixedNow}
	hs := func(secret string, c jwt.MapClaims) string { return sign(t, jwt.SigningMethodHS256, []byte(secret), c) }
	tests := []struct {
		name       string
		opts       Options
		token      string
		wantTenant string
		wantErr    string
	}{
		{"valid, ctx URI claim", opts, hs("acme-secret", claims("acme", nil)), "acme", ""},
		{"valid, ctx claim", opts, hs("acme-secret", claims("", map[string]any{ctxClaim: nil, "ctx": "acme"})), "acme", ""},
		{"valid, tenant claim", opts, hs("acme-secret", claims("", map[string]any{ctxClaim: nil, "tenant": "acme"})), "acme", ""},
		{"URI claim preferred over ctx", opts, hs("acme-secret", claims("acme", map[string]any{"ctx": "other", "tenant": "third"})), "acme", ""},
		{"ctx preferred over tenant", opts, hs("acme-secret", claims("", map[string]any{ctxClaim: nil, "ctx": "acme", "tenant": "other"})), "acme", ""},
		{"empty URI claim falls through", opts, hs("acme-secret", claims("  ", map[string]any{"ctx": "acme"})), "acme", ""},
		{"default secret for unlisted tenant", opts, hs("shared", claims("beta", nil)), "beta", ""},
		{"default secret refused for listed tenant", opts, hs("shared", claims("acme", nil)), "", "invalid token"},
		{"wrong secret", opts, hs("wrong", claims("acme", nil)), "", "invalid token"},
		{"other tenant's secret", Options{Secrets: map[string]string{"acme": "a", "beta": "b"}, Now: fixedNow}, hs("b", claims("acme", nil)), "", "invalid token"},
		{"unknown tenant without default", Options{Secrets: map[string]string{"acme": "a"}, Now: fixedNow}, hs("a", claims("beta", nil)), "", "invalid token"},
		{"no tenant claim", opts, hs("shared", claims("", map[string]any{ctxClaim: nil})), "", "token names no tenant"},
		{"tenant claim not a string", opts, hs("shared", claims("", map[string]any{ctxClaim: 42})), "", "token names no tenant"},
		{"expired", opts, hs("acme-secret", claims("acme", map[string]any{"exp": now.Add(-time.Minute).Unix()})), "", "token expired"},
		{"expired within leeway", opts, hs("acme-secret", claims("acme", map[string]any{"exp": now.Add(-20 * time.Second).Unix()})), "acme", ""},
		{"expired just beyond leeway", opts, hs("acme-secret", claims("acme", map[string]any{"exp": now.Add(-31 * time.Second).Unix()})), "", "token expired"},
		{"missing exp", opts, hs("acme-secret", claims("acme", map[string]any{"exp": nil})), "", "invalid token"},
		{"exp not a number", opts, hs("acme-secret", claims("acme", map[string]any{"exp": "tomorrow"})), "", "invalid token"},
		{"nbf in future", opts, hs("acme-secret", claims("acme", map[string]any{"nbf": now.Add(2 * time.Minute).Unix()})), "", "invalid token"},
		{"nbf within leeway", opts, hs("acme-secret", claims("acme", map[string]any{"nbf": now.Add(20 * time.Second).Unix()})), "acme", ""},
		{"nbf in past", opts, hs("acme-secret", claims("acme", map[string]any{"nbf": now.Add(-time.Minute).Unix()})), "acme", ""},
		{"iat in future beyond leeway", opts, hs("acme-secret", claims("acme", map[string]any{"iat": now.Add(2 * time.Minute).Unix()})), "", "invalid token"},
		{"iat within leeway", opts, hs("acme-secret", claims("acme", map[string]any{"iat": now.Add(20 * time.Second).Unix()})), "acme", ""},
		{"no iat", opts, hs("acme-secret", claims("acme", map[string]any{"iat": nil})), "acme", ""},
		{"HS384 not accepted", opts, sign(t, jwt.SigningMethodHS384, []byte("acme-secret"), claims("acme", nil)), "", "invalid token"},
		{"HS512 not accepted", opts, sign(t, jwt.SigningMethodHS512, []byte("acme-secret"), claims("acme", nil)), "", "invalid token"},
		{"alg none", opts, sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims("acme", nil)), "", "invalid token"},
		{"truncated signature", opts, func() string { s := hs("acme-secret", claims("acme", nil)); return s[:len(s)-4] }(), "", "invalid token"},
		{"tampered payload", opts, func() string {
			parts := strings.Split(hs("acme-secret", claims("acme", nil)), ".")
			other := strings.Split(hs("acme-secret", claims("beta", nil)), ".")
			return parts[0] + "." + other[1] + "." + parts[2]
		}(), "", "invalid token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := New(tc.opts).Authenticate(request("Bearer " + tc.token))
			if tc.wantErr != "" {
				var f *Failure
				require.ErrorAs(t, err, &f)
				assert.Equal(t, tc.wantErr, f.Reason)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, Identity{Tenant: tc.wantTenant, Method: "jwt-hs256"}, id)
		})
	}
}

func TestAlgNoneHandcrafted(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	payload, _ := json.Marshal(claims("acme", nil))
	for _, alg := range []string{"none", "None", "NONE", ""} {
		header, _ := json.Marshal(map[string]string{"alg": alg, "typ": "JWT"})
		for _, sig := range []string{"", enc([]byte("x"))} {
			tok := enc(header) + "." + enc(payload) + "." + sig
			_, err := New(Options{DefaultSecret: "shared", Now: fixedNow}).Authenticate(request("Bearer " + tok))
			require.Error(t, err, "alg %q", alg)
		}
	}
}

func TestAlgorithmConfusion(t *testing.T) {
	testKeys(t)
	pubPEM := pkixPEM(t, &rsaKey.PublicKey)
	path := writePEM(t, pubPEM)
	keys, err := LoadPublicKeys(path)
	require.NoError(t, err)

	for _, keyBytes := range [][]byte{pubPEM, pkcs1PEM(&rsaKey.PublicKey), x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey)} {
		tok := sign(t, jwt.SigningMethodHS256, keyBytes, claims("acme", map[string]any{"sub": "acme"}))
		_, err := New(Options{PublicKeys: keys, Now: fixedNow}).Authenticate(request("Bearer " + tok))
		var f *Failure
		require.ErrorAs(t, err, &f, "HS256 signed with public key bytes must be rejected")
		assert.Equal(t, "invalid token", f.Reason)
	}
	// Even with a default secret configured, the public key bytes are no secret.
	tok := sign(t, jwt.SigningMethodHS256, pubPEM, claims("acme", nil))
	_, err = New(Options{PublicKeys: keys, DefaultSecret: "shared", Now: fixedNow}).Authenticate(request("Bearer " + tok))
	require.Error(t, err)
}

func TestBearerAsymmetric(t *testing.T) {
	testKeys(t)
	ecOther, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)

	tests := []struct {
		name       string
		pemBlocks  [][]byte
		method     jwt.SigningMethod
		key        any
		c          jwt.MapClaims
		opts       Options
		wantTenant string
		wantMethod string
		wantErr    string
	}{
		{"RS256 PUBLIC KEY", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", nil), Options{}, "acme", "jwt-rs256", ""},
		{"RS256 RSA PUBLIC KEY", [][]byte{pkcs1PEM(&rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", nil), Options{}, "acme", "jwt-rs256", ""},
		{"RS256 CERTIFICATE", [][]byte{certPEM(t, rsaKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", nil), Options{}, "acme", "jwt-rs256", ""},
		{"ES256 PUBLIC KEY", [][]byte{pkixPEM(t, &ecKey.PublicKey)}, jwt.SigningMethodES256, ecKey, claims("acme", nil), Options{}, "acme", "jwt-es256", ""},
		{"ES256 CERTIFICATE", [][]byte{certPEM(t, ecKey)}, jwt.SigningMethodES256, ecKey, claims("acme", nil), Options{}, "acme", "jwt-es256", ""},
		{"RS256 second key of several", [][]byte{pkixPEM(t, &rsaOther.PublicKey), pkixPEM(t, &ecKey.PublicKey), pkcs1PEM(&rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", nil), Options{}, "acme", "jwt-rs256", ""},
		{"RS256 tenant from ctx", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("", map[string]any{ctxClaim: nil, "ctx": "beta"}), Options{}, "beta", "jwt-rs256", ""},
		{"RS256 tenant from tenant", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("", map[string]any{ctxClaim: nil, "tenant": "gamma"}), Options{}, "gamma", "jwt-rs256", ""},
		{"RS256 signed by another key", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaOther, claims("acme", nil), Options{}, "", "", "invalid token"},
		{"ES256 signed by another key", [][]byte{pkixPEM(t, &ecKey.PublicKey)}, jwt.SigningMethodES256, ecOther, claims("acme", nil), Options{}, "", "", "invalid token"},
		{"ES256 with only RSA keys", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodES256, ecKey, claims("acme", nil), Options{}, "", "", "invalid token"},
		{"RS256 with only EC keys", [][]byte{pkixPEM(t, &ecKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", nil), Options{}, "", "", "invalid token"},
		{"RS384 not accepted", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS384, rsaKey, claims("acme", nil), Options{}, "", "", "invalid token"},
		{"PS256 not accepted", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodPS256, rsaKey, claims("acme", nil), Options{}, "", "", "invalid token"},
		{"RS256 expired", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", map[string]any{"exp": now.Add(-time.Hour).Unix()}), Options{}, "", "", "token expired"},
		{"RS256 missing exp", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", map[string]any{"exp": nil}), Options{}, "", "", "invalid token"},
		{"RS256 no tenant", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("", map[string]any{ctxClaim: nil}), Options{}, "", "", "token names no tenant"},
		{"issuer matches", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", map[string]any{"iss": "https://sod.superoffice.com"}), Options{Issuer: "https://sod.superoffice.com"}, "acme", "jwt-rs256", ""},
		{"issuer differs", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", map[string]any{"iss": "https://evil.example"}), Options{Issuer: "https://sod.superoffice.com"}, "", "", "invalid token"},
		{"issuer missing", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", nil), Options{Issuer: "https://sod.superoffice.com"}, "", "", "invalid token"},
		{"issuer not checked when unset", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", map[string]any{"iss": "anything"}), Options{}, "acme", "jwt-rs256", ""},
		{"audience string", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", map[string]any{"aud": "quoteconnector"}), Options{Audience: "quoteconnector"}, "acme", "jwt-rs256", ""},
		{"audience in list", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", map[string]any{"aud": []string{"x", "quoteconnector"}}), Options{Audience: "quoteconnector"}, "acme", "jwt-rs256", ""},
		{"audience differs", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", map[string]any{"aud": []string{"x", "y"}}), Options{Audience: "quoteconnector"}, "", "", "invalid token"},
		{"audience missing", [][]byte{pkixPEM(t, &rsaKey.PublicKey)}, jwt.SigningMethodRS256, rsaKey, claims("acme", nil), Options{Audience: "quoteconnector"}, "", "", "invalid token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys, err := LoadPublicKeys(writePEM(t, tc.pemBlocks...))
			require.NoError(t, err)
			o := tc.opts
			o.PublicKeys, o.Now = keys, fixedNow
			id, err := New(o).Authenticate(request("Bearer " + sign(t, tc.method, tc.key, tc.c)))
			if tc.wantErr != "" {
				var f *Failure
				require.ErrorAs(t, err, &f)
				assert.Equal(t, tc.wantErr, f.Reason)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, Identity{Tenant: tc.wantTenant, Method: tc.wantMethod}, id)
		})
	}

	// HS256 issuer/audience checks apply too.
	o := Options{DefaultSecret: "shared", Issuer: "iss", Audience: "aud", Now: fixedNow}
	good := sign(t, jwt.SigningMethodHS256, []byte("shared"), claims("acme", map[string]any{"iss": "iss", "aud": "aud"}))
	_, err = New(o).Authenticate(request("Bearer " + good))
	require.NoError(t, err)
	bad := sign(t, jwt.SigningMethodHS256, []byte("shared"), claims("acme", map[string]any{"iss": "other", "aud": "aud"}))
	_, err = New(o).Authenticate(request("Bearer " + bad))
	require.Error(t, err)
}

func TestNoPublicKeysRejectsRS256(t *testing.T) {
	testKeys(t)
	tok := sign(t, jwt.SigningMethodRS256, rsaKey, claims("acme", nil))
	_, err := New(Options{DefaultSecret: "shared", Now: fixedNow}).Authenticate(request("Bearer " + tok))
	var f *Failure
	require.ErrorAs(t, err, &f)
	assert.Equal(t, "invalid token", f.Reason)
}

func TestNowDefaultsToClock(t *testing.T) {
	tok := sign(t, jwt.SigningMethodHS256, []byte("shared"), jwt.MapClaims{"ctx": "acme", "exp": time.Now().Add(time.Minute).Unix()})
	id, err := New(Options{DefaultSecret: "shared"}).Authenticate(request("Bearer " + tok))
	require.NoError(t, err)
	assert.Equal(t, "acme", id.Tenant)
}

func TestLoadPublicKeys(t *testing.T) {
	testKeys(t)
	ed25519Block := []byte("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n")
	tests := []struct {
		name    string
		content []byte
		want    []string // key types
		wantErr string
	}{
		{"PUBLIC KEY rsa", pkixPEM(t, &rsaKey.PublicKey), []string{"rsa"}, ""},
		{"PUBLIC KEY ec", pkixPEM(t, &ecKey.PublicKey), []string{"ec"}, ""},
		{"RSA PUBLIC KEY", pkcs1PEM(&rsaKey.PublicKey), []string{"rsa"}, ""},
		{"CERTIFICATE", certPEM(t, rsaKey), []string{"rsa"}, ""},
		{"mixed with text and other blocks", append(append([]byte("comment line\n"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}})...), append(pkixPEM(t, &ecKey.PublicKey), certPEM(t, ecKey)...)...), []string{"ec", "ec"}, ""},
		{"empty", nil, nil, "no RSA or EC public key found"},
		{"only private key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}}), nil, "no RSA or EC public key found"},
		{"broken block", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("garbage")}), nil, "PUBLIC KEY block"},
		{"broken certificate", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("garbage")}), nil, "CERTIFICATE block"},
		{"ed25519 unsupported", ed25519Block, nil, "unsupported key type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writePEM(t, tc.content)
			keys, err := LoadPublicKeys(path)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.Contains(t, err.Error(), "QC_JWT_PUBLIC_KEY_FILE")
				return
			}
			require.NoError(t, err)
			var kinds []string
			for _, k := range keys {
				switch k.(type) {
				case *rsa.PublicKey:
					kinds = append(kinds, "rsa")
				case *ecdsa.PublicKey:
					kinds = append(kinds, "ec")
				}
			}
			assert.Equal(t, tc.want, kinds)
		})
	}
	_, err := LoadPublicKeys(filepath.Join(t.TempDir(), "missing.pem"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "QC_JWT_PUBLIC_KEY_FILE")
}

func TestMiddleware(t *testing.T) {
	a := New(Options{Secrets: map[string]string{"acme": "s3cret"}, Now: fixedNow})
	var seen Identity
	var seenOK bool
	var hookCalled bool
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen, seenOK = FromContext(r.Context())
		w.WriteHeader(http.StatusNoContent)
	})
	h := a.Middleware(func(r *http.Request, id Identity) *http.Request {
		hookCalled = true
		assert.Equal(t, "acme", id.Tenant)
		return r
	})(next)

	t.Run("authenticated", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, request(basic("acme", "s3cret")))
		assert.Equal(t, http.StatusNoContent, rec.Code)
		require.True(t, seenOK)
		assert.Equal(t, Identity{Tenant: "acme", Method: "basic"}, seen)
		assert.True(t, hookCalled)
		assert.Empty(t, rec.Header().Values("WWW-Authenticate"))
	})

	tests := []struct {
		name, auth, reason string
	}{
		{"no header", "", "missing credentials"},
		{"wrong password", basic("acme", "wrong"), "invalid credentials"},
		{"unsupported scheme", "Digest x", "unsupported authorization scheme"},
		{"bad token", "Bearer a.b.c", "invalid token"},
		{"expired token", "Bearer " + sign(t, jwt.SigningMethodHS256, []byte("s3cret"), claims("acme", map[string]any{"exp": now.Add(-time.Hour).Unix()})), "token expired"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			h := a.Middleware(nil)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, request(tc.auth))
			assert.False(t, called, "next handler not reached")
			assert.Equal(t, http.StatusUnauthorized, rec.Code)
			challenges := rec.Header().Values("WWW-Authenticate")
			require.Len(t, challenges, 2)
			assert.True(t, strings.HasPrefix(challenges[0], "Basic "), challenges[0])
			assert.True(t, strings.HasPrefix(challenges[1], "Bearer "), challenges[1])
			assert.Contains(t, rec.Header().Get("Content-Type"), "application/json")
			var body map[string]string
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			require.Len(t, body, 1)
			assert.Equal(t, "Unauthorized: "+tc.reason, body["Error"])
		})
	}

	t.Run("nil hook passes identity on", func(t *testing.T) {
		var got Identity
		h := a.Middleware(nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got, _ = FromContext(r.Context()) }))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, request(basic("acme", "s3cret")))
		assert.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, "acme", got.Tenant)
	})
}

func TestUnauthorizedBodyNeverLeaksCredentials(t *testing.T) {
	testKeys(t)
	const secret = "Sup3r-S3cret-Value"
	a := New(Options{Secrets: map[string]string{"acme": secret}, Now: fixedNow})
	expired := sign(t, jwt.SigningMethodHS256, []byte(secret), claims("acme", map[string]any{"exp": now.Add(-time.Hour).Unix()}))
	wrongSig := sign(t, jwt.SigningMethodHS256, []byte("guess-"+secret), claims("acme", nil))
	rs := sign(t, jwt.SigningMethodRS256, rsaKey, claims("acme", nil))
	for _, auth := range []string{
		basic("acme", secret+"x"),
		basic("acme", "wrong-"+secret),
		basic("nobody", secret),
		"Bearer " + expired,
		"Bearer " + wrongSig,
		"Bearer " + rs,
		"Bearer " + secret,
		"Token " + secret,
	} {
		rec := httptest.NewRecorder()
		a.Middleware(nil)(http.NotFoundHandler()).ServeHTTP(rec, request(auth))
		require.Equal(t, http.StatusUnauthorized, rec.Code)
		out := rec.Body.String() + strings.Join(rec.Header().Values("WWW-Authenticate"), " ")
		assert.NotContains(t, out, secret)
		_, cred, _ := strings.Cut(auth, " ")
		assert.NotContains(t, out, cred, "the presented credential is not echoed")
		for _, part := range strings.Split(cred, ".") {
			if len(part) > 8 {
				assert.NotContains(t, out, part)
			}
		}
	}
}

func TestContextIdentity(t *testing.T) {
	_, ok := FromContext(context.Background())
	assert.False(t, ok)
	ctx := WithIdentity(context.Background(), Identity{Tenant: "t", Method: "basic"})
	id, ok := FromContext(ctx)
	assert.True(t, ok)
	assert.Equal(t, Identity{Tenant: "t", Method: "basic"}, id)
}

// Each 401 is logged at info with its reason and what failed, never the
// credential.
func TestUnauthorizedIsLoggedWithItsReason(t *testing.T) {
	testKeys(t)
	const secret = "Sup3r-S3cret-Value"
	a := New(Options{Secrets: map[string]string{"acme": secret}, Now: fixedNow, Issuer: "https://so.example"})
	expired := sign(t, jwt.SigningMethodHS256, []byte(secret), claims("acme", map[string]any{"exp": now.Add(-time.Hour).Unix()}))
	wrongSig := sign(t, jwt.SigningMethodHS256, []byte("guess-"+secret), claims("acme", nil))
	rs := sign(t, jwt.SigningMethodRS256, rsaKey, claims("acme", nil))
	for _, tc := range []struct{ auth, reason, detail, tenant string }{
		{"", "missing credentials", "no Authorization header", ""},
		{basic("acme", "wrong-"+secret), "invalid credentials", "wrong secret for the tenant (Basic)", "acme"},
		{basic(secret, secret), "invalid credentials", "unknown tenant (Basic)", ""},
		{"Bearer " + expired, "token expired", "JWT expired", "acme"},
		{"Bearer " + wrongSig, "invalid token", "JWT rejected: token signature is invalid", "acme"},
		{"Bearer " + rs, "invalid token", "no public key configured for the JWT's algorithm", "acme"},
		{"Bearer " + secret, "invalid token", "JWT rejected: token is malformed", ""},
		{"Token " + secret, "unsupported authorization scheme", "scheme Token", ""},
	} {
		var logs strings.Builder
		req := request(tc.auth)
		req = req.WithContext(zerolog.New(&logs).WithContext(req.Context()))
		rec := httptest.NewRecorder()
		a.Middleware(nil)(http.NotFoundHandler()).ServeHTTP(rec, req)
		require.Equal(t, http.StatusUnauthorized, rec.Code)
		var line map[string]any
		require.NoError(t, json.Unmarshal([]byte(logs.String()), &line), logs.String())
		assert.Equal(t, "info", line["level"])
		assert.Equal(t, tc.reason, line["reason"])
		assert.Contains(t, line["detail"], tc.detail)
		if tc.tenant != "" {
			assert.Equal(t, tc.tenant, line["claimed_tenant"])
		} else {
			assert.NotContains(t, line, "claimed_tenant")
		}
		assert.NotContains(t, logs.String(), secret)
		if _, cred, _ := strings.Cut(tc.auth, " "); cred != "" {
			assert.NotContains(t, logs.String(), cred)
		}
	}
}
