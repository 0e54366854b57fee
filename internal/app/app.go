// Package app wires the service together: configuration, logger, sandbox
// simulators, distributor registry, engine, router and HTTP server. Main is
// a type so an end-to-end test can start the whole service on port 0.
package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/activity"
	"github.com/quoteconnector/quoteconnector/internal/auth"
	"github.com/quoteconnector/quoteconnector/internal/buildinfo"
	"github.com/quoteconnector/quoteconnector/internal/catalog"
	"github.com/quoteconnector/quoteconnector/internal/config"
	"github.com/quoteconnector/quoteconnector/internal/connections"
	"github.com/quoteconnector/quoteconnector/internal/console"
	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/logicom"
	"github.com/quoteconnector/quoteconnector/internal/distributors/nuvias"
	"github.com/quoteconnector/quoteconnector/internal/distributors/westcon"
	"github.com/quoteconnector/quoteconnector/internal/engine"
	"github.com/quoteconnector/quoteconnector/internal/fx"
	"github.com/quoteconnector/quoteconnector/internal/handlers"
	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/metrics"
	"github.com/quoteconnector/quoteconnector/internal/sandbox"
	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/postgres"
	"github.com/quoteconnector/quoteconnector/internal/store/sqlite"
)

// SandboxTenant is the Basic-auth user (and password) accepted in sandbox
// mode when no secret is configured (configuration.md).
const SandboxTenant = "sandbox"

// SandboxConsoleUser is the console user (and password) of sandbox mode
// when QC_CONSOLE_USERS is empty (configuration.md).
const SandboxConsoleUser = "sandbox"

// heartbeatEvery is how often a replica writes its heartbeat; the console
// counts a replica as running while its last one is younger than
// replicaWindow.
const (
	heartbeatEvery = 15 * time.Second
	replicaWindow  = time.Minute
)

// Main is the running service.
type Main struct {
	Config  config.Config
	Logger  zerolog.Logger
	Sandbox *sandbox.Sandbox
	Metrics *metrics.Metrics
	Engine  *engine.Engine
	Handler http.Handler
	// Store holds the remembered connections, the order ledger and the
	// last good exchange rates.
	Store store.Store
	// Rates are the reference exchange rates: what conversions use, where
	// they came from and how the last fetch went (Rates.Status; the
	// per-connection overrides: fx.ConnectionOverrides(ctx, Store)).
	Rates *fx.Feed
	// Activity is what this replica has seen lately (the console).
	Activity *activity.Recorder
	// Console is the operator console; nil when it has no users.
	Console *console.Console
	// Ledger and Connections are the order ledger and the connection
	// settings resolver every request uses.
	Ledger      *ledger.Ledger
	Connections *connections.Resolver
	// Instance names this process in the ledger and its heartbeats.
	Instance string
	Started  time.Time
	// Catalog syncs the Logicom accounts' catalogs and searches them; the
	// console shows its Status.
	Catalog *catalog.Catalog

	defaults map[string]string // the sandbox's accounts

	server    *http.Server
	ln        net.Listener
	ready     atomic.Bool
	closeOnce sync.Once
	jobsOnce  sync.Once
	stopJobs  context.CancelFunc

	catalogOnce sync.Once
	stopCatalog context.CancelFunc
}

// New builds the service from its configuration. In sandbox mode it starts
// the simulators first and points the distributor base URLs at them.
func New(cfg config.Config, logger zerolog.Logger) (*Main, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Main{Config: cfg, Logger: logger, Metrics: metrics.New(), Activity: activity.New(nil), Instance: instanceName(), Started: time.Now()}
	obs := observers{m.Metrics, m.Activity}

	secrets, err := config.ParseSharedSecrets(string(cfg.SharedSecrets))
	if err != nil {
		return nil, err
	}
	authOpts := auth.Options{Secrets: secrets, DefaultSecret: string(cfg.SharedSecret), Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience}
	if cfg.JWTPublicKeyFile != "" {
		if authOpts.PublicKeys, err = auth.LoadPublicKeys(cfg.JWTPublicKeyFile); err != nil {
			return nil, err
		}
	}

	if m.Store, err = openStore(cfg, logger); err != nil {
		return nil, err
	}
	keys, err := storeKeys(cfg, logger)
	if err != nil {
		m.Store.Close()
		return nil, err
	}
	if cfg.Sandbox && cfg.DatabaseURL == "" {
		// The simulators start fresh on every run, so orders recorded by an
		// earlier run name orders they no longer know. Remembered
		// connections stay. (Never done to a PostgreSQL store: a sandbox
		// pointed at a shared database must not erase its ledger.)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		n, err := m.Store.DeleteOrdersBefore(ctx, time.Now().Add(time.Hour))
		cancel()
		if err != nil {
			m.Store.Close()
			return nil, fmt.Errorf("store: %w", err)
		}
		if n > 0 {
			logger.Info().Int64("orders", n).Msg("sandbox mode: the simulators start fresh, so the order ledger of earlier runs was cleared")
		}
	}

	var defaults map[string]string
	if cfg.Sandbox {
		sb, err := sandbox.Start(sandbox.Options{Seed: cfg.SandboxSeed, AutoAdvance: 2 * time.Minute, LogicomItems: cfg.SandboxCatalogSize})
		if err != nil {
			m.Store.Close()
			return nil, err
		}
		m.Sandbox = sb
		cfg.LogicomURL, cfg.LogicomStagingURL, cfg.NuviasURL = sb.LogicomURL, sb.LogicomURL, sb.NuviasURL
		cfg.WestconURL, cfg.WestconTokenURL = sb.WestconURL, sb.WestconTokenURL
		defaults = sb.ConfigValues()
		if len(secrets) == 0 && cfg.SharedSecret == "" {
			authOpts.Secrets = map[string]string{SandboxTenant: SandboxTenant}
		}
		logSandbox(logger, sb, len(secrets) == 0 && cfg.SharedSecret == "")
	}

	m.Rates = newRates(cfg, m.Sandbox, m.Store, m.Metrics, logger)
	m.Catalog = catalog.New(catalog.Options{Store: m.Store, Owner: m.Instance, Refresh: cfg.CatalogRefresh,
		Logger: logger.With().Str("component", "catalog").Logger(), Observer: m.Metrics})
	m.defaults = defaults

	// One line per distributor: its package brings its settings, dialog
	// and credentials along.
	registry := distributors.NewRegistry(
		logicom.NewFactory(logicom.Options{ProductionURL: cfg.LogicomURL, StagingURL: cfg.LogicomStagingURL, HTTP: upstreamClient(),
			Observer: obs, Timeout: cfg.UpstreamTimeout, Catalog: m.Catalog}),
		nuvias.NewFactory(nuvias.Options{BaseURL: cfg.NuviasURL, HTTP: upstreamClient(), Observer: obs, Timeout: cfg.UpstreamTimeout}),
		westcon.NewFactory(westcon.Options{BaseURL: cfg.WestconURL, TokenURL: cfg.WestconTokenURL, HTTP: upstreamClient(), Observer: obs, Timeout: cfg.UpstreamTimeout}),
	)
	m.Ledger = ledger.New(ledger.Options{
		Store: m.Store, Owner: m.Instance, IsUncertain: distributors.IsUncertain,
		// An attempt holds its claim for at most the order POST's own
		// deadline; later, it died without recording an outcome.
		StaleAfter: 2*cfg.UpstreamTimeout + 30*time.Second,
	})
	m.Engine = engine.New(engine.Options{
		Registry: registry, DistributorTimeout: cfg.UpstreamTimeout, ProductCacheTTL: cfg.LineCacheTTL, Failures: m.Metrics,
		Ledger: m.Ledger, Calls: m.Activity, Orders: m.Metrics, Cache: m.Metrics,
		Rates: m.Rates, RateMaxAge: cfg.FXMaxAge,
	})
	m.Connections = connections.New(connections.Options{
		Store: m.Store, Keys: keys, IsServiceKey: registry.IsServiceKey, IsSecret: registry.IsSecret, Cache: m.Metrics,
	})
	consoleUsers, err := config.ParseConsoleUsers(string(cfg.ConsoleUsers))
	if err != nil {
		m.Close()
		return nil, err
	}
	if cfg.Sandbox && len(consoleUsers) == 0 {
		consoleUsers = map[string]string{SandboxConsoleUser: SandboxConsoleUser}
	}
	tenants := make([]string, 0, len(authOpts.Secrets))
	for t := range authOpts.Secrets {
		tenants = append(tenants, t)
	}
	m.Console, err = console.New(console.Options{
		Users: consoleUsers, Store: m.Store, Ledger: m.Ledger, Engine: m.Engine, Connections: m.Connections, Activity: m.Activity,
		IsSecret: registry.IsSecret, Defaults: defaults, Tenants: tenants, Instance: m.Instance, Started: m.Started,
		Build: buildinfo.Get(), Orders: m.Metrics, ReplicaWindow: replicaWindow, RefreshEvery: cfg.ConsoleRefresh, Logger: logger,
		Rates:   consoleRates{m.Rates},
		Catalog: consoleCatalog{m.Catalog},
	})
	if err != nil {
		m.Close()
		return nil, fmt.Errorf("console: %w", err)
	}
	deps := handlers.Deps{
		Engine: m.Engine, Auth: auth.New(authOpts), Logger: logger, Metrics: m.Metrics, Activity: m.Activity,
		MaxBodyBytes: cfg.MaxBodyBytes, Ready: m.isReady, DefaultConfig: defaults, Connections: m.Connections,
	}
	if m.Console != nil {
		deps.Console = m.Console
		logConsole(logger, cfg, consoleUsers)
	}
	m.Handler = handlers.New(deps)
	// Ready: settings read, keys loaded, simulators up. Run clears it when
	// shutdown starts so load balancers stop sending new calls.
	m.ready.Store(true)
	return m, nil
}

// newRates sets up the reference exchange rates: the sandbox's own feed in
// sandbox mode (unless QC_FX_URL names another source, e.g. an address
// that does not answer, to try a start without one), the last good rates from
// the store, then one fetch, so the first quote after a start converts
// with today's rates. A fetch that fails is logged and the stored rates
// serve; Run refreshes every QC_FX_REFRESH. The start waits for that
// fetch at most QC_UPSTREAM_TIMEOUT.
func newRates(cfg config.Config, sb *sandbox.Sandbox, st store.Store, mx *metrics.Metrics, logger zerolog.Logger) *fx.Feed {
	url := cfg.FXURL
	if sb != nil && (url == config.DefaultFXURL || url == "") {
		url = sb.FXURL
	}
	feed := fx.NewFeed(fx.FeedOptions{URL: url, Store: st, Observer: mx, Timeout: cfg.UpstreamTimeout, Logger: logger})
	ctx, cancel := context.WithTimeout(context.Background(), cfg.UpstreamTimeout+5*time.Second)
	defer cancel()
	if err := feed.Load(ctx); err != nil {
		logger.Warn().Err(err).Msg("exchange rates: the stored rates could not be read")
	}
	if held := feed.Table(); !held.IsZero() {
		logger.Info().Str("rates_date", held.Date.Format("2006-01-02")).Str("source", held.Source).Msg("exchange rates loaded from the store")
	}
	mx.RatesHeld(feed.Table().Date)
	if url == "" {
		logger.Warn().Msg("QC_FX_URL is empty: no rate source; only stored rates and connections' fixed rates convert")
	}
	_ = feed.Refresh(ctx) // logged and counted by the feed
	return feed
}

// openStore opens PostgreSQL when QC_DATABASE_URL is set, else the SQLite
// file in QC_DATA_DIR, and brings its schema up to date.
func openStore(cfg config.Config, logger zerolog.Logger) (store.Store, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	var st store.Store
	var err error
	if cfg.DatabaseURL != "" {
		st, err = postgres.Open(ctx, string(cfg.DatabaseURL))
	} else {
		st, err = sqlite.Open(ctx, cfg.DataDir)
	}
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	logger.Info().Str("store", st.Describe()).Int64("startup_ms", time.Since(start).Milliseconds()).Msg("store ready")
	return st, nil
}

// storeKeys reads QC_STORE_KEY (and QC_STORE_KEY_PREVIOUS). Config.Validate
// already refused an empty key outside sandbox mode; sandbox mode without
// one uses a fixed development key and says so.
func storeKeys(cfg config.Config, logger zerolog.Logger) (*connections.Keyring, error) {
	if cfg.StoreKey == "" {
		logger.Warn().Msg("QC_STORE_KEY unset: sandbox mode seals stored credentials with a fixed development key; set QC_STORE_KEY for anything real")
		return connections.DevelopmentKeyring(), nil
	}
	current, err := connections.ParseKey("QC_STORE_KEY", string(cfg.StoreKey))
	if err != nil {
		return nil, err
	}
	var previous []byte
	if cfg.StoreKeyPrevious != "" {
		if previous, err = connections.ParseKey("QC_STORE_KEY_PREVIOUS", string(cfg.StoreKeyPrevious)); err != nil {
			return nil, err
		}
	}
	return connections.NewKeyring(current, previous)
}

// instanceName names this process in the ledger rows it claims.
func instanceName() string {
	host, _ := os.Hostname()
	var b [3]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%x", host, os.Getpid(), b)
}

// isReady: settings read, keys loaded, simulators up, and the store
// answers. Run clears ready when shutdown starts so load balancers stop
// sending new calls.
func (m *Main) isReady() bool {
	if !m.ready.Load() {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := m.Store.Ping(ctx); err != nil {
		m.Logger.Warn().Err(err).Msg("not ready: the store does not answer")
		return false
	}
	return true
}

// upstreamClient is one distributor's HTTP client: connection reuse on,
// bounded dial and TLS handshakes; whole-call deadlines come from contexts.
func upstreamClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = 32
	t.IdleConnTimeout = 90 * time.Second
	t.ResponseHeaderTimeout = 30 * time.Second
	return &http.Client{Transport: t, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// logSandbox says where the simulators are and which identifiers a first run
// needs. It names no Password-type setting (the Logicom consumer key is
// one): the full credentials are at the simulators' /_control/info.
func logSandbox(logger zerolog.Logger, sb *sandbox.Sandbox, openTenant bool) {
	acc := sb.Catalog.Logicom.Account
	ex := sb.Catalog.Example()
	ev := logger.Warn().
		Str("logicom_url", sb.LogicomURL).Str("nuvias_url", sb.NuviasURL).
		Str("westcon_url", sb.WestconURL).Str("westcon_token_url", sb.WestconTokenURL).Str("fx_url", sb.FXURL).
		Int("logicom_customer_id", acc.CustomerID).
		Str("nuvias_client_id", sb.Catalog.Nuvias.Credentials.ClientID).
		Str("westcon_client_id", sb.Catalog.Westcon.Credentials.ClientID).
		Str("example_shared_part", ex.SharedLogicomCheaper).Str("example_volume_sku", ex.VolumeSKU)
	if openTenant {
		ev = ev.Str("basic_auth", SandboxTenant+":"+SandboxTenant)
	}
	ev.Msg("SANDBOX MODE: simulated distributors on loopback; calls without distributor settings use the sandbox accounts (full credentials: GET <url>/_control/info)")
}

// logConsole says where the console is and who may use it (names only).
func logConsole(logger zerolog.Logger, cfg config.Config, users map[string]string) {
	names := make([]string, 0, len(users))
	for n := range users {
		names = append(names, n)
	}
	ev := logger.Info().Str("path", handlers.ConsolePath).Strs("console_users", names)
	if cfg.Sandbox && cfg.ConsoleUsers == "" {
		ev = ev.Str("basic_auth", SandboxConsoleUser+":"+SandboxConsoleUser)
	}
	ev.Msg("operator console enabled")
}

// observers fans distributor signals out to Prometheus and to the
// console's memory of this replica.
type observers struct {
	m *metrics.Metrics
	a *activity.Recorder
}

func (o observers) ObserveUpstream(distributor, call, outcome string, d time.Duration) {
	o.m.ObserveUpstream(distributor, call, outcome, d)
}

func (o observers) ObserveToken(distributor, account string, expiry time.Time) {
	o.m.ObserveToken(distributor, account, expiry)
	o.a.ObserveToken(distributor, account, expiry)
}

// Open listens on the configured address; a busy port fails at once.
func (m *Main) Open() error {
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", m.Config.Addr, err)
	}
	m.ln = ln
	m.server = &http.Server{
		Handler:           m.Handler,
		ReadHeaderTimeout: m.Config.ReadHeaderTimeout,
		ReadTimeout:       m.Config.ReadTimeout,
		WriteTimeout:      m.Config.WriteTimeout,
		IdleTimeout:       m.Config.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
	}
	return nil
}

// URL is the base URL the service listens on.
func (m *Main) URL() string {
	if m.ln == nil {
		return ""
	}
	return "http://" + m.ln.Addr().String()
}

// Run serves until ctx ends, then stops accepting, drains in-flight requests
// within ShutdownTimeout and stops the sandbox (miniflux's order: HTTP
// first, background work after).
func (m *Main) Run(ctx context.Context) error {
	if m.ln == nil {
		if err := m.Open(); err != nil {
			return err
		}
	}
	info := buildinfo.Get()
	m.Logger.Info().Str("addr", m.ln.Addr().String()).Bool("sandbox", m.Sandbox != nil).
		Str("version", info.Version).Str("commit", info.Commit).Str("instance", m.Instance).Msg("quoteconnector listening")
	m.StartJobs()
	m.StartCatalog()
	errc := make(chan error, 1)
	go func() { errc <- m.server.Serve(m.ln) }()
	select {
	case err := <-errc:
		m.Close()
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	m.ready.Store(false)
	m.Logger.Info().Int64("timeout_ms", m.Config.ShutdownTimeout.Milliseconds()).Msg("shutting down: draining requests")
	sctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
	defer cancel()
	err := m.server.Shutdown(sctx)
	m.Close()
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	m.Logger.Info().Msg("stopped")
	return nil
}

// StartJobs runs the background work, once: the ledger's retention, the
// exchange-rate refresh and this replica's heartbeat. Run starts them; a
// test that serves Handler itself may.
func (m *Main) StartJobs() {
	m.jobsOnce.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		m.stopJobs = cancel
		go ledger.RunRetention(ctx, m.Store, m.Config.LedgerRetention, time.Hour, m.Logger)
		refresh := m.Config.FXRefresh
		if refresh <= 0 {
			refresh = config.DefaultFXRefresh
		}
		go m.Rates.Run(ctx, refresh)
		go m.heartbeats(ctx)
	})
}

// heartbeats writes this replica's heartbeat at once and then every
// heartbeatEvery, and drops heartbeats a day old (replicas long gone).
// Every replica may prune: the result is the same whoever does.
func (m *Main) heartbeats(ctx context.Context) {
	info := buildinfo.Get()
	rec := store.ReplicaRecord{Instance: m.Instance, Version: info.Version, Commit: info.Commit, StartedAt: m.Started}
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	failing := false
	for {
		wctx, cancel := context.WithTimeout(ctx, heartbeatEvery)
		err := m.Store.Heartbeat(wctx, rec)
		if err == nil {
			_, err = m.Store.DeleteReplicasBefore(wctx, time.Now().Add(-24*time.Hour))
		}
		cancel()
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			// Once per outage; readiness reports the store as well.
			m.Logger.Warn().Err(err).Msg("heartbeat not written; will try again")
			failing = true
		case err == nil:
			failing = false
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// StartCatalog runs the catalog syncs: of the accounts the service knows
// now (registerCatalogs) and of those registered later. Run starts it;
// tests that serve Handler themselves start it, or sync with
// Catalog.SyncNow, when they want it (a background sync would add
// distributor calls to the ones they count).
func (m *Main) StartCatalog() {
	m.catalogOnce.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		m.stopCatalog = cancel
		m.Catalog.Start(ctx)
		go m.registerCatalogs(ctx, 5*time.Minute)
	})
}

// registerCatalogs registers every account the service knows (stored
// connections, the sandbox's) with the local catalog of its distributor,
// where it keeps one (distributors.CatalogSyncer: Logicom), so it is synced
// before anyone searches it, and again every interval: another replica may
// have stored a new connection. Connections that search register
// themselves anyway.
func (m *Main) registerCatalogs(ctx context.Context, every time.Duration) {
	for {
		m.RegisterCatalogs(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// RegisterCatalogs is one round of registerCatalogs.
func (m *Main) RegisterCatalogs(ctx context.Context) {
	registry := m.Engine.Registry()
	register := func(values map[string]string, what string) {
		conn, _ := registry.Parse(values)
		for name, err := range registry.SyncCatalogs(conn) {
			m.Logger.Warn().Str("connection", what).Str("distributor", name).Err(err).
				Msg("catalog not synced: the connection's " + registry.Title(name) + " settings are unusable")
		}
	}
	if m.defaults != nil {
		register(m.defaults, "sandbox")
	}
	recs, err := m.Store.ListConnections(ctx, "")
	if err != nil {
		m.Logger.Warn().Err(err).Msg("catalog: stored connections not read")
		return
	}
	for _, rec := range recs {
		if !registry.ConfiguresDistributor(rec.Values) {
			continue
		}
		// Resolve opens the sealed credentials the way a call would.
		s, err := m.Connections.Resolve(ctx, rec.Tenant, connections.IDs{CRM: rec.ConnectionID}, nil)
		if err != nil || s.Source == connections.None {
			continue
		}
		register(s.Values, fmt.Sprintf("%s/%d", rec.Tenant, rec.ConnectionID))
	}
}

// Close stops background work, the sandbox and the store; the HTTP server
// is stopped by Run. It may be called more than once.
func (m *Main) Close() {
	m.closeOnce.Do(func() {
		if m.stopJobs != nil {
			m.stopJobs()
		}
		if m.stopCatalog != nil {
			m.stopCatalog()
			m.Catalog.Wait() // the syncs write to the store
		}
		if m.Sandbox != nil {
			m.Sandbox.Close()
		}
		if m.Store != nil {
			m.Store.Close()
		}
	})
}
