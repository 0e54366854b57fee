package activity

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 30, 0, time.UTC)} }

func TestRequestsOverTheLastHour(t *testing.T) {
	clk := newClock()
	r := New(clk.now)
	r.ObserveRequest("FindProduct", 200, time.Millisecond)
	r.ObserveRequest("FindProduct", 401, time.Millisecond)
	r.ObserveRequest("PlaceOrder", 502, time.Millisecond)
	clk.add(30 * time.Minute)
	r.ObserveRequest("FindProduct", 200, time.Millisecond)
	r.ObserveRequest("FindProduct", 500, time.Millisecond)

	got := r.Requests()
	require.Len(t, got, 2)
	assert.Equal(t, EndpointStats{Endpoint: "FindProduct", Requests: 4, ClientErrors: 1, ServerErrors: 1}, got[0], "busiest first")
	assert.Equal(t, 0.25, got[0].ErrorRate())
	assert.Equal(t, EndpointStats{Endpoint: "PlaceOrder", Requests: 1, ServerErrors: 1}, got[1])

	clk.add(31 * time.Minute) // the first minute is now more than an hour ago
	got = r.Requests()
	require.Len(t, got, 1)
	assert.Equal(t, 2, got[0].Requests)
	clk.add(2 * time.Hour)
	assert.Empty(t, r.Requests())
	assert.Zero(t, EndpointStats{}.ErrorRate())
}

func TestCallsPerConnectionAndDistributor(t *testing.T) {
	clk := newClock()
	r := New(clk.now)
	r.ObserveCall(Call{Tenant: "acme", ConnectionID: 7, Distributor: "logicom", Operation: "Search", Duration: 40 * time.Millisecond})
	clk.add(time.Second)
	r.ObserveCall(Call{Tenant: "acme", ConnectionID: 7, Distributor: "logicom", Operation: "PlaceOrder", Duration: 2 * time.Second, Failed: true, Message: "logicom PostOrder: no answer in time"})
	r.ObserveCall(Call{Tenant: "acme", ConnectionID: 7, Distributor: "nuvias", Operation: "Search", Duration: time.Millisecond})
	r.ObserveCall(Call{Tenant: "other", ConnectionID: 1, Distributor: "logicom", Operation: "Test", Duration: time.Millisecond})

	assert.Equal(t, []ConnectionKey{{"acme", 7}, {"other", 1}}, r.Connections())
	calls := r.Calls("acme", 7)
	require.Len(t, calls, 2)
	l := calls["logicom"]
	assert.Equal(t, "Search", l.LastOK.Operation)
	assert.Equal(t, 40*time.Millisecond, l.LastOK.Duration)
	assert.Equal(t, "PlaceOrder", l.LastFailed.Operation)
	assert.Equal(t, "logicom PostOrder: no answer in time", l.LastFailed.Message)
	assert.True(t, l.Failing())
	assert.False(t, calls["nuvias"].Failing())
	assert.Empty(t, r.Calls("acme", 8))

	health := r.Distributors()
	require.Len(t, health, 2)
	assert.Equal(t, "logicom", health[0].Distributor)
	assert.Equal(t, 2, health[0].OK)
	assert.Equal(t, 1, health[0].Failed)
	assert.Equal(t, "Test", health[0].LastOK.Operation, "the last good call of any connection")
	assert.False(t, health[0].Failing(), "a later good call")
	clk.add(2 * time.Hour)
	health = r.Distributors()
	assert.Zero(t, health[0].OK+health[0].Failed, "counts cover the last hour")
	assert.Equal(t, "Test", health[0].LastOK.Operation, "the last calls stay")
}

func TestTokens(t *testing.T) {
	clk := newClock()
	r := New(clk.now)
	_, ok := r.Token("nuvias", "a1")
	assert.False(t, ok)
	exp := clk.now().Add(time.Hour)
	r.ObserveToken("nuvias", "a1", exp)
	clk.add(time.Hour)
	r.ObserveToken("nuvias", "a1", exp.Add(time.Hour))
	got, ok := r.Token("nuvias", "a1")
	require.True(t, ok)
	assert.Equal(t, TokenState{ValidUntil: exp.Add(time.Hour), LastRefresh: clk.now(), Refreshes: 2}, got)
	_, ok = r.Token("logicom", "a1")
	assert.False(t, ok)
}
