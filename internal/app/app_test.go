package app_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/app"
	"github.com/quoteconnector/quoteconnector/internal/config"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

func testConfig(t testing.TB) config.Config {
	return config.Config{
		Addr: "127.0.0.1:0", Sandbox: true, SandboxSeed: 1, UpstreamTimeout: 5 * time.Second, ShutdownTimeout: 5 * time.Second,
		MaxBodyBytes: 1 << 20, LineCacheTTL: 10 * time.Second, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 10 * time.Second, IdleTimeout: 10 * time.Second, WestconTokenURL: "http://x/{tenant}/oauth2/token",
		DataDir: t.TempDir(), LedgerRetention: 400 * 24 * time.Hour,
	}
}

func TestRefusesToStartOpen(t *testing.T) {
	cfg := testConfig(t)
	cfg.Sandbox = false
	_, err := app.New(cfg, zerolog.Nop())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "QC_SHARED_SECRETS")
}

func TestSandboxTenantWhenNoSecret(t *testing.T) {
	m, err := app.New(testConfig(t), zerolog.Nop())
	require.NoError(t, err)
	require.NoError(t, m.Open())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()

	req, _ := http.NewRequest(http.MethodPost, m.URL()+"/GetCapabilities", strings.NewReader(`{}`))
	req.SetBasicAuth("sandbox", "sandbox")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), `"iproductprovider_provide_cost":true`)
	cancel()
	require.NoError(t, <-done)
}

// A SIGTERM (here: the context ending) lets a request in flight finish.
func TestGracefulShutdownDrainsInFlight(t *testing.T) {
	m, err := app.New(testConfig(t), zerolog.Nop())
	require.NoError(t, err)
	require.NoError(t, m.Open())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()

	// Make the distributors slow so the request is still running at shutdown.
	slow := faults.Config{Latency: 400 * time.Millisecond}
	m.Sandbox.Logicom.Faults().Set(slow)
	m.Sandbox.Nuvias.Faults().Set(slow)

	type result struct {
		status int
		body   string
		err    error
	}
	res := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, m.URL()+"/FindProduct", strings.NewReader(`{"UserInput":"dell monitor"}`))
		req.SetBasicAuth("sandbox", "sandbox")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			res <- result{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		res <- result{status: resp.StatusCode, body: string(b)}
	}()
	time.Sleep(150 * time.Millisecond)
	cancel()
	r := <-res
	require.NoError(t, r.err)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, r.body, "ERPProductKey")
	require.NoError(t, <-done)

	// After shutdown nothing listens any more.
	_, err = http.Get(m.URL() + "/healthz")
	assert.Error(t, err)
}

// TestSandboxLogShowsNoPasswordSetting: the sandbox startup log helps a
// first run (URLs, example parts, the open tenant) but prints no value of a
// Password-type connection setting, the Logicom consumer key included.
func TestSandboxLogShowsNoPasswordSetting(t *testing.T) {
	var logs strings.Builder
	m, err := app.New(testConfig(t), zerolog.New(&logs))
	require.NoError(t, err)
	t.Cleanup(m.Close)
	out := logs.String()
	require.Contains(t, out, "SANDBOX MODE")
	require.Contains(t, out, m.Sandbox.LogicomURL)
	values := m.Sandbox.ConfigValues()
	checked := 0
	for key, f := range m.Engine.ConfigurationFields() {
		if f.FieldType != so.FieldPassword {
			continue
		}
		v := values[key]
		require.NotEmpty(t, v, key)
		assert.NotContains(t, out, v, "%s must not be logged", key)
		checked++
	}
	assert.Equal(t, 6, checked)
}
