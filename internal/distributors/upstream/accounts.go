package upstream

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/singleflight"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

func hashKey(credentials []string) string {
	h := sha256.New()
	for _, p := range credentials {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Accounts is the one store of per-credential state (a token cache, a
// local catalog): keyed by a hash of the credentials, so one tenant's
// token never serves another and no key holds a credential in the clear;
// at most size accounts, the least recently used dropped.
type Accounts[A any] struct {
	mu    sync.Mutex // makes get-or-create atomic
	cache *lru.Cache[string, A]
}

// NewAccounts returns an empty store of at most size accounts (default 1000).
func NewAccounts[A any](size int) *Accounts[A] {
	if size <= 0 {
		size = 1000
	}
	c, _ := lru.New[string, A](size) // only fails for size <= 0
	return &Accounts[A]{cache: c}
}

// Get returns the state of the credentials, creating it with mk. mk gets
// the account's key, for keying its entries in shared caches such as Memo.
func (s *Accounts[A]) Get(mk func(key string) A, credentials ...string) A {
	key := hashKey(credentials)
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.cache.Get(key); ok {
		return a
	}
	a := mk(key)
	s.cache.Add(key, a)
	return a
}

// Len is the number of accounts kept.
func (s *Accounts[A]) Len() int { return s.cache.Len() }

// Memo keeps slowly changing answers (brand lists, the account's own
// details) for a TTL, for every account of one adapter. Concurrent misses
// of a key share one fetch, which runs detached from the first caller's
// context and bounded by its own timeout, so one cancelled request never
// fails the others waiting for it.
type Memo struct {
	distributor string
	timeout     time.Duration
	cache       *expirable.LRU[string, any]
	sf          singleflight.Group
}

// NewMemo returns an empty memo of at most size entries.
func NewMemo(distributor string, size int, ttl, fetchTimeout time.Duration) *Memo {
	if fetchTimeout <= 0 {
		fetchTimeout = 10 * time.Second
	}
	return &Memo{distributor: distributor, timeout: fetchTimeout, cache: expirable.NewLRU[string, any](size, nil, ttl)}
}

// Put stores a value fetched outside the memo (a fresh read).
func (m *Memo) Put(key string, v any) { m.cache.Add(key, v) }

// Load returns the value under key, fetching it when missing or expired.
func Load[V any](ctx context.Context, m *Memo, key string, fetch func(context.Context) (V, error)) (V, error) {
	var zero V
	if v, ok := m.cache.Get(key); ok {
		return v.(V), nil
	}
	ch := m.sf.DoChan(key, func() (any, error) {
		if v, ok := m.cache.Get(key); ok {
			return v, nil
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), m.timeout)
		defer cancel()
		v, err := fetch(fctx)
		if err != nil {
			return nil, err
		}
		m.cache.Add(key, v)
		return v, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return zero, r.Err
		}
		return r.Val.(V), nil
	case <-ctx.Done():
		return zero, &distributors.Error{Distributor: m.distributor, Call: "cache", Kind: distributors.KindUnavailable, Message: "no answer in time", Err: ctx.Err()}
	}
}
