package logicom

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fixtures in testdata/ are the seed's example responses copied as they
// are (logicom-rest-api.txt), PDF debris included: typographic quotes, bare
// keys, missing colons and commas, trailing commas, repeated keys, a key
// inside an array, truncated documents ("…......").

// truncatedFixtures end in "…......" in the seed: cut off on purpose.
var truncatedFixtures = map[string]bool{
	"getdocuments_invoice.json": true, "getdocuments_order.json": true,
	"getdocuments_quote.json": true, "getpendinginvoices.json": true,
}

func fixture(t testing.TB, name string) *envelope {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	env, err := decodeEnvelopeMode(b, truncatedFixtures[name])
	require.NoError(t, err, name)
	assert.True(t, env.ok(), name)
	return env
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestEveryFixtureDecodes(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	require.Len(t, files, 14)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { fixture(t, filepath.Base(f)) })
	}
}

func TestDecodeGetPrice(t *testing.T) {
	ps, err := list[wirePrice](fixture(t, "getprice.json").Message)
	require.NoError(t, err)
	require.Len(t, ps, 2)
	// Three repeated "VolumePrice" keys in one object: all kept.
	assert.Equal(t, "075-06841", ps[0].SKU)
	assert.Equal(t, 600.0, ps[0].Price)
	assert.Equal(t, 1.25, ps[0].RecycleTax)
	require.Len(t, ps[0].Volume, 3)
	assert.Equal(t, wireVolumePrice{Quantity: 50, Price: 2.02, DiscountPct: 93.90}, ps[0].Volume[2])
	assert.Equal(t, 435.0, ps[1].SpecialPrice)
	assert.Equal(t, day(2022, 8, 1), ps[1].StartDate)
	assert.Equal(t, day(2022, 10, 31), ps[1].EndDate)
	assert.Equal(t, 19.5, ps[1].VAT)

	o := toOffer(ps[0], nil, "EUR")
	assert.Equal(t, 600.0, o.Cost)
	assert.Len(t, o.Breaks, 3)
	assert.Nil(t, o.Stock)
}

func TestDecodeGetProducts(t *testing.T) {
	env := fixture(t, "getproducts.json")
	assert.Equal(t, "210-AWLE", env.NextItemNo)
	ps, err := list[wireProduct](env.Message)
	require.NoError(t, err)
	require.Len(t, ps, 1)
	p := ps[0]
	assert.Equal(t, "210-AZKS", p.SKU)
	assert.True(t, p.ESD, `" IsESD "`)
	assert.False(t, p.EndUserForm)
	assert.Equal(t, "Monitors", p.Category)
	assert.Equal(t, 1.21, p.Price.RecycleTax, `"Recycle Tax"`)
	assert.Equal(t, 135.53, p.Price.Price)
	require.Len(t, p.Specs, 3, "typographic quotes around Name/Value")
	assert.Equal(t, wireSpec{"Product colour", "Black"}, p.Specs[2])
	require.NotNil(t, p.Inventory)
	require.Len(t, p.Inventory.PO, 1, "PO as an object")
	assert.Equal(t, wirePO{392, day(2022, 6, 1)}, p.Inventory.PO[0], `"PO Delivery Date "`)
	assert.Len(t, p.Images, 5, "trailing comma in Images")
	assert.Contains(t, p.Description, "Display technology: LCD", "line breaks inside strings")

	cats := flattenCategories([]wireCategory{{ID: "300", Name: "Displays", Subs: []wireCategory{{ID: "300-10", Name: "Monitors"}}}})
	dp := toProduct(p, cats)
	assert.Equal(t, "300-10", dp.CategoryKey)
	assert.Equal(t, "Displays / Monitors", dp.CategoryName)
	assert.Equal(t, "DELL", dp.Brand)
	assert.Equal(t, "210-AZKS", dp.PartNumber)
	assert.Equal(t, 19.0, dp.VATPercent)
	assert.Equal(t, "36 Months", dp.Warranty)
}

func TestDecodeGetProductsDateFrom(t *testing.T) {
	env := fixture(t, "getproducts_datefrom.json")
	assert.Equal(t, "1X644AA", env.NextItemNo)
	ps, err := list[wireProduct](env.Message)
	require.NoError(t, err)
	require.Len(t, ps, 1)
	p := ps[0]
	assert.Equal(t, "HORASHLOS", p.SKU)
	assert.Equal(t, "RON", p.Price.Currency)
	assert.Equal(t, 0.0, p.Price.RecycleTax, "GreenTax")
	// VolumePrice as an array with a stray "VolumePrice": key inside it.
	require.Len(t, p.Price.Volume, 2)
	assert.Equal(t, 50.0, p.Price.Volume[1].Quantity)
	assert.Equal(t, 10.0, p.Price.Volume[1].Price)
	// Specifications as an object.
	assert.Equal(t, []wireSpec{{"License quantity", "5 license(s)"}, {"License type", "Full"}}, p.Specs)
	dp := toProduct(p, nil)
	assert.Contains(t, dp.ThumbnailURL, "/small/")
	assert.Len(t, dp.Images, 2, "medium images only")
}

func TestDecodeGetInventory(t *testing.T) {
	inv, err := list[wireInventory](fixture(t, "getinventory.json").Message)
	require.NoError(t, err)
	require.Len(t, inv, 3)
	assert.Equal(t, []wirePO{{100, day(2023, 1, 5)}}, inv[0].PO)
	assert.Empty(t, inv[1].PO)

	inv, err = list[wireInventory](fixture(t, "getinventory_variants.json").Message)
	require.NoError(t, err)
	require.Len(t, inv, 3)
	assert.Equal(t, 3.0, inv[1].Quantity)
	require.Len(t, inv[1].Variants, 2)
	assert.Equal(t, "7ZT543", inv[1].Variants[1].ID)
	assert.Equal(t, 19.0, inv[1].Variants[1].Price)
	assert.Equal(t, 4.0, inv[2].Quantity)
}

func TestDecodeGetAccountDetails(t *testing.T) {
	var acc wireAccount
	require.NoError(t, unmarshal(fixture(t, "getaccountdetails.json").Message, &acc))
	assert.Equal(t, "MFA LTD", acc.Name)
	require.Len(t, acc.Billing, 1, `Address": missing its opening quote`)
	assert.Equal(t, "Philipou 37 Saint Domedios", acc.Billing[0].Address1)
	require.Len(t, acc.Shipping, 1)
	assert.Equal(t, "DEFAULT", acc.Shipping[0].ID)
	a := toAddress(acc.Shipping[0], acc.Name)
	assert.Equal(t, "RO", a.CountryCode)
	assert.Equal(t, []string{"Bucuresti Ploiesti Street 9-13", "5th Floor, District 1"}, a.Lines)
}

func TestDecodeDocuments(t *testing.T) {
	for name, want := range map[string]int{
		"getdocuments_invoice.json": 3, // truncated: the third entry is cut off
		"getdocuments_order.json":   2,
		"getdocuments_quote.json":   2,
		"getpendinginvoices.json":   3,
		"getcspdetails.json":        2,
	} {
		docs, err := list[wireDocument](fixture(t, name).Message)
		require.NoError(t, err, name)
		assert.Len(t, docs, want, name)
		assert.NotEmpty(t, docs[0].DocumentNo, name)
	}
	docs, _ := list[wireDocument](fixture(t, "getpendinginvoices.json").Message)
	assert.Equal(t, day(2022, 3, 3), docs[0].ShipmentDate, `"ShipnmentDate"`)
	docs, _ = list[wireDocument](fixture(t, "getdocuments_order.json").Message)
	assert.Equal(t, "Open", docs[0].Status)
	assert.Equal(t, day(2018, 3, 30), docs[0].OrderDate)
}

func TestDecodeGetDocumentDetails(t *testing.T) {
	var d wireDocumentDetails
	require.NoError(t, unmarshal(fixture(t, "getdocumentdetails.json").Message, &d))
	assert.Equal(t, "INV7110684", d.Header.DocumentNo)
	assert.Equal(t, "Released", d.Header.Status)
	assert.Len(t, d.Addresses, 3)
	require.Len(t, d.Items, 1)
	assert.Equal(t, "W2210A", d.Items[0].ItemNo)
	assert.Equal(t, day(2022, 1, 10), d.Items[0].ShippingDate)
	assert.Equal(t, 231.41, d.Total)
}

func TestDecodeCategoriesAndBrands(t *testing.T) {
	ws, err := list[wireCategory](fixture(t, "getproductcategories.json").Message)
	require.NoError(t, err)
	cats := flattenCategories(ws)
	paths := map[string]string{}
	for _, c := range cats {
		paths[c.ID] = c.Path
	}
	assert.Equal(t, "Personal Computing Systems / Desktop & Workstation / Desktops", paths["100-10-1"])
	assert.Equal(t, "AudioVisual / Audio & Video / Speakerphone", paths["1100-10-1"])
	// The seed lists 100-10-5 under AudioVisual; its id says where it belongs.
	assert.Equal(t, "Personal Computing Systems / Desktop & Workstation / All-in One", paths["100-10-5"])
	assert.Equal(t, "Personal Computing Systems / Notebooks", paths["100-20-1"])

	bs, err := list[wireBrand](fixture(t, "getbrands.json").Message)
	require.NoError(t, err)
	assert.Equal(t, []wireBrand{{"ACRONIS"}, {"APC"}, {"BITDEFENDER"}, {"CISCO"}, {"DELL"}}, bs)
}

func TestTokenFixture(t *testing.T) {
	b, err := os.ReadFile("testdata/generateaccesstoken.txt")
	require.NoError(t, err)
	assert.Contains(t, string(b), "wlgkdOPMglk/")
}

func TestLooseScalars(t *testing.T) {
	for in, want := range map[string]float64{
		`"1,001.01"`: 1001.01, `""`: 0, `" 19 "`: 19, `12.5`: 12.5, `"1.001,01"`: 1001.01,
		`"12,5"`: 12.5, `"1,000"`: 1000, `null`: 0, `"69.49 %"`: 69.49,
	} {
		var n number
		require.NoError(t, json.Unmarshal([]byte(in), &n), in)
		assert.Equal(t, want, float64(n), in)
	}
	var n number
	assert.Error(t, json.Unmarshal([]byte(`"abc"`), &n))

	for in, want := range map[string]time.Time{
		`"25-05-2022"`:          day(2022, 5, 25),
		`"21-01-2022 15:59:56"`: time.Date(2022, 1, 21, 15, 59, 56, 0, time.UTC),
		`"2022-08-31"`:          day(2022, 8, 31),
		`"04-08-2022T00:00:00"`: day(2022, 8, 4),
		`""`:                    {},
	} {
		var d date
		require.NoError(t, json.Unmarshal([]byte(in), &d), in)
		assert.Equal(t, want, d.Time, in)
	}
	var d date
	assert.Error(t, json.Unmarshal([]byte(`"31/12/2022"`), &d))
}

func TestKeyNormalisation(t *testing.T) {
	o, err := parseObject([]byte(`{" IsESD ":"1","Is EUItem":"1","Discount %":"5","PO Delivery Date ":"01-06-2022","RECYCLE_TAX":"2"}`))
	require.NoError(t, err)
	assert.True(t, o.flag("isesd"))
	assert.True(t, o.flag("iseuitem"))
	assert.Equal(t, 5.0, o.num("discount"))
	assert.Equal(t, day(2022, 6, 1), o.date("podeliverydate"))
	assert.Equal(t, 2.0, o.num("recycletax"))
}

func TestEnvelopeErrors(t *testing.T) {
	env, err := decodeEnvelope([]byte(`{"StatusCode":0,"Status":"Error","Message":"Order O1 not found"}`))
	require.NoError(t, err)
	assert.False(t, env.ok())
	assert.Equal(t, "Order O1 not found", env.text())
	env, err = decodeEnvelope([]byte(`{"StatusCode":"1","Status":"Error","Message":"x"}`))
	require.NoError(t, err)
	assert.False(t, env.ok(), "Status other than OK")
	_, err = decodeEnvelope([]byte(`<html>502</html>`))
	assert.Error(t, err)
	_, err = decodeEnvelope([]byte(`{"foo":1}`))
	assert.Error(t, err)
	// Cut off mid-answer: broken, not loose.
	_, err = decodeEnvelope([]byte(`{"StatusCode": 1, "Status": "OK", "Message": [{"ItemNo": "trunc`))
	assert.Error(t, err)
	_, err = decodeEnvelope([]byte(`{"StatusCode": 1, "Status": "OK", "Message": [{"ItemNo": "x"}`))
	assert.Error(t, err)
	b, _ := os.ReadFile("testdata/getdocuments_order.json")
	_, err = decodeEnvelope(b)
	assert.Error(t, err, "a truncated seed example is only accepted by the fixture loader")
}
