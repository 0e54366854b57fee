package app_test

// The speed pair (issue: speed): the full router answering a SuperOffice
// call beside a bare net/http handler that decodes the same body into
// map[string]any with encoding/json and re-encodes the member the call
// answers with, which is the least any Go service must do for the call
// (../shared/tools/perf measures the same pair over HTTP). Both run in one
// loop, one request each per iteration, so machine noise hits both alike;
// the ratio is bare time / service time, i.e. service throughput relative
// to the bare handler's. The bodies are the perf tool's, dumped into
// testdata/perf (perf -dump -endpoint <name> -lines 20).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
)

// bareHandler is the perf tool's limit server: decode into a generic map,
// pick the member at path, encode it.
func bareHandler(path string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		for _, part := range strings.Split(path, ".") {
			v = v.(map[string]any)[part]
		}
		out, _ := json.Marshal(v)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(out)
	})
}

type speedCase struct {
	endpoint, echo string
	alternatives   int // ValidateQuoteVersion: the body's alternative this many times
}

var speedCases = []speedCase{
	{"OnQuoteLineChanged", "QuoteLine", 1},
	{"RecalculateQuoteAlternative", "Context.CRMAlternativeWithLines", 1},
	{"ValidateQuoteVersion", "QuoteContext", 3},
}

// speedBody reads the perf tool's body; for several alternatives the one
// alternative is repeated with ids of its own.
func speedBody(tb testing.TB, c speedCase) []byte {
	b, err := os.ReadFile("testdata/perf/" + c.endpoint + ".json")
	if err != nil {
		tb.Fatal(err)
	}
	if c.alternatives <= 1 {
		return b
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		tb.Fatal(err)
	}
	qc := body["QuoteContext"].(map[string]any)
	alt := qc["CRMAlternativesWithLines"].([]any)[0]
	raw, _ := json.Marshal(alt)
	var alts []any
	for i := 0; i < c.alternatives; i++ {
		var a map[string]any
		_ = json.Unmarshal(raw, &a)
		a["CRMAlternative"].(map[string]any)["QuoteAlternativeId"] = 1000 + i
		alts = append(alts, a)
	}
	qc["CRMAlternativesWithLines"] = alts
	out, _ := json.Marshal(body)
	return out
}

// speedService is the service in production mode with no distributor
// reachable (the bodies disable them all), logging at info into nothing.
func speedService(b *testing.B) http.Handler {
	quiet := zerolog.New(io.Discard).Level(zerolog.InfoLevel)
	env := apptest.Start(b, apptest.Options{NoSandbox: true, SkipDocumentCheck: true, Logger: &quiet})
	return env.Main.Handler
}

// freshJWT is an HS256 token for the test tenant, new on every call (a
// unique jti), so nothing can be answered from a cache of verified tokens.
func freshJWT(i int) string {
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"http://schemes.superoffice.net/identity/ctx": apptest.Tenant,
		"exp": time.Now().Add(5 * time.Minute).Unix(), "iat": time.Now().Unix(), "jti": fmt.Sprint(i, time.Now().UnixNano()),
	})
	s, _ := tok.SignedString([]byte(apptest.Secret))
	return "Bearer " + s
}

// BenchmarkSpeedPair reports service-ns/op, bare-ns/op and ratio (the
// service's throughput relative to the bare handler's; ≥ 1 means faster).
func BenchmarkSpeedPair(b *testing.B) {
	svc := speedService(b)
	for _, c := range speedCases {
		body := speedBody(b, c)
		bare := bareHandler(c.echo)
		auths := []string{"basic"}
		if c.endpoint == "OnQuoteLineChanged" {
			auths = append(auths, "jwt")
		}
		for _, auth := range auths {
			name := fmt.Sprintf("%s/%dx20/%s", c.endpoint, c.alternatives, auth)
			b.Run(name, func(b *testing.B) {
				var tSvc, tBare time.Duration
				for i := 0; i < b.N; i++ {
					req := httptest.NewRequest(http.MethodPost, "/"+c.endpoint, bytes.NewReader(body))
					if auth == "jwt" {
						req.Header.Set("Authorization", freshJWT(i))
					} else {
						req.SetBasicAuth(apptest.Tenant, apptest.Secret)
					}
					rec := httptest.NewRecorder()
					t0 := time.Now()
					svc.ServeHTTP(rec, req)
					tSvc += time.Since(t0)
					if rec.Code != http.StatusOK {
						b.Fatalf("%d %s", rec.Code, rec.Body.String())
					}
					req = httptest.NewRequest(http.MethodPost, "/"+c.endpoint, bytes.NewReader(body))
					rec = httptest.NewRecorder()
					t0 = time.Now()
					bare.ServeHTTP(rec, req)
					tBare += time.Since(t0)
				}
				b.ReportMetric(float64(tSvc.Nanoseconds())/float64(b.N), "service-ns/op")
				b.ReportMetric(float64(tBare.Nanoseconds())/float64(b.N), "bare-ns/op")
				b.ReportMetric(float64(tBare)/float64(tSvc), "ratio")
			})
		}
	}
}

// BenchmarkRouter and BenchmarkBare are the two sides alone, for
// allocations per call and profiles (-cpuprofile, -memprofile). The
// router's answers go to a writer that keeps only the status, so the
// figures are the service's own (a ResponseRecorder's growing buffer would
// count among them).
func BenchmarkRouter(b *testing.B) {
	svc := speedService(b)
	for _, c := range speedCases {
		body := speedBody(b, c)
		b.Run(fmt.Sprintf("%s/%dx20", c.endpoint, c.alternatives), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			w := &statusWriter{header: http.Header{}}
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest(http.MethodPost, "/"+c.endpoint, bytes.NewReader(body))
				req.SetBasicAuth(apptest.Tenant, apptest.Secret)
				clear(w.header)
				w.code = 0
				svc.ServeHTTP(w, req)
				if w.code != http.StatusOK {
					b.Fatalf("status %d", w.code)
				}
			}
		})
	}
}

// statusWriter is a ResponseWriter that keeps the status and drops the body.
type statusWriter struct {
	header http.Header
	code   int
}

func (w *statusWriter) Header() http.Header { return w.header }
func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *statusWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(p), nil
}

func BenchmarkBare(b *testing.B) {
	for _, c := range speedCases {
		body := speedBody(b, c)
		bare := bareHandler(c.echo)
		b.Run(fmt.Sprintf("%s/%dx20", c.endpoint, c.alternatives), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest(http.MethodPost, "/"+c.endpoint, bytes.NewReader(body))
				bare.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
