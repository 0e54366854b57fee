package fxsim_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/fx"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/fxsim"
)

func TestFeedServesTodaysFixedRates(t *testing.T) {
	now := time.Date(2030, 3, 10, 9, 0, 0, 0, time.UTC)
	sim := fxsim.New(func() time.Time { return now })
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()

	resp, err := http.Get(srv.URL + fxsim.Path)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	tb, err := fx.ParseECB(resp.Body, now)
	require.NoError(t, err, "the service's own parser reads it")
	assert.Equal(t, time.Date(2030, 3, 10, 0, 0, 0, 0, time.UTC), tb.Date, "dated today")
	assert.Equal(t, "11.7215", tb.Rates["NOK"].String())
	assert.Len(t, tb.Rates, len(fxsim.Rates))

	sim.Faults().Set(faults.Config{MalformedJSON: true})
	resp, err = http.Get(srv.URL + fxsim.Path)
	require.NoError(t, err)
	defer resp.Body.Close()
	_, err = fx.ParseECB(resp.Body, now)
	assert.Error(t, err, "a garbage body on demand")

	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/_control/faults", strings.NewReader(`{"errorRate":1}`))
	ctl, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	ctl.Body.Close()
	resp, err = http.Get(srv.URL + fxsim.Path)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode, "the feed stopped through the control endpoint")
}
