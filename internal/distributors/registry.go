package distributors

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// Factory builds one distributor's adapter for a connection, and owns
// everything about the distributor's connection settings: its ConfigValues
// keys (all "<name>.…"), how they read, how the admin dialog shows them and
// which are credentials. A factory is created once per process and holds
// what outlives a request (HTTP client, token caches keyed by credentials,
// base URLs from service settings only). Registering it (NewRegistry) is
// all a new distributor needs.
type Factory interface {
	// Name is the distributor's key prefix, lower case ("logicom"): of its
	// products, price lists and orders ("<name>:<id>") and of its
	// ConfigValues keys ("<name>.…").
	Name() string
	// Title is how users see the distributor ("Logicom").
	Title() string
	// Dialog describes the distributor's settings for the admin dialog:
	// its Use checkbox, its group's fields and lists, its place. Its
	// KindPassword fields are the credentials the service stores only
	// encrypted and never shows. Every key starts with Name() + ".".
	Dialog() settings.Section
	// Parse reads the distributor's settings of one connection with r,
	// which collects what it cannot use as a Problem. What it returns (the
	// adapter's own settings type) is what the registry hands back to
	// Enabled, New and Account as s.
	Parse(r *settings.Reader) any
	// Enabled reports whether the connection uses this distributor.
	Enabled(s any) bool
	// New returns the adapter for the connection's credentials. Incomplete or
	// malformed settings give a KindConfig *Error.
	New(s any) (Distributor, error)
	// Account is the Account() of the adapter New would return, without
	// building it (cache keys on hot paths).
	Account(s any) string
}

// CatalogSyncer is a Factory that keeps a local copy of an account's
// catalog; SyncCatalog registers the account so it is synced before anyone
// searches it (a no-op when the connection does not use the distributor).
// Settings that cannot build a client are its error.
type CatalogSyncer interface {
	SyncCatalog(s any) error
}

// Registry is the registered distributors: it builds the enabled ones of a
// connection, reads and describes their settings (settings.go), and names
// them for users.
type Registry struct {
	factories []Factory // registry order: the order results are listed in
	// bySettings is factories in their settings' Order: dialog groups,
	// TestConnection's problems.
	bySettings []Factory
	sections   map[string]settings.Section // by name
	titles     map[string]string           // by name
	secrets    map[string]bool             // lower-cased keys of KindPassword fields
	lists      map[string]settings.List    // lower-cased name → dialog list
}

// NewRegistry returns a registry of the given factories, in the order given
// (the order results are listed in). Registering a factory is all a new
// distributor needs: its settings join the dialog, the parsing and the
// secrets, its title the texts, and the engine learns everything else from
// its Capabilities. A factory whose settings break the rules Factory
// states (keys outside its name, a key or list twice) panics: that is a
// programming error, found by any test that builds the registry.
func NewRegistry(factories ...Factory) *Registry {
	r := &Registry{factories: factories, sections: map[string]settings.Section{}, titles: map[string]string{},
		secrets: map[string]bool{}, lists: map[string]settings.List{}}
	seen := map[string]bool{}
	add := func(owner string, f settings.Field) {
		lk := strings.ToLower(f.Key)
		if lk == "" {
			return // a fake without a Use checkbox
		}
		if seen[lk] {
			panic(fmt.Sprintf("distributors: setting %s registered twice", f.Key))
		}
		if f.Kind == 0 {
			panic(fmt.Sprintf("distributors: setting %s has no Kind", f.Key))
		}
		seen[lk] = true
		if f.Kind == settings.KindPassword {
			r.secrets[lk] = true
		}
		if owner != "" && !strings.HasPrefix(lk, owner+".") {
			panic(fmt.Sprintf("distributors: %s's setting %s is not named %s.…", owner, f.Key, owner))
		}
	}
	addLists := func(ls []settings.List) {
		for _, l := range ls {
			ln := strings.ToLower(l.Name)
			if _, dup := r.lists[ln]; dup {
				panic(fmt.Sprintf("distributors: dialog list %s registered twice", l.Name))
			}
			r.lists[ln] = l
		}
	}
	add("", settings.GeneralLabel())
	for _, f := range settings.GeneralFields() {
		add("", f)
	}
	addLists(settings.GeneralLists())
	for _, f := range factories {
		name := f.Name()
		if _, dup := r.sections[name]; dup || name == "" || name != strings.ToLower(name) || strings.ContainsAny(name, ".:") || settings.IsGeneralKey(name+".") {
			panic(fmt.Sprintf("distributors: name %q empty, not lower case, with a separator, a general namespace or registered twice", name))
		}
		sec := f.Dialog()
		sec.Fields = slices.Clone(sec.Fields)
		sec.Lists = slices.Clone(sec.Lists)
		r.sections[name], r.titles[name] = sec, f.Title()
		add(name, sec.Use)
		if len(sec.Fields) > 0 {
			add(name, sectionLabel(name, f.Title()))
		}
		for _, fd := range sec.Fields {
			add(name, fd)
		}
		addLists(sec.Lists)
	}
	r.bySettings = slices.Clone(factories)
	slices.SortStableFunc(r.bySettings, func(a, b Factory) int {
		return r.sections[a.Name()].Order - r.sections[b.Name()].Order
	})
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
		s := r.settingsOf(c, f)
		if !f.Enabled(s) {
			continue
		}
		d, err := f.New(s)
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
		if s := r.settingsOf(c, f); f.Enabled(s) {
			out[f.Name()] = f.Account(s)
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
