package handlers_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
)

// TestConnectionSettingsAnswersUnchanged pins, byte for byte, what
// SuperOffice sees of the connection settings: the admin dialog
// (GetConfigurationFields: keys, ranks, types, texts, lists, defaults,
// access), the dialog's own lists, and the problems TestConnection reports
// for unreadable values, in their order. The settings live with the
// distributors that read them; moving them must not change any of this.
// QC_UPDATE_GOLDEN=1 rewrites the files after an intended change.
func TestConnectionSettingsAnswersUnchanged(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	answers := map[string]any{}
	post := func(endpoint string, body any) any {
		r := env.Post(t, endpoint, body)
		require.Equal(t, http.StatusOK, r.Status, "%s: %s", endpoint, r.Body)
		var v any
		r.JSON(t, &v)
		return v
	}
	answers["GetConfigurationFields"] = post("GetConfigurationFields", nil)
	for _, list := range []string{"qc_listprice_source", "qc_logicom_environment", "QC_Logicom_Environment"} {
		answers["GetQuoteList "+list] = post("GetQuoteList", map[string]any{"QuoteListType": list})
	}
	// Values that name distributors keep the sandbox's accounts out, so no
	// distributor is enabled and the answer is the problems alone.
	answers["TestConnection with unreadable values"] = post("TestConnection", map[string]any{"ConfigValues": map[string]string{
		"pricing.markupPercent": "abc", "search.maxResults": "0", "pricing.fxRates": "NOK=x",
		"logicom.enabled": "maybe", "logicom.syncConcurrency": "99", "logicom.environment": "test",
		"westcon.enabled": "perhaps", "nuvias.enabled": "sometimes", "nuvias.shippingType": "-1", "nuvias.partShip": "x",
	}})

	got, err := json.MarshalIndent(answers, "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	golden := filepath.Join("testdata", "connection_settings.golden.json")
	if os.Getenv("QC_UPDATE_GOLDEN") != "" {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(want, got), "answers differ from %s; diff them with QC_UPDATE_GOLDEN=1 and git diff", golden)
}
