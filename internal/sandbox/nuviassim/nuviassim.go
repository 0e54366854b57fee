// Package nuviassim simulates the Nuvias UC Hub API (seed
// nuvias-hub-api.txt, paths and decisions in distributors.md → Nuvias).
//
// The API lives under /api/v1 (the service's base URL is
// http://host:port/api/v1):
//
//	POST /api/v1/oauth/token                   client credentials → bearer token
//	GET  /api/v1/me                            current user (currency, organisation)
//	GET  /api/v1/organisations/{id}/addresses  saved addresses
//	GET  /api/v1/products                      text, page, per_page, sort_by, vendor, type
//	GET  /api/v1/products/{id}
//	GET  /api/v1/vendors
//	GET  /api/v1/shipping-types
//	POST /api/v1/orders                        create and submit (201, status CREATED)
//	GET  /api/v1/orders                        text, start_date, end_date, status, page, per_page
//	GET  /api/v1/orders/{id}
//
// Test controls live under /_control/ and are never fault-injected.
package nuviassim

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
)

// BasePath is the prefix of every API route.
const BasePath = "/api/v1"

// Call names for CallCount. Every request reaching a route is counted,
// including rejected and fault-injected ones.
const (
	CallToken         = "token"
	CallMe            = "me"
	CallAddresses     = "addresses"
	CallProducts      = "products"
	CallProduct       = "product"
	CallVendors       = "vendors"
	CallShippingTypes = "shipping-types"
	CallCreateOrder   = "create-order"
	CallOrder         = "order"
	CallOrders        = "orders"
)

// DefaultTokenTTL is the expires_in of issued tokens unless Options say otherwise.
const DefaultTokenTTL = time.Hour

// Errors of the order controls.
var (
	ErrUnknownOrder   = errors.New("nuviassim: unknown order")
	ErrUnknownProduct = errors.New("nuviassim: unknown product")
	ErrFinalStatus    = errors.New("nuviassim: order is in a final status")
	ErrBadStatus      = errors.New("nuviassim: unknown status")
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// Now is the clock (token expiry, order dates, auto advance); default time.Now.
	Now func() time.Time
	// TokenTTL is the lifetime of issued tokens (expires_in); default 1 h.
	TokenTTL time.Duration
	// AutoAdvance, when > 0, advances every order one lifecycle step per
	// elapsed AutoAdvance since it was created (evaluated lazily against Now,
	// so a fake clock drives it). Orders in ATTENTION_REQUIRED,
	// PENDING_AUTHORISATION, FAILED, CANCELLED or COMPLETE are not advanced.
	AutoAdvance time.Duration
}

type orderState struct {
	o         Order
	alloc     []int // per line: quantity taken from stock at creation
	stockable []bool
	prev      string // status before ATTENTION_REQUIRED / PENDING_AUTHORISATION
	lastStep  time.Time
}

// Server is one simulated Nuvias Hub. It is safe for concurrent use.
type Server struct {
	data   catalog.NuviasData
	now    func() time.Time
	ttl    time.Duration
	auto   time.Duration
	faults *faults.Injector

	vendorNames map[int]string
	typeIDs     map[string]int // lower-case product type → id
	byID        map[int]int    // product id → index in products

	mu        sync.Mutex
	products  []catalog.NuviasProduct // own copy; Stock changes
	orders    map[int]*orderState
	nextOrder int
	nextLine  int
	nextShip  int
	tokens    map[string]time.Time
	counts    map[string]int

	initOnce sync.Once
	handler  http.Handler
}

// New returns a simulator serving cat.Nuvias. The catalog is copied; the
// simulator never changes cat.
func New(cat *catalog.Catalog, opts Options) *Server {
	if cat == nil {
		cat = &catalog.Catalog{}
	}
	s := &Server{
		data:        cat.Nuvias,
		now:         opts.Now,
		ttl:         opts.TokenTTL,
		auto:        opts.AutoAdvance,
		faults:      faults.New(),
		vendorNames: map[int]string{},
		typeIDs:     map[string]int{},
		byID:        map[int]int{},
		products:    append([]catalog.NuviasProduct(nil), cat.Nuvias.Products...),
		orders:      map[int]*orderState{},
		nextOrder:   7001,
		nextLine:    1,
		nextShip:    100001,
		tokens:      map[string]time.Time{},
		counts:      map[string]int{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.ttl <= 0 {
		s.ttl = DefaultTokenTTL
	}
	for _, v := range s.data.Vendors {
		s.vendorNames[v.ID] = v.Name
	}
	for k, v := range fixedTypeIDs {
		s.typeIDs[k] = v
	}
	next := len(fixedTypeIDs) + 1
	for i, p := range s.products {
		s.byID[p.ID] = i
		t := strings.ToLower(p.ProductType)
		if _, ok := s.typeIDs[t]; !ok && t != "" {
			s.typeIDs[t] = next
			next++
		}
	}
	return s
}

// Faults returns the fault injector in front of the API routes.
func (s *Server) Faults() *faults.Injector { return s.faults }

// Credentials returns the client credentials the simulator accepts.
func (s *Server) Credentials() catalog.NuviasCredentials { return s.data.Credentials }

// RevokeTokens invalidates every issued token.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	s.tokens = map[string]time.Time{}
	s.mu.Unlock()
}

// CallCount returns how many requests reached the named route (Call*
// constants) since the start or the last ResetCounts.
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

// Product returns the current state (stock included) of a product.
func (s *Server) Product(id int) (Product, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byID[id]
	if !ok {
		return Product{}, false
	}
	return s.productLocked(i), true
}

// SetStock sets a product's stock.
func (s *Server) SetStock(productID, stock int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byID[productID]
	if !ok {
		return fmt.Errorf("%w: %d", ErrUnknownProduct, productID)
	}
	s.products[i].Stock = max(stock, 0)
	return nil
}

// Order returns a copy of an order.
func (s *Server) Order(id int) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUpLocked()
	st, ok := s.orders[id]
	if !ok {
		return Order{}, false
	}
	return copyOrder(st.o), true
}

// OrdersWithPurchaseOrder lists the ids of the orders whose
// purchase_order_number is po (case-insensitive), ascending: what a test
// counts to prove an order was created exactly once.
func (s *Server) OrdersWithPurchaseOrder(po string) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int
	for id, st := range s.orders {
		if strings.EqualFold(st.o.PurchaseOrderNumber, po) {
			out = append(out, id)
		}
	}
	sort.Ints(out)
	return out
}

// AdvanceOrder moves an order one lifecycle step:
// CREATED → PROCESSING → ACCEPTED → PART_SHIPPED (when part of it was
// backordered) → SHIPPED → COMPLETE. PENDING_AUTHORISATION goes to
// PROCESSING, ATTENTION_REQUIRED back to the status it interrupted.
// COMPLETE, FAILED and CANCELLED are final (ErrFinalStatus).
func (s *Server) AdvanceOrder(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUpLocked()
	st, ok := s.orders[id]
	if !ok {
		return fmt.Errorf("%w: %d", ErrUnknownOrder, id)
	}
	return s.advanceLocked(st, s.now())
}

// SetOrderStatus forces an order into any seed status, with message as its
// attention_required text (empty clears it). FAILED and CANCELLED return the
// order's unshipped stock.
func (s *Server) SetOrderStatus(id int, status, message string) error {
	status = strings.ToUpper(strings.TrimSpace(status))
	valid := false
	for _, x := range allStatuses {
		valid = valid || x == status
	}
	if !valid {
		return fmt.Errorf("%w: %q", ErrBadStatus, status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUpLocked()
	st, ok := s.orders[id]
	if !ok {
		return fmt.Errorf("%w: %d", ErrUnknownOrder, id)
	}
	if cur := st.o.Status; cur != StatusAttentionRequired && cur != StatusPendingAuthorisation {
		st.prev = cur
	}
	st.o.Status = status
	st.o.AttentionRequired = nil
	if message != "" {
		m := message
		st.o.AttentionRequired = &m
	}
	if status == StatusFailed || status == StatusCancelled {
		s.releaseLocked(st)
	}
	st.lastStep = s.now()
	return nil
}

func (s *Server) releaseLocked(st *orderState) {
	for i := range st.o.LineItems {
		l := &st.o.LineItems[i]
		if back := st.alloc[i] - l.ShippedQuantity; back > 0 {
			if pi, ok := s.byID[l.Product]; ok {
				s.products[pi].Stock += back
			}
			st.alloc[i] = l.ShippedQuantity
		}
	}
}

func (s *Server) advanceLocked(st *orderState, at time.Time) error {
	o := &st.o
	switch o.Status {
	case StatusCreated, StatusPendingAuthorisation:
		o.Status = StatusProcessing
	case StatusProcessing:
		o.Status = StatusAccepted
		ref := fmt.Sprintf("SO%07d", o.ID)
		o.SupplierRef = &ref
	case StatusAccepted:
		// ship what came from stock; if that is nothing, ship everything
		if !s.shipLocked(st, at, true) {
			s.shipLocked(st, at, false)
		}
		o.Status = StatusShipped
		for _, l := range o.LineItems {
			if l.ShippedQuantity < l.Quantity {
				o.Status = StatusPartShipped
			}
		}
	case StatusPartShipped:
		s.shipLocked(st, at, false)
		o.Status = StatusShipped
	case StatusShipped:
		o.Status = StatusComplete
		o.ShipFinal = true
	case StatusAttentionRequired:
		o.Status = st.prev
		if o.Status == "" || o.Status == StatusAttentionRequired {
			o.Status = StatusProcessing
		}
		o.AttentionRequired = nil
	default:
		return fmt.Errorf("%w: order %d is %s", ErrFinalStatus, o.ID, o.Status)
	}
	return nil
}

// shipLocked adds a shipment: with fromStock only the allocated quantities,
// else everything not shipped yet. It reports whether anything shipped.
func (s *Server) shipLocked(st *orderState, at time.Time, fromStock bool) bool {
	o := &st.o
	sh := Shipment{
		Reference:      fmt.Sprintf("IF%06d", s.nextShip),
		TrackingNumber: fmt.Sprintf("1Z%03dNV%010d", len(o.Shipments)+1, o.ID*1000+s.nextShip%1000),
		Date:           at.UTC().Format("2006-01-02"),
		Items:          []ShipmentItem{},
	}
	for i := range o.LineItems {
		l := &o.LineItems[i]
		want := l.Quantity
		if fromStock && st.stockable[i] {
			want = st.alloc[i]
		}
		q := want - l.ShippedQuantity
		if q <= 0 {
			continue
		}
		l.ShippedQuantity += q
		sh.Items = append(sh.Items, ShipmentItem{Product: l.Product, Name: l.Name, ProductCode: l.ProductCode, Quantity: q, SerialNumbers: []any{}})
	}
	if len(sh.Items) == 0 {
		return false
	}
	s.nextShip++
	o.Shipments = append(o.Shipments, sh)
	return true
}

func (s *Server) catchUpLocked() {
	if s.auto <= 0 {
		return
	}
	now := s.now()
	for _, st := range s.orders {
		for !st.lastStep.Add(s.auto).After(now) {
			switch st.o.Status {
			case StatusCreated, StatusProcessing, StatusAccepted, StatusPartShipped, StatusShipped:
			default:
				st.lastStep = now
				continue
			}
			st.lastStep = st.lastStep.Add(s.auto)
			_ = s.advanceLocked(st, st.lastStep)
		}
	}
}

func (s *Server) productLocked(i int) Product {
	p := s.products[i]
	return productFrom(p, s.vendorNames[p.VendorID], s.typeIDs[strings.ToLower(p.ProductType)])
}

// ---- tokens ----

func (s *Server) issueToken() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	s.mu.Lock()
	s.tokens[tok] = s.now().Add(s.ttl)
	s.mu.Unlock()
	return tok
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

// ---- products query ----

func (s *Server) searchLocked(words []string, vendors, types map[int]bool) []Product {
	out := []Product{}
	for i := range s.products {
		p := &s.products[i]
		if len(vendors) > 0 && !vendors[p.VendorID] {
			continue
		}
		if len(types) > 0 && !types[s.typeIDs[strings.ToLower(p.ProductType)]] {
			continue
		}
		hay := strings.ToLower(strings.Join([]string{p.Name, p.ProductCode, p.Description, s.vendorNames[p.VendorID]}, "\n"))
		ok := true
		for _, w := range words {
			if !strings.Contains(hay, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, s.productLocked(i))
		}
	}
	return out
}

func sortProducts(ps []Product, key string) bool {
	key = strings.TrimSpace(key)
	desc := strings.HasPrefix(key, "-")
	field := strings.TrimLeft(key, "+- ")
	var less func(a, b Product) int
	switch field {
	case "", "popularity", "id":
		less = func(a, b Product) int { return a.ID - b.ID }
		if field == "popularity" {
			desc = false // no popularity data: catalog order
		}
	case "name":
		less = func(a, b Product) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) }
	case "price":
		less = func(a, b Product) int {
			switch {
			case a.Price < b.Price:
				return -1
			case a.Price > b.Price:
				return 1
			}
			return 0
		}
	default:
		return false
	}
	sort.SliceStable(ps, func(i, j int) bool {
		c := less(ps[i], ps[j])
		if c == 0 {
			return ps[i].ID < ps[j].ID
		}
		if desc {
			return c > 0
		}
		return c < 0
	})
	return true
}
