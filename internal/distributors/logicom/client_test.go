package logicom

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// Test credentials. The secrets are distinctive so a leak is easy to find.
const (
	testCustomer = "1422"
	testKey      = "CONSUMERKEY-d41d8cd98f00b204e980"
	testSecret   = "CONSUMERSECRET-9e107d9d372bb6826bd8"
)

var testATK = base64.StdEncoding.EncodeToString([]byte("0123456789ABCDEF0123456789abcdef")) // 32 bytes

func testSettings() Settings {
	return Settings{Enabled: true, CustomerID: testCustomer, ConsumerKey: settings.Secret(testKey),
		ConsumerSecret: settings.Secret(testSecret), AccessTokenKey: settings.Secret(testATK),
		Currencies: []string{"EUR", "USD"}, ShopAccountEmail: "orders@reseller.example", StockVerification: true,
		DeliveryMethod: "Default", ShipToAddressID: "DEFAULT"}
}

// fake is a Logicom API double: it checks every header the spec demands
// and counts calls.
type fake struct {
	t      *testing.T
	sign   *signer
	mux    *http.ServeMux
	mu     sync.Mutex
	tokens map[string]bool
	calls  map[string]int
	seq    int
}

func (f *fake) count(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[name]
}

func (f *fake) revoke() {
	f.mu.Lock()
	f.tokens = map[string]bool{}
	f.mu.Unlock()
}

// handle registers an authenticated API call.
func (f *fake) handle(name string, h http.HandlerFunc) {
	f.mux.HandleFunc("/api/"+name, func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.calls[name]++
		f.mu.Unlock()
		tok, ts := r.Header.Get("Authorization"), r.Header.Get("Timestamp")
		assert.Len(f.t, ts, 10, "Timestamp")
		assert.Equal(f.t, testCustomer, r.Header.Get("CustomerId"))
		inner, err := base64.StdEncoding.DecodeString(r.Header.Get("Signature"))
		require.NoError(f.t, err)
		plain, err := f.sign.decrypt(string(inner))
		require.NoError(f.t, err)
		assert.Equal(f.t, tok+ts, plain, "Signature = base64(base64(AES(token+timestamp)))")
		f.mu.Lock()
		ok := f.tokens[tok]
		f.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"StatusCode":0,"Status":"Unauthorized","Message":"Invalid access token"}`)
			return
		}
		h(w, r)
	})
}

func ok(w http.ResponseWriter, msg any) {
	b, _ := json.Marshal(map[string]any{"StatusCode": 1, "Status": "OK", "Message": msg})
	w.Write(b)
}

// setup returns a client pointed at a fake Logicom under /api, like
// go-github's setup.
func setup(t *testing.T, mod ...func(*Options)) (*Client, *fake) {
	t.Helper()
	sg, err := newSigner(testATK, nil)
	require.NoError(t, err)
	f := &fake{t: t, sign: sg, mux: http.NewServeMux(), tokens: map[string]bool{}, calls: map[string]int{}}
	f.mux.HandleFunc("/api/GenerateAccessToken", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, http.MethodGet, r.Method)
		f.mu.Lock()
		f.calls["GenerateAccessToken"]++
		f.seq++
		n := f.seq
		f.mu.Unlock()
		ts := r.Header.Get("Timestamp")
		assert.Equal(t, testCustomer, r.Header.Get("CustomerId"))
		bc, err := sg.decrypt(r.Header.Get("BCode"))
		require.NoError(t, err)
		gs, err := sg.decrypt(r.Header.Get("GenerateSignature"))
		require.NoError(t, err)
		if bc != testKey+";"+testSecret || gs != testKey+testCustomer+ts+";"+testSecret {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"StatusCode":0,"Status":"Unauthorized","Message":"Invalid BCode"}`)
			return
		}
		tok := fmt.Sprintf("tok%d/ABC+def=", n)
		f.mu.Lock()
		f.tokens[tok] = true
		f.mu.Unlock()
		if n%2 == 0 {
			fmt.Fprint(w, tok) // raw text
		} else {
			json.NewEncoder(w).Encode(tok) // JSON string
		}
	})
	srv := httptest.NewServer(f.mux)
	t.Cleanup(srv.Close)
	o := Options{ProductionURL: srv.URL + "/api", HTTP: srv.Client(), Timeout: 2 * time.Second, Backoff: time.Millisecond}
	for _, m := range mod {
		m(&o)
	}
	c, err := NewFactory(o).NewClient(testSettings())
	require.NoError(t, err)
	return c, f
}

func brandsHandler(w http.ResponseWriter, r *http.Request) {
	ok(w, []map[string]string{{"Brand": "DELL"}, {"Brand": "HP"}})
}

func TestHeadersAndSignature(t *testing.T) {
	c, f := setup(t)
	f.handle("GetBrands", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, http.MethodGet, r.Method)
		assert.NotContains(t, r.Header.Get("Authorization"), "Bearer")
		brandsHandler(w, r)
	})
	items, err := c.List(context.Background(), distributors.ListProductFamily)
	require.NoError(t, err)
	assert.Equal(t, []distributors.ListItem{{Key: "DELL", Name: "DELL"}, {Key: "HP", Name: "HP"}}, items)
	// cached: a second List makes no call
	_, err = c.List(context.Background(), distributors.ListProductFamily)
	require.NoError(t, err)
	assert.Equal(t, 1, f.count("GetBrands"))
	assert.Equal(t, 1, f.count("GenerateAccessToken"))
}

func TestUnauthorizedRefreshesOnceAndRetriesOnce(t *testing.T) {
	c, f := setup(t)
	f.handle("GetAccountDetails", func(w http.ResponseWriter, r *http.Request) {
		ok(w, map[string]any{"Ecommerce": map[string]string{"Name": "Sandbox Reseller AS"}})
	})
	_, err := c.Test(context.Background())
	require.NoError(t, err)
	f.revoke() // the distributor forgets the token
	msg, err := c.Test(context.Background())
	require.NoError(t, err)
	assert.Equal(t, `Logicom account "Sandbox Reseller AS" (customer 1422)`, msg)
	assert.Equal(t, 2, f.count("GenerateAccessToken"))
	assert.Equal(t, 3, f.count("GetAccountDetails"))

	// A 401 that persists: one refresh, one retry, then KindAuth.
	f.mux.HandleFunc("/api/GetBrands", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.calls["GetBrands"]++
		f.mu.Unlock()
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"StatusCode":0,"Status":"Unauthorized","Message":"CustomerId does not match the access token"}`)
	})
	_, err = c.List(context.Background(), distributors.ListProductFamily)
	require.Error(t, err)
	assert.Equal(t, distributors.KindAuth, distributors.KindOf(err))
	assert.Contains(t, err.Error(), "logicom GetBrands: CustomerId does not match")
	assert.Equal(t, 2, f.count("GetBrands"))
	assert.Equal(t, 3, f.count("GenerateAccessToken"))
}

func TestConcurrentSearchSharesOneToken(t *testing.T) {
	// A generous deadline: this is about sharing one token among 100
	// callers, not about speed on a busy machine under the race detector.
	c, f := setup(t, func(o *Options) { o.Timeout = 60 * time.Second })
	f.handle("GetBrands", brandsHandler)
	f.handle("GetProductCategories", func(w http.ResponseWriter, r *http.Request) { ok(w, []any{}) })
	f.handle("GetProducts", func(w http.ResponseWriter, r *http.Request) {
		ok(w, []map[string]any{{"SKU": "A1", "Name": "Dell thing", "Manufacturer": "DELL"}})
	})
	f.handle("GetPrice", func(w http.ResponseWriter, r *http.Request) {
		ok(w, []map[string]any{{"SKU": "A1", "PriceExclVAT": "10.00"}})
	})
	f.handle("GetInventory", func(w http.ResponseWriter, r *http.Request) {
		ok(w, []map[string]any{{"SKU": "A1", "Inventory": "3"}})
	})
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ps, err := c.Search(context.Background(), distributors.Query{Text: "dell", Limit: 5})
			if err != nil || len(ps) != 1 || ps[0].Offer == nil {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, failures.Load())
	assert.Equal(t, 1, f.count("GenerateAccessToken"))
	assert.Equal(t, 1, f.count("GetBrands"), "brand list shared and cached")
}

func TestServerErrorsAreRetried(t *testing.T) {
	c, f := setup(t)
	var n atomic.Int32
	f.handle("GetBrands", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		brandsHandler(w, r)
	})
	items, err := c.List(context.Background(), distributors.ListProductFamily)
	require.NoError(t, err)
	assert.Len(t, items, 2)
	assert.Equal(t, 3, f.count("GetBrands"))
}

func TestPersistentServerErrorIsUnavailable(t *testing.T) {
	c, f := setup(t)
	f.handle("GetBrands", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	_, err := c.List(context.Background(), distributors.ListProductFamily)
	require.Error(t, err)
	assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
	assert.Equal(t, 3, f.count("GetBrands"), "first try + 2 retries")
}

func TestGarbageBodyIsUnavailable(t *testing.T) {
	c, f := setup(t)
	f.handle("GetBrands", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>gateway says hi</html>") })
	_, err := c.List(context.Background(), distributors.ListProductFamily)
	require.Error(t, err)
	assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
	assert.Contains(t, err.Error(), "logicom GetBrands")
}

func TestTimeout(t *testing.T) {
	c, f := setup(t, func(o *Options) { o.Timeout = 150 * time.Millisecond })
	f.handle("GetBrands", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	start := time.Now()
	_, err := c.List(context.Background(), distributors.ListProductFamily)
	require.Error(t, err)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
	assert.True(t, distributors.IsTimeout(err), err.Error())
}

func TestNewValidatesSettings(t *testing.T) {
	f := NewFactory(Options{})
	assert.Equal(t, "logicom", f.Name())
	assert.True(t, f.Enabled(testSettings()))
	for name, mod := range map[string]func(*Settings){
		"key length 20": func(s *Settings) {
			s.AccessTokenKey = settings.Secret(base64.StdEncoding.EncodeToString(make([]byte, 20)))
		},
		"key not base64":      func(s *Settings) { s.AccessTokenKey = "%%%%" },
		"customer not number": func(s *Settings) { s.CustomerID = "C1422" },
		"customer missing":    func(s *Settings) { s.CustomerID = "" },
		"key missing":         func(s *Settings) { s.ConsumerKey = "" },
		"secret missing":      func(s *Settings) { s.ConsumerSecret = "" },
		"atk missing":         func(s *Settings) { s.AccessTokenKey = "" },
	} {
		s := testSettings()
		mod(&s)
		_, err := f.New(s)
		require.Error(t, err, name)
		assert.Equal(t, distributors.KindConfig, distributors.KindOf(err), name)
		if s.AccessTokenKey != "" {
			assert.NotContains(t, err.Error(), string(s.AccessTokenKey), name)
		}
	}
	_, err := f.New(func() Settings {
		s := testSettings()
		s.AccessTokenKey = settings.Secret(base64.StdEncoding.EncodeToString(make([]byte, 20)))
		return s
	}())
	assert.Contains(t, err.Error(), "20 bytes")
}

func TestTestNamesTheFailingStep(t *testing.T) {
	// Wrong consumer secret: the token step fails with KindAuth.
	c, f := setup(t)
	s := testSettings()
	s.ConsumerSecret = "WRONG-SECRET-abcdef"
	c2, err := NewFactory(Options{ProductionURL: c.base, HTTP: c.f.o.HTTP}).NewClient(s)
	require.NoError(t, err)
	_, err = c2.Test(context.Background())
	require.Error(t, err)
	assert.Equal(t, distributors.KindAuth, distributors.KindOf(err))
	assert.Contains(t, err.Error(), "access token (GenerateAccessToken) failed")
	assert.Contains(t, err.Error(), "Invalid BCode")

	// Token fine, account details refused.
	f.handle("GetAccountDetails", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"StatusCode":0,"Status":"Error","Message":"Account blocked"}`)
	})
	_, err = c.Test(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "account details (GetAccountDetails) failed: Account blocked")
}

func TestSecretsNeverInErrors(t *testing.T) {
	c, f := setup(t)
	f.handle("GetBrands", func(w http.ResponseWriter, r *http.Request) {
		// echo the request headers back in the error message, as a careless
		// server might
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `{"StatusCode":0,"Status":"Error","Message":%q}`, fmt.Sprint(r.Header))
	})
	f.handle("GetPrice", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "garbage") })
	var errs []error
	_, err := c.List(context.Background(), distributors.ListProductFamily)
	errs = append(errs, err)
	_, err = c.Offers(context.Background(), []string{"X"}, "EUR")
	errs = append(errs, err)
	for _, mod := range []func(*Settings){
		func(s *Settings) { s.ConsumerSecret = testSecret + "x" },
		func(s *Settings) { s.AccessTokenKey = settings.Secret(testATK[:10]) },
	} {
		s := testSettings()
		mod(&s)
		cl, err := NewFactory(Options{ProductionURL: c.base, HTTP: c.f.o.HTTP}).New(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		_, err = cl.Test(context.Background())
		errs = append(errs, err)
	}
	tok, _ := c.acct.tokens.Token(context.Background())
	for _, e := range errs {
		require.Error(t, e)
		for _, s := range []string{fmt.Sprint(e), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e)} {
			for _, secret := range []string{testKey, testSecret, testATK, testATK[:10], tok} {
				assert.NotContains(t, s, secret)
			}
		}
	}
}

// catalogFake serves a small catalog: brands, categories, paging and batch
// prices and stock, recording the ProductId lists it sees.
func catalogFake(t *testing.T, f *fake, seen *[]string, mu *sync.Mutex) {
	type item struct{ sku, name, brand, cat string }
	var items []item
	for i := 0; i < 35; i++ {
		items = append(items, item{fmt.Sprintf("HP%02d#ABB", i), fmt.Sprintf("HP ProBook %d notebook", i), "HP", "Notebooks"})
	}
	for i := 0; i < 12; i++ {
		items = append(items, item{fmt.Sprintf("D%02d", i), fmt.Sprintf("Dell monitor %d", i), "DELL", "Monitors"})
	}
	f.handle("GetBrands", brandsHandler)
	f.handle("GetProductCategories", func(w http.ResponseWriter, r *http.Request) {
		ok(w, []any{map[string]any{"Id": "100", "Name": "Computers", "Subcategories": []any{
			map[string]string{"Id": "100-20", "Name": "Notebooks"}, map[string]string{"Id": "100-30", "Name": "Monitors"}}}})
	})
	f.handle("GetProducts", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var page []map[string]any
		next := ""
		started := q.Get("PreviousItemNo") == ""
		for _, it := range items {
			if !started {
				started = it.sku == q.Get("PreviousItemNo")
				continue
			}
			if (q.Get("ProductId") != "" && !strings.EqualFold(q.Get("ProductId"), it.sku)) ||
				(q.Get("Brand") != "" && !strings.EqualFold(q.Get("Brand"), it.brand)) {
				continue
			}
			if len(page) == 10 {
				next = page[9]["SKU"].(string)
				break
			}
			page = append(page, map[string]any{"SKU": it.sku, "Name": it.name, "Manufacturer": it.brand, "Category": it.cat,
				" IsESD ": "0", "IsEUItem": "0"})
		}
		b, _ := json.Marshal(map[string]any{"StatusCode": 1, "Status": "OK", "Message": page, "NextItemNo": next})
		if next == "" {
			b, _ = json.Marshal(map[string]any{"StatusCode": 1, "Status": "OK", "Message": page})
		}
		w.Write(b)
	})
	answer := func(w http.ResponseWriter, r *http.Request, mk func(sku string) map[string]any) {
		assert.NotContains(t, r.URL.RawQuery, "#")
		raw := strings.ReplaceAll(r.URL.RawQuery, ";", "%3B")
		q, _ := urlParse(raw)
		skus := strings.Split(q, ";")
		mu.Lock()
		*seen = append(*seen, q)
		mu.Unlock()
		var out []map[string]any
		for _, s := range skus {
			out = append(out, mk(s))
		}
		ok(w, out)
	}
	f.handle("GetPrice", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "EUR", r.URL.Query().Get("Currency"))
		answer(w, r, func(s string) map[string]any {
			return map[string]any{"SKU": s, "PriceExclVAT": "1,234.50", "VolumePrice": []any{
				map[string]string{"Quantity": "10", "PriceExclVAT": "1,100.00", "Discount %": "10"},
				map[string]string{"Quantity": "5", "PriceExclVAT": "1,200.00"}}}
		})
	})
	f.handle("GetInventory", func(w http.ResponseWriter, r *http.Request) {
		answer(w, r, func(s string) map[string]any {
			return map[string]any{"SKU": s, "Inventory": "7", "PO": []any{
				map[string]string{"Quantity": "5", "PO Delivery Date": "20-02-2030"},
				map[string]string{"Quantity": "9", "PO Delivery Date": "10-01-2030"}}}
		})
	})
}

func urlParse(raw string) (string, error) {
	for _, p := range strings.Split(raw, "&") {
		if v, ok := strings.CutPrefix(p, "ProductId="); ok {
			s, err := urlUnescape(v)
			return s, err
		}
	}
	return "", errors.New("no ProductId")
}

func urlUnescape(s string) (string, error) {
	r := strings.NewReplacer("%3B", ";", "%23", "#", "+", " ")
	return r.Replace(s), nil
}

func TestSearchByBrandPagesAndBatchesOffers(t *testing.T) {
	c, f := setup(t)
	var seen []string
	var mu sync.Mutex
	catalogFake(t, f, &seen, &mu)
	ps, err := c.Search(context.Background(), distributors.Query{Text: "hp", Limit: 25})
	require.NoError(t, err)
	require.Len(t, ps, 25)
	assert.Equal(t, 3, f.count("GetProducts"), "3 pages of 10 for 25 results")
	assert.Equal(t, 1, f.count("GetPrice"))
	assert.Equal(t, 1, f.count("GetInventory"))
	p := ps[0]
	assert.Equal(t, "HP00#ABB", p.ID)
	assert.Equal(t, "100-20", p.CategoryKey)
	assert.Equal(t, "Computers / Notebooks", p.CategoryName)
	require.NotNil(t, p.Offer)
	assert.Equal(t, 1234.5, p.Offer.Cost)
	assert.Equal(t, []distributors.PriceBreak{{MinQuantity: 5, Price: 1200}, {MinQuantity: 10, Price: 1100}}, p.Offer.Breaks)
	require.NotNil(t, p.Offer.Stock)
	assert.Equal(t, 7.0, p.Offer.Stock.Available)
	assert.Equal(t, 9.0, p.Offer.Stock.Incoming[0].Quantity, "POs sorted by date")
	assert.Len(t, strings.Split(seen[0], ";"), 25)

	// Now in the local catalog: a word search finds them without paging.
	before := f.count("GetProducts")
	ps, err = c.Search(context.Background(), distributors.Query{Text: "probook 7", Limit: 5})
	require.NoError(t, err)
	require.NotEmpty(t, ps)
	assert.Equal(t, "HP07#ABB", ps[0].ID)
	assert.Equal(t, before, f.count("GetProducts"), "two words, no brand/category/SKU: local catalog only")

	// Exact SKU.
	ps, err = c.Search(context.Background(), distributors.Query{Text: "D03", Limit: 5})
	require.NoError(t, err)
	require.NotEmpty(t, ps)
	assert.Equal(t, "D03", ps[0].ID)
}

func TestSearchBrandAndCategoryCombine(t *testing.T) {
	filters, consumed := planFilters([]string{"dell", "monitors", "27"}, []string{"DELL", "HP"},
		[]category{{ID: "300", Name: "Displays"}, {ID: "300-10", Name: "Monitors"}, {ID: "500-20-1", Name: "Laser Printers"}})
	assert.Equal(t, []productFilter{{Brand: "DELL", Category: "300-10"}}, filters)
	assert.Equal(t, 2, consumed)

	filters, _ = planFilters([]string{"laser", "printer"}, nil,
		[]category{{ID: "500-20-1", Name: "Laser Printers"}, {ID: "500-20-2", Name: "Inkjet Printers"}})
	assert.Equal(t, []productFilter{{Category: "500-20-1"}}, filters)
}

func TestOffersSplitLongURLs(t *testing.T) {
	c, f := setup(t)
	var seen []string
	var mu sync.Mutex
	catalogFake(t, f, &seen, &mu)
	var ids []string
	for i := 0; i < 300; i++ {
		ids = append(ids, fmt.Sprintf("LONGSKU-%04d#BGX", i))
	}
	offers, err := c.Offers(context.Background(), ids, "")
	require.NoError(t, err)
	assert.Len(t, offers, 300)
	assert.Greater(t, f.count("GetPrice"), 1)
	assert.Equal(t, f.count("GetPrice"), f.count("GetInventory"))
	assert.LessOrEqual(t, f.count("GetPrice"), 4)
}

func orderFake(t *testing.T, f *fake, post http.HandlerFunc) {
	f.handle("GetProductCategories", func(w http.ResponseWriter, r *http.Request) { ok(w, []any{}) })
	f.handle("GetAccountDetails", func(w http.ResponseWriter, r *http.Request) {
		ok(w, map[string]any{"Addresses": map[string]any{"Address": map[string]string{"Address1": "Street 1"},
			"ShippingAddresses": []any{map[string]string{"Id": "DEFAULT", "Address1": "Dock 2"}}},
			"Ecommerce": map[string]string{"Name": "Reseller"}})
	})
	f.handle("GetProducts", func(w http.ResponseWriter, r *http.Request) {
		sku := r.URL.Query().Get("ProductId")
		switch sku {
		case "ESD1":
			ok(w, []any{map[string]string{"SKU": "ESD1", "Name": "Office", "IsESD": "1", "IsEUItem": "0"}})
		case "EUF1":
			ok(w, []any{map[string]string{"SKU": "EUF1", "Name": "Firewall", "IsESD": "0", "Is EUItem": "1"}})
		case "HW1":
			ok(w, []any{map[string]string{"SKU": "HW1", "Name": "Laptop"}})
		default:
			ok(w, []any{})
		}
	})
	f.handle("PostOrder", post)
}

func TestPlaceOrderValidatesBeforeSending(t *testing.T) {
	c, f := setup(t)
	orderFake(t, f, func(w http.ResponseWriter, r *http.Request) { t.Error("must not be sent") })
	_, err := c.PlaceOrder(context.Background(), distributors.Order{
		Reference: "Q-1001",
		Lines: []distributors.OrderLine{
			{LineID: 1, ProductID: "ESD1", Quantity: 1},
			{LineID: 2, ProductID: "EUF1", Quantity: 1},
			{LineID: 3, ProductID: "NOPE", Quantity: 1},
			{LineID: 4, ProductID: "HW1", Quantity: 1.5},
		},
		Buyer: distributors.Person{FirstName: "Ola", LastName: "Nordmann", Email: "not-an-email"},
	})
	require.Error(t, err)
	var de *distributors.Error
	require.True(t, errors.As(err, &de))
	assert.Equal(t, distributors.KindInvalid, de.Kind)
	byLine := map[int]string{}
	for _, p := range de.Problems {
		byLine[p.LineID] = p.Message
	}
	assert.Contains(t, byLine[1], "e-mail")
	assert.Contains(t, byLine[2], "end user")
	assert.Contains(t, byLine[3], "does not know")
	assert.Contains(t, byLine[4], "whole number")
	assert.Equal(t, 0, f.count("PostOrder"))
}

func TestPlaceOrderBodyAndReceipt(t *testing.T) {
	c, f := setup(t)
	orderFake(t, f, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		var body map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		assert.Equal(t, "Quote 12 3, v2 _x", body["ReferenceNo"])
		assert.Equal(t, "1", body["StockVerification"])
		assert.Equal(t, map[string]any{"Id": "DEFAULT"}, body["ShipToAddress"])
		assert.Equal(t, "orders@reseller.example", body["ShopAccountEmail"])
		assert.Equal(t, "PO-77", body["PONumber"])
		assert.Equal(t, "Anne Marie", body["FirstName"])
		assert.Equal(t, "a@b.example", body["Email"])
		assert.Nil(t, body["EndUserCompany"])
		assert.Equal(t, []any{
			map[string]any{"SKU": "ESD1", "Quantity": "2"},
			map[string]any{"SKU": "HW1", "VariantId": "HW1-V1", "Quantity": "1"},
		}, body["Items"])
		fmt.Fprint(w, `{"StatusCode":1,"Status":"OK","Message":{"DocumentNo":"O7100001","Status":"Open"}}`)
	})
	rec, err := c.PlaceOrder(context.Background(), distributors.Order{
		Reference: "Quote #12/3, v2 (_x)", PONumber: "PO-77",
		Lines: []distributors.OrderLine{{LineID: 1, ProductID: "ESD1", Quantity: 2}, {LineID: 2, ProductID: "HW1", VariantID: "HW1-V1", Quantity: 1}},
		Buyer: distributors.Person{FirstName: "Anne-Marie", LastName: "Berg", Email: "a@b.example"},
	})
	require.NoError(t, err)
	assert.Equal(t, "O7100001", rec.OrderID)
	assert.Equal(t, "Open", rec.Status)
}

func TestPlaceOrderRejectedAndNeverRetried(t *testing.T) {
	c, f := setup(t)
	var n atomic.Int32
	orderFake(t, f, func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			fmt.Fprint(w, `{"StatusCode":0,"Status":"Error","Message":"Item HW1 has availability of 5 instead of requested 16."}`)
		case 2:
			w.WriteHeader(http.StatusInternalServerError)
		default:
			time.Sleep(400 * time.Millisecond)
			io.WriteString(w, `{}`)
		}
	})
	o := distributors.Order{Reference: "Q1", Lines: []distributors.OrderLine{{LineID: 9, ProductID: "HW1", Quantity: 16}}}
	_, err := c.PlaceOrder(context.Background(), o)
	var de *distributors.Error
	require.True(t, errors.As(err, &de))
	assert.Equal(t, distributors.KindRejected, de.Kind)
	assert.False(t, de.Uncertain)
	assert.Contains(t, de.Message, "availability of 5")
	require.Len(t, de.Problems, 1)
	assert.Equal(t, 9, de.Problems[0].LineID)

	_, err = c.PlaceOrder(context.Background(), o)
	require.Error(t, err)
	assert.True(t, distributors.IsUncertain(err), "5xx after sending: may exist")
	assert.Equal(t, 2, f.count("PostOrder"), "a 5xx POST is not retried")

	c.up.Timeout = 200 * time.Millisecond
	_, err = c.PlaceOrder(context.Background(), o)
	require.Error(t, err)
	assert.True(t, distributors.IsUncertain(err), "timeout after sending")
	assert.Equal(t, 3, f.count("PostOrder"))
}

func TestOrderStatusMapping(t *testing.T) {
	c, f := setup(t)
	f.handle("GetDocumentDetails", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "Order", r.URL.Query().Get("DocumentType"))
		switch r.URL.Query().Get("DocumentId") {
		case "O1":
			fmt.Fprint(w, `{"StatusCode":1,"Status":"OK","Message":{"OrderHeader":{"DocumentNo":"O1","OrderStatus":"Partially Shipped"},
			  "OrderItems":[{"ItemNo":"A","Quantity":"4","Outst":"2","Status":"Partially Shipped","ShippingDate":"03-02-2030"},
			                {"ItemNo":"B","Quantity":"1","Outst":"1","Status":"Processing","ShippingDate":""}]}}`)
		default:
			fmt.Fprint(w, `{"StatusCode":0,"Status":"Error","Message":"Order O2 not found"}`)
		}
	})
	st, err := c.OrderStatus(context.Background(), []distributors.OrderRef{{ID: "O1"}, {ID: "O2"}})
	require.NoError(t, err)
	require.Len(t, st, 1, "unknown orders are left out")
	assert.Equal(t, distributors.OrderPartShipped, st[0].State)
	require.Len(t, st[0].Lines, 2)
	assert.Equal(t, 2.0, st[0].Lines[0].Delivered)
	assert.Equal(t, distributors.OrderPartShipped, st[0].Lines[0].State)
	assert.Equal(t, day(2030, 2, 3), st[0].Lines[0].ShipDate)
	assert.Equal(t, distributors.OrderProcessing, st[0].Lines[1].State)
	assert.Equal(t, "Processing", st[0].Lines[1].StatusText)
}

func TestAddressesAndCategories(t *testing.T) {
	c, f := setup(t)
	orderFake(t, f, nil)
	a, err := c.Addresses(context.Background())
	require.NoError(t, err)
	require.NotNil(t, a.Billing)
	require.NotNil(t, a.Shipping)
	assert.Equal(t, "DEFAULT", a.Shipping.ID)
	assert.Equal(t, []string{"Dock 2"}, a.Shipping.Lines)
	assert.Equal(t, "Reseller", a.Billing.Name)
}

// The seed's GenerateSignature table includes CustomerId, its worked
// example leaves it out; logicom.signatureIncludesCustomerId chooses.
func TestGenerateSignatureCustomerIDSetting(t *testing.T) {
	sg, err := newSigner(testATK, nil)
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		omit bool
		want func(ts string) string
	}{
		"included (default)": {false, func(ts string) string { return testKey + testCustomer + ts + ";" + testSecret }},
		"left out":           {true, func(ts string) string { return testKey + ts + ";" + testSecret }},
	} {
		t.Run(name, func(t *testing.T) {
			var got, ts string
			mux := http.NewServeMux()
			mux.HandleFunc("/api/GenerateAccessToken", func(w http.ResponseWriter, r *http.Request) {
				ts = r.Header.Get("Timestamp")
				plain, derr := sg.decrypt(r.Header.Get("GenerateSignature"))
				assert.NoError(t, derr)
				got = plain
				fmt.Fprint(w, "tok")
			})
			mux.HandleFunc("/api/GetAccountDetails", func(w http.ResponseWriter, r *http.Request) {
				ok(w, map[string]any{"Ecommerce": map[string]string{"Name": "R"}})
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			s := testSettings()
			s.SignatureOmitsCustomerID = tc.omit
			c, err := NewFactory(Options{ProductionURL: srv.URL + "/api", HTTP: srv.Client()}).NewClient(s)
			require.NoError(t, err)
			_, err = c.Test(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tc.want(ts), got)
		})
	}
	assert.True(t, ReadSettings(settings.NewReader(map[string]string{KeySignatureIncludesCustomerID: "0"})).SignatureOmitsCustomerID)
	assert.False(t, ReadSettings(settings.NewReader(nil)).SignatureOmitsCustomerID, "default: included, as before")
}

// A cached list is fetched once for all callers, detached from the first
// caller: its cancellation fails only itself (the fetch goes on, bounded
// by the upstream timeout).
func TestSharedListFetchOutlivesFirstCaller(t *testing.T) {
	c, f := setup(t)
	started, release := make(chan struct{}), make(chan struct{})
	var once atomic.Bool
	f.handle("GetBrands", func(w http.ResponseWriter, r *http.Request) {
		if once.CompareAndSwap(false, true) {
			close(started)
		}
		<-release
		brandsHandler(w, r)
	})
	ctxA, cancelA := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	go func() {
		_, err := c.List(ctxA, distributors.ListProductFamily)
		errA <- err
	}()
	<-started
	resB := make(chan []distributors.ListItem, 1)
	go func() {
		items, _ := c.List(context.Background(), distributors.ListProductFamily)
		resB <- items
	}()
	time.Sleep(20 * time.Millisecond) // B joins the flight
	cancelA()
	assert.Error(t, <-errA)
	close(release)
	assert.Len(t, <-resB, 2, "the waiting caller gets the list")
	assert.Equal(t, 1, f.count("GetBrands"))
}

// PlaceOrder reads a variant from the key's id ("SKU/variant").
func TestPlaceOrderReadsVariantFromKey(t *testing.T) {
	lines := splitVariants([]distributors.OrderLine{
		{LineID: 0, ProductID: "210-AZKS/BLK", Quantity: 1},
		{LineID: 1, ProductID: "PLAIN", Quantity: 2},
		{LineID: 2, ProductID: "X/Y", VariantID: "Z", Quantity: 3},
	})
	assert.Equal(t, []distributors.OrderLine{
		{LineID: 0, ProductID: "210-AZKS", VariantID: "BLK", Quantity: 1},
		{LineID: 1, ProductID: "PLAIN", Quantity: 2},
		{LineID: 2, ProductID: "X/Y", VariantID: "Z", Quantity: 3},
	}, lines)
}
