package distributors

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// Factory builds one distributor's adapter for a connection. A factory is
// created once per process and holds what outlives a request (HTTP client,
// token caches keyed by credentials, base URLs from service settings only).
type Factory interface {
	// Name is the distributor's key prefix, lower case ("logicom").
	Name() string
	// Title is how users see the distributor ("Logicom").
	Title() string
	// Enabled reports whether the connection uses this distributor.
	Enabled(c settings.Connection) bool
	// New returns the adapter for the connection's credentials. Incomplete or
	// malformed settings give a KindConfig *Error.
	New(c settings.Connection) (Distributor, error)
	// Account is the Account() of the adapter New would return, without
	// building it (cache keys on hot paths).
	Account(c settings.Connection) string
}

// Registry picks the enabled distributors of a connection and names them
// for users.
type Registry struct {
	factories []Factory
	titles    map[string]string // by name
}

// NewRegistry returns a registry of the given factories, in the order given
// (the order results are listed in). Registering a factory is all a new
// distributor needs: its name and title become known to Title, and the
// engine learns everything else from its Capabilities.
func NewRegistry(factories ...Factory) *Registry {
	r := &Registry{factories: factories, titles: make(map[string]string, len(factories))}
	for _, f := range factories {
		r.titles[f.Name()] = f.Title()
	}
	return r
}

// Title is how users see the distributor named name: its registered title,
// else the name with its first letter upper-cased (a name from an old key,
// a failure).
func (r *Registry) Title(name string) string {
	if t, ok := r.titles[name]; ok {
		return t
	}
	return Capitalize(name)
}

// Capitalize is a name with its first letter upper-cased: how a
// distributor nobody registered is shown.
func Capitalize(name string) string {
	if name == "" {
		return ""
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// Titles lists the registered distributors' titles in registry order.
func (r *Registry) Titles() []string {
	out := make([]string, len(r.factories))
	for i, f := range r.factories {
		out[i] = f.Title()
	}
	return out
}

// Names lists the registered distributors.
func (r *Registry) Names() []string {
	out := make([]string, len(r.factories))
	for i, f := range r.factories {
		out[i] = f.Name()
	}
	return out
}

// Enabled returns the adapters of the distributors the connection enables.
// Those whose settings are unusable are returned in failed, by name.
func (r *Registry) Enabled(c settings.Connection) (ds []Distributor, failed map[string]error) {
	for _, f := range r.factories {
		if !f.Enabled(c) {
			continue
		}
		d, err := f.New(c)
		if err != nil {
			if failed == nil {
				failed = map[string]error{}
			}
			failed[f.Name()] = err
			continue
		}
		ds = append(ds, d)
	}
	return ds, failed
}

// Accounts returns the account id of each distributor the connection
// enables, by name.
func (r *Registry) Accounts(c settings.Connection) map[string]string {
	out := make(map[string]string, len(r.factories))
	for _, f := range r.factories {
		if f.Enabled(c) {
			out[f.Name()] = f.Account(c)
		}
	}
	return out
}

// Keys: "<distributor>:<id>" for products, price lists and orders
// (configuration.md, "Keys the service puts into SuperOffice").

// Best is the prefix of the cross-distributor price list `best:<currency>`.
const Best = "best"

// Key joins a distributor name and an id.
func Key(distributor, id string) string { return distributor + ":" + id }

// ParseKey splits a key at its first colon; the name is lower-cased.
func ParseKey(key string) (distributor, id string, ok bool) {
	d, id, ok := strings.Cut(strings.TrimSpace(key), ":")
	if !ok || d == "" || id == "" {
		return "", "", false
	}
	return strings.ToLower(d), id, true
}

// SplitOrderKeys splits an ERPOrderKey into its parts.
func SplitOrderKeys(key string) []string {
	var out []string
	for _, p := range strings.Split(key, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// JoinOrderKeys joins order keys, sorted and without duplicates.
func JoinOrderKeys(keys []string) string {
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ";")
}

// AccountID is the short id of a distributor account: a digest of what
// identifies it (base URL, customer or client id), never of a secret, cut
// to 12 hex digits. It labels caches, sync jobs and metrics.
func AccountID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
