package distributors_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/mock"
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

func same(s string) settings.Text { return settings.Text{US: s, NO: s, GE: s} }

// fake is a registered distributor with one setting of each sort: a
// checkbox, a credential and a list.
type fakeSettings struct {
	Enabled bool
	Key     settings.Secret
	Region  string
}

func fake(name, title string, order int) *mock.Factory {
	return &mock.Factory{Key: name, TitleText: title,
		Section: settings.Section{Order: order,
			Use: settings.Field{Key: name + ".enabled", Kind: settings.KindCheckbox, Default: "0", Name: same("Use " + title)},
			Fields: []settings.Field{
				{Key: name + ".apiKey", Kind: settings.KindPassword, Required: true, Name: same(title + " API key")},
				{Key: name + ".region", Kind: settings.KindList, List: "qc_" + name + "_region", Default: "eu", Name: same(title + " region")},
			},
			Lists: []settings.List{{Name: "qc_" + name + "_region", Items: []settings.ListItem{{Key: "eu", Name: same("EU")}}}},
		},
		ParseFn: func(r *settings.Reader) any {
			return fakeSettings{Enabled: r.Bool(name+".enabled", false), Key: r.Secret(name + ".apiKey"), Region: r.Choice(name+".region", "eu", "eu", "us")}
		},
		EnabledFn: func(s any) bool { return s.(fakeSettings).Enabled },
		NewFn: func(s any) (distributors.Distributor, error) {
			return &mock.Distributor{Key: name, Acct: "acct-" + s.(fakeSettings).Key.Reveal()}, nil
		},
	}
}

// registry: registered alpha, gamma, beta; configuration.md's order alpha,
// beta, gamma.
func registry() *distributors.Registry {
	return distributors.NewRegistry(fake("alpha", "Alpha", 1), fake("gamma", "Gamma", 3), fake("beta", "Beta", 2))
}

func TestRegistryParse(t *testing.T) {
	r := registry()
	c, problems := r.Parse(map[string]string{
		"alpha.enabled": "1", "ALPHA.APIKEY": "k1", "beta.enabled": "maybe", "gamma.region": "mars",
		"pricing.markupPercent": "x", "gamma.enabled": "[I:1]", "gamma.apiKey": "k3",
	})
	assert.Equal(t, 20.0, c.Pricing.MarkupPercent, "the general settings too")
	assert.Equal(t, map[string]any{
		"alpha": fakeSettings{Enabled: true, Key: "k1", Region: "eu"},
		"beta":  fakeSettings{Region: "eu"},
		"gamma": fakeSettings{Enabled: true, Key: "k3", Region: "eu"},
	}, c.Distributors)
	var keys []string
	for _, p := range problems {
		keys = append(keys, p.Key)
	}
	assert.Equal(t, []string{"pricing.markupPercent", "beta.enabled", "gamma.region"}, keys,
		"general first, then the distributors in their settings' order")

	// Each factory gets its own settings back.
	ds, failed := r.Enabled(c)
	assert.Empty(t, failed)
	require.Len(t, ds, 2)
	assert.Equal(t, []string{"alpha", "gamma"}, []string{ds[0].Name(), ds[1].Name()}, "registry order")
	assert.Equal(t, "acct-k3", ds[1].Account())

	// A connection read without the registry: every distributor's defaults.
	general, _ := settings.Parse(map[string]string{"alpha.enabled": "1"})
	ds, _ = r.Enabled(general)
	assert.Empty(t, ds)
}

func TestRegistryDialog(t *testing.T) {
	groups := registry().Dialog()
	require.Len(t, groups, 4)
	var general []string
	for _, f := range groups[0].Fields {
		general = append(general, f.Key)
	}
	assert.Equal(t, append([]string{"general.section", "alpha.enabled", "gamma.enabled", "beta.enabled"}, keysOf(settings.GeneralFields())...), general,
		"the label, the Use checkboxes in registry order, the general fields")
	assert.Empty(t, groups[0].Title)
	for i, want := range []string{"Alpha", "Beta", "Gamma"} {
		g := groups[i+1]
		assert.Equal(t, want, g.Title)
		assert.Equal(t, settings.Field{Key: g.Fields[0].Key, Kind: settings.KindLabel, Name: same(want)}, g.Fields[0], "opened by a label")
		assert.Len(t, g.Fields, 3)
	}
	assert.Equal(t, "beta.section", groups[2].Fields[0].Key)
}

func keysOf(fs []settings.Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Key
	}
	return out
}

func TestRegistryDialogLists(t *testing.T) {
	r := registry()
	l, ok := r.DialogList("QC_Beta_Region")
	require.True(t, ok)
	assert.Equal(t, "qc_beta_region", l.Name)
	_, ok = r.DialogList(settings.ListListPriceSource)
	assert.True(t, ok, "the general settings' lists too")
	for _, other := range []string{"", "ProductCategory", "qc_other", " qc_beta_region"} {
		_, ok := r.DialogList(other)
		assert.False(t, ok, other)
	}
}

func TestRegistryKeys(t *testing.T) {
	r := registry()
	assert.True(t, r.IsSecret("beta.apiKey"))
	assert.True(t, r.IsSecret("BETA.APIKEY"))
	assert.False(t, r.IsSecret("beta.region"))
	assert.False(t, r.IsSecret("delta.apiKey"), "no registered distributor's")

	for _, k := range []string{"alpha.enabled", "Gamma.Anything", "pricing.markupPercent", "search.maxResults", "general.section"} {
		assert.True(t, r.IsServiceKey(k), k)
	}
	for _, k := range []string{"SharedSecret", "ApplicationId", "QuoteConnectorUrl", "delta.enabled", "alpha", "alphax.enabled"} {
		assert.False(t, r.IsServiceKey(k), k)
	}

	assert.False(t, r.ConfiguresDistributor(nil))
	assert.False(t, r.ConfiguresDistributor(map[string]string{"pricing.markupPercent": "1", "SharedSecret": "x", "delta.enabled": "1"}))
	assert.True(t, r.ConfiguresDistributor(map[string]string{"alpha.enabled": "0"}))
	assert.True(t, r.ConfiguresDistributor(map[string]string{"GAMMA.apiKey": "x"}))
}

func TestRegistryWithDefaults(t *testing.T) {
	r := registry()
	defaults := map[string]string{"alpha.enabled": "1", "pricing.markupPercent": "20"}
	got, used := r.WithDefaults(map[string]string{"pricing.markupPercent": "30"}, defaults)
	assert.True(t, used)
	assert.Equal(t, map[string]string{"alpha.enabled": "1", "pricing.markupPercent": "30"}, got)
	own := map[string]string{"beta.enabled": "1"}
	got, used = r.WithDefaults(own, defaults)
	assert.False(t, used, "settings that configure a distributor stand alone")
	assert.Equal(t, own, got)
	got, used = r.WithDefaults(own, nil)
	assert.False(t, used)
	assert.Equal(t, own, got)
	assert.Equal(t, map[string]string{"alpha.enabled": "1", "pricing.markupPercent": "20"}, defaults, "defaults untouched")
}

func TestRegistryTitles(t *testing.T) {
	r := registry()
	assert.Equal(t, "Gamma", r.Title("gamma"))
	assert.Equal(t, "Delta", r.Title("delta"), "an unregistered name, capitalised")
	assert.Equal(t, "", r.Title(""))
	assert.Equal(t, []string{"Alpha", "Gamma", "Beta"}, r.Titles())
	assert.Equal(t, []string{"alpha", "gamma", "beta"}, r.Names())
	assert.Equal(t, []string{"alpha", "beta", "gamma"}, r.SettingsOrder())
	// Titles belong to their registry, not to the process.
	other := distributors.NewRegistry(&mock.Factory{Key: "gamma", TitleText: "GAMMA Corp"})
	assert.Equal(t, "GAMMA Corp", other.Title("gamma"))
	assert.Equal(t, "Gamma", r.Title("gamma"))
}

func TestNewRegistryRejectsBrokenSettings(t *testing.T) {
	withField := func(name string, f settings.Field) *mock.Factory {
		return &mock.Factory{Key: name, Section: settings.Section{Fields: []settings.Field{f}}}
	}
	for what, fs := range map[string][]distributors.Factory{
		"a key outside its name": {withField("alpha", settings.Field{Key: "beta.x", Kind: settings.KindText})},
		"a general key":          {withField("alpha", settings.Field{Key: "pricing.x", Kind: settings.KindText})},
		"a key twice":            {fake("alpha", "Alpha", 1), withField("alpha2", settings.Field{Key: "alpha.apiKey", Kind: settings.KindText})},
		"a field without kind":   {withField("alpha", settings.Field{Key: "alpha.x"})},
		"a name twice":           {fake("alpha", "Alpha", 1), fake("alpha", "Alpha", 2)},
		"a name not lower case":  {&mock.Factory{Key: "Alpha"}},
		"a general namespace":    {&mock.Factory{Key: "pricing"}},
		"a list twice":           {fake("alpha", "Alpha", 1), &mock.Factory{Key: "beta", Section: settings.Section{Lists: []settings.List{{Name: "QC_ALPHA_REGION"}}}}},
	} {
		assert.Panics(t, func() { distributors.NewRegistry(fs...) }, what)
	}
}

func TestRegistrySyncCatalogs(t *testing.T) {
	synced := map[string]any{}
	r := distributors.NewRegistry(fake("alpha", "Alpha", 1),
		&syncing{Factory: fake("beta", "Beta", 2), sync: func(s any) error { synced["beta"] = s; return nil }},
		&syncing{Factory: fake("gamma", "Gamma", 3), sync: func(any) error { return errors.New("unusable") }})
	c, _ := r.Parse(map[string]string{"beta.enabled": "1", "beta.apiKey": "k"})
	failed := r.SyncCatalogs(c)
	assert.Equal(t, map[string]any{"beta": fakeSettings{Enabled: true, Key: "k", Region: "eu"}}, synced)
	require.Len(t, failed, 1)
	assert.EqualError(t, failed["gamma"], "unusable")
}

type syncing struct {
	*mock.Factory
	sync func(any) error
}

func (s *syncing) SyncCatalog(settings any) error { return s.sync(settings) }
