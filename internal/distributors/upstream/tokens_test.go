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
	"golang.org/x/oauth2"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
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
	return func(ctx context.Context) (*oauth2.Token, error) {
		i := n.Add(1)
		return tok(fmt.Sprintf("t%d", i), clk.now().Add(life)), nil
	}
}

func tok(v string, exp time.Time) *oauth2.Token { return &oauth2.Token{AccessToken: v, Expiry: exp} }

// newTokens is NewTokens with the options these tests vary.
func newTokens(fetch FetchFunc, margin, fetchTimeout time.Duration, now func() time.Time) *Tokens {
	return NewTokens(TokenOptions{Distributor: "nuvias", Call: "token", Fetch: fetch, Margin: margin, FetchTimeout: fetchTimeout, Now: now})
}

func TestTokenConcurrentCallersShareOneFetch(t *testing.T) {
	var n atomic.Int32
	release := make(chan struct{})
	src := newTokens(func(ctx context.Context) (*oauth2.Token, error) {
		n.Add(1)
		<-release
		return tok("shared", time.Now().Add(time.Minute)), nil
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
	src := newTokens(counting(clk, time.Minute, &n), 5*time.Second, time.Second, clk.now)
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
	src := newTokens(counting(clk, time.Hour, &n), 5*time.Second, time.Second, clk.now)
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
	src := newTokens(func(ctx context.Context) (*oauth2.Token, error) {
		if n.Add(1) == 1 {
			return nil, boom
		}
		return tok("ok", time.Now().Add(time.Hour)), nil
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
	src := newTokens(func(ctx context.Context) (*oauth2.Token, error) {
		n.Add(1)
		_, dl := ctx.Deadline()
		hasDeadline.Store(dl)
		close(started)
		<-release
		if err := ctx.Err(); err != nil {
			fetchCtxErr.Store(err)
			return nil, err
		}
		return tok("fresh", time.Now().Add(time.Hour)), nil
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
		var de *distributors.Error
		require.ErrorAs(t, err, &de, "token errors are distributor errors")
		assert.Equal(t, "nuvias token: no token", err.Error())
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
	src := newTokens(func(ctx context.Context) (*oauth2.Token, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}, time.Second, 50*time.Millisecond, nil)
	start := time.Now()
	_, err := src.Token(context.Background())
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestTokenCallerContextValuesReachFetch(t *testing.T) {
	type key struct{}
	var got any
	src := newTokens(func(ctx context.Context) (*oauth2.Token, error) {
		got = ctx.Value(key{})
		return tok("v", time.Now().Add(time.Hour)), nil
	}, time.Second, time.Second, nil)
	_, err := src.Token(context.WithValue(context.Background(), key{}, "logger"))
	require.NoError(t, err)
	assert.Equal(t, "logger", got)
}

func TestAccountsSeparateCredentials(t *testing.T) {
	s := NewAccounts[*int](10)
	made := 0
	mk := func(key string) *int {
		made++
		assert.Len(t, key, 64, "keys are hashes")
		assert.NotContains(t, key, "secret")
		v := made
		return &v
	}
	a1 := s.Get(mk, "tenant-a", "secret")
	a2 := s.Get(mk, "tenant-a", "secret")
	assert.Same(t, a1, a2, "same credentials share one account")
	seen := map[*int]bool{a1: true}
	for _, creds := range [][]string{{"tenant-b", "secret"}, {"tenant-a", "other"}, {"tenant-asecret"}, {"tenant-a", "secret", ""}, {"tenant-", "asecret"}, {}} {
		a := s.Get(mk, creds...)
		assert.False(t, seen[a], "credentials %q get their own account", creds)
		seen[a] = true
	}
	assert.Equal(t, 7, made)
}

func TestAccountsEvictLeastRecentlyUsed(t *testing.T) {
	s := NewAccounts[string](2)
	made := map[string]int{}
	mk := func(name string) func(string) string {
		return func(string) string { made[name]++; return name }
	}
	s.Get(mk("a"), "a")
	s.Get(mk("b"), "b")
	s.Get(mk("a"), "a") // touch a
	s.Get(mk("c"), "c") // evicts b
	assert.Equal(t, 2, s.Len())
	s.Get(mk("a"), "a")
	s.Get(mk("b"), "b") // rebuilt
	assert.Equal(t, map[string]int{"a": 1, "b": 2, "c": 1}, made)
}

// TestMemoCancelledCallerDoesNotFailSharedFetch pins the detached fetch:
// the first caller's cancellation neither aborts the fetch nor fails the
// callers waiting on it, and the fetch is still bounded by its own timeout.
func TestMemoCancelledCallerDoesNotFailSharedFetch(t *testing.T) {
	m := NewMemo("logicom", 10, time.Hour, 10*time.Second)
	started, release := make(chan struct{}), make(chan struct{})
	var n atomic.Int32
	var sawCancel, hadDeadline atomic.Bool
	fetch := func(ctx context.Context) (string, error) {
		n.Add(1)
		_, dl := ctx.Deadline()
		hadDeadline.Store(dl)
		close(started)
		<-release
		sawCancel.Store(ctx.Err() != nil)
		return "brands", nil
	}
	ctxA, cancelA := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	go func() { _, err := Load(ctxA, m, "acct|brands", fetch); errA <- err }()
	<-started
	resB := make(chan string, 1)
	go func() { v, _ := Load(context.Background(), m, "acct|brands", fetch); resB <- v }()
	time.Sleep(20 * time.Millisecond) // B joins the flight
	cancelA()
	err := <-errA
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
	close(release)
	assert.Equal(t, "brands", <-resB)
	assert.False(t, sawCancel.Load(), "the fetch did not see A's cancellation")
	assert.True(t, hadDeadline.Load(), "the detached fetch is bounded")
	v, err := Load(context.Background(), m, "acct|brands", fetch)
	require.NoError(t, err)
	assert.Equal(t, "brands", v)
	assert.Equal(t, int32(1), n.Load(), "cached for everyone")

	// Errors are not cached.
	boom := errors.New("down")
	_, err = Load(context.Background(), m, "other", func(context.Context) (int, error) { return 0, boom })
	assert.ErrorIs(t, err, boom)
	got, err := Load(context.Background(), m, "other", func(context.Context) (int, error) { return 7, nil })
	require.NoError(t, err)
	assert.Equal(t, 7, got)
}

// tokenRecorder is an Observer that also hears of tokens.
type tokenRecorder struct {
	recorder
	mu     sync.Mutex
	tokens []string // "distributor account expiry"
}

func (r *tokenRecorder) ObserveToken(distributor, account string, expiry time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens = append(r.tokens, distributor+" "+account+" "+expiry.Format(time.RFC3339))
}

// Each fetched token is told to the client's Observer with its account and
// expiry, never its value; a reused token is not a refresh.
func TestTokensTellTheObserver(t *testing.T) {
	clk := newClock()
	var n atomic.Int32
	obs := &tokenRecorder{}
	c := New(Options{Distributor: "nuvias", Observer: obs})
	src := c.NewTokens(TokenOptions{Distributor: "nuvias", Call: "token", Account: "acct1", Fetch: counting(clk, time.Minute, &n), Margin: 5 * time.Second, Now: clk.now})
	for range 3 {
		_, err := src.Token(context.Background())
		require.NoError(t, err)
	}
	clk.add(time.Minute)
	_, err := src.Token(context.Background())
	require.NoError(t, err)
	exp1 := time.Date(2024, 6, 1, 12, 1, 0, 0, time.UTC).Format(time.RFC3339)
	exp2 := time.Date(2024, 6, 1, 12, 2, 0, 0, time.UTC).Format(time.RFC3339)
	assert.Equal(t, []string{"nuvias acct1 " + exp1, "nuvias acct1 " + exp2}, obs.tokens)

	// An Observer that is no TokenObserver is fine.
	plain := New(Options{Distributor: "nuvias", Observer: &recorder{}})
	_, err = plain.NewTokens(TokenOptions{Distributor: "nuvias", Fetch: counting(clk, time.Minute, &n), Now: clk.now}).Token(context.Background())
	require.NoError(t, err)
}
