// Package westconsim simulates Westcon-Comstor's order status API and the
// Azure AD token endpoint in front of it (seed westcon-order-status-api.txt,
// decisions in distributors.md → Westcon).
//
// Routes (all on one handler):
//
//	POST /{tenantId}/oauth2/token   Azure AD v1 client-credentials token
//	POST /Orders/orderStatus        order status (Bearer + Ocp-Apim-Subscription-Key)
//	/_control/...                   test controls (never fault-injected)
//
// In the service the token URL setting is
// `http://host:port/{tenant}/oauth2/token` and the API base is
// `http://host:port`.
package westconsim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
)

// Call names for CallCount. Every request that reaches a route is counted,
// including rejected and fault-injected ones.
const (
	CallToken       = "token"
	CallOrderStatus = "orderStatus"
)

// DefaultTokenTTL is the expires_in of the real Azure AD endpoint.
const DefaultTokenTTL = 3599 * time.Second

// Line status codes used when advancing orders.
const (
	StatusOpen      = "OPN"
	StatusBackorder = "BCK"
	StatusShipped   = "SHI"
	StatusInvoiced  = "INV"
)

// ErrUnknownOrder is returned by AdvanceOrder for an order number it does not
// know.
var ErrUnknownOrder = errors.New("westconsim: unknown order")

// Options configure a Server. The zero value is usable.
type Options struct {
	// Now is the clock (token expiry, status dates, auto advance); default time.Now.
	Now func() time.Time
	// TokenTTL is the lifetime of issued tokens (expires_in); default 3599 s.
	TokenTTL time.Duration
	// AutoAdvance, when > 0, advances every order one step per elapsed
	// AutoAdvance (evaluated lazily against Now on each request, so a fake
	// clock drives it deterministically).
	AutoAdvance time.Duration
}

type order struct {
	catalog.WestconOrder
	lastStep time.Time // for AutoAdvance
}

// Server is one simulated Westcon. It is safe for concurrent use.
type Server struct {
	creds  catalog.WestconCredentials
	now    func() time.Time
	ttl    time.Duration
	auto   time.Duration
	faults *faults.Injector

	mu       sync.Mutex
	orders   []*order
	tokens   map[string]time.Time // token → expiry
	billing  int
	counts   map[string]int
	handler  http.Handler
	initOnce sync.Once
}

// New returns a simulator serving cat.Westcon. The catalog is copied; the
// simulator never changes cat.
func New(cat *catalog.Catalog, opts Options) *Server {
	if cat == nil {
		cat = &catalog.Catalog{}
	}
	s := &Server{
		creds:   cat.Westcon.Credentials,
		now:     opts.Now,
		ttl:     opts.TokenTTL,
		auto:    opts.AutoAdvance,
		faults:  faults.New(),
		tokens:  map[string]time.Time{},
		counts:  map[string]int{},
		billing: 900000000,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.ttl <= 0 {
		s.ttl = DefaultTokenTTL
	}
	start := s.now()
	for _, o := range cat.Westcon.Orders {
		s.orders = append(s.orders, &order{WestconOrder: copyOrder(o), lastStep: start})
	}
	return s
}

func copyOrder(o catalog.WestconOrder) catalog.WestconOrder {
	o.Lines = append([]catalog.WestconLine(nil), o.Lines...)
	return o
}

// Faults returns the fault injector in front of the API routes.
func (s *Server) Faults() *faults.Injector { return s.faults }

// Credentials returns the credentials the simulator accepts.
func (s *Server) Credentials() catalog.WestconCredentials { return s.creds }

// RevokeTokens invalidates every issued token.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	s.tokens = map[string]time.Time{}
	s.mu.Unlock()
}

// CallCount returns how many requests reached the named route (CallToken,
// CallOrderStatus) since the start or the last ResetCounts.
func (s *Server) CallCount(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[name]
}

// ResetCounts zeroes every call counter.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	s.counts = map[string]int{}
	s.mu.Unlock()
}

// AddOrder adds (or replaces, by WestconNumber) an order.
func (s *Server) AddOrder(o catalog.WestconOrder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	no := &order{WestconOrder: copyOrder(o), lastStep: s.now()}
	for i, x := range s.orders {
		if x.WestconNumber == alpha(o.WestconNumber) {
			s.orders[i] = no
			return
		}
	}
	s.orders = append(s.orders, no)
}

// Order returns a copy of the order with the given Westcon number.
func (s *Server) Order(number string) (catalog.WestconOrder, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUpLocked()
	if o := s.findLocked(number); o != nil {
		return copyOrder(o.WestconOrder), true
	}
	return catalog.WestconOrder{}, false
}

// AdvanceOrder moves every line of the order (by Westcon number, padded
// as SAP pads it) one step: OPN/BCK/other → SHI (ship date set), SHI → INV
// (billing document set). INV lines stay INV.
func (s *Server) AdvanceOrder(number string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUpLocked()
	o := s.findLocked(number)
	if o == nil {
		return fmt.Errorf("%w: %q", ErrUnknownOrder, number)
	}
	s.advanceLocked(o, s.now())
	return nil
}

func (s *Server) findLocked(number string) *order {
	for _, o := range s.orders {
		if sameNumber(o.WestconNumber, number) {
			return o
		}
	}
	return nil
}

func (s *Server) advanceLocked(o *order, at time.Time) {
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	var doc string
	for i := range o.Lines {
		l := &o.Lines[i]
		switch l.StatusCode {
		case StatusInvoiced:
			continue
		case StatusShipped:
			if doc == "" {
				s.billing++
				doc = fmt.Sprintf("%010d", s.billing)
			}
			l.StatusCode, l.StatusDescription = StatusInvoiced, "Invoiced"
			l.BillingDocument = doc
			if l.ShipDate.IsZero() {
				l.ShipDate = day
			}
		default:
			l.StatusCode, l.StatusDescription = StatusShipped, "Shipped"
			l.ShipDate = day
		}
		l.StatusDate = day
	}
}

// catchUpLocked applies AutoAdvance steps due by now.
func (s *Server) catchUpLocked() {
	if s.auto <= 0 {
		return
	}
	now := s.now()
	for _, o := range s.orders {
		for !o.lastStep.Add(s.auto).After(now) {
			o.lastStep = o.lastStep.Add(s.auto)
			s.advanceLocked(o, o.lastStep)
		}
	}
}

// sameNumber is how Westcon's SAP backend finds an order: a number of
// digits only is padded with leading zeros to ten (SAP's ALPHA conversion,
// which is why the seed asks for "6****4" and answers "0********4"), then
// compared exactly. Space and case are not forgiven: the simulator is as
// strict as the seed, so any leniency the adapter needs is its own and
// visible in its own tests.
func sameNumber(stored, asked string) bool {
	return stored != "" && stored == alpha(asked)
}

func alpha(n string) string {
	if n == "" || len(n) >= 10 || strings.Trim(n, "0123456789") != "" {
		return n
	}
	return strings.Repeat("0", 10-len(n)) + n
}

func (s *Server) count(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.counts[name]++
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// Handler returns the HTTP handler: the API (behind the fault injector) and
// the /_control/ endpoints.
func (s *Server) Handler() http.Handler {
	s.initOnce.Do(func() {
		mux := http.NewServeMux()
		api := func(pattern, name string, h http.HandlerFunc) {
			mux.Handle(pattern, s.count(name, s.faults.Wrap(h)))
		}
		api("POST /{tenantId}/oauth2/token", CallToken, s.handleToken)
		api("POST /Orders/orderStatus", CallOrderStatus, s.handleOrderStatus)

		mux.Handle("/_control/faults", s.faults)
		mux.HandleFunc("POST /_control/revoke-tokens", func(w http.ResponseWriter, r *http.Request) {
			s.RevokeTokens()
			writeJSON(w, http.StatusOK, map[string]any{"revoked": true})
		})
		mux.HandleFunc("POST /_control/reset-counts", func(w http.ResponseWriter, r *http.Request) {
			s.ResetCounts()
			writeJSON(w, http.StatusOK, map[string]any{"reset": true})
		})
		mux.HandleFunc("GET /_control/info", s.handleInfo)
		mux.HandleFunc("POST /_control/orders/{number}/advance", func(w http.ResponseWriter, r *http.Request) {
			number := r.PathValue("number")
			if err := s.AdvanceOrder(number); err != nil {
				writeJSON(w, http.StatusNotFound, map[string]any{"error": err.Error()})
				return
			}
			s.mu.Lock()
			resp := responseLines([]*order{s.findLocked(number)})
			s.mu.Unlock()
			writeJSON(w, http.StatusOK, orderStatusResponse{Lines: resp})
		})
		s.handler = mux
	})
	return s.handler
}

// ---- token ----

type tokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	ExtExpiresIn int    `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
}

func (s *Server) tokenError(w http.ResponseWriter, status int, code string, aadsts int, desc string) {
	now := s.now().UTC()
	writeJSON(w, status, map[string]any{
		"error":             code,
		"error_description": fmt.Sprintf("AADSTS%d: %s\r\nTimestamp: %s", aadsts, desc, now.Format("2006-01-02 15:04:05Z")),
		"error_codes":       []int{aadsts},
		"timestamp":         now.Format("2006-01-02 15:04:05Z"),
		"trace_id":          randomID(),
		"correlation_id":    randomID(),
	})
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.tokenError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
		return
	}
	f := r.PostForm
	switch {
	case r.PathValue("tenantId") != s.creds.TenantID:
		s.tokenError(w, http.StatusBadRequest, "invalid_request", 90002, fmt.Sprintf("Tenant '%s' not found.", r.PathValue("tenantId")))
	case f.Get("grant_type") == "":
		s.tokenError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
	case f.Get("grant_type") != "client_credentials":
		s.tokenError(w, http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
	case f.Get("client_id") != s.creds.ClientID:
		s.tokenError(w, http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf("Application with identifier '%s' was not found in the directory.", f.Get("client_id")))
	case f.Get("client_secret") != s.creds.ClientSecret:
		s.tokenError(w, http.StatusUnauthorized, "invalid_client", 7000215, "Invalid client secret provided.")
	case f.Get("resource") == "":
		s.tokenError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'resource'.")
	case f.Get("resource") != s.creds.Resource:
		s.tokenError(w, http.StatusBadRequest, "invalid_resource", 500011, fmt.Sprintf("The resource principal named %s was not found in the tenant.", f.Get("resource")))
	default:
		tok := "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + randomID()
		s.mu.Lock()
		s.tokens[tok] = s.now().Add(s.ttl)
		s.mu.Unlock()
		secs := int(s.ttl / time.Second)
		writeJSON(w, http.StatusOK, tokenResponse{TokenType: "Bearer", ExpiresIn: secs, ExtExpiresIn: secs, AccessToken: tok})
	}
}

func randomID() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ---- orderStatus ----

// Line is one entry of MT_OrderStatus_Response, fields as in the seed.
type Line struct {
	ERPOrderNumber        string `json:"eRPOrderNumber"`
	ERPOrderLineNumber    string `json:"eRPOrderLineNumber"`
	CustomerOrderNumber   string `json:"customerOrderNumber"`
	CustomerLineNumber    string `json:"customerLineNumber"`
	ERPProductNumber      string `json:"eRPProductNumber"`
	LineQuantity          string `json:"lineQuantity"`
	UnitOfMeasure         string `json:"unitOfMeasure"`
	LineStatusCode        string `json:"lineStatusCode"`
	LineStatusDescription string `json:"lineStatusDescription"`
	StatusDate            string `json:"statusDate"`
	ShipDate              string `json:"shipDate"`
	BillingDocument       string `json:"billingDocument"`
	ParentERPLine         string `json:"parentERPLine"`
}

type orderStatusResponse struct {
	Lines []Line `json:"MT_OrderStatus_Response"`
}

func apimError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"statusCode": status, "message": msg})
}

func (s *Server) handleOrderStatus(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Ocp-Apim-Subscription-Key")
	if key == "" {
		apimError(w, http.StatusUnauthorized, "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.")
		return
	}
	if key != s.creds.SubscriptionKey {
		apimError(w, http.StatusUnauthorized, "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.")
		return
	}
	if !s.validBearer(r.Header.Get("Authorization")) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		apimError(w, http.StatusUnauthorized, "Unauthorized. Access token is missing or invalid.")
		return
	}

	req, msg := decodeRequest(r)
	if msg != "" {
		apimError(w, http.StatusBadRequest, msg)
		return
	}
	if req.partnerKey != s.creds.PartnerKey {
		apimError(w, http.StatusBadRequest, "Invalid partnerKey: the partner key is not registered for this subscription.")
		return
	}
	s.mu.Lock()
	s.catchUpLocked()
	var hits []*order
	for _, o := range s.orders {
		for _, want := range req.orders {
			var match bool
			if req.orderType == "W" {
				match = sameNumber(o.WestconNumber, want)
			} else {
				match = want != "" && o.CustomerNumber == want
			}
			if match {
				hits = append(hits, o)
				break
			}
		}
	}
	lines := responseLines(hits)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, orderStatusResponse{Lines: lines})
}

func (s *Server) validBearer(h string) bool {
	const p = "Bearer "
	if len(h) <= len(p) || !strings.EqualFold(h[:len(p)], p) {
		return false
	}
	tok := strings.TrimSpace(h[len(p):])
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[tok]
	return ok && s.now().Before(exp)
}

type statusRequest struct {
	partnerKey, orderType, language string
	orders                          []string
}

// decodeRequest reads the body with exact (case-sensitive) member names.
func decodeRequest(r *http.Request) (statusRequest, string) {
	var out statusRequest
	var top map[string]json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(&top); err != nil {
		return out, "Request body is not valid JSON."
	}
	raw, ok := top["mT_OrderStatus_API_REQ"]
	if !ok {
		return out, "Missing member 'mT_OrderStatus_API_REQ'."
	}
	var in map[string]json.RawMessage
	if err := json.Unmarshal(raw, &in); err != nil || in == nil {
		return out, "'mT_OrderStatus_API_REQ' must be an object."
	}
	str := func(name string) (string, string) {
		v, ok := in[name]
		if !ok {
			return "", fmt.Sprintf("Missing member '%s'.", name)
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", fmt.Sprintf("Member '%s' must be a string.", name)
		}
		return s, ""
	}
	var msg string
	if out.partnerKey, msg = str("partnerKey"); msg != "" {
		return out, msg
	}
	if out.orderType, msg = str("orderType"); msg != "" {
		return out, msg
	}
	out.orderType = strings.ToUpper(strings.TrimSpace(out.orderType))
	if out.orderType != "W" && out.orderType != "C" {
		return out, "Member 'orderType' must be 'W' (Westcon order number) or 'C' (customer order number)."
	}
	if _, ok := in["language"]; ok {
		if out.language, msg = str("language"); msg != "" {
			return out, msg
		}
	}
	ordRaw, ok := in["order"]
	if !ok {
		return out, "Missing member 'order'."
	}
	if err := json.Unmarshal(ordRaw, &out.orders); err != nil {
		return out, "Member 'order' must be an array of strings."
	}
	return out, ""
}

func yyyymmdd(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("20060102")
}

func responseLines(orders []*order) []Line {
	lines := []Line{}
	for _, o := range orders {
		if o == nil {
			continue
		}
		for _, l := range o.Lines {
			uom := l.UnitOfMeasure
			if uom == "" {
				uom = "EA"
			}
			lines = append(lines, Line{
				ERPOrderNumber:        o.WestconNumber,
				ERPOrderLineNumber:    l.LineNumber,
				CustomerOrderNumber:   o.CustomerNumber,
				CustomerLineNumber:    "",
				ERPProductNumber:      l.ProductNumber,
				LineQuantity:          fmt.Sprintf("%6.3f", l.Quantity),
				UnitOfMeasure:         uom,
				LineStatusCode:        l.StatusCode,
				LineStatusDescription: l.StatusDescription,
				StatusDate:            yyyymmdd(l.StatusDate),
				ShipDate:              yyyymmdd(l.ShipDate),
				BillingDocument:       l.BillingDocument,
				ParentERPLine:         l.ParentLine,
			})
		}
	}
	return lines
}

// ---- control ----

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.catchUpLocked()
	type ord struct {
		WestconNumber  string   `json:"westconNumber"`
		CustomerNumber string   `json:"customerNumber"`
		Statuses       []string `json:"lineStatuses"`
	}
	orders := []ord{}
	for _, o := range s.orders {
		x := ord{WestconNumber: o.WestconNumber, CustomerNumber: o.CustomerNumber, Statuses: []string{}}
		for _, l := range o.Lines {
			x.Statuses = append(x.Statuses, l.StatusCode)
		}
		orders = append(orders, x)
	}
	counts := map[string]int{}
	for k, v := range s.counts {
		counts[k] = v
	}
	tokens := len(s.tokens)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"distributor":     "westcon",
		"tokenPath":       "/" + s.creds.TenantID + "/oauth2/token",
		"orderStatusPath": "/Orders/orderStatus",
		"credentials": map[string]string{
			"tenantId":        s.creds.TenantID,
			"clientId":        s.creds.ClientID,
			"clientSecret":    s.creds.ClientSecret,
			"resource":        s.creds.Resource,
			"subscriptionKey": s.creds.SubscriptionKey,
			"partnerKey":      s.creds.PartnerKey,
		},
		"tokenTTLSeconds": int(s.ttl / time.Second),
		"activeTokens":    tokens,
		"autoAdvance":     s.auto.String(),
		"orders":          orders,
		"calls":           counts,
		"faults":          s.faults.Get(),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
