package catalog_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/catalog"
	"github.com/quoteconnector/quoteconnector/internal/distributors"
	sbcatalog "github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/postgres"
	"github.com/quoteconnector/quoteconnector/internal/store/sqlite"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
)

// benchSize is the catalog of the search benchmarks: 100,000 SKUs, or
// QC_BENCH_CATALOG_SIZE for a quicker look.
func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("QC_BENCH_CATALOG_SIZE")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// memLister serves the sandbox's Logicom items as products, from memory:
// the benchmark times the store, not HTTP.
type memLister struct {
	parts map[string][]distributors.Product
}

func newMemLister(c *sbcatalog.Catalog) *memLister {
	paths := map[string]string{}
	for _, k := range c.Logicom.Categories {
		paths[k.ID] = k.Name
		if p, ok := paths[k.ParentID]; ok {
			paths[k.ID] = p + " / " + k.Name
		}
	}
	l := &memLister{parts: map[string][]distributors.Product{}}
	for _, it := range c.Logicom.Items {
		p := distributors.Product{Distributor: "logicom", ID: it.SKU, PartNumber: it.SKU, Name: it.Name, Description: it.Description,
			Manufacturer: it.Manufacturer, Brand: it.Brand, CategoryKey: it.CategoryID, CategoryName: paths[it.CategoryID],
			Barcode: it.Barcode, Warranty: it.Warranty, Images: it.ImageURLs, URL: it.URL, Discontinued: it.Discontinued}
		for _, s := range it.Specifications {
			p.Specifications = append(p.Specifications, distributors.Spec{Name: s.Name, Value: s.Value})
		}
		top, _, _ := strings.Cut(it.CategoryID, "-")
		l.parts[top] = append(l.parts[top], p)
	}
	return l
}

func (l *memLister) Partitions(context.Context) ([]string, error) {
	var out []string
	for k := range l.parts {
		out = append(out, k)
	}
	slices.Sort(out)
	return out, nil
}

func (l *memLister) Page(_ context.Context, part, cursor string, _ catalog.Window) ([]distributors.Product, string, error) {
	ps := l.parts[part]
	start := 0
	if cursor != "" {
		start, _ = strconv.Atoi(cursor)
	}
	end := min(start+100, len(ps)) // pages of 100: the store is timed, not the paging
	next := ""
	if end < len(ps) {
		next = strconv.Itoa(end)
	}
	return ps[start:end], next, nil
}

// Queries are 200 realistic searches, made from the catalog with a fixed
// seed: brand and kind, sizes written three ways, model numbers typed in
// part, exact SKUs, SKU fragments, attributes, a half-typed last word, a
// brand alone, and words that find nothing.
func Queries(c *sbcatalog.Catalog) []string {
	r := rand.New(rand.NewPCG(42, 7))
	items := c.Logicom.Items
	item := func() sbcatalog.LogicomItem { return items[r.IntN(len(items))] }
	model := regexp.MustCompile(` - ([^,]+)`)
	kind := regexp.MustCompile(`^\S+ .*?(Monitor|Notebook|Desktop PC|Keyboard|Mouse|Headset|Webcam|Tablet|Switch|Access Point|Firewall|SSD|Hard Drive|Memory|UPS|Laser Printer|Toner Cartridge)`)
	fixed := []string{
		"wireless keyboard nordic", "usb-c headset", "2 tb ssd", "wi-fi 6 access point", "colour laser mfp",
		"24-port poe switch", "4k webcam", "1500va ups", "ddr5 32 gb", "mono laser", "bluetooth mouse",
		"teams speakerphone", "i7 16gb notebook", "firewall appliance 3yr", "nvme 2tb", "silver monitor",
	}
	sizes := []string{`27" monitor`, "27 inch monitor", "27in monitor", `24" monitor`, "24 inch", `15.6" notebook`, "14in notebook", `34"`}
	var out []string
	for len(out) < 200 {
		switch len(out) % 10 {
		case 0: // brand and kind
			it := item()
			if m := kind.FindStringSubmatch(it.Name); m != nil {
				out = append(out, strings.ToLower(strings.Fields(it.Name)[0]+" "+m[1]))
			}
		case 1:
			out = append(out, sizes[r.IntN(len(sizes))])
		case 2: // a model number, part of it typed
			it := item()
			if m := model.FindStringSubmatch(it.Name); m != nil && len(m[1]) > 4 {
				out = append(out, m[1][:len(m[1])-1-r.IntN(2)])
			}
		case 3: // exact SKU, as typed
			out = append(out, strings.ToLower(item().SKU))
		case 4: // a SKU fragment
			it := item()
			k := catalog.Key(it.SKU)
			if len(k) >= 8 {
				out = append(out, k[2:7])
			}
		case 5, 6:
			out = append(out, fixed[r.IntN(len(fixed))])
		case 7: // a half-typed last word
			it := item()
			w := strings.Fields(it.Name)
			if len(w) > 2 && len(w[2]) > 4 {
				out = append(out, strings.ToLower(w[0]+" "+w[2][:3]))
			}
		case 8:
			out = append(out, strings.ToLower(item().Brand))
		case 9:
			out = append(out, []string{"xyzzy", "projector 4k laser", "dell toner"}[r.IntN(3)])
		}
	}
	return out
}

func syncBench(b *testing.B, st store.Store, cat *sbcatalog.Catalog) (string, time.Duration) {
	b.Helper()
	const acct = "b1e2n3c4h5a6"
	c := catalog.New(catalog.Options{Store: st, Owner: "bench", Logger: zerolog.Nop(), Batch: 500})
	c.Register("logicom", acct, newMemLister(cat), 4)
	start := time.Now()
	if err := c.SyncNow(context.Background(), acct, ""); err != nil {
		b.Fatal(err)
	}
	return acct, time.Since(start)
}

// BenchmarkSearch times the index query of 200 realistic searches at
// 100,000 SKUs (search.maxResults 50), on SQLite and on PostgreSQL (skipped
// without a server), and reports p50 and p99 in milliseconds.
func BenchmarkSearch(b *testing.B) {
	cat := sbcatalog.GenerateSize(sbcatalog.DefaultSeed, time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC), benchSize())
	queries := Queries(cat)
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			var st store.Store
			var dir string
			if backend == "sqlite" {
				st, dir = storetest.SQLite(b)
				if keep := os.Getenv("QC_BENCH_DIR"); keep != "" {
					// A kept store: built once, searched by later runs.
					s, err := sqlite.Open(context.Background(), keep)
					if err != nil {
						b.Fatal(err)
					}
					b.Cleanup(func() { s.Close() })
					st, dir = s, keep
				}
			} else {
				st = storetest.Postgres(b)
			}
			acct, took := syncBench(b, st, cat)
			b.Logf("%s: %d items indexed in %s (a kept store is not indexed again)", backend, len(cat.Logicom.Items), took.Round(time.Millisecond))
			ctx := context.Background()
			var lat []time.Duration
			hits := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, q := range queries {
					sq := catalog.BuildQuery(acct, catalog.Query{Text: q, Limit: 50})
					t := time.Now()
					hs, err := st.SearchCatalog(ctx, sq)
					lat = append(lat, time.Since(t))
					if err != nil {
						b.Fatal(err)
					}
					hits += len(hs)
				}
			}
			b.StopTimer()
			slices.Sort(lat)
			pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64(hits)/float64(len(lat)), "hits/query")
			if total, index, ok := indexSize(b, st, dir); ok {
				b.ReportMetric(float64(total)/1e6, "store-MB")
				b.ReportMetric(float64(index)/1e6, "index-MB")
			}
			if os.Getenv("QC_BENCH_SLOWEST") != "" {
				slowest(b, st, acct, queries)
			}
		})
	}
}

// indexSize is the store's size on disk (the SQLite file after a
// checkpoint; PostgreSQL's catalog_items with its indexes) and the
// full-text index's part of it (FTS5 tables; the GIN indexes).
func indexSize(b *testing.B, st store.Store, dir string) (total, index int64, ok bool) {
	ctx := context.Background()
	switch s := st.(type) {
	case *sqlite.Store:
		if _, err := s.Write.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			b.Fatal(err)
		}
		matches, _ := filepath.Glob(filepath.Join(dir, "*.db*"))
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil {
				total += fi.Size()
			}
		}
		err := s.Read.QueryRowContext(ctx, `SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE 'catalog_fts%' OR name LIKE 'catalog_codes%'`).Scan(&index)
		return total, index, err == nil
	case *postgres.Store:
		err := s.Read.QueryRowContext(ctx, `SELECT pg_total_relation_size('catalog_items'),
			pg_relation_size('catalog_items_doc') + pg_relation_size('catalog_items_codes')`).Scan(&total, &index)
		if err != nil {
			b.Fatal(err)
		}
		return total, index, true
	}
	return 0, 0, false
}

// slowest logs the ten slowest queries (QC_BENCH_SLOWEST=1), each the
// fastest of five runs, to see where time goes.
func slowest(b *testing.B, st store.Store, acct string, queries []string) {
	type q struct {
		text string
		d    time.Duration
		n    int
	}
	var qs []q
	for _, text := range queries {
		best := time.Hour // the fastest of five: what the query costs without a busy machine's noise
		n := 0
		for range 5 {
			t := time.Now()
			hs, _ := st.SearchCatalog(context.Background(), catalog.BuildQuery(acct, catalog.Query{Text: text, Limit: 50}))
			best, n = min(best, time.Since(t)), len(hs)
		}
		qs = append(qs, q{text, best, n})
	}
	slices.SortFunc(qs, func(a, b q) int { return int(b.d - a.d) })
	for _, x := range qs[:10] {
		b.Logf("%8s %3d hits  %q", x.d.Round(time.Microsecond), x.n, x.text)
	}
}
