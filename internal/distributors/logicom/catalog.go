package logicom

import (
	"context"
	"strings"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/catalog"
	"github.com/quoteconnector/quoteconnector/internal/distributors"
)

// GetProducts has no text filter (distributors.md → Calls used), so the
// service keeps each account's catalog in its store and searches it there
// (internal/catalog). This file is what the catalog needs from Logicom: a
// way to list an account's products.

// lister lists one account's catalog: one partition per top-level
// category of GetProductCategories (the Category filter includes
// everything under it, distributors.md → Decided details), each paged
// with PreviousItemNo, ten items a page; DateFrom/DateTo for incremental
// updates. Its calls share the account's access token (one a minute).
type lister struct{ c *Client }

var _ catalog.Lister = lister{}

func (l lister) Partitions(ctx context.Context) ([]string, error) {
	ctx, cancel := l.c.withTimeout(ctx)
	defer cancel()
	cats, err := l.c.categories(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range cats {
		if !strings.Contains(k.Path, " / ") {
			out = append(out, k.ID)
		}
	}
	return out, nil
}

func (l lister) Page(ctx context.Context, part, cursor string, w catalog.Window) ([]distributors.Product, string, error) {
	ctx, cancel := l.c.withTimeout(ctx)
	defer cancel()
	cats, _ := l.c.categories(ctx) // names only; a failure leaves them plain
	f := productFilter{Category: part, Previous: cursor, DateFrom: w.From, DateTo: w.To}
	ws, next, err := l.c.getProducts(ctx, f)
	if err != nil && cursor != "" && distributors.KindOf(err) == distributors.KindNotFound {
		// The item a resumed sync stopped at has left the catalog since:
		// PreviousItemNo no longer finds it, so list the partition again
		// from its start (storing is idempotent).
		f.Previous = ""
		ws, next, err = l.c.getProducts(ctx, f)
	}
	if err != nil {
		return nil, "", err
	}
	ps := make([]distributors.Product, len(ws))
	for i, w := range ws {
		ps[i] = toProduct(w, cats)
	}
	return ps, next, nil
}

// SyncCatalog registers the connection's account with the catalog, so it
// is synced before anyone searches it (the service does this at start for
// every stored connection and the sandbox's). Settings that cannot build a
// client are returned as its error. s is the connection's Settings
// (distributors.CatalogSyncer).
func (f *Factory) SyncCatalog(s any) error { return f.syncCatalog(s.(Settings)) }

func (f *Factory) syncCatalog(s Settings) error {
	if f.o.Catalog == nil || !s.Enabled {
		return nil
	}
	cl, err := f.NewClient(s)
	if err != nil {
		return err
	}
	cl.register()
	return nil
}

// register makes the catalog keep this account in sync (cheap when it
// already does; the latest credentials win).
func (c *Client) register() {
	if cat := c.f.o.Catalog; cat != nil {
		cat.Register(Name, c.account, lister{c}, c.s.SyncConcurrency)
	}
}

// indexed reports whether this account's products come from the catalog:
// it is synced at least once. Until then the live methods answer, and a
// search says so in the log.
func (c *Client) indexed(ctx context.Context, search bool) bool {
	cat := c.f.o.Catalog
	if cat == nil {
		return false
	}
	c.register()
	if cat.Ready(c.account) {
		return true
	}
	if search {
		zerolog.Ctx(ctx).Info().Str("distributor", Name).Str("account", c.account).
			Msg("Logicom catalog still syncing: searching live with GetProducts until the first sync completes")
	}
	return false
}

// searchIndex is Search over the synced catalog: no GetProducts call.
func (c *Client) searchIndex(ctx context.Context, q distributors.Query, limit int) ([]distributors.Product, error) {
	text := q.Text
	if strings.Trim(text, "%* ") == "" {
		text = ""
	}
	return c.f.o.Catalog.Search(ctx, c.account, catalog.Query{Text: text, Name: q.Name, Code: q.Code,
		Supplier: q.Supplier, Categories: q.Categories, Limit: limit})
}
