// Package sqlstore implements store.Store over database/sql. The SQLite and
// PostgreSQL stores share it: they differ in how they open the database,
// run their migrations and write placeholders, not in what they store.
// Times are kept as Unix microseconds, which both dialects compare and
// index the same way.
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/quoteconnector/quoteconnector/internal/store"
)

// Dialect is what differs between the SQL backends.
type Dialect struct {
	// Numbered placeholders ($1, $2 …) instead of ?.
	Numbered bool
	// FullText is the catalog's full-text index.
	FullText FullText
}

// DB is a store.Store over one or two database handles.
type DB struct {
	// Read serves queries, Write serves changes. SQLite gets a pool of
	// readers and a single writer (one writer at a time is all it allows);
	// PostgreSQL uses one pool for both.
	Read, Write *sql.DB
	dialect     Dialect
	desc        string
	now         func() time.Time
	// searches holds the catalog search's queries prepared on the
	// readers, by text: SQLite otherwise parses a query's text on every
	// call, a tenth of a search's CPU. Evicted statements are closed
	// (database/sql waits for the rows still reading from them).
	searches *lru.Cache[string, *sql.Stmt]
}

// preparedSearches bounds the prepared catalog queries: the texts vary
// with the number of ids or categories asked for, not with the words.
const preparedSearches = 256

var _ store.Store = (*DB)(nil)

// New returns a store over read and write, described as desc.
func New(read, write *sql.DB, d Dialect, desc string) *DB {
	searches, _ := lru.NewWithEvict(preparedSearches, func(_ string, s *sql.Stmt) { s.Close() }) // errors only on a size ≤ 0
	return &DB{Read: read, Write: write, dialect: d, desc: desc, now: time.Now, searches: searches}
}

// queryPrepared runs a read query (? placeholders) through its prepared
// statement, preparing it on first use.
func (db *DB) queryPrepared(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	stmt, ok := db.searches.Get(query)
	if !ok {
		prepared, err := db.Read.PrepareContext(ctx, db.Q(query))
		if err != nil {
			return nil, err
		}
		// Another caller may have prepared it meanwhile: keep one.
		if prev, found, _ := db.searches.PeekOrAdd(query, prepared); found {
			prepared.Close()
			prepared = prev
		}
		stmt = prepared
	}
	return stmt.QueryContext(ctx, args...)
}

// Q rewrites a query written with ? placeholders for the dialect.
func (db *DB) Q(query string) string {
	if !db.dialect.Numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Now is the store's clock, in the stored form.
func (db *DB) Now() int64 { return db.now().UnixMicro() }

// SetClock replaces the clock (tests of retention).
func (db *DB) SetClock(now func() time.Time) { db.now = now }

func (db *DB) Describe() string { return db.desc }

func (db *DB) Ping(ctx context.Context) error {
	if err := db.Read.PingContext(ctx); err != nil {
		return err
	}
	// A ping may be answered from an idle connection without a round
	// trip; a query proves the database itself answers.
	var one int
	return db.Read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

func (db *DB) Close() error {
	db.searches.Purge()
	err := db.Write.Close()
	if db.Read != db.Write {
		err = errors.Join(err, db.Read.Close())
	}
	return err
}

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// --- connections ---

func (db *DB) PutConnection(ctx context.Context, c store.ConnectionRecord) error {
	values, err := json.Marshal(c.Values)
	if err != nil {
		return err
	}
	updated := c.UpdatedAt.UnixMicro()
	if c.UpdatedAt.IsZero() {
		updated = db.Now()
	}
	_, err = db.Write.ExecContext(ctx, db.Q(`INSERT INTO connections (tenant, connection_id, settings, fingerprint, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (tenant, connection_id) DO UPDATE SET settings = excluded.settings,
			fingerprint = excluded.fingerprint, updated_at = excluded.updated_at`),
		c.Tenant, c.ConnectionID, string(values), c.Fingerprint, updated)
	if err != nil {
		return fmt.Errorf("store connection: %w", err)
	}
	return nil
}

const connectionColumns = `tenant, connection_id, settings, fingerprint, updated_at`

func scanConnection(row interface{ Scan(...any) error }) (store.ConnectionRecord, error) {
	var c store.ConnectionRecord
	var values string
	var updated int64
	if err := row.Scan(&c.Tenant, &c.ConnectionID, &values, &c.Fingerprint, &updated); err != nil {
		return c, err
	}
	c.UpdatedAt = fromMicros(updated)
	if err := json.Unmarshal([]byte(values), &c.Values); err != nil {
		return c, fmt.Errorf("stored settings of %s/%d: %w", c.Tenant, c.ConnectionID, err)
	}
	return c, nil
}

func (db *DB) GetConnection(ctx context.Context, tenant string, connectionID int) (store.ConnectionRecord, error) {
	row := db.Read.QueryRowContext(ctx, db.Q(`SELECT `+connectionColumns+` FROM connections WHERE tenant = ? AND connection_id = ?`), tenant, connectionID)
	c, err := scanConnection(row)
	if errors.Is(err, sql.ErrNoRows) {
		return c, store.ErrNotFound
	}
	return c, err
}

func (db *DB) ListConnections(ctx context.Context, tenant string) ([]store.ConnectionRecord, error) {
	q, args := `SELECT `+connectionColumns+` FROM connections`, []any{}
	if tenant != "" {
		q += ` WHERE tenant = ?`
		args = append(args, tenant)
	}
	rows, err := db.Read.QueryContext(ctx, db.Q(q+` ORDER BY tenant, connection_id`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ConnectionRecord
	for rows.Next() {
		c, err := scanConnection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// --- order ledger ---

const orderColumns = `tenant, connection_id, quote_id, version_id, alternative_id, distributor,
	content, content_hash, reference, state, order_id, message, attempt, owner, checked_at, resolved_by, created_at, updated_at`

const orderKeyWhere = `tenant = ? AND connection_id = ? AND quote_id = ? AND version_id = ? AND alternative_id = ? AND distributor = ?`

func keyArgs(k store.OrderKey) []any {
	return []any{k.Tenant, k.ConnectionID, k.QuoteID, k.VersionID, k.AlternativeID, k.Distributor}
}

func scanOrder(row interface{ Scan(...any) error }) (store.OrderRecord, error) {
	var o store.OrderRecord
	var state string
	var checked, created, updated int64
	err := row.Scan(&o.Key.Tenant, &o.Key.ConnectionID, &o.Key.QuoteID, &o.Key.VersionID, &o.Key.AlternativeID, &o.Key.Distributor,
		&o.Content, &o.ContentHash, &o.Reference, &state, &o.OrderID, &o.Message, &o.Attempt, &o.Owner, &checked, &o.ResolvedBy, &created, &updated)
	o.State, o.CreatedAt, o.UpdatedAt = store.OrderState(state), fromMicros(created), fromMicros(updated)
	if checked != 0 {
		o.CheckedAt = fromMicros(checked)
	}
	return o, err
}

func (db *DB) ClaimOrder(ctx context.Context, rec store.OrderRecord) (store.OrderRecord, bool, error) {
	now := db.Now()
	args := append(keyArgs(rec.Key), rec.Content, rec.ContentHash, rec.Reference, string(store.OrderPlacing), rec.Owner, now, now)
	res, err := db.Write.ExecContext(ctx, db.Q(`INSERT INTO orders (tenant, connection_id, quote_id, version_id, alternative_id, distributor,
			content, content_hash, reference, state, order_id, message, attempt, owner, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', 1, ?, ?, ?)
		ON CONFLICT DO NOTHING`), args...)
	if err != nil {
		return store.OrderRecord{}, false, fmt.Errorf("claim order: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return store.OrderRecord{}, false, err
	} else if n == 1 {
		rec.State, rec.Attempt, rec.OrderID, rec.Message = store.OrderPlacing, 1, "", ""
		rec.CreatedAt, rec.UpdatedAt = fromMicros(now), fromMicros(now)
		return rec, true, nil
	}
	// Read the winner's row from the writer: a reader could lag behind it.
	existing, err := db.getOrder(ctx, db.Write, rec.Key)
	return existing, false, err
}

func (db *DB) ReclaimOrder(ctx context.Context, key store.OrderKey, from store.OrderState, attempt int, rec store.OrderRecord) (bool, error) {
	args := []any{rec.Content, rec.ContentHash, rec.Reference, string(store.OrderPlacing), rec.Owner, db.Now()}
	args = append(append(args, keyArgs(key)...), string(from), attempt)
	// A new attempt starts unchecked and unresolved.
	res, err := db.Write.ExecContext(ctx, db.Q(`UPDATE orders SET content = ?, content_hash = ?, reference = ?, state = ?,
			order_id = '', message = '', owner = ?, updated_at = ?, attempt = attempt + 1, checked_at = 0, resolved_by = ''
		WHERE `+orderKeyWhere+` AND state = ? AND attempt = ?`), args...)
	return affectedOne(res, err, "reclaim order")
}

func (db *DB) FinishOrder(ctx context.Context, key store.OrderKey, from store.OrderState, attempt int, to store.OrderState, orderID, message string) (bool, error) {
	args := []any{string(to), orderID, message, db.Now()}
	args = append(append(args, keyArgs(key)...), string(from), attempt)
	res, err := db.Write.ExecContext(ctx, db.Q(`UPDATE orders SET state = ?, order_id = ?, message = ?, updated_at = ?
		WHERE `+orderKeyWhere+` AND state = ? AND attempt = ?`), args...)
	return affectedOne(res, err, "finish order")
}

func (db *DB) ReviewOrder(ctx context.Context, key store.OrderKey, from store.OrderState, attempt int, r store.OrderReview) (bool, error) {
	now := db.Now()
	checked := 0
	if r.Checked {
		checked = 1
	}
	args := []any{string(r.To), r.OrderID, r.Message, r.By, checked, now, now}
	args = append(append(args, keyArgs(key)...), string(from), attempt)
	res, err := db.Write.ExecContext(ctx, db.Q(`UPDATE orders SET state = ?, order_id = ?, message = ?, resolved_by = ?,
			checked_at = CASE WHEN ? = 1 THEN ? ELSE checked_at END, updated_at = ?
		WHERE `+orderKeyWhere+` AND state = ? AND attempt = ?`), args...)
	return affectedOne(res, err, "review order")
}

func affectedOne(res sql.Result, err error, op string) (bool, error) {
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	return n == 1, nil
}

func (db *DB) GetOrder(ctx context.Context, key store.OrderKey) (store.OrderRecord, error) {
	return db.getOrder(ctx, db.Read, key)
}

func (db *DB) getOrder(ctx context.Context, h *sql.DB, key store.OrderKey) (store.OrderRecord, error) {
	o, err := scanOrder(h.QueryRowContext(ctx, db.Q(`SELECT `+orderColumns+` FROM orders WHERE `+orderKeyWhere), keyArgs(key)...))
	if errors.Is(err, sql.ErrNoRows) {
		return o, store.ErrNotFound
	}
	return o, err
}

func (db *DB) ListOrders(ctx context.Context, f store.OrderFilter) ([]store.OrderRecord, error) {
	var where []string
	var args []any
	if f.Tenant != "" {
		where, args = append(where, "tenant = ?"), append(args, f.Tenant)
	}
	if f.State != "" {
		where, args = append(where, "state = ?"), append(args, string(f.State))
	}
	q := `SELECT ` + orderColumns + ` FROM orders`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.Read.QueryContext(ctx, db.Q(q+` ORDER BY updated_at DESC LIMIT `+strconv.Itoa(limit)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.OrderRecord
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (db *DB) DeleteOrdersBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := db.Write.ExecContext(ctx, db.Q(`DELETE FROM orders WHERE updated_at < ?`), t.UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("delete old orders: %w", err)
	}
	return res.RowsAffected()
}

// --- replicas ---

func (db *DB) Heartbeat(ctx context.Context, r store.ReplicaRecord) error {
	_, err := db.Write.ExecContext(ctx, db.Q(`INSERT INTO replicas (instance, version, commit_id, started_at, seen_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (instance) DO UPDATE SET version = excluded.version, commit_id = excluded.commit_id,
			started_at = excluded.started_at, seen_at = excluded.seen_at`),
		r.Instance, r.Version, r.Commit, r.StartedAt.UnixMicro(), db.Now())
	if err != nil {
		return fmt.Errorf("heartbeat: %w", err)
	}
	return nil
}

func (db *DB) ListReplicas(ctx context.Context, since time.Time) ([]store.ReplicaRecord, error) {
	rows, err := db.Read.QueryContext(ctx, db.Q(`SELECT instance, version, commit_id, started_at, seen_at FROM replicas
		WHERE seen_at >= ? ORDER BY started_at DESC, instance`), since.UnixMicro())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ReplicaRecord
	for rows.Next() {
		var r store.ReplicaRecord
		var started, seen int64
		if err := rows.Scan(&r.Instance, &r.Version, &r.Commit, &started, &seen); err != nil {
			return nil, err
		}
		r.StartedAt, r.SeenAt = fromMicros(started), fromMicros(seen)
		out = append(out, r)
	}
	return out, rows.Err()
}

func (db *DB) DeleteReplicasBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := db.Write.ExecContext(ctx, db.Q(`DELETE FROM replicas WHERE seen_at < ?`), t.UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("delete old heartbeats: %w", err)
	}
	return res.RowsAffected()
}
