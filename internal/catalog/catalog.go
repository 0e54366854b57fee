// Package catalog keeps the catalogs of distributors whose APIs cannot
// search text (Logicom) in the store, in sync, and searchable: per
// distributor account, a full sync pages through the distributor's listing
// with bounded concurrency and resumes after a restart where it stopped;
// incremental updates fetch what changed in between; a full re-sync every
// Refresh also removes what is no longer listed. With several replicas, a
// lease in the store makes one of them sync each account; all of them
// search the result.
//
// The package knows no distributor: an adapter gives it a Lister and reads
// its products back in the neutral distributors types (design.md:
// distributors/logicom → catalog → store).
package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/store"
)

// Window limits a listing to products changed between From and To; the
// zero Window lists everything.
type Window struct{ From, To time.Time }

// IsZero reports whether the window lists everything.
func (w Window) IsZero() bool { return w.From.IsZero() && w.To.IsZero() }

// Lister lists one account's catalog at its distributor. Its methods are
// called concurrently.
type Lister interface {
	// Partitions splits the full listing into parts that are paged
	// independently and concurrently (categories, say); nil or one ""
	// means one part. Every product must be in exactly one part.
	Partitions(ctx context.Context) ([]string, error)
	// Page returns the products of part after cursor ("" = from the
	// start), limited to the window, and the cursor of the next page (""
	// after the last page). Products carry no Offer.
	Page(ctx context.Context, part, cursor string, w Window) (ps []distributors.Product, next string, err error)
}

// Observer receives the sync's figures (Prometheus).
type Observer interface {
	// CatalogItems: the account's catalog holds n items.
	CatalogItems(distributor, account string, n int)
	// CatalogProgress: the running full sync is at ratio (0..1) of the
	// items expected; 1 when none runs.
	CatalogProgress(distributor, account string, ratio float64)
	// CatalogSynced: a sync (full or incremental) completed at t and
	// stored n items.
	CatalogSynced(distributor, account, kind string, t time.Time, n int)
	// CatalogFailed: a sync of kind failed.
	CatalogFailed(distributor, account, kind string)
	// CatalogLoaded: the store already held the account's catalog when
	// this process first looked (n items, synced at lastFull and
	// lastIncremental, either zero when never).
	CatalogLoaded(distributor, account string, n int, lastFull, lastIncremental time.Time)
}

// Options configure a Catalog.
type Options struct {
	Store store.Catalog
	// Owner names this instance in leases.
	Owner string
	// Refresh is the full re-sync interval (QC_CATALOG_REFRESH, 24h).
	Refresh time.Duration
	// Incremental is the interval of incremental updates between full
	// syncs (default Refresh/24, at least a minute).
	Incremental time.Duration
	// Lease is how long a sync holds an account without renewing (default
	// 2 minutes); a replica that died mid-sync is taken over after it.
	Lease time.Duration
	// Retry is the pause after a failed sync (default 1 minute).
	Retry time.Duration
	// Batch is the number of products written to the store at a time
	// (default 100); a restart re-lists at most this many per partition.
	Batch    int
	Logger   zerolog.Logger
	Observer Observer // may be nil
	Now      func() time.Time
}

// Catalog is the synced catalogs of every account registered with it. It
// is safe for concurrent use.
type Catalog struct {
	o Options

	mu      sync.Mutex
	ctx     context.Context // set by Start
	wg      sync.WaitGroup
	jobs    map[string]*job // by account
	pending []*job          // registered before Start

	// decoded holds products already decoded from their stored form, by
	// the item's Hash (which covers its Data): a search decodes only what
	// it has not seen, since decoding was a third of a search's CPU.
	decoded *lru.Cache[string, distributors.Product]
}

// decodedCacheSize bounds the decoded products kept (about 1 kB each).
const decodedCacheSize = 4096

// New returns a catalog; Start runs its syncs.
func New(o Options) *Catalog {
	if o.Refresh <= 0 {
		o.Refresh = 24 * time.Hour
	}
	if o.Incremental <= 0 {
		o.Incremental = max(o.Refresh/24, time.Minute)
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.Retry <= 0 {
		o.Retry = time.Minute
	}
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	decoded, _ := lru.New[string, distributors.Product](decodedCacheSize) // errors only on a size ≤ 0
	return &Catalog{o: o, jobs: map[string]*job{}, decoded: decoded}
}

// DefaultConcurrency is the default of logicom.syncConcurrency.
const DefaultConcurrency = 4

// MaxConcurrency bounds a connection's sync concurrency.
const MaxConcurrency = 16

// Register makes the catalog keep account's products in sync through l,
// paging at most concurrency partitions at once. The latest registration
// of an account wins (its credentials are the freshest); registering again
// is cheap, so adapters register on every use.
func (c *Catalog) Register(distributor, account string, l Lister, concurrency int) {
	if concurrency <= 0 {
		concurrency = DefaultConcurrency
	}
	concurrency = min(concurrency, MaxConcurrency)
	c.mu.Lock()
	defer c.mu.Unlock()
	if j, ok := c.jobs[account]; ok {
		j.setLister(l, concurrency)
		return
	}
	j := &job{c: c, distributor: distributor, account: account, lister: l, concurrency: concurrency,
		log: c.o.Logger.With().Str("distributor", distributor).Str("account", account).Logger()}
	c.jobs[account] = j
	if c.ctx != nil {
		c.launch(j)
	} else {
		c.pending = append(c.pending, j)
	}
}

// Start runs the syncs of the registered accounts (and of those registered
// later) until ctx ends; Wait waits for them to stop.
func (c *Catalog) Start(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ctx = ctx
	for _, j := range c.pending {
		c.launch(j)
	}
	c.pending = nil
}

func (c *Catalog) launch(j *job) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		j.loop(c.ctx)
	}()
}

// Wait blocks until every sync stopped after Start's context ended.
func (c *Catalog) Wait() { c.wg.Wait() }

func (c *Catalog) job(account string) *job {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.jobs[account]
}

// Ready reports whether the account's catalog is complete enough to search:
// a full sync completed once (here or on another replica). Until then the
// adapter answers as it did before it had a catalog.
func (c *Catalog) Ready(account string) bool {
	j := c.job(account)
	return j != nil && j.ready()
}

// Sync kinds.
const (
	KindFull        = "full"
	KindIncremental = "incremental"
)

// SyncNow runs a sync of the account now, in the caller's goroutine
// (tests, the operator console): kind "" runs what is due (resumes or
// starts a full sync, or an incremental update, or nothing), KindFull a
// full sync (resuming one that was interrupted), KindIncremental an
// incremental update. It fails when another replica holds the account.
func (c *Catalog) SyncNow(ctx context.Context, account, kind string) error {
	j := c.job(account)
	if j == nil {
		return fmt.Errorf("catalog: account %s is not registered", account)
	}
	_, err := j.step(ctx, kind)
	return err
}

// Query is a catalog search.
type Query struct {
	// Text is the user's words: every one must match, the last as a prefix.
	Text string
	// Name, Code and Supplier restrict words to a field; Categories to
	// categories (and those under them). Advanced search.
	Name, Code, Supplier string
	Categories           []string
	Limit                int
}

// Search finds products of the account, best first (store.CatalogHit
// tiers). Products carry no Offer.
func (c *Catalog) Search(ctx context.Context, account string, q Query) ([]distributors.Product, error) {
	sq := BuildQuery(account, q)
	hits, err := c.o.Store.SearchCatalog(ctx, sq)
	if err != nil {
		return nil, err
	}
	out := make([]distributors.Product, 0, len(hits))
	for _, h := range hits {
		p, err := c.decode(h.Item)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// BuildQuery turns a Query into the store's form (benchmarks use it to
// time the index alone).
func BuildQuery(account string, q Query) store.CatalogQuery {
	text := strings.TrimSpace(strings.NewReplacer("%", " ", "*", " ").Replace(q.Text))
	sq := store.CatalogQuery{Account: account, Words: Words(text), Limit: q.Limit,
		NameWords: Words(q.Name), CodeWords: codeQuery(q.Code), BrandWords: Words(q.Supplier), CategoryKeys: q.Categories}
	// The last word is a prefix unless the user closed it with a space; a
	// single character alone is not (it would match a good part of the
	// index), after other words it is ("pro mini 400 g" finds the G9).
	sq.Prefix = len(sq.Words) > 0 && !strings.HasSuffix(q.Text, " ") &&
		(len(sq.Words) > 1 || len(sq.Words[0]) > 1)
	// A lone digit being typed after other words ("zenbook 1") begins
	// half the numbers of the catalog: it narrows nothing and costs a
	// scan of them all, so the words before it decide.
	if last := len(sq.Words) - 1; sq.Prefix && last > 0 && len(sq.Words[last]) == 1 && sq.Words[last][0] >= '0' && sq.Words[last][0] <= '9' {
		sq.Words = sq.Words[:last]
	}
	if text != "" && !strings.ContainsAny(text, " \t") {
		sq.Exact = Key(text)
	}
	// A fragment has a digit and four characters at least: shorter ones
	// ("400", "g9") are inside thousands of codes and tell nothing.
	for _, w := range sq.Words {
		if len(w) >= 4 && strings.ContainsAny(w, "0123456789") {
			sq.Fragments = append(sq.Fragments, w)
		}
	}
	return sq
}

// codeQuery are the words of a code restriction: a code is matched by its
// parts and key, unstemmed.
func codeQuery(code string) []string {
	code = strings.TrimSpace(strings.Trim(code, "%* "))
	if code == "" {
		return nil
	}
	return []string{Key(code)}
}

// Products returns the account's products with the ids, by upper-case id;
// unknown ids are left out.
func (c *Catalog) Products(ctx context.Context, account string, ids []string) (map[string]distributors.Product, error) {
	items, err := c.o.Store.GetCatalogItems(ctx, account, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]distributors.Product, len(items))
	for _, it := range items {
		p, err := c.decode(it)
		if err != nil {
			return nil, err
		}
		out[strings.ToUpper(p.ID)] = p
	}
	return out, nil
}

// decode reads a stored product, from the cache of decoded ones when its
// Hash was seen. The caller gets its own slices: whatever it changes stays
// out of the cache.
func (c *Catalog) decode(it store.CatalogItem) (distributors.Product, error) {
	if it.Hash != "" {
		if p, ok := c.decoded.Get(it.Hash); ok {
			return own(p), nil
		}
	}
	var p distributors.Product
	// JSON v2 reads the stored form (written by encoding/json with the
	// same field names) at twice v1's speed with a third of the
	// allocations.
	if err := jsonv2.Unmarshal(it.Data, &p); err != nil {
		return p, fmt.Errorf("catalog item %s: %w", it.SKU, err)
	}
	if it.Hash != "" {
		c.decoded.Add(it.Hash, own(p))
	}
	return p, nil
}

// own is p with slices and pointers of its own.
func own(p distributors.Product) distributors.Product {
	p.Images = slices.Clone(p.Images)
	p.Specifications = slices.Clone(p.Specifications)
	p.Links = slices.Clone(p.Links)
	p.Variants = slices.Clone(p.Variants)
	if p.Subscription != nil {
		sub := *p.Subscription
		p.Subscription = &sub
	}
	return p
}

// item is the stored form of a product.
func item(account string, gen int64, p distributors.Product) (store.CatalogItem, error) {
	p.Offer = nil
	data, err := json.Marshal(p)
	if err != nil {
		return store.CatalogItem{}, err
	}
	var body []string
	body = append(body, p.Description, p.Barcode, p.ProductType)
	for _, s := range p.Specifications {
		body = append(body, s.Name, s.Value)
	}
	text := store.CatalogText{
		Codes:    strings.Join(codeWords(p.ID, p.PartNumber), " "),
		Name:     strings.Join(indexWords(p.Name), " "),
		Brand:    strings.Join(indexWords(p.Brand+" "+p.Manufacturer), " "),
		Category: strings.Join(indexWords(p.CategoryName), " "),
		Body:     strings.Join(indexWords(strings.Join(body, " ")), " "),
	}
	h := sha256.New()
	h.Write([]byte(textVersion))
	h.Write(data)
	return store.CatalogItem{
		Account: account, SKU: p.ID, SKUKey: Key(p.ID), PartKey: Key(p.PartNumber), Name: p.Name,
		CategoryKey: p.CategoryKey, Brand: p.Brand, Discontinued: p.Discontinued, Data: data,
		Hash: hex.EncodeToString(h.Sum(nil)[:16]), Text: text, Generation: gen,
	}, nil
}

// Status is where one account's catalog stands, for the operator console.
type Status struct {
	Distributor, Account string
	// Ready: a full sync completed once; searches use the catalog.
	Ready bool
	// Running is "full", "incremental" or "" (nothing runs here; another
	// replica may be syncing: see Holder and UpdatedAt).
	Running string
	// Holder: this instance holds the account's sync lease.
	Holder bool
	// FullRunning: a full sync is under way, here or on another replica,
	// or was stopped and resumes at its cursors.
	FullRunning bool
	// Started is when the running sync began (here); FullStarted below is
	// when the current full sync began, whoever runs it.
	Started time.Time
	// Items in the store; Done and Expected of the running (or last) full
	// sync, Expected 0 when unknown (the first sync).
	Items, Done, Expected int
	// Rate is items per second of the running sync; ETA its estimate of
	// the time left (0 when unknown).
	Rate float64
	ETA  time.Duration
	// LastFull and LastIncremental: when the last ones completed;
	// NextFullDue and NextIncrementalDue: when the next ones are due.
	LastFull, LastIncremental       time.Time
	NextFullDue, NextIncrementalDue time.Time
	FullStarted                     time.Time
	LastError                       string
	LastErrorAt, UpdatedAt          time.Time
	Generation                      int64
	// Concurrency is the partitions paged at once; RegisteredHere: this
	// instance has the account's credentials (a connection used it).
	Concurrency    int
	RegisteredHere bool
}

// Status lists every account the store has a catalog state for, and every
// account registered here, by account id.
func (c *Catalog) Status(ctx context.Context) ([]Status, error) {
	states, err := c.o.Store.ListCatalogStates(ctx)
	if err != nil {
		return nil, err
	}
	byAccount := map[string]store.CatalogState{}
	var order []string
	for _, st := range states {
		byAccount[st.Account] = st
		order = append(order, st.Account)
	}
	c.mu.Lock()
	for a := range c.jobs {
		if _, ok := byAccount[a]; !ok {
			order = append(order, a)
			byAccount[a] = store.CatalogState{Account: a, Distributor: c.jobs[a].distributor}
		}
	}
	c.mu.Unlock()
	var out []Status
	for _, a := range order {
		st := byAccount[a]
		s := Status{Distributor: st.Distributor, Account: a, Ready: !st.LastFull.IsZero(), Done: st.Done, Expected: st.Expected, FullRunning: st.FullRunning,
			LastFull: st.LastFull, LastIncremental: st.LastIncremental, LastError: st.LastError, LastErrorAt: st.LastErrorAt,
			UpdatedAt: st.UpdatedAt, Generation: st.Generation, FullStarted: st.FullStarted}
		if !st.LastFull.IsZero() {
			s.NextFullDue = st.LastFull.Add(c.o.Refresh)
			last := st.LastFull
			if st.LastIncremental.After(last) {
				last = st.LastIncremental
			}
			s.NextIncrementalDue = last.Add(c.o.Incremental)
		}
		if n, err := c.o.Store.CountCatalogItems(ctx, a); err == nil {
			s.Items = n
		}
		if j := c.job(a); j != nil {
			s.RegisteredHere = true
			j.fill(&s)
		}
		out = append(out, s)
	}
	return out, nil
}

// errLeaseLost stops a sync whose lease another replica took.
var errLeaseLost = errors.New("catalog: lease lost to another replica")
