// Package activity remembers what this replica has seen lately, for the
// operator console: requests per endpoint over the last hour, each
// connection's last good and last failed call per distributor, each
// distributor's calls over the last hour, and each distributor account's
// access token (when it expires and how often it was fetched, never the
// token). It lives in memory and is bounded: every replica shows what it
// served itself, and a restart starts afresh. Prometheus (/metrics) keeps
// the counters that outlive a page view.
package activity

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// Window is how far back the per-hour figures reach.
const Window = time.Hour

// maxConnections bounds the connections whose calls are remembered; past
// it, new connections are not (a tenant cannot grow the replica's memory
// without bound by inventing connection ids).
const maxConnections = 10000

// Recorder is safe for concurrent use.
type Recorder struct {
	now func() time.Time

	mu           sync.Mutex
	requests     map[string]*window
	connections  map[ConnectionKey]map[string]*DistributorCalls
	distributors map[string]*distributorState
	tokens       map[tokenKey]*TokenState
}

// New returns an empty Recorder; now is its clock (nil: time.Now).
func New(now func() time.Time) *Recorder {
	if now == nil {
		now = time.Now
	}
	return &Recorder{now: now, requests: map[string]*window{}, connections: map[ConnectionKey]map[string]*DistributorCalls{},
		distributors: map[string]*distributorState{}, tokens: map[tokenKey]*TokenState{}}
}

// --- requests ---

// ObserveRequest counts one HTTP request (handlers.RequestObserver).
func (r *Recorder) ObserveRequest(endpoint string, code int, _ time.Duration) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.requests[endpoint]
	if w == nil {
		w = &window{}
		r.requests[endpoint] = w
	}
	w.add(now, func(b *bucket) {
		b.total++
		switch {
		case code >= 500:
			b.server++
		case code >= 400:
			b.client++
		}
	})
}

// EndpointStats are one endpoint's requests over the last hour.
type EndpointStats struct {
	Endpoint     string
	Requests     int
	ClientErrors int // 4xx
	ServerErrors int // 5xx
}

// ErrorRate is the share of requests answered with a server error (5xx).
func (e EndpointStats) ErrorRate() float64 {
	if e.Requests == 0 {
		return 0
	}
	return float64(e.ServerErrors) / float64(e.Requests)
}

// Requests returns every endpoint with requests in the last hour, busiest
// first.
func (r *Recorder) Requests() []EndpointStats {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []EndpointStats
	for name, w := range r.requests {
		s := w.sum(now)
		if s.total == 0 {
			continue
		}
		out = append(out, EndpointStats{Endpoint: name, Requests: s.total, ClientErrors: s.client, ServerErrors: s.server})
	}
	slices.SortFunc(out, func(a, b EndpointStats) int {
		return cmp.Or(cmp.Compare(b.Requests, a.Requests), cmp.Compare(a.Endpoint, b.Endpoint))
	})
	return out
}

// --- distributor calls ---

// Call is one distributor operation of one connection.
type Call struct {
	Tenant       string
	ConnectionID int
	Distributor  string
	Operation    string // "Search", "PlaceOrder", "Test", ...
	Duration     time.Duration
	// Failed: the distributor could not be used (unreachable, refused the
	// credentials, unusable settings). A business answer (no such
	// product, an order refused for stock) is not a failure.
	Failed bool
	// Message describes a failure; it is already free of secrets (the
	// distributor errors' scrubbed text).
	Message string
}

// CallOutcome is one remembered call.
type CallOutcome struct {
	At        time.Time
	Operation string
	Duration  time.Duration
	Message   string
}

// DistributorCalls are one connection's last good and last failed call of
// one distributor; a zero At means none yet.
type DistributorCalls struct {
	LastOK     CallOutcome
	LastFailed CallOutcome
}

// Failing reports whether the last call failed.
func (d DistributorCalls) Failing() bool {
	return !d.LastFailed.At.IsZero() && d.LastFailed.At.After(d.LastOK.At)
}

// ConnectionKey names a connection: tenant and connection id.
type ConnectionKey struct {
	Tenant       string
	ConnectionID int
}

type distributorState struct {
	w    window // total = good calls, server = failed calls
	last DistributorCalls
}

// ObserveCall remembers one distributor operation (engine.CallObserver).
func (r *Recorder) ObserveCall(c Call) {
	now := r.now()
	out := CallOutcome{At: now, Operation: c.Operation, Duration: c.Duration, Message: c.Message}
	r.mu.Lock()
	defer r.mu.Unlock()
	key := ConnectionKey{c.Tenant, c.ConnectionID}
	calls := r.connections[key]
	if calls == nil {
		if len(r.connections) >= maxConnections {
			calls = map[string]*DistributorCalls{} // counted below, not kept
		} else {
			calls = map[string]*DistributorCalls{}
			r.connections[key] = calls
		}
	}
	dc := calls[c.Distributor]
	if dc == nil {
		dc = &DistributorCalls{}
		calls[c.Distributor] = dc
	}
	ds := r.distributors[c.Distributor]
	if ds == nil {
		ds = &distributorState{}
		r.distributors[c.Distributor] = ds
	}
	if c.Failed {
		dc.LastFailed, ds.last.LastFailed = out, out
		ds.w.add(now, func(b *bucket) { b.server++ })
	} else {
		dc.LastOK, ds.last.LastOK = out, out
		ds.w.add(now, func(b *bucket) { b.total++ })
	}
}

// Connections lists the connections this replica has called distributors
// for, by tenant and id.
func (r *Recorder) Connections() []ConnectionKey {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]ConnectionKey, 0, len(r.connections))
	for k := range r.connections {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b ConnectionKey) int {
		return cmp.Or(cmp.Compare(a.Tenant, b.Tenant), cmp.Compare(a.ConnectionID, b.ConnectionID))
	})
	return out
}

// Calls returns a connection's last calls per distributor name.
func (r *Recorder) Calls(tenant string, connectionID int) map[string]DistributorCalls {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]DistributorCalls{}
	for name, dc := range r.connections[ConnectionKey{tenant, connectionID}] {
		out[name] = *dc
	}
	return out
}

// DistributorHealth is one distributor across every connection.
type DistributorHealth struct {
	Distributor string
	OK, Failed  int // calls in the last hour
	DistributorCalls
}

// Distributors returns every distributor called so far, by name.
func (r *Recorder) Distributors() []DistributorHealth {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]DistributorHealth, 0, len(r.distributors))
	for name, ds := range r.distributors {
		s := ds.w.sum(now)
		out = append(out, DistributorHealth{Distributor: name, OK: s.total, Failed: s.server, DistributorCalls: ds.last})
	}
	slices.SortFunc(out, func(a, b DistributorHealth) int { return cmp.Compare(a.Distributor, b.Distributor) })
	return out
}

// --- tokens ---

type tokenKey struct{ distributor, account string }

// TokenState is what is known of an account's access token; never the
// token.
type TokenState struct {
	ValidUntil  time.Time
	LastRefresh time.Time
	Refreshes   int // fetched since this replica started
}

// ObserveToken remembers a fetched token's expiry (upstream.TokenObserver).
func (r *Recorder) ObserveToken(distributor, account string, expiry time.Time) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	k := tokenKey{distributor, account}
	t := r.tokens[k]
	if t == nil {
		if len(r.tokens) >= maxConnections {
			return
		}
		t = &TokenState{}
		r.tokens[k] = t
	}
	t.ValidUntil, t.LastRefresh = expiry, now
	t.Refreshes++
}

// Token returns the token state of a distributor account.
func (r *Recorder) Token(distributor, account string) (TokenState, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.tokens[tokenKey{distributor, account}]
	if !ok {
		return TokenState{}, false
	}
	return *t, true
}

// --- the per-minute window ---

const buckets = int(Window / time.Minute)

// bucket counts one minute.
type bucket struct {
	minute                int64 // Unix minute the counts belong to
	total, client, server int
}

// window is the last hour in one-minute buckets, reused round-robin.
type window [buckets]bucket

func (w *window) add(now time.Time, f func(*bucket)) {
	m := now.Unix() / 60
	b := &w[m%int64(buckets)]
	if b.minute != m {
		*b = bucket{minute: m}
	}
	f(b)
}

func (w *window) sum(now time.Time) bucket {
	m := now.Unix() / 60
	var s bucket
	for _, b := range w {
		if b.minute > m-int64(buckets) && b.minute <= m {
			s.total += b.total
			s.client += b.client
			s.server += b.server
		}
	}
	return s
}
