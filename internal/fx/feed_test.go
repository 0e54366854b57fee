package fx_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/fx"
	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/sqlite"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
)

// feedServer serves whatever body (and status) the test sets, and counts
// requests.
type feedServer struct {
	*httptest.Server
	mu     sync.Mutex
	status int
	body   string
	calls  atomic.Int32
}

func newFeedServer(t *testing.T, body string) *feedServer {
	fs := &feedServer{status: http.StatusOK, body: body}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.calls.Add(1)
		fs.mu.Lock()
		status, body := fs.status, fs.body
		fs.mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) set(status int, body string) {
	fs.mu.Lock()
	fs.status, fs.body = status, body
	fs.mu.Unlock()
}

type observed struct {
	mu       sync.Mutex
	outcomes []string
	held     time.Time
}

func (o *observed) RatesFetched(outcome string, held time.Time) {
	o.mu.Lock()
	o.outcomes = append(o.outcomes, outcome)
	o.held = held
	o.mu.Unlock()
}

func dayDoc(day, nok string) string {
	return `<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"><Cube><Cube time="` + day + `">` +
		`<Cube currency="USD" rate="1.0823"/><Cube currency="NOK" rate="` + nok + `"/></Cube></Cube></gesmes:Envelope>`
}

func TestFeedKeepsTheLastGoodRates(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	srv := newFeedServer(t, dayDoc("2024-01-31", "11.7215"))
	now := time.Date(2024, 1, 31, 17, 0, 0, 0, time.UTC)
	var logs bytes.Buffer
	obs := &observed{}
	feed := fx.NewFeed(fx.FeedOptions{URL: srv.URL + "/eurofxref-daily.xml?token=s3cr3t", Store: st, Observer: obs,
		Logger: zerolog.New(&logs), Now: func() time.Time { return now }})

	assert.True(t, feed.Table().IsZero(), "no rates before the first fetch")
	require.NoError(t, feed.Refresh(ctx))
	tb := feed.Table()
	assert.Equal(t, "11.7215", tb.Rates["NOK"].String())
	assert.Equal(t, 31, tb.Date.Day())
	st1 := feed.Status()
	assert.Equal(t, srv.URL+"/eurofxref-daily.xml", st1.Source, "no query in what is shown")
	assert.Equal(t, now, st1.LastSuccess)
	assert.Empty(t, st1.LastError)
	assert.False(t, st1.FromStore)

	rec, err := st.GetRates(ctx, fx.StoreName)
	require.NoError(t, err, "a good fetch is stored")
	assert.Equal(t, map[string]string{"USD": "1.0823", "NOK": "11.7215"}, rec.Rates)

	garbage := []struct {
		status  int
		body    string
		outcome string
	}{
		{http.StatusOK, `<html><body>Maintenance</body></html>`, fx.OutcomeInvalid},
		{http.StatusOK, dayDoc("2024-01-31", "-3"), fx.OutcomeInvalid},
		{http.StatusServiceUnavailable, `busy`, fx.OutcomeUnavailable},
		{http.StatusOK, dayDoc("2024-01-30", "11.9"), fx.OutcomeOutdated},
	}
	for _, g := range garbage {
		srv.set(g.status, g.body)
		err := feed.Refresh(ctx)
		require.Error(t, err, g.body)
		assert.Equal(t, "11.7215", feed.Table().Rates["NOK"].String(), "the last good rates stay (%s)", g.outcome)
		assert.NotContains(t, err.Error(), "s3cr3t", "the address is shown without its query")
	}
	st2 := feed.Status()
	assert.Equal(t, 4, st2.Failures)
	assert.Contains(t, st2.LastError, "older than those held")
	assert.Equal(t, now, st2.LastSuccess)
	assert.Equal(t, []string{fx.OutcomeOK, fx.OutcomeInvalid, fx.OutcomeInvalid, fx.OutcomeUnavailable, fx.OutcomeOutdated}, obs.outcomes)
	assert.Equal(t, 31, obs.held.Day(), "the metric reports the day held")
	assert.Contains(t, logs.String(), "keeping the last good rates")
	assert.NotContains(t, logs.String(), "s3cr3t")

	srv.set(http.StatusOK, dayDoc("2024-02-01", "11.8"))
	now = now.Add(24 * time.Hour)
	require.NoError(t, feed.Refresh(ctx))
	assert.Equal(t, "11.8", feed.Table().Rates["NOK"].String(), "a newer day replaces")
	assert.Zero(t, feed.Status().Failures)
}

// A restart without network converts with the rates the store kept.
func TestFeedRestartWithoutNetwork(t *testing.T) {
	ctx := context.Background()
	st, dir := storetest.SQLite(t)
	srv := newFeedServer(t, dayDoc("2024-01-31", "11.7215"))
	now := time.Date(2024, 1, 31, 17, 0, 0, 0, time.UTC)
	first := fx.NewFeed(fx.FeedOptions{URL: srv.URL, Store: st, Now: func() time.Time { return now }})
	require.NoError(t, first.Refresh(ctx))
	srv.Close() // the feed is gone
	require.NoError(t, st.Close())

	reopened, err := storetestReopen(t, dir)
	require.NoError(t, err)
	second := fx.NewFeed(fx.FeedOptions{URL: srv.URL, Store: reopened, Timeout: 2 * time.Second, Now: func() time.Time { return now }})
	require.NoError(t, second.Load(ctx))
	err = second.Refresh(ctx)
	require.Error(t, err, "no network")
	tb := second.Table()
	assert.Equal(t, "11.7215", tb.Rates["NOK"].String())
	assert.True(t, second.Status().FromStore)
	c, err := fx.NewBook(tb, nil, 0).Conversion("EUR", "NOK")
	require.NoError(t, err)
	assert.Equal(t, 2129.21, c.Cost(181.65), "converts as before the restart")
}

// Another replica's newer rates are picked up from the store when a fetch
// fails.
func TestFeedReadsTheStoreAfterAFailure(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	srv := newFeedServer(t, `garbage`)
	feed := fx.NewFeed(fx.FeedOptions{URL: srv.URL, Store: st})
	_, err := st.PutRates(ctx, store.RateRecord{Name: fx.StoreName, Source: "other replica", Date: time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC),
		Rates: map[string]string{"NOK": "11.7"}})
	require.NoError(t, err)
	require.Error(t, feed.Refresh(ctx))
	assert.Equal(t, "11.7", feed.Table().Rates["NOK"].String())
	assert.Equal(t, "other replica", feed.Table().Source)
}

func TestFeedWithoutSource(t *testing.T) {
	feed := fx.NewFeed(fx.FeedOptions{})
	require.NoError(t, feed.Refresh(context.Background()), "no source: nothing to fetch")
	assert.True(t, feed.Table().IsZero())
	assert.Empty(t, feed.Status().Source)
}

func TestRunRetriesAfterAFailure(t *testing.T) {
	srv := newFeedServer(t, `garbage`)
	feed := fx.NewFeed(fx.FeedOptions{URL: srv.URL})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		feed.Run(ctx, time.Millisecond)
		close(done)
	}()
	require.Eventually(t, func() bool { return srv.calls.Load() >= 2 }, 10*time.Second, time.Millisecond)
	srv.set(http.StatusOK, dayDoc("2024-01-31", "11.7215"))
	require.Eventually(t, func() bool { return !feed.Table().IsZero() }, 10*time.Second, time.Millisecond)
	cancel()
	<-done
}

func TestConnectionOverrides(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	for _, rec := range []store.ConnectionRecord{
		{Tenant: "acme", ConnectionID: 2, Values: map[string]string{"Pricing.FxRates": "NOK=11.5, sek=11.2", "pricing.fxMarginPercent": "[F:1.5]", "logicom.consumerSecret": "sealed"}},
		{Tenant: "acme", ConnectionID: 1, Values: map[string]string{"pricing.currencies": "NOK,xx"}},
		{Tenant: "beta", ConnectionID: 1, Values: map[string]string{"logicom.enabled": "1"}},
	} {
		require.NoError(t, st.PutConnection(ctx, rec))
	}
	got, err := fx.ConnectionOverrides(ctx, st)
	require.NoError(t, err)
	require.Len(t, got, 2, "connections without currency settings are left out")
	assert.Equal(t, 1, got[0].ConnectionID)
	assert.Equal(t, []string{"NOK"}, got[0].Currencies)
	require.Len(t, got[0].Problems, 1)
	assert.True(t, strings.Contains(got[0].Problems[0], "pricing.currencies"))
	assert.Equal(t, fx.ConnectionRates{Tenant: "acme", ConnectionID: 2, Fixed: "NOK=11.5,SEK=11.2", MarginPercent: 1.5}, got[1])
}

// storetestReopen opens the SQLite store in dir again (a restart).
func storetestReopen(t *testing.T, dir string) (store.Store, error) {
	s, err := sqlite.Open(context.Background(), dir)
	if err == nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}
