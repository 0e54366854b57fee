package catalog

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

// A decoded product comes from the cache when its hash was seen, and what
// a caller changes in it never reaches the next caller.
func TestDecodeCachesByHashAndHandsOutCopies(t *testing.T) {
	c := New(Options{})
	p := distributors.Product{ID: "SKU-1", Name: "Monitor 27", Images: []string{"a.jpg"},
		Specifications: []distributors.Spec{{Name: "Size", Value: "27"}}, Subscription: &distributors.Subscription{Unit: "month"}}
	it, err := item("acct", 1, p)
	require.NoError(t, err)

	first, err := c.decode(it)
	require.NoError(t, err)
	assert.Equal(t, p, first)
	first.Images[0] = "changed.jpg"
	first.Specifications[0].Value = "changed"
	first.Subscription.Unit = "changed"

	it.Data = []byte("not json: the cache answers by hash")
	second, err := c.decode(it)
	require.NoError(t, err)
	assert.Equal(t, p, second, "from the cache, untouched by the first caller")

	it.Hash = "other"
	_, err = c.decode(it)
	assert.ErrorContains(t, err, "catalog item SKU-1", "an unseen hash is decoded")
}
