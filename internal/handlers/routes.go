// Package handlers is the HTTP face of the service: one route per
// SuperOffice endpoint (protocol §4), the operational probes, and the
// middleware every request passes. Handlers decode the carrier, call the
// engine and encode its answer; nothing else happens here.
package handlers

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/auth"
	"github.com/quoteconnector/quoteconnector/internal/connections"
	"github.com/quoteconnector/quoteconnector/internal/engine"
)

// Deps are what the handlers need.
type Deps struct {
	Engine  *engine.Engine
	Auth    *auth.Authenticator
	Logger  zerolog.Logger
	Metrics interface {
		RequestObserver
		InFlight(delta int)
		Handler() http.Handler
	}
	// Activity also sees every request (the console's last hour); may be
	// nil.
	Activity RequestObserver
	// Console is the operator console, served at /console; nil: no
	// console (404).
	Console      http.Handler
	MaxBodyBytes int64
	// Ready reports whether the service can serve (GET /readyz).
	Ready func() bool
	// Connections finds each call's settings: sent, else remembered.
	Connections *connections.Resolver
	// DefaultConfig is merged into the ConfigValues of calls that configure
	// no distributor (sandbox mode: the simulators' accounts).
	DefaultConfig map[string]string
}

// Handlers holds the dependencies of every handler.
type Handlers struct {
	d Deps
}

// endpoint is one SuperOffice call: POST /{Name}.
type endpoint struct {
	name    string
	handler http.HandlerFunc
}

// endpoints lists the 31 SuperOffice endpoints (protocol §4.1), one line
// each, in the protocol's order.
func (h *Handlers) endpoints() []endpoint {
	return []endpoint{
		{"GetConfigurationFields", h.getConfigurationFields},
		{"TestConnection", h.testConnection},
		{"GetCapabilities", h.getCapabilities},
		{"GetQuoteList", h.getQuoteList},
		{"GetNumberOfActivePriceLists", h.getNumberOfActivePriceLists},
		{"GetAllPriceLists", h.getAllPriceLists},
		{"GetActivePriceLists", h.getActivePriceLists},
		{"GetAddresses", h.getAddresses},
		{"OnBeforeCreateQuote", h.onBeforeCreateQuote},
		{"OnBeforeCreateQuoteVersion", h.onBeforeCreateQuoteVersion},
		{"OnBeforeCreateQuoteAlternative", h.onBeforeCreateQuoteAlternative},
		{"OnAfterSaveQuote", h.onAfterSaveQuote},
		{"OnBeforeDeleteQuote", h.onBeforeDeleteQuote},
		{"OnAfterSentQuoteVersion", h.onAfterSentQuoteVersion},
		{"OnQuoteLineChanged", h.onQuoteLineChanged},
		{"FindProduct", h.findProduct},
		{"GetProduct", h.getProduct},
		{"GetProducts", h.getProducts},
		{"GetQuoteLinesFromProduct", h.getQuoteLinesFromProduct},
		{"GetNumberOfProductImages", h.getNumberOfProductImages},
		{"GetProductImage", h.getProductImage},
		{"GetSearchableFields", h.getSearchableFields},
		{"GetSearchResults", h.getSearchResults},
		{"RecalculateQuoteAlternative", h.recalculateQuoteAlternative},
		{"ValidateQuoteVersion", h.validateQuoteVersion},
		{"UpdateQuoteVersionPrices", h.updateQuoteVersionPrices},
		{"PlaceOrder", h.placeOrder},
		{"GetOrderState", h.getOrderState},
		{"OnQuoteVersionRequestApproval", h.onQuoteVersionRequestApproval},
		{"OnQuoteVersionApproved", h.onQuoteVersionApproved},
		{"OnQuoteVersionRejected", h.onQuoteVersionRejected},
	}
}

// EndpointNames lists the SuperOffice endpoints the router serves.
func EndpointNames() []string {
	var h Handlers
	eps := h.endpoints()
	out := make([]string, len(eps))
	for i, e := range eps {
		out[i] = e.name
	}
	return out
}

// ConsolePath is where the operator console is mounted.
const ConsolePath = "/console"

// OperationalPaths are the GET endpoints outside the protocol.
var OperationalPaths = []string{"/healthz", "/readyz", "/metrics"}

// New returns the service's router.
func New(d Deps) http.Handler {
	h := &Handlers{d: d}
	if h.d.MaxBodyBytes <= 0 {
		h.d.MaxBodyBytes = 1 << 20
	}
	if h.d.Ready == nil {
		h.d.Ready = func() bool { return true }
	}
	names := map[string]string{}
	for _, e := range h.endpoints() {
		names["/"+strings.ToLower(e.name)] = "/" + e.name
	}

	r := chi.NewRouter()
	var inFlight func(int)
	var observers []RequestObserver
	if d.Metrics != nil {
		inFlight, observers = d.Metrics.InFlight, append(observers, d.Metrics)
	}
	if d.Activity != nil {
		observers = append(observers, d.Activity)
	}
	r.Use(requestID(d.Logger), observe(inFlight, observers...), recoverer, canonicalPath(names))
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeErrorBody(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		allow := "POST"
		for _, p := range OperationalPaths {
			if r.URL.Path == p {
				allow = "GET"
			}
		}
		w.Header().Set("Allow", allow)
		writeErrorBody(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed; use "+allow)
	})

	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, map[string]string{"status": "ok"}) })
	r.Get("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !h.d.Ready() {
			writeErrorBody(w, http.StatusServiceUnavailable, "not ready")
			return
		}
		writeJSON(w, map[string]string{"status": "ready"})
	})
	if d.Metrics != nil {
		r.Method(http.MethodGet, "/metrics", d.Metrics.Handler())
	}
	if d.Console != nil {
		// The console has its own authentication (operators, not tenants)
		// and its own answers (HTML).
		r.Mount(ConsolePath, d.Console)
	}

	r.Group(func(r chi.Router) {
		r.Use(limitBody(h.d.MaxBodyBytes), d.Auth.Middleware(withTenant))
		for _, e := range h.endpoints() {
			r.Post("/"+e.name, e.handler)
		}
	})
	return r
}

// withTenant puts the tenant on every log line of the request, including
// the access line written by the outer middleware: the request's logger is
// updated in place (it is the request's own copy).
func withTenant(r *http.Request, id auth.Identity) *http.Request {
	zerolog.Ctx(r.Context()).UpdateContext(func(c zerolog.Context) zerolog.Context {
		return c.Str("tenant", id.Tenant)
	})
	return r
}
