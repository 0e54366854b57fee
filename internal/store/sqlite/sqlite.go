// Package sqlite is the embedded store: one SQLite file in the data folder,
// through the pure-Go driver modernc.org/sqlite so the binary stays static
// with CGO_ENABLED=0. It serves one replica; several replicas share state
// through store/postgres instead.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/quoteconnector/quoteconnector/internal/store/sqlstore"
)

// FileName is the database file inside the data folder.
const FileName = "quoteconnector.db"

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite store.
type Store struct {
	*sqlstore.DB
	Path string
}

// Open creates dir if needed, opens (or creates) the database file in it and
// brings its schema up to date.
func Open(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	// WAL lets readers go on while the one writer writes; the busy timeout
	// makes a second writer wait instead of failing at once; synchronous
	// NORMAL is durable across process crashes in WAL mode.
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()

	write, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// SQLite allows one writer at a time: one connection serialises writes
	// in Go instead of in busy waits.
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(8)
	// Keep every reader open between bursts: database/sql keeps 2 idle by
	// default, so under load 6 of 8 readers were closed and reopened
	// again and again, each reopening the file and preparing its
	// statements anew.
	read.SetMaxIdleConns(8)
	read.SetConnMaxIdleTime(5 * time.Minute)

	s := &Store{DB: sqlstore.New(read, write, sqlstore.Dialect{FullText: fullText{}}, "sqlite "+path), Path: path}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	// Tighten the file's permissions: it holds sealed credentials and the
	// order ledger.
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		_ = os.Chmod(f, 0o600)
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	// Out of order: migrations numbered by the features that own them
	// may land in any order (00004 before 00002, say).
	p, err := goose.NewProvider(goose.DialectSQLite3, s.Write, sub, goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("sqlite migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlite migrations: %w", err)
	}
	return nil
}
