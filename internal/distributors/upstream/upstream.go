// Package upstream is the HTTP plumbing every distributor adapter shares,
// written once: a retry policy for reads, credentials applied as a
// transport with one refresh-and-retry after a 401, token and value caches
// keyed by credentials, response size limits, metrics per exchange, and the
// one place where errors are given their kind and scrubbed of URLs' queries
// and the connection's secrets. Adapters describe requests and read
// answers; this package sends them (style.md §3.4, go-github's transports).
package upstream

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
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

// Options configure one distributor's Client.
type Options struct {
	Distributor string
	// HTTP is the base client; its Transport is wrapped, its other fields
	// (redirect policy, timeout) kept. nil: a new http.Client.
	HTTP     *http.Client
	Observer Observer // may be nil
	// Timeout bounds one operation including its retries (QC_UPSTREAM_TIMEOUT).
	Timeout time.Duration
	// Retries is how often a read is retried: 0 means the default 2, a
	// negative number none.
	Retries int
	// Backoff is the first retry delay (default 100 ms), growing
	// exponentially with jitter up to 2 s.
	Backoff time.Duration
}

// Client sends one distributor's requests. The Client from New carries no
// credentials and is shared by all connections (token calls go through
// it); WithAuth derives one connection's view.
type Client struct {
	Distributor string
	// Timeout bounds one operation including its retries.
	Timeout time.Duration

	base  *http.Client      // the caller's client, transport unwrapped
	raw   http.RoundTripper // observe(base transport)
	retry retryPolicy
	http  *http.Client // retry(auth?(observe(base)))
	auth  *Auth

	tokenObserver TokenObserver // Options.Observer, when it is one
}

// New returns a distributor's shared client.
func New(o Options) *Client {
	base := o.HTTP
	if base == nil {
		base = &http.Client{}
	}
	rt := base.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	c := &Client{
		Distributor: o.Distributor,
		Timeout:     o.Timeout,
		base:        base,
		raw:         &observeTransport{distributor: o.Distributor, obs: o.Observer, next: rt},
		retry:       newRetryPolicy(o.Retries, o.Backoff),
	}
	c.tokenObserver, _ = o.Observer.(TokenObserver)
	c.http = c.client(c.raw)
	return c
}

// client is the base client with the retry policy around rt.
func (c *Client) client(rt http.RoundTripper) *http.Client {
	hc := *c.base
	hc.Transport = &retryTransport{policy: c.retry, next: rt}
	return &hc
}

// Auth is one connection's credentials as a transport applies them.
type Auth struct {
	// Tokens is the connection's access-token cache; nil when the
	// credentials are static headers only.
	Tokens *Tokens
	// Apply sets the credential headers of one attempt; token is the
	// current access token ("" without Tokens). It runs for every attempt,
	// so signatures and timestamps are fresh.
	Apply func(r *http.Request, token string)
	// Secrets are the connection's credential values, scrubbed from every
	// error the client returns.
	Secrets []string
}

// WithAuth returns the client of one connection: every request carries
// the credentials a applies, and a 401 refreshes the token and retries
// once.
func (c *Client) WithAuth(a *Auth) *Client {
	cp := *c
	cp.auth = a
	cp.http = c.client(&authTransport{auth: a, next: c.raw})
	return &cp
}

// WithTimeout applies the client's operation deadline to ctx.
func (c *Client) WithTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.Timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, c.Timeout)
}

// Request is one upstream call.
type Request struct {
	Call   string // upstream call name, for errors and metrics ("GetPrice")
	Method string
	URL    string // absolute, query included
	Header http.Header
	Body   []byte // nil: none
	// Read marks a request that changes nothing although its method says
	// otherwise (Westcon's orderStatus POST, token requests): it is
	// retried like a GET and a failure is never Uncertain.
	Read bool
}

func (r Request) read() bool {
	return r.Read || r.Method == http.MethodGet || r.Method == http.MethodHead
}

// Response is a completed HTTP exchange with its body read.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Do sends r. Reads are retried on network errors, 429 and 5xx with
// backoff and jitter, honouring Retry-After; anything else is sent once (an
// order POST is never retried blindly; only a 401 leads to one more try
// with a fresh token, the distributor having refused it unread). Any
// completed exchange is returned as a Response whatever its status; the
// error is set when no usable answer arrived: network failure, timeout, or
// 429/5xx after the last try (Uncertain for a write that may have been
// acted on).
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	ctx = withCall(ctx, r.Call)
	if r.read() {
		ctx = asRead(ctx)
	}
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return nil, c.Scrub(&distributors.Error{Distributor: c.Distributor, Call: r.Call, Kind: distributors.KindConfig, Message: "cannot build request"})
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	hresp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, r, req.URL, err)
	}
	defer hresp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(hresp.Body, MaxBody+1))
	if err == nil && len(b) > MaxBody {
		err = fmt.Errorf("answer larger than %d bytes", MaxBody)
	}
	if err != nil {
		return nil, c.transportError(ctx, r, req.URL, err)
	}
	resp := &Response{StatusCode: hresp.StatusCode, Header: hresp.Header, Body: b}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return resp, c.Scrub(&distributors.Error{Distributor: c.Distributor, Call: r.Call, Kind: distributors.KindUnavailable,
			StatusCode: resp.StatusCode, Message: "distributor answered with an error", Uncertain: !r.read() && resp.StatusCode >= 500})
	}
	return resp, nil
}

// transportError describes a failed exchange without the URL's query,
// which may carry credentials. A write that failed after it may have been
// sent is marked Uncertain; a failed token fetch (the request never left)
// keeps its own error.
func (c *Client) transportError(ctx context.Context, r Request, u *url.URL, err error) error {
	var de *distributors.Error
	if errors.As(err, &de) {
		return c.Scrub(de)
	}
	// Keep the cause without *url.Error, whose text repeats the whole URL,
	// query string (and any credential in it) included.
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err
	}
	e := &distributors.Error{Distributor: c.Distributor, Call: r.Call, Kind: distributors.KindUnavailable, Err: cause, Uncertain: !r.read()}
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) || isNetTimeout(err):
		e.Message = "no answer in time"
		e.Err = context.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		e.Message = "request cancelled"
	default:
		e.Message = "cannot reach " + distributors.SanitizeURL(u)
		var op *net.OpError
		if !errors.As(err, &op) {
			e.Message = "broken answer from " + distributors.SanitizeURL(u)
		}
	}
	return c.Scrub(e)
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
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
	return c.Scrub(&distributors.Error{Distributor: c.Distributor, Call: call, Kind: kind, StatusCode: resp.StatusCode, Message: msg})
}

// DecodeError is the error for an answer that is not the JSON we expect.
func (c *Client) DecodeError(call string, err error) error {
	return c.Scrub(&distributors.Error{Distributor: c.Distributor, Call: call, Kind: distributors.KindUnavailable,
		Message: "unreadable answer", Err: err})
}

// Errorf builds an error of this distributor, scrubbed.
func (c *Client) Errorf(call string, kind distributors.Kind, format string, args ...any) error {
	return c.Scrub(distributors.Errorf(c.Distributor, call, kind, format, args...))
}

const redacted = "[redacted]"

// Scrub is the one place that removes the connection's secrets and its
// current access token from an error, should an upstream answer ever echo
// one (style.md §3.10). Every error Do, StatusError, DecodeError and
// Errorf return has been through it; adapters pass their own through it.
// A *distributors.Error is copied, never changed in place: errors of a
// shared token fetch reach several callers.
func (c *Client) Scrub(err error) error {
	var de *distributors.Error
	if err == nil || !errors.As(err, &de) {
		return err
	}
	var secrets []string
	if c.auth != nil {
		secrets = append(secrets, c.auth.Secrets...)
		if c.auth.Tokens != nil {
			secrets = append(secrets, c.auth.Tokens.current())
		}
	}
	clean := func(s string) string {
		for _, x := range secrets {
			if len(x) >= 4 { // a shorter value would redact ordinary words
				s = strings.ReplaceAll(s, x, redacted)
			}
		}
		return s
	}
	cp := *de
	cp.Message = clean(de.Message)
	if len(de.Problems) > 0 {
		cp.Problems = make([]distributors.LineProblem, len(de.Problems))
		for i, p := range de.Problems {
			p.Message = clean(p.Message)
			cp.Problems[i] = p
		}
	}
	if de.Err != nil {
		if text := de.Err.Error(); clean(text) != text {
			// The cause is for logs; a log line never carries a secret.
			cp.Err = errors.New(clean(text))
		}
	}
	return &cp
}

// Key hashes credentials into a cache key, so no cache holds them in the
// clear.
func Key(credentials ...string) string { return hashKey(credentials) }
