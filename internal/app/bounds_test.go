package app_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// TestGetProductsIsBounded: GetProducts takes at most 500 distinct keys; above
// that it answers 400 before asking any distributor (20,000 keys used to
// make 18,004 upstream calls and end in a 502). Repeated keys are asked once
// and answered once.
func TestGetProductsIsBounded(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	many := make([]string, 20000)
	for i := range many {
		many[i] = fmt.Sprintf("logicom:NO-SUCH-%05d", i)
	}
	before := upstreamCalls(env)
	r := env.Post(t, "GetProducts", map[string]any{"ErpProductKeys": many})
	require.Equal(t, http.StatusBadRequest, r.Status, "%.300s", r.Body)
	var e map[string]string
	r.JSON(t, &e)
	assert.Equal(t, "ErpProductKeys: 20000 distinct keys; at most 500 per call", e["Error"])
	assert.Equal(t, before, upstreamCalls(env), "nothing asked upstream")

	// 20,000 copies of three keys: three products, each once.
	ex := env.Example
	three := []string{"logicom:" + ex.InStockSKU, "nuvias:" + strconv.Itoa(ex.NuviasIDOf[ex.SharedNuviasCheaper]), "logicom:" + ex.VolumeSKU}
	for i := range many {
		k := three[i%3]
		if i%2 == 1 {
			k = " " + strings.ToUpper(k) + " "
		}
		many[i] = k
	}
	env.Main.Engine.DropCachedProducts()
	before = upstreamCalls(env)
	r = env.Post(t, "GetProducts", map[string]any{"ErpProductKeys": many})
	require.Equal(t, http.StatusOK, r.Status, "%.300s", r.Body)
	var ps []so.ProductInfo
	r.JSON(t, &ps)
	assert.Equal(t, three, keys(ps))
	calls := upstreamCalls(env) - before
	t.Logf("20,000 keys, 3 distinct: %d upstream calls", calls)
	assert.LessOrEqual(t, calls, 15)

	// The most a call may ask: 500 distinct keys, 250 known per distributor.
	var keysAsked []string
	for _, it := range env.Sandbox.Catalog.Logicom.Items {
		if len(keysAsked) == 250 {
			break
		}
		keysAsked = append(keysAsked, "logicom:"+it.SKU)
	}
	for _, p := range env.Sandbox.Catalog.Nuvias.Products {
		if len(keysAsked) == 500 {
			break
		}
		keysAsked = append(keysAsked, "nuvias:"+strconv.Itoa(p.ID))
	}
	require.Len(t, keysAsked, 500)
	env.Main.Engine.DropCachedProducts()
	before = upstreamCalls(env)
	r = env.Post(t, "GetProducts", map[string]any{"ErpProductKeys": keysAsked})
	require.Equal(t, http.StatusOK, r.Status, "%.300s", r.Body)
	r.JSON(t, &ps)
	assert.NotEmpty(t, ps)
	calls = upstreamCalls(env) - before
	t.Logf("500 distinct keys: %d products, %d upstream calls", len(ps), calls)
	assert.LessOrEqual(t, calls, 520, "about one call per product without a batch read, prices and stock batched")

	r = env.Post(t, "GetProducts", map[string]any{"ErpProductKeys": append(keysAsked, "logicom:ONE-MORE")})
	assert.Equal(t, http.StatusBadRequest, r.Status)
}

// TestMaxResultsIsClamped: search.maxResults above 500 is used as 500 and the
// clamp is logged; it used to return every product (7.8 MB for 2147483647).
func TestMaxResultsIsClamped(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	r := env.Post(t, "FindProduct", map[string]any{"UserInput": "%", "ConfigValues": map[string]string{"search.maxResults": "2147483647"}})
	require.Equal(t, http.StatusOK, r.Status, "%.300s", r.Body)
	var ps []so.ProductInfo
	r.JSON(t, &ps)
	assert.Len(t, ps, 500)
	assert.Contains(t, env.Logs.String(), `setting search.maxResults: \"2147483647\" is not between 1 and 500 (using 500)`)

	r = env.Post(t, "GetSearchResults", map[string]any{"Restrictions": []any{}, "ConfigValues": map[string]string{"search.maxResults": "[I:100000]"}})
	require.Equal(t, http.StatusOK, r.Status, "%.300s", r.Body)
	r.JSON(t, &ps)
	assert.Len(t, ps, 500)
}

// TestSearchRestrictionsAreBounded: at most 500 values across the
// restrictions of one advanced search.
func TestSearchRestrictionsAreBounded(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	vals := make([]string, 501)
	for i := range vals {
		vals[i] = fmt.Sprintf("SKU-%d", i)
	}
	before := upstreamCalls(env)
	r := env.Post(t, "GetSearchResults", map[string]any{"Restrictions": []any{map[string]any{"FieldKey": "Code", "Operator": "in", "Values": vals}}})
	require.Equal(t, http.StatusBadRequest, r.Status, "%.300s", r.Body)
	var e map[string]string
	r.JSON(t, &e)
	assert.Equal(t, "Restrictions: 501 values; at most 500 per call", e["Error"])
	assert.Equal(t, before, upstreamCalls(env))

	// 500 values: answered (an in with many values filters a broad search).
	r = env.Post(t, "GetSearchResults", map[string]any{"Restrictions": []any{map[string]any{"FieldKey": "Code", "Operator": "in", "Values": vals[:500]}}})
	assert.Equal(t, http.StatusOK, r.Status, "%.300s", r.Body)
}
