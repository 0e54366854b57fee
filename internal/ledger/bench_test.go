package ledger_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/postgres"
	"github.com/quoteconnector/quoteconnector/internal/store/sqlite"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
)

func backends(b *testing.B) map[string]store.Store {
	s, _ := storetest.SQLite(b)
	return map[string]store.Store{"sqlite": s, "postgres": storetest.Postgres(b)}
}

// BenchmarkPlace is the latency the ledger adds to a PlaceOrder for one
// distributor: claim, then record the outcome (two writes). Replay is an
// identical retry answered from the ledger (one write attempt that finds the
// row).
func BenchmarkPlace(b *testing.B) {
	lines := []ledger.Line{{ProductKey: "logicom:210-AZKS", Quantity: 2}, {ProductKey: "logicom:C7115X", Quantity: 1}}
	for name, st := range backends(b) {
		l := ledger.New(ledger.Options{Store: st, Owner: "bench"})
		b.Run(name+"/new", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				key := store.OrderKey{Tenant: "bench", QuoteID: i, VersionID: 1, AlternativeID: 1, Distributor: "logicom"}
				if r := l.Place(context.Background(), ledger.Request{Key: key, Lines: lines, Reference: "Q"}, &fakeSender{}); r.Outcome != ledger.Placed {
					b.Fatal(r.Err)
				}
			}
		})
		b.Run(name+"/replay", func(b *testing.B) {
			key := store.OrderKey{Tenant: "bench-replay", QuoteID: 1, VersionID: 1, AlternativeID: 1, Distributor: "logicom"}
			l.Place(context.Background(), ledger.Request{Key: key, Lines: lines, Reference: "Q"}, &fakeSender{})
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if r := l.Place(context.Background(), ledger.Request{Key: key, Lines: lines, Reference: "Q"}, &fakeSender{}); r.Outcome != ledger.Placed || r.Sent {
					b.Fatal("not replayed")
				}
			}
		})
	}
}

// BenchmarkOpen is the store's start-up: open, migrate (nothing to do after
// the first time), ping.
func BenchmarkOpen(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		dir := b.TempDir()
		for i := 0; i < b.N; i++ {
			s, err := sqlite.Open(context.Background(), dir)
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
	})
	b.Run("postgres", func(b *testing.B) {
		url := storetest.PostgresURL(b)
		for i := 0; i < b.N; i++ {
			s, err := postgres.Open(context.Background(), url)
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
	})
}

// BenchmarkLedgerSize10k reports the on-disk size of 10,000 placed ledger
// rows (two lines each), with their indexes.
func BenchmarkLedgerSize10k(b *testing.B) {
	content, hash := ledger.Content([]ledger.Line{{ProductKey: "logicom:210-AZKS", Quantity: 2}, {ProductKey: "nuvias:1435", Quantity: 1}})
	fill := func(b *testing.B, st store.Store) {
		ctx := context.Background()
		for i := 0; i < 10000; i++ {
			key := store.OrderKey{Tenant: "Cust12345", ConnectionID: 7, QuoteID: 100000 + i, VersionID: 1, AlternativeID: 1, Distributor: "logicom"}
			rec := store.OrderRecord{Key: key, Content: content, ContentHash: hash, Reference: `{"ref":"Q-100000-1","po":"PO-100000"}`, Owner: "host/123/abcdef"}
			if _, _, err := st.ClaimOrder(ctx, rec); err != nil {
				b.Fatal(err)
			}
			if _, err := st.FinishOrder(ctx, key, store.OrderPlacing, 1, store.OrderPlaced, fmt.Sprintf("O7%06d", i), ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("sqlite", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			st, dir := storetest.SQLite(b)
			fill(b, st)
			// Fold the write-ahead log into the file, as a checkpoint does.
			if _, err := st.Write.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
				b.Fatal(err)
			}
			fi, err := os.Stat(filepath.Join(dir, sqlite.FileName))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(fi.Size()), "bytes/10k-rows")
		}
	})
	b.Run("postgres", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			st := storetest.Postgres(b)
			fill(b, st)
			var size int64
			if err := st.Read.QueryRow("SELECT pg_total_relation_size('orders')").Scan(&size); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(size), "bytes/10k-rows")
		}
	})
}
