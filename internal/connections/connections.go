// Package connections remembers each SuperOffice quote connection's
// settings (configuration.md, "Connections"). SuperOffice sends ConfigValues
// on only some calls (TestConnection among them); every call that carries
// them stores them, every call that does not uses what was stored.
// Password-type values are sealed with AES-256-GCM before they reach the
// store; SuperOffice's own keys are never stored.
package connections

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/store"
)

// IDs are the connection ids a call may carry, in the contract's order of
// preference: ConnectionInfo.CRMConnectionId, the context's
// CRMQuote.QuoteConnectionId, EISConnectionId.
type IDs struct {
	CRM, Quote, EIS int
}

// ID is the first id that is set; 0 when the call names none.
func (i IDs) ID() int {
	for _, id := range []int{i.CRM, i.Quote, i.EIS} {
		if id != 0 {
			return id
		}
	}
	return 0
}

// Source says where a call's settings came from.
type Source int

const (
	// None: the call carried no settings and none were stored.
	None Source = iota
	// Sent: the call carried them (and they were stored).
	Sent
	// Stored: remembered from an earlier call.
	Stored
)

func (s Source) String() string { return [...]string{"none", "sent", "stored"}[s] }

// Settings are the resolved settings of one call.
type Settings struct {
	Values map[string]string // plaintext, only the service's own keys
	// ConnectionID is the connection the settings belong to (the stored
	// one's id when the tenant's only connection was used).
	ConnectionID int
	Source       Source
}

// Options configure a Resolver.
type Options struct {
	Store store.Connections
	Keys  *Keyring
	// IsServiceKey tells the service's keys from SuperOffice's own; only the
	// former are stored. IsSecret marks the Password-type keys.
	IsServiceKey, IsSecret func(key string) bool
	// CacheTTL bounds how long a replica serves settings from memory before
	// reading the store again (another replica may have stored newer ones).
	CacheTTL time.Duration
	Now      func() time.Time
	// Cache counts lookups of the settings cache (metrics); may be nil.
	Cache interface{ CacheLookup(cache string, hit bool) }
}

// Resolver finds the settings of each call. It is safe for concurrent use.
type Resolver struct {
	o     Options
	cache *expirable.LRU[cacheKey, cached]
}

type cacheKey struct {
	tenant string
	id     int
}

type cached struct {
	fingerprint string
	settings    Settings
	// current: the fingerprint is of settings.Values under the current key,
	// so equal values sent again are known to be stored as they should be
	// (a record read from the store may be sealed under the previous key).
	current bool
}

// New returns a Resolver.
func New(o Options) *Resolver {
	if o.CacheTTL <= 0 {
		o.CacheTTL = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Resolver{o: o, cache: expirable.NewLRU[cacheKey, cached](10000, nil, o.CacheTTL)}
}

// Resolve returns the settings of a call of tenant naming ids that carried
// sent (nil or empty when it carried none). Sent settings are stored for the
// connection; when storing fails the call still uses them and the error is
// logged. An error is returned only when stored settings could not be read;
// the call then has no settings.
func (r *Resolver) Resolve(ctx context.Context, tenant string, ids IDs, sent map[string]string) (Settings, error) {
	id := ids.ID()
	if values := r.serviceValues(sent); len(values) > 0 {
		s := Settings{Values: values, ConnectionID: id, Source: Sent}
		if err := r.remember(ctx, tenant, id, values); err != nil {
			zerolog.Ctx(ctx).Error().Err(err).Int("connection", id).Msg("connection settings not stored; this call uses them, later calls without them will not find them")
		}
		return s, nil
	}
	s, err := r.stored(ctx, tenant, id)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return s, err
	}
	// The contract: a call that names no connection uses the tenant's only
	// stored connection. Also, a connection stored without an id (its
	// settings came on a call that named none) serves a tenant's calls
	// that name one, as long as it is the tenant's only connection.
	list, lerr := r.o.Store.ListConnections(ctx, tenant)
	if lerr != nil {
		return Settings{ConnectionID: id}, fmt.Errorf("read stored connections: %w", lerr)
	}
	if len(list) == 1 && (id == 0 || list[0].ConnectionID == 0) {
		s, err := r.open(tenant, list[0])
		if err == nil {
			r.cache.Add(cacheKey{tenant, id}, cached{list[0].Fingerprint, s, false})
		}
		return s, err
	}
	return Settings{ConnectionID: id}, nil
}

// serviceValues keeps the service's own keys of a call's ConfigValues.
func (r *Resolver) serviceValues(sent map[string]string) map[string]string {
	var out map[string]string
	for k, v := range sent {
		if !r.o.IsServiceKey(k) {
			continue
		}
		if out == nil {
			out = make(map[string]string, len(sent))
		}
		out[k] = v
	}
	return out
}

// remember stores values unless the same set is already stored.
func (r *Resolver) remember(ctx context.Context, tenant string, id int, values map[string]string) error {
	key := cacheKey{tenant, id}
	// Most calls repeat what this replica stored or read moments ago:
	// comparing the plaintext is a few map lookups, where the fingerprint
	// (sorted keys, one formatted write per setting, an HMAC) cost more
	// than the rest of a line edit's settings handling together.
	c, cachedOK := r.cache.Get(key)
	if cachedOK && c.current && maps.Equal(c.settings.Values, values) {
		return nil
	}
	fp := r.o.Keys.Fingerprint(values)
	if cachedOK && c.fingerprint == fp {
		r.cache.Add(key, cached{fp, c.settings, true})
		return nil
	}
	rec := store.ConnectionRecord{Tenant: tenant, ConnectionID: id, Fingerprint: fp, UpdatedAt: r.o.Now(), Values: make(map[string]string, len(values))}
	if prev, err := r.o.Store.GetConnection(ctx, tenant, id); err == nil && prev.Fingerprint == fp {
		r.cache.Add(key, cached{fp, Settings{Values: values, ConnectionID: id, Source: Stored}, true})
		return nil
	}
	for k, v := range values {
		if r.o.IsSecret(k) && v != "" {
			v = r.o.Keys.Seal(v, aad(tenant, id, k))
		}
		rec.Values[k] = v
	}
	if err := r.o.Store.PutConnection(ctx, rec); err != nil {
		return err
	}
	// A new or changed connection can change which connection the
	// tenant's calls without an id fall back to: forget the tenant's
	// cached answers (writes are rare; this replica's calls see the change
	// at once, other replicas within CacheTTL).
	for _, k := range r.cache.Keys() {
		if k.tenant == tenant {
			r.cache.Remove(k)
		}
	}
	r.cache.Add(key, cached{fp, Settings{Values: values, ConnectionID: id, Source: Stored}, true})
	return nil
}

// stored reads a connection through the cache.
func (r *Resolver) stored(ctx context.Context, tenant string, id int) (Settings, error) {
	key := cacheKey{tenant, id}
	c, hit := r.cache.Get(key)
	if r.o.Cache != nil {
		r.o.Cache.CacheLookup("connections", hit)
	}
	if hit {
		return c.settings, nil
	}
	rec, err := r.o.Store.GetConnection(ctx, tenant, id)
	if errors.Is(err, store.ErrNotFound) {
		return Settings{ConnectionID: id}, err
	}
	if err != nil {
		return Settings{ConnectionID: id}, fmt.Errorf("read stored connection: %w", err)
	}
	return r.open(tenant, rec)
}

// Stored reads a connection's stored settings from the store itself, not
// the cache (the operator console: what is stored now). It returns
// store.ErrNotFound when nothing is stored.
func (r *Resolver) Stored(ctx context.Context, tenant string, id int) (Settings, error) {
	rec, err := r.o.Store.GetConnection(ctx, tenant, id)
	if err != nil {
		return Settings{ConnectionID: id}, err
	}
	return r.open(tenant, rec)
}

// open unseals a stored record and caches it.
func (r *Resolver) open(tenant string, rec store.ConnectionRecord) (Settings, error) {
	values := make(map[string]string, len(rec.Values))
	for k, v := range rec.Values {
		if IsSealed(v) {
			pt, err := r.o.Keys.Open(v, aad(tenant, rec.ConnectionID, k))
			if err != nil {
				return Settings{ConnectionID: rec.ConnectionID}, fmt.Errorf("connection %d, setting %s: %w", rec.ConnectionID, k, err)
			}
			v = pt
		}
		values[k] = v
	}
	s := Settings{Values: values, ConnectionID: rec.ConnectionID, Source: Stored}
	r.cache.Add(cacheKey{tenant, rec.ConnectionID}, cached{rec.Fingerprint, s, false})
	return s, nil
}

// aad binds a sealed value to its tenant, connection and key.
func aad(tenant string, id int, key string) string {
	return tenant + "\x00" + strconv.Itoa(id) + "\x00" + key
}
