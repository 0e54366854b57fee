package nuviassim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	defaultPerPage = 1000 // seed: "per_page ... Default: 1000"
	maxPerPage     = 1000
)

// Handler returns the HTTP handler: the API under /api/v1 (behind the fault
// injector) and the /_control/ endpoints.
func (s *Server) Handler() http.Handler {
	s.initOnce.Do(func() {
		mux := http.NewServeMux()
		api := func(method, path, name string, auth bool, h http.HandlerFunc) {
			var hh http.Handler = h
			if auth {
				hh = s.requireBearer(h)
			}
			mux.Handle(method+" "+BasePath+path, s.count(name, s.faults.Wrap(hh)))
		}
		api("POST", "/oauth/token", CallToken, false, s.handleToken)
		api("GET", "/me", CallMe, true, s.handleMe)
		api("GET", "/organisations/{id}/addresses", CallAddresses, true, s.handleAddresses)
		api("GET", "/products", CallProducts, true, s.handleProducts)
		api("GET", "/products/{id}", CallProduct, true, s.handleProduct)
		api("GET", "/vendors", CallVendors, true, s.handleVendors)
		api("GET", "/shipping-types", CallShippingTypes, true, s.handleShippingTypes)
		api("POST", "/orders", CallCreateOrder, true, s.handleCreateOrder)
		api("GET", "/orders", CallOrders, true, s.handleOrders)
		api("GET", "/orders/{id}", CallOrder, true, s.handleOrder)
		mux.HandleFunc(BasePath+"/", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusNotFound, msg("Not found"))
		})

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
		mux.HandleFunc("POST /_control/orders/{id}/advance", func(w http.ResponseWriter, r *http.Request) {
			id, _ := strconv.Atoi(r.PathValue("id"))
			s.controlResult(w, id, s.AdvanceOrder(id))
		})
		mux.HandleFunc("POST /_control/orders/{id}/status", func(w http.ResponseWriter, r *http.Request) {
			id, _ := strconv.Atoi(r.PathValue("id"))
			var in struct{ Status, Message string }
			if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil {
				writeJSON(w, http.StatusBadRequest, msg("body must be {\"status\": \"...\", \"message\": \"...\"}"))
				return
			}
			s.controlResult(w, id, s.SetOrderStatus(id, in.Status, in.Message))
		})
		mux.HandleFunc("POST /_control/products/{id}/stock", func(w http.ResponseWriter, r *http.Request) {
			id, _ := strconv.Atoi(r.PathValue("id"))
			var in struct {
				Stock *int `json:"stock"`
			}
			if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil || in.Stock == nil {
				writeJSON(w, http.StatusBadRequest, msg("body must be {\"stock\": <int>}"))
				return
			}
			if err := s.SetStock(id, *in.Stock); err != nil {
				writeJSON(w, http.StatusNotFound, msg(err.Error()))
				return
			}
			p, _ := s.Product(id)
			writeJSON(w, http.StatusOK, p)
		})
		s.handler = mux
	})
	return s.handler
}

func (s *Server) controlResult(w http.ResponseWriter, id int, err error) {
	switch {
	case errors.Is(err, ErrUnknownOrder):
		writeJSON(w, http.StatusNotFound, msg(err.Error()))
	case errors.Is(err, ErrFinalStatus):
		writeJSON(w, http.StatusConflict, msg(err.Error()))
	case err != nil:
		writeJSON(w, http.StatusBadRequest, msg(err.Error()))
	default:
		o, _ := s.Order(id)
		writeJSON(w, http.StatusOK, o)
	}
}

func (s *Server) count(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.counts[name]++
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (s *Server) requireBearer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if auth == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hub"`)
			writeJSON(w, http.StatusUnauthorized, msg("Unauthenticated: missing bearer token"))
			return
		}
		if !s.validBearer(auth) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hub", error="invalid_token"`)
			writeJSON(w, http.StatusUnauthorized, msg("Unauthenticated: the access token is invalid or has expired"))
			return
		}
		h.ServeHTTP(w, r)
	})
}

func msg(m string) map[string]any { return map[string]any{"message": m} }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ---- token ----

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	oauthErr := func(status int, code, desc string) {
		writeJSON(w, status, map[string]any{"error": code, "error_description": desc, "message": desc})
	}
	if err := r.ParseForm(); err != nil {
		oauthErr(http.StatusBadRequest, "invalid_request", "The request body must be application/x-www-form-urlencoded.")
		return
	}
	f := r.PostForm
	c := s.data.Credentials
	switch {
	case f.Get("grant_type") == "" || f.Get("client_id") == "" || f.Get("client_secret") == "":
		oauthErr(http.StatusBadRequest, "invalid_request", "client_id, client_secret and grant_type are required.")
	case f.Get("grant_type") != "client_credentials":
		oauthErr(http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
	case f.Get("client_id") != c.ClientID || f.Get("client_secret") != c.ClientSecret:
		oauthErr(http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
	default:
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": s.issueToken(),
			"token_type":   "Bearer",
			"expires_in":   int(s.ttl / time.Second),
		})
	}
}

// ---- me, addresses, vendors, shipping types ----

func (s *Server) me() Me {
	m := s.data.Me
	return Me{
		ID: m.UserID, Name: m.Name, EmailAddress: m.Email, Organisation: m.OrganisationID,
		OrganisationName: m.OrganisationName, RealID: m.UserID, RealName: m.Name, Currency: m.Currency,
		Locale: "en", Timezone: "Europe/London", Modules: []string{"WEBSTORE"}, Permissions: []any{},
	}
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.me())
}

func (s *Server) addresses() []Address {
	out := []Address{}
	for _, a := range s.data.Addresses {
		out = append(out, addressFrom(a, s.data.Me.OrganisationName, s.data.Me.Name))
	}
	return out
}

func (s *Server) handleAddresses(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || id != s.data.Me.OrganisationID {
		writeJSON(w, http.StatusNotFound, msg("Organisation not found"))
		return
	}
	writeJSON(w, http.StatusOK, s.addresses())
}

func (s *Server) handleVendors(w http.ResponseWriter, r *http.Request) {
	out := []Vendor{}
	for _, v := range s.data.Vendors {
		out = append(out, Vendor{ID: v.ID, Name: v.Name})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleShippingTypes(w http.ResponseWriter, r *http.Request) {
	out := []ShippingType{}
	for _, t := range s.data.ShippingTypes {
		out = append(out, ShippingType{ID: t.ID, Name: t.Name})
	}
	writeJSON(w, http.StatusOK, out)
}

// ---- products ----

// intList reads repeated or comma-separated integer parameters (name and name[]).
func intList(q map[string][]string, name string) (map[int]bool, bool) {
	out := map[int]bool{}
	for _, k := range []string{name, name + "[]"} {
		for _, v := range q[k] {
			for _, part := range strings.Split(v, ",") {
				part = strings.TrimSpace(part)
				if part == "" {
					continue
				}
				n, err := strconv.Atoi(part)
				if err != nil {
					return nil, false
				}
				out[n] = true
			}
		}
	}
	return out, true
}

func (s *Server) handleProducts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	errs := map[string][]string{}
	intParam := func(name string, def int) int {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs[name] = append(errs[name], fmt.Sprintf("The %s must be an integer of at least 1.", name))
			return def
		}
		return n
	}
	page := intParam("page", 1)
	perPage := min(intParam("per_page", defaultPerPage), maxPerPage)
	vendors, ok := intList(q, "vendor")
	if !ok {
		errs["vendor"] = append(errs["vendor"], "The vendor must be a list of integers.")
	}
	types, ok := intList(q, "type")
	if !ok {
		errs["type"] = append(errs["type"], "The type must be a list of integers.")
	}
	sortBy := q.Get("sort_by")
	if sortBy == "" {
		sortBy = q.Get("sort_by[]")
	}
	if sortBy == "" {
		sortBy = "-popularity"
	}
	switch strings.TrimLeft(strings.TrimSpace(sortBy), "+-") {
	case "popularity", "name", "price", "id":
	default:
		errs["sort_by"] = append(errs["sort_by"], "The sort_by must be one of -popularity, +name, -name, +price, -price.")
	}
	if len(errs) > 0 {
		validationError(w, errs)
		return
	}
	words := strings.Fields(strings.ToLower(q.Get("text")))

	s.mu.Lock()
	all := s.searchLocked(words, vendors, types)
	s.mu.Unlock()
	sortProducts(all, sortBy)

	total := len(all)
	pages := (total + perPage - 1) / perPage
	from := min((page-1)*perPage, total)
	to := min(from+perPage, total)
	h := w.Header()
	h.Set("X-Total-Count", strconv.Itoa(total))
	h.Set("X-Total-Pages", strconv.Itoa(pages))
	h.Set("X-Page", strconv.Itoa(page))
	h.Set("X-Per-Page", strconv.Itoa(perPage))
	writeJSON(w, http.StatusOK, all[from:to])
}

func (s *Server) handleProduct(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err == nil {
		if p, ok := s.Product(id); ok {
			writeJSON(w, http.StatusOK, p)
			return
		}
	}
	writeJSON(w, http.StatusNotFound, msg(fmt.Sprintf("Product %s not found", r.PathValue("id"))))
}

// ---- orders ----

// handleOrders is GET /orders: the seed's filters text (Hub reference,
// supplier reference or purchase order number), start_date and end_date
// (creation day, inclusive), status; page and per_page; sorted by -date.
func (s *Server) handleOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, perPage := 1, 1000
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
		page = v
	}
	if v, err := strconv.Atoi(q.Get("per_page")); err == nil && v > 0 {
		perPage = min(v, 1000)
	}
	text := strings.ToLower(strings.TrimSpace(q.Get("text")))
	from, to := q.Get("start_date"), q.Get("end_date")
	statuses := map[string]bool{}
	for _, st := range q["status"] {
		statuses[strings.ToUpper(st)] = true
	}
	s.mu.Lock()
	s.catchUpLocked()
	var sel []Order
	for _, st := range s.orders {
		o := st.o
		day := o.Date[:min(len(o.Date), 10)]
		if (from != "" && day < from) || (to != "" && day > to) || (len(statuses) > 0 && !statuses[o.Status]) {
			continue
		}
		if text != "" {
			refs := []string{strconv.Itoa(o.ID), o.PurchaseOrderNumber}
			if o.SupplierRef != nil {
				refs = append(refs, *o.SupplierRef)
			}
			match := false
			for _, ref := range refs {
				match = match || strings.Contains(strings.ToLower(ref), text)
			}
			if !match {
				continue
			}
		}
		sel = append(sel, copyOrder(o))
	}
	s.mu.Unlock()
	sort.Slice(sel, func(i, j int) bool {
		if sel[i].Date != sel[j].Date {
			return sel[i].Date > sel[j].Date
		}
		return sel[i].ID > sel[j].ID
	})
	out := []Order{}
	for i := (page - 1) * perPage; i < len(sel) && i < page*perPage; i++ {
		out = append(out, sel[i])
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleOrder(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err == nil {
		if o, ok := s.Order(id); ok {
			writeJSON(w, http.StatusOK, o)
			return
		}
	}
	writeJSON(w, http.StatusNotFound, msg(fmt.Sprintf("Order %s not found", r.PathValue("id"))))
}

func validationError(w http.ResponseWriter, errs map[string][]string) {
	keys := make([]string, 0, len(errs))
	n := 0
	for k, v := range errs {
		keys = append(keys, k)
		n += len(v)
	}
	sort.Strings(keys)
	m := errs[keys[0]][0]
	if n > 1 {
		m += fmt.Sprintf(" (and %d more error", n-1)
		if n > 2 {
			m += "s"
		}
		m += ")"
	}
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": m, "errors": errs})
}

type createOrderRequest struct {
	PurchaseOrderNumber      *string           `json:"purchase_order_number"`
	ShippingAddress          json.RawMessage   `json:"shipping_address"`
	ShippingType             json.RawMessage   `json:"shipping_type"`
	ShipInstructions         json.RawMessage   `json:"ship_instructions"`
	EndUser                  json.RawMessage   `json:"end_user"`
	ProvisioningInstructions json.RawMessage   `json:"provisioning_instructions"`
	PartShip                 json.RawMessage   `json:"part_ship"`
	LineItems                []json.RawMessage `json:"line_items"`
	Name                     json.RawMessage   `json:"name"`
	PaymentType              json.RawMessage   `json:"payment_type"`
}

type lineRequest struct {
	Product          json.RawMessage `json:"product"`
	ProductCode      json.RawMessage `json:"product_code"`
	Quantity         json.RawMessage `json:"quantity"`
	SelectedRatePlan json.RawMessage `json:"selected_rate_plan"`
}

func present(raw json.RawMessage) bool {
	return len(raw) > 0 && string(raw) != "null"
}

func asString(raw json.RawMessage) (string, bool) {
	if !present(raw) {
		return "", true
	}
	var s string
	return s, json.Unmarshal(raw, &s) == nil
}

// asInt accepts a JSON number with an integral value.
func asInt(raw json.RawMessage) (int, bool) {
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

type plannedLine struct {
	idx       int // product index
	qty       int
	price     float64
	ratePlan  *int
	stockable bool
}

func (s *Server) handleCreateOrder(w http.ResponseWriter, r *http.Request) {
	var req createOrderRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(&req); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			validationError(w, map[string][]string{ute.Field: {fmt.Sprintf("The %s field has the wrong type.", ute.Field)}})
			return
		}
		writeJSON(w, http.StatusBadRequest, msg("The request body is not valid JSON."))
		return
	}
	errs := map[string][]string{}
	add := func(k, m string) { errs[k] = append(errs[k], m) }
	str := func(k string, raw json.RawMessage, maxLen int) string {
		v, ok := asString(raw)
		if !ok {
			add(k, fmt.Sprintf("The %s must be a string.", k))
		} else if maxLen > 0 && len(v) > maxLen {
			add(k, fmt.Sprintf("The %s may not be greater than %d characters.", k, maxLen))
		}
		return v
	}

	po := ""
	if req.PurchaseOrderNumber != nil {
		po = *req.PurchaseOrderNumber
		if len(po) > 50 {
			add("purchase_order_number", "The purchase_order_number may not be greater than 50 characters.")
		}
	}
	shipInstr := str("ship_instructions", req.ShipInstructions, 3500)
	provInstr := str("provisioning_instructions", req.ProvisioningInstructions, 3500)
	name := str("name", req.Name, 255)
	payment := str("payment_type", req.PaymentType, 0)
	switch payment {
	case "", "ON_ACCOUNT":
		payment = "ON_ACCOUNT"
	case "FINANCE":
		add("payment_type", "Finance is not available for this organisation.")
	default:
		add("payment_type", "The payment_type must be ON_ACCOUNT or FINANCE.")
	}

	partShip := true // seed: part_ship Default: true
	if present(req.PartShip) {
		if err := json.Unmarshal(req.PartShip, &partShip); err != nil {
			add("part_ship", "The part_ship field must be true or false.")
		}
	}

	shipType := 0
	if len(s.data.ShippingTypes) > 0 {
		shipType = s.data.ShippingTypes[0].ID
	}
	if present(req.ShippingType) {
		n, ok := asInt(req.ShippingType)
		known := false
		for _, t := range s.data.ShippingTypes {
			known = known || t.ID == n
		}
		switch {
		case !ok:
			add("shipping_type", "The shipping_type must be an integer.")
		case !known:
			add("shipping_type", fmt.Sprintf("The selected shipping_type %d is invalid.", n))
		default:
			shipType = n
		}
	}

	endUser := json.RawMessage("null")
	if present(req.EndUser) {
		switch req.EndUser[0] {
		case '"', '{':
			endUser = append(json.RawMessage(nil), req.EndUser...)
		default:
			add("end_user", "The end_user must be a string or an object.")
		}
	}

	addr := s.resolveAddress(req.ShippingAddress, add)

	// line items
	var planned []plannedLine
	if len(req.LineItems) == 0 {
		add("line_items", "The line_items field is required and must contain at least one item.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	want := map[int]int{} // product index → total quantity (stock check)
	for i, raw := range req.LineItems {
		key := fmt.Sprintf("line_items.%d", i)
		var lr lineRequest
		if err := json.Unmarshal(raw, &lr); err != nil {
			add(key, "Each line item must be an object.")
			continue
		}
		idx := -1
		if present(lr.Product) {
			id, ok := asInt(lr.Product)
			if !ok {
				add(key+".product", "The product must be an integer product id.")
				continue
			}
			pi, ok := s.byID[id]
			if !ok {
				add(key+".product", fmt.Sprintf("The selected product %d is invalid.", id))
				continue
			}
			idx = pi
		}
		if present(lr.ProductCode) {
			code, ok := asString(lr.ProductCode)
			if !ok {
				add(key+".product_code", "The product_code must be a string.")
				continue
			}
			ci := -1
			for j := range s.products {
				if strings.EqualFold(strings.TrimSpace(code), s.products[j].ProductCode) {
					ci = j
					break
				}
			}
			switch {
			case ci < 0 && idx < 0:
				add(key+".product_code", fmt.Sprintf("No product with product_code %q.", code))
				continue
			case idx >= 0 && !strings.EqualFold(strings.TrimSpace(code), s.products[idx].ProductCode):
				add(key+".product_code", fmt.Sprintf("The product_code %q does not match product %d.", code, s.products[idx].ID))
				continue
			case idx < 0:
				idx = ci
			}
		}
		if idx < 0 {
			add(key+".product", "The product (or product_code) field is required.")
			continue
		}
		p := s.products[idx]
		qty, ok := asInt(lr.Quantity)
		if !present(lr.Quantity) || !ok || qty < 1 {
			add(key+".quantity", "The quantity must be an integer of at least 1.")
			continue
		}
		if p.Discontinued {
			add(key+".product", fmt.Sprintf("Product %s (%d) is discontinued and cannot be ordered.", p.ProductCode, p.ID))
			continue
		}
		pl := plannedLine{idx: idx, qty: qty, price: p.Price, stockable: stocked(p.ProductType)}
		if len(p.RatePlans) > 0 {
			rp := p.RatePlans[0]
			if present(lr.SelectedRatePlan) {
				id, ok := asInt(lr.SelectedRatePlan)
				found := false
				for _, x := range p.RatePlans {
					if x.ID == id {
						rp, found = x, true
					}
				}
				if !ok || !found {
					add(key+".selected_rate_plan", fmt.Sprintf("The selected_rate_plan is not a rate plan of product %d.", p.ID))
					continue
				}
			}
			id := rp.ID
			pl.ratePlan, pl.price = &id, rp.Price
		}
		if pl.stockable {
			want[idx] += qty
			if !partShip && want[idx] > p.Stock {
				add(key+".quantity", fmt.Sprintf("Only %d of %s in stock and part_ship is false.", p.Stock, p.ProductCode))
				continue
			}
		}
		planned = append(planned, pl)
	}
	if len(errs) > 0 {
		validationError(w, errs)
		return
	}

	now := s.now()
	id := s.nextOrder
	s.nextOrder++
	st := &orderState{lastStep: now, o: Order{
		ID: id, PurchaseOrderNumber: po, LinkedSupplierRefs: []string{}, Organisation: s.data.Me.OrganisationID,
		Date: now.UTC().Format("2006-01-02T15:04:05"), Status: StatusCreated, ShippingAddress: addr,
		ShippingType: shipType, ShipInstructions: shipInstr, EndUser: endUser, ProvisioningInstructions: provInstr,
		Currency: s.data.Me.Currency, PartShip: partShip, LineItems: []LineItem{}, Name: name, Units: []any{},
		PaymentType: payment, Shipments: []Shipment{},
	}}
	var total float64
	for _, pl := range planned {
		p := &s.products[pl.idx]
		alloc := pl.qty
		if pl.stockable {
			alloc = min(pl.qty, p.Stock)
			p.Stock -= alloc
		}
		sub := round2(pl.price * float64(pl.qty))
		total += sub
		st.o.LineItems = append(st.o.LineItems, LineItem{
			ID: s.nextLine, Order: id, Product: p.ID, ProductCode: p.ProductCode, Name: p.Name, Quantity: pl.qty,
			Price: pl.price, OriginalPrice: pl.price, SubTotalForItem: sub, SelectedRatePlan: pl.ratePlan,
			BackorderedQuantity: pl.qty - alloc,
		})
		s.nextLine++
		st.alloc = append(st.alloc, alloc)
		st.stockable = append(st.stockable, pl.stockable)
	}
	st.o.Total = round2(total)
	s.orders[id] = st
	w.Header().Set("Location", fmt.Sprintf("%s/orders/%d", BasePath, id))
	writeJSON(w, http.StatusCreated, copyOrder(st.o))
}

// resolveAddress reads shipping_address: absent (first saved address), a
// saved address id (number or {"id": n}), or an inline address.
func (s *Server) resolveAddress(raw json.RawMessage, add func(k, m string)) Address {
	saved := s.addresses()
	byID := func(id int) Address {
		for _, a := range saved {
			if a.ID == id {
				return a
			}
		}
		add("shipping_address", fmt.Sprintf("The selected shipping_address %d is invalid.", id))
		return Address{}
	}
	if !present(raw) {
		if len(saved) > 0 {
			return saved[0]
		}
		add("shipping_address", "The shipping_address field is required.")
		return Address{}
	}
	if id, ok := asInt(raw); ok {
		return byID(id)
	}
	var in struct {
		ID            json.RawMessage `json:"id"`
		Name          string          `json:"name"`
		CompanyName   string          `json:"company_name"`
		RecipientName string          `json:"recipient_name"`
		AddrLine1     string          `json:"addr_line_1"`
		AddrLine2     string          `json:"addr_line_2"`
		AddrLine3     string          `json:"addr_line_3"`
		City          string          `json:"city"`
		Region        string          `json:"region"`
		PostalCode    string          `json:"postal_code"`
		CountryCode   json.RawMessage `json:"country_code"`
		Country       string          `json:"country"`
		ISO           string          `json:"iso"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		add("shipping_address", "The shipping_address must be an address id or an address object.")
		return Address{}
	}
	if present(in.ID) {
		id, ok := asInt(in.ID)
		if !ok {
			add("shipping_address.id", "The shipping_address.id must be an integer.")
			return Address{}
		}
		return byID(id)
	}
	a := Address{Name: in.Name, CompanyName: in.CompanyName, RecipientName: in.RecipientName, AddrLine1: in.AddrLine1,
		AddrLine2: in.AddrLine2, AddrLine3: in.AddrLine3, City: in.City, Region: in.Region, PostalCode: in.PostalCode,
		Country: in.Country, ISO: strings.ToUpper(in.ISO)}
	if present(in.CountryCode) {
		if n, ok := asInt(in.CountryCode); ok {
			a.CountryCode = n
		} else if c, ok := asString(in.CountryCode); ok && len(c) == 2 {
			a.ISO = strings.ToUpper(c)
		}
	}
	if a.CountryCode == 0 {
		a.CountryCode = isoNumeric[a.ISO]
	}
	for k, v := range map[string]string{"addr_line_1": a.AddrLine1, "city": a.City, "postal_code": a.PostalCode} {
		if strings.TrimSpace(v) == "" {
			add("shipping_address."+k, fmt.Sprintf("The shipping_address.%s field is required.", k))
		}
	}
	if a.CountryCode == 0 && a.ISO == "" && a.Country == "" {
		add("shipping_address.country_code", "The shipping_address.country_code field is required.")
	}
	return a
}

// ---- control info ----

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.catchUpLocked()
	type ord struct {
		ID     int    `json:"id"`
		Status string `json:"status"`
		PO     string `json:"purchase_order_number"`
	}
	orders := []ord{}
	for _, st := range s.orders {
		orders = append(orders, ord{st.o.ID, st.o.Status, st.o.PurchaseOrderNumber})
	}
	sort.Slice(orders, func(i, j int) bool { return orders[i].ID < orders[j].ID })
	counts := map[string]int{}
	for k, v := range s.counts {
		counts[k] = v
	}
	nTokens, nProducts := len(s.tokens), len(s.products)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"distributor": "nuvias",
		"basePath":    BasePath,
		"credentials": map[string]string{
			"clientId":     s.data.Credentials.ClientID,
			"clientSecret": s.data.Credentials.ClientSecret,
		},
		"me":              s.me(),
		"products":        nProducts,
		"vendors":         len(s.data.Vendors),
		"shippingTypes":   s.data.ShippingTypes,
		"tokenTTLSeconds": int(s.ttl / time.Second),
		"activeTokens":    nTokens,
		"autoAdvance":     s.auto.String(),
		"orders":          orders,
		"calls":           counts,
		"faults":          s.faults.Get(),
	})
}
