// Package storetest opens throwaway stores for tests: SQLite in a temporary
// folder, and PostgreSQL in a schema of its own that is dropped afterwards.
//
// PostgreSQL: QC_TEST_DATABASE_URL names the server (CI sets it and then a
// server that does not answer fails the test). Unset, the local default
// postgres://postgres@127.0.0.1:5432/test is tried and, when it does not
// answer, PostgreSQL tests are skipped with a message saying so.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quoteconnector/quoteconnector/internal/store/postgres"
	"github.com/quoteconnector/quoteconnector/internal/store/sqlite"
)

// EnvDatabaseURL names the PostgreSQL server tests use.
const EnvDatabaseURL = "QC_TEST_DATABASE_URL"

// DefaultDatabaseURL is the server tried when EnvDatabaseURL is unset.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// SQLite opens a store in a fresh temporary folder, closed at the end of the
// test. It returns the store and its folder.
func SQLite(t testing.TB) (*sqlite.Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("open sqlite store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// PostgresURL returns the URL of an empty schema of its own on the test
// server (dropped when the test ends), or skips the test when no server is
// configured and the default one does not answer.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base, required := os.Getenv(EnvDatabaseURL), true
	if base == "" {
		base, required = DefaultDatabaseURL, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		if required {
			t.Fatalf("%s is set but PostgreSQL does not answer: %v", EnvDatabaseURL, err)
		}
		t.Skipf("PostgreSQL tests skipped: no server at %s and %s unset", DefaultDatabaseURL, EnvDatabaseURL)
	}
	defer conn.Close(ctx)

	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "qctest_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, base); err == nil {
			_, _ = c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			c.Close(ctx)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres opens a store in a schema of its own (see PostgresURL).
func Postgres(t testing.TB) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), PostgresURL(t))
	if err != nil {
		t.Fatalf("open postgres store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
