package westcon

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
)

const (
	testTenant = "ten/ant 1"
	testSecret = "client-s3cret-ABC"
	testSubKey = "sub-key-0123456789"
)

type fixture struct {
	c        *Client
	f        *Factory
	mux      *http.ServeMux
	srv      *httptest.Server
	tokens   atomic.Int32
	tokenHit atomic.Int32
	hits     atomic.Int32
	// answer serves orderStatus after the auth checks; default: lines from
	// the seed's sample.
	answer func(w http.ResponseWriter, req statusRequest)
	mu     sync.Mutex
	bodies []string
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// sample is the seed's sample response, unmasked.
const sample = `{ "MT_OrderStatus_Response": [
 { "eRPOrderNumber": "0006123454", "eRPOrderLineNumber": "000010", "customerOrderNumber": "Rb1234-03", "customerLineNumber": "", "eRPProductNumber": "T54W", "lineQuantity": " 2.000", "unitOfMeasure": "EA", "lineStatusCode": "INV", "lineStatusDescription": "Invoiced", "statusDate": "20240305", "shipDate": "20240301", "billingDocument": "0900000017", "parentERPLine": "000000" },
 { "eRPOrderNumber": "0006123454", "eRPOrderLineNumber": "000010", "customerOrderNumber": "Rb123403", "customerLineNumber": "", "eRPProductNumber": "T54W", "lineQuantity": " 2.000", "unitOfMeasure": "EA", "lineStatusCode": "INV", "lineStatusDescription": "Invoiced", "statusDate": "20240305", "shipDate": "20240301", "billingDocument": "0900000017", "parentERPLine": "000000" },
 { "eRPOrderNumber": "0006123459", "eRPOrderLineNumber": "000010", "customerOrderNumber": "VC REGULAR MFR SN", "customerLineNumber": "", "eRPProductNumber": "UC-PHONE-U", "lineQuantity": " 1.000", "unitOfMeasure": "EA", "lineStatusCode": "SHI", "lineStatusDescription": "Shipped", "statusDate": "20240302", "shipDate": "20240302", "billingDocument": "", "parentERPLine": "000000" },
 { "eRPOrderNumber": "0006123459", "eRPOrderLineNumber": "000020", "customerOrderNumber": "VC REGULAR MFR SN", "customerLineNumber": "", "eRPProductNumber": "CABLE-CAT6-T", "lineQuantity": " 2.000", "unitOfMeasure": "EA", "lineStatusCode": "BCK", "lineStatusDescription": "Backordered", "statusDate": "20240302", "shipDate": "", "billingDocument": "", "parentERPLine": "000000" }
] }`

func setup(t *testing.T, mod ...func(*Options, *Settings)) *fixture {
	t.Helper()
	return setupExpires(t, "3599", mod...)
}

// setupExpires is setup with the token answer's expires_in given: Westcon
// sends a number in one environment and a numeric string in another.
func setupExpires(t *testing.T, expiresIn any, mod ...func(*Options, *Settings)) *fixture {
	t.Helper()
	fx := &fixture{mux: http.NewServeMux()}
	fx.srv = httptest.NewServer(fx.mux)
	t.Cleanup(fx.srv.Close)
	fx.mux.HandleFunc("POST /{tenant}/oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		fx.tokenHit.Add(1)
		require.NoError(t, r.ParseForm())
		f := r.PostForm
		if r.PathValue("tenant") != testTenant {
			writeJSON(w, 400, map[string]any{"error": "invalid_request", "error_description": "AADSTS90002: Tenant '" + r.PathValue("tenant") + "' not found.\r\nTimestamp: 2024-01-01 00:00:00Z"})
			return
		}
		if f.Get("grant_type") != "client_credentials" || f.Get("client_id") != "cid" || f.Get("resource") != "res" {
			writeJSON(w, 400, map[string]any{"error": "invalid_request", "error_description": "bad form"})
			return
		}
		if f.Get("client_secret") != testSecret {
			writeJSON(w, 401, map[string]any{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided: " + f.Get("client_secret") + "\r\nTrace ID: x"})
			return
		}
		time.Sleep(10 * time.Millisecond)
		n := fx.tokens.Add(1)
		writeJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": expiresIn, "access_token": "tok-" + strconv.Itoa(int(n))})
	})
	fx.mux.HandleFunc("POST /Orders/orderStatus", func(w http.ResponseWriter, r *http.Request) {
		fx.hits.Add(1)
		if r.Header.Get("Ocp-Apim-Subscription-Key") != testSubKey ||
			r.Header.Get("Authorization") != "Bearer tok-"+strconv.Itoa(int(fx.tokens.Load())) {
			writeJSON(w, 401, map[string]any{"statusCode": 401, "message": "Unauthorized. Access token is missing or invalid."})
			return
		}
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		b, _ := io.ReadAll(r.Body)
		fx.mu.Lock()
		fx.bodies = append(fx.bodies, string(b))
		fx.mu.Unlock()
		var req statusRequest
		require.NoError(t, json.Unmarshal(b, &req))
		if fx.answer != nil {
			fx.answer(w, req)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, sample)
	})
	o := Options{BaseURL: fx.srv.URL, TokenURL: fx.srv.URL + "/{tenant}/oauth2/token", HTTP: fx.srv.Client(), Timeout: 2 * time.Second}
	s := Settings{Enabled: true, TenantID: testTenant, ClientID: "cid", ClientSecret: testSecret, Resource: "res",
		SubscriptionKey: testSubKey, PartnerKey: "0123456789", Language: "EN"}
	for _, m := range mod {
		m(&o, &s)
	}
	fx.f = NewFactory(o)
	d, err := fx.f.New(s)
	require.NoError(t, err)
	fx.c = d.(*Client)
	return fx
}

func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	for _, s := range []string{testSecret, testSubKey} {
		assert.NotContains(t, err.Error(), s)
		assert.NotContains(t, fmt.Sprintf("%+v", err), s)
	}
}

func TestNewValidates(t *testing.T) {
	f := NewFactory(Options{})
	_, err := f.New(Settings{Enabled: true, TenantID: "t", ClientID: "c"})
	require.Error(t, err)
	assert.Equal(t, distributors.KindConfig, distributors.KindOf(err))
	for _, k := range []string{KeyClientSecret, KeyResource, KeySubscriptionKey, KeyPartnerKey} {
		assert.Contains(t, err.Error(), k)
	}
}

func TestCapabilitiesAndUnsupported(t *testing.T) {
	fx := setup(t)
	assert.Equal(t, distributors.Capabilities{OrderStatus: true, FindsOrdersByCustomerNumber: true}, fx.c.Capabilities())
	assert.Equal(t, "westcon", fx.c.Name())
	_, err := fx.c.Search(context.Background(), distributors.Query{Text: "x"})
	assert.True(t, distributors.IsNotSupported(err))
	_, err = fx.c.PlaceOrder(context.Background(), distributors.Order{})
	assert.True(t, distributors.IsNotSupported(err))
}

func TestOrderStatusGroupsByType(t *testing.T) {
	fx := setup(t)
	refs := []distributors.OrderRef{{ID: "6123454"}, {ID: "Rb1234-03", ByCustomerNumber: true}, {ID: "0006123459"}, {ID: "404"}, {ID: "6123454"}}
	st, err := fx.c.OrderStatus(context.Background(), refs)
	require.NoError(t, err)
	assert.Equal(t, int32(2), fx.hits.Load(), "one call per order type")
	assert.Equal(t, int32(1), fx.tokenHit.Load())
	var bodies []map[string]any
	for _, b := range fx.bodies {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(b), &m))
		bodies = append(bodies, m["mT_OrderStatus_API_REQ"].(map[string]any))
	}
	byType := map[string]map[string]any{}
	for _, b := range bodies {
		byType[b["orderType"].(string)] = b
	}
	assert.Equal(t, map[string]any{"partnerKey": "0123456789", "orderType": "W", "language": "EN", "order": []any{"6123454", "0006123459", "404"}}, byType["W"])
	assert.Equal(t, []any{"Rb1234-03"}, byType["C"]["order"])

	require.Len(t, st, 3)
	inv := st[0]
	assert.Equal(t, distributors.OrderRef{ID: "6123454"}, inv.Ref)
	assert.Equal(t, "0006123454", inv.OrderID)
	assert.Equal(t, distributors.OrderInvoiced, inv.State)
	assert.Equal(t, []string{"0900000017"}, inv.Invoices)
	require.Len(t, inv.Lines, 1, "exact duplicate lines count once")
	assert.Equal(t, distributors.OrderLineStatus{ProductID: "T54W", PartNumber: "T54W", Quantity: 2, Delivered: 2, State: distributors.OrderInvoiced,
		StatusText: "Invoiced", ShipDate: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Invoice: "0900000017"}, inv.Lines[0])

	byCust := st[1]
	assert.True(t, byCust.Ref.ByCustomerNumber)
	assert.Equal(t, "0006123454", byCust.OrderID)

	mixed := st[2]
	assert.Equal(t, distributors.OrderOnHold, mixed.State, "least advanced line: back-ordered")
	assert.Equal(t, "Backordered", mixed.StatusText)
	require.Len(t, mixed.Lines, 2)
	assert.Equal(t, 1.0, mixed.Lines[0].Delivered)
	assert.Equal(t, 0.0, mixed.Lines[1].Delivered)
	assert.True(t, mixed.Lines[1].ShipDate.IsZero())
}

func TestBuildStates(t *testing.T) {
	l := func(code, desc, qty string) line {
		return line{ERPOrderNumber: "1", ERPOrderLineNumber: code + desc, ERPProductNumber: "P", LineQuantity: qty, LineStatusCode: code, LineStatusDescription: desc}
	}
	for name, c := range map[string]struct {
		lines []line
		want  distributors.OrderState
	}{
		"open":           {[]line{l("OPN", "Open", " 1.000")}, distributors.OrderOpen},
		"part shipped":   {[]line{l("OPN", "Open", " 1.000"), l("SHI", "Shipped", " 1.000")}, distributors.OrderPartShipped},
		"shipped":        {[]line{l("INV", "Invoiced", " 1.000"), l("SHI", "Shipped", " 1.000")}, distributors.OrderShipped},
		"by description": {[]line{l("ZZZ", "Partially delivered", " 1.000")}, distributors.OrderPartShipped},
		"cancel ignored": {[]line{l("CAN", "Cancelled", " 1.000"), l("INV", "Invoiced", " 1.000")}, distributors.OrderInvoiced},
		"all cancelled":  {[]line{l("CAN", "Cancelled", " 1.000")}, distributors.OrderCancelled},
		"processing":     {[]line{l("PCK", "In picking", " 1.000")}, distributors.OrderProcessing},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, c.want, build(distributors.OrderRef{ID: "1"}, c.lines).State)
		})
	}
	assert.Equal(t, 1234.5, quantity("1,234.500"))
	assert.Equal(t, 2.5, quantity(" 2,5"))
	assert.Equal(t, -2.0, quantity("2.000-"))
	assert.True(t, date("00000000").IsZero())
}

func TestResponseShapes(t *testing.T) {
	fx := setup(t)
	fx.answer = func(w http.ResponseWriter, req statusRequest) {
		w.Header().Set("Content-Type", "application/json")
		switch req.Req.Order[0] {
		case "single":
			_, _ = io.WriteString(w, `{"MT_OrderStatus_Response": {"eRPOrderNumber": "single", "eRPProductNumber": "P", "lineQuantity": " 3.000", "lineStatusCode": "OPN", "lineStatusDescription": "Open"}}`)
		case "empty":
			_, _ = io.WriteString(w, `{"MT_OrderStatus_Response": null}`)
		default:
			_, _ = io.WriteString(w, `{"MT_OrderStatus_Response": [`)
		}
	}
	ctx := context.Background()
	st, err := fx.c.OrderStatus(ctx, []distributors.OrderRef{{ID: "single"}})
	require.NoError(t, err)
	require.Len(t, st, 1)
	assert.Equal(t, 3.0, st[0].Lines[0].Quantity)
	st, err = fx.c.OrderStatus(ctx, []distributors.OrderRef{{ID: "empty"}})
	require.NoError(t, err)
	assert.Empty(t, st)
	_, err = fx.c.OrderStatus(ctx, []distributors.OrderRef{{ID: "garbage"}})
	assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
	st, err = fx.c.OrderStatus(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, st)
}

func TestTokenOnceUnderConcurrency(t *testing.T) {
	fx := setup(t)
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range 100 {
		wg.Go(func() {
			if _, err := fx.c.OrderStatus(context.Background(), []distributors.OrderRef{{ID: "6123454"}}); err != nil {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Zero(t, failed.Load())
	assert.Equal(t, int32(1), fx.tokenHit.Load())
	assert.Equal(t, int32(100), fx.hits.Load())
}

func TestUnauthorizedRefreshesOnce(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	_, err := fx.c.OrderStatus(ctx, []distributors.OrderRef{{ID: "6123454"}})
	require.NoError(t, err)
	fx.tokens.Add(1) // the API forgets the token
	_, err = fx.c.OrderStatus(ctx, []distributors.OrderRef{{ID: "6123454"}})
	require.NoError(t, err)
	assert.Equal(t, int32(2), fx.tokenHit.Load())
	assert.Equal(t, int32(3), fx.hits.Load())

	// a wrong subscription key: one refresh, one retry, then an auth error
	d, err := fx.f.New(Settings{TenantID: testTenant, ClientID: "cid", ClientSecret: testSecret, Resource: "res", SubscriptionKey: "bad", PartnerKey: "p"})
	require.NoError(t, err)
	before := fx.hits.Load()
	_, err = d.OrderStatus(ctx, []distributors.OrderRef{{ID: "1"}})
	assert.Equal(t, distributors.KindAuth, distributors.KindOf(err))
	assert.Contains(t, err.Error(), "Access token is missing or invalid")
	assert.Equal(t, before+2, fx.hits.Load())
}

func TestTokenErrors(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	d, err := fx.f.New(Settings{TenantID: testTenant, ClientID: "cid", ClientSecret: testSecret + "x", Resource: "res", SubscriptionKey: testSubKey, PartnerKey: "p"})
	require.NoError(t, err)
	_, err = d.Test(ctx)
	assert.Equal(t, distributors.KindAuth, distributors.KindOf(err))
	assert.Contains(t, err.Error(), "westcon token: AADSTS7000215: Invalid client secret provided")
	assert.NotContains(t, err.Error(), "Trace ID")
	assertNoSecret(t, err)
	assert.NotContains(t, err.Error(), testSecret+"x")

	// the tenant is one escaped path segment of the configured URL
	d, err = fx.f.New(Settings{TenantID: "../evil", ClientID: "cid", ClientSecret: testSecret, Resource: "res", SubscriptionKey: testSubKey, PartnerKey: "p"})
	require.NoError(t, err)
	assert.Equal(t, fx.srv.URL+"/..%2Fevil/oauth2/token", d.(*Client).tokenURL)
	_, err = d.Test(ctx)
	assert.Equal(t, distributors.KindAuth, distributors.KindOf(err))
}

func TestFailuresAreUnavailable(t *testing.T) {
	var mode atomic.Value
	fx := setup(t, func(o *Options, _ *Settings) { o.Timeout = 500 * time.Millisecond })
	fx.answer = func(w http.ResponseWriter, req statusRequest) {
		switch mode.Load() {
		case "500":
			writeJSON(w, 500, map[string]any{"message": "backend down " + testSubKey})
		case "hang":
			time.Sleep(time.Second)
		}
	}
	ctx := context.Background()
	mode.Store("500")
	_, err := fx.c.OrderStatus(ctx, []distributors.OrderRef{{ID: "1"}})
	assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
	assert.False(t, distributors.IsUncertain(err))
	assertNoSecret(t, err)
	assert.Equal(t, int32(3), fx.hits.Load(), "a pure read: retried like any read (two retries)")

	mode.Store("hang")
	_, err = fx.c.OrderStatus(ctx, []distributors.OrderRef{{ID: "1"}})
	assert.Equal(t, distributors.KindUnavailable, distributors.KindOf(err))
	assert.True(t, distributors.IsTimeout(err))
}

func TestTestConnection(t *testing.T) {
	fx := setup(t)
	fx.answer = func(w http.ResponseWriter, req statusRequest) {
		assert.Equal(t, statusRequestBody{PartnerKey: "0123456789", OrderType: "W", Language: "EN", Order: []string{"0000000000"}}, req.Req)
		writeJSON(w, 200, map[string]any{"MT_OrderStatus_Response": []any{}})
	}
	got, err := fx.c.Test(context.Background())
	require.NoError(t, err)
	assert.Contains(t, got, "Westcon")
}

func TestTokenExpiresInNumberOrString(t *testing.T) {
	for name, expires := range map[string]any{"number": 3599, "string": "3599"} {
		t.Run(name, func(t *testing.T) {
			fx := setupExpires(t, expires)
			for range 3 {
				st, err := fx.c.OrderStatus(context.Background(), []distributors.OrderRef{{ID: "6123454"}})
				require.NoError(t, err)
				require.Len(t, st, 1)
			}
			assert.Equal(t, int32(1), fx.tokenHit.Load(), "one token, reused")
		})
	}
}

// TestOrderNumberNormalisation pins the adapter's own reading of order
// numbers: Westcon (SAP) answers with the number zero-padded to ten digits
// ("0006123454") whatever form was asked for, and references typed by
// people carry stray space or case. The simulator is strict (it pads
// numeric numbers as SAP does and compares exactly), so this leniency
// lives here and only here.
func TestOrderNumberNormalisation(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"0006123454", "6123454", true},
		{"6123454", "0006123454", true},
		{" 6123454 ", "0006123454", true},
		{"ab-12", "AB-12", true},
		{"0006123454", "6123459", false},
		{"000", "0", false}, // all zeros is no number
		{"", "", true},
		{"60", "600", false},
	} {
		assert.Equal(t, tc.same, sameNumber(tc.a, tc.b), "%q ~ %q", tc.a, tc.b)
	}

	fx := setup(t)
	for _, id := range []string{"6123454", "0006123454", " 6123454"} {
		st, err := fx.c.OrderStatus(context.Background(), []distributors.OrderRef{{ID: id}})
		require.NoError(t, err, id)
		require.Len(t, st, 1, id)
		assert.Equal(t, "0006123454", st[0].OrderID, id)
	}
}
