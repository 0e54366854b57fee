package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/sqlstore"
)

// fullText is the catalog index in FTS5 (migration 00002): catalog_fts
// holds each item's normalised words by field group; catalog_codes holds
// the folded SKU and part number as trigrams for fragments. Both are contentless: rows are written and
// deleted by the item's id.
type fullText struct{}

var _ sqlstore.FullText = fullText{}

func (fullText) Columns() (names, exprs []string) { return nil, nil }

func (fullText) Args(store.CatalogItem) []any { return nil }

func (fullText) Index(ctx context.Context, tx *sql.Tx, id int64, it store.CatalogItem, fresh bool) error {
	verb := "INSERT OR REPLACE"
	if fresh {
		verb = "INSERT"
	}
	t := it.Text
	if _, err := tx.ExecContext(ctx, verb+` INTO catalog_fts (rowid, codes, name, brand, category, body) VALUES (?, ?, ?, ?, ?, ?)`,
		id, t.Codes, t.Name, t.Brand, t.Category, t.Body); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, verb+` INTO catalog_codes (rowid, codes) VALUES (?, ?)`, id, it.SKUKey+" "+it.PartKey)
	return err
}

func (fullText) Unindex(ctx context.Context, tx *sql.Tx, ids []int64) error {
	for _, table := range []string{"catalog_fts", "catalog_codes"} {
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE rowid IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+`)`, args...); err != nil {
			return err
		}
	}
	return nil
}

// Optimize merges each FTS5 table's segments into one: a sync writes it in
// many small transactions, and every segment is one more place a query
// looks.
func (fullText) Optimize(ctx context.Context, db *sqlstore.DB) error {
	for _, t := range []string{"catalog_fts", "catalog_codes"} {
		if _, err := db.Write.ExecContext(ctx, `INSERT INTO `+t+` (`+t+`) VALUES ('optimize')`); err != nil {
			return fmt.Errorf("optimize %s: %w", t, err)
		}
	}
	// Statistics, so the planner knows an account holds many rows and a
	// key few.
	_, err := db.Write.ExecContext(ctx, `ANALYZE catalog_items`)
	return err
}

// Column groups of catalog_fts by tier.
const (
	scopeName  = "{name}"
	scopeFacet = "{name brand category}"
	scopeAny   = "{codes name brand category body}"
)

// phrase quotes a normalised word for an FTS5 expression; the words hold
// only letters, digits and '.', so quoting is all they need.
func phrase(t sqlstore.Term) string {
	if t.Prefix {
		return `"` + t.Word + `"*`
	}
	return `"` + t.Word + `"`
}

func group(scope string, ts []sqlstore.Term) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = phrase(t)
	}
	return scope + " : (" + strings.Join(parts, " AND ") + ")"
}

func terms(words []string, prefixLast bool) []sqlstore.Term {
	out := make([]sqlstore.Term, len(words))
	for i, w := range words {
		out[i] = sqlstore.Term{Word: w, Prefix: prefixLast && i == len(words)-1}
	}
	return out
}

// restrictions are the field restrictions of advanced search, as FTS5
// groups: code words match as prefixes (a part number is typed from its
// start), name and brand words exactly but the last.
func restrictions(m sqlstore.Match) []string {
	var out []string
	if len(m.NameWords) > 0 {
		out = append(out, group(scopeName, terms(m.NameWords, true)))
	}
	if len(m.CodeWords) > 0 {
		ts := terms(m.CodeWords, true)
		for i := range ts {
			ts[i].Prefix = true
		}
		out = append(out, group("{codes}", ts))
	}
	if len(m.BrandWords) > 0 {
		out = append(out, group("{brand}", terms(m.BrandWords, true)))
	}
	return out
}

func (fullText) Match(ctx context.Context, db *sqlstore.DB, m sqlstore.Match) ([]int64, error) {
	if m.Tier == store.TierFragment {
		return matchFragments(ctx, db, m)
	}
	// The account is checked on the joined row (m.Filter), not as a token:
	// ANDing a term every item of the account has doubles the cost of a
	// match, and the join sees only matching rows anyway.
	expr := restrictions(m)
	if ts := m.Terms(); len(ts) > 0 {
		scope := scopeAny
		switch m.Tier {
		case store.TierName:
			scope = scopeName
		case store.TierFacet:
			scope = scopeFacet
		}
		expr = append(expr, group(scope, ts))
	}
	if len(expr) == 0 { // categories alone: no words to match
		return db.QueryIDs(ctx, `SELECT i.id FROM catalog_items i WHERE `+m.Filter+` LIMIT ?`, append(m.FilterArgs, m.Limit)...)
	}
	// CROSS JOIN keeps the index as the outer loop, and no ORDER BY lets
	// LIMIT stop at the first page: ranking every match of a common word
	// (bm25 over thousands of rows) would cost more than the whole target.
	// The tier is the ranking; within it, the catalog's order.
	q := `SELECT f.rowid FROM catalog_fts f CROSS JOIN catalog_items i ON i.id = f.rowid
		WHERE catalog_fts MATCH ? AND ` + m.Filter + ` LIMIT ?`
	args := append([]any{strings.Join(expr, " AND ")}, m.FilterArgs...)
	return db.QueryIDs(ctx, q, append(args, m.Limit)...)
}

// matchFragments finds items where some word is only a fragment of a SKU
// or part number: driven by the trigram index for one fragment word at a
// time, every other word matching anywhere or as a fragment too.
func matchFragments(ctx context.Context, db *sqlstore.DB, m sqlstore.Match) ([]int64, error) {
	var out []int64
	seen := map[int64]bool{}
	for _, frag := range m.Fragments {
		if len(out) >= m.Limit {
			break
		}
		q := `SELECT i.id FROM catalog_codes c CROSS JOIN catalog_items i ON i.id = c.rowid WHERE catalog_codes MATCH ? AND ` + m.Filter
		args := append([]any{`"` + frag + `"`}, m.FilterArgs...)
		fts := restrictions(m)
		for i, t := range m.Terms() {
			if t.Word == frag {
				continue
			}
			if !m.IsFragment(t.Word) {
				fts = append(fts, group(scopeAny, []sqlstore.Term{t}))
				continue
			}
			q += ` AND (i.id IN (SELECT rowid FROM catalog_fts WHERE catalog_fts MATCH ?) OR i.id IN (SELECT rowid FROM catalog_codes WHERE catalog_codes MATCH ?))`
			args = append(args, group(scopeAny, m.Terms()[i:i+1]), `"`+t.Word+`"`)
		}
		if len(fts) > 0 {
			q += ` AND i.id IN (SELECT rowid FROM catalog_fts WHERE catalog_fts MATCH ?)`
			args = append(args, strings.Join(fts, " AND "))
		}
		got, err := db.QueryIDs(ctx, q+` LIMIT ?`, append(args, m.Limit)...)
		if err != nil {
			return nil, err
		}
		for _, id := range got {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out, nil
}
