package tracing

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace/noop"
)

// With the endpoint set, spans reach an OTLP/HTTP collector (here a fake
// on loopback); without it nothing is exported.
func TestExportOnlyWhenConfigured(t *testing.T) {
	var mu sync.Mutex
	var posts []string
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		posts = append(posts, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type"))
		mu.Unlock()
		assert.NotEmpty(t, body)
		w.WriteHeader(http.StatusOK)
	}))
	defer collector.Close()
	t.Cleanup(func() { otel.SetTracerProvider(noop.NewTracerProvider()) })

	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	assert.False(t, Enabled())
	shutdown, err := Setup(context.Background(), "v-test", "i1")
	require.NoError(t, err)
	require.NoError(t, shutdown(context.Background()))

	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	require.True(t, Enabled())
	shutdown, err = Setup(context.Background(), "v-test", "i1")
	require.NoError(t, err)
	_, span := otel.Tracer("test").Start(context.Background(), "POST /FindProduct")
	span.End()
	require.NoError(t, shutdown(context.Background()), "flushes the batch")
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"POST /v1/traces application/x-protobuf"}, posts)
}
