package distributors

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestCostAt(t *testing.T) {
	today := day(2024, 6, 15)
	breaks := []PriceBreak{{MinQuantity: 10, Price: 90}, {MinQuantity: 50, Price: 80}, {MinQuantity: 100, Price: 70}}
	special := func(price float64, from, to time.Time) *SpecialPrice {
		return &SpecialPrice{Price: price, From: from, To: to}
	}
	tests := []struct {
		name  string
		offer Offer
		qty   float64
		today time.Time
		want  float64
	}{
		{"no breaks", Offer{Cost: 100}, 1, today, 100},
		{"below first break", Offer{Cost: 100, Breaks: breaks}, 9, today, 100},
		{"fraction below break", Offer{Cost: 100, Breaks: breaks}, 9.99, today, 100},
		{"exactly at break", Offer{Cost: 100, Breaks: breaks}, 10, today, 90},
		{"between breaks", Offer{Cost: 100, Breaks: breaks}, 49, today, 90},
		{"second break", Offer{Cost: 100, Breaks: breaks}, 50, today, 80},
		{"highest break", Offer{Cost: 100, Breaks: breaks}, 1000, today, 70},
		{"zero quantity", Offer{Cost: 100, Breaks: breaks}, 0, today, 100},
		{"break with zero price ignored", Offer{Cost: 100, Breaks: []PriceBreak{{MinQuantity: 1, Price: 0}, {MinQuantity: 5, Price: 95}}}, 3, today, 100},
		{"break from 1", Offer{Cost: 100, Breaks: []PriceBreak{{MinQuantity: 1, Price: 99}}}, 1, today, 99},
		{"special inside window", Offer{Cost: 100, Special: special(85, day(2024, 6, 1), day(2024, 6, 30))}, 1, today, 85},
		{"special on first day", Offer{Cost: 100, Special: special(85, day(2024, 6, 15), day(2024, 6, 30))}, 1, today, 85},
		{"special on last day", Offer{Cost: 100, Special: special(85, day(2024, 6, 1), day(2024, 6, 15))}, 1, today, 85},
		{"special on last day, late evening", Offer{Cost: 100, Special: special(85, day(2024, 6, 1), day(2024, 6, 15))}, 1, today.Add(23*time.Hour + 59*time.Minute), 85},
		{"special last day given with a time", Offer{Cost: 100, Special: special(85, day(2024, 6, 1), day(2024, 6, 15).Add(time.Hour))}, 1, today.Add(20 * time.Hour), 85},
		{"special before window", Offer{Cost: 100, Special: special(85, day(2024, 6, 16), day(2024, 6, 30))}, 1, today, 100},
		{"special after window", Offer{Cost: 100, Special: special(85, day(2024, 6, 1), day(2024, 6, 14))}, 1, today, 100},
		{"special open start", Offer{Cost: 100, Special: special(85, time.Time{}, day(2024, 6, 30))}, 1, today, 85},
		{"special open end", Offer{Cost: 100, Special: special(85, day(2024, 6, 1), time.Time{})}, 1, today, 85},
		{"special fully open", Offer{Cost: 100, Special: special(85, time.Time{}, time.Time{})}, 1, today, 85},
		{"special zero price ignored", Offer{Cost: 100, Special: special(0, time.Time{}, time.Time{})}, 1, today, 100},
		{"special higher than cost ignored", Offer{Cost: 100, Special: special(120, time.Time{}, time.Time{})}, 1, today, 100},
		{"special lower than break wins", Offer{Cost: 100, Breaks: breaks, Special: special(75, time.Time{}, time.Time{})}, 50, today, 75},
		{"break lower than special wins", Offer{Cost: 100, Breaks: breaks, Special: special(75, time.Time{}, time.Time{})}, 100, today, 70},
		{"break used when special expired", Offer{Cost: 100, Breaks: breaks, Special: special(60, day(2024, 1, 1), day(2024, 1, 31))}, 100, today, 70},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.offer.CostAt(tc.qty, tc.today))
		})
	}
}

func TestSpecialActive(t *testing.T) {
	from, to := day(2024, 6, 10), day(2024, 6, 20)
	o := Offer{Cost: 100, Special: &SpecialPrice{Price: 80, From: from, To: to}}
	tests := []struct {
		name  string
		today time.Time
		want  bool
	}{
		{"day before", day(2024, 6, 9).Add(23 * time.Hour), false},
		{"first day midnight", from, true},
		{"first day noon", from.Add(12 * time.Hour), true},
		{"middle", day(2024, 6, 15), true},
		{"last day", to, true},
		{"last day late", to.Add(23*time.Hour + 59*time.Minute + 59*time.Second), true},
		{"day after", day(2024, 6, 21), false},
		{"other zone, same UTC day", time.Date(2024, 6, 21, 1, 0, 0, 0, time.FixedZone("CEST", 2*3600)), true},
		{"other zone, next UTC day", time.Date(2024, 6, 20, 23, 0, 0, 0, time.FixedZone("EST", -5*3600)), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, o.SpecialActive(tc.today))
		})
	}
	assert.False(t, Offer{}.SpecialActive(from), "no special")
	assert.False(t, Offer{Special: &SpecialPrice{Price: -1}}.SpecialActive(from), "negative price")
}

func TestNextIncoming(t *testing.T) {
	var nilStock *Stock
	_, ok := nilStock.NextIncoming()
	assert.False(t, ok)
	_, ok = (&Stock{}).NextIncoming()
	assert.False(t, ok)
	in, ok := (&Stock{Incoming: []Incoming{{Quantity: 5, Date: day(2024, 7, 1)}, {Quantity: 9, Date: day(2024, 8, 1)}}}).NextIncoming()
	assert.True(t, ok)
	assert.Equal(t, 5.0, in.Quantity)
}

func TestKeys(t *testing.T) {
	assert.Equal(t, "logicom:210-AZKS", Key("logicom", "210-AZKS"))
	assert.Equal(t, "nuvias:555", Key("nuvias", "555"))
	assert.Equal(t, "best:EUR", Key(Best, "EUR"))

	tests := []struct {
		in       string
		dist, id string
		ok       bool
	}{
		{"logicom:210-AZKS", "logicom", "210-AZKS", true},
		{"Logicom:210-AZKS", "logicom", "210-AZKS", true},
		{"  NUVIAS:555 ", "nuvias", "555", true},
		{"logicom:SKU#1:variant", "logicom", "SKU#1:variant", true},
		{"best:EUR", "best", "EUR", true},
		{"logicom:", "", "", false},
		{":sku", "", "", false},
		{"nokey", "", "", false},
		{"", "", "", false},
		{":", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			d, id, ok := ParseKey(tc.in)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.dist, d)
			assert.Equal(t, tc.id, id)
			if ok {
				d2, id2, ok2 := ParseKey(Key(d, id))
				assert.True(t, ok2)
				assert.Equal(t, [2]string{d, id}, [2]string{d2, id2})
			}
		})
	}
}

func TestOrderKeys(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{";", nil},
		{"logicom:O7063935", []string{"logicom:O7063935"}},
		{"logicom:O7063935;nuvias:7745", []string{"logicom:O7063935", "nuvias:7745"}},
		{" logicom:1 ; ;nuvias:2; ", []string{"logicom:1", "nuvias:2"}},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, SplitOrderKeys(tc.in), tc.in)
	}

	assert.Equal(t, "", JoinOrderKeys(nil))
	assert.Equal(t, "logicom:O7063935;nuvias:7745", JoinOrderKeys([]string{"nuvias:7745", "logicom:O7063935"}))
	assert.Equal(t, "logicom:1;nuvias:2", JoinOrderKeys([]string{"nuvias:2", "", "logicom:1", "nuvias:2"}))
	// Join and split are inverse.
	keys := []string{"logicom:O1", "nuvias:2", "westcon:W3"}
	assert.Equal(t, keys, SplitOrderKeys(JoinOrderKeys(keys)))
	in := []string{"b", "a"}
	_ = JoinOrderKeys(in)
	assert.Equal(t, []string{"b", "a"}, in, "the argument is not reordered")
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"message and status", &Error{Distributor: "logicom", Call: "GetPrice", Kind: KindUnavailable, StatusCode: 503, Message: "distributor answered with an error"},
			"logicom GetPrice: distributor answered with an error (HTTP 503)"},
		{"no message uses kind", &Error{Distributor: "nuvias", Call: "PlaceOrder", Kind: KindRejected}, "nuvias PlaceOrder: rejected"},
		{"no call", &Error{Distributor: "westcon", Kind: KindAuth, StatusCode: 401}, "westcon: auth (HTTP 401)"},
		{"cause not shown", &Error{Distributor: "logicom", Call: "X", Kind: KindUnavailable, Message: "no answer in time", Err: errors.New("dial tcp 10.0.0.1: secret=abc")},
			"logicom X: no answer in time"},
		{"step cut off by its deadline", &Error{Distributor: "logicom", Call: "Test", Kind: KindUnavailable, Message: "access token (GenerateAccessToken) failed", Err: context.DeadlineExceeded},
			"logicom Test: access token (GenerateAccessToken) failed (no answer in time)"},
		{"timeout said once", &Error{Distributor: "logicom", Call: "GetPrice", Kind: KindUnavailable, Message: "no answer in time", Err: fmt.Errorf("x: %w", context.DeadlineExceeded)},
			"logicom GetPrice: no answer in time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.err.Error())
		})
	}
	kinds := map[Kind]string{KindUnavailable: "unavailable", KindAuth: "auth", KindConfig: "config", KindRejected: "rejected",
		KindInvalid: "invalid", KindNotSupported: "not supported", KindNotFound: "not found"}
	for k, s := range kinds {
		assert.Equal(t, s, k.String())
	}

	e := Errorf("logicom", "GetProducts", KindConfig, "AccessTokenKey is %d bytes", 7)
	assert.Equal(t, "logicom GetProducts: AccessTokenKey is 7 bytes", e.Error())
	assert.Equal(t, KindConfig, e.Kind)

	ns := NotSupported("westcon", "Search")
	assert.True(t, IsNotSupported(ns))
	assert.Equal(t, "westcon Search: not offered by this distributor", ns.Error())

	cause := errors.New("boom")
	wrapped := &Error{Distributor: "x", Kind: KindUnavailable, Err: cause}
	assert.ErrorIs(t, wrapped, cause)
}

func TestKindOfAndPredicates(t *testing.T) {
	rejected := &Error{Distributor: "nuvias", Kind: KindRejected}
	uncertain := &Error{Distributor: "logicom", Kind: KindUnavailable, Uncertain: true}
	tests := []struct {
		name         string
		err          error
		kind         Kind
		notSupported bool
		uncertain    bool
		timeout      bool
	}{
		{"nil", nil, KindUnavailable, false, false, false},
		{"plain error", errors.New("x"), KindUnavailable, false, false, false},
		{"deadline", context.DeadlineExceeded, KindUnavailable, false, false, true},
		{"wrapped deadline", fmt.Errorf("call: %w", context.DeadlineExceeded), KindUnavailable, false, false, true},
		{"error with deadline cause", &Error{Kind: KindUnavailable, Err: context.DeadlineExceeded}, KindUnavailable, false, false, true},
		{"rejected", rejected, KindRejected, false, false, false},
		{"wrapped rejected", fmt.Errorf("order: %w", rejected), KindRejected, false, false, false},
		{"joined", errors.Join(errors.New("a"), rejected), KindRejected, false, false, false},
		{"auth", &Error{Kind: KindAuth}, KindAuth, false, false, false},
		{"not found", &Error{Kind: KindNotFound}, KindNotFound, false, false, false},
		{"not supported", NotSupported("w", "c"), KindNotSupported, true, false, false},
		{"wrapped not supported", fmt.Errorf("x: %w", NotSupported("w", "c")), KindNotSupported, true, false, false},
		{"uncertain", uncertain, KindUnavailable, false, true, false},
		{"wrapped uncertain", fmt.Errorf("x: %w", uncertain), KindUnavailable, false, true, false},
		{"canceled", context.Canceled, KindUnavailable, false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.kind, KindOf(tc.err))
			assert.Equal(t, tc.notSupported, IsNotSupported(tc.err))
			assert.Equal(t, tc.uncertain, IsUncertain(tc.err))
			assert.Equal(t, tc.timeout, IsTimeout(tc.err))
		})
	}
}

func TestSanitizeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://api.example.com/v1/products?client_secret=abc&x=1", "https://api.example.com/v1/products"},
		{"https://user:pass@api.example.com/path#frag", "https://api.example.com/path"},
		{"http://127.0.0.1:8080/GenerateAccessToken", "http://127.0.0.1:8080/GenerateAccessToken"},
	}
	for _, tc := range tests {
		u, err := url.Parse(tc.in)
		require.NoError(t, err)
		got := SanitizeURL(u)
		assert.Equal(t, tc.want, got)
		assert.Equal(t, tc.in, u.String(), "the URL itself is not changed")
	}
	assert.Equal(t, "", SanitizeURL(nil))
}

func TestCapabilitiesHasList(t *testing.T) {
	c := Capabilities{Lists: []ListKind{ListProductCategory, ListProductFamily}}
	assert.True(t, c.HasList(ListProductCategory))
	assert.False(t, c.HasList(ListPaymentTerms))
	assert.False(t, Capabilities{}.HasList(ListProductCategory))
	assert.Len(t, AllLists, 7)
}

func TestOrderStateString(t *testing.T) {
	assert.Equal(t, "open", OrderOpen.String())
	assert.Equal(t, "partly shipped", OrderPartShipped.String())
	assert.Equal(t, "cancelled", OrderCancelled.String())
}

func TestUnsupported(t *testing.T) {
	u := Unsupported{Distributor: "westcon"}
	ctx := context.Background()
	_, err := u.Currencies(ctx)
	assert.True(t, IsNotSupported(err))
	_, err = u.Search(ctx, Query{})
	assert.True(t, IsNotSupported(err))
	_, err = u.Products(ctx, nil, "")
	assert.True(t, IsNotSupported(err))
	_, err = u.Offers(ctx, nil, "")
	assert.True(t, IsNotSupported(err))
	items, err := u.List(ctx, ListProductCategory)
	assert.NoError(t, err)
	assert.Nil(t, items)
	_, err = u.Addresses(ctx)
	assert.True(t, IsNotSupported(err))
	_, err = u.PlaceOrder(ctx, Order{})
	assert.True(t, IsNotSupported(err))
	assert.False(t, IsUncertain(err))
	_, err = u.OrderStatus(ctx, nil)
	assert.True(t, IsNotSupported(err))
	assert.Contains(t, err.Error(), "westcon OrderStatus")
}
