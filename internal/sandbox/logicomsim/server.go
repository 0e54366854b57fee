// Package logicomsim simulates Logicom's QuickConnect REST API (seed
// logicom-rest-api.txt, decisions in distributors.md) on top of the sandbox
// catalog: two-factor token auth with the AES scheme, loose JSON payloads
// in the seed's shapes, paging, batch prices and stock, orders and their
// documents, and fault injection.
//
// The API lives under /api (base URL http://host:port/api); control
// endpoints live under /_control/.
package logicomsim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
)

// Options configures a Server. Zero values take the defaults.
type Options struct {
	// Now is the clock (token expiry, timestamp check, order dates). Default time.Now.
	Now func() time.Time
	// TokenTTL is the access token lifetime. Default 60 s (the seed's one minute).
	TokenTTL time.Duration
	// MaxClockSkew is how far Timestamp may be from Now. Default 5 minutes.
	MaxClockSkew time.Duration
	// AutoAdvance, when > 0, advances every placed order one status step
	// at this interval. 0 = off (use AdvanceOrder or the control endpoint).
	AutoAdvance time.Duration
	// Logger logs every API call at debug level and auth failures at info.
	// nil = silent.
	Logger *zerolog.Logger
}

// PageSize is GetProducts' page size (the seed's 10) and GetDocuments' too.
const PageSize = 10

// API call names, as counted by CallCount.
const (
	CallGenerateAccessToken        = "GenerateAccessToken"
	CallGetProducts                = "GetProducts"
	CallGetPrice                   = "GetPrice"
	CallGetInventory               = "GetInventory"
	CallGetProductCategories       = "GetProductCategories"
	CallGetBrands                  = "GetBrands"
	CallGetAccountDetails          = "GetAccountDetails"
	CallGetDocuments               = "GetDocuments"
	CallGetDocumentDetails         = "GetDocumentDetails"
	CallGetPendingInvoices         = "GetPendingInvoices"
	CallPostOrder                  = "PostOrder"
	statusOK, statusError          = "OK", "Error"
	statusUnauthorized             = "Unauthorized"
	dateLayout                     = "02-01-2006"
	dateTimeLayout                 = "02-01-2006 15:04:05"
	defaultTokenTTL                = time.Minute
	defaultMaxSkew                 = 5 * time.Minute
	orderPrefix, invPrefix         = "O71", "INV71"
	docOrder, docInvoice, docQuote = "Order", "Invoice", "Quote"
)

type route struct {
	name   string
	method string
	fn     func(*Server, *http.Request) (obj, error)
}

var routes = map[string]route{}

func init() {
	for _, r := range []route{
		{CallGetProducts, http.MethodGet, (*Server).getProducts},
		{CallGetPrice, http.MethodGet, (*Server).getPrice},
		{CallGetInventory, http.MethodGet, (*Server).getInventory},
		{CallGetProductCategories, http.MethodGet, (*Server).getCategories},
		{CallGetBrands, http.MethodGet, (*Server).getBrands},
		{CallGetAccountDetails, http.MethodGet, (*Server).getAccountDetails},
		{CallGetDocuments, http.MethodGet, (*Server).getDocuments},
		{CallGetPendingInvoices, http.MethodGet, (*Server).getPendingInvoices},
		{CallGetDocumentDetails, http.MethodGet, (*Server).getDocumentDetails},
		{CallPostOrder, http.MethodPost, (*Server).postOrder},
	} {
		routes[strings.ToLower(r.name)] = r
	}
	routes[strings.ToLower(CallGenerateAccessToken)] = route{name: CallGenerateAccessToken, method: http.MethodGet}
}

// Server is the Logicom simulator. It is safe for concurrent use.
type Server struct {
	cat  *catalog.Catalog
	acct catalog.LogicomAccount
	key  []byte
	opts Options
	inj  *faults.Injector
	log  zerolog.Logger

	// list is what GetProducts lists; RemoveItem and TouchItem replace it
	// whole, so readers need no lock.
	list    atomic.Pointer[listing]
	catName map[string]string

	mu        sync.Mutex
	tokens    map[string]tokenInfo
	stock     map[string]int // upper-case SKU → stock
	docs      map[string]*document
	nextOrder int
	nextInv   int

	cmu   sync.Mutex
	calls map[string]int

	lmu sync.Mutex // serialises changes of list

	stop     chan struct{}
	stopOnce sync.Once
}

type tokenInfo struct {
	customer string
	expires  time.Time
}

// New builds a simulator over cat's Logicom data. It panics when the
// catalog's AccessTokenKey is not a valid AES key (a programming error).
func New(cat *catalog.Catalog, opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = defaultTokenTTL
	}
	if opts.MaxClockSkew <= 0 {
		opts.MaxClockSkew = defaultMaxSkew
	}
	key, err := DecodeKey(cat.Logicom.Account.AccessTokenKey)
	if err != nil {
		panic("logicomsim: " + err.Error())
	}
	s := &Server{
		cat:     cat,
		acct:    cat.Logicom.Account,
		key:     key,
		opts:    opts,
		inj:     faults.New(),
		log:     zerolog.Nop(),
		catName: map[string]string{},
		tokens:  map[string]tokenInfo{},
		stock:   make(map[string]int, len(cat.Logicom.Items)),
		docs:    map[string]*document{},
		calls:   map[string]int{},
		stop:    make(chan struct{}),
	}
	if opts.Logger != nil {
		s.log = *opts.Logger
	}
	items := make([]*catalog.LogicomItem, len(cat.Logicom.Items))
	for i := range cat.Logicom.Items {
		it := &cat.Logicom.Items[i]
		items[i] = it
		s.stock[strings.ToUpper(it.SKU)] = it.Stock
	}
	s.list.Store(newListing(items))
	for _, c := range cat.Logicom.Categories {
		s.catName[c.ID] = c.Name
	}
	s.seedDocuments()
	if opts.AutoAdvance > 0 {
		go s.autoAdvance(opts.AutoAdvance)
	}
	return s
}

// listing is the catalog in GetProducts order, with an index by SKU.
type listing struct {
	items []*catalog.LogicomItem
	bySKU map[string]int // upper-case SKU → index in items
}

func newListing(items []*catalog.LogicomItem) *listing {
	l := &listing{items: items, bySKU: make(map[string]int, len(items))}
	for i, it := range items {
		l.bySKU[strings.ToUpper(it.SKU)] = i
	}
	return l
}

// RemoveItem takes a SKU out of the catalog (it leaves GetProducts, GetPrice
// and GetInventory), as a distributor delisting a product; it reports
// whether the SKU was listed.
func (s *Server) RemoveItem(sku string) bool {
	s.lmu.Lock()
	defer s.lmu.Unlock()
	old := s.list.Load()
	i, ok := old.bySKU[strings.ToUpper(sku)]
	if !ok {
		return false
	}
	items := make([]*catalog.LogicomItem, 0, len(old.items)-1)
	items = append(append(items, old.items[:i]...), old.items[i+1:]...)
	s.list.Store(newListing(items))
	return true
}

// TouchItem changes a listed item through change and stamps it modified
// now (GetProducts DateFrom finds it); it reports whether the SKU was
// listed.
func (s *Server) TouchItem(sku string, change func(*catalog.LogicomItem)) bool {
	s.lmu.Lock()
	defer s.lmu.Unlock()
	old := s.list.Load()
	i, ok := old.bySKU[strings.ToUpper(sku)]
	if !ok {
		return false
	}
	cp := *old.items[i]
	change(&cp)
	cp.Modified = s.opts.Now().UTC()
	items := append([]*catalog.LogicomItem(nil), old.items...)
	items[i] = &cp
	s.list.Store(newListing(items))
	return true
}

// Close stops the AutoAdvance goroutine, if any.
func (s *Server) Close() { s.stopOnce.Do(func() { close(s.stop) }) }

// Faults is the fault injector in front of /api.
func (s *Server) Faults() *faults.Injector { return s.inj }

// Catalog is the catalog the simulator serves.
func (s *Server) Catalog() *catalog.Catalog { return s.cat }

// RevokeTokens invalidates every issued access token.
func (s *Server) RevokeTokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.tokens)
	s.tokens = map[string]tokenInfo{}
	return n
}

// Stock is the current stock of sku (orders decrease it); -1 when unknown.
func (s *Server) Stock(sku string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.stock[strings.ToUpper(sku)]; ok {
		return n
	}
	return -1
}

// SetStock overrides the stock of a known sku (for tests).
func (s *Server) SetStock(sku string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.stock[strings.ToUpper(sku)]; ok {
		s.stock[strings.ToUpper(sku)] = n
	}
}

// CallCount is the number of requests received for an API call since the
// last ResetCounts, counted before fault injection and auth. name is a call
// name like "GetPrice" (case-insensitive).
func (s *Server) CallCount(name string) int {
	if r, ok := routes[strings.ToLower(name)]; ok {
		name = r.name
	}
	s.cmu.Lock()
	defer s.cmu.Unlock()
	return s.calls[name]
}

// Calls is a copy of all call counters.
func (s *Server) Calls() map[string]int {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	out := make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// ResetCounts zeroes every call counter.
func (s *Server) ResetCounts() {
	s.cmu.Lock()
	s.calls = map[string]int{}
	s.cmu.Unlock()
}

func callName(path string) (route, bool) {
	name := strings.Trim(strings.TrimPrefix(path, "/api"), "/")
	r, ok := routes[strings.ToLower(name)]
	if !ok {
		return route{name: name}, false
	}
	return r, true
}

// Handler serves /api/... and /_control/....
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	api := s.inj.Wrap(http.HandlerFunc(s.serveAPI))
	mux.Handle("/api/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt, _ := callName(r.URL.Path)
		s.cmu.Lock()
		s.calls[rt.name]++
		s.cmu.Unlock()
		api.ServeHTTP(w, r)
	}))
	mux.Handle("/_control/faults", s.inj)
	mux.HandleFunc("POST /_control/revoke-tokens", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]int{"revoked": s.RevokeTokens()})
	})
	mux.HandleFunc("POST /_control/orders/{docNo}/advance", func(w http.ResponseWriter, r *http.Request) {
		no := r.PathValue("docNo")
		if err := s.AdvanceOrder(no); err != nil {
			code := http.StatusConflict
			if errors.Is(err, ErrUnknownOrder) {
				code = http.StatusNotFound
			}
			writeJSON(w, code, map[string]string{"error": err.Error()})
			return
		}
		st, _ := s.OrderStatus(no)
		writeJSON(w, http.StatusOK, map[string]string{"DocumentNo": no, "Status": st})
	})
	mux.HandleFunc("GET /_control/info", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.info())
	})
	mux.HandleFunc("GET /_control/calls", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Calls())
	})
	mux.HandleFunc("DELETE /_control/calls", func(w http.ResponseWriter, r *http.Request) {
		s.ResetCounts()
		writeJSON(w, http.StatusOK, s.Calls())
	})
	return mux
}

func (s *Server) info() any {
	s.mu.Lock()
	var orders []map[string]string
	for _, d := range s.sortedDocs(docOrder) {
		if d.placed {
			orders = append(orders, map[string]string{"DocumentNo": d.no, "Status": d.status, "ReferenceNo": d.ref})
		}
	}
	tokens := len(s.tokens)
	s.mu.Unlock()
	return map[string]any{
		"distributor":   "logicom",
		"basePath":      "/api",
		"customerId":    s.acct.CustomerID,
		"ecommerceName": s.acct.EcommerceName,
		"currencies":    s.acct.Currencies,
		"credentials": map[string]any{
			"customerId": s.acct.CustomerID, "consumerKey": s.acct.ConsumerKey,
			"consumerSecret": s.acct.ConsumerSecret, "accessTokenKey": s.acct.AccessTokenKey,
		},
		"items":       len(s.list.Load().items),
		"placedOrder": orders,
		"tokens":      tokens,
		"tokenTTL":    s.opts.TokenTTL.String(),
		"calls":       s.Calls(),
		"faults":      s.inj.Get(),
		"examples":    s.cat.Example(),
		"today":       s.cat.Today.Format("2006-01-02"),
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func envelope(code int, status string, msg any) obj {
	return obj{{"StatusCode", code}, {"Status", status}, {"Message", msg}}
}

// bizError is a business error: HTTP 200, StatusCode 0, Status "Error".
type bizError string

func (e bizError) Error() string { return string(e) }

func bizErrf(format string, a ...any) error { return bizError(fmt.Sprintf(format, a...)) }

func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, msg string) {
	s.log.Info().Str("path", r.URL.Path).Str("reason", msg).Msg("logicomsim: unauthorized")
	writeJSON(w, http.StatusUnauthorized, envelope(0, statusUnauthorized, msg))
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	rt, ok := callName(r.URL.Path)
	s.log.Debug().Str("method", r.Method).Str("call", rt.name).Str("query", r.URL.RawQuery).Msg("logicomsim: call")
	if !ok {
		writeJSON(w, http.StatusNotFound, envelope(0, statusError, "Unknown API call "+rt.name))
		return
	}
	if r.Method != rt.method {
		w.Header().Set("Allow", rt.method)
		writeJSON(w, http.StatusMethodNotAllowed, envelope(0, statusError, "Method "+r.Method+" not allowed for "+rt.name))
		return
	}
	if rt.name == CallGenerateAccessToken {
		s.generateAccessToken(w, r)
		return
	}
	if msg := s.authenticate(r); msg != "" {
		s.unauthorized(w, r, msg)
		return
	}
	body, err := rt.fn(s, r)
	if err != nil {
		var be bizError
		if errors.As(err, &be) {
			writeJSON(w, http.StatusOK, envelope(0, statusError, be.Error()))
			return
		}
		writeJSON(w, http.StatusInternalServerError, envelope(0, statusError, err.Error()))
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) checkTimestamp(ts string) string {
	if len(ts) != 10 {
		return "Timestamp must be 10-digit Unix seconds"
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || n <= 0 {
		return "Timestamp must be 10-digit Unix seconds"
	}
	d := s.opts.Now().Sub(time.Unix(n, 0))
	if d < 0 {
		d = -d
	}
	if d > s.opts.MaxClockSkew {
		return "Timestamp is too far from the server time"
	}
	return ""
}

func (s *Server) generateAccessToken(w http.ResponseWriter, r *http.Request) {
	h := r.Header
	cust, ts, bcode, gsig := h.Get("CustomerId"), h.Get("Timestamp"), h.Get("BCode"), h.Get("GenerateSignature")
	for _, p := range [][2]string{{"CustomerId", cust}, {"Timestamp", ts}, {"BCode", bcode}, {"GenerateSignature", gsig}} {
		if p[1] == "" {
			s.unauthorized(w, r, "Missing header "+p[0])
			return
		}
	}
	if cust != strconv.Itoa(s.acct.CustomerID) {
		s.unauthorized(w, r, "Unknown CustomerId")
		return
	}
	if msg := s.checkTimestamp(ts); msg != "" {
		s.unauthorized(w, r, msg)
		return
	}
	if !verifyEncrypted(s.key, bcode, s.acct.ConsumerKey+";"+s.acct.ConsumerSecret) {
		s.unauthorized(w, r, "Invalid BCode")
		return
	}
	if !verifyEncrypted(s.key, gsig, s.acct.ConsumerKey+cust+ts+";"+s.acct.ConsumerSecret) {
		s.unauthorized(w, r, "Invalid GenerateSignature")
		return
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	tok := base64.StdEncoding.EncodeToString(b[:])
	now := s.opts.Now()
	s.mu.Lock()
	for k, v := range s.tokens {
		if now.After(v.expires) {
			delete(s.tokens, k)
		}
	}
	s.tokens[tok] = tokenInfo{customer: cust, expires: now.Add(s.opts.TokenTTL)}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, tok)
}

// authenticate checks a regular call's headers; "" means OK.
func (s *Server) authenticate(r *http.Request) string {
	h := r.Header
	tok, ts, sig, cust := h.Get("Authorization"), h.Get("Timestamp"), h.Get("Signature"), h.Get("CustomerId")
	for _, p := range [][2]string{{"Authorization", tok}, {"Timestamp", ts}, {"Signature", sig}, {"CustomerId", cust}} {
		if p[1] == "" {
			return "Missing header " + p[0]
		}
	}
	if msg := s.checkTimestamp(ts); msg != "" {
		return msg
	}
	s.mu.Lock()
	ti, ok := s.tokens[tok]
	s.mu.Unlock()
	if !ok {
		return "Invalid access token"
	}
	if !s.opts.Now().Before(ti.expires) {
		return "Access token expired"
	}
	if cust != ti.customer {
		return "CustomerId does not match the access token"
	}
	if !verifySignature(s.key, sig, tok, ts) {
		return "Invalid Signature"
	}
	return ""
}

// ---- loose JSON helpers ----

type kv struct {
	K string
	V any
}

// obj is a JSON object with ordered (and freely spelled) keys.
type obj []kv

func (o obj) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, e := range o {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(e.K)
		b = append(b, k...)
		b = append(b, ':')
		v, err := json.Marshal(e.V)
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// money formats 1001.005 as "1,001.01".
func money(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac := s[:len(s)-3], s[len(s)-3:]
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String() + frac
	if neg {
		out = "-" + out
	}
	return out
}

// short formats 19 as "19" and 1.25 as "1.25" (the seed's "VAT": "19").
func short(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func hashOf(s string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return h.Sum32()
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

func day(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// sortedDocs lists documents of a type, newest first. Caller holds s.mu.
func (s *Server) sortedDocs(typ string) []*document {
	var out []*document
	for _, d := range s.docs {
		if d.typ == typ {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].docDate.Equal(out[j].docDate) {
			return out[i].docDate.After(out[j].docDate)
		}
		return out[i].no > out[j].no
	})
	return out
}
