// Package apptest starts the whole service (sandbox simulators, engine,
// router) behind a real HTTP listener for tests and benchmarks, and gives
// them a small client that speaks the protocol.
package apptest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/app"
	"github.com/quoteconnector/quoteconnector/internal/config"
	"github.com/quoteconnector/quoteconnector/internal/sandbox"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
)

// Tenant and Secret are the Basic credentials of a test service.
const (
	Tenant = "acme"
	Secret = "s3cret-for-tests"
)

// ConsoleUser and ConsolePassword open the operator console of a test
// service (QC_CONSOLE_USERS).
const (
	ConsoleUser     = "ops"
	ConsolePassword = "console-pw-for-tests"
)

// StoreKey is the QC_STORE_KEY of test services (base64 of 32 bytes).
const StoreKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

// Env is a running service.
type Env struct {
	Main    *app.Main
	Server  *httptest.Server
	Sandbox *sandbox.Sandbox
	Example catalog.Example
	Logs    *bytes.Buffer
	Client  *http.Client
	// validate checks every answer of a protocol or probe path against the
	// OpenAPI document.
	validate bool
}

// Options change the test service's configuration.
type Options struct {
	// NoSandbox starts the service without simulators (nothing enabled).
	NoSandbox bool
	// Configure edits the configuration before the service is built.
	Configure func(*config.Config)
	// SkipDocumentCheck turns off validating every answer against the
	// OpenAPI document (benchmarks).
	SkipDocumentCheck bool
	// Simulators runs the service in production mode (QC_SANDBOX=false)
	// against these simulators and their rate feed: calls find
	// distributors only through the settings they send or the service
	// remembers. Several services (a
	// restart, a second replica) can share them.
	Simulators *sandbox.Sandbox
	// DataDir is the embedded store's folder (default: a fresh one); the
	// same folder again is a restart.
	DataDir string
	// DatabaseURL puts the state in PostgreSQL (see storetest.PostgresURL).
	DatabaseURL string
	// Logger replaces the default (debug level into Env.Logs): benchmarks
	// log at the production level into nothing.
	Logger *zerolog.Logger
}

// StartSimulators runs the distributor simulators on loopback for tb.
func StartSimulators(tb testing.TB) *sandbox.Sandbox {
	tb.Helper()
	sb, err := sandbox.Start(sandbox.Options{Seed: catalog.DefaultSeed})
	if err != nil {
		tb.Fatalf("start simulators: %v", err)
	}
	tb.Cleanup(sb.Close)
	return sb
}

// Start runs a service for tb; it stops when the test ends.
func Start(tb testing.TB, o Options) *Env {
	tb.Helper()
	cfg := config.Config{
		Addr: "127.0.0.1:0", SharedSecrets: config.Secret(Tenant + "=" + Secret), Sandbox: !o.NoSandbox, SandboxSeed: catalog.DefaultSeed,
		LogicomURL: "http://127.0.0.1:1/api", LogicomStagingURL: "http://127.0.0.1:1/api", NuviasURL: "http://127.0.0.1:1/api/v1",
		WestconURL: "http://127.0.0.1:1", WestconTokenURL: "http://127.0.0.1:1/{tenant}/oauth2/token",
		UpstreamTimeout: 5 * time.Second, LogLevel: "debug", ShutdownTimeout: 5 * time.Second, MaxBodyBytes: 1 << 20,
		LineCacheTTL: 15 * time.Second, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second,
		DataDir: tb.TempDir(), LedgerRetention: 400 * 24 * time.Hour, StoreKey: StoreKey,
		ConsoleUsers: config.Secret(ConsoleUser + "=" + ConsolePassword),
	}
	if o.DataDir != "" {
		cfg.DataDir = o.DataDir
	}
	cfg.DatabaseURL = config.Secret(o.DatabaseURL)
	if sb := o.Simulators; sb != nil {
		cfg.Sandbox = false
		cfg.LogicomURL, cfg.LogicomStagingURL, cfg.NuviasURL = sb.LogicomURL, sb.LogicomURL, sb.NuviasURL
		cfg.WestconURL, cfg.WestconTokenURL = sb.WestconURL, sb.WestconTokenURL
		cfg.FXURL = sb.FXURL
	}
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	logs := &bytes.Buffer{}
	logger := zerolog.New(&syncWriter{w: logs}).Level(zerolog.DebugLevel)
	if o.Logger != nil {
		logger = *o.Logger
	}
	m, err := app.New(cfg, logger)
	if err != nil {
		tb.Fatalf("start service: %v", err)
	}
	srv := httptest.NewServer(m.Handler)
	// Background work as in Run: heartbeats, retention.
	m.StartJobs()
	tb.Cleanup(func() {
		srv.Close()
		m.Close()
	})
	e := &Env{Main: m, Server: srv, Sandbox: m.Sandbox, Logs: logs, Client: srv.Client(), validate: !o.SkipDocumentCheck}
	if o.Simulators != nil {
		e.Sandbox = o.Simulators
	}
	if e.Sandbox != nil {
		e.Example = e.Sandbox.Catalog.Example()
	}
	return e
}

// Stop shuts the service down (before a restart on the same state).
func (e *Env) Stop() {
	e.Server.Close()
	e.Main.Close()
}

// Response is a decoded answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v or fails the test.
func (r Response) JSON(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Post sends body (a string is sent as is, anything else as JSON) to
// POST /{endpoint} with the test tenant's Basic credentials.
func (e *Env) Post(tb testing.TB, endpoint string, body any) Response {
	tb.Helper()
	return e.Do(tb, http.MethodPost, "/"+endpoint, body, func(r *http.Request) { r.SetBasicAuth(Tenant, Secret) })
}

// PostAs is Post with another tenant's Basic credentials.
func (e *Env) PostAs(tb testing.TB, tenant, secret, endpoint string, body any) Response {
	tb.Helper()
	return e.Do(tb, http.MethodPost, "/"+endpoint, body, func(r *http.Request) { r.SetBasicAuth(tenant, secret) })
}

// Do sends a request with optional edits (headers, auth).
func (e *Env) Do(tb testing.TB, method, path string, body any, edit func(*http.Request)) Response {
	tb.Helper()
	var data []byte
	switch b := body.(type) {
	case nil:
	case string:
		data = []byte(b)
	case []byte:
		data = b
	default:
		var err error
		if data, err = json.Marshal(b); err != nil {
			tb.Fatalf("encode body: %v", err)
		}
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.Server.URL+path, rd)
	if err != nil {
		tb.Fatalf("request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if edit != nil {
		edit(req)
	}
	resp, err := e.Client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read: %v", err)
	}
	r := Response{Status: resp.StatusCode, Header: resp.Header, Body: answer}
	e.check(tb, method, req.URL.Path, data, r)
	return r
}

// Console sends a request to the operator console as the test console
// user, without following redirects: form (may be nil) is sent
// url-encoded; edit may change the request (credentials, headers).
func (e *Env) Console(tb testing.TB, method, path string, form url.Values, edit func(*http.Request)) Response {
	tb.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.Server.URL+path, body)
	if err != nil {
		tb.Fatalf("request: %v", err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.SetBasicAuth(ConsoleUser, ConsolePassword)
	if edit != nil {
		edit(req)
	}
	client := *e.Client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read: %v", err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// syncWriter lets concurrent requests log into one buffer.
type syncWriter struct {
	w  *bytes.Buffer
	mu chanMutex
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// chanMutex is a mutex usable as a zero value inside syncWriter.
type chanMutex struct{ ch chan struct{} }

func (m *chanMutex) Lock() {
	if m.ch == nil {
		m.ch = make(chan struct{}, 1)
	}
	m.ch <- struct{}{}
}

func (m *chanMutex) Unlock() { <-m.ch }
