package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/store"
)

// ratesContract is the behaviour of store.Rates.
func ratesContract(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }

	t.Run("rates are kept per source and never go back a day", func(t *testing.T) {
		s := open(t)
		_, err := s.GetRates(ctx, "reference")
		require.ErrorIs(t, err, store.ErrNotFound)

		first := store.RateRecord{Name: "reference", Source: "http://feed.example/a.xml", Date: day(30),
			Rates: map[string]string{"USD": "1.0823", "NOK": "11.7215"}, FetchedAt: day(30).Add(16 * time.Hour)}
		ok, err := s.PutRates(ctx, first)
		require.NoError(t, err)
		assert.True(t, ok)
		got, err := s.GetRates(ctx, "reference")
		require.NoError(t, err)
		assert.Equal(t, first.Source, got.Source)
		assert.True(t, first.Date.Equal(got.Date), "date %v", got.Date)
		assert.True(t, first.FetchedAt.Equal(got.FetchedAt))
		assert.Equal(t, first.Rates, got.Rates, "decimal text exactly as stored")

		next := first
		next.Date, next.Rates = day(31), map[string]string{"NOK": "11.8000"}
		ok, err = s.PutRates(ctx, next)
		require.NoError(t, err)
		assert.True(t, ok)
		same := next
		same.Source = "http://other.example/b.xml"
		ok, err = s.PutRates(ctx, same)
		require.NoError(t, err)
		assert.True(t, ok, "the same day again replaces (a corrected feed)")

		ok, err = s.PutRates(ctx, first)
		require.NoError(t, err)
		assert.False(t, ok, "an older day does not replace a newer one")
		got, err = s.GetRates(ctx, "reference")
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"NOK": "11.8000"}, got.Rates)
		assert.Equal(t, "http://other.example/b.xml", got.Source)

		_, err = s.GetRates(ctx, "other")
		require.ErrorIs(t, err, store.ErrNotFound, "another source is another row")
	})
}
