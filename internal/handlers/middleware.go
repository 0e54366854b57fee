package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/rs/zerolog"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

type requestIDKey struct{}

// RequestID returns the request's id.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// validRequestID limits accepted ids to something safe to echo and log.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:\-]{1,128}$`)

// requestID accepts the caller's X-Request-Id or makes one, echoes it, and
// puts it on the context and on the request's logger.
func requestID(base zerolog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get("X-Request-Id")
			if !validRequestID.MatchString(id) {
				var b [8]byte
				_, _ = rand.Read(b[:])
				id = hex.EncodeToString(b[:])
			}
			w.Header().Set("X-Request-Id", id)
			logger := base.With().Str("request_id", id).Logger()
			ctx := context.WithValue(r.Context(), requestIDKey{}, id)
			ctx = logger.WithContext(ctx)
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// statusRecorder remembers the status written.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// RequestObserver receives each request's endpoint, status and latency.
type RequestObserver interface {
	ObserveRequest(endpoint string, code int, d time.Duration)
}

// tracer is the global provider's: a no-op unless OpenTelemetry export is
// configured (internal/tracing); a no-op tracer still carries the caller's
// trace id, so the log names it.
var tracer = otel.Tracer("github.com/quoteconnector/quoteconnector/internal/handlers")

// traceContext reads W3C traceparent and tracestate whatever the global
// propagator is.
var traceContext = propagation.TraceContext{}

// observe opens the request's span (a child of the caller's traceparent),
// counts it in flight, logs it (one line, no bodies, duration_ms) and
// reports it to the observers. The endpoint label is the route pattern,
// "unknown" for unrouted paths, so labels stay bounded.
func observe(inFlight func(int), observers ...RequestObserver) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			if inFlight != nil {
				inFlight(1)
				defer inFlight(-1)
			}
			ctx := traceContext.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
			ctx, span := tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer),
				trace.WithAttributes(attribute.String("http.request.method", r.Method)))
			defer span.End()
			if sc := span.SpanContext(); sc.IsValid() {
				zerolog.Ctx(ctx).UpdateContext(func(c zerolog.Context) zerolog.Context {
					return c.Str("trace_id", sc.TraceID().String()).Str("span_id", sc.SpanID().String())
				})
			}
			rec := &statusRecorder{ResponseWriter: w}
			next.ServeHTTP(rec, r.WithContext(ctx))
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			endpoint := "unknown"
			if rc := chi.RouteContext(r.Context()); rc != nil {
				if p := rc.RoutePattern(); p != "" {
					endpoint = strings.TrimPrefix(p, "/")
				}
			}
			d := time.Since(start)
			span.SetName(r.Method + " /" + endpoint)
			span.SetAttributes(attribute.String("http.route", "/"+endpoint), attribute.Int("http.response.status_code", rec.status))
			if rec.status >= 500 {
				span.SetStatus(codes.Error, http.StatusText(rec.status))
			}
			for _, o := range observers {
				if o != nil {
					o.ObserveRequest(endpoint, rec.status, d)
				}
			}
			ev := zerolog.Ctx(r.Context()).Info()
			if rec.status >= 500 {
				ev = zerolog.Ctx(r.Context()).Error()
			} else if endpoint == "healthz" || endpoint == "readyz" || endpoint == "metrics" {
				ev = zerolog.Ctx(r.Context()).Debug()
			}
			ev.Str("method", r.Method).Str("endpoint", endpoint).Int("status", rec.status).
				Float64("duration_ms", float64(d.Microseconds())/1000).Msg("request")
		})
	}
}

// recoverer turns a panic into a 500 with the request id; the stack goes to
// the log only.
func recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				zerolog.Ctx(r.Context()).Error().Interface("panic", p).Bytes("stack", debug.Stack()).Msg("panic recovered")
				writeErrorBody(w, http.StatusInternalServerError, "internal error (request id "+RequestID(r.Context())+")")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies; decode turns the overflow into a 413.
func limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				writeErrorBody(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("%s: larger than %d bytes", requestBody, n))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// canonicalPath maps endpoint names case-insensitively (protocol §2) onto
// the registered spelling before routing.
func canonicalPath(names map[string]string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := strings.TrimSuffix(r.URL.Path, "/")
			if canon, ok := names[strings.ToLower(p)]; ok && canon != p {
				r.URL.Path = canon
				r.URL.RawPath = ""
			}
			next.ServeHTTP(w, r)
		})
	}
}
