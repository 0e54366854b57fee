package distributors

import (
	"maps"
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// The registry's answers about connection settings: the general ones
// (package settings) and every registered distributor's own (its Factory),
// as one whole, so that no caller names a distributor.

// Parse reads a connection's ConfigValues: the general settings, then each
// distributor's own (Factory.Parse) in their settings' Order, with one
// reader, so the problems come in that order (TestConnection lists them).
func (r *Registry) Parse(values map[string]string) (settings.Connection, []settings.Problem) {
	rd := settings.NewReader(values)
	c := settings.ReadGeneral(rd)
	c.Distributors = make(map[string]any, len(r.factories))
	for _, f := range r.bySettings {
		c.Distributors[f.Name()] = f.Parse(rd)
	}
	return c, rd.Problems()
}

// settingsOf is f's own settings of the connection; read from no values
// (every default) when c was not read by this registry (settings.Parse
// reads only the general settings).
func (r *Registry) settingsOf(c settings.Connection, f Factory) any {
	if s, ok := c.Distributors[f.Name()]; ok {
		return s
	}
	return f.Parse(settings.NewReader(nil))
}

// Dialog is the admin dialog in order: the general group (its label, each
// distributor's Use checkbox in registry order, the general fields), then
// each distributor's group in their settings' Order, opened by a label
// with the distributor's title.
func (r *Registry) Dialog() []settings.Group {
	general := settings.Group{Fields: []settings.Field{settings.GeneralLabel()}}
	for _, f := range r.factories {
		if use := r.sections[f.Name()].Use; use.Key != "" {
			general.Fields = append(general.Fields, use)
		}
	}
	general.Fields = append(general.Fields, settings.GeneralFields()...)
	groups := []settings.Group{general}
	for _, f := range r.bySettings {
		sec := r.sections[f.Name()]
		if len(sec.Fields) == 0 {
			continue
		}
		fields := append([]settings.Field{sectionLabel(f.Name(), f.Title())}, sec.Fields...)
		groups = append(groups, settings.Group{Title: f.Title(), Fields: fields})
	}
	return groups
}

// sectionLabel opens a distributor's group of the dialog.
func sectionLabel(name, title string) settings.Field {
	return settings.Field{Key: name + ".section", Kind: settings.KindLabel, Name: settings.Text{US: title, NO: title, GE: title}}
}

// DialogList is one of the dialog's own lists by name, whatever its case:
// the general settings' or a distributor's.
func (r *Registry) DialogList(name string) (settings.List, bool) {
	l, ok := r.lists[strings.ToLower(name)]
	return l, ok
}

// IsSecret reports whether a ConfigValues key, whatever its case, is a
// credential: a KindPassword field of the dialog. Such values are
// remembered only encrypted, never logged, shown as set or unset.
func (r *Registry) IsSecret(key string) bool { return r.secrets[strings.ToLower(key)] }

// IsServiceKey reports whether a ConfigValues key belongs to the service:
// a general setting's or a registered distributor's ("<name>.…"), as
// opposed to SuperOffice's own bookkeeping keys (SharedSecret,
// ApplicationId, QuoteConnectorUrl), which are never remembered.
func (r *Registry) IsServiceKey(key string) bool {
	return settings.IsGeneralKey(key) || r.distributorOf(key) != ""
}

// distributorOf is the registered distributor a key belongs to, or "".
func (r *Registry) distributorOf(key string) string {
	name, _, ok := strings.Cut(strings.ToLower(key), ".")
	if _, registered := r.sections[name]; ok && registered {
		return name
	}
	return ""
}

// ConfiguresDistributor reports whether values set any registered
// distributor's key (enabled or not): then the connection stands on its
// own and gets no sandbox defaults.
func (r *Registry) ConfiguresDistributor(values map[string]string) bool {
	for k := range values {
		if r.distributorOf(k) != "" {
			return true
		}
	}
	return false
}

// WithDefaults is values with defaults filled in when values configure no
// distributor (sandbox mode: the simulators' accounts); used reports
// whether the defaults were used. values wins where both set a key.
func (r *Registry) WithDefaults(values, defaults map[string]string) (merged map[string]string, used bool) {
	if defaults == nil || r.ConfiguresDistributor(values) {
		return values, false
	}
	merged = maps.Clone(defaults)
	maps.Copy(merged, values)
	return merged, true
}

// SettingsOrder lists the registered distributors in their settings'
// Order: configuration.md's order, in which users see them listed.
func (r *Registry) SettingsOrder() []string {
	out := make([]string, len(r.bySettings))
	for i, f := range r.bySettings {
		out[i] = f.Name()
	}
	return out
}

// SyncCatalogs registers the connection's accounts with the local catalogs
// of the distributors that keep one (CatalogSyncer); the errors are by
// distributor name.
func (r *Registry) SyncCatalogs(c settings.Connection) map[string]error {
	var failed map[string]error
	for _, f := range r.factories {
		cs, ok := f.(CatalogSyncer)
		if !ok {
			continue
		}
		if err := cs.SyncCatalog(r.settingsOf(c, f)); err != nil {
			if failed == nil {
				failed = map[string]error{}
			}
			failed[f.Name()] = err
		}
	}
	return failed
}
