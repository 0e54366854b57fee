package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/app"
	"github.com/quoteconnector/quoteconnector/internal/buildinfo"
)

// noQCEnv removes every QC_ variable for the test.
func noQCEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "QC_") {
			t.Setenv(k, "")
			require.NoError(t, os.Unsetenv(k))
		}
	}
}

func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = app.CLI(context.Background(), args, &out, &errs)
	return code, out.String(), errs.String()
}

// -h and --version need no configuration at all (without a secret the
// service itself would refuse to start).
func TestHelpAndVersionWithoutConfiguration(t *testing.T) {
	noQCEnv(t)
	for _, flag := range []string{"-h", "--help", "-help"} {
		code, out, errs := cli(t, flag)
		assert.Equal(t, app.ExitOK, code, flag)
		assert.Empty(t, errs, "the help once, on stdout")
		assert.Contains(t, out, "QC_ADDR  text, default \":8080\"")
		assert.Contains(t, out, "QC_CONSOLE_USERS")
		assert.Contains(t, out, "QC_STORE_KEY")
	}
	for _, flag := range []string{"--version", "-version"} {
		code, out, _ := cli(t, flag)
		assert.Equal(t, app.ExitOK, code, flag)
		assert.Equal(t, buildinfo.Get().String()+"\n", out)
	}
	code, _, errs := cli(t, "--nope")
	assert.Equal(t, app.ExitUsage, code)
	assert.Contains(t, errs, "flag provided but not defined")
}

// A configuration error is one JSON log line like every other, naming
// each problem and no secret.
func TestConfigurationErrorIsOneJSONLine(t *testing.T) {
	noQCEnv(t)
	t.Setenv("QC_SHARED_SECRETS", "acme=hunter2,broken")
	t.Setenv("QC_UPSTREAM_TIMEOUT", "-1s")
	code, out, errs := cli(t)
	assert.Equal(t, app.ExitUsage, code)
	assert.Empty(t, errs)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 1, out)
	var line struct {
		Level    string   `json:"level"`
		Message  string   `json:"message"`
		Problems []string `json:"problems"`
		Service  string   `json:"service"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &line))
	assert.Equal(t, "error", line.Level)
	assert.Equal(t, "quoteconnector", line.Service)
	assert.Contains(t, line.Message, "configuration error")
	assert.Contains(t, line.Problems, "QC_SHARED_SECRETS: entry 2 is not tenant=secret")
	assert.Contains(t, line.Problems, "QC_UPSTREAM_TIMEOUT must be positive")
	assert.NotContains(t, out, "hunter2")

	noQCEnv(t)
	t.Setenv("QC_SANDBOX", "true")
	t.Setenv("QC_LOG_LEVEL", "loud")
	code, out, _ = cli(t)
	assert.Equal(t, app.ExitUsage, code)
	assert.Contains(t, out, `"level":"error"`)
	assert.Contains(t, out, "QC_LOG_LEVEL")
}
