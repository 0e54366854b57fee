package app_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/app"
	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/catalog"
	"github.com/quoteconnector/quoteconnector/internal/config"
	"github.com/quoteconnector/quoteconnector/internal/sandbox"
	sbcatalog "github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/logicomsim"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// logicomAccount registers the known Logicom accounts with the catalog and
// returns the sandbox's.
func logicomAccount(t *testing.T, m *app.Main) string {
	t.Helper()
	m.RegisterCatalogs(context.Background())
	sts, err := m.Catalog.Status(context.Background())
	require.NoError(t, err)
	for _, s := range sts {
		if s.Distributor == "logicom" && s.RegisteredHere {
			return s.Account
		}
	}
	t.Fatal("no Logicom account registered")
	return ""
}

func findProduct(t *testing.T, env *apptest.Env, input string) []so.ProductInfo {
	t.Helper()
	r := env.Post(t, "FindProduct", map[string]any{"UserInput": input})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var ps []so.ProductInfo
	r.JSON(t, &ps)
	return ps
}

// logicomHits are the Logicom results' SKUs and names.
func logicomHits(ps []so.ProductInfo) map[string]string {
	out := map[string]string{}
	for _, p := range ps {
		if strings.HasPrefix(p.ERPProductKey, "logicom:") {
			out[strings.TrimPrefix(p.ERPProductKey, "logicom:")] = p.Name
		}
	}
	return out
}

// pick is the first listed Logicom item the predicate likes.
func pick(t *testing.T, sb *sandbox.Sandbox, ok func(it sbcatalog.LogicomItem) bool) sbcatalog.LogicomItem {
	t.Helper()
	nuvias := map[string]bool{}
	for _, p := range sb.Catalog.Nuvias.Products {
		nuvias[strings.ToUpper(p.ProductCode)] = true
	}
	for _, it := range sb.Catalog.Logicom.Items {
		if !it.Discontinued && !nuvias[strings.ToUpper(it.SKU)] && ok(it) {
			return it
		}
	}
	t.Fatal("no such item in the sandbox catalog")
	return sbcatalog.LogicomItem{}
}

// apiCalls counts the Logicom simulator's calls during fn.
func apiCalls(sim *logicomsim.Server, fn func()) map[string]int {
	sim.ResetCounts()
	fn()
	return sim.Calls()
}

// smallCatalog keeps the syncs of these tests short under the race
// detector; 700 SKUs still hold every kind of product they look for.
func smallCatalog(cfg *config.Config) { cfg.SandboxCatalogSize = 700 }

func TestFindProductFromTheCatalog(t *testing.T) {
	ctx := context.Background()
	env := apptest.Start(t, apptest.Options{Configure: smallCatalog})
	sim := env.Sandbox.Logicom
	acct := logicomAccount(t, env.Main)

	// Before the first sync: today's live search answers, and says so.
	findProduct(t, env, "wireless nordic")
	assert.Contains(t, env.Logs.String(), "Logicom catalog still syncing")

	require.NoError(t, env.Main.Catalog.SyncNow(ctx, acct, ""))
	require.True(t, env.Main.Catalog.Ready(acct))

	t.Run("the operator console shows the sync", func(t *testing.T) {
		r := env.Console(t, http.MethodGet, "/console/catalog", nil, nil)
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
		assert.Contains(t, string(r.Body), acct, "the account's short hash")
		assert.NotContains(t, string(r.Body), env.Sandbox.Catalog.Logicom.Account.ConsumerKey)
	})

	t.Run("name words that are neither brand nor category", func(t *testing.T) {
		var hits map[string]string
		calls := apiCalls(sim, func() { hits = logicomHits(findProduct(t, env, "wireless nordic")) })
		require.NotEmpty(t, hits)
		for sku, name := range hits {
			assert.Contains(t, name, "Wireless", sku)
			assert.Contains(t, name, "Nordic", sku)
		}
		assert.Zero(t, calls[logicomsim.CallGetProducts], "no GetProducts at search time")
		assert.Equal(t, 1, calls[logicomsim.CallGetPrice])
		assert.Equal(t, 1, calls[logicomsim.CallGetInventory])
	})

	t.Run("sizes written three ways", func(t *testing.T) {
		var lists [][]string
		for _, in := range []string{`27" monitor`, "27 inch monitor", "27in monitor"} {
			var skus []string
			for _, p := range findProduct(t, env, in) {
				if sku, ok := strings.CutPrefix(p.ERPProductKey, "logicom:"); ok {
					assert.Contains(t, p.Name, `27"`, "%s: %s", in, sku)
					skus = append(skus, sku)
				}
			}
			require.NotEmpty(t, skus, in)
			lists = append(lists, skus)
		}
		// Nuvias searches the text as typed and fills more or fewer of the
		// places: Logicom's list is the same as far as each one goes.
		n := min(len(lists[0]), len(lists[1]), len(lists[2]))
		assert.Equal(t, lists[0][:n], lists[1][:n])
		assert.Equal(t, lists[0][:n], lists[2][:n])
	})

	t.Run("model number and SKU fragments", func(t *testing.T) {
		model := regexp.MustCompile(` - ([A-Z0-9]{5,})`)
		it := pick(t, env.Sandbox, func(it sbcatalog.LogicomItem) bool {
			return strings.Contains(it.Name, "Monitor") && model.MatchString(it.Name)
		})
		m := model.FindStringSubmatch(it.Name)[1]
		hits := logicomHits(findProduct(t, env, m[:len(m)-1]))
		assert.Contains(t, hits, it.SKU, "%s finds %s", m[:len(m)-1], it.Name)

		code := regexp.MustCompile(`^[A-Z0-9]{10,}$`)
		it = pick(t, env.Sandbox, func(it sbcatalog.LogicomItem) bool { return code.MatchString(it.SKU) })
		frag := it.SKU[3:9]
		hits = logicomHits(findProduct(t, env, frag))
		assert.Contains(t, hits, it.SKU, "%s finds %s", frag, it.SKU)

		ps := findProduct(t, env, strings.ToLower(it.SKU))
		require.NotEmpty(t, ps)
		assert.Equal(t, "logicom:"+it.SKU, ps[0].ERPProductKey, "the exact SKU ranks first")
	})

	t.Run("advanced search uses the index", func(t *testing.T) {
		var ps []so.ProductInfo
		calls := apiCalls(sim, func() {
			r := env.Post(t, "GetSearchResults", map[string]any{"Restrictions": []map[string]any{
				{"Name": "Name", "Operator": "contains", "Values": []string{"wireless"}},
				{"Name": "ProductCategoryKey", "Operator": "=", "Values": []string{"500-10-1"}},
			}})
			require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
			r.JSON(t, &ps)
		})
		hits := logicomHits(ps)
		require.NotEmpty(t, hits)
		for sku, name := range hits {
			assert.Contains(t, name, "Wireless Keyboard", sku)
		}
		assert.Zero(t, calls[logicomsim.CallGetProducts])
	})
}

func TestResyncRemovesDelistedAndIncrementalFindsChanges(t *testing.T) {
	ctx := context.Background()
	env := apptest.Start(t, apptest.Options{Configure: smallCatalog})
	sim := env.Sandbox.Logicom
	acct := logicomAccount(t, env.Main)
	require.NoError(t, env.Main.Catalog.SyncNow(ctx, acct, ""))

	gone := pick(t, env.Sandbox, func(it sbcatalog.LogicomItem) bool { return strings.Contains(it.Name, "Keyboard") })
	require.Contains(t, logicomHits(findProduct(t, env, gone.SKU)), gone.SKU)
	require.True(t, sim.RemoveItem(gone.SKU))
	// Still there until the next full sync lists the catalog again.
	require.Contains(t, logicomHits(findProduct(t, env, gone.SKU)), gone.SKU)
	require.NoError(t, env.Main.Catalog.SyncNow(ctx, acct, catalog.KindFull))
	assert.NotContains(t, logicomHits(findProduct(t, env, gone.SKU)), gone.SKU)

	changed := pick(t, env.Sandbox, func(it sbcatalog.LogicomItem) bool {
		return strings.Contains(it.Name, "Mouse") && it.SKU != gone.SKU
	})
	require.True(t, sim.TouchItem(changed.SKU, func(it *sbcatalog.LogicomItem) { it.Name += " Ambidextrous" }))
	calls := apiCalls(sim, func() { require.NoError(t, env.Main.Catalog.SyncNow(ctx, acct, catalog.KindIncremental)) })
	assert.Equal(t, 1, calls[logicomsim.CallGetProducts], "one page of changes (DateFrom/DateTo)")
	assert.Equal(t, []string{changed.SKU}, skusOf(logicomHits(findProduct(t, env, "ambidextrous"))))
}

func skusOf(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// A restart in the middle of a full sync resumes at the stored cursors.
func TestRestartMidSyncResumes(t *testing.T) {
	sims, err := sandbox.Start(sandbox.Options{Seed: sbcatalog.DefaultSeed, LogicomItems: 900})
	require.NoError(t, err)
	t.Cleanup(sims.Close)
	dir := t.TempDir()
	first := apptest.Start(t, apptest.Options{Simulators: sims, DataDir: dir})
	require.True(t, testConnection(t, first, connectionID, sims.ConfigValues()).IsOk)
	acct := logicomAccount(t, first.Main)

	// Slow pages, so the sync is caught in the middle.
	sims.Logicom.Faults().Set(faults.Config{Latency: 15 * time.Millisecond, Path: "GetProducts"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- first.Main.Catalog.SyncNow(ctx, acct, "") }()
	require.Eventually(t, func() bool {
		sts, err := first.Main.Catalog.Status(context.Background())
		return err == nil && len(sts) == 1 && sts[0].Done >= 300
	}, time.Minute, 5*time.Millisecond)
	cancel()
	require.Error(t, <-done)
	first.Stop()
	sims.Logicom.Faults().Set(faults.Config{})

	second := apptest.Start(t, apptest.Options{Simulators: sims, DataDir: dir})
	require.Equal(t, acct, logicomAccount(t, second.Main))
	assert.False(t, second.Main.Catalog.Ready(acct), "not complete yet: searches stay live")
	calls := apiCalls(sims.Logicom, func() { require.NoError(t, second.Main.Catalog.SyncNow(context.Background(), acct, "")) })
	listed := 0
	for _, it := range sims.Catalog.Logicom.Items {
		if !it.Discontinued {
			listed++
		}
	}
	pages := listed/logicomsim.PageSize + len(sims.Catalog.Logicom.Categories)
	assert.Less(t, calls[logicomsim.CallGetProducts], pages-20, "resumed: the 300 items stored before are not listed again")
	assert.LessOrEqual(t, calls[logicomsim.CallGenerateAccessToken], 2, "one token a minute, reused")
	sts, err := second.Main.Catalog.Status(context.Background())
	require.NoError(t, err)
	require.Len(t, sts, 1)
	assert.Equal(t, listed, sts[0].Items)
	assert.Empty(t, sts[0].LastError)
	assert.True(t, second.Main.Catalog.Ready(acct))
}

// The service syncs the sandbox catalog in the background from its start.
func TestRunSyncsTheSandboxCatalogInTheBackground(t *testing.T) {
	cfg := testConfig(t)
	smallCatalog(&cfg)
	m, err := app.New(cfg, zerolog.Nop())
	require.NoError(t, err)
	require.NoError(t, m.Open())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	require.Eventually(t, func() bool {
		sts, err := m.Catalog.Status(context.Background())
		return err == nil && len(sts) == 1 && sts[0].Ready
	}, time.Minute, 10*time.Millisecond)
	sts, err := m.Catalog.Status(context.Background())
	require.NoError(t, err)
	assert.Greater(t, sts[0].Items, 600)
	cancel()
	require.NoError(t, <-done)
}
