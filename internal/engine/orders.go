package engine

import (
	"context"
	"sync"
	"time"
)

// PlacedOrder is an order the service placed for one alternative.
type PlacedOrder struct {
	Distributor string
	OrderID     string
	// Uncertain means the POST may or may not have created the order (it
	// timed out after sending); the service will not send it again.
	Uncertain bool
	At        time.Time
}

// OrderStore remembers the orders placed per tenant and alternative, so a
// retried PlaceOrder never places the same distributor's order twice. The
// in-memory store is per process; a durable implementation can replace it.
type OrderStore interface {
	Placed(ctx context.Context, key string) ([]PlacedOrder, error)
	Record(ctx context.Context, key string, o PlacedOrder) error
}

// MemoryOrderStore is an OrderStore in process memory.
type MemoryOrderStore struct {
	mu     sync.Mutex
	orders map[string][]PlacedOrder
}

// NewMemoryOrderStore returns an empty store.
func NewMemoryOrderStore() *MemoryOrderStore {
	return &MemoryOrderStore{orders: map[string][]PlacedOrder{}}
}

func (s *MemoryOrderStore) Placed(_ context.Context, key string) ([]PlacedOrder, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]PlacedOrder(nil), s.orders[key]...), nil
}

func (s *MemoryOrderStore) Record(_ context.Context, key string, o PlacedOrder) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[key] = append(s.orders[key], o)
	return nil
}
