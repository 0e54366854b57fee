package console_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/console"
)

// fakeCatalog is a catalog sync whose progress a test moves.
type fakeCatalog struct {
	mu   sync.Mutex
	list []console.CatalogStatus
	err  error
}

func (f *fakeCatalog) CatalogStatus(context.Context) ([]console.CatalogStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]console.CatalogStatus(nil), f.list...), f.err
}

// advance moves the first account's running sync on by n items.
func (f *fakeCatalog) advance(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.list[0].Done = min(f.list[0].Total, f.list[0].Done+n)
}

type fakeRates struct {
	r   console.Rates
	err error
}

func (f fakeRates) Rates(context.Context) (console.Rates, error) { return f.r, f.err }

func syncing(started time.Time) *fakeCatalog {
	return &fakeCatalog{list: []console.CatalogStatus{{
		Distributor: "logicom", Account: "dad3f96f6e08", Items: 1200, LastFull: started.Add(-24 * time.Hour),
		Syncing: true, Full: true, Started: started, Done: 250, Total: 1000,
	}, {
		Distributor: "logicom", Account: "0123456789ab", Items: 10, LastIncremental: started.Add(-time.Hour),
		LastError: "logicom GetProducts: no answer in time", LastErrorAt: started.Add(-time.Minute),
	}}}
}

// The sections appear only with a provider that has data; the catalog
// shows each account with its progress and ETA, the rates with their date,
// source and each connection's own settings.
func TestCatalogAndRatesSections(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := env.Main.Console
	c.SetRates(nil) // the service wires the real feed; this test brings its own
	overview := get(t, env, "/console/")
	assert.NotContains(t, overview, `href="/console/catalog"`)
	assert.NotContains(t, overview, `href="/console/rates"`)
	assert.Equal(t, http.StatusNotFound, env.Console(t, http.MethodGet, "/console/catalog", nil, nil).Status)
	assert.Equal(t, http.StatusNotFound, env.Console(t, http.MethodGet, "/console/rates", nil, nil).Status)

	c.SetCatalog(&fakeCatalog{})
	c.SetRates(fakeRates{})
	assert.NotContains(t, get(t, env, "/console/"), `href="/console/catalog"`, "wired but empty: not shown")
	assert.NotContains(t, get(t, env, "/console/"), `href="/console/rates"`)

	cat := syncing(time.Now().Add(-time.Minute))
	c.SetCatalog(cat)
	page := get(t, env, "/console/catalog")
	assert.Contains(t, page, `href="/console/catalog" aria-current="page"`)
	assert.Contains(t, page, `<label for="sync-logicom-dad3f96f6e08">Full sync</label>`)
	assert.Contains(t, page, `<progress id="sync-logicom-dad3f96f6e08" max="1000" value="250">25 %</progress>`)
	assert.Regexp(t, `250 of 1000 \(25 %\), about 3m0s left`, page, "a quarter in a minute: three minutes to go")
	assert.Contains(t, page, "logicom GetProducts: no answer in time")
	assert.Contains(t, page, "<td>idle</td>")
	cat.advance(500)
	assert.Contains(t, get(t, env, "/console/catalog"), `value="750"`)

	cat.err = errors.New("catalog store down")
	assert.Equal(t, http.StatusServiceUnavailable, env.Console(t, http.MethodGet, "/console/catalog", nil, nil).Status)

	// A connection with its own currency settings.
	data := env.Sandbox.ConfigValues()
	data["pricing.fxRates"] = "NOK=11.7215,SEK=11.0480"
	data["pricing.currencies"] = "NOK,SEK"
	env.Post(t, "TestConnection", map[string]any{"ConnectionData": data, "ConnectionInfo": map[string]any{"CRMConnectionId": 9}})
	day := time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC)
	c.SetRates(fakeRates{r: console.Rates{Base: "EUR", Date: day, Source: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml",
		FetchedAt: day.Add(15 * time.Hour), Rates: []console.Rate{{Currency: "USD", Rate: 1.0823}, {Currency: "NOK", Rate: 11.69}}}})
	page = get(t, env, "/console/rates")
	assert.Contains(t, page, `href="/console/rates" aria-current="page"`)
	assert.Contains(t, page, "<dt>Rate date</dt><dd>2026-03-06</dd>")
	assert.Contains(t, page, "eurofxref-daily.xml")
	assert.Regexp(t, `<tr><td>NOK</td><td class="num">11.69</td></tr>\s*<tr><td>USD</td><td class="num">1.0823</td></tr>`, page, "by currency")
	assert.Contains(t, page, "<tr><td>acme</td><td>connection 9</td><td><code>NOK=11.7215,SEK=11.0480</code></td><td>NOK,SEK</td><td>none</td></tr>")

	c.SetRates(fakeRates{r: console.Rates{Base: "EUR", LastError: "feed unreachable", LastErrorAt: day}})
	assert.Contains(t, get(t, env, "/console/rates"), "feed unreachable", "an error alone is worth the section")
}

func TestCatalogProgressAndETA(t *testing.T) {
	now := time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC)
	s := console.CatalogStatus{Syncing: true, Started: now.Add(-2 * time.Minute), Done: 400, Total: 1000}
	assert.Equal(t, 40, s.Percent())
	assert.Equal(t, 3*time.Minute, s.ETA(now))
	s.Done = 0
	assert.Zero(t, s.ETA(now), "no pace yet")
	s.Total, s.Done = 0, 10
	assert.Zero(t, s.Percent())
	assert.Zero(t, s.ETA(now), "total unknown")
	s = console.CatalogStatus{Done: 5, Total: 10, Started: now.Add(-time.Minute)}
	assert.Zero(t, s.ETA(now), "not syncing")
	require.Equal(t, 100, console.CatalogStatus{Done: 12, Total: 10}.Percent())
}
