package storetest

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/store"
)

// item is a catalog item with hand-normalised text, as internal/catalog
// would make it.
func item(account, sku, part, name, brand, category, categoryKey, body string, gen int64) store.CatalogItem {
	key := func(s string) string {
		return strings.Map(func(r rune) rune {
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				return r
			}
			return -1
		}, strings.ToLower(s))
	}
	codes := strings.Join(strings.FieldsFunc(strings.ToLower(sku+" "+part), func(r rune) bool { return r == '-' || r == ' ' }), " ") + " " + key(sku)
	return store.CatalogItem{
		Account: account, SKU: sku, SKUKey: key(sku), PartKey: key(part), Name: name, Brand: brand,
		CategoryKey: categoryKey, Data: []byte(`{"sku":"` + sku + `"}`), Hash: sku + name, Generation: gen,
		Text: store.CatalogText{Codes: codes, Name: strings.ToLower(name), Brand: strings.ToLower(brand), Category: strings.ToLower(category), Body: body},
	}
}

func skus(hits []store.CatalogHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Item.SKU
	}
	return out
}

func catalogContract(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	const acct, other = "a1b2c3d4e5f6", "0f0e0d0c0b0a"
	seed := func(t *testing.T, s store.Store) {
		require.NoError(t, s.PutCatalogItems(ctx, []store.CatalogItem{
			item(acct, "210-KBXR", "E2447H", "dell 27in 27 monitor e2447h", "dell", "displays monitors", "100-30-1", "display diagonal 27in black", 1),
			item(acct, "210-AZKS", "SE2722H", "dell 24in 24 monitor se2422h", "dell", "displays monitors", "100-30-1", "black", 1),
			item(acct, "920-010", "920-010", "logitech wireless keyboard mx keys nordic", "logitech", "input devices keyboards", "500-10-1", "layout nordic", 1),
			item(acct, "910-777", "910-777", "logitech wireless mouse m185", "logitech", "input devices mice", "500-10-2", "27 buttons", 1),
			item(acct, "KB-DELL", "KB216", "keyboard kb216 wired", "dell", "input devices keyboards", "500-10-1", "", 1),
		}))
		require.NoError(t, s.PutCatalogItems(ctx, []store.CatalogItem{
			item(other, "210-KBXR", "E2447H", "dell 27in 27 monitor e2447h", "dell", "displays monitors", "100-30-1", "", 1),
		}))
	}
	search := func(t *testing.T, s store.Store, q store.CatalogQuery) []store.CatalogHit {
		t.Helper()
		q.Account = acct
		hits, err := s.SearchCatalog(ctx, q)
		require.NoError(t, err)
		return hits
	}

	t.Run("catalog items are stored, read back and counted per account", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		n, err := s.CountCatalogItems(ctx, acct)
		require.NoError(t, err)
		assert.Equal(t, 5, n)
		got, err := s.GetCatalogItems(ctx, acct, []string{"210-kbxr", "nope", "920-010"})
		require.NoError(t, err)
		require.Len(t, got, 2)
		for _, it := range got {
			assert.Equal(t, acct, it.Account)
			assert.Equal(t, `{"sku":"`+it.SKU+`"}`, string(it.Data))
			assert.EqualValues(t, 1, it.Generation)
		}
	})

	t.Run("every word matches, the last as a prefix, in one account only", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		assert.ElementsMatch(t, []string{"210-KBXR", "210-AZKS"}, skus(search(t, s, store.CatalogQuery{Words: []string{"dell", "monitor"}})))
		assert.Equal(t, []string{"920-010"}, skus(search(t, s, store.CatalogQuery{Words: []string{"wireless", "keyboard", "nor"}, Prefix: true})))
		assert.Empty(t, search(t, s, store.CatalogQuery{Words: []string{"wireless", "keyboard", "nor"}}), "no prefix: nor is not a word")
		require.NoError(t, s.OptimizeCatalog(ctx))
		assert.Equal(t, []string{"920-010"}, skus(search(t, s, store.CatalogQuery{Words: []string{"wireless", "keyboard", "nor"}, Prefix: true})), "the same after optimising")
		assert.Equal(t, []string{"210-KBXR"}, skus(search(t, s, store.CatalogQuery{Words: []string{"e2447"}, Prefix: true})))
		assert.Equal(t, []string{"210-KBXR"}, skus(search(t, s, store.CatalogQuery{Words: []string{"27in", "monitor"}})))
	})

	t.Run("ranking: exact code, then name, then brand or category, then the rest", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		hits := search(t, s, store.CatalogQuery{Words: []string{"210", "kbxr"}, Exact: "210kbxr"})
		require.NotEmpty(t, hits)
		assert.Equal(t, "210-KBXR", hits[0].Item.SKU)
		assert.Equal(t, store.TierExact, hits[0].Tier)

		hits = search(t, s, store.CatalogQuery{Words: []string{"keyboard"}})
		require.Len(t, hits, 2)
		for _, h := range hits {
			assert.Equal(t, store.TierName, h.Tier)
		}
		hits = search(t, s, store.CatalogQuery{Words: []string{"dell", "keyboards"}})
		require.Len(t, hits, 1)
		assert.Equal(t, "KB-DELL", hits[0].Item.SKU)
		assert.Equal(t, store.TierFacet, hits[0].Tier)

		hits = search(t, s, store.CatalogQuery{Words: []string{"27"}})
		require.Len(t, hits, 2)
		assert.Equal(t, []string{"210-KBXR", "910-777"}, skus(hits), "the name before the description")
		assert.Equal(t, []int{store.TierName, store.TierAny}, []int{hits[0].Tier, hits[1].Tier})
	})

	t.Run("fragments of SKUs and part numbers", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		hits := search(t, s, store.CatalogQuery{Words: []string{"447h"}, Fragments: []string{"447h"}})
		require.Equal(t, []string{"210-KBXR"}, skus(hits))
		assert.Equal(t, store.TierFragment, hits[0].Tier)
		hits = search(t, s, store.CatalogQuery{Words: []string{"dell", "0kbx"}, Fragments: []string{"0kbx"}})
		assert.Equal(t, []string{"210-KBXR"}, skus(hits))
		assert.Empty(t, search(t, s, store.CatalogQuery{Words: []string{"logitech", "0kbx"}, Fragments: []string{"0kbx"}}))
	})

	t.Run("restrictions and categories", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		assert.ElementsMatch(t, []string{"920-010", "KB-DELL"}, skus(search(t, s, store.CatalogQuery{CategoryKeys: []string{"500-10-1"}})))
		assert.ElementsMatch(t, []string{"920-010", "910-777", "KB-DELL"}, skus(search(t, s, store.CatalogQuery{CategoryKeys: []string{"500"}})), "a category includes those under it")
		assert.Equal(t, []string{"KB-DELL"}, skus(search(t, s, store.CatalogQuery{BrandWords: []string{"dell"}, CategoryKeys: []string{"500-10"}})))
		assert.Equal(t, []string{"920-010"}, skus(search(t, s, store.CatalogQuery{CodeWords: []string{"920"}})))
		assert.Equal(t, []string{"910-777"}, skus(search(t, s, store.CatalogQuery{NameWords: []string{"mouse"}})))
		assert.Len(t, search(t, s, store.CatalogQuery{CategoryKeys: []string{"500"}, Limit: 2}), 2, "the limit holds")
	})

	t.Run("changes are reindexed, unchanged items only get the generation, stale ones go", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		renamed := item(acct, "910-777", "910-777", "logitech silent mouse m185", "logitech", "input devices mice", "500-10-2", "", 2)
		same := item(acct, "210-KBXR", "E2447H", "dell 27in 27 monitor e2447h", "dell", "displays monitors", "100-30-1", "display diagonal 27in black", 2)
		require.NoError(t, s.PutCatalogItems(ctx, []store.CatalogItem{renamed, same}))
		assert.Empty(t, search(t, s, store.CatalogQuery{Words: []string{"wireless", "mouse"}}))
		assert.Equal(t, []string{"910-777"}, skus(search(t, s, store.CatalogQuery{Words: []string{"silent"}})))

		n, err := s.DeleteCatalogItemsBefore(ctx, acct, 2)
		require.NoError(t, err)
		assert.EqualValues(t, 3, n)
		left, err := s.CountCatalogItems(ctx, acct)
		require.NoError(t, err)
		assert.Equal(t, 2, left)
		assert.Empty(t, search(t, s, store.CatalogQuery{Words: []string{"keyboard"}}), "deleted items leave the index")
		assert.Equal(t, []string{"210-KBXR"}, skus(search(t, s, store.CatalogQuery{Words: []string{"monitor"}})))
		kept, err := s.CountCatalogItems(ctx, other)
		require.NoError(t, err)
		assert.Equal(t, 1, kept, "another account's items stay")
	})

	t.Run("discontinued items are left out unless asked for", func(t *testing.T) {
		s := open(t)
		it := item(acct, "OLD-1", "OLD-1", "old monitor", "dell", "monitors", "100", "", 1)
		it.Discontinued = true
		require.NoError(t, s.PutCatalogItems(ctx, []store.CatalogItem{it}))
		assert.Empty(t, search(t, s, store.CatalogQuery{Words: []string{"monitor"}}))
		assert.Len(t, search(t, s, store.CatalogQuery{Words: []string{"monitor"}, IncludeDiscontinued: true}), 1)
	})

	t.Run("one lease holder per account; state is stored by the holder only", func(t *testing.T) {
		s := open(t)
		_, err := s.GetCatalogState(ctx, acct)
		require.ErrorIs(t, err, store.ErrNotFound)
		until := time.Now().Add(time.Minute)
		var wins int
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.LeaseCatalog(ctx, acct, "replica-"+string(rune('a'+i)), until)
				assert.NoError(t, err)
				if ok {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		require.Equal(t, 1, wins)

		ok, err := s.LeaseCatalog(ctx, acct, "me", until)
		require.NoError(t, err)
		assert.False(t, ok, "held by the winner")

		s2 := open(t)
		ok, err = s2.LeaseCatalog(ctx, acct, "me", until)
		require.NoError(t, err)
		require.True(t, ok)
		ok, err = s2.LeaseCatalog(ctx, acct, "me", until.Add(time.Minute))
		require.NoError(t, err)
		assert.True(t, ok, "the holder extends its lease")
		ok, err = s2.LeaseCatalog(ctx, acct, "you", until)
		require.NoError(t, err)
		assert.False(t, ok)

		st := store.CatalogState{Account: acct, Distributor: "logicom", Generation: 3, FullRunning: true,
			Cursors: map[string]string{"100": "210-KBXR", "200": store.CursorDone}, Done: 12, Expected: 40,
			FullStarted: time.Now().Add(-time.Minute).Truncate(time.Microsecond), ChangedSince: time.Now().Add(-time.Hour).Truncate(time.Microsecond),
			LastError: "logicom GetProducts: no answer in time", LastErrorAt: time.Now().Truncate(time.Microsecond)}
		stored, err := s2.PutCatalogState(ctx, st, "you")
		require.NoError(t, err)
		assert.False(t, stored, "not the holder")
		stored, err = s2.PutCatalogState(ctx, st, "me")
		require.NoError(t, err)
		require.True(t, stored)
		got, err := s2.GetCatalogState(ctx, acct)
		require.NoError(t, err)
		assert.Equal(t, st.Cursors, got.Cursors)
		assert.Equal(t, st.Generation, got.Generation)
		assert.True(t, got.FullRunning)
		assert.Equal(t, 12, got.Done)
		assert.Equal(t, 40, got.Expected)
		assert.True(t, st.FullStarted.Equal(got.FullStarted))
		assert.True(t, got.LastFull.IsZero())
		assert.Equal(t, st.LastError, got.LastError)

		require.NoError(t, s2.ReleaseCatalog(ctx, acct, "me"))
		ok, err = s2.LeaseCatalog(ctx, acct, "you", until)
		require.NoError(t, err)
		assert.True(t, ok, "a released lease is free")
		all, err := s2.ListCatalogStates(ctx)
		require.NoError(t, err)
		require.Len(t, all, 1)
		assert.Equal(t, "logicom", all[0].Distributor)
	})
}
