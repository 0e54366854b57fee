package catalog

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var day = time.Date(2025, 3, 14, 15, 4, 5, 0, time.UTC)

func TestDeterministic(t *testing.T) {
	a := Generate(DefaultSeed, day)
	b := Generate(DefaultSeed, day)
	require.True(t, reflect.DeepEqual(a, b), "same seed must give the same catalog")
	c := Generate(2, day)
	assert.NotEqual(t, a.Logicom.Items[0].SKU, c.Logicom.Items[0].SKU)
	assert.NotEqual(t, a.Logicom.Account.AccessTokenKey, c.Logicom.Account.AccessTokenKey)
	assert.Equal(t, a.Example(), b.Example())
}

func TestCountsAndAccounts(t *testing.T) {
	c := Generate(DefaultSeed, day)
	t.Log(c.Summary())
	assert.Equal(t, time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC), c.Today)
	assert.GreaterOrEqual(t, len(c.Logicom.Items), 2000)
	assert.GreaterOrEqual(t, len(c.Nuvias.Products), 1000)
	assert.Equal(t, NuviasFirstID, c.Nuvias.Products[0].ID)
	assert.Len(t, c.Westcon.Orders, WestconOrderCount)

	acc := c.Logicom.Account
	assert.Equal(t, 1422, acc.CustomerID)
	assert.Equal(t, "DEFAULT", acc.ShipTo[0].ID)
	assert.Equal(t, "WH-OSLO", acc.ShipTo[1].ID)
	assert.Equal(t, []string{"EUR", "USD"}, acc.Currencies)
	assert.Len(t, acc.AccessTokenKey, 44) // base64 of 32 bytes
	assert.NotEmpty(t, c.Nuvias.Credentials.ClientID)
	assert.NotEmpty(t, c.Westcon.Credentials.SubscriptionKey)
	assert.GreaterOrEqual(t, len(c.Nuvias.Addresses), 2)
}

func TestLogicomInvariants(t *testing.T) {
	c := Generate(DefaultSeed, day)
	cats := map[string]bool{}
	names := map[string]bool{}
	for _, k := range c.Logicom.Categories {
		cats[k.ID] = true
		assert.False(t, names[k.Name], "category names unique: %s", k.Name)
		names[k.Name] = true
		if k.ParentID != "" {
			assert.True(t, strings.HasPrefix(k.ID, k.ParentID+"-"))
		}
	}
	brands := map[string]bool{}
	for _, b := range c.Logicom.Brands {
		brands[b.Name] = true
	}
	seen := map[string]bool{}
	var vol, special, zero, po, esd, euf, disc, hash, rtax, rrp int
	windows := map[string]int{}
	for _, it := range c.Logicom.Items {
		u := strings.ToUpper(it.SKU)
		require.False(t, seen[u], "duplicate SKU %s", it.SKU)
		seen[u] = true
		require.True(t, cats[it.CategoryID], it.CategoryID)
		require.True(t, brands[it.Brand], it.Brand)
		if it.Barcode != "" {
			require.Len(t, it.Barcode, 13)
			_, err := strconv.Atoi(it.Barcode)
			require.NoError(t, err)
		}
		require.True(t, it.Modified.Before(c.Today.Add(time.Second)) && it.Modified.After(c.Today.AddDate(-2, 0, -1)))
		eur, usd := it.Prices["EUR"], it.Prices["USD"]
		require.Greater(t, eur.Price, 0.0)
		require.InDelta(t, eur.Price*USDPerEUR, usd.Price, 0.011)
		last := 0
		for i, v := range eur.Volume {
			require.Greater(t, v.Quantity, last)
			last = v.Quantity
			prev := eur.Price
			if i > 0 {
				prev = eur.Volume[i-1].Price
			}
			require.Less(t, v.Price, prev)
		}
		if len(eur.Volume) > 0 {
			vol++
		}
		if eur.SpecialPrice > 0 {
			special++
			require.True(t, eur.SpecialStart.Before(eur.SpecialEnd))
			switch {
			case eur.SpecialValid(c.Today):
				windows["valid"]++
			case eur.SpecialEnd.Before(c.Today):
				windows["expired"]++
			default:
				windows["future"]++
			}
		}
		if eur.RRP > 0 {
			rrp++
		}
		if eur.RecycleTax > 0 {
			rtax++
		}
		if it.Stock == 0 {
			zero++
		}
		for _, p := range it.Incoming {
			require.True(t, p.DeliveryDate.After(c.Today))
			po++
		}
		if it.ESD {
			esd++
		}
		if it.EndUserForm {
			euf++
			require.Contains(t, []string{"CISCO", "FORTINET"}, it.Manufacturer)
		}
		if it.Discontinued {
			disc++
		}
		if strings.Contains(it.SKU, "#") {
			hash++
		}
	}
	n := len(c.Logicom.Items)
	assert.InDelta(t, 0.15, float64(vol)/float64(n), 0.05)
	for _, x := range []int{special, zero, po, esd, euf, disc, hash, rtax, rrp} {
		assert.Greater(t, x, 10)
	}
	assert.Greater(t, windows["valid"], 5)
	assert.Greater(t, windows["expired"], 5)
	assert.Greater(t, windows["future"], 5)
}

func TestSharedParts(t *testing.T) {
	c := Generate(DefaultSeed, day)
	lg := map[string]*LogicomItem{}
	for i := range c.Logicom.Items {
		lg[strings.ToUpper(c.Logicom.Items[i].SKU)] = &c.Logicom.Items[i]
	}
	vendors := map[int]string{}
	for _, v := range c.Nuvias.Vendors {
		vendors[v.ID] = v.Name
	}
	var shared, lCheap, nCheap, cheapNoStock, subs, nodisc int
	codes := map[string]bool{}
	for i, p := range c.Nuvias.Products {
		require.Equal(t, NuviasFirstID+i, p.ID)
		require.False(t, codes[strings.ToUpper(p.ProductCode)], "duplicate code %s", p.ProductCode)
		codes[strings.ToUpper(p.ProductCode)] = true
		require.NotEmpty(t, vendors[p.VendorID])
		require.Equal(t, "EUR", p.Currency)
		require.Contains(t, []string{"Hardware", "Software", "Subscription", "Service"}, p.ProductType)
		if p.ProductType == "Subscription" {
			require.NotEmpty(t, p.RatePlans)
			subs++
		}
		if !p.Discountable {
			nodisc++
		}
		it, ok := lg[strings.ToUpper(p.ProductCode)]
		if !ok {
			continue
		}
		shared++
		require.Equal(t, it.SKU, p.ProductCode)
		require.True(t, strings.EqualFold(vendors[p.VendorID], it.Manufacturer), "%s vs %s", vendors[p.VendorID], it.Manufacturer)
		l := it.Prices["EUR"].Effective(1, c.Today)
		require.NotEqual(t, l, p.Price)
		switch {
		case it.Stock > 0 && p.Stock > 0 && l < p.Price:
			lCheap++
		case it.Stock > 0 && p.Stock > 0:
			nCheap++
		case (l < p.Price && it.Stock == 0 && p.Stock > 0) || (p.Price < l && p.Stock == 0 && it.Stock > 0):
			cheapNoStock++
		}
	}
	assert.GreaterOrEqual(t, shared, 200)
	assert.Greater(t, lCheap, 20)
	assert.Greater(t, nCheap, 20)
	assert.Greater(t, cheapNoStock, 20)
	assert.Greater(t, subs, 10)
	assert.Greater(t, nodisc, 10)

	wrefs := 0
	for _, o := range c.Westcon.Orders {
		require.Len(t, o.WestconNumber, 10)
		require.NotEmpty(t, o.Lines)
		for _, l := range o.Lines {
			require.Contains(t, []string{"OPN", "BCK", "SHI", "INV"}, l.StatusCode)
			if l.StatusCode == "INV" {
				require.NotEmpty(t, l.BillingDocument)
			}
			if lg[strings.ToUpper(l.ProductNumber)] != nil || codes[strings.ToUpper(l.ProductNumber)] {
				wrefs++
			}
		}
	}
	assert.Greater(t, wrefs, 20)
}

func TestExample(t *testing.T) {
	c := Generate(DefaultSeed, day)
	e := c.Example()
	t.Logf("%+v", e)
	for _, s := range []string{e.SharedPart, e.SharedLogicomCheaper, e.SharedNuviasCheaper, e.SharedCheaperNoStock,
		e.VolumeSKU, e.SpecialSKU, e.ZeroStockPOSKU, e.ESDSKU, e.EndUserFormSKU, e.DiscontinuedSKU, e.HashSKU, e.InStockSKU, e.WestconOrder} {
		assert.NotEmpty(t, s)
	}
	assert.NotZero(t, e.NuviasSubscripID)
	assert.NotZero(t, e.NuviasNoDiscount)
	it, ok := c.Logicom.Item(e.ZeroStockPOSKU)
	require.True(t, ok)
	assert.Zero(t, it.Stock)
	assert.NotEmpty(t, it.Incoming)
	p, ok := c.Nuvias.Product(e.NuviasSubscripID)
	require.True(t, ok)
	assert.Equal(t, "Subscription", p.ProductType)
}

func TestEffective(t *testing.T) {
	d := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	p := LogicomPrice{Price: 100, Volume: []VolumeBreak{{5, 95}, {10, 90}}, SpecialPrice: 92,
		SpecialStart: d.AddDate(0, 0, -1), SpecialEnd: d}
	assert.Equal(t, 100.0, p.Effective(1, d.AddDate(0, 0, 1)))
	assert.Equal(t, 92.0, p.Effective(1, d.Add(23*time.Hour)))
	assert.Equal(t, 92.0, p.Effective(5, d))
	assert.Equal(t, 90.0, p.Effective(10, d))
	assert.Equal(t, 95.0, p.Effective(9, d.AddDate(0, 0, -5)))
}

func BenchmarkGenerate(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Generate(int64(i), day)
	}
}

func TestGenerateFast(t *testing.T) {
	start := time.Now()
	Generate(DefaultSeed, day)
	el := time.Since(start)
	t.Log("Generate took", el)
	if !raceEnabled {
		assert.Less(t, el, 100*time.Millisecond)
	}
}

func TestGenerateSize(t *testing.T) {
	small := Generate(DefaultSeed, day)
	big := GenerateSize(DefaultSeed, day, 6000)
	require.Len(t, big.Logicom.Items, 6000)
	for i := range small.Logicom.Items {
		require.Equal(t, small.Logicom.Items[i].SKU, big.Logicom.Items[i].SKU, "a bigger catalog starts with the default one")
	}
	seen := map[string]bool{}
	layouts := 0
	for _, it := range big.Logicom.Items {
		u := strings.ToUpper(it.SKU)
		require.False(t, seen[u], "duplicate SKU %s", it.SKU)
		seen[u] = true
		if strings.HasSuffix(it.Name, " layout") {
			layouts++
		}
	}
	assert.NotZero(t, layouts, "keyboards name their layout")
	assert.Len(t, GenerateSize(DefaultSeed, day, 0).Logicom.Items, 1)
}
