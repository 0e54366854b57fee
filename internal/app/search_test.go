package app_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// search runs GetSearchResults with restrictions as SuperOffice sends them.
func search(t *testing.T, env *apptest.Env, restrictions ...map[string]any) []so.ProductInfo {
	t.Helper()
	r := env.Post(t, "GetSearchResults", map[string]any{"Restrictions": restrictions})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var ps []so.ProductInfo
	r.JSON(t, &ps)
	return ps
}

func codes(ps []so.ProductInfo) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = strings.ToUpper(p.Code)
	}
	return out
}

// TestAdvancedSearchByFieldKey: SuperOffice names a restriction's field in
// FieldKey (its OpenAPI document, protocol §5.18) and may send the single
// value as ScalarValue; `in` means any of its values.
func TestAdvancedSearchByFieldKey(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	a, b := env.Example.SharedLogicomCheaper, env.Example.VolumeSKU
	require.NotEqual(t, strings.ToUpper(a), strings.ToUpper(b))

	eqA := search(t, env, map[string]any{"FieldKey": "Code", "Operator": "=", "Values": []string{a}})
	require.NotEmpty(t, eqA)
	for _, p := range eqA {
		assert.Equal(t, strings.ToUpper(a), strings.ToUpper(p.Code))
	}
	// A shared part: both sources.
	assert.Len(t, eqA, 2, "%v", keys(eqA))

	// FieldKey restricts: another code never comes back.
	eqB := search(t, env, map[string]any{"FieldKey": "Code", "Operator": "=", "Values": []string{b}})
	require.NotEmpty(t, eqB)
	for _, p := range eqB {
		assert.Equal(t, strings.ToUpper(b), strings.ToUpper(p.Code))
	}

	// in with several values: any of them.
	in := search(t, env, map[string]any{"FieldKey": "Code", "Operator": "in", "Values": []string{a, b}})
	assert.ElementsMatch(t, append(codes(eqA), codes(eqB)...), codes(in))

	// The value as ScalarValue only, operator in another case.
	scalar := search(t, env, map[string]any{"FieldKey": "code", "Operator": "=", "ScalarValue": "NO-SUCH-CODE", "Values": nil},
		map[string]any{"FieldKey": "Code", "Operator": "BEGINS", "ScalarValue": b})
	assert.Empty(t, scalar, "both restrictions apply (AND)")
	scalar = search(t, env, map[string]any{"FieldKey": "Code", "Operator": "begins", "ScalarValue": b})
	assert.Equal(t, codes(eqB), codes(scalar))

	// The earlier spelling Name is still accepted.
	legacy := search(t, env, map[string]any{"Name": "Code", "Operator": "=", "Values": []string{a}})
	assert.Equal(t, codes(eqA), codes(legacy))
}

// TestAdvancedSearchRangesOnText: between, <, >, <= and >= compare text
// fields (case-insensitively) instead of searching for their values as words.
func TestAdvancedSearchRangesOnText(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	brand := search(t, env, map[string]any{"FieldKey": "Supplier", "Operator": "=", "Values": []string{"Dell"}})
	require.NotEmpty(t, brand)
	names := make([]string, len(brand))
	for i, p := range brand {
		names[i] = strings.ToLower(p.Name)
	}
	slices.Sort(names)
	lo, hi, mid := names[0], names[len(names)/2], names[len(names)/2]
	ranged := search(t, env,
		map[string]any{"FieldKey": "Supplier", "Operator": "=", "Values": []string{"Dell"}},
		map[string]any{"FieldKey": "Name", "Operator": "between", "Values": []string{lo, hi}})
	require.NotEmpty(t, ranged)
	for _, p := range ranged {
		n := strings.ToLower(p.Name)
		assert.True(t, n >= strings.ToLower(lo) && n <= strings.ToLower(hi), p.Name)
	}
	for op, ok := range map[string]func(string) bool{
		"<":  func(n string) bool { return n < mid },
		"<=": func(n string) bool { return n <= mid },
		">":  func(n string) bool { return n > mid },
		">=": func(n string) bool { return n >= mid },
	} {
		got := search(t, env,
			map[string]any{"FieldKey": "Supplier", "Operator": "=", "Values": []string{"Dell"}},
			map[string]any{"FieldKey": "Name", "Operator": op, "Values": []string{strings.ToUpper(mid)}})
		assert.NotEmpty(t, got, op)
		for _, p := range got {
			assert.True(t, ok(strings.ToLower(p.Name)), "%s %s", op, p.Name)
		}
	}
	// Numbers arrive culture-encoded.
	cheap := search(t, env,
		map[string]any{"FieldKey": "Supplier", "Operator": "=", "Values": []string{"Dell"}},
		map[string]any{"FieldKey": "UnitCost", "Operator": "between", "Values": []string{"[F:0]", "[F:200.5]"}})
	require.NotEmpty(t, cheap)
	for _, p := range cheap {
		assert.LessOrEqual(t, p.UnitCost, 200.5)
	}
}
