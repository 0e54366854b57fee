// Package postgres is the shared store: state in PostgreSQL, through a pgx
// connection pool, so any number of replicas see the same connections and
// the same order ledger.
package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/quoteconnector/quoteconnector/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// lockID is the advisory lock that makes replicas starting together run the
// migrations one after the other ("qcmigrat" in ASCII).
const lockID = 0x71636d6967726174

// Store is the PostgreSQL store.
type Store struct {
	*sqlstore.DB
	Pool *pgxpool.Pool
}

// Open connects to url (postgres://…), checks that the server answers and
// brings the schema up to date.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's parse errors can quote the URL, password included.
		return nil, fmt.Errorf("QC_DATABASE_URL is not a valid PostgreSQL URL")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// database/sql over the pgx pool: the shared SQL code and the migration
	// tool both speak database/sql; the connections are pgx's.
	db := stdlib.OpenDBFromPool(pool)
	desc := fmt.Sprintf("postgres %s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	s := &Store{DB: sqlstore.New(db, db, sqlstore.Dialect{Numbered: true}, desc), Pool: pool}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("postgres %s: %w", desc, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(lockID), lock.WithLockTimeout(1, 300))
	if err != nil {
		return err
	}
	// Out of order: migrations numbered by the features that own them
	// may land in any order (00004 before 00002, say).
	p, err := goose.NewProvider(goose.DialectPostgres, s.Write, sub, goose.WithSessionLocker(locker), goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("postgres migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("postgres migrations: %w", err)
	}
	return nil
}

// Close closes the database handle and the pool under it.
func (s *Store) Close() error {
	err := s.DB.Close()
	s.Pool.Close()
	return err
}
