package nuvias

import (
	"math"
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
	assert.Equal(t, Settings{PartShip: true}, s)

	s, problems = read(map[string]string{KeyEnabled: "[I:1]", KeyClientID: "nid", KeyClientSecret: "ncs", KeyShippingType: "[I:2]", "nuvias.partship": "false"})
	assert.Empty(t, problems)
	assert.Equal(t, Settings{Enabled: true, ClientID: "nid", ClientSecret: "ncs", ShippingType: 2, PartShip: false}, s)
}

func TestReadSettingsProblems(t *testing.T) {
	for in, want := range map[string]int{"fast": 0, "-1": 0, "9999999999": math.MaxInt32} {
		s, problems := read(map[string]string{KeyShippingType: in})
		assert.Equal(t, want, s.ShippingType, in)
		require.Len(t, problems, 1, in)
		assert.Equal(t, KeyShippingType, problems[0].Key)
	}
	s, problems := read(map[string]string{KeyPartShip: "sometimes"})
	assert.True(t, s.PartShip, "the default kept")
	require.Len(t, problems, 1)
	_, problems = read(map[string]string{KeyShippingType: "3"})
	assert.Empty(t, problems)
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
