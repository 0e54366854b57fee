package config

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clearEnv removes every QC_ variable for the test (restored afterwards).
func clearEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "QC_") {
			t.Setenv(k, "")
			require.NoError(t, os.Unsetenv(k))
		}
	}
}

func TestDefaultsMatchContract(t *testing.T) {
	clearEnv(t)
	t.Setenv("QC_SANDBOX", "true") // the only way to start without a secret
	c, err := Load()
	require.NoError(t, err)

	// configuration.md, "Service settings".
	assert.Equal(t, ":8080", c.Addr)
	assert.Equal(t, Secret(""), c.SharedSecrets)
	assert.Equal(t, Secret(""), c.SharedSecret)
	assert.Equal(t, "", c.JWTPublicKeyFile)
	assert.Equal(t, "", c.JWTIssuer)
	assert.Equal(t, "", c.JWTAudience)
	assert.Equal(t, "https://quickconnect.logicompartners.com/api", c.LogicomURL)
	assert.Equal(t, "https://dev-quickconnect.logicompartners.com/api", c.LogicomStagingURL)
	assert.Equal(t, "https://api.westconcomstor.com", c.WestconURL)
	assert.Equal(t, "https://login.microsoftonline.com/{tenant}/oauth2/token", c.WestconTokenURL)
	assert.Equal(t, "https://hub.nuvias-uc.com/api/v1", c.NuviasURL)
	assert.True(t, c.Sandbox)
	assert.Equal(t, 10*time.Second, c.UpstreamTimeout)
	assert.Equal(t, "info", c.LogLevel)

	// Settings added by the project.
	assert.Equal(t, int64(1), c.SandboxSeed)
	assert.Equal(t, 20*time.Second, c.ShutdownTimeout)
	assert.Equal(t, int64(1<<20), c.MaxBodyBytes, "1 MiB (protocol appendix)")
	assert.Equal(t, 30*time.Second, c.LineCacheTTL)
	assert.Equal(t, 5*time.Second, c.ReadHeaderTimeout)
	assert.Equal(t, 15*time.Second, c.ReadTimeout)
	assert.Equal(t, 60*time.Second, c.WriteTimeout)
	assert.Equal(t, 120*time.Second, c.IdleTimeout)

	// Durable state.
	assert.Empty(t, c.DatabaseURL)
	assert.Equal(t, "data", c.DataDir)
	assert.Empty(t, c.StoreKey)
	assert.Equal(t, 400*24*time.Hour, c.LedgerRetention)

	// Exchange rates.
	assert.Equal(t, "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml", c.FXURL)
	assert.Equal(t, DefaultFXURL, c.FXURL)
	assert.Equal(t, 6*time.Hour, c.FXRefresh)
	assert.Equal(t, 96*time.Hour, c.FXMaxAge)
}

func TestSandboxDefaultsToFalse(t *testing.T) {
	clearEnv(t)
	t.Setenv("QC_SHARED_SECRET", "s")
	t.Setenv("QC_STORE_KEY", "k")
	c, err := Load()
	require.NoError(t, err)
	assert.False(t, c.Sandbox)
}

func TestLoadReadsEnvironment(t *testing.T) {
	clearEnv(t)
	env := map[string]string{
		"QC_ADDR":                ":9090",
		"QC_SHARED_SECRETS":      "acme=a1,beta=b2",
		"QC_SHARED_SECRET":       "shared",
		"QC_JWT_PUBLIC_KEY_FILE": "/keys.pem",
		"QC_JWT_ISSUER":          "iss",
		"QC_JWT_AUDIENCE":        "aud",
		"QC_LOGICOM_URL":         "http://l",
		"QC_LOGICOM_STAGING_URL": "http://ls",
		"QC_WESTCON_URL":         "http://w",
		"QC_WESTCON_TOKEN_URL":   "http://t/{tenant}/token",
		"QC_NUVIAS_URL":          "http://n",
		"QC_SANDBOX":             "false",
		"QC_UPSTREAM_TIMEOUT":    "3s",
		"QC_LOG_LEVEL":           "debug",
		"QC_DATABASE_URL":        "postgres://db/qc",
		"QC_DATA_DIR":            "/var/lib/quoteconnector",
		"QC_STORE_KEY":           "key",
		"QC_STORE_KEY_PREVIOUS":  "old",
		"QC_LEDGER_RETENTION":    "48h",
		"QC_FX_URL":              "http://rates.example/daily.xml",
		"QC_FX_REFRESH":          "1h",
		"QC_FX_MAX_AGE":          "72h",
		"QC_CONSOLE_USERS":       "ops=pw",
		"QC_CONSOLE_REFRESH":     "3s",
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	c, err := Load()
	require.NoError(t, err)
	assert.Equal(t, Config{
		Addr: ":9090", SharedSecrets: "acme=a1,beta=b2", SharedSecret: "shared", JWTPublicKeyFile: "/keys.pem",
		JWTIssuer: "iss", JWTAudience: "aud", LogicomURL: "http://l", LogicomStagingURL: "http://ls", WestconURL: "http://w",
		WestconTokenURL: "http://t/{tenant}/token", NuviasURL: "http://n", Sandbox: false, SandboxSeed: 1, UpstreamTimeout: 3 * time.Second,
		LogLevel: "debug", ShutdownTimeout: 20 * time.Second, MaxBodyBytes: 1 << 20, LineCacheTTL: 30 * time.Second,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
		DatabaseURL: "postgres://db/qc", DataDir: "/var/lib/quoteconnector", StoreKey: "key", StoreKeyPrevious: "old", LedgerRetention: 48 * time.Hour,
		FXURL: "http://rates.example/daily.xml", FXRefresh: time.Hour, FXMaxAge: 72 * time.Hour,
		ConsoleUsers: "ops=pw", ConsoleRefresh: 3 * time.Second,
	}, c)
}

func TestLoadBadValue(t *testing.T) {
	clearEnv(t)
	t.Setenv("QC_SHARED_SECRET", "s")
	t.Setenv("QC_UPSTREAM_TIMEOUT", "soon")
	_, err := Load()
	require.Error(t, err)
}

func valid() Config {
	return Config{
		SharedSecret: "s", UpstreamTimeout: time.Second, MaxBodyBytes: 1,
		WestconTokenURL: "https://login.microsoftonline.com/{tenant}/oauth2/token",
		StoreKey:        "k", DataDir: "data", LedgerRetention: 400 * 24 * time.Hour,
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(*Config)
		wantErr []string
	}{
		{"shared secret", func(c *Config) {}, nil},
		{"shared secrets only", func(c *Config) { c.SharedSecret, c.SharedSecrets = "", "acme=x" }, nil},
		{"public key only", func(c *Config) { c.SharedSecret, c.JWTPublicKeyFile = "", "/keys.pem" }, nil},
		{"sandbox without secret", func(c *Config) { c.SharedSecret, c.Sandbox = "", true }, nil},
		{"sandbox without store key", func(c *Config) { c.StoreKey, c.Sandbox = "", true }, nil},
		{"no store key outside sandbox", func(c *Config) { c.StoreKey = "" }, []string{"QC_STORE_KEY is required", "openssl rand -base64 32"}},
		{"PostgreSQL needs no data folder", func(c *Config) { c.DataDir, c.DatabaseURL = "", "postgres://db/qc" }, nil},
		{"no data folder", func(c *Config) { c.DataDir = " " }, []string{"QC_DATA_DIR"}},
		{"retention under a day", func(c *Config) { c.LedgerRetention = time.Hour }, []string{"QC_LEDGER_RETENTION"}},
		{"no secret, no key, no sandbox", func(c *Config) { c.SharedSecret = "" },
			[]string{"no way to authenticate SuperOffice", "QC_SHARED_SECRETS", "QC_SHARED_SECRET", "QC_JWT_PUBLIC_KEY_FILE", "QC_SANDBOX=true"}},
		{"bad QC_SHARED_SECRETS", func(c *Config) { c.SharedSecrets = "acme" }, []string{"QC_SHARED_SECRETS", "entry 1"}},
		{"bad QC_SHARED_SECRETS even in sandbox", func(c *Config) { c.SharedSecrets, c.Sandbox = "acme=", true }, []string{"QC_SHARED_SECRETS"}},
		{"zero timeout", func(c *Config) { c.UpstreamTimeout = 0 }, []string{"QC_UPSTREAM_TIMEOUT must be positive"}},
		{"negative timeout", func(c *Config) { c.UpstreamTimeout = -time.Second }, []string{"QC_UPSTREAM_TIMEOUT"}},
		{"zero body", func(c *Config) { c.MaxBodyBytes = 0 }, []string{"QC_MAX_BODY_BYTES must be positive"}},
		{"token URL without tenant", func(c *Config) { c.WestconTokenURL = "https://login.example/token" }, []string{"QC_WESTCON_TOKEN_URL must contain {tenant}"}},
		{"no rate source", func(c *Config) { c.FXURL = "" }, nil},
		{"rate source not http", func(c *Config) { c.FXURL = "file:///etc/rates.xml" }, []string{"QC_FX_URL must be an http or https URL"}},
		{"refresh too often", func(c *Config) { c.FXRefresh = 6 * time.Second }, []string{"QC_FX_REFRESH must be at least 1m"}},
		{"negative max age", func(c *Config) { c.FXMaxAge = -time.Hour }, []string{"QC_FX_MAX_AGE"}},
		{"several problems at once", func(c *Config) { c.SharedSecret, c.UpstreamTimeout = "", 0 }, []string{"no way to authenticate", "QC_UPSTREAM_TIMEOUT"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.mod(&c)
			err := c.Validate()
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.wantErr {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestLoadRefusesToRunOpen(t *testing.T) {
	clearEnv(t)
	_, err := Load()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no way to authenticate SuperOffice")
}

func TestParseSharedSecrets(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]string
	}{
		{"empty", "", map[string]string{}},
		{"one", "acme=s3cret", map[string]string{"acme": "s3cret"}},
		{"several with spaces", " acme = a1 , beta=b2,gamma=g3 ", map[string]string{"acme": "a1", "beta": "b2", "gamma": "g3"}},
		{"empty items skipped", "acme=a1,,beta=b2,", map[string]string{"acme": "a1", "beta": "b2"}},
		{"secret with =", "acme=YWJj==", map[string]string{"acme": "YWJj=="}},
		{"later wins", "acme=a1,acme=a2", map[string]string{"acme": "a2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseSharedSecrets(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}

	bad := []struct {
		name, in, secret, entry string
	}{
		{"no =", "acme=TopSecret1,justAValue99", "justAValue99", "entry 2"},
		{"no tenant", "=TopSecret2", "TopSecret2", "entry 1"},
		{"no secret", "acme=TopSecret3,beta=", "TopSecret3", "entry 2"},
		{"after a duplicate", "acme=TopSecret4,acme=TopSecret5,broken", "TopSecret", "entry 3"},
		{"after an empty item", "acme=TopSecret6,,broken", "TopSecret6", "entry 3"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseSharedSecrets(tc.in)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.Contains(t, err.Error(), "QC_SHARED_SECRETS")
			assert.Contains(t, err.Error(), tc.entry, "names the position")
			assert.NotContains(t, err.Error(), tc.secret, "never the value")
			assert.NotContains(t, err.Error(), "broken")
		})
	}
}

func TestSecretRedacted(t *testing.T) {
	const value = "hunter2-very-secret"
	s := Secret(value)
	c := valid()
	c.SharedSecret, c.SharedSecrets = s, Secret("acme="+value)

	outs := map[string]string{
		"%v":          fmt.Sprintf("%v", s),
		"%s":          fmt.Sprintf("%s", s),
		"%#v":         fmt.Sprintf("%#v", s),
		"%q":          fmt.Sprintf("%q", s),
		"%+v":         fmt.Sprintf("%+v", s),
		"%x":          fmt.Sprintf("%x", s),
		"Sprint":      fmt.Sprint(s),
		"Println":     fmt.Sprintln(s),
		"config %v":   fmt.Sprintf("%v", c),
		"config %+v":  fmt.Sprintf("%+v", c),
		"config %#v":  fmt.Sprintf("%#v", c),
		"pointer %+v": fmt.Sprintf("%+v", &c),
	}
	for verb, out := range outs {
		assert.NotContains(t, out, value, verb)
		assert.NotContains(t, out, "hunter2", verb)
	}
	assert.Equal(t, "[redacted]", fmt.Sprintf("%v", s))
	assert.Equal(t, "[redacted]", fmt.Sprintf("%s", s))
	assert.Equal(t, "[redacted]", fmt.Sprintf("%#v", s))
	assert.Contains(t, fmt.Sprintf("%+v", c), "SharedSecret:[redacted]")

	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, `"[redacted]"`, string(b))
	b, err = json.Marshal(c)
	require.NoError(t, err)
	assert.NotContains(t, string(b), value)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "[redacted]", m["SharedSecret"])
	assert.Equal(t, "[redacted]", m["SharedSecrets"])

	// Empty stays empty, so "not configured" is visible.
	assert.Equal(t, "", Secret("").String())
	b, err = json.Marshal(Secret(""))
	require.NoError(t, err)
	assert.Equal(t, `""`, string(b))

	// The value itself is still available to the program.
	assert.Equal(t, value, string(s))
}

// Every setting has a meaning in -h, and the help shows each one's default.
func TestUsageListsEverySetting(t *testing.T) {
	var b strings.Builder
	Usage(&b, "quoteconnector")
	help := b.String()
	settings := Settings()
	require.NotEmpty(t, settings)
	for _, s := range settings {
		assert.NotEmpty(t, s.Meaning, "%s needs a desc tag: -h prints it", s.Name)
		assert.Contains(t, help, "\n  "+s.Name+"  ", s.Name)
		if s.Default != "" {
			assert.Contains(t, help, fmt.Sprintf("default %q", s.Default), s.Name)
		}
	}
	for _, name := range []string{"QC_ADDR", "QC_SANDBOX", "QC_STORE_KEY", "QC_CONSOLE_USERS", "QC_UPSTREAM_TIMEOUT"} {
		assert.Contains(t, help, name)
	}
	assert.Contains(t, help, "OTEL_EXPORTER_OTLP_ENDPOINT")
	assert.Contains(t, help, `QC_UPSTREAM_TIMEOUT  duration, default "10s"`)
	assert.Contains(t, help, "QC_SHARED_SECRETS  text, default (none), secret")
}

// The settings the contract names are all read (configuration.md, "Service
// settings"), when the contract sits beside the repository.
func TestEveryContractSettingIsRead(t *testing.T) {
	data, err := os.ReadFile("../../../shared/spec/configuration.md")
	if err != nil {
		t.Skipf("configuration.md not beside the repository: %v", err)
	}
	read := map[string]bool{}
	for _, s := range Settings() {
		read[s.Name] = true
	}
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "| `QC_") {
			continue
		}
		name := strings.Trim(strings.Fields(line)[1], "`")
		switch name {
		case "QC_FX_URL", "QC_FX_REFRESH", "QC_FX_MAX_AGE", "QC_CATALOG_REFRESH", "QC_SANDBOX_CATALOG_SIZE":
			continue // the catalog and exchange-rate work reads these
		}
		assert.True(t, read[name], "%s is in the contract but not in Config", name)
	}
}

func TestConsoleUsers(t *testing.T) {
	users, err := ParseConsoleUsers(" ops = pw1 , boss=pw2,")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"ops": "pw1", "boss": "pw2"}, users)
	_, err = ParseConsoleUsers("ops=pw,boss")
	require.EqualError(t, err, "QC_CONSOLE_USERS: entry 2 is not user=password")
	assert.NotContains(t, err.Error(), "pw")

	clearEnv(t)
	t.Setenv("QC_SANDBOX", "true")
	t.Setenv("QC_CONSOLE_USERS", "nobody")
	_, err = Load()
	require.Error(t, err)
}
