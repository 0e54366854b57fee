package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/buildinfo"
)

// The series an operator expects are on /metrics after a walk-through.
func TestOperatorMetrics(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ex := env.Example
	env.Post(t, "FindProduct", map[string]any{"UserInput": ex.SharedPart})
	env.Post(t, "GetQuoteLinesFromProduct", map[string]any{"ErpProductKey": "logicom:" + ex.VolumeSKU})
	env.Post(t, "GetQuoteLinesFromProduct", map[string]any{"ErpProductKey": "logicom:" + ex.VolumeSKU})
	metrics := ours(env.Do(t, http.MethodGet, "/metrics", nil, nil).Body)
	info := buildinfo.Get()
	for _, want := range []string{
		`qc_build_info{commit="` + info.Commit + `",goversion="` + info.GoVersion + `",version="` + info.Version + `"} 1`,
		"# TYPE qc_http_in_flight_requests gauge",
		"qc_http_in_flight_requests 1", // the /metrics request itself
		`qc_cache_lookups_total{cache="products",result="hit"}`,
		`qc_cache_lookups_total{cache="products",result="miss"}`,
		`qc_token_refresh_total{distributor="logicom"} 1`,
		`qc_token_refresh_total{distributor="nuvias"} 1`,
	} {
		assert.Contains(t, metrics, want)
	}

	// Production mode reads remembered settings through the resolver's cache.
	sims := apptest.StartSimulators(t)
	prod := apptest.Start(t, apptest.Options{Simulators: sims})
	data := sims.ConfigValues()
	conn := map[string]any{"CRMConnectionId": 4}
	prod.Post(t, "TestConnection", map[string]any{"ConnectionData": data, "ConnectionInfo": conn})
	prod.Post(t, "FindProduct", map[string]any{"UserInput": ex.SharedPart, "ConnectionInfo": conn})
	metrics = ours(prod.Do(t, http.MethodGet, "/metrics", nil, nil).Body)
	assert.Contains(t, metrics, `qc_cache_lookups_total{cache="connections",result="hit"} 1`)
}

// ours keeps the service's own series of an exposition (short failures).
func ours(exposition []byte) string {
	var keep []string
	for _, l := range strings.Split(string(exposition), "\n") {
		if strings.Contains(l, "qc_") && !strings.Contains(l, "_bucket{") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// The access log names its duration's unit; a 401 says why at info.
func TestLogSignals(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	env.Post(t, "GetCapabilities", "{}")
	env.PostAs(t, apptest.Tenant, "wrong-secret", "GetCapabilities", "{}")
	var sawRequest, sawRefusal bool
	for _, l := range strings.Split(strings.TrimSpace(env.Logs.String()), "\n") {
		var line map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &line), l)
		if line["message"] == "request" && line["endpoint"] == "GetCapabilities" {
			sawRequest = true
			assert.Contains(t, line, "duration_ms")
			assert.NotContains(t, line, "duration")
		}
		if line["message"] == "authentication failed: 401" {
			sawRefusal = true
			assert.Equal(t, "info", line["level"])
			assert.Equal(t, "invalid credentials", line["reason"])
			assert.Equal(t, "wrong secret for the tenant (Basic)", line["detail"])
			assert.Equal(t, apptest.Tenant, line["claimed_tenant"])
			assert.NotEmpty(t, line["request_id"])
		}
	}
	assert.True(t, sawRequest)
	assert.True(t, sawRefusal)
	assert.NotContains(t, env.Logs.String(), "wrong-secret")
}

// A caller's W3C traceparent is honoured: the request's span is its child,
// the distributor calls are children of that, and the log names the trace.
func TestTraceparentHonoured(t *testing.T) {
	spans := tracetest.NewSpanRecorder()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)))
	t.Cleanup(func() { otel.SetTracerProvider(noop.NewTracerProvider()) })

	env := apptest.Start(t, apptest.Options{})
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	env.Do(t, http.MethodPost, "/FindProduct", map[string]any{"UserInput": env.Example.SharedPart}, func(r *http.Request) {
		r.SetBasicAuth(apptest.Tenant, apptest.Secret)
		r.Header.Set("traceparent", "00-"+traceID+"-00f067aa0ba902b7-01")
	})
	require.NoError(t, otel.GetTracerProvider().(*sdktrace.TracerProvider).ForceFlush(context.Background()))

	names := map[string]bool{}
	var server sdktrace.ReadOnlySpan
	for _, s := range spans.Ended() {
		if s.SpanContext().TraceID().String() != traceID {
			continue
		}
		names[s.Name()] = true
		if s.Name() == "POST /FindProduct" {
			server = s
		}
	}
	require.NotNil(t, server, "spans: %v", names)
	assert.Equal(t, "00f067aa0ba902b7", server.Parent().SpanID().String())
	assert.True(t, server.Parent().IsRemote())
	assert.True(t, names["logicom Search"], "%v", names)
	assert.True(t, names["nuvias Search"], "%v", names)
	var exchange bool
	for n := range names {
		exchange = exchange || strings.HasSuffix(n, " HTTP")
	}
	assert.True(t, exchange, "a span per HTTP exchange: %v", names)
	assert.Contains(t, env.Logs.String(), `"trace_id":"`+traceID+`"`)
}
