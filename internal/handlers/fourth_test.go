package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/auth"
	"github.com/quoteconnector/quoteconnector/internal/connections"
	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/logicom"
	"github.com/quoteconnector/quoteconnector/internal/distributors/mock"
	"github.com/quoteconnector/quoteconnector/internal/distributors/nuvias"
	"github.com/quoteconnector/quoteconnector/internal/distributors/westcon"
	"github.com/quoteconnector/quoteconnector/internal/engine"
	"github.com/quoteconnector/quoteconnector/internal/handlers"
	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/metrics"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// A fourth distributor registered beside the three, over HTTP as
// SuperOffice calls: the admin dialog lists its settings, TestConnection
// checks and remembers them (its credential encrypted), and a later
// FindProduct without settings finds its products. Nothing but the
// registration names it.
func TestFourthDistributorOverHTTP(t *testing.T) {
	acme := &mock.Distributor{Key: "acme", Caps: distributors.Capabilities{Catalog: true},
		CurrenciesFn: func(context.Context) ([]string, error) { return []string{"EUR"}, nil },
		TestFn:       func(context.Context) (string, error) { return "account ACME-1 answers", nil },
		SearchFn: func(_ context.Context, q distributors.Query) ([]distributors.Product, error) {
			return []distributors.Product{{Distributor: "acme", ID: "AC-1", PartNumber: "WIDGET-9", Name: "Widget " + q.Text,
				Offer: &distributors.Offer{Currency: "EUR", Cost: 42, Stock: &distributors.Stock{Available: 7}}}}, nil
		},
	}
	registry := distributors.NewRegistry(
		logicom.NewFactory(logicom.Options{}),
		nuvias.NewFactory(nuvias.Options{}),
		westcon.NewFactory(westcon.Options{}),
		mock.WithAPIKey(acme, "ACME Supply", 4),
	)
	st, _ := storetest.SQLite(t)
	e := engine.New(engine.Options{Registry: registry,
		Ledger: ledger.New(ledger.Options{Store: st, Owner: "test", IsUncertain: distributors.IsUncertain})})
	conns := connections.New(connections.Options{Store: st, Keys: connections.DevelopmentKeyring(),
		IsServiceKey: registry.IsServiceKey, IsSecret: registry.IsSecret, CacheTTL: time.Minute})
	srv := httptest.NewServer(handlers.New(handlers.Deps{Engine: e, Auth: auth.New(auth.Options{Secrets: map[string]string{"t1": "s1"}}),
		Logger: zerolog.Nop(), Metrics: metrics.New(), Connections: conns, Ready: func() bool { return true }}))
	t.Cleanup(srv.Close)
	post := func(endpoint string, body any, into any) {
		t.Helper()
		data, err := json.Marshal(body)
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/"+endpoint, bytes.NewReader(data))
		require.NoError(t, err)
		req.SetBasicAuth("t1", "s1")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, endpoint)
		require.NoError(t, json.NewDecoder(resp.Body).Decode(into))
	}
	conn := map[string]any{"CRMConnectionId": 3}

	var fields map[string]so.FieldMetadataInfo
	post("GetConfigurationFields", map[string]any{}, &fields)
	require.Contains(t, fields, "acme.apiKey")
	assert.Equal(t, so.FieldPassword, fields["acme.apiKey"].FieldType)
	assert.Equal(t, so.FieldCheckbox, fields["acme.enabled"].FieldType)

	var pr so.PluginResponseInfo
	post("TestConnection", map[string]any{"ConnectionInfo": conn,
		"ConnectionData": map[string]string{"acme.enabled": "1", "acme.apiKey": "ak-secret-1"}}, &pr)
	require.True(t, pr.IsOk, pr.UserExplanation)
	assert.Contains(t, pr.UserExplanation, "ACME Supply")
	assert.Contains(t, pr.UserExplanation, "account ACME-1 answers")

	stored, err := st.GetConnection(context.Background(), "t1", 3)
	require.NoError(t, err)
	assert.Equal(t, "1", stored.Values["acme.enabled"])
	require.NotEmpty(t, stored.Values["acme.apiKey"])
	assert.NotEqual(t, "ak-secret-1", stored.Values["acme.apiKey"], "the credential is stored encrypted")

	var found []so.ProductInfo
	post("FindProduct", map[string]any{"UserInput": "blue", "CurrencyCode": "EUR", "ConnectionInfo": conn}, &found)
	require.Len(t, found, 1, "the remembered settings enable it")
	assert.Equal(t, "acme:AC-1", found[0].ERPProductKey)
	assert.Equal(t, "Widget blue", found[0].Name)
}
