package catalog_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/catalog"
	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
)

// fakeLister serves products from memory in pages of ten, partitioned by
// the first segment of the category key, and can fail on a given call.
type fakeLister struct {
	mu       sync.Mutex
	products map[string]distributors.Product // by id
	modified map[string]time.Time
	calls    atomic.Int32
	failAt   int32 // the call that fails (0: none)
	parts    []string
}

func newFake(n int) *fakeLister {
	f := &fakeLister{products: map[string]distributors.Product{}, modified: map[string]time.Time{}, parts: []string{"100", "200", "300"}}
	kinds := []string{"Monitor", "Keyboard", "Notebook"}
	for i := 0; i < n; i++ {
		part := f.parts[i%3]
		p := distributors.Product{Distributor: "fake", ID: fmt.Sprintf("SKU-%04d", i), PartNumber: fmt.Sprintf("P%04dX", i),
			Name: fmt.Sprintf("Brand%d %d\" %s model M%04d", i%5, 20+i%10, kinds[i%3], i), Brand: fmt.Sprintf("BRAND%d", i%5),
			CategoryKey: part + "-10", CategoryName: kinds[i%3] + "s"}
		f.products[p.ID] = p
		f.modified[p.ID] = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return f
}

func (f *fakeLister) Partitions(context.Context) ([]string, error) { return f.parts, nil }

func (f *fakeLister) Page(_ context.Context, part, cursor string, w catalog.Window) ([]distributors.Product, string, error) {
	if n := f.calls.Add(1); n == f.failAt {
		return nil, "", errors.New("fake: no answer in time")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	for id, p := range f.products {
		m := f.modified[id]
		if (part == "" || p.CategoryKey[:3] == part) && (w.IsZero() || (!m.Before(w.From) && !m.After(w.To))) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	start := sort.SearchStrings(ids, cursor)
	if start < len(ids) && ids[start] == cursor {
		start++
	}
	var out []distributors.Product
	for i := start; i < len(ids) && len(out) < 10; i++ {
		out = append(out, f.products[ids[i]])
	}
	next := ""
	if start+len(out) < len(ids) {
		next = out[len(out)-1].ID
	}
	return out, next, nil
}

type recorder struct {
	mu     sync.Mutex
	items  map[string]int
	ratio  float64
	synced []string
}

func (r *recorder) CatalogItems(_, account string, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.items == nil {
		r.items = map[string]int{}
	}
	r.items[account] = n
}
func (r *recorder) CatalogProgress(_, _ string, ratio float64) {
	r.mu.Lock()
	r.ratio = ratio
	r.mu.Unlock()
}
func (r *recorder) CatalogSynced(_, _, kind string, _ time.Time, _ int) {
	r.mu.Lock()
	r.synced = append(r.synced, kind)
	r.mu.Unlock()
}
func (r *recorder) CatalogFailed(string, string, string) {}
func (r *recorder) CatalogLoaded(_, account string, n int, _, _ time.Time) {
	r.CatalogItems("", account, n)
}

const acct = "a1b2c3d4e5f6"

func newCatalog(st store.Store, owner string, obs catalog.Observer) *catalog.Catalog {
	return catalog.New(catalog.Options{Store: st, Owner: owner, Refresh: time.Hour, Batch: 20, Logger: zerolog.Nop(), Observer: obs})
}

func TestFullSyncSearchAndStatus(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	rec := &recorder{}
	c := newCatalog(st, "me", rec)
	f := newFake(250)
	c.Register("fake", acct, f, 2)
	assert.False(t, c.Ready(acct))
	require.NoError(t, c.SyncNow(ctx, acct, ""))
	assert.True(t, c.Ready(acct))
	assert.EqualValues(t, 9+9+9, f.calls.Load(), "each partition paged to its end: 84, 83 and 83 items, ten a page")
	assert.Equal(t, 250, rec.items[acct])
	assert.Equal(t, 1.0, rec.ratio)
	assert.Equal(t, []string{catalog.KindFull}, rec.synced)

	ps, err := c.Search(ctx, acct, catalog.Query{Text: `27" monitor`, Limit: 100})
	require.NoError(t, err)
	require.NotEmpty(t, ps)
	for _, p := range ps {
		assert.Contains(t, p.Name, `27" Monitor`)
	}
	ps, err = c.Search(ctx, acct, catalog.Query{Text: "SKU-0007", Limit: 5})
	require.NoError(t, err)
	require.NotEmpty(t, ps)
	assert.Equal(t, "SKU-0007", ps[0].ID, "the exact SKU first")
	ps, err = c.Search(ctx, acct, catalog.Query{Text: "0123x", Limit: 5})
	require.NoError(t, err)
	require.Len(t, ps, 1, "a part-number fragment")
	assert.Equal(t, "P0123X", ps[0].PartNumber)

	byID, err := c.Products(ctx, acct, []string{"sku-0001", "nope"})
	require.NoError(t, err)
	assert.Len(t, byID, 1)
	assert.Equal(t, "Keyboards", byID["SKU-0001"].CategoryName)

	sts, err := c.Status(ctx)
	require.NoError(t, err)
	require.Len(t, sts, 1)
	s := sts[0]
	assert.True(t, s.Ready)
	assert.Equal(t, 250, s.Items)
	assert.Equal(t, 250, s.Expected)
	assert.Equal(t, 2, s.Concurrency)
	assert.False(t, s.LastFull.IsZero())
	assert.Empty(t, s.LastError)
	assert.WithinDuration(t, s.LastFull.Add(time.Hour), s.NextFullDue, time.Second)

	// Nothing is due right after a full sync.
	calls := f.calls.Load()
	require.NoError(t, c.SyncNow(ctx, acct, ""))
	assert.Equal(t, calls, f.calls.Load())
}

func TestFailedSyncResumesAndKeepsTheLastCatalog(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	c := newCatalog(st, "me", nil)
	f := newFake(300)
	c.Register("fake", acct, f, 1)
	require.NoError(t, c.SyncNow(ctx, acct, ""))
	before, err := c.Search(ctx, acct, catalog.Query{Text: "keyboard", Limit: 500})
	require.NoError(t, err)
	require.Len(t, before, 100)

	// A full re-sync fails part-way; the complete catalog stays searchable.
	f.calls.Store(0)
	f.failAt = 17
	err = c.SyncNow(ctx, acct, catalog.KindFull)
	require.Error(t, err)
	got, err := c.Search(ctx, acct, catalog.Query{Text: "keyboard", Limit: 500})
	require.NoError(t, err)
	assert.Len(t, got, 100)
	assert.True(t, c.Ready(acct))
	sts, err := c.Status(ctx)
	require.NoError(t, err)
	assert.Contains(t, sts[0].LastError, "no answer in time")

	// A new process resumes at the stored cursors instead of starting over.
	f.failAt = 0
	f.calls.Store(0)
	c2 := newCatalog(st, "me-again", nil)
	c2.Register("fake", acct, f, 1)
	require.NoError(t, c2.SyncNow(ctx, acct, catalog.KindFull))
	assert.Less(t, f.calls.Load(), int32(32-10), "resumed: the pages stored before the failure are not listed again")
	sts, err = c2.Status(ctx)
	require.NoError(t, err)
	assert.Empty(t, sts[0].LastError)
	assert.Equal(t, 300, sts[0].Items)
}

func TestResyncRemovesWhatIsNoLongerListedAndIncrementalUpdates(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	c := newCatalog(st, "me", nil)
	f := newFake(60)
	c.Register("fake", acct, f, 4)
	require.NoError(t, c.SyncNow(ctx, acct, ""))

	// Changed since: an incremental update (DateFrom/DateTo) picks it up.
	f.mu.Lock()
	p := f.products["SKU-0004"]
	p.Name = "Brand4 Ergonomic split keyboard"
	f.products["SKU-0004"] = p
	f.modified["SKU-0004"] = time.Now()
	f.mu.Unlock()
	f.calls.Store(0)
	require.NoError(t, c.SyncNow(ctx, acct, catalog.KindIncremental))
	assert.EqualValues(t, 1, f.calls.Load(), "one page of changes")
	ps, err := c.Search(ctx, acct, catalog.Query{Text: "ergonomic split", Limit: 5})
	require.NoError(t, err)
	require.Len(t, ps, 1)

	// Removed: gone after the next full sync.
	f.mu.Lock()
	delete(f.products, "SKU-0004")
	f.mu.Unlock()
	require.NoError(t, c.SyncNow(ctx, acct, catalog.KindFull))
	ps, err = c.Search(ctx, acct, catalog.Query{Text: "ergonomic split", Limit: 5})
	require.NoError(t, err)
	assert.Empty(t, ps)
	n, err := st.CountCatalogItems(ctx, acct)
	require.NoError(t, err)
	assert.Equal(t, 59, n)
}

func TestOneReplicaSyncsTheOthersUseTheResult(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	recB := &recorder{}
	a, b := newCatalog(st, "replica-a", nil), newCatalog(st, "replica-b", recB)
	fa, fb := newFake(40), newFake(40)
	a.Register("fake", acct, fa, 2)
	b.Register("fake", acct, fb, 2)
	ok, err := st.LeaseCatalog(ctx, acct, "replica-a", time.Now().Add(time.Minute))
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, b.SyncNow(ctx, acct, ""), "another replica holds the account: nothing to do")
	assert.Zero(t, fb.calls.Load())
	require.NoError(t, a.SyncNow(ctx, acct, ""))
	assert.NotZero(t, fa.calls.Load())
	require.NoError(t, b.SyncNow(ctx, acct, ""))
	assert.Zero(t, fb.calls.Load(), "synced by a: nothing due")
	assert.True(t, b.Ready(acct))
	// b learns the catalog's size the first time it reads a synced state
	// (here a later read: the first one found nothing synced yet).
	b2 := newCatalog(st, "replica-b", recB)
	b2.Register("fake", acct, fb, 2)
	require.NoError(t, b2.SyncNow(ctx, acct, ""))
	assert.Equal(t, 40, recB.items[acct], "a replica shows the synced catalog in its gauges")
	ps, err := b.Search(ctx, acct, catalog.Query{Text: "notebook", Limit: 50})
	require.NoError(t, err)
	assert.NotEmpty(t, ps)
}

func TestStartSyncsInTheBackground(t *testing.T) {
	st, _ := storetest.SQLite(t)
	c := newCatalog(st, "me", nil)
	c.Register("fake", acct, newFake(30), 2)
	ctx, cancel := context.WithCancel(context.Background())
	c.Start(ctx)
	require.Eventually(t, func() bool { return c.Ready(acct) }, 10*time.Second, 10*time.Millisecond)
	cancel()
	c.Wait()
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// With the total known (from the previous sync), the log has a progress
// line per tenth, with the rate and the time left.
func TestProgressIsLoggedPerTenth(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	logs := &lockedBuffer{}
	c := catalog.New(catalog.Options{Store: st, Owner: "me", Refresh: time.Hour, Batch: 10, Logger: zerolog.New(logs)})
	c.Register("fake", acct, newFake(300), 1)
	require.NoError(t, c.SyncNow(ctx, acct, ""))
	require.NoError(t, c.SyncNow(ctx, acct, catalog.KindFull))
	var tenths []int
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "catalog full sync progress") {
			var ev struct {
				Percent  int     `json:"percent"`
				Expected int     `json:"expected"`
				Rate     float64 `json:"items_per_second"`
				ETA      string  `json:"eta"`
			}
			require.NoError(t, json.Unmarshal([]byte(line), &ev))
			assert.Equal(t, 300, ev.Expected)
			assert.NotEmpty(t, ev.ETA)
			tenths = append(tenths, ev.Percent/10)
		}
	}
	assert.GreaterOrEqual(t, len(tenths), 9, "about one line per tenth")
	assert.LessOrEqual(t, len(tenths), 11)
	assert.True(t, slices.IsSorted(tenths))
	assert.NotContains(t, logs.String(), "fake: ", "no error")
}
