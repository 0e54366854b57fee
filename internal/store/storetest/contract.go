package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/store"
)

// Contract runs the behaviour every store.Store implementation promises.
// open returns a new, empty store for each subtest.
func Contract(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("Ping and Describe", func(t *testing.T) {
		s := open(t)
		require.NoError(t, s.Ping(ctx))
		assert.NotEmpty(t, s.Describe())
	})

	t.Run("connections are replaced and kept per tenant", func(t *testing.T) {
		s := open(t)
		_, err := s.GetConnection(ctx, "acme", 7)
		require.ErrorIs(t, err, store.ErrNotFound)

		first := store.ConnectionRecord{Tenant: "acme", ConnectionID: 7, Values: map[string]string{"logicom.enabled": "1"}, Fingerprint: "f1"}
		require.NoError(t, s.PutConnection(ctx, first))
		second := store.ConnectionRecord{Tenant: "acme", ConnectionID: 7, Values: map[string]string{"nuvias.enabled": "1", "nuvias.clientSecret": "sealed"}, Fingerprint: "f2"}
		require.NoError(t, s.PutConnection(ctx, second))
		got, err := s.GetConnection(ctx, "acme", 7)
		require.NoError(t, err)
		assert.Equal(t, second.Values, got.Values, "a put replaces the whole set")
		assert.Equal(t, "f2", got.Fingerprint)
		assert.WithinDuration(t, time.Now(), got.UpdatedAt, time.Minute)

		require.NoError(t, s.PutConnection(ctx, store.ConnectionRecord{Tenant: "acme", ConnectionID: 0, Values: map[string]string{}, Fingerprint: "f0"}))
		require.NoError(t, s.PutConnection(ctx, store.ConnectionRecord{Tenant: "other", ConnectionID: 7, Values: map[string]string{"x": "y"}, Fingerprint: "o"}))

		_, err = s.GetConnection(ctx, "acme", 8)
		require.ErrorIs(t, err, store.ErrNotFound)
		got, err = s.GetConnection(ctx, "other", 7)
		require.NoError(t, err)
		assert.Equal(t, "o", got.Fingerprint, "the same id of another tenant is another row")

		mine, err := s.ListConnections(ctx, "acme")
		require.NoError(t, err)
		require.Len(t, mine, 2)
		assert.Equal(t, 0, mine[0].ConnectionID)
		assert.Equal(t, 7, mine[1].ConnectionID)
		all, err := s.ListConnections(ctx, "")
		require.NoError(t, err)
		assert.Len(t, all, 3)
	})

	key := store.OrderKey{Tenant: "acme", ConnectionID: 7, QuoteID: 42, VersionID: 43, AlternativeID: 44, Distributor: "logicom"}
	rec := store.OrderRecord{Key: key, Content: `[{"k":"logicom:A","q":2}]`, ContentHash: "h1", Reference: "Q-1042", Owner: "replica-a"}

	t.Run("exactly one concurrent claim wins", func(t *testing.T) {
		s := open(t)
		var wins int
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, won, err := s.ClaimOrder(ctx, rec)
				assert.NoError(t, err)
				assert.Equal(t, store.OrderPlacing, got.State)
				assert.Equal(t, 1, got.Attempt)
				if won {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		assert.Equal(t, 1, wins)
	})

	t.Run("an attempt's outcome is recorded once", func(t *testing.T) {
		s := open(t)
		_, won, err := s.ClaimOrder(ctx, rec)
		require.NoError(t, err)
		require.True(t, won)

		ok, err := s.FinishOrder(ctx, key, store.OrderPlacing, 2, store.OrderPlaced, "O1", "")
		require.NoError(t, err)
		assert.False(t, ok, "wrong attempt")
		ok, err = s.FinishOrder(ctx, key, store.OrderPlacing, 1, store.OrderPlaced, "O1", "")
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = s.FinishOrder(ctx, key, store.OrderPlacing, 1, store.OrderFailed, "", "late")
		require.NoError(t, err)
		assert.False(t, ok, "the row is no longer placing")

		got, won, err := s.ClaimOrder(ctx, rec)
		require.NoError(t, err)
		assert.False(t, won)
		assert.Equal(t, store.OrderPlaced, got.State)
		assert.Equal(t, "O1", got.OrderID)
		assert.Equal(t, rec.Content, got.Content)
		assert.Equal(t, "Q-1042", got.Reference)
		assert.Equal(t, "replica-a", got.Owner)
		assert.Equal(t, key, got.Key)
	})

	t.Run("a failed or uncertain order is claimed again with new content", func(t *testing.T) {
		s := open(t)
		_, _, err := s.ClaimOrder(ctx, rec)
		require.NoError(t, err)
		_, err = s.FinishOrder(ctx, key, store.OrderPlacing, 1, store.OrderFailed, "", "out of stock")
		require.NoError(t, err)

		next := rec
		next.Content, next.ContentHash, next.Owner = `[{"k":"logicom:A","q":1}]`, "h2", "replica-b"
		ok, err := s.ReclaimOrder(ctx, key, store.OrderUncertain, 1, next)
		require.NoError(t, err)
		assert.False(t, ok, "the row is failed, not uncertain")
		ok, err = s.ReclaimOrder(ctx, key, store.OrderFailed, 1, next)
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = s.ReclaimOrder(ctx, key, store.OrderFailed, 1, next)
		require.NoError(t, err)
		assert.False(t, ok, "a second reclaim of the same attempt loses")

		got, err := s.GetOrder(ctx, key)
		require.NoError(t, err)
		assert.Equal(t, store.OrderPlacing, got.State)
		assert.Equal(t, 2, got.Attempt)
		assert.Equal(t, "h2", got.ContentHash)
		assert.Equal(t, "replica-b", got.Owner)
		assert.Empty(t, got.Message, "the old reason is cleared")

		ok, err = s.FinishOrder(ctx, key, store.OrderPlacing, 2, store.OrderUncertain, "", "timeout")
		require.NoError(t, err)
		require.True(t, ok)
		ok, err = s.FinishOrder(ctx, key, store.OrderUncertain, 2, store.OrderPlaced, "O9", "found at the distributor")
		require.NoError(t, err)
		require.True(t, ok)
		got, err = s.GetOrder(ctx, key)
		require.NoError(t, err)
		assert.Equal(t, "O9", got.OrderID)
		assert.Equal(t, "found at the distributor", got.Message)
	})

	t.Run("keys differ by every part", func(t *testing.T) {
		s := open(t)
		variants := []store.OrderKey{key, key, key, key, key, key, key}
		variants[1].Tenant = "other"
		variants[2].ConnectionID = 8
		variants[3].QuoteID = 1
		variants[4].VersionID = 1
		variants[5].AlternativeID = 1
		variants[6].Distributor = "nuvias"
		for i, k := range variants {
			r := rec
			r.Key = k
			_, won, err := s.ClaimOrder(ctx, r)
			require.NoError(t, err)
			assert.True(t, won, "variant %d", i)
		}
		_, err := s.GetOrder(ctx, store.OrderKey{Tenant: "nobody"})
		require.ErrorIs(t, err, store.ErrNotFound)

		list, err := s.ListOrders(ctx, store.OrderFilter{Tenant: "acme"})
		require.NoError(t, err)
		assert.Len(t, list, 6)
		_, err = s.FinishOrder(ctx, variants[6], store.OrderPlacing, 1, store.OrderUncertain, "", "")
		require.NoError(t, err)
		list, err = s.ListOrders(ctx, store.OrderFilter{State: store.OrderUncertain})
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, "nuvias", list[0].Key.Distributor)
		list, err = s.ListOrders(ctx, store.OrderFilter{Limit: 2})
		require.NoError(t, err)
		assert.Len(t, list, 2)
		assert.Equal(t, "nuvias", list[0].Key.Distributor, "newest change first")
	})

	t.Run("retention deletes rows last changed before the cut-off", func(t *testing.T) {
		s := open(t)
		_, _, err := s.ClaimOrder(ctx, rec)
		require.NoError(t, err)
		n, err := s.DeleteOrdersBefore(ctx, time.Now().Add(-time.Hour))
		require.NoError(t, err)
		assert.Zero(t, n)
		n, err = s.DeleteOrdersBefore(ctx, time.Now().Add(time.Hour))
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)
		_, err = s.GetOrder(ctx, key)
		assert.True(t, errors.Is(err, store.ErrNotFound))
	})

	ratesContract(t, open)
	t.Run("an operator's review is recorded for the attempt it names", func(t *testing.T) {
		s := open(t)
		_, _, err := s.ClaimOrder(ctx, rec)
		require.NoError(t, err)
		_, err = s.FinishOrder(ctx, key, store.OrderPlacing, 1, store.OrderUncertain, "", "timeout")
		require.NoError(t, err)

		ok, err := s.ReviewOrder(ctx, key, store.OrderUncertain, 2, store.OrderReview{To: store.OrderUncertain, By: "ops", Checked: true})
		require.NoError(t, err)
		assert.False(t, ok, "wrong attempt")
		ok, err = s.ReviewOrder(ctx, key, store.OrderUncertain, 1, store.OrderReview{To: store.OrderUncertain, Message: "not found", By: "ops", Checked: true})
		require.NoError(t, err)
		require.True(t, ok)
		got, err := s.GetOrder(ctx, key)
		require.NoError(t, err)
		assert.Equal(t, store.OrderUncertain, got.State)
		assert.Equal(t, "ops", got.ResolvedBy)
		assert.Equal(t, "not found", got.Message)
		assert.WithinDuration(t, time.Now(), got.CheckedAt, time.Minute)
		checked := got.CheckedAt

		ok, err = s.ReviewOrder(ctx, key, store.OrderUncertain, 1, store.OrderReview{To: store.OrderFailed, Message: "marked", By: "boss"})
		require.NoError(t, err)
		require.True(t, ok)
		got, err = s.GetOrder(ctx, key)
		require.NoError(t, err)
		assert.Equal(t, store.OrderFailed, got.State)
		assert.Equal(t, "boss", got.ResolvedBy)
		assert.Equal(t, checked, got.CheckedAt, "a step that is not a check keeps the check's time")
		list, err := s.ListOrders(ctx, store.OrderFilter{})
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, "boss", list[0].ResolvedBy)

		ok, err = s.ReclaimOrder(ctx, key, store.OrderFailed, 1, rec)
		require.NoError(t, err)
		require.True(t, ok)
		got, err = s.GetOrder(ctx, key)
		require.NoError(t, err)
		assert.True(t, got.CheckedAt.IsZero(), "a new attempt starts unchecked")
		assert.Empty(t, got.ResolvedBy)
	})

	t.Run("heartbeats replace the instance's last one and age out", func(t *testing.T) {
		s := open(t)
		started := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
		require.NoError(t, s.Heartbeat(ctx, store.ReplicaRecord{Instance: "a", Version: "v1", Commit: "c1", StartedAt: started}))
		require.NoError(t, s.Heartbeat(ctx, store.ReplicaRecord{Instance: "a", Version: "v2", Commit: "c2", StartedAt: started}))
		require.NoError(t, s.Heartbeat(ctx, store.ReplicaRecord{Instance: "b", Version: "v2", Commit: "c2", StartedAt: started.Add(time.Minute)}))
		list, err := s.ListReplicas(ctx, time.Now().Add(-time.Minute))
		require.NoError(t, err)
		require.Len(t, list, 2)
		assert.Equal(t, "b", list[0].Instance, "most recently started first")
		assert.Equal(t, "a", list[1].Instance)
		assert.Equal(t, "v2", list[1].Version)
		assert.Equal(t, "c2", list[1].Commit)
		assert.True(t, started.Equal(list[1].StartedAt))
		assert.WithinDuration(t, time.Now(), list[1].SeenAt, time.Minute)

		list, err = s.ListReplicas(ctx, time.Now().Add(time.Minute))
		require.NoError(t, err)
		assert.Empty(t, list, "nobody seen in the future")
		n, err := s.DeleteReplicasBefore(ctx, time.Now().Add(time.Minute))
		require.NoError(t, err)
		assert.EqualValues(t, 2, n)
	})
}
