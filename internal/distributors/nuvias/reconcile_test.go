package nuvias

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/nuviassim"
)

func TestSimFindOrderByReference(t *testing.T) {
	e := setupSim(t)
	ctx := context.Background()
	since := time.Now().Add(-24 * time.Hour)
	p := e.pick(2)
	o := distributors.Order{Reference: "Q-7001", Lines: []distributors.OrderLine{
		{ProductID: strconv.Itoa(p[0].ID), Quantity: 2}, {ProductID: strconv.Itoa(p[1].ID), Quantity: 1}}}

	_, found, err := e.c.FindOrder(ctx, o, since)
	require.NoError(t, err)
	assert.False(t, found)

	rec, err := e.c.PlaceOrder(ctx, o)
	require.NoError(t, err)
	other := o
	other.Lines = o.Lines[:1]
	_, err = e.c.PlaceOrder(ctx, other)
	require.NoError(t, err)

	e.sim.ResetCounts()
	got, found, err := e.c.FindOrder(ctx, o, since)
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, rec.OrderID, got.OrderID)
	assert.Equal(t, 1, e.sim.CallCount(nuviassim.CallOrders))

	o.PONumber = "PO-other"
	_, found, err = e.c.FindOrder(ctx, o, since)
	require.NoError(t, err)
	assert.False(t, found, "looked up by the purchase order number that was sent")
	assert.Len(t, e.c.Account(), 12)
}
