// Package config reads the service settings (configuration.md, "Service
// settings") from QC_ environment variables once, validates them, and hands
// each component only the fields it needs.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/kelseyhightower/envconfig"
)

// Secret is a credential that prints redacted, so logging the config can
// never leak it.
type Secret string

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return s.String() }

// MarshalJSON redacts the value.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// Config is the service's settings. Defaults are those of the contract.
// Every field's desc tag is its line in `quoteconnector -h` (Usage), so the
// help cannot drift from what is read; a field tagged secret:"true" never
// shows its value anywhere.
type Config struct {
	Addr              string        `envconfig:"ADDR" default:":8080" desc:"listen address"`
	SharedSecrets     Secret        `envconfig:"SHARED_SECRETS" desc:"comma list tenant=secret: Basic user = tenant, password = secret; HS256 JWTs of the tenant are verified with it" secret:"true"`
	SharedSecret      Secret        `envconfig:"SHARED_SECRET" desc:"one secret accepted for any tenant name (single-tenant deployments)" secret:"true"`
	JWTPublicKeyFile  string        `envconfig:"JWT_PUBLIC_KEY_FILE" desc:"PEM file with RSA or EC public keys: enables RS256/ES256 bearer tokens"`
	JWTIssuer         string        `envconfig:"JWT_ISSUER" desc:"when set, a JWT's iss must equal it"`
	JWTAudience       string        `envconfig:"JWT_AUDIENCE" desc:"when set, a JWT's aud must contain it"`
	LogicomURL        string        `envconfig:"LOGICOM_URL" default:"https://quickconnect.logicompartners.com/api" desc:"Logicom production base URL"`
	LogicomStagingURL string        `envconfig:"LOGICOM_STAGING_URL" default:"https://dev-quickconnect.logicompartners.com/api" desc:"Logicom staging base URL"`
	WestconURL        string        `envconfig:"WESTCON_URL" default:"https://api.westconcomstor.com" desc:"Westcon API base URL"`
	WestconTokenURL   string        `envconfig:"WESTCON_TOKEN_URL" default:"https://login.microsoftonline.com/{tenant}/oauth2/token" desc:"Westcon token endpoint; {tenant} is replaced by the connection's westcon.tenantId"`
	NuviasURL         string        `envconfig:"NUVIAS_URL" default:"https://hub.nuvias-uc.com/api/v1" desc:"Nuvias Hub base URL"`
	Sandbox           bool          `envconfig:"SANDBOX" default:"false" desc:"start the distributor simulators on loopback and point every base URL at them (make run)"`
	SandboxSeed       int64         `envconfig:"SANDBOX_SEED" default:"1" desc:"catalog seed of the sandbox"`
	UpstreamTimeout   time.Duration `envconfig:"UPSTREAM_TIMEOUT" default:"10s" desc:"one distributor operation, retries included"`
	LogLevel          string        `envconfig:"LOG_LEVEL" default:"info" desc:"log level: debug, info, warn, error"`
	ShutdownTimeout   time.Duration `envconfig:"SHUTDOWN_TIMEOUT" default:"20s" desc:"how long SIGTERM waits for requests in flight"`
	MaxBodyBytes      int64         `envconfig:"MAX_BODY_BYTES" default:"1048576" desc:"request body limit in bytes (413 above)"`
	LineCacheTTL      time.Duration `envconfig:"LINE_CACHE_TTL" default:"30s" desc:"how long fetched prices and stock serve line edits"`
	ReadHeaderTimeout time.Duration `envconfig:"READ_HEADER_TIMEOUT" default:"5s" desc:"HTTP server: time to read a request's headers"`
	ReadTimeout       time.Duration `envconfig:"READ_TIMEOUT" default:"15s" desc:"HTTP server: time to read a whole request"`
	WriteTimeout      time.Duration `envconfig:"WRITE_TIMEOUT" default:"60s" desc:"HTTP server: time to write an answer"`
	IdleTimeout       time.Duration `envconfig:"IDLE_TIMEOUT" default:"120s" desc:"HTTP server: how long an idle keep-alive connection stays open"`

	// Durable state (configuration.md): PostgreSQL when DatabaseURL is set,
	// else SQLite in DataDir.
	DatabaseURL      Secret        `envconfig:"DATABASE_URL" desc:"postgres://...: state in PostgreSQL, shared by any number of replicas; empty: SQLite in QC_DATA_DIR (one replica)" secret:"true"`
	DataDir          string        `envconfig:"DATA_DIR" default:"data" desc:"folder of the embedded SQLite store"`
	StoreKey         Secret        `envconfig:"STORE_KEY" desc:"base64 of 32 random bytes that encrypt stored credentials (openssl rand -base64 32); required unless QC_SANDBOX=true" secret:"true"`
	StoreKeyPrevious Secret        `envconfig:"STORE_KEY_PREVIOUS" desc:"the previous QC_STORE_KEY during a key rotation (decryption only)" secret:"true"`
	LedgerRetention  time.Duration `envconfig:"LEDGER_RETENTION" default:"9600h" desc:"order ledger rows are deleted this long after their last change"`

	// ConsoleUsers opens the operator console (configuration.md).
	ConsoleUsers   Secret        `envconfig:"CONSOLE_USERS" desc:"comma list user=password for the operator console at /console (HTTP Basic); empty: the console answers 404, except in sandbox mode (sandbox/sandbox)" secret:"true"`
	ConsoleRefresh time.Duration `envconfig:"CONSOLE_REFRESH" default:"10s" desc:"how often an open console page reloads its figures (with JavaScript; each page also has a Refresh link)"`

	// Exchange rates (configuration.md): the reference-rate document,
	// how often it is fetched, and the age after which a converted line
	// warns. An empty FXURL means no rate source (stored and fixed rates
	// only); FXRefresh and FXMaxAge of zero mean their defaults.
	FXURL     string        `envconfig:"FX_URL" default:"https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml" desc:"exchange-rate source in the ECB daily reference format (units of currency per 1 EUR); the sandbox serves its own"`
	FXRefresh time.Duration `envconfig:"FX_REFRESH" default:"6h" desc:"how often the exchange rates are fetched; the last good rates are kept in the store"`
	FXMaxAge  time.Duration `envconfig:"FX_MAX_AGE" default:"96h" desc:"older exchange rates still convert, but the line gets a Warning naming the rate date"`
}

// DefaultFXURL is QC_FX_URL's default, the ECB's daily reference rates. In
// sandbox mode it is replaced by the sandbox's own feed; any other value
// is used as set.
const DefaultFXURL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"

// Defaults of the exchange-rate timings, for a Config built without Load.
const (
	DefaultFXRefresh = 6 * time.Hour
	DefaultFXMaxAge  = 96 * time.Hour
	// minFXRefresh keeps a typo (6s for 6h) from hammering the rate source.
	minFXRefresh = time.Minute
)

// Load reads the environment (prefix QC_) and validates the result.
func Load() (Config, error) {
	var c Config
	if err := envconfig.Process("QC", &c); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// Validate checks rules that span several settings. The service never runs
// open: without a secret or a public key it starts only in sandbox mode.
func (c Config) Validate() error {
	var errs []error
	if c.SharedSecrets == "" && c.SharedSecret == "" && c.JWTPublicKeyFile == "" && !c.Sandbox {
		errs = append(errs, errors.New("no way to authenticate SuperOffice: set QC_SHARED_SECRETS, QC_SHARED_SECRET or QC_JWT_PUBLIC_KEY_FILE (or QC_SANDBOX=true for a local trial)"))
	}
	if _, err := ParseSharedSecrets(string(c.SharedSecrets)); err != nil {
		errs = append(errs, err)
	}
	if c.UpstreamTimeout <= 0 {
		errs = append(errs, errors.New("QC_UPSTREAM_TIMEOUT must be positive"))
	}
	if c.MaxBodyBytes <= 0 {
		errs = append(errs, errors.New("QC_MAX_BODY_BYTES must be positive"))
	}
	if c.StoreKey == "" && !c.Sandbox {
		errs = append(errs, errors.New("QC_STORE_KEY is required: base64 of 32 random bytes that encrypt the stored distributor credentials (make one with: openssl rand -base64 32)"))
	}
	if c.DatabaseURL == "" && strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("QC_DATA_DIR must name a folder when QC_DATABASE_URL is unset"))
	}
	if c.LedgerRetention < 24*time.Hour {
		errs = append(errs, errors.New("QC_LEDGER_RETENTION must be at least 24h"))
	}
	if c.FXRefresh < 0 || (c.FXRefresh > 0 && c.FXRefresh < minFXRefresh) {
		errs = append(errs, fmt.Errorf("QC_FX_REFRESH must be at least %s", minFXRefresh))
	}
	if c.FXMaxAge < 0 {
		errs = append(errs, errors.New("QC_FX_MAX_AGE must not be negative"))
	}
	if c.FXURL != "" {
		if u, err := url.Parse(c.FXURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, errors.New("QC_FX_URL must be an http or https URL"))
		}
	}
	if _, err := ParseConsoleUsers(string(c.ConsoleUsers)); err != nil {
		errs = append(errs, err)
	}
	if c.ConsoleRefresh < 0 {
		errs = append(errs, errors.New("QC_CONSOLE_REFRESH must not be negative"))
	}
	if !strings.Contains(c.WestconTokenURL, "{tenant}") {
		errs = append(errs, errors.New("QC_WESTCON_TOKEN_URL must contain {tenant}"))
	}
	return errors.Join(errs...)
}

// ParseSharedSecrets reads QC_SHARED_SECRETS: a comma list of tenant=secret.
func ParseSharedSecrets(s string) (map[string]string, error) {
	return parsePairs("QC_SHARED_SECRETS", "tenant=secret", s)
}

// ParseConsoleUsers reads QC_CONSOLE_USERS: a comma list of user=password.
func ParseConsoleUsers(s string) (map[string]string, error) {
	return parsePairs("QC_CONSOLE_USERS", "user=password", s)
}

// parsePairs reads a comma list of name=secret.
func parsePairs(variable, shape, s string) (map[string]string, error) {
	out := map[string]string{}
	for i, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, secret, ok := strings.Cut(item, "=")
		name, secret = strings.TrimSpace(name), strings.TrimSpace(secret)
		if !ok || name == "" || secret == "" {
			// Name the position, never the value: it holds a secret.
			// The position counts the comma-separated items (len(out) would
			// miscount after a repeated tenant).
			return nil, fmt.Errorf("%s: entry %d is not %s", variable, i+1, shape)
		}
		out[name] = secret
	}
	return out, nil
}
