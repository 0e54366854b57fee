package store

import (
	"context"
	"time"
)

// CatalogItem is one product of a distributor account's catalog as the
// catalog sync stores it. The store keeps Data as it is given (the
// adapter's product record) and indexes Text; it reads neither.
type CatalogItem struct {
	Account string // the distributor account's short id
	SKU     string // the distributor's id, as it spells it
	// SKUKey and PartKey are the folded SKU and manufacturer part number
	// (lower case, letters and digits only): a query equal to either ranks
	// first.
	SKUKey, PartKey string
	Name            string
	CategoryKey     string // hierarchical ("100-30-1"): a category filter matches it and everything under it
	Brand           string
	Discontinued    bool
	Data            []byte
	// Hash identifies Data and Text: an unchanged item is not rewritten.
	Hash string
	Text CatalogText
	// Generation is the full sync that last listed the item.
	Generation int64
	UpdatedAt  time.Time
}

// CatalogText is what the full-text index matches, as normalised tokens
// joined by single spaces (internal/catalog makes them): a field group per
// member, in ranking order.
type CatalogText struct {
	Codes    string // SKU and part number, whole and in parts
	Name     string
	Brand    string // brand and manufacturer
	Category string // category path
	Body     string // description, specifications, barcode
}

// CatalogQuery is one index search of one account.
type CatalogQuery struct {
	Account string
	// Words must all match, each in any field group; the last one as a
	// prefix when Prefix is set. Normalised tokens.
	Words  []string
	Prefix bool
	// Fragments are the Words that may also match inside a SKU or part
	// number ("447h" in "e2447h").
	Fragments []string
	// Exact is the folded form of the whole input when it could be a SKU
	// or part number.
	Exact string
	// Field restrictions (advanced search): every word must match in that
	// field group; CategoryKeys: the item's category is one of them or
	// under one.
	NameWords, CodeWords, BrandWords []string
	CategoryKeys                     []string
	// IncludeDiscontinued lists discontinued items too.
	IncludeDiscontinued bool
	Limit               int
}

// Search tiers, best first (the ranking of CatalogHit.Tier).
const (
	TierExact    = 0 // SKU or part number equals the input
	TierName     = 1 // every word in the name
	TierFacet    = 2 // every word in name, brand or category
	TierAny      = 3 // every word somewhere
	TierFragment = 4 // some words only inside a SKU or part number
)

// CatalogHit is one search result.
type CatalogHit struct {
	Item CatalogItem // without Text
	Tier int
}

// CatalogState is where one account's catalog sync stands. It outlives the
// process: a restart resumes a full sync at its cursors.
type CatalogState struct {
	Account     string
	Distributor string
	// Generation numbers full syncs. While FullRunning, it is the running
	// sync's; else the last completed one's (0: none yet).
	Generation  int64
	FullRunning bool
	// Cursors is where each partition of the running full sync stands: the
	// last item stored, or CursorDone.
	Cursors map[string]string
	// Done counts the items the running full sync has stored; Expected is
	// the previous complete sync's count (0 when unknown).
	Done, Expected int
	// FullStarted is when the running (or last) full sync started;
	// LastFull when the last one completed (zero: never, so the catalog is
	// not ready); LastIncremental when the last incremental update
	// completed; ChangedSince is the DateFrom of the next incremental
	// update.
	FullStarted, LastFull, LastIncremental, ChangedSince time.Time
	LastError                                            string
	LastErrorAt                                          time.Time
	UpdatedAt                                            time.Time
}

// CursorDone marks a finished partition in CatalogState.Cursors.
const CursorDone = "\x00done"

// Catalog stores distributor catalogs, their full-text index and the
// state of their syncs.
type Catalog interface {
	// PutCatalogItems stores items of one account (all Account equal):
	// new and changed ones (by Hash) are written and indexed, unchanged
	// ones only get the Generation.
	PutCatalogItems(ctx context.Context, items []CatalogItem) error
	// DeleteCatalogItemsBefore removes an account's items whose Generation
	// is below gen (no longer listed by a complete full sync).
	DeleteCatalogItemsBefore(ctx context.Context, account string, gen int64) (int64, error)
	// GetCatalogItems returns the account's items with the SKUs (case
	// folded), in no particular order; unknown ones are left out.
	GetCatalogItems(ctx context.Context, account string, skus []string) ([]CatalogItem, error)
	// CountCatalogItems counts an account's items.
	CountCatalogItems(ctx context.Context, account string) (int, error)
	// OptimizeCatalog tidies the index after a full sync wrote most of it
	// (merges SQLite's FTS5 segments; refreshes PostgreSQL's statistics).
	OptimizeCatalog(ctx context.Context) error
	// SearchCatalog returns at most q.Limit hits, best tier first.
	SearchCatalog(ctx context.Context, q CatalogQuery) ([]CatalogHit, error)

	// GetCatalogState returns ErrNotFound for an account never synced.
	GetCatalogState(ctx context.Context, account string) (CatalogState, error)
	// ListCatalogStates returns every account's state.
	ListCatalogStates(ctx context.Context) ([]CatalogState, error)
	// LeaseCatalog makes owner the account's one syncer until until, if no
	// other owner holds an unexpired lease; it reports whether owner holds
	// it. Holding it, owner extends it by calling again.
	LeaseCatalog(ctx context.Context, account, owner string, until time.Time) (bool, error)
	// ReleaseCatalog ends owner's lease early.
	ReleaseCatalog(ctx context.Context, account, owner string) error
	// PutCatalogState stores the state if owner holds the account's lease
	// and reports whether it did.
	PutCatalogState(ctx context.Context, st CatalogState, owner string) (bool, error)
}
