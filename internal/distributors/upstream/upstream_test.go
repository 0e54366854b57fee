package upstream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

type event struct {
	distributor, call, outcome string
}

type recorder struct {
	mu     sync.Mutex
	events []event
}

func (r *recorder) ObserveUpstream(distributor, call, outcome string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, event{distributor, call, outcome})
}

func (r *recorder) outcomes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, e.outcome)
	}
	return out
}

// script answers the n-th request (from 0) with statuses[n], the last one
// repeating, and counts requests.
type script struct {
	statuses []int
	header   http.Header
	n        atomic.Int32
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(s.n.Add(1)) - 1
	i := min(n, len(s.statuses)-1)
	for k, v := range s.header {
		w.Header()[k] = v
	}
	w.WriteHeader(s.statuses[i])
	fmt.Fprintf(w, "answer %d", n)
}

func newClient(srv *httptest.Server, obs Observer, mod ...func(*Options)) *Client {
	o := Options{Distributor: "logicom", HTTP: srv.Client(), Backoff: time.Millisecond, Observer: obs}
	for _, m := range mod {
		m(&o)
	}
	return New(o)
}

func req(call, method, url string) Request {
	r := Request{Call: call, Method: method, URL: url}
	if method == http.MethodPost {
		r.Body = []byte(`{"order":1}`)
	}
	return r
}

func TestDoRetries(t *testing.T) {
	tests := []struct {
		name      string
		method    string
		statuses  []int
		retries   int
		wantCalls int32
		wantCode  int
		wantErr   bool
		uncertain bool
		outcomes  []string
	}{
		{"GET 503 then success", http.MethodGet, []int{503, 200}, 0, 2, 200, false, false, []string{OutcomeServerError, OutcomeOK}},
		{"GET 502, 500 then success", http.MethodGet, []int{502, 500, 200}, 0, 3, 200, false, false, []string{OutcomeServerError, OutcomeServerError, OutcomeOK}},
		{"GET 429 then success", http.MethodGet, []int{429, 200}, 0, 2, 200, false, false, []string{OutcomeServerError, OutcomeOK}},
		{"GET 503 forever gives up after default retries", http.MethodGet, []int{503}, 0, 3, 503, true, false, nil},
		{"GET retries configurable", http.MethodGet, []int{503}, 1, 2, 503, true, false, nil},
		{"GET negative retries means none", http.MethodGet, []int{503}, -1, 1, 503, true, false, nil},
		{"HEAD retried", http.MethodHead, []int{503, 204}, 0, 2, 204, false, false, nil},
		{"GET 400 not retried", http.MethodGet, []int{400, 200}, 0, 1, 400, false, false, []string{OutcomeClientError}},
		{"GET 401 not retried", http.MethodGet, []int{401, 200}, 0, 1, 401, false, false, []string{OutcomeAuth}},
		{"GET 403 not retried", http.MethodGet, []int{403, 200}, 0, 1, 403, false, false, []string{OutcomeAuth}},
		{"GET 404 not retried", http.MethodGet, []int{404, 200}, 0, 1, 404, false, false, []string{OutcomeClientError}},
		{"GET 200", http.MethodGet, []int{200}, 0, 1, 200, false, false, []string{OutcomeOK}},
		{"POST 503 never retried", http.MethodPost, []int{503, 200}, 0, 1, 503, true, true, []string{OutcomeServerError}},
		{"POST 429 never retried", http.MethodPost, []int{429, 200}, 0, 1, 429, true, false, nil},
		{"POST 400 returned", http.MethodPost, []int{400, 200}, 0, 1, 400, false, false, nil},
		{"POST 200", http.MethodPost, []int{201}, 0, 1, 201, false, false, nil},
		{"PUT 503 never retried", http.MethodPut, []int{503, 200}, 0, 1, 503, true, true, nil},
		{"DELETE 500 never retried", http.MethodDelete, []int{500, 200}, 0, 1, 500, true, true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &script{statuses: tc.statuses}
			srv := httptest.NewServer(s)
			defer srv.Close()
			obs := &recorder{}
			c := newClient(srv, obs, func(o *Options) { o.Retries = tc.retries })
			resp, err := c.Do(context.Background(), req("GetPrice", tc.method, srv.URL+"/GetPrice"))
			assert.Equal(t, tc.wantCalls, s.n.Load(), "attempts")
			require.NotNil(t, resp, "a completed exchange is returned")
			assert.Equal(t, tc.wantCode, resp.StatusCode)
			if tc.method != http.MethodHead {
				assert.Equal(t, fmt.Sprintf("answer %d", tc.wantCalls-1), string(resp.Body))
			}
			if tc.wantErr {
				var e *distributors.Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, distributors.KindUnavailable, e.Kind)
				assert.Equal(t, tc.wantCode, e.StatusCode)
				assert.Equal(t, "logicom", e.Distributor)
				assert.Equal(t, "GetPrice", e.Call)
				assert.Equal(t, tc.uncertain, e.Uncertain)
				assert.Equal(t, tc.uncertain, distributors.IsUncertain(err))
			} else {
				assert.NoError(t, err)
			}
			if tc.outcomes != nil {
				assert.Equal(t, tc.outcomes, obs.outcomes())
			}
			assert.Len(t, obs.outcomes(), int(tc.wantCalls), "one event per exchange")
		})
	}
}

func TestObserverEventsNameDistributorAndCall(t *testing.T) {
	srv := httptest.NewServer(&script{statuses: []int{200}})
	defer srv.Close()
	obs := &recorder{}
	c := newClient(srv, obs, func(o *Options) { o.Distributor = "nuvias" })
	_, err := c.Do(context.Background(), req("GetProducts", http.MethodGet, srv.URL))
	require.NoError(t, err)
	assert.Equal(t, []event{{"nuvias", "GetProducts", OutcomeOK}}, obs.events)

	// No observer: no panic.
	c = newClient(srv, nil)
	_, err = c.Do(context.Background(), req("GetProducts", http.MethodGet, srv.URL))
	require.NoError(t, err)
}

func TestRetryAfterZeroIsHonoured(t *testing.T) {
	s := &script{statuses: []int{503, 503, 200}, header: http.Header{"Retry-After": {"0"}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	// Without Retry-After the backoff would wait seconds.
	c := newClient(srv, nil, func(o *Options) { o.Backoff = 10 * time.Second })
	start := time.Now()
	resp, err := c.Do(context.Background(), req("GetPrice", http.MethodGet, srv.URL))
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, int32(3), s.n.Load())
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestRetryAfterSecondsIsHonoured(t *testing.T) {
	s := &script{statuses: []int{429, 200}, header: http.Header{"Retry-After": {"1"}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newClient(srv, nil)
	start := time.Now()
	resp, err := c.Do(context.Background(), req("GetPrice", http.MethodGet, srv.URL))
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), 900*time.Millisecond)
}

func TestRetryAfterParsing(t *testing.T) {
	tests := []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"3", 3 * time.Second, true},
		{"3600", 5 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0, true},
		{time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), 5 * time.Second, true},
	}
	for _, tc := range tests {
		got, ok := retryAfter(http.Header{"Retry-After": {tc.v}})
		assert.Equal(t, tc.ok, ok, tc.v)
		assert.Equal(t, tc.want, got, tc.v)
	}
}

func TestAuthAppliedToEachAttempt(t *testing.T) {
	var stamps []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		stamps = append(stamps, r.Header.Get("Timestamp"))
		n := len(stamps)
		mu.Unlock()
		if n < 3 {
			w.WriteHeader(503)
		}
	}))
	defer srv.Close()
	applied := 0
	c := newClient(srv, nil).WithAuth(&Auth{Apply: func(r *http.Request, _ string) {
		applied++
		r.Header.Set("Timestamp", fmt.Sprint(applied))
	}})
	resp, err := c.Do(context.Background(), req("GetPrice", http.MethodGet, srv.URL))
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 3, applied)
	assert.Equal(t, []string{"1", "2", "3"}, stamps, "every attempt signed afresh")
}

func TestBuildError(t *testing.T) {
	c := New(Options{Distributor: "logicom"})
	_, err := c.Do(context.Background(), Request{Call: "GetPrice", Method: "GET", URL: "http://x/\x00?client_secret=abc\x7f"})
	var e *distributors.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, distributors.KindConfig, e.Kind)
	assert.NotContains(t, err.Error(), "client_secret")
}

// slow never answers before the request's context ends (or 5 s).
func slow() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body so the server notices when the client hangs up.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
}

func TestTimeout(t *testing.T) {
	srv := httptest.NewServer(slow())
	defer srv.Close()

	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run("operation deadline "+method, func(t *testing.T) {
			obs := &recorder{}
			c := newClient(srv, obs, func(o *Options) { o.Timeout = 100 * time.Millisecond })
			ctx, cancel := c.WithTimeout(context.Background())
			defer cancel()
			start := time.Now()
			resp, err := c.Do(ctx, req("GetPrice", method, srv.URL+"/x?client_secret=abc"))
			assert.Nil(t, resp)
			assert.Less(t, time.Since(start), 3*time.Second)
			var e *distributors.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, distributors.KindUnavailable, e.Kind)
			assert.Equal(t, "no answer in time", e.Message)
			assert.True(t, distributors.IsTimeout(err))
			assert.Equal(t, method == http.MethodPost, e.Uncertain, "a POST that timed out may have been placed")
			assert.Equal(t, []string{OutcomeTimeout}, obs.outcomes())
			assert.Equal(t, "logicom GetPrice: no answer in time", err.Error())
		})
	}

	t.Run("http client timeout", func(t *testing.T) {
		obs := &recorder{}
		// The http.Client's own timeout bounds the whole exchange, retries
		// included (they run inside its transport).
		c := newClient(srv, obs, func(o *Options) { o.HTTP = &http.Client{Timeout: 50 * time.Millisecond} })
		_, err := c.Do(context.Background(), req("GetPrice", http.MethodGet, srv.URL+"/x?client_secret=abc"))
		var e *distributors.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, distributors.KindUnavailable, e.Kind)
		assert.Equal(t, "no answer in time", e.Message)
		assert.Len(t, obs.outcomes(), 1, "no retry after the client's own deadline")
	})

	t.Run("deadline during backoff", func(t *testing.T) {
		s := &script{statuses: []int{503}}
		srv := httptest.NewServer(s)
		defer srv.Close()
		c := newClient(srv, nil, func(o *Options) { o.Backoff = time.Minute; o.Timeout = 100 * time.Millisecond })
		ctx, cancel := c.WithTimeout(context.Background())
		defer cancel()
		start := time.Now()
		// Force a long wait: no Retry-After, backoff jitter up to 2 s cap.
		var err error
		for i := 0; i < 5; i++ {
			_, err = c.Do(ctx, req("GetPrice", http.MethodGet, srv.URL))
			if err != nil {
				break
			}
		}
		require.Error(t, err)
		assert.Less(t, time.Since(start), 3*time.Second)
		assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
	})

	t.Run("no timeout configured", func(t *testing.T) {
		c := New(Options{})
		ctx, cancel := c.WithTimeout(context.Background())
		defer cancel()
		_, has := ctx.Deadline()
		assert.False(t, has)
		c = New(Options{Timeout: time.Second})
		ctx2, cancel2 := c.WithTimeout(context.Background())
		defer cancel2()
		_, has = ctx2.Deadline()
		assert.True(t, has)
	})
}

func TestCancelled(t *testing.T) {
	srv := httptest.NewServer(slow())
	defer srv.Close()
	c := newClient(srv, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err := c.Do(ctx, req("GetPrice", http.MethodGet, srv.URL))
	var e *distributors.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "request cancelled", e.Message)
	assert.False(t, distributors.IsTimeout(err))
}

// brokenBody announces more bytes than it sends, then hangs up.
func brokenBody() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic("no hijacker")
		}
		conn, buf, err := hj.Hijack()
		if err != nil {
			panic(err)
		}
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial")
		_ = buf.Flush()
		_ = conn.Close()
	})
}

func TestErrorTextsNeverCarryTheQuery(t *testing.T) {
	const query = "?client_secret=abc&token=xyz"
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	broken := httptest.NewServer(brokenBody())
	defer broken.Close()
	slowSrv := httptest.NewServer(slow())
	defer slowSrv.Close()
	failing := httptest.NewServer(&script{statuses: []int{503}})
	defer failing.Close()

	tests := []struct {
		name, method, url string
		timeout           time.Duration
		wantMsg           string
	}{
		{"connection refused", http.MethodGet, closedURL + "/GetPrice" + query, 0, "cannot reach " + closedURL + "/GetPrice"},
		{"connection refused POST", http.MethodPost, closedURL + "/PostOrder" + query, 0, "cannot reach " + closedURL + "/PostOrder"},
		{"broken answer", http.MethodGet, broken.URL + "/GetPrice" + query, 0, "broken answer from " + broken.URL + "/GetPrice"},
		{"timeout", http.MethodGet, slowSrv.URL + "/GetPrice" + query, 100 * time.Millisecond, "no answer in time"},
		{"server error", http.MethodGet, failing.URL + "/GetPrice" + query, 0, "distributor answered with an error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New(Options{Distributor: "westcon", Backoff: time.Millisecond, Timeout: tc.timeout})
			ctx, cancel := c.WithTimeout(context.Background())
			defer cancel()
			_, err := c.Do(ctx, req("orderStatus", tc.method, tc.url))
			require.Error(t, err)
			var e *distributors.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.wantMsg, e.Message)
			assert.Equal(t, distributors.KindUnavailable, e.Kind)
			for _, text := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%s", err), e.Message} {
				assert.NotContains(t, text, "client_secret")
				assert.NotContains(t, text, "abc")
				assert.NotContains(t, text, "xyz")
			}
		})
	}
}

func TestStatusError(t *testing.T) {
	c := New(Options{Distributor: "nuvias"})
	tests := []struct {
		code int
		msg  string
		kind distributors.Kind
		text string
	}{
		{400, "quantity must be positive", distributors.KindRejected, "nuvias PlaceOrder: quantity must be positive (HTTP 400)"},
		{422, "", distributors.KindRejected, "nuvias PlaceOrder: Unprocessable Entity (HTTP 422)"},
		{401, "", distributors.KindAuth, "nuvias PlaceOrder: Unauthorized (HTTP 401)"},
		{403, "forbidden", distributors.KindAuth, "nuvias PlaceOrder: forbidden (HTTP 403)"},
		{404, "", distributors.KindNotFound, "nuvias PlaceOrder: Not Found (HTTP 404)"},
		{429, "", distributors.KindUnavailable, "nuvias PlaceOrder: Too Many Requests (HTTP 429)"},
		{500, "", distributors.KindUnavailable, "nuvias PlaceOrder: Internal Server Error (HTTP 500)"},
	}
	for _, tc := range tests {
		err := c.StatusError("PlaceOrder", &Response{StatusCode: tc.code}, tc.msg)
		var e *distributors.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, tc.kind, e.Kind, tc.code)
		assert.Equal(t, tc.code, e.StatusCode)
		assert.Equal(t, tc.text, err.Error())
	}

	cause := errors.New("invalid character 'x'")
	err := c.DecodeError("GetProducts", cause)
	assert.Equal(t, "nuvias GetProducts: unreadable answer", err.Error())
	assert.ErrorIs(t, err, cause)
	assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
}

func TestOutcomeOfNetworkError(t *testing.T) {
	assert.Equal(t, OutcomeNetwork, outcomeOf(context.Background(), 0, &net.OpError{Op: "dial", Err: errors.New("refused")}))
	assert.Equal(t, OutcomeTimeout, outcomeOf(context.Background(), 0, context.DeadlineExceeded))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.Equal(t, OutcomeTimeout, outcomeOf(ctx, 0, errors.New("x")))
	assert.Equal(t, OutcomeOK, outcomeOf(context.Background(), 204, nil))
	assert.Equal(t, OutcomeOK, outcomeOf(context.Background(), 302, nil))
}

func TestNetworkErrorRetriedForGet(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	u := closed.URL
	closed.Close()
	obs := &recorder{}
	c := New(Options{Distributor: "logicom", Backoff: time.Millisecond, Observer: obs})
	_, err := c.Do(context.Background(), req("GetPrice", http.MethodGet, u))
	require.Error(t, err)
	assert.Equal(t, []string{OutcomeNetwork, OutcomeNetwork, OutcomeNetwork}, obs.outcomes())
	assert.False(t, distributors.IsUncertain(err))

	obs2 := &recorder{}
	c = New(Options{Distributor: "logicom", Backoff: time.Millisecond, Observer: obs2})
	_, err = c.Do(context.Background(), req("PostOrder", http.MethodPost, u))
	require.Error(t, err)
	assert.Equal(t, []string{OutcomeNetwork}, obs2.outcomes(), "POST never retried")
	assert.True(t, distributors.IsUncertain(err))
}
