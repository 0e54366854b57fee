package upstream

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clock is a settable time source safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newClock() *clock { return &clock{t: time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)} }

// counting returns a fetch that issues "t1", "t2", ... valid for life.
func counting(clk *clock, life time.Duration, n *atomic.Int32) FetchFunc {
	return func(ctx context.Context) (Token, error) {
		i := n.Add(1)
		return Token{Value: fmt.Sprintf("t%d", i), Expires: clk.now().Add(life)}, nil
	}
}

func TestTokenConcurrentCallersShareOneFetch(t *testing.T) {
	var n atomic.Int32
	release := make(chan struct{})
	src := NewTokenSource(func(ctx context.Context) (Token, error) {
		n.Add(1)
		<-release
		return Token{Value: "shared", Expires: time.Now().Add(time.Minute)}, nil
	}, 5*time.Second, 0, nil)

	const callers = 100
	var wg sync.WaitGroup
	results := make([]string, callers)
	errs := make([]error, callers)
	var started sync.WaitGroup
	started.Add(callers)
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			started.Done()
			results[i], errs[i] = src.Token(context.Background())
		}(i)
	}
	started.Wait()
	time.Sleep(50 * time.Millisecond) // let the callers pile up on the fetch
	close(release)
	wg.Wait()
	assert.Equal(t, int32(1), n.Load(), "one fetch for all callers")
	for i := range results {
		require.NoError(t, errs[i])
		assert.Equal(t, "shared", results[i])
	}
	// And the token is reused afterwards.
	tok, err := src.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "shared", tok)
	assert.Equal(t, int32(1), n.Load())
}

func TestTokenReusedUntilMargin(t *testing.T) {
	clk := newClock()
	var n atomic.Int32
	src := NewTokenSource(counting(clk, time.Minute, &n), 5*time.Second, time.Second, clk.now)
	ctx := context.Background()

	steps := []struct {
		advance time.Duration
		want    string
	}{
		{0, "t1"},
		{30 * time.Second, "t1"},
		{24 * time.Second, "t1"},       // 54 s: 6 s left
		{999 * time.Millisecond, "t1"}, // 5.001 s left
		{time.Millisecond, "t2"},       // exactly the margin left: refresh
		{54 * time.Second, "t2"},       // new token's clock
		{10 * time.Minute, "t3"},       // long expired
	}
	for i, s := range steps {
		clk.add(s.advance)
		got, err := src.Token(ctx)
		require.NoError(t, err)
		assert.Equal(t, s.want, got, "step %d", i)
	}
	assert.Equal(t, int32(3), n.Load())
}

func TestTokenInvalidate(t *testing.T) {
	clk := newClock()
	var n atomic.Int32
	src := NewTokenSource(counting(clk, time.Hour, &n), 5*time.Second, time.Second, clk.now)
	ctx := context.Background()

	tok, err := src.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "t1", tok)

	src.Invalidate("t1")
	tok, err = src.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "t2", tok, "refetched after invalidation")

	// A stale invalidation (another caller already refreshed) keeps the new token.
	src.Invalidate("t1")
	tok, err = src.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "t2", tok)
	src.Invalidate("")
	tok, _ = src.Token(ctx)
	assert.Equal(t, "t2", tok)
	assert.Equal(t, int32(2), n.Load())
}

func TestTokenFetchErrorNotCached(t *testing.T) {
	var n atomic.Int32
	boom := errors.New("token endpoint down")
	src := NewTokenSource(func(ctx context.Context) (Token, error) {
		if n.Add(1) == 1 {
			return Token{}, boom
		}
		return Token{Value: "ok", Expires: time.Now().Add(time.Hour)}, nil
	}, time.Second, time.Second, nil)
	_, err := src.Token(context.Background())
	require.ErrorIs(t, err, boom)
	tok, err := src.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "ok", tok)
}

func TestTokenCancelledCallerDoesNotFailSharedFetch(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	var fetchCtxErr atomic.Value
	var hasDeadline atomic.Bool
	var n atomic.Int32
	src := NewTokenSource(func(ctx context.Context) (Token, error) {
		n.Add(1)
		_, dl := ctx.Deadline()
		hasDeadline.Store(dl)
		close(started)
		<-release
		if err := ctx.Err(); err != nil {
			fetchCtxErr.Store(err)
			return Token{}, err
		}
		return Token{Value: "fresh", Expires: time.Now().Add(time.Hour)}, nil
	}, time.Second, 10*time.Second, nil)

	ctxA, cancelA := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	go func() {
		_, err := src.Token(ctxA)
		errA <- err
	}()
	<-started

	type result struct {
		tok string
		err error
	}
	resB := make(chan result, 1)
	go func() {
		tok, err := src.Token(context.Background())
		resB <- result{tok, err}
	}()
	time.Sleep(20 * time.Millisecond) // B joins the flight

	cancelA()
	select {
	case err := <-errA:
		assert.ErrorIs(t, err, context.Canceled, "the cancelled caller returns at once")
	case <-time.After(2 * time.Second):
		t.Fatal("cancelled caller did not return")
	}

	close(release)
	select {
	case r := <-resB:
		require.NoError(t, r.err)
		assert.Equal(t, "fresh", r.tok)
	case <-time.After(2 * time.Second):
		t.Fatal("waiting caller did not get the token")
	}
	assert.Nil(t, fetchCtxErr.Load(), "the fetch did not see the cancellation")
	assert.True(t, hasDeadline.Load(), "the detached fetch is still bounded")
	assert.Equal(t, int32(1), n.Load())

	// The token fetched for the cancelled caller is cached for everyone.
	tok, err := src.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "fresh", tok)
	assert.Equal(t, int32(1), n.Load())
}

func TestTokenFetchTimeout(t *testing.T) {
	src := NewTokenSource(func(ctx context.Context) (Token, error) {
		<-ctx.Done()
		return Token{}, ctx.Err()
	}, time.Second, 50*time.Millisecond, nil)
	start := time.Now()
	_, err := src.Token(context.Background())
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestTokenCallerContextValuesReachFetch(t *testing.T) {
	type key struct{}
	var got any
	src := NewTokenSource(func(ctx context.Context) (Token, error) {
		got = ctx.Value(key{})
		return Token{Value: "v", Expires: time.Now().Add(time.Hour)}, nil
	}, time.Second, time.Second, nil)
	_, err := src.Token(context.WithValue(context.Background(), key{}, "logger"))
	require.NoError(t, err)
	assert.Equal(t, "logger", got)
}

func TestTokenCacheSeparatesCredentials(t *testing.T) {
	c := NewTokenCache(10)
	made := 0
	mk := func() *TokenSource {
		made++
		return NewTokenSource(func(context.Context) (Token, error) { return Token{}, nil }, 0, 0, nil)
	}
	a1 := c.Source(mk, "tenant-a", "secret")
	a2 := c.Source(mk, "tenant-a", "secret")
	assert.Same(t, a1, a2, "same credentials share one source")
	assert.Equal(t, 1, made)

	others := [][]string{
		{"tenant-b", "secret"},
		{"tenant-a", "other"},
		{"tenant-asecret"},
		{"tenant-a", "secret", ""},
		{"tenant-", "asecret"},
		{},
	}
	seen := map[*TokenSource]bool{a1: true}
	for _, creds := range others {
		s := c.Source(mk, creds...)
		assert.False(t, seen[s], "credentials %q get their own source", creds)
		seen[s] = true
	}
	assert.Equal(t, 1+len(others), made)

	// Keys are hashes: no credential appears in the cache.
	c.mu.Lock()
	for k := range c.entries {
		assert.NotContains(t, k, "secret")
		assert.NotContains(t, k, "tenant")
		assert.Len(t, k, 64)
	}
	c.mu.Unlock()
}

func TestTokenCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := NewTokenCache(2)
	made := map[string]int{}
	mk := func(name string) func() *TokenSource {
		return func() *TokenSource {
			made[name]++
			return NewTokenSource(func(context.Context) (Token, error) { return Token{}, nil }, 0, 0, nil)
		}
	}
	pause := func() { time.Sleep(2 * time.Millisecond) }

	a := c.Source(mk("a"), "a")
	pause()
	c.Source(mk("b"), "b")
	pause()
	assert.Same(t, a, c.Source(mk("a"), "a"), "touch a")
	pause()
	c.Source(mk("c"), "c") // evicts b, the least recently used
	pause()

	c.mu.Lock()
	assert.Len(t, c.entries, 2, "never more than max")
	c.mu.Unlock()

	assert.Same(t, a, c.Source(mk("a"), "a"), "a survived")
	pause()
	c.Source(mk("b"), "b") // b is rebuilt, evicting c
	assert.Equal(t, map[string]int{"a": 1, "b": 2, "c": 1}, made)
	c.mu.Lock()
	assert.Len(t, c.entries, 2)
	c.mu.Unlock()
}

func TestTokenCacheDefaultMaxAndConcurrency(t *testing.T) {
	c := NewTokenCache(0)
	assert.Equal(t, 1000, c.max)
	assert.Equal(t, 1000, NewTokenCache(-3).max)

	var made atomic.Int32
	mk := func() *TokenSource {
		made.Add(1)
		return NewTokenSource(func(context.Context) (Token, error) {
			return Token{Value: "x", Expires: time.Now().Add(time.Hour)}, nil
		}, 0, 0, nil)
	}
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := c.Source(mk, "shared")
			_, _ = s.Token(context.Background())
			c.Source(mk, fmt.Sprint(i%5))
		}(i)
	}
	wg.Wait()
	assert.Equal(t, int32(6), made.Load(), "one source per distinct credential set")
}
