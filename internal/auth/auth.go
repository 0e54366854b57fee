// Package auth authenticates SuperOffice's calls (configuration.md,
// "Authentication of incoming calls"): Basic with a tenant's shared secret,
// or a Bearer JWT signed HS256 with that secret or RS256/ES256 with one of
// the SuperOffice environment's public keys. It is only for incoming calls;
// distributor credentials live in their adapters.
package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/rs/zerolog"
)

// Leeway is the clock skew allowed on exp, nbf and iat.
const Leeway = 30 * time.Second

// Tenant claims, in order of preference.
var tenantClaims = []string{"http://schemes.superoffice.net/identity/ctx", "ctx", "tenant"}

// Options configure an Authenticator.
type Options struct {
	Secrets       map[string]string // tenant → secret (QC_SHARED_SECRETS)
	DefaultSecret string            // accepted for any tenant (QC_SHARED_SECRET)
	PublicKeys    []crypto.PublicKey
	Issuer        string
	Audience      string
	Now           func() time.Time
}

// Identity is the authenticated caller.
type Identity struct {
	Tenant string
	Method string // "basic", "jwt-hs256", "jwt-rs256", "jwt-es256"
}

// Authenticator checks the Authorization header of incoming calls.
type Authenticator struct {
	o Options
}

// New returns an Authenticator.
func New(o Options) *Authenticator {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Authenticator{o: o}
}

// Failure is an authentication failure; Reason is short and safe to show.
// Detail says more, for the log only (which tenant, which check failed),
// and never holds a secret or a token.
type Failure struct {
	Reason string
	Detail string
	// Tenant is the tenant the credentials claimed, when they named one.
	Tenant string
}

func (f *Failure) Error() string { return f.Reason }

// because returns a copy of a failure with the log's detail.
func (f *Failure) because(tenant, detail string) *Failure {
	return &Failure{Reason: f.Reason, Detail: detail, Tenant: tenant}
}

var (
	errMissing     = &Failure{Reason: "missing credentials"}
	errBadBasic    = &Failure{Reason: "invalid credentials"}
	errBadToken    = &Failure{Reason: "invalid token"}
	errExpired     = &Failure{Reason: "token expired"}
	errNoTenant    = &Failure{Reason: "token names no tenant"}
	errUnsupported = &Failure{Reason: "unsupported authorization scheme"}

	// Causes inside the JWT key function, turned into errBadToken.
	errUnknownTenant = errors.New("unknown tenant")
	errNoKey         = errors.New("no key for the algorithm")
)

// Authenticate checks r's Authorization header.
func (a *Authenticator) Authenticate(r *http.Request) (Identity, error) {
	h := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(strings.TrimSpace(h), " ")
	cred = strings.TrimSpace(cred)
	switch {
	case h == "":
		return Identity{}, errMissing.because("", "no Authorization header")
	case strings.EqualFold(scheme, "Basic"):
		return a.basic(r)
	case strings.EqualFold(scheme, "Bearer") && cred != "":
		return a.bearer(cred)
	case strings.EqualFold(scheme, "Bearer"):
		return Identity{}, errUnsupported.because("", "empty bearer token")
	}
	// Only the scheme's name, clipped: the rest is a credential.
	return Identity{}, errUnsupported.because("", "scheme "+clip(scheme, 20))
}

// clip shortens s for a log line.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func (a *Authenticator) basic(r *http.Request) (Identity, error) {
	tenant, password, ok := r.BasicAuth()
	if !ok || tenant == "" {
		return Identity{}, errBadBasic.because("", "Basic credentials unreadable or without a tenant")
	}
	secret, known := a.secretFor(tenant)
	// Compare fixed-length digests in constant time, also for an unknown
	// tenant, so neither the secret's length nor the tenant's existence shows
	// in the timing.
	want := sha256.Sum256([]byte(secret))
	got := sha256.Sum256([]byte(password))
	match := subtle.ConstantTimeCompare(want[:], got[:]) == 1
	switch {
	case !known:
		// Not the name itself: a password typed into the user field would
		// land in the log.
		return Identity{}, errBadBasic.because("", "unknown tenant (Basic)")
	case !match:
		return Identity{}, errBadBasic.because(tenant, "wrong secret for the tenant (Basic)")
	}
	return Identity{Tenant: tenant, Method: "basic"}, nil
}

func (a *Authenticator) secretFor(tenant string) (string, bool) {
	if s, ok := a.o.Secrets[tenant]; ok && s != "" {
		return s, true
	}
	if a.o.DefaultSecret != "" {
		return a.o.DefaultSecret, true
	}
	return "\x00no-secret", false
}

func (a *Authenticator) bearer(raw string) (Identity, error) {
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{"HS256", "RS256", "ES256"}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(a.o.Now),
	}
	if a.o.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(a.o.Issuer))
	}
	if a.o.Audience != "" {
		opts = append(opts, jwt.WithAudience(a.o.Audience))
	}
	var tenant string
	claims := jwt.MapClaims{}
	tok, err := jwt.NewParser(opts...).ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		tenant = tenantOf(t.Claims.(jwt.MapClaims))
		switch t.Method.Alg() {
		case "HS256":
			// HS256 only ever with a shared secret: never with a public key
			// (algorithm confusion).
			if tenant == "" {
				return nil, errNoTenant
			}
			secret, known := a.secretFor(tenant)
			if !known {
				return nil, errUnknownTenant
			}
			return []byte(secret), nil
		case "RS256":
			return a.keySet(func(k crypto.PublicKey) bool { _, ok := k.(*rsa.PublicKey); return ok })
		case "ES256":
			return a.keySet(func(k crypto.PublicKey) bool { _, ok := k.(*ecdsa.PublicKey); return ok })
		}
		return nil, errBadToken
	})
	tenant = clip(tenant, 64)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return Identity{}, errExpired.because(tenant, "JWT expired")
	case errors.Is(err, errNoTenant):
		return Identity{}, errNoTenant.because("", "HS256 JWT without a tenant claim")
	case errors.Is(err, errUnknownTenant):
		return Identity{}, errBadToken.because(tenant, "HS256 JWT of an unknown tenant")
	case errors.Is(err, errNoKey):
		return Identity{}, errBadToken.because(tenant, "no public key configured for the JWT's algorithm")
	case err != nil:
		// jwt's own texts name the failed check ("token signature is
		// invalid", "token has invalid issuer"), never the token.
		return Identity{}, errBadToken.because(tenant, "JWT rejected: "+err.Error())
	case !tok.Valid:
		return Identity{}, errBadToken.because(tenant, "JWT not valid")
	}
	if tenant == "" {
		return Identity{}, errNoTenant.because("", "JWT without a tenant claim")
	}
	return Identity{Tenant: tenant, Method: "jwt-" + strings.ToLower(tok.Method.Alg())}, nil
}

func (a *Authenticator) keySet(match func(crypto.PublicKey) bool) (any, error) {
	var set jwt.VerificationKeySet
	for _, k := range a.o.PublicKeys {
		if match(k) {
			set.Keys = append(set.Keys, k)
		}
	}
	if len(set.Keys) == 0 {
		return nil, errNoKey
	}
	return set, nil
}

func tenantOf(c jwt.MapClaims) string {
	for _, name := range tenantClaims {
		if s, ok := c[name].(string); ok && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	if s, ok := c["sub"].(string); ok {
		return strings.TrimSpace(s)
	}
	return ""
}

// LoadPublicKeys reads every RSA or EC public key (PUBLIC KEY, RSA PUBLIC
// KEY or CERTIFICATE blocks) from a PEM file.
func LoadPublicKeys(path string) ([]crypto.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("QC_JWT_PUBLIC_KEY_FILE: %w", err)
	}
	keys, err := parsePEMKeys(data)
	if err != nil {
		return nil, fmt.Errorf("QC_JWT_PUBLIC_KEY_FILE %s: %w", path, err)
	}
	return keys, nil
}

type ctxKey struct{}

// WithIdentity returns ctx carrying the caller's identity.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// FromContext returns the caller's identity.
func FromContext(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(ctxKey{}).(Identity)
	return id, ok
}

// Middleware rejects unauthenticated requests with 401, WWW-Authenticate and
// {"Error": reason}; authenticated ones carry their Identity in the context.
// onAuth, if set, is called with the identity (to enrich the request logger).
func (a *Authenticator) Middleware(onAuth func(*http.Request, Identity) *http.Request) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, err := a.Authenticate(r)
			if err != nil {
				reason, detail, tenant := errBadToken.Reason, "", ""
				var f *Failure
				if errors.As(err, &f) {
					reason, detail, tenant = f.Reason, f.Detail, f.Tenant
				}
				// Info, not debug: a run of these is what an operator
				// looks for when SuperOffice "cannot connect".
				ev := zerolog.Ctx(r.Context()).Info().Str("reason", reason).Str("detail", detail)
				if tenant != "" {
					ev = ev.Str("claimed_tenant", tenant)
				}
				ev.Msg("authentication failed: 401")
				w.Header().Add("WWW-Authenticate", `Basic realm="quoteconnector", charset="UTF-8"`)
				w.Header().Add("WWW-Authenticate", `Bearer realm="quoteconnector"`)
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.WriteHeader(http.StatusUnauthorized)
				_ = json.NewEncoder(w).Encode(map[string]string{"Error": "Unauthorized: " + reason})
				return
			}
			r = r.WithContext(WithIdentity(r.Context(), id))
			if onAuth != nil {
				r = onAuth(r, id)
			}
			next.ServeHTTP(w, r)
		})
	}
}
