package sandbox_test

import (
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/sandbox"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
)

func TestStartServesAllThree(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Options{Seed: catalog.DefaultSeed})
	require.NoError(t, err)
	defer sb.Close()
	for _, u := range []string{sb.LogicomURL, sb.NuviasURL, sb.WestconURL} {
		assert.Contains(t, u, "http://127.0.0.1:")
	}
	for _, base := range []string{sb.LogicomURL[:len(sb.LogicomURL)-len("/api")], sb.NuviasURL[:len(sb.NuviasURL)-len("/api/v1")], sb.WestconURL} {
		resp, err := http.Get(base + "/_control/info")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, base)
	}
	cv := sb.ConfigValues()
	assert.Equal(t, "1", cv["logicom.enabled"])
	assert.Equal(t, "1", cv["nuvias.enabled"])
	assert.Equal(t, "1", cv["westcon.enabled"])
	assert.Equal(t, "1422", cv["logicom.customerId"])
}

// BenchmarkStart measures how long the sandbox takes to start (catalog
// generation plus three listeners) and the heap the full catalog and the
// simulators hold once started (heap-MB).
func BenchmarkStart(b *testing.B) {
	var heap float64
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		sb, err := sandbox.Start(sandbox.Options{Seed: catalog.DefaultSeed})
		if err != nil {
			b.Fatal(err)
		}
		_ = time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap += float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
		b.StopTimer()
		sb.Close()
		b.StartTimer()
	}
	b.ReportMetric(heap/float64(b.N), "heap-MB")
}
