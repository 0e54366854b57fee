// Package console is the operator console at /console: server-rendered
// HTML pages (html/template, one embedded stylesheet, a few lines of
// optional JavaScript for auto-refresh) that show who uses the service and
// how it goes, and let an operator settle uncertain orders. It is for
// whoever runs the container, not for tenants: its users come from
// QC_CONSOLE_USERS (HTTP Basic), and no tenant credential opens it.
//
// Every page works without JavaScript, every action is a POST carrying a
// CSRF token, and every answer sends a Content-Security-Policy and
// X-Frame-Options: DENY. No page shows a secret: Password-type settings
// are shown as set or unset, tokens never.
package console

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/activity"
	"github.com/quoteconnector/quoteconnector/internal/buildinfo"
	"github.com/quoteconnector/quoteconnector/internal/connections"
	"github.com/quoteconnector/quoteconnector/internal/engine"
	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Path is where the console is mounted (handlers.ConsolePath).
const Path = "/console"

// Options are what the console reads and acts on.
type Options struct {
	// Users are the console's users: name → password (QC_CONSOLE_USERS).
	Users map[string]string

	Store       store.Store
	Ledger      *ledger.Ledger
	Engine      *engine.Engine
	Connections *connections.Resolver
	Activity    *activity.Recorder
	// IsSecret marks the Password-type settings, shown as set or unset.
	IsSecret func(key string) bool
	// Defaults are the settings calls without their own use (sandbox mode:
	// the simulators' accounts); nil outside sandbox mode.
	Defaults map[string]string
	// Tenants are the tenant names the service is configured for (never
	// their secrets), listed even before they call.
	Tenants []string
	// Instance names this replica (as in its heartbeats).
	Instance string
	Started  time.Time
	Build    buildinfo.Info
	// Orders counts the operator's steps (qc_orders_total); may be nil.
	Orders engine.OrderCounter

	// Catalog and Rates are the catalog sync and the exchange rates; nil
	// until those parts of the service are wired in, and their sections
	// appear only when they have data.
	Catalog CatalogProvider
	Rates   RatesProvider

	// ReplicaWindow is how recent a heartbeat must be for its replica to
	// count as running (default 1 minute).
	ReplicaWindow time.Duration
	// RefreshEvery is how often an idle page reloads its content with
	// JavaScript (default 10 s).
	RefreshEvery time.Duration
	Now          func() time.Time
	Logger       zerolog.Logger
}

// Console serves the pages. It is an http.Handler.
type Console struct {
	o       Options
	pages   map[string]*template.Template
	handler http.Handler
	users   map[string][32]byte // name → SHA-256 of the password

	mu       sync.Mutex
	flashes  map[string]flash // one-shot result of a user's last action
	catalogP CatalogProvider
	ratesP   RatesProvider
}

// SetCatalog wires the catalog sync in after New (Options.Catalog does it
// at New); nil takes it out.
func (c *Console) SetCatalog(p CatalogProvider) {
	c.mu.Lock()
	c.catalogP = p
	c.mu.Unlock()
}

// SetRates wires the exchange rates in after New (Options.Rates does it at
// New); nil takes them out.
func (c *Console) SetRates(p RatesProvider) {
	c.mu.Lock()
	c.ratesP = p
	c.mu.Unlock()
}

func (c *Console) providers() (CatalogProvider, RatesProvider) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.catalogP, c.ratesP
}

// flash is the result of an action, shown once on the next page the user
// loads (post/redirect/get).
type flash struct {
	OK   bool
	Text string
}

// New returns the console, or nil when it has no users (then it is not
// served at all and /console answers 404).
func New(o Options) (*Console, error) {
	if len(o.Users) == 0 {
		return nil, nil
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ReplicaWindow <= 0 {
		o.ReplicaWindow = time.Minute
	}
	if o.RefreshEvery <= 0 {
		o.RefreshEvery = 10 * time.Second
	}
	if o.IsSecret == nil {
		o.IsSecret = func(string) bool { return true }
	}
	c := &Console{o: o, users: map[string][32]byte{}, flashes: map[string]flash{}, catalogP: o.Catalog, ratesP: o.Rates}
	for name, pw := range o.Users {
		c.users[name] = sha256.Sum256([]byte(pw))
	}
	if err := c.parseTemplates(); err != nil {
		return nil, err
	}

	r := chi.NewRouter()
	r.Use(securityHeaders, c.authenticate)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		c.renderError(w, r, http.StatusNotFound, "No such page.")
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		c.renderError(w, r, http.StatusMethodNotAllowed, "This page does not take "+r.Method+".")
	})
	static, _ := fs.Sub(staticFiles, "static")
	r.Handle("/static/*", http.StripPrefix(Path+"/static/", http.FileServerFS(static)))

	r.Get("/", c.overview)
	r.Get("/tenants", c.tenants)
	r.Get("/orders", c.orders)
	r.Get("/catalog", c.catalog)
	r.Get("/rates", c.rates)
	// Actions: POST only, each with a CSRF token, and refused when the
	// browser says the form came from another site.
	r.Group(func(r chi.Router) {
		r.Use(http.NewCrossOriginProtection().Handler, c.checkCSRF)
		r.Post("/tenants/test", c.testConnection)
		r.Post("/orders/check", c.checkOrder)
		r.Post("/orders/not-placed", c.markNotPlaced)
	})
	c.handler = r
	return c, nil
}

func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.handler.ServeHTTP(w, r) }

// contentSecurityPolicy allows only the console's own stylesheet and
// script: no inline code, no frames, forms only to itself.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// --- authentication ---

type userKey struct{}

// user is the signed-in console user.
func user(ctx context.Context) string {
	u, _ := ctx.Value(userKey{}).(string)
	return u
}

// unknownUser is compared against for names that are not users, so the
// time taken does not tell whether a name exists.
var unknownUser = sha256.Sum256([]byte("\x00no such console user"))

// authenticate is HTTP Basic against the console's own users; passwords are
// compared as SHA-256 digests in constant time.
func (c *Console) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, pw, ok := r.BasicAuth()
		want, known := c.users[name]
		if !known {
			want = unknownUser
		}
		got := sha256.Sum256([]byte(pw))
		match := subtle.ConstantTimeCompare(want[:], got[:]) == 1
		if !ok || !known || !match {
			detail := "no credentials"
			switch {
			case ok && !known:
				detail = "unknown console user"
			case ok:
				detail = "wrong password"
			}
			ev := zerolog.Ctx(r.Context()).Info().Str("reason", "console login refused").Str("detail", detail)
			if known {
				ev = ev.Str("console_user", name)
			}
			ev.Msg("authentication failed: 401")
			w.Header().Set("WWW-Authenticate", `Basic realm="quoteconnector console", charset="UTF-8"`)
			c.renderError(w, r, http.StatusUnauthorized, "Sign in with a console user (QC_CONSOLE_USERS).")
			return
		}
		zerolog.Ctx(r.Context()).UpdateContext(func(zc zerolog.Context) zerolog.Context {
			return zc.Str("console_user", name)
		})
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, name)))
	})
}

// --- CSRF ---

// csrfLifetime is how long a form's token is accepted; pages refresh
// theirs as they reload.
const csrfLifetime = 12 * time.Hour

// csrfToken is "<unix seconds>.<HMAC>" keyed with the user's password
// digest: every replica with the same users issues and accepts the same
// tokens, and a token is of no use to another user or after its lifetime.
func (c *Console) csrfToken(name string, at time.Time) string {
	ts := strconv.FormatInt(at.Unix(), 10)
	return ts + "." + c.csrfMAC(name, ts)
}

func (c *Console) csrfMAC(name, ts string) string {
	key := c.users[name]
	m := hmac.New(sha256.New, append([]byte("qc-console-csrf\x00"), key[:]...))
	m.Write([]byte(name + "\x00" + ts))
	return hex.EncodeToString(m.Sum(nil))
}

func (c *Console) validCSRF(name, token string) bool {
	ts, mac, ok := strings.Cut(token, ".")
	if !ok {
		return false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := c.o.Now().Sub(time.Unix(sec, 0))
	if age < -time.Minute || age > csrfLifetime {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(c.csrfMAC(name, ts)))
}

func (c *Console) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			c.renderError(w, r, http.StatusBadRequest, "The form could not be read.")
			return
		}
		if !c.validCSRF(user(r.Context()), r.PostForm.Get("csrf")) {
			zerolog.Ctx(r.Context()).Info().Msg("console action refused: missing or stale CSRF token")
			c.renderError(w, r, http.StatusForbidden, "This form is stale or did not come from the console. Reload the page and try again.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// --- flashes ---

func (c *Console) setFlash(name string, f flash) {
	c.mu.Lock()
	c.flashes[name] = f
	c.mu.Unlock()
}

func (c *Console) takeFlash(name string) *flash {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.flashes[name]
	if !ok {
		return nil
	}
	delete(c.flashes, name)
	return &f
}

// --- rendering ---

// page is what every page template gets.
type page struct {
	Title   string
	Nav     string // the current section
	User    string
	CSRF    string
	Build   buildinfo.Info
	Now     time.Time
	Refresh bool // the page reloads itself (console.js) when idle
	// RefreshSeconds is how often.
	RefreshSeconds int
	Flash          *flash
	Catalog        bool // show the catalog section in the navigation
	Rates          bool // show the rates section
	Data           any
}

func (c *Console) newPage(r *http.Request, nav, title string, data any) page {
	name := user(r.Context())
	return page{Title: title, Nav: nav, User: name, CSRF: c.csrfToken(name, c.o.Now()), Build: c.o.Build, Now: c.o.Now(),
		Refresh: r.Method == http.MethodGet, RefreshSeconds: max(1, int(c.o.RefreshEvery/time.Second)), Flash: c.takeFlash(name),
		Catalog: c.hasCatalog(r.Context()), Rates: c.hasRates(r.Context()), Data: data}
}

// title is how users see the distributor named name.
func (c *Console) title(name string) string { return c.o.Engine.Registry().Title(name) }

func (c *Console) parseTemplates() error {
	pageFuncs := maps.Clone(funcs)
	// How users see a distributor: as the engine's registry titles it.
	pageFuncs["title"] = c.title
	layout, err := template.New("layout.html").Funcs(pageFuncs).ParseFS(templateFiles, "templates/layout.html", "templates/_partials.html")
	if err != nil {
		return err
	}
	c.pages = map[string]*template.Template{}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return err
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFiles, n)
		if err != nil {
			return err
		}
		c.pages[base] = t
	}
	return nil
}

// render writes a page; the template runs into a buffer first, so a
// failure is a clean 500.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	var b bytes.Buffer
	if err := c.pages[name].ExecuteTemplate(&b, "layout.html", p); err != nil {
		zerolog.Ctx(r.Context()).Error().Err(err).Str("page", name).Msg("console page failed")
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

func (c *Console) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p := page{Title: http.StatusText(status), User: user(r.Context()), Build: c.o.Build, Now: c.o.Now(), Data: msg}
	if p.User != "" {
		p.CSRF = c.csrfToken(p.User, c.o.Now())
	}
	c.render(w, r, status, "error", p)
}

// redirect ends an action (post/redirect/get).
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}
