package logicom

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/logicomsim"
)

func TestSimFindOrderByReference(t *testing.T) {
	e := setupSim(t)
	ctx := context.Background()
	since := time.Now().Add(-24 * time.Hour)
	o := distributors.Order{Reference: "Q-7001", Lines: []distributors.OrderLine{{ProductID: e.ex.InStockSKU, Quantity: 2}}}

	_, found, err := e.c.FindOrder(ctx, o, since)
	require.NoError(t, err)
	assert.False(t, found, "nothing placed yet")

	rec, err := e.c.PlaceOrder(ctx, o)
	require.NoError(t, err)
	// Another order with the same reference but other lines is not it.
	other := o
	other.Lines = []distributors.OrderLine{{ProductID: e.ex.InStockSKU, Quantity: 1}}
	_, err = e.c.PlaceOrder(ctx, other)
	require.NoError(t, err)

	e.sim.ResetCounts()
	got, found, err := e.c.FindOrder(ctx, o, since)
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, rec.OrderID, got.OrderID)
	assert.Equal(t, 1, e.sim.CallCount(logicomsim.CallGetDocuments), "one page of order documents")

	o.Reference = "Q-7002"
	_, found, err = e.c.FindOrder(ctx, o, since)
	require.NoError(t, err)
	assert.False(t, found, "another reference")
	assert.True(t, e.c.Capabilities().FindOrder)
	assert.Len(t, e.c.Account(), 12)
}
