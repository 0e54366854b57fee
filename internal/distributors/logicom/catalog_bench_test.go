package logicom

import (
	"context"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/catalog"
	sbcatalog "github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/logicomsim"
	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
)

// BenchmarkCatalogSync is a full sync of the sandbox's Logicom catalog
// (100,000 SKUs, or QC_BENCH_CATALOG_SIZE) against the simulator over
// HTTP, into SQLite and into PostgreSQL (skipped without a server), at the
// default concurrency of 4: wall time, GetProducts calls, access tokens
// fetched, items stored.
func BenchmarkCatalogSync(b *testing.B) {
	size := 100_000
	if n, err := strconv.Atoi(os.Getenv("QC_BENCH_CATALOG_SIZE")); err == nil && n > 0 {
		size = n
	}
	cat := sbcatalog.GenerateSize(sbcatalog.DefaultSeed, time.Now(), size)
	sim := logicomsim.New(cat, logicomsim.Options{})
	defer sim.Close()
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	conn := simSettings(cat.Logicom.Account) // SyncConcurrency 0: the default

	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var st store.Store
				if backend == "sqlite" {
					st, _ = storetest.SQLite(b)
				} else {
					st = storetest.Postgres(b)
				}
				c := catalog.New(catalog.Options{Store: st, Owner: "bench", Logger: zerolog.Nop()})
				f := NewFactory(Options{ProductionURL: srv.URL + "/api", Catalog: c, Timeout: 30 * time.Second})
				if err := f.SyncCatalog(conn); err != nil {
					b.Fatal(err)
				}
				account := f.Account(conn)
				sim.ResetCounts()
				start := time.Now()
				if err := c.SyncNow(context.Background(), account, ""); err != nil {
					b.Fatal(err)
				}
				took := time.Since(start)
				items, err := st.CountCatalogItems(context.Background(), account)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(took.Seconds(), "sync-s")
				b.ReportMetric(float64(sim.CallCount(logicomsim.CallGetProducts)), "GetProducts")
				b.ReportMetric(float64(sim.CallCount(logicomsim.CallGenerateAccessToken)), "tokens")
				b.ReportMetric(float64(items), "items")
				b.ReportMetric(float64(items)/took.Seconds(), "items/s")
			}
		})
	}
}
