package upstream

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v5"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// The transports, outermost first: retryTransport (reads only), then
// authTransport (one connection's credentials, a 401 refreshed once), then
// observeTransport (one metrics event per exchange), then the base
// transport. Auth sits inside the retries so every attempt is signed
// afresh.

type ctxKey int

const (
	callKey ctxKey = iota
	readKey
)

func withCall(ctx context.Context, call string) context.Context {
	return context.WithValue(ctx, callKey, call)
}

func callOf(ctx context.Context) string {
	s, _ := ctx.Value(callKey).(string)
	return s
}

// asRead marks a request as changing nothing: retried like a GET.
func asRead(ctx context.Context) context.Context { return context.WithValue(ctx, readKey, true) }

func isRead(req *http.Request) bool {
	if req.Method == http.MethodGet || req.Method == http.MethodHead {
		return true
	}
	b, _ := req.Context().Value(readKey).(bool)
	return b
}

// maxRetryAfter caps a distributor's Retry-After: an operation deadline of
// a few seconds cannot wait longer anyway.
const maxRetryAfter = 5 * time.Second

// retryPolicy is the one retry policy of every adapter (distributors.md,
// Every adapter): reads only, on network errors, 429 and 5xx, exponential
// backoff with jitter capped at 2 s, Retry-After honoured.
type retryPolicy struct {
	tries   uint // attempts in all
	initial time.Duration
}

func newRetryPolicy(retries int, initial time.Duration) retryPolicy {
	switch {
	case retries == 0:
		retries = 2
	case retries < 0:
		retries = 0
	}
	if initial <= 0 {
		initial = 100 * time.Millisecond
	}
	return retryPolicy{tries: uint(retries) + 1, initial: initial}
}

func (p retryPolicy) backOff() backoff.BackOff {
	return &backoff.ExponentialBackOff{InitialInterval: p.initial, RandomizationFactor: 0.5, Multiplier: 2, MaxInterval: 2 * time.Second}
}

// errRetryStatus marks an answer worth another try (429, 5xx).
var errRetryStatus = errors.New("retryable status")

type retryTransport struct {
	policy retryPolicy
	next   http.RoundTripper
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !isRead(req) || t.policy.tries <= 1 || (req.Body != nil && req.Body != http.NoBody && req.GetBody == nil) {
		return t.next.RoundTrip(req)
	}
	ctx := req.Context()
	var last *http.Response // an answer kept in case no later try does better
	attempt := 0
	resp, err := backoff.Retry(ctx, func() (*http.Response, error) {
		if last != nil {
			drain(last)
			last = nil
		}
		r := req
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, backoff.Permanent(err)
			}
			r = req.Clone(ctx)
			r.Body = body
		}
		attempt++
		resp, err := t.next.RoundTrip(r)
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, backoff.Permanent(err)
		case err != nil:
			return nil, err // network failure: try again
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			last = resp
			if d, ok := retryAfter(resp.Header); ok {
				return nil, &backoff.RetryAfterError{Duration: d}
			}
			return nil, errRetryStatus
		}
		return resp, nil
	}, backoff.WithBackOff(t.policy.backOff()), backoff.WithMaxTries(t.policy.tries), backoff.WithMaxElapsedTime(0))
	if err == nil {
		return resp, nil
	}
	var ra *backoff.RetryAfterError
	if last != nil && (errors.Is(err, errRetryStatus) || errors.As(err, &ra)) {
		return last, nil // out of tries: the caller reads the last answer
	}
	if last != nil {
		drain(last)
	}
	return nil, err
}

// retryAfter reads Retry-After as seconds or an HTTP date, capped.
func retryAfter(h http.Header) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0, false
		}
		d = time.Duration(s) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = max(time.Until(at), 0)
	} else {
		return 0, false
	}
	return min(d, maxRetryAfter), true
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

// authTransport applies one connection's credentials. A 401 means the
// distributor refused the request unread (a token revoked or expired
// early), so the token is dropped and the request sent once more with a
// fresh one, writes included (distributors.md, Logicom → Headers).
type authTransport struct {
	auth *Auth
	next http.RoundTripper
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, tok, err := t.try(req, req.Body)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || t.auth.Tokens == nil {
		return resp, err
	}
	var body io.ReadCloser
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return resp, nil // cannot send the body again
		}
		if body, err = req.GetBody(); err != nil {
			return resp, nil
		}
	}
	drain(resp)
	t.auth.Tokens.Invalidate(tok)
	resp, _, err = t.try(req, body)
	return resp, err
}

func (t *authTransport) try(req *http.Request, body io.ReadCloser) (*http.Response, string, error) {
	tok := ""
	if t.auth.Tokens != nil {
		var err error
		if tok, err = t.auth.Tokens.Token(req.Context()); err != nil {
			if body != nil {
				body.Close()
			}
			return nil, "", err
		}
	}
	// A RoundTripper must not change the caller's request.
	r := req.Clone(req.Context())
	r.Body = body
	if t.auth.Apply != nil {
		t.auth.Apply(r, tok)
	}
	resp, err := t.next.RoundTrip(r)
	return resp, tok, err
}

// observeTransport reports every exchange to the Observer.
type observeTransport struct {
	distributor string
	obs         Observer
	next        http.RoundTripper
}

func (t *observeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	call := callOf(req.Context())
	// One span per exchange (a retry is another); its attributes name the
	// call and the status, never the URL, whose query may hold credentials.
	_, span := tracer.Start(req.Context(), t.distributor+" "+call+" HTTP", trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("distributor", t.distributor), attribute.String("call", call),
			attribute.String("http.request.method", req.Method)))
	resp, err := t.next.RoundTrip(req)
	code := 0
	if resp != nil {
		code = resp.StatusCode
	}
	outcome := outcomeOf(req.Context(), code, err)
	span.SetAttributes(attribute.Int("http.response.status_code", code), attribute.String("outcome", outcome))
	if outcome != OutcomeOK && outcome != OutcomeClientError {
		span.SetStatus(codes.Error, outcome)
	}
	span.End()
	if t.obs != nil {
		t.obs.ObserveUpstream(t.distributor, call, outcome, time.Since(start))
	}
	return resp, err
}

// tracer is the global provider's: a no-op unless export is configured
// (internal/tracing).
var tracer = otel.Tracer("github.com/quoteconnector/quoteconnector/internal/distributors/upstream")

func outcomeOf(ctx context.Context, status int, err error) string {
	switch {
	case err != nil && (errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || isNetTimeout(err)):
		return OutcomeTimeout
	case err != nil:
		return OutcomeNetwork
	case status == 401 || status == 403:
		return OutcomeAuth
	case status >= 500 || status == 429:
		return OutcomeServerError
	case status >= 400:
		return OutcomeClientError
	}
	return OutcomeOK
}
