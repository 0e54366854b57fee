package westcon

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/settings"
)

func read(values map[string]string) (Settings, []settings.Problem) {
	r := settings.NewReader(values)
	s := ReadSettings(r)
	return s, r.Problems()
}

func TestReadSettings(t *testing.T) {
	s, problems := read(nil)
	assert.Empty(t, problems)
	assert.Equal(t, Settings{Language: "EN"}, s)

	s, problems = read(map[string]string{KeyEnabled: "true", KeyTenantID: "tid", KeyClientID: "cid", KeyClientSecret: "wcs", KeyResource: "res",
		KeySubscriptionKey: "sub", KeyPartnerKey: "pk", "WESTCON.LANGUAGE": " [I:1] "})
	assert.Empty(t, problems)
	assert.Equal(t, Settings{Enabled: true, TenantID: "tid", ClientID: "cid", ClientSecret: "wcs", Resource: "res",
		SubscriptionKey: "sub", PartnerKey: "pk", Language: "1"}, s)

	_, problems = read(map[string]string{KeyEnabled: "perhaps"})
	require.Len(t, problems, 1)
	assert.Equal(t, KeyEnabled, problems[0].Key)
}

// The dialog's defaults are ReadSettings' defaults.
func TestDialogMatchesReadSettings(t *testing.T) {
	sec := (&Factory{}).Dialog()
	defaults := map[string]string{sec.Use.Key: sec.Use.Default}
	for _, f := range sec.Fields {
		if f.Default != "" {
			defaults[f.Key] = f.Default
		}
	}
	fromDialog, problems := read(defaults)
	assert.Empty(t, problems)
	plain, _ := read(nil)
	assert.Equal(t, plain, fromDialog)
	assert.Empty(t, sec.Lists)
}
