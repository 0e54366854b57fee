package nuviassim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var creds = catalog.NuviasCredentials{ClientID: "123e4567-e89b-12d3-a456-426614174000", ClientSecret: "s3cret"}

func testCatalog() *catalog.Catalog {
	prods := []catalog.NuviasProduct{
		{ID: 555, ProductCode: "NEW-PH0N3", Name: "A New Phone", Description: "100 Lines, Full Colour", VendorID: 5, ProductType: "Hardware", Price: 100.12, RRP: 110.12, Currency: "GBP", Stock: 10, Discountable: true},
		{ID: 556, ProductCode: "HS-200", Name: "Headset 200", Description: "Wireless headset", VendorID: 6, ProductType: "Hardware", Price: 50, RRP: 60, Currency: "GBP", Stock: 3},
		{ID: 557, ProductCode: "CAB-1", Name: "Cable", Description: "Extension cable for phones", VendorID: 5, ProductType: "Hardware", Price: 5, Currency: "GBP", Stock: 100},
		{ID: 558, ProductCode: "UC-SUB", Name: "Cloud Phone Licence", Description: "Per user", VendorID: 5, ProductType: "Subscription", Price: 4.99, Currency: "GBP",
			RatePlans: []catalog.RatePlan{{ID: 1, Name: "Monthly", Unit: "month", TermMonths: 1, Price: 4.99}, {ID: 2, Name: "Annual", Unit: "year", TermMonths: 12, Price: 49.9}}},
		{ID: 559, ProductCode: "OLD-1", Name: "Old Phone", Description: "discontinued", VendorID: 6, ProductType: "Hardware", Price: 20, Currency: "GBP", Stock: 5, Discontinued: true},
	}
	return &catalog.Catalog{Nuvias: catalog.NuviasData{
		Credentials: creds,
		Me:          catalog.NuviasMe{UserID: 5, Name: "Tom Jones", Email: "tom@example.com", Currency: "GBP", OrganisationID: 42, OrganisationName: "Bob's Widgets"},
		Addresses: []catalog.NuviasAddress{
			{ID: 1, Name: "Main office", Line1: "123 Example Close", City: "London", Postcode: "AB12 3AA", Country: "United Kingdom", ISO: "GB"},
			{ID: 2, Name: "Warehouse", Line1: "1 Dock Road", City: "Dublin", Postcode: "D01", Country: "Ireland", ISO: "IE"},
		},
		Vendors:       []catalog.NuviasVendor{{ID: 5, Name: "Yealink"}, {ID: 6, Name: "Jabra"}},
		ShippingTypes: []catalog.NuviasShippingType{{ID: 1, Name: "Next day"}, {ID: 2, Name: "Standard"}},
		Products:      prods,
	}}
}

type env struct {
	t     *testing.T
	s     *Server
	ts    *httptest.Server
	clock *fakeClock
	tok   string
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	clock := &fakeClock{t: time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	s := New(testCatalog(), opts)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	e := &env{t: t, s: s, ts: ts, clock: clock}
	return e
}

func (e *env) postToken(f url.Values) (int, map[string]any) {
	e.t.Helper()
	resp, err := http.PostForm(e.ts.URL+BasePath+"/oauth/token", f)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func goodForm() url.Values {
	return url.Values{"client_id": {creds.ClientID}, "client_secret": {creds.ClientSecret}, "grant_type": {"client_credentials"}}
}

func (e *env) login() string {
	e.t.Helper()
	code, m := e.postToken(goodForm())
	if code != 200 {
		e.t.Fatalf("token %d %v", code, m)
	}
	e.tok = m["access_token"].(string)
	return e.tok
}

func (e *env) do(method, path string, body any) (*http.Response, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
	}
	req, _ := http.NewRequest(method, e.ts.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if e.tok != "" {
		req.Header.Set("Authorization", "Bearer "+e.tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, data
}

func decode[T any](t *testing.T, data []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("decode %T: %v: %s", v, err, data)
	}
	return v
}

func TestToken(t *testing.T) {
	e := newEnv(t, Options{})
	code, m := e.postToken(goodForm())
	if code != 200 || m["token_type"] != "Bearer" || m["expires_in"] != float64(3600) || m["access_token"] == "" {
		t.Fatalf("%d %v", code, m)
	}
	for name, mod := range map[string]func(url.Values){
		"wrong secret": func(f url.Values) { f.Set("client_secret", "x") },
		"wrong client": func(f url.Values) { f.Set("client_id", "x") },
		"wrong grant":  func(f url.Values) { f.Set("grant_type", "password") },
		"missing":      func(f url.Values) { f.Del("client_secret") },
	} {
		f := goodForm()
		mod(f)
		code, m := e.postToken(f)
		if code < 400 || code > 401 || m["error"] == nil || m["message"] == nil {
			t.Errorf("%s: %d %v", name, code, m)
		}
	}
	if _, m := e.postToken(url.Values{"client_id": {creds.ClientID}, "client_secret": {"x"}, "grant_type": {"client_credentials"}}); m["error"] != "invalid_client" {
		t.Errorf("wrong secret: %v", m)
	}
	if e.s.CallCount(CallToken) != 6 {
		t.Fatalf("token count %d", e.s.CallCount(CallToken))
	}
}

func TestBearer(t *testing.T) {
	e := newEnv(t, Options{TokenTTL: time.Minute})
	// missing
	resp, data := e.do("GET", BasePath+"/me", nil)
	if resp.StatusCode != 401 || !strings.Contains(string(data), "message") {
		t.Fatalf("missing: %d %s", resp.StatusCode, data)
	}
	e.tok = "invalid"
	if resp, _ = e.do("GET", BasePath+"/products", nil); resp.StatusCode != 401 {
		t.Fatalf("invalid: %d", resp.StatusCode)
	}
	e.login()
	resp, data = e.do("GET", BasePath+"/me", nil)
	me := decode[Me](t, data)
	if resp.StatusCode != 200 || me.Currency != "GBP" || me.Organisation != 42 || me.Name != "Tom Jones" {
		t.Fatalf("me: %d %s", resp.StatusCode, data)
	}
	e.clock.Add(time.Minute)
	if resp, _ = e.do("GET", BasePath+"/me", nil); resp.StatusCode != 401 {
		t.Fatalf("expired: %d", resp.StatusCode)
	}
	e.login()
	e.s.RevokeTokens()
	if resp, _ = e.do("GET", BasePath+"/vendors", nil); resp.StatusCode != 401 {
		t.Fatalf("revoked: %d", resp.StatusCode)
	}
	e.login()
	r, err := http.Post(e.ts.URL+"/_control/revoke-tokens", "", nil)
	if err != nil || r.StatusCode != 200 {
		t.Fatal(err, r)
	}
	r.Body.Close()
	if resp, _ = e.do("GET", BasePath+"/orders/1", nil); resp.StatusCode != 401 {
		t.Fatalf("revoked via control: %d", resp.StatusCode)
	}
	if e.s.CallCount(CallMe) != 3 || e.s.CallCount(CallToken) != 3 {
		t.Fatalf("counts me=%d token=%d", e.s.CallCount(CallMe), e.s.CallCount(CallToken))
	}
}

func TestReferenceData(t *testing.T) {
	e := newEnv(t, Options{})
	e.login()
	resp, data := e.do("GET", BasePath+"/organisations/42/addresses", nil)
	addrs := decode[[]Address](t, data)
	if resp.StatusCode != 200 || len(addrs) != 2 || addrs[0].ID != 1 || addrs[0].AddrLine1 != "123 Example Close" || addrs[0].CountryCode != 826 || addrs[0].PostalCode != "AB12 3AA" {
		t.Fatalf("addresses %d %s", resp.StatusCode, data)
	}
	if resp, _ = e.do("GET", BasePath+"/organisations/1/addresses", nil); resp.StatusCode != 404 {
		t.Fatalf("other org: %d", resp.StatusCode)
	}
	_, data = e.do("GET", BasePath+"/vendors", nil)
	if string(bytes.TrimSpace(data)) != `[{"id":5,"name":"Yealink"},{"id":6,"name":"Jabra"}]` {
		t.Fatalf("vendors %s", data)
	}
	_, data = e.do("GET", BasePath+"/shipping-types", nil)
	if sts := decode[[]ShippingType](t, data); len(sts) != 2 || sts[1].Name != "Standard" {
		t.Fatalf("shipping types %s", data)
	}
}

func TestProductsPagingSearchSort(t *testing.T) {
	e := newEnv(t, Options{})
	e.login()
	resp, data := e.do("GET", BasePath+"/products?per_page=2&page=2", nil)
	ps := decode[[]Product](t, data)
	if resp.Header.Get("X-Total-Count") != "5" || resp.Header.Get("X-Total-Pages") != "3" || len(ps) != 2 || ps[0].ID != 557 {
		t.Fatalf("paging: %v %s", resp.Header, data)
	}
	_, data = e.do("GET", BasePath+"/products?per_page=2&page=9", nil)
	if string(bytes.TrimSpace(data)) != "[]" {
		t.Fatalf("beyond last page %s", data)
	}
	resp, _ = e.do("GET", BasePath+"/products?per_page=5000", nil)
	if resp.Header.Get("X-Per-Page") != "1000" || resp.Header.Get("X-Total-Pages") != "1" {
		t.Fatalf("per_page clamp %v", resp.Header)
	}
	if resp, data = e.do("GET", BasePath+"/products?page=0", nil); resp.StatusCode != 422 || !strings.Contains(string(data), `"errors"`) {
		t.Fatalf("page=0: %d %s", resp.StatusCode, data)
	}

	search := func(q string) []int {
		t.Helper()
		_, data := e.do("GET", BasePath+"/products?"+q, nil)
		var ids []int
		for _, p := range decode[[]Product](t, data) {
			ids = append(ids, p.ID)
		}
		return ids
	}
	eq := func(got []int, want ...int) bool {
		if len(got) != len(want) {
			return false
		}
		for i := range got {
			if got[i] != want[i] {
				return false
			}
		}
		return true
	}
	cases := []struct {
		q    string
		want []int
	}{
		{"text=phone", []int{555, 557, 558, 559}},            // name or description
		{"text=PHONE+cable", []int{557}},                     // all words
		{"text=new-ph0n3", []int{555}},                       // product code
		{"text=jabra", []int{556, 559}},                      // vendor name
		{"text=nothing-like-this", nil},                      // none
		{"sort_by=-price", []int{555, 556, 559, 557, 558}},   // price desc
		{"sort_by=%2Bprice", []int{558, 557, 559, 556, 555}}, // +price
		{"sort_by=price", []int{558, 557, 559, 556, 555}},
		{"sort_by=name", []int{555, 557, 558, 556, 559}},
		{"sort_by=-name", []int{559, 556, 558, 557, 555}},
		{"vendor=6", []int{556, 559}},
	}
	for _, c := range cases {
		if got := search(c.q); !eq(got, c.want...) {
			t.Errorf("%s: got %v want %v", c.q, got, c.want)
		}
	}
	if resp, _ = e.do("GET", BasePath+"/products?sort_by=bogus", nil); resp.StatusCode != 422 {
		t.Fatalf("bad sort: %d", resp.StatusCode)
	}
}

func TestProductByID(t *testing.T) {
	e := newEnv(t, Options{})
	e.login()
	resp, data := e.do("GET", BasePath+"/products/558", nil)
	p := decode[Product](t, data)
	if resp.StatusCode != 200 || p.ProductCode != "UC-SUB" || p.Type != 3 || p.TypeName != "Subscription" || len(p.RatePlans) != 2 ||
		p.RatePlans[1].BillingFrequency != "annually" || p.RatePlans[1].RatePlanCharges[0].RatePlanChargeCosts[0].ChargeCostPrice != 49.9 {
		t.Fatalf("%d %s", resp.StatusCode, data)
	}
	var raw map[string]any
	_ = json.Unmarshal(data, &raw)
	for _, k := range []string{"id", "product_code", "name", "description", "detailed_description", "vendor", "type", "price", "rrp", "stock", "thumb_url", "main_image_url", "datasheet_url", "guide_url", "discountable", "rate_plans"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("product JSON lacks %q", k)
		}
	}
	for _, path := range []string{"/products/1", "/products/abc"} {
		resp, data = e.do("GET", BasePath+path, nil)
		if resp.StatusCode != 404 || decode[map[string]any](t, data)["message"] == nil {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, data)
		}
	}
}

func TestCreateOrderValidation(t *testing.T) {
	e := newEnv(t, Options{})
	e.login()
	cases := []struct {
		name  string
		body  any
		field string
	}{
		{"no lines", map[string]any{"purchase_order_number": "PO1"}, "line_items"},
		{"unknown product", map[string]any{"line_items": []any{map[string]any{"product": 1, "quantity": 1}}}, "line_items.0.product"},
		{"unknown code", map[string]any{"line_items": []any{map[string]any{"product_code": "NOPE", "quantity": 1}}}, "line_items.0.product_code"},
		{"zero quantity", map[string]any{"line_items": []any{map[string]any{"product": 555, "quantity": 0}}}, "line_items.0.quantity"},
		{"fraction quantity", map[string]any{"line_items": []any{map[string]any{"product": 555, "quantity": 1.5}}}, "line_items.0.quantity"},
		{"string quantity", map[string]any{"line_items": []any{map[string]any{"product": 555, "quantity": "2"}}}, "line_items.0.quantity"},
		{"bad shipping type", map[string]any{"shipping_type": 99, "line_items": []any{map[string]any{"product": 555, "quantity": 1}}}, "shipping_type"},
		{"shipping type string", map[string]any{"shipping_type": "1", "line_items": []any{map[string]any{"product": 555, "quantity": 1}}}, "shipping_type"},
		{"part_ship string", map[string]any{"part_ship": "yes", "line_items": []any{map[string]any{"product": 555, "quantity": 1}}}, "part_ship"},
		{"bad address id", map[string]any{"shipping_address": 77, "line_items": []any{map[string]any{"product": 555, "quantity": 1}}}, "shipping_address"},
		{"incomplete address", map[string]any{"shipping_address": map[string]any{"addr_line_1": "x"}, "line_items": []any{map[string]any{"product": 555, "quantity": 1}}}, "shipping_address.city"},
		{"discontinued", map[string]any{"line_items": []any{map[string]any{"product": 559, "quantity": 1}}}, "line_items.0.product"},
		{"no stock without part ship", map[string]any{"part_ship": false, "line_items": []any{map[string]any{"product": 556, "quantity": 4}}}, "line_items.0.quantity"},
		{"no stock, two lines", map[string]any{"part_ship": false, "line_items": []any{map[string]any{"product": 556, "quantity": 2}, map[string]any{"product_code": "hs-200", "quantity": 2}}}, "line_items.1.quantity"},
		{"bad rate plan", map[string]any{"line_items": []any{map[string]any{"product": 558, "quantity": 1, "selected_rate_plan": 9}}}, "line_items.0.selected_rate_plan"},
		{"code mismatch", map[string]any{"line_items": []any{map[string]any{"product": 555, "product_code": "CAB-1", "quantity": 1}}}, "line_items.0.product_code"},
		{"end_user number", map[string]any{"end_user": 5, "line_items": []any{map[string]any{"product": 555, "quantity": 1}}}, "end_user"},
	}
	for _, c := range cases {
		resp, data := e.do("POST", BasePath+"/orders", c.body)
		var v struct {
			Message string              `json:"message"`
			Errors  map[string][]string `json:"errors"`
		}
		_ = json.Unmarshal(data, &v)
		if resp.StatusCode != 422 || v.Message == "" || len(v.Errors[c.field]) == 0 {
			t.Errorf("%s: %d %s", c.name, resp.StatusCode, data)
		}
	}
	if resp, data := e.do("POST", BasePath+"/orders", `{"line_items": [`); resp.StatusCode != 400 {
		t.Errorf("malformed body: %d %s", resp.StatusCode, data)
	}
	if p, _ := e.s.Product(556); p.Stock != 3 {
		t.Fatalf("failed orders changed stock: %d", p.Stock)
	}
	if e.s.CallCount(CallCreateOrder) != len(cases)+1 {
		t.Fatalf("create count %d", e.s.CallCount(CallCreateOrder))
	}
}

func TestOrderLifecycle(t *testing.T) {
	e := newEnv(t, Options{TokenTTL: 100 * time.Hour})
	e.login()
	body := map[string]any{
		"purchase_order_number": "Q-1001",
		"shipping_address":      2,
		"shipping_type":         2,
		"part_ship":             true,
		"end_user":              map[string]any{"name": "Acme", "email": "it@acme.example"},
		"line_items": []any{
			map[string]any{"product": 555, "quantity": 2},
			map[string]any{"product_code": "hs-200", "quantity": 5}, // 3 in stock → 2 backordered
			map[string]any{"product": 558, "quantity": 10, "selected_rate_plan": 2},
		},
	}
	resp, data := e.do("POST", BasePath+"/orders", body)
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, data)
	}
	o := decode[Order](t, data)
	if o.Status != StatusCreated || o.ID == 0 || o.PurchaseOrderNumber != "Q-1001" || o.ShippingAddress.City != "Dublin" || o.ShippingType != 2 ||
		!o.PartShip || len(o.LineItems) != 3 || o.LineItems[1].Product != 556 || o.LineItems[1].BackorderedQuantity != 2 ||
		o.LineItems[2].Price != 49.9 || o.Total != round2(2*100.12+5*50+10*49.9) || string(o.EndUser) != `{"email":"it@acme.example","name":"Acme"}` ||
		o.Currency != "GBP" || o.SupplierRef != nil || o.Date != "2025-03-10T09:00:00" {
		t.Fatalf("created order: %s", data)
	}
	if !strings.Contains(string(data), `"shipments":[]`) || !strings.Contains(string(data), `"units":[]`) {
		t.Errorf("empty arrays must not be null: %s", data)
	}
	if resp.Header.Get("Location") == "" {
		t.Error("no Location header")
	}
	if p, _ := e.s.Product(555); p.Stock != 8 {
		t.Fatalf("stock 555 = %d", p.Stock)
	}
	if p, _ := e.s.Product(556); p.Stock != 0 {
		t.Fatalf("stock 556 = %d", p.Stock)
	}
	_, data = e.do("GET", BasePath+"/products/555", nil)
	if decode[Product](t, data).Stock != 8 {
		t.Fatalf("API stock %s", data)
	}

	get := func() Order {
		t.Helper()
		resp, data := e.do("GET", BasePath+"/orders/"+itoa(o.ID), nil)
		if resp.StatusCode != 200 {
			t.Fatalf("get order %d %s", resp.StatusCode, data)
		}
		return decode[Order](t, data)
	}
	advance := func(want string) Order {
		t.Helper()
		r, err := http.Post(e.ts.URL+"/_control/orders/"+itoa(o.ID)+"/advance", "", nil)
		if err != nil || r.StatusCode != 200 {
			t.Fatalf("advance: %v %v", err, r)
		}
		r.Body.Close()
		got := get()
		if got.Status != want {
			t.Fatalf("status %s, want %s", got.Status, want)
		}
		return got
	}
	advance(StatusProcessing)
	if got := advance(StatusAccepted); got.SupplierRef == nil || *got.SupplierRef == "" {
		t.Fatal("no supplier_ref after ACCEPTED")
	}
	e.clock.Add(24 * time.Hour)
	got := advance(StatusPartShipped)
	if len(got.Shipments) != 1 || got.Shipments[0].TrackingNumber == "" || got.Shipments[0].Date != "2025-03-11" {
		t.Fatalf("part shipment %+v", got.Shipments)
	}
	if got.LineItems[0].ShippedQuantity != 2 || got.LineItems[1].ShippedQuantity != 3 || got.LineItems[2].ShippedQuantity != 10 {
		t.Fatalf("shipped quantities %+v", got.LineItems)
	}

	// attention required and back
	r, _ := http.Post(e.ts.URL+"/_control/orders/"+itoa(o.ID)+"/status", "application/json", strings.NewReader(`{"status":"ATTENTION_REQUIRED","message":"Credit limit exceeded"}`))
	r.Body.Close()
	got = get()
	if r.StatusCode != 200 || got.Status != StatusAttentionRequired || got.AttentionRequired == nil || *got.AttentionRequired != "Credit limit exceeded" {
		t.Fatalf("attention: %d %+v", r.StatusCode, got)
	}
	if got = advance(StatusPartShipped); got.AttentionRequired != nil {
		t.Fatal("attention text not cleared")
	}

	got = advance(StatusShipped)
	if len(got.Shipments) != 2 || got.Shipments[1].Items[0].Product != 556 || got.Shipments[1].Items[0].Quantity != 2 || got.Shipments[1].TrackingNumber == got.Shipments[0].TrackingNumber {
		t.Fatalf("second shipment %+v", got.Shipments)
	}
	advance(StatusComplete)
	if err := e.s.AdvanceOrder(o.ID); !errors.Is(err, ErrFinalStatus) {
		t.Fatalf("advance complete: %v", err)
	}
	r, _ = http.Post(e.ts.URL+"/_control/orders/"+itoa(o.ID)+"/advance", "", nil)
	r.Body.Close()
	if r.StatusCode != 409 {
		t.Fatalf("control advance complete: %d", r.StatusCode)
	}
	if resp, _ := e.do("GET", BasePath+"/orders/999999", nil); resp.StatusCode != 404 {
		t.Fatalf("unknown order %d", resp.StatusCode)
	}
}

func TestOrderFullStockAndFailed(t *testing.T) {
	e := newEnv(t, Options{})
	e.login()
	resp, data := e.do("POST", BasePath+"/orders", map[string]any{
		"part_ship": false, "shipping_address": map[string]any{"addr_line_1": "1 Main St", "city": "Leeds", "postal_code": "LS1", "country_code": "GB"},
		"end_user": "Bob's Customer", "line_items": []any{map[string]any{"product": 556, "quantity": 3}},
	})
	if resp.StatusCode != 201 {
		t.Fatalf("%d %s", resp.StatusCode, data)
	}
	o := decode[Order](t, data)
	if o.ShippingAddress.CountryCode != 826 || string(o.EndUser) != `"Bob's Customer"` {
		t.Fatalf("%s", data)
	}
	for _, want := range []string{StatusProcessing, StatusAccepted, StatusShipped, StatusComplete} {
		if err := e.s.AdvanceOrder(o.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.s.Order(o.ID); got.Status != want {
			t.Fatalf("status %s want %s", got.Status, want)
		}
	}
	// FAILED releases unshipped stock
	e.s.SetStock(556, 5)
	_, data = e.do("POST", BasePath+"/orders", map[string]any{"line_items": []any{map[string]any{"product": 556, "quantity": 4}}})
	o2 := decode[Order](t, data)
	if p, _ := e.s.Product(556); p.Stock != 1 {
		t.Fatalf("stock %d", p.Stock)
	}
	if err := e.s.SetOrderStatus(o2.ID, StatusFailed, "Payment declined"); err != nil {
		t.Fatal(err)
	}
	if p, _ := e.s.Product(556); p.Stock != 5 {
		t.Fatalf("stock after FAILED %d", p.Stock)
	}
	if got, _ := e.s.Order(o2.ID); got.Status != StatusFailed || *got.AttentionRequired != "Payment declined" {
		t.Fatalf("%+v", got)
	}
	if err := e.s.SetOrderStatus(o2.ID, "BOGUS", ""); !errors.Is(err, ErrBadStatus) {
		t.Fatal(err)
	}
}

func TestAutoAdvance(t *testing.T) {
	e := newEnv(t, Options{AutoAdvance: time.Minute, TokenTTL: time.Hour})
	e.login()
	_, data := e.do("POST", BasePath+"/orders", map[string]any{"line_items": []any{map[string]any{"product": 555, "quantity": 1}}})
	o := decode[Order](t, data)
	e.clock.Add(2 * time.Minute)
	if got, _ := e.s.Order(o.ID); got.Status != StatusAccepted {
		t.Fatalf("after 2m: %s", got.Status)
	}
	e.clock.Add(10 * time.Minute)
	if got, _ := e.s.Order(o.ID); got.Status != StatusComplete {
		t.Fatalf("after 12m: %s", got.Status)
	}
}

func TestFaults(t *testing.T) {
	e := newEnv(t, Options{})
	e.login()
	// burst 503 via the control endpoint
	r, err := http.Post(e.ts.URL+"/_control/faults", "application/json", strings.NewReader(`{"burst503": 2}`))
	if err != nil || r.StatusCode != 200 {
		t.Fatal(err, r)
	}
	r.Body.Close()
	for i := 0; i < 2; i++ {
		if resp, _ := e.do("GET", BasePath+"/vendors", nil); resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "0" {
			t.Fatalf("burst %d: %d", i, resp.StatusCode)
		}
	}
	if resp, _ := e.do("GET", BasePath+"/vendors", nil); resp.StatusCode != 200 {
		t.Fatalf("after burst %d", resp.StatusCode)
	}
	if e.s.CallCount(CallVendors) != 3 {
		t.Fatalf("vendors count %d", e.s.CallCount(CallVendors))
	}

	e.s.Faults().Set(faults.Config{MalformedJSON: true})
	resp, data := e.do("GET", BasePath+"/products", nil)
	var v any
	if resp.StatusCode != 200 || json.Unmarshal(data, &v) == nil {
		t.Fatalf("malformed: %d %s", resp.StatusCode, data)
	}
	// control endpoints are never faulted
	if r, err = http.Get(e.ts.URL + "/_control/info"); err != nil || r.StatusCode != 200 {
		t.Fatal(err, r)
	}
	info := decode[map[string]any](t, mustRead(t, r))
	if info["basePath"] != BasePath || info["distributor"] != "nuvias" {
		t.Fatalf("info %v", info)
	}

	e.s.Faults().Set(faults.Config{Hang: true})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.ts.URL+BasePath+"/me", nil)
	req.Header.Set("Authorization", "Bearer "+e.tok)
	start := time.Now()
	_, err = http.DefaultClient.Do(req)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("hang: %v", err)
	}
	e.s.Faults().Reset()
	if resp, _ := e.do("GET", BasePath+"/me", nil); resp.StatusCode != 200 {
		t.Fatalf("after reset %d", resp.StatusCode)
	}
}

func TestConcurrentOrders(t *testing.T) {
	e := newEnv(t, Options{})
	e.login()
	e.s.SetStock(557, 50)
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, _ := json.Marshal(map[string]any{"part_ship": false, "line_items": []any{map[string]any{"product": 557, "quantity": 1}}})
			req, _ := http.NewRequest("POST", e.ts.URL+BasePath+"/orders", bytes.NewReader(b))
			req.Header.Set("Authorization", "Bearer "+e.tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode == 201 {
				mu.Lock()
				created++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if p, _ := e.s.Product(557); created != 50 || p.Stock != 0 {
		t.Fatalf("created %d stock %d", created, p.Stock)
	}
	if e.s.CallCount(CallCreateOrder) != 60 || e.s.CallCount(CallToken) != 1 {
		t.Fatalf("counts %d %d", e.s.CallCount(CallCreateOrder), e.s.CallCount(CallToken))
	}
	e.s.ResetCounts()
	if e.s.CallCount(CallCreateOrder) != 0 {
		t.Fatal("reset")
	}
}

func TestCatalogNotMutated(t *testing.T) {
	cat := testCatalog()
	s := New(cat, Options{})
	_ = s.SetStock(555, 0)
	if cat.Nuvias.Products[0].Stock != 10 {
		t.Fatal("simulator mutated the catalog")
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func mustRead(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
