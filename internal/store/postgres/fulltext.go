package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/sqlstore"
)

// fullText is the catalog index in PostgreSQL (migration 00002): the
// column doc holds the item's normalised words as a tsvector under a GIN
// index, weighted by field group (A codes, B name, C brand and category, D
// the rest); codes holds the folded SKU and part number under a pg_trgm
// GIN index, for fragments. Both are written with the row.
type fullText struct{}

var _ sqlstore.FullText = fullText{}

func (fullText) Columns() (names, exprs []string) {
	return []string{"doc", "codes"}, []string{"?::tsvector", "?"}
}

func (fullText) Args(it store.CatalogItem) []any {
	t := it.Text
	return []any{tsvector(t.Codes, t.Name, t.Brand+" "+t.Category, t.Body), it.SKUKey + " " + it.PartKey}
}

// tsvector writes the item's words as a tsvector literal, each at a
// position of its own with its group's weight (A codes, B name, C brand
// and category, D the rest). The words arrive normalised
// (internal/catalog) and hold only letters, digits and '.', so they are
// taken as they are rather than through a text search configuration's
// parser; positions are what weights attach to.
func tsvector(groups ...string) string {
	var b strings.Builder
	pos := 0
	for g, text := range groups {
		w := "ABCD"[g]
		for _, tok := range strings.Fields(text) {
			if pos < 16383 { // PostgreSQL's highest position
				pos++
			}
			fmt.Fprintf(&b, "'%s':%d%c ", tok, pos, w)
		}
	}
	return b.String()
}

// Optimize moves the GIN indexes' pending entries (fast updates, which a
// query reads one by one) into the index proper and refreshes the
// planner's statistics after a bulk load.
func (fullText) Optimize(ctx context.Context, db *sqlstore.DB) error {
	for _, q := range []string{
		`SELECT gin_clean_pending_list('catalog_items_doc'::regclass)`,
		`SELECT gin_clean_pending_list('catalog_items_codes'::regclass)`,
		`ANALYZE catalog_items`,
	} {
		if _, err := db.Write.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func (fullText) Index(context.Context, *sql.Tx, int64, store.CatalogItem, bool) error { return nil }

func (fullText) Unindex(context.Context, *sql.Tx, []int64) error { return nil }

// lexeme writes a term of a tsquery literal restricted to weights (""
// means any). Words hold only letters, digits and '.', so quoting is all
// they need.
func lexeme(t sqlstore.Term, weights string) string {
	s := "'" + t.Word + "'"
	if t.Prefix || weights != "" {
		s += ":"
	}
	if t.Prefix {
		s += "*"
	}
	return s + weights
}

func conj(ts []sqlstore.Term, weights string) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = lexeme(t, weights)
	}
	return strings.Join(parts, " & ")
}

func terms(words []string, prefixLast, prefixAll bool) []sqlstore.Term {
	out := make([]sqlstore.Term, len(words))
	for i, w := range words {
		out[i] = sqlstore.Term{Word: w, Prefix: prefixAll || (prefixLast && i == len(words)-1)}
	}
	return out
}

// restrictions are the field restrictions of advanced search as tsquery
// parts; brand words share weight C with the category (PostgreSQL has four
// weights): the engine checks the field itself afterwards.
func restrictions(m sqlstore.Match) []string {
	var out []string
	if len(m.NameWords) > 0 {
		out = append(out, conj(terms(m.NameWords, true, false), "B"))
	}
	if len(m.CodeWords) > 0 {
		out = append(out, conj(terms(m.CodeWords, true, true), "A"))
	}
	if len(m.BrandWords) > 0 {
		out = append(out, conj(terms(m.BrandWords, true, false), "C"))
	}
	return out
}

// Match runs one tier. Within a tier the order is the table's: ranking
// every match of a common word (ts_rank reads each one's tsvector) would
// cost a visit of thousands of rows, where LIMIT lets the scan stop at the
// first page.
func (fullText) Match(ctx context.Context, db *sqlstore.DB, m sqlstore.Match) ([]int64, error) {
	weights := ""
	switch m.Tier {
	case store.TierName:
		weights = "B"
	case store.TierFacet:
		weights = "BC"
	}
	where, args := m.Filter, append([]any(nil), m.FilterArgs...)
	if m.Tier != store.TierFragment {
		parts := restrictions(m)
		if ts := m.Terms(); len(ts) > 0 {
			parts = append(parts, conj(ts, weights))
		}
		if len(parts) > 0 {
			where += ` AND i.doc @@ ?::tsquery`
			args = append(args, strings.Join(parts, " & "))
		}
		return db.QueryIDs(ctx, `SELECT i.id FROM catalog_items i WHERE `+where+` LIMIT ?`, append(args, m.Limit)...)
	}
	// Fragments: every word matches anywhere or inside the codes, and at
	// least one only inside them (else a higher tier had it).
	var anyFrag []string
	var fragArgs []any
	if parts := restrictions(m); len(parts) > 0 {
		where += ` AND i.doc @@ ?::tsquery`
		args = append(args, strings.Join(parts, " & "))
	}
	for _, t := range m.Terms() {
		if !m.IsFragment(t.Word) {
			where += ` AND i.doc @@ ?::tsquery`
			args = append(args, lexeme(t, ""))
			continue
		}
		where += ` AND (i.doc @@ ?::tsquery OR i.codes LIKE ?)`
		args = append(args, lexeme(t, ""), "%"+t.Word+"%")
		anyFrag = append(anyFrag, "i.codes LIKE ?")
		fragArgs = append(fragArgs, "%"+t.Word+"%")
	}
	if len(anyFrag) == 0 {
		return nil, nil
	}
	where += ` AND (` + strings.Join(anyFrag, " OR ") + `)`
	args = append(args, fragArgs...)
	return db.QueryIDs(ctx, `SELECT i.id FROM catalog_items i WHERE `+where+` LIMIT ?`, append(args, m.Limit)...)
}
