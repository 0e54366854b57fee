package upstream

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Token is an access token and when it stops working.
type Token struct {
	Value   string
	Expires time.Time
}

// FetchFunc obtains a new token from the distributor.
type FetchFunc func(ctx context.Context) (Token, error)

// TokenSource caches one credential's token: it is reused while it has more
// than Margin left, concurrent callers share one refresh, and Invalidate
// drops a token the distributor refused (so a 401 leads to one refresh).
type TokenSource struct {
	fetch  FetchFunc
	margin time.Duration
	now    func() time.Time
	// fetchTimeout bounds a shared refresh, which runs detached from any one
	// caller's context so that caller's cancellation does not fail the others.
	fetchTimeout time.Duration

	mu  sync.Mutex
	cur Token
	sf  singleflight.Group
}

// NewTokenSource returns a cache around fetch.
func NewTokenSource(fetch FetchFunc, margin, fetchTimeout time.Duration, now func() time.Time) *TokenSource {
	if now == nil {
		now = time.Now
	}
	if fetchTimeout <= 0 {
		fetchTimeout = 10 * time.Second
	}
	return &TokenSource{fetch: fetch, margin: margin, now: now, fetchTimeout: fetchTimeout}
}

// Token returns a valid token, fetching one when needed.
func (s *TokenSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	cur := s.cur
	s.mu.Unlock()
	if cur.Value != "" && s.now().Add(s.margin).Before(cur.Expires) {
		return cur.Value, nil
	}
	ch := s.sf.DoChan("token", func() (any, error) {
		s.mu.Lock()
		cur := s.cur
		s.mu.Unlock()
		if cur.Value != "" && s.now().Add(s.margin).Before(cur.Expires) {
			return cur.Value, nil
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.fetchTimeout)
		defer cancel()
		t, err := s.fetch(fctx)
		if err != nil {
			return "", err
		}
		s.mu.Lock()
		s.cur = t
		s.mu.Unlock()
		return t.Value, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return "", r.Err
		}
		return r.Val.(string), nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Invalidate drops the cached token if it is still bad (another caller may
// already have replaced it).
func (s *TokenSource) Invalidate(bad string) {
	s.mu.Lock()
	if s.cur.Value == bad {
		s.cur = Token{}
	}
	s.mu.Unlock()
}

// TokenCache holds one TokenSource per credential set, so one tenant's token
// never serves another. It keeps at most max entries, dropping the least
// recently used.
type TokenCache struct {
	mu      sync.Mutex
	max     int
	entries map[string]*cacheEntry
}

type cacheEntry struct {
	src  *TokenSource
	used time.Time
}

// NewTokenCache returns an empty cache of at most max credential sets.
func NewTokenCache(max int) *TokenCache {
	if max <= 0 {
		max = 1000
	}
	return &TokenCache{max: max, entries: map[string]*cacheEntry{}}
}

// Source returns the TokenSource for the credentials, creating it with mk.
// The credentials are hashed; the cache never holds them in the clear as
// keys.
func (c *TokenCache) Source(mk func() *TokenSource, credentials ...string) *TokenSource {
	h := sha256.New()
	for _, p := range credentials {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	key := hex.EncodeToString(h.Sum(nil))
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		e.used = time.Now()
		return e.src
	}
	if len(c.entries) >= c.max {
		var oldKey string
		var old time.Time
		for k, e := range c.entries {
			if oldKey == "" || e.used.Before(old) {
				oldKey, old = k, e.used
			}
		}
		delete(c.entries, oldKey)
	}
	e := &cacheEntry{src: mk(), used: time.Now()}
	c.entries[key] = e
	return e.src
}
