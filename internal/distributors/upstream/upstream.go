// Package upstream is the HTTP plumbing every distributor adapter shares:
// bounded retries of idempotent reads with backoff and Retry-After, response
// size limits, metrics per call, and errors that name the distributor and
// call but never a credential. Adapters build requests; this package sends
// them.
package upstream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

// MaxBody bounds how much of a distributor answer is read.
const MaxBody = 32 << 20

// Observer receives one event per upstream HTTP exchange (metrics).
type Observer interface {
	ObserveUpstream(distributor, call, outcome string, d time.Duration)
}

// Outcomes reported to the Observer.
const (
	OutcomeOK          = "ok"
	OutcomeClientError = "client_error"
	OutcomeAuth        = "auth"
	OutcomeServerError = "server_error"
	OutcomeNetwork     = "network_error"
	OutcomeTimeout     = "timeout"
)

// Client sends one distributor's requests.
type Client struct {
	Distributor string
	HTTP        *http.Client
	Observer    Observer // may be nil
	// Timeout bounds one operation including its retries (QC_UPSTREAM_TIMEOUT).
	Timeout time.Duration
	// Retries is how often an idempotent read is retried (default 2).
	Retries int
	// Backoff is the first retry delay, doubled each time, capped at 2 s,
	// with full jitter (default 100 ms).
	Backoff time.Duration
}

// Response is a completed HTTP exchange with its body read.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// RequestFunc builds one attempt's request; it is called again for each
// retry so signatures and timestamps are fresh.
type RequestFunc func(ctx context.Context) (*http.Request, error)

// WithTimeout applies the client's operation deadline to ctx.
func (c *Client) WithTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.Timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, c.Timeout)
}

// Do sends the request built by build. GET and HEAD are retried on network
// errors, 429 and 5xx; anything else is sent exactly once (an order POST is
// never retried blindly). Any completed exchange that is not retried further
// is returned as a Response, whatever its status; the error is set only when
// no usable answer arrived: network failure, timeout, or 429/5xx after the
// last try.
func (c *Client) Do(ctx context.Context, call string, build RequestFunc) (*Response, error) {
	retries := c.Retries
	if retries == 0 {
		retries = 2
	}
	backoff := c.Backoff
	if backoff == 0 {
		backoff = 100 * time.Millisecond
	}
	for attempt := 0; ; attempt++ {
		req, err := build(ctx)
		if err != nil {
			return nil, &distributors.Error{Distributor: c.Distributor, Call: call, Kind: distributors.KindConfig, Message: "cannot build request", Err: err}
		}
		idempotent := req.Method == http.MethodGet || req.Method == http.MethodHead
		resp, err := c.once(req, call)
		retryable := idempotent && attempt < retries && retryableResult(resp, err) && ctx.Err() == nil
		if !retryable {
			if err != nil {
				return nil, c.transportError(ctx, call, req, err)
			}
			if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
				return resp, &distributors.Error{Distributor: c.Distributor, Call: call, Kind: distributors.KindUnavailable,
					StatusCode: resp.StatusCode, Message: "distributor answered with an error", Uncertain: !idempotent && resp.StatusCode >= 500}
			}
			return resp, nil
		}
		wait := backoff << attempt
		if wait > 2*time.Second {
			wait = 2 * time.Second
		}
		wait = time.Duration(rand.Int64N(int64(wait) + 1))
		if resp != nil {
			if ra, ok := retryAfter(resp.Header); ok {
				wait = ra
			}
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, c.transportError(ctx, call, req, ctx.Err())
		}
	}
}

func (c *Client) once(req *http.Request, call string) (*Response, error) {
	start := time.Now()
	hresp, err := c.HTTP.Do(req)
	if err != nil {
		c.observe(call, outcomeOf(req.Context(), nil, err), start)
		return nil, err
	}
	defer hresp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(hresp.Body, MaxBody+1))
	if err == nil && len(body) > MaxBody {
		err = fmt.Errorf("answer larger than %d bytes", MaxBody)
	}
	if err != nil {
		c.observe(call, outcomeOf(req.Context(), nil, err), start)
		return nil, err
	}
	resp := &Response{StatusCode: hresp.StatusCode, Header: hresp.Header, Body: body}
	c.observe(call, outcomeOf(req.Context(), resp, nil), start)
	return resp, nil
}

func (c *Client) observe(call, outcome string, start time.Time) {
	if c.Observer != nil {
		c.Observer.ObserveUpstream(c.Distributor, call, outcome, time.Since(start))
	}
}

func outcomeOf(ctx context.Context, resp *Response, err error) string {
	switch {
	case err != nil && (errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || isNetTimeout(err)):
		return OutcomeTimeout
	case err != nil:
		return OutcomeNetwork
	case resp.StatusCode == 401 || resp.StatusCode == 403:
		return OutcomeAuth
	case resp.StatusCode >= 500 || resp.StatusCode == 429:
		return OutcomeServerError
	case resp.StatusCode >= 400:
		return OutcomeClientError
	}
	return OutcomeOK
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func retryableResult(resp *Response, err error) bool {
	if err != nil {
		return true
	}
	return resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
}

func retryAfter(h http.Header) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		d := time.Duration(s) * time.Second
		if d > 5*time.Second {
			d = 5 * time.Second
		}
		return d, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		if d > 5*time.Second {
			d = 5 * time.Second
		}
		return d, true
	}
	return 0, false
}

// transportError describes a failed exchange without the URL's query, which
// may carry credentials. A POST that failed after it may have been sent is
// marked Uncertain.
func (c *Client) transportError(ctx context.Context, call string, req *http.Request, err error) error {
	// Keep the cause without *url.Error, whose text repeats the whole URL,
	// query string (and any credential in it) included.
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err
	}
	e := &distributors.Error{Distributor: c.Distributor, Call: call, Kind: distributors.KindUnavailable, Err: cause,
		Uncertain: req.Method != http.MethodGet && req.Method != http.MethodHead}
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) || isNetTimeout(err):
		e.Message = "no answer in time"
		e.Err = context.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		e.Message = "request cancelled"
	default:
		e.Message = "cannot reach " + distributors.SanitizeURL(req.URL)
		var op *net.OpError
		if !errors.As(err, &op) {
			e.Message = "broken answer from " + distributors.SanitizeURL(req.URL)
		}
	}
	return e
}

// StatusError turns a non-2xx answer into an Error of the fitting kind with
// message msg (the distributor's own text when the adapter could read one).
func (c *Client) StatusError(call string, resp *Response, msg string) error {
	kind := distributors.KindRejected
	switch {
	case resp.StatusCode == 401 || resp.StatusCode == 403:
		kind = distributors.KindAuth
	case resp.StatusCode == 404:
		kind = distributors.KindNotFound
	case resp.StatusCode >= 500 || resp.StatusCode == 429:
		kind = distributors.KindUnavailable
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	return &distributors.Error{Distributor: c.Distributor, Call: call, Kind: kind, StatusCode: resp.StatusCode, Message: msg}
}

// DecodeError is the error for an answer that is not the JSON we expect.
func (c *Client) DecodeError(call string, err error) error {
	return &distributors.Error{Distributor: c.Distributor, Call: call, Kind: distributors.KindUnavailable,
		Message: "unreadable answer", Err: err}
}
