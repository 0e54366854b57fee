package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/store"
)

// FullText is the dialect's full-text index of catalog_items: SQLite keeps
// it in FTS5 tables beside the rows, PostgreSQL in columns of the rows
// (tsvector and trigrams). What is shared (rows, generations, tiers,
// filters, sync state) lives here.
type FullText interface {
	// Columns are the catalog_items columns the dialect fills itself, with
	// the SQL expression of each value (? placeholders); Args gives an
	// item's arguments for them, in order.
	Columns() (names, exprs []string)
	Args(it store.CatalogItem) []any
	// Index writes the separate index rows of an item just written in tx
	// (fresh: it had none before).
	Index(ctx context.Context, tx *sql.Tx, id int64, it store.CatalogItem, fresh bool) error
	// Unindex removes the separate index rows of items about to be deleted.
	Unindex(ctx context.Context, tx *sql.Tx, ids []int64) error
	// Match returns the ids of items matching m, at most m.Limit, best
	// first within the tier.
	Match(ctx context.Context, db *DB, m Match) ([]int64, error)
	// Optimize tidies the index after a bulk load.
	Optimize(ctx context.Context, db *DB) error
}

// Match is one tier of a catalog search, for FullText.Match.
type Match struct {
	store.CatalogQuery
	Tier int // store.TierName … store.TierFragment
	// Filter is an SQL condition on catalog_items aliased i (the account,
	// categories, discontinued), with FilterArgs; a dialect ANDs it in.
	Filter     string
	FilterArgs []any
}

// Term is one word of a full-text expression: the word, and whether it
// matches as a prefix.
type Term struct {
	Word   string
	Prefix bool
}

// Terms are the query's words as terms: the last one a prefix when the
// query says so.
func (m Match) Terms() []Term {
	out := make([]Term, len(m.Words))
	for i, w := range m.Words {
		out[i] = Term{Word: w, Prefix: m.Prefix && i == len(m.Words)-1}
	}
	return out
}

// IsFragment reports whether w is one of the query's fragment words.
func (m Match) IsFragment(w string) bool {
	for _, f := range m.Fragments {
		if f == w {
			return true
		}
	}
	return false
}

// catalogBatch bounds the rows of one IN list.
const catalogBatch = 500

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func (db *DB) PutCatalogItems(ctx context.Context, items []store.CatalogItem) error {
	for len(items) > 0 {
		n := min(len(items), catalogBatch)
		if err := db.putCatalogItems(ctx, items[:n]); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}

func (db *DB) putCatalogItems(ctx context.Context, items []store.CatalogItem) error {
	account := items[0].Account
	keys := make([]any, 0, len(items)+1)
	keys = append(keys, account)
	byKey := make(map[string]int, len(items))
	for i, it := range items {
		if it.Account != account {
			return errors.New("store catalog: items of several accounts in one call")
		}
		k := strings.ToUpper(it.SKU)
		if _, dup := byKey[k]; !dup {
			keys = append(keys, k)
		}
		byKey[k] = i // a repeated SKU: the last one wins
	}
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store catalog: %w", err)
	}
	defer tx.Rollback()

	type existing struct {
		id   int64
		hash string
	}
	have := map[string]existing{}
	rows, err := tx.QueryContext(ctx, db.Q(`SELECT sku_upper, id, hash FROM catalog_items WHERE account = ? AND sku_upper IN (`+placeholders(len(keys)-1)+`)`), keys...)
	if err != nil {
		return fmt.Errorf("store catalog: %w", err)
	}
	for rows.Next() {
		var k string
		var e existing
		if err := rows.Scan(&k, &e.id, &e.hash); err != nil {
			rows.Close()
			return err
		}
		have[k] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	now := db.Now()
	extraNames, extraExprs := db.dialect.FullText.Columns()
	var unchanged []any
	gen := items[0].Generation
	for k, i := range byKey {
		it := items[i]
		updated := now
		if !it.UpdatedAt.IsZero() {
			updated = it.UpdatedAt.UnixMicro()
		}
		e, ok := have[k]
		if ok && e.hash == it.Hash {
			unchanged = append(unchanged, e.id)
			continue
		}
		args := []any{it.SKU, it.SKUKey, it.PartKey, it.Name, it.CategoryKey, it.Brand, it.Discontinued, it.Data, it.Hash, it.Generation, updated}
		args = append(args, db.dialect.FullText.Args(it)...)
		id := e.id
		if ok {
			set := `sku = ?, sku_key = ?, part_key = ?, name = ?, category_key = ?, brand = ?, discontinued = ?, data = ?, hash = ?, generation = ?, updated_at = ?`
			for j, n := range extraNames {
				set += ", " + n + " = " + extraExprs[j]
			}
			if _, err := tx.ExecContext(ctx, db.Q(`UPDATE catalog_items SET `+set+` WHERE id = ?`), append(args, id)...); err != nil {
				return fmt.Errorf("store catalog: update %s: %w", it.SKU, err)
			}
		} else {
			cols := `account, sku_upper, sku, sku_key, part_key, name, category_key, brand, discontinued, data, hash, generation, updated_at`
			vals := `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`
			for j, n := range extraNames {
				cols += ", " + n
				vals += ", " + extraExprs[j]
			}
			if err := tx.QueryRowContext(ctx, db.Q(`INSERT INTO catalog_items (`+cols+`) VALUES (`+vals+`) RETURNING id`),
				append([]any{account, k}, args...)...).Scan(&id); err != nil {
				return fmt.Errorf("store catalog: insert %s: %w", it.SKU, err)
			}
		}
		if err := db.dialect.FullText.Index(ctx, tx, id, it, !ok); err != nil {
			return fmt.Errorf("store catalog: index %s: %w", it.SKU, err)
		}
	}
	if len(unchanged) > 0 {
		if _, err := tx.ExecContext(ctx, db.Q(`UPDATE catalog_items SET generation = ? WHERE id IN (`+placeholders(len(unchanged))+`)`),
			append([]any{gen}, unchanged...)...); err != nil {
			return fmt.Errorf("store catalog: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store catalog: %w", err)
	}
	return nil
}

func (db *DB) DeleteCatalogItemsBefore(ctx context.Context, account string, gen int64) (int64, error) {
	var total int64
	for {
		n, err := db.deleteCatalogBatch(ctx, account, gen)
		total += n
		if err != nil || n < catalogBatch {
			return total, err
		}
	}
}

// deleteCatalogBatch deletes at most catalogBatch stale items, so one
// transaction never holds the writer for long.
func (db *DB) deleteCatalogBatch(ctx context.Context, account string, gen int64) (int64, error) {
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, db.Q(`SELECT id FROM catalog_items WHERE account = ? AND generation < ? LIMIT `+fmt.Sprint(catalogBatch)), account, gen)
	if err != nil {
		return 0, fmt.Errorf("store catalog: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) == 0 {
		return 0, rows.Err()
	}
	if err := db.dialect.FullText.Unindex(ctx, tx, ids); err != nil {
		return 0, fmt.Errorf("store catalog: unindex: %w", err)
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM catalog_items WHERE id IN (`+placeholders(len(ids))+`)`), args...); err != nil {
		return 0, fmt.Errorf("store catalog: %w", err)
	}
	return int64(len(ids)), tx.Commit()
}

const itemColumns = `i.id, i.account, i.sku, i.sku_key, i.part_key, i.name, i.category_key, i.brand, i.discontinued, i.data, i.hash, i.generation, i.updated_at`

func scanItem(row interface{ Scan(...any) error }) (int64, store.CatalogItem, error) {
	var it store.CatalogItem
	var id, updated int64
	err := row.Scan(&id, &it.Account, &it.SKU, &it.SKUKey, &it.PartKey, &it.Name, &it.CategoryKey, &it.Brand, &it.Discontinued, &it.Data, &it.Hash, &it.Generation, &updated)
	it.UpdatedAt = fromMicros(updated)
	return id, it, err
}

func (db *DB) queryItems(ctx context.Context, where string, args ...any) (map[int64]store.CatalogItem, []int64, error) {
	rows, err := db.queryPrepared(ctx, `SELECT `+itemColumns+` FROM catalog_items i WHERE `+where, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store catalog: %w", err)
	}
	defer rows.Close()
	out := map[int64]store.CatalogItem{}
	var order []int64
	for rows.Next() {
		id, it, err := scanItem(rows)
		if err != nil {
			return nil, nil, err
		}
		out[id] = it
		order = append(order, id)
	}
	return out, order, rows.Err()
}

func (db *DB) GetCatalogItems(ctx context.Context, account string, skus []string) ([]store.CatalogItem, error) {
	var out []store.CatalogItem
	for len(skus) > 0 {
		n := min(len(skus), catalogBatch)
		args := []any{account}
		for _, s := range skus[:n] {
			args = append(args, strings.ToUpper(strings.TrimSpace(s)))
		}
		byID, order, err := db.queryItems(ctx, `i.account = ? AND i.sku_upper IN (`+placeholders(n)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, id := range order {
			out = append(out, byID[id])
		}
		skus = skus[n:]
	}
	return out, nil
}

func (db *DB) OptimizeCatalog(ctx context.Context) error {
	return db.dialect.FullText.Optimize(ctx, db)
}

func (db *DB) CountCatalogItems(ctx context.Context, account string) (int, error) {
	var n int
	err := db.Read.QueryRowContext(ctx, db.Q(`SELECT COUNT(*) FROM catalog_items WHERE account = ?`), account).Scan(&n)
	return n, err
}

// SearchCatalog runs the tiers in ranking order and stops once the limit
// is reached: an exact SKU or part number, every word in the name, in
// name, brand or category, anywhere, and finally words found only inside
// a SKU or part number. Each tier is one indexed query of the dialect; a
// common word therefore costs no more than the first page of its best
// tier.
func (db *DB) SearchCatalog(ctx context.Context, q store.CatalogQuery) ([]store.CatalogHit, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	filter, fargs := "i.account = ?", []any{q.Account}
	if !q.IncludeDiscontinued {
		filter += " AND i.discontinued = ?"
		fargs = append(fargs, false)
	}
	if len(q.CategoryKeys) > 0 {
		var ors []string
		for _, k := range q.CategoryKeys {
			ors = append(ors, "i.category_key = ? OR i.category_key LIKE ?")
			fargs = append(fargs, k, likeEscape(k)+"-%")
		}
		filter += " AND (" + strings.Join(ors, " OR ") + ")"
	}
	restricted := len(q.NameWords)+len(q.CodeWords)+len(q.BrandWords) > 0

	var hits []store.CatalogHit
	seen := map[int64]bool{}
	add := func(ids []int64, tier int) error {
		var fresh []int64
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				fresh = append(fresh, id)
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		args := make([]any, len(fresh))
		for i, id := range fresh {
			args[i] = id
		}
		byID, _, err := db.queryItems(ctx, `i.id IN (`+placeholders(len(fresh))+`)`, args...)
		if err != nil {
			return err
		}
		for _, id := range fresh {
			if it, ok := byID[id]; ok && len(hits) < q.Limit {
				hits = append(hits, store.CatalogHit{Item: it, Tier: tier})
			}
		}
		return nil
	}

	if q.Exact != "" && !restricted {
		// Each key through its own index: an OR of the two lets a planner
		// scan the whole account instead.
		order, err := db.QueryIDs(ctx, `SELECT i.id FROM (SELECT id FROM catalog_items WHERE account = ? AND sku_key = ?
				UNION SELECT id FROM catalog_items WHERE account = ? AND part_key = ?) x
			JOIN catalog_items i ON i.id = x.id WHERE `+filter+` LIMIT `+fmt.Sprint(q.Limit),
			append([]any{q.Account, q.Exact, q.Account, q.Exact}, fargs...)...)
		if err != nil {
			return nil, fmt.Errorf("store catalog search: %w", err)
		}
		if err := add(order, store.TierExact); err != nil {
			return nil, err
		}
		// A SKU or part number typed in full names its product: the
		// other tiers would only add products that share a piece of it.
		if len(hits) > 0 {
			return hits, nil
		}
	}
	tiers := []int{store.TierName, store.TierFacet, store.TierAny, store.TierFragment}
	if len(q.Words) == 0 {
		tiers = []int{store.TierAny} // restrictions or filters alone
	}
	for _, tier := range tiers {
		if len(hits) >= q.Limit {
			break
		}
		if tier == store.TierFragment && len(q.Fragments) == 0 {
			continue
		}
		// The last word as a whole word first, then as a prefix: a word
		// typed in full (most are) is a cheap streamed match that fills the
		// page, where a prefix gathers every word it begins, all their
		// matches, before the first one is returned.
		for _, prefix := range prefixPasses(q.Prefix) {
			if len(hits) >= q.Limit {
				break
			}
			m := Match{CatalogQuery: q, Tier: tier, Filter: filter, FilterArgs: fargs}
			m.Prefix = prefix
			// Ask for what is left plus what was already found, since this
			// query matches those too.
			m.Limit = q.Limit - len(hits) + len(seen)
			ids, err := db.dialect.FullText.Match(ctx, db, m)
			if err != nil {
				return nil, fmt.Errorf("store catalog search: %w", err)
			}
			if err := add(ids, tier); err != nil {
				return nil, err
			}
		}
	}
	return hits, nil
}

func prefixPasses(prefix bool) []bool {
	if prefix {
		return []bool{false, true}
	}
	return []bool{false}
}

// QueryIDs runs a query (? placeholders) on the readers that selects one
// integer column: the ids of catalog items.
func (db *DB) QueryIDs(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := db.queryPrepared(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// likeEscape escapes LIKE's wildcards in a literal prefix.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// --- sync state ---

const syncColumns = `account, distributor, generation, full_running, cursors, done, expected, full_started, last_full,
	last_incremental, changed_since, last_error, last_error_at, updated_at`

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func timeOf(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return fromMicros(us)
}

func scanState(row interface{ Scan(...any) error }) (store.CatalogState, error) {
	var st store.CatalogState
	var cursors string
	var started, full, inc, since, errAt, updated int64
	if err := row.Scan(&st.Account, &st.Distributor, &st.Generation, &st.FullRunning, &cursors, &st.Done, &st.Expected,
		&started, &full, &inc, &since, &st.LastError, &errAt, &updated); err != nil {
		return st, err
	}
	st.FullStarted, st.LastFull, st.LastIncremental, st.ChangedSince = timeOf(started), timeOf(full), timeOf(inc), timeOf(since)
	st.LastErrorAt, st.UpdatedAt = timeOf(errAt), timeOf(updated)
	if err := json.Unmarshal([]byte(cursors), &st.Cursors); err != nil {
		return st, fmt.Errorf("catalog state of %s: cursors: %w", st.Account, err)
	}
	return st, nil
}

func (db *DB) GetCatalogState(ctx context.Context, account string) (store.CatalogState, error) {
	st, err := scanState(db.Read.QueryRowContext(ctx, db.Q(`SELECT `+syncColumns+` FROM catalog_sync WHERE account = ?`), account))
	if errors.Is(err, sql.ErrNoRows) {
		return st, store.ErrNotFound
	}
	return st, err
}

func (db *DB) ListCatalogStates(ctx context.Context) ([]store.CatalogState, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT `+syncColumns+` FROM catalog_sync ORDER BY account`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.CatalogState
	for rows.Next() {
		st, err := scanState(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

func (db *DB) LeaseCatalog(ctx context.Context, account, owner string, until time.Time) (bool, error) {
	now := db.Now()
	res, err := db.Write.ExecContext(ctx, db.Q(`INSERT INTO catalog_sync (account, lease_owner, lease_until, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
		WHERE catalog_sync.lease_owner = excluded.lease_owner OR catalog_sync.lease_until < ?`),
		account, owner, until.UnixMicro(), now, now)
	return affectedOne(res, err, "lease catalog")
}

func (db *DB) ReleaseCatalog(ctx context.Context, account, owner string) error {
	_, err := db.Write.ExecContext(ctx, db.Q(`UPDATE catalog_sync SET lease_until = 0 WHERE account = ? AND lease_owner = ?`), account, owner)
	return err
}

func (db *DB) PutCatalogState(ctx context.Context, st store.CatalogState, owner string) (bool, error) {
	cursors, err := json.Marshal(st.Cursors)
	if err != nil {
		return false, err
	}
	if st.Cursors == nil {
		cursors = []byte("{}")
	}
	res, err := db.Write.ExecContext(ctx, db.Q(`UPDATE catalog_sync SET distributor = ?, generation = ?, full_running = ?, cursors = ?,
			done = ?, expected = ?, full_started = ?, last_full = ?, last_incremental = ?, changed_since = ?,
			last_error = ?, last_error_at = ?, updated_at = ?
		WHERE account = ? AND lease_owner = ?`),
		st.Distributor, st.Generation, st.FullRunning, string(cursors), st.Done, st.Expected, micros(st.FullStarted), micros(st.LastFull),
		micros(st.LastIncremental), micros(st.ChangedSince), st.LastError, micros(st.LastErrorAt), db.Now(), st.Account, owner)
	return affectedOne(res, err, "store catalog state")
}
