package nuvias

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

const (
	testClientID = "client-123"
	testSecret   = "s3cret-value-XYZ"
)

// fixture is a Client pointed at an httptest server whose mux already
// serves the token endpoint, /me and /vendors.
type fixture struct {
	c      *Client
	f      *Factory
	mux    *http.ServeMux
	srv    *httptest.Server
	tokens atomic.Int32 // tokens issued
	calls  sync.Map     // path → *atomic.Int32
}

func (fx *fixture) count(name string) int {
	v, ok := fx.calls.Load(name)
	if !ok {
		return 0
	}
	return int(v.(*atomic.Int32).Load())
}

func (fx *fixture) hit(name string) {
	v, _ := fx.calls.LoadOrStore(name, new(atomic.Int32))
	v.(*atomic.Int32).Add(1)
}

// handle registers h behind a bearer check that accepts the latest token.
func (fx *fixture) handle(t *testing.T, pattern string, h http.HandlerFunc) {
	fx.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		fx.hit(pattern)
		if got, want := r.Header.Get("Authorization"), "Bearer tok-"+strconv.Itoa(int(fx.tokens.Load())); got != want {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"message":"Unauthenticated"}`)
			return
		}
		h(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func setup(t *testing.T, mod ...func(*Options, *Settings)) *fixture {
	t.Helper()
	fx := &fixture{mux: http.NewServeMux()}
	fx.srv = httptest.NewServer(fx.mux)
	t.Cleanup(fx.srv.Close)
	fx.mux.HandleFunc("POST /api/v1/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		fx.hit("token")
		require.NoError(t, r.ParseForm())
		if r.PostForm.Get("client_id") != testClientID || r.PostForm.Get("client_secret") != testSecret ||
			r.PostForm.Get("grant_type") != "client_credentials" ||
			r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			writeJSON(w, 401, map[string]any{"error": "invalid_client", "message": "Client authentication failed."})
			return
		}
		time.Sleep(10 * time.Millisecond) // let concurrent callers pile up
		n := fx.tokens.Add(1)
		writeJSON(w, 200, map[string]any{"access_token": "tok-" + strconv.Itoa(int(n)), "token_type": "Bearer", "expires_in": 3600})
	})
	fx.handle(t, "GET /api/v1/me", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": 5, "name": "Tom Jones", "organisation": 77, "organisation_name": "Acme AS", "currency": "EUR"})
	})
	fx.handle(t, "GET /api/v1/vendors", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []map[string]any{{"id": 5, "name": "Yealink"}, {"id": 6, "name": "Poly"}})
	})
	o := Options{BaseURL: fx.srv.URL + "/api/v1", HTTP: fx.srv.Client(), Timeout: 2 * time.Second}
	s := Settings{Enabled: true, ClientID: testClientID, ClientSecret: settings.Secret(testSecret), ShippingType: 2, PartShip: true}
	for _, m := range mod {
		m(&o, &s)
	}
	fx.f = NewFactory(o)
	d, err := fx.f.New(s)
	require.NoError(t, err)
	fx.c = d.(*Client)
	return fx
}

func hubProduct(id int, code string) map[string]any {
	return map[string]any{
		"id": id, "name": "Phone " + code, "product_code": code, "description": "Short", "detailed_description": "Long text",
		"vendor": 5, "type": 10, "type_name": "Hardware", "rrp": 110.12, "price": 100.12, "stock": 9001,
		"thumb_url": "https://img.example/t.png", "main_image_url": "https://img.example/m.png",
		"datasheet_url": "https://docs.example/ds.pdf", "guide_url": "string", "discountable": false,
		"subscription_type": nil, "rate_plans": []any{},
	}
}

func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testSecret)
	assert.NotContains(t, fmt.Sprintf("%+v", err), testSecret)
}

func TestNewValidatesCredentials(t *testing.T) {
	f := NewFactory(Options{})
	assert.Equal(t, "nuvias", f.Name())
	_, err := f.New(Settings{Enabled: true, ClientID: "x"})
	require.Error(t, err)
	assert.Equal(t, distributors.KindConfig, distributors.KindOf(err))
	assert.Contains(t, err.Error(), KeyClientSecret)
	assert.True(t, f.Enabled(Settings{Enabled: true}))
}

func TestSearchMapsAndPages(t *testing.T) {
	fx := setup(t)
	var queries []string
	var mu sync.Mutex
	fx.handle(t, "GET /api/v1/products", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		mu.Unlock()
		q := r.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		per, _ := strconv.Atoi(q.Get("per_page"))
		total := 2100
		if q.Get("text") == "yealink t54" {
			total = 3
		}
		var out []map[string]any
		for i := (page-1)*per + 1; i <= min(page*per, total); i++ {
			out = append(out, hubProduct(i, fmt.Sprintf("P-%d", i)))
		}
		w.Header().Set("X-Total-Count", strconv.Itoa(total))
		w.Header().Set("X-Total-Pages", strconv.Itoa((total+per-1)/per))
		writeJSON(w, 200, out)
	})
	ctx := context.Background()

	ps, err := fx.c.Search(ctx, distributors.Query{Text: " yealink  t54 ", Limit: 10})
	require.NoError(t, err)
	require.Len(t, ps, 3)
	assert.Equal(t, "page=1&per_page=10&sort_by=-popularity&text=yealink+t54", queries[0])
	p := ps[0]
	assert.Equal(t, distributors.Product{
		Distributor: "nuvias", ID: "1", PartNumber: "P-1", Name: "Phone P-1", Description: "Short\n\nLong text",
		Manufacturer: "Yealink", Brand: "Yealink", ProductType: "Hardware",
		ThumbnailURL: "https://img.example/t.png", Images: []string{"https://img.example/m.png"},
		Links: []distributors.Link{{Name: "Datasheet", URL: "https://docs.example/ds.pdf"}}, NotDiscountable: true,
		Offer: &distributors.Offer{Currency: "EUR", Cost: 100.12, RRP: 110.12, Stock: &distributors.Stock{Available: 9001}},
	}, p)

	// "%" is everything; pages of 1000 until the limit.
	queries = nil
	ps, err = fx.c.Search(ctx, distributors.Query{Text: "%", Limit: 1200})
	require.NoError(t, err)
	assert.Len(t, ps, 1200)
	require.Len(t, queries, 2)
	assert.Equal(t, "page=2&per_page=1000&sort_by=-popularity&text=", queries[1])

	// never past X-Total-Pages
	queries = nil
	ps, err = fx.c.Search(ctx, distributors.Query{Text: "%", Limit: 5000})
	require.NoError(t, err)
	assert.Len(t, ps, 2100)
	assert.Len(t, queries, 3)

	// another currency than the account's
	_, err = fx.c.Search(ctx, distributors.Query{Text: "x", Currency: "USD"})
	assert.Equal(t, distributors.KindRejected, distributors.KindOf(err))

	// /me and /vendors came from the cache after the first search
	assert.Equal(t, 1, fx.count("GET /api/v1/me"))
	assert.Equal(t, 1, fx.count("GET /api/v1/vendors"))
	assert.Equal(t, 1, fx.count("token"))

	items, err := fx.c.List(ctx, distributors.ListProductType)
	require.NoError(t, err)
	assert.Equal(t, []distributors.ListItem{{Key: "Hardware", Name: "Hardware"}}, items)
}

func TestSubscriptionProduct(t *testing.T) {
	p := hubProduct(9, "SUB-1")
	p["price"] = 0
	p["type_name"] = "Subscription"
	p["rate_plans"] = []any{map[string]any{"id": 1, "name": "Annual", "term_length": 12, "billing_frequency": "annually", "default": true,
		"rate_plan_charges": []any{map[string]any{"charge_type": "recurring", "rate_plan_charge_costs": []any{map[string]any{"currency": "EUR", "charge_cost_price": 4.99}}}}}}
	p["discontinued"] = true
	raw, _ := json.Marshal(p)
	var hp product
	require.NoError(t, json.Unmarshal(raw, &hp))
	np := hp.neutral(nil, "EUR")
	assert.Equal(t, &distributors.Subscription{Unit: "year", TermMonths: 12, Plan: "Annual"}, np.Subscription)
	assert.Equal(t, 4.99, np.Offer.Cost)
	assert.Nil(t, np.Offer.Stock)
	assert.True(t, np.Discontinued)
}

func TestProductsConcurrentBounded(t *testing.T) {
	fx := setup(t, func(o *Options, _ *Settings) { o.Concurrency = 3 })
	var inFlight, maxIn atomic.Int32
	fx.handle(t, "GET /api/v1/products/{id}", func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxIn.Load()
			if n <= m || maxIn.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		id, _ := strconv.Atoi(r.PathValue("id"))
		if id == 404 {
			writeJSON(w, 404, map[string]any{"message": "Product 404 not found"})
			return
		}
		writeJSON(w, 200, hubProduct(id, "C-"+r.PathValue("id")))
	})
	ids := []string{"7", "404", "abc", "3", "1", "2", "8", "9", "3"}
	ps, err := fx.c.Products(context.Background(), ids, "")
	require.NoError(t, err)
	var got []string
	for _, p := range ps {
		got = append(got, p.ID)
	}
	assert.Equal(t, []string{"7", "3", "1", "2", "8", "9", "3"}, got)
	assert.LessOrEqual(t, int(maxIn.Load()), 3)
	assert.Equal(t, 7, fx.count("GET /api/v1/products/{id}"), "distinct numeric ids, once each")

	offers, err := fx.c.Offers(context.Background(), []string{"1", "404"}, "EUR")
	require.NoError(t, err)
	assert.Equal(t, map[string]distributors.Offer{"1": {Currency: "EUR", Cost: 100.12, RRP: 110.12, Stock: &distributors.Stock{Available: 9001}}}, offers)
}

func TestTokenOnceUnderConcurrency(t *testing.T) {
	fx := setup(t)
	fx.handle(t, "GET /api/v1/products/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, hubProduct(1, "A"))
	})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Go(func() {
			_, err := fx.c.Offers(context.Background(), []string{"1"}, "")
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, fx.count("token"))
	assert.Equal(t, 1, fx.count("GET /api/v1/me"))
}

func TestTokenCachedPerCredentials(t *testing.T) {
	fx := setup(t)
	fx.handle(t, "GET /api/v1/products/{id}", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, hubProduct(1, "A")) })
	_, err := fx.c.Offers(context.Background(), []string{"1"}, "")
	require.NoError(t, err)
	// a second adapter of the same credentials reuses the token
	d, err := fx.f.New(Settings{ClientID: testClientID, ClientSecret: testSecret})
	require.NoError(t, err)
	_, err = d.Offers(context.Background(), []string{"1"}, "")
	require.NoError(t, err)
	assert.Equal(t, 1, fx.count("token"))
	// other credentials never get it
	d, err = fx.f.New(Settings{ClientID: testClientID, ClientSecret: "wrong"})
	require.NoError(t, err)
	_, err = d.Offers(context.Background(), []string{"1"}, "")
	assert.Equal(t, distributors.KindAuth, distributors.KindOf(err))
	assertNoSecret(t, err)
}

func TestUnauthorizedRefreshesOnce(t *testing.T) {
	fx := setup(t)
	fx.handle(t, "GET /api/v1/orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": 7745, "status": "CREATED"})
	})
	ctx := context.Background()
	_, err := fx.c.OrderStatus(ctx, []distributors.OrderRef{{ID: "7745"}})
	require.NoError(t, err)
	// the Hub forgets the token: the next call gets 401, refreshes, retries
	fx.tokens.Add(1)
	st, err := fx.c.OrderStatus(ctx, []distributors.OrderRef{{ID: "7745"}})
	require.NoError(t, err)
	require.Len(t, st, 1)
	assert.Equal(t, 2, fx.count("token"))
	assert.Equal(t, 3, fx.count("GET /api/v1/orders/{id}"))

	// a 401 that persists is an auth error after exactly one retry
	fx.mux.HandleFunc("GET /api/v1/shipping-types", func(w http.ResponseWriter, r *http.Request) {
		fx.hit("ship")
		writeJSON(w, 401, map[string]any{"message": "nope"})
	})
	_, err = fx.c.List(ctx, distributors.ListDeliveryType)
	assert.Equal(t, distributors.KindAuth, distributors.KindOf(err))
	assert.Equal(t, 2, fx.count("ship"))
}

func TestFailuresAreUnavailable(t *testing.T) {
	fx := setup(t, func(o *Options, _ *Settings) { o.Timeout = time.Second })
	fx.handle(t, "GET /api/v1/products/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("id") {
		case "500":
			writeJSON(w, 500, map[string]any{"message": "boom " + testSecret})
		case "2":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id": 2, "name": "trunc`)
		case "3":
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		}
	})
	for _, id := range []string{"500", "2", "3"} {
		_, err := fx.c.Products(context.Background(), []string{id}, "")
		require.Error(t, err, id)
		assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err), id)
		assertNoSecret(t, err)
	}
	assert.Equal(t, 5, fx.count("GET /api/v1/products/{id}"), "a 5xx GET is retried twice, nothing else")
}

func TestTokenErrorsNeverShowSecret(t *testing.T) {
	fx := setup(t)
	d, err := fx.f.New(Settings{ClientID: "other", ClientSecret: testSecret + "!"})
	require.NoError(t, err)
	_, err = d.Test(context.Background())
	assertNoSecret(t, err)
	assert.Equal(t, distributors.KindAuth, distributors.KindOf(err))
	assert.Contains(t, err.Error(), "nuvias token")
}

func TestTestConnection(t *testing.T) {
	fx := setup(t)
	got, err := fx.c.Test(context.Background())
	require.NoError(t, err)
	assert.Equal(t, `Nuvias organisation "Acme AS" (currency EUR)`, got)
	cur, err := fx.c.Currencies(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"EUR"}, cur)
}

func TestAddressesAndLists(t *testing.T) {
	fx := setup(t)
	fx.handle(t, "GET /api/v1/organisations/{id}/addresses", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "77", r.PathValue("id"))
		writeJSON(w, 200, []map[string]any{
			{"id": 3, "name": "Main office", "company_name": "Acme AS", "addr_line_1": "Gate 1", "addr_line_2": "", "city": "Oslo", "postal_code": "0150", "country_code": 578},
			{"id": 4, "name": "Warehouse", "company_name": "Acme AS", "addr_line_1": "Vei 2", "city": "Bergen", "postal_code": "5003", "country_code": 578},
		})
	})
	fx.handle(t, "GET /api/v1/shipping-types", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []map[string]any{{"id": 1, "name": "Next day", "description": "UK"}})
	})
	ctx := context.Background()
	as, err := fx.c.Addresses(ctx)
	require.NoError(t, err)
	want := &distributors.Address{ID: "3", Name: "Acme AS", Lines: []string{"Gate 1"}, City: "Oslo", Zip: "0150", CountryCode: "NO"}
	assert.Equal(t, want, as.Billing)
	assert.Equal(t, want, as.Shipping)

	fam, err := fx.c.List(ctx, distributors.ListProductFamily)
	require.NoError(t, err)
	assert.Equal(t, []distributors.ListItem{{Key: "6", Name: "Poly"}, {Key: "5", Name: "Yealink"}}, fam)
	del, err := fx.c.List(ctx, distributors.ListDeliveryType)
	require.NoError(t, err)
	assert.Equal(t, []distributors.ListItem{{Key: "1", Name: "Next day", Description: "UK"}}, del)
	none, err := fx.c.List(ctx, distributors.ListPaymentTerms)
	assert.NoError(t, err)
	assert.Nil(t, none)
}

func TestPlaceOrder(t *testing.T) {
	fx := setup(t)
	fx.handle(t, "GET /api/v1/organisations/{id}/addresses", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []map[string]any{{"id": 3, "company_name": "Acme AS", "addr_line_1": "Gate 1", "city": "Oslo", "postal_code": "0150", "country_code": 578}})
	})
	var mode atomic.Value
	mode.Store("ok")
	var bodies []map[string]any
	var mu sync.Mutex
	fx.handle(t, "POST /api/v1/orders", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		var b map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&b))
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
		switch mode.Load() {
		case "ok":
			writeJSON(w, 201, map[string]any{"id": 7745, "status": "CREATED"})
		case "422":
			writeJSON(w, 422, map[string]any{"message": "The quantity must be an integer of at least 1.",
				"errors": map[string][]string{"line_items.1.quantity": {"Only 3 of X in stock and part_ship is false."}}})
		case "attention":
			writeJSON(w, 201, map[string]any{"id": 7746, "status": "ATTENTION_REQUIRED", "attention_required": "Credit limit exceeded"})
		case "500":
			writeJSON(w, 500, map[string]any{"message": "oops"})
		case "slow":
			time.Sleep(500 * time.Millisecond)
		}
	})
	ctx := context.Background()
	o := distributors.Order{Reference: "Q-1001", PONumber: "PO-77", EndUser: distributors.Company{Name: "BobCo"},
		Lines: []distributors.OrderLine{{LineID: 11, ProductID: "555", Quantity: 10}, {LineID: 12, ProductID: "556", Quantity: 4}}}
	rc, err := fx.c.PlaceOrder(ctx, o)
	require.NoError(t, err)
	assert.Equal(t, distributors.OrderReceipt{OrderID: "7745", Status: "CREATED"}, rc)
	b, _ := json.Marshal(bodies[0])
	assert.JSONEq(t, `{"purchase_order_number":"PO-77","shipping_type":2,"part_ship":true,"end_user":"BobCo",
		"shipping_address":{"id":3,"company_name":"Acme AS","recipient_name":"","addr_line_1":"Gate 1","addr_line_2":"","city":"Oslo","region":"","postal_code":"0150","country_code":578},
		"line_items":[{"product":555,"quantity":10},{"product":556,"quantity":4}]}`, string(b))

	// inline ShipTo, Reference as PO number
	o2 := o
	o2.PONumber = ""
	o2.ShipTo = &distributors.Address{Name: "Site", Lines: []string{"Road 1", "", "Floor 2"}, City: "Bergen", Zip: "5003", CountryCode: "no"}
	o2.Buyer = distributors.Person{FirstName: "Kari", LastName: "Nordmann"}
	_, err = fx.c.PlaceOrder(ctx, o2)
	require.NoError(t, err)
	b, _ = json.Marshal(bodies[1]["shipping_address"])
	assert.JSONEq(t, `{"company_name":"Site","recipient_name":"Kari Nordmann","addr_line_1":"Road 1","addr_line_2":"Floor 2","city":"Bergen","region":"","postal_code":"5003","country_code":578}`, string(b))
	assert.Equal(t, "Q-1001", bodies[1]["purchase_order_number"])

	mode.Store("422")
	_, err = fx.c.PlaceOrder(ctx, o)
	var de *distributors.Error
	require.ErrorAs(t, err, &de)
	assert.Equal(t, distributors.KindRejected, de.Kind)
	assert.Equal(t, "The quantity must be an integer of at least 1.", de.Message)
	assert.Equal(t, []distributors.LineProblem{{LineID: 12, ProductID: "556", Message: "Only 3 of X in stock and part_ship is false."}}, de.Problems)
	assert.False(t, de.Uncertain)

	mode.Store("attention")
	_, err = fx.c.PlaceOrder(ctx, o)
	require.ErrorAs(t, err, &de)
	assert.Equal(t, distributors.KindRejected, de.Kind)
	assert.Contains(t, de.Message, "Credit limit exceeded")

	before := fx.count("POST /api/v1/orders")
	mode.Store("500")
	_, err = fx.c.PlaceOrder(ctx, o)
	assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
	assert.True(t, distributors.IsUncertain(err))
	assert.Equal(t, before+1, fx.count("POST /api/v1/orders"), "never retried")

	mode.Store("slow")
	tctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err = fx.c.PlaceOrder(tctx, o)
	assert.True(t, distributors.IsUncertain(err))
	assert.True(t, distributors.IsTimeout(err))

	// refused before sending
	before = fx.count("POST /api/v1/orders")
	_, err = fx.c.PlaceOrder(ctx, distributors.Order{Lines: []distributors.OrderLine{{LineID: 1, ProductID: "x", Quantity: 1}, {LineID: 2, ProductID: "5", Quantity: 1.5}}})
	require.ErrorAs(t, err, &de)
	assert.Equal(t, distributors.KindInvalid, de.Kind)
	assert.Len(t, de.Problems, 2)
	assert.Equal(t, before, fx.count("POST /api/v1/orders"))
}

func TestOrderStatusMapping(t *testing.T) {
	fx := setup(t)
	orders := map[string]string{
		"1": `{"id":1,"status":"CREATED","line_items":[{"product":555,"product_code":"A","quantity":2}]}`,
		"2": `{"id":2,"status":"PART_SHIPPED","line_items":[{"product":555,"product_code":"A","quantity":10},{"product":556,"product_code":"B","quantity":1}],
			"shipments":[{"reference":"IF1","tracking_number":"1Z1","date":"2024-03-01","items":[{"product":555,"product_code":"A","quantity":4}]}]}`,
		"3": `{"id":3,"status":"COMPLETE","line_items":[{"product":555,"quantity":2}]}`,
		"4": `{"id":4,"status":"ATTENTION_REQUIRED","attention_required":"Credit limit","line_items":[{"product":555,"quantity":2}]}`,
	}
	fx.handle(t, "GET /api/v1/orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		b, ok := orders[r.PathValue("id")]
		if !ok {
			writeJSON(w, 404, map[string]any{"message": "Order not found"})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, b)
	})
	refs := []distributors.OrderRef{{ID: "1"}, {ID: "99"}, {ID: "2"}, {ID: "3"}, {ID: "4"}, {ID: "PO-1", ByCustomerNumber: true}}
	st, err := fx.c.OrderStatus(context.Background(), refs)
	require.NoError(t, err)
	require.Len(t, st, 4)
	assert.Equal(t, distributors.OrderOpen, st[0].State)
	assert.Equal(t, "CREATED", st[0].StatusText)

	assert.Equal(t, distributors.OrderPartShipped, st[1].State)
	assert.Equal(t, distributors.OrderLineStatus{ProductID: "555", PartNumber: "A", Quantity: 10, Delivered: 4, State: distributors.OrderPartShipped,
		StatusText: "PART_SHIPPED", ShipDate: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Tracking: []string{"1Z1"}}, st[1].Lines[0])
	assert.Equal(t, distributors.OrderProcessing, st[1].Lines[1].State)

	assert.Equal(t, distributors.OrderInvoiced, st[2].State)
	assert.Equal(t, 2.0, st[2].Lines[0].Delivered)
	assert.Equal(t, distributors.OrderOnHold, st[3].State)
	assert.Equal(t, "Credit limit", st[3].Message)
	assert.Equal(t, 5, fx.count("GET /api/v1/orders/{id}"), "numeric Hub ids only")
}
