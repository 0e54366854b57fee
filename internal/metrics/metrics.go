// Package metrics holds the service's Prometheus series (protocol §2.2). No
// tenant, secret or product data goes into a label.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/quoteconnector/quoteconnector/internal/buildinfo"
)

// Metrics is one registry of series; tests create their own.
type Metrics struct {
	Registry         *prometheus.Registry
	requests         *prometheus.CounterVec
	duration         *prometheus.HistogramVec
	upstream         *prometheus.CounterVec
	upstreamDuration *prometheus.HistogramVec
	partial          *prometheus.CounterVec
	fxFetches        *prometheus.CounterVec
	fxRatesDate      prometheus.Gauge
	inFlight         prometheus.Gauge
	orders           *prometheus.CounterVec
	cache            *prometheus.CounterVec
	tokens           *prometheus.CounterVec
}

// New registers the series in a fresh registry.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qc_http_requests_total", Help: "SuperOffice calls by endpoint and HTTP status.",
		}, []string{"endpoint", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "qc_http_request_duration_seconds", Help: "Latency of SuperOffice calls.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"endpoint"}),
		upstream: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qc_upstream_requests_total", Help: "Distributor calls by distributor, call and outcome.",
		}, []string{"distributor", "call", "outcome"}),
		upstreamDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "qc_upstream_request_duration_seconds", Help: "Latency of distributor calls.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"distributor", "call"}),
		partial: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qc_distributor_failures_total", Help: "Operations in which a distributor failed while others answered or were needed, by distributor and operation.",
		}, []string{"distributor", "operation"}),
	}
	m.fxFetches = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "qc_fx_fetches_total", Help: "Exchange-rate fetches by outcome (ok, unavailable, invalid, outdated); anything but ok keeps the last good rates.",
	}, []string{"outcome"})
	m.fxRatesDate = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "qc_fx_rates_date_seconds", Help: "Reference day of the exchange rates in use, Unix seconds (0: none); alert when it falls behind.",
	})
	m.Registry.MustRegister(m.fxFetches, m.fxRatesDate)
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "qc_http_in_flight_requests", Help: "HTTP requests being served.",
	})
	m.orders = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "qc_orders_total", Help: "Distributor orders of PlaceOrder by outcome: placed (sent now), replayed (the ledger's recorded result), reconciled (an uncertain order found at the distributor), conflict, failed, uncertain, busy; and the operator's checked and marked_not_placed.",
	}, []string{"distributor", "outcome"})
	m.cache = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "qc_cache_lookups_total", Help: "Cache lookups by cache (products: the engine's price and stock cache; connections: remembered settings) and result (hit, miss).",
	}, []string{"cache", "result"})
	m.tokens = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "qc_token_refresh_total", Help: "Access tokens fetched from a distributor.",
	}, []string{"distributor"})
	info := buildinfo.Get()
	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "qc_build_info", Help: "The running build: always 1, labelled with its version, commit and Go version.",
	}, []string{"version", "commit", "goversion"})
	build.WithLabelValues(info.Version, info.Commit, info.GoVersion).Set(1)
	m.Registry.MustRegister(m.requests, m.duration, m.upstream, m.upstreamDuration, m.partial,
		m.inFlight, m.orders, m.cache, m.tokens, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// InFlight adds delta to the requests being served.
func (m *Metrics) InFlight(delta int) { m.inFlight.Add(float64(delta)) }

// OrderOutcome counts one distributor order's outcome (ledger.Result.Label).
func (m *Metrics) OrderOutcome(distributor, outcome string) {
	m.orders.WithLabelValues(distributor, outcome).Inc()
}

// CacheLookup counts one cache lookup.
func (m *Metrics) CacheLookup(cache string, hit bool) {
	result := "miss"
	if hit {
		result = "hit"
	}
	m.cache.WithLabelValues(cache, result).Inc()
}

// ObserveToken counts one access token fetched (upstream.TokenObserver).
func (m *Metrics) ObserveToken(distributor, _ string, _ time.Time) {
	m.tokens.WithLabelValues(distributor).Inc()
}

// ObserveRequest records one SuperOffice call.
func (m *Metrics) ObserveRequest(endpoint string, code int, d time.Duration) {
	m.requests.WithLabelValues(endpoint, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(endpoint).Observe(d.Seconds())
}

// ObserveUpstream records one distributor HTTP exchange (upstream.Observer).
func (m *Metrics) ObserveUpstream(distributor, call, outcome string, d time.Duration) {
	m.upstream.WithLabelValues(distributor, call, outcome).Inc()
	m.upstreamDuration.WithLabelValues(distributor, call).Observe(d.Seconds())
}

// DistributorFailed records a distributor failing inside an operation.
func (m *Metrics) DistributorFailed(distributor, operation string) {
	m.partial.WithLabelValues(distributor, operation).Inc()
}

// Handler serves the text exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// RatesFetched records an exchange-rate fetch and the day of the rates held
// afterwards (fx.Observer).
func (m *Metrics) RatesFetched(outcome string, held time.Time) {
	m.fxFetches.WithLabelValues(outcome).Inc()
	m.RatesHeld(held)
}

// RatesHeld sets the day of the exchange rates in use (also after loading
// them from the store).
func (m *Metrics) RatesHeld(day time.Time) {
	if day.IsZero() {
		m.fxRatesDate.Set(0)
		return
	}
	m.fxRatesDate.Set(float64(day.Unix()))
}
