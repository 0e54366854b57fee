package superoffice

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// members decodes a JSON object into its raw members, for assertions that
// do not depend on member order.
func members(t *testing.T, b []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &m), "output is a JSON object: %s", b)
	return m
}

func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, []byte(s)))
	return b.String()
}

// roundTrip decodes in into a fresh T and encodes it again.
func roundTrip[T any](t *testing.T, in string) (*T, []byte) {
	t.Helper()
	v := new(T)
	require.NoError(t, json.Unmarshal([]byte(in), v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	return v, out
}

func TestRoundTripKeepsUnknownMembers(t *testing.T) {
	unknown := map[string]string{
		"PoNumber":        `"PO-4711"`,
		"IsIncluded":      `true`,
		"IsGroupHeading":  `false`,
		"ParentQuoteLine": `17`,
		"Nested":          `{"a":[1,2,{"b":null}],"c":"x\"y"}`,
		"NullMember":      `null`,
		"Unicode":         `"Distributøren ✓"`,
		"BigNumber":       `12345678901234567890123`,
		"Float":           `1.50000`,
		"Array":           `[true,false,"s",{}]`,
	}
	obj := func(known string) string {
		s := "{" + known
		for k, v := range unknown {
			s += `,"` + k + `":` + v
		}
		return s + "}"
	}
	tests := []struct {
		name  string
		in    string
		check func(t *testing.T, out map[string]json.RawMessage)
		dec   func(t *testing.T, in string) []byte
	}{
		{"QuoteLineInfo", obj(`"QuoteLineId":5,"Quantity":2`), func(t *testing.T, out map[string]json.RawMessage) {
			assert.JSONEq(t, `5`, string(out["QuoteLineId"]))
		}, func(t *testing.T, in string) []byte { _, b := roundTrip[QuoteLineInfo](t, in); return b }},
		{"QuoteAlternativeInfo", obj(`"QuoteAlternativeId":7,"Name":"A"`), func(t *testing.T, out map[string]json.RawMessage) {
			assert.JSONEq(t, `7`, string(out["QuoteAlternativeId"]))
		}, func(t *testing.T, in string) []byte { _, b := roundTrip[QuoteAlternativeInfo](t, in); return b }},
		{"QuoteVersionInfo", obj(`"QuoteVersionId":9,"State":2`), func(t *testing.T, out map[string]json.RawMessage) {
			assert.JSONEq(t, `9`, string(out["QuoteVersionId"]))
		}, func(t *testing.T, in string) []byte { _, b := roundTrip[QuoteVersionInfo](t, in); return b }},
		{"QuoteInfo", `{"QuoteId":3,"PoNumber":"kept","Nested":{"x":[1,{"y":"z"}]},"IsIncluded":true,"Custom:Field":null}`, func(t *testing.T, out map[string]json.RawMessage) {
			assert.JSONEq(t, `3`, string(out["QuoteId"]))
			assert.JSONEq(t, `"kept"`, string(out["PoNumber"]), "PoNumber is modelled on QuoteInfo")
			assert.JSONEq(t, `{"x":[1,{"y":"z"}]}`, string(out["Nested"]))
			assert.JSONEq(t, `true`, string(out["IsIncluded"]))
			assert.Equal(t, `null`, string(out["Custom:Field"]))
		}, func(t *testing.T, in string) []byte { _, b := roundTrip[QuoteInfo](t, in); return b }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := tc.dec(t, tc.in)
			m := members(t, out)
			tc.check(t, m)
			if tc.name == "QuoteInfo" {
				return
			}
			for k, v := range unknown {
				require.Contains(t, m, k)
				assert.Equal(t, compact(t, v), string(m[k]), "member %s re-emitted unchanged", k)
			}
			// A second round trip gives the same bytes.
			again := tc.dec(t, string(out))
			assert.Equal(t, string(out), string(again))
		})
	}
}

func TestRoundTripExactBytesOfUnknownMembers(t *testing.T) {
	// Unknown members are appended sorted, and their raw bytes are kept.
	var l QuoteLineInfo
	require.NoError(t, json.Unmarshal([]byte(`{"Zeta":1.0e2,"PoNumber":"A&B","Alpha":{"k":[1,2]}}`), &l))
	require.Len(t, l.Extra, 3)
	assert.Equal(t, `1.0e2`, string(l.Extra["Zeta"]))
	b, err := l.MarshalJSON()
	require.NoError(t, err)
	s := string(b)
	assert.Contains(t, s, `,"Alpha":{"k":[1,2]},"PoNumber":"A&B","Zeta":1.0e2}`)
}

func TestExtraAppendedSorted(t *testing.T) {
	// The kept members follow the modelled ones, sorted by name; none, none.
	b, err := json.Marshal(QuoteInfo{Extra: Extra{"b": json.RawMessage(`2`), "a": json.RawMessage(`1`)}})
	require.NoError(t, err)
	assert.True(t, bytes.HasSuffix(b, []byte(`"PreferredCulture":"","a":1,"b":2}`)), "%s", b)
	b, err = json.Marshal(QuoteInfo{})
	require.NoError(t, err)
	assert.True(t, bytes.HasSuffix(b, []byte(`"PreferredCulture":""}`)), "%s", b)
}

func TestKnownMembersDoNotLeakIntoExtra(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want func(t *testing.T, l *QuoteLineInfo)
	}{
		{"lower case", `{"erppricelistkey":"logicom:EUR","quantity":3,"unitlistprice":9.5}`, func(t *testing.T, l *QuoteLineInfo) {
			assert.Equal(t, "logicom:EUR", l.ERPPriceListKey)
			assert.Equal(t, 3.0, l.Quantity)
			assert.Equal(t, 9.5, l.UnitListPrice)
		}},
		{"docs spelling VatInfo", `{"VatInfo":"25%","Vat":25}`, func(t *testing.T, l *QuoteLineInfo) {
			assert.Equal(t, "25%", l.VATInfo)
			assert.Equal(t, 25.0, l.VAT)
		}},
		{"docs spelling ERPPricelistKey", `{"ERPPricelistKey":"best:EUR"}`, func(t *testing.T, l *QuoteLineInfo) {
			assert.Equal(t, "best:EUR", l.ERPPriceListKey)
		}},
		{"canonical ERPPriceListKey", `{"ERPPriceListKey":"nuvias:GBP"}`, func(t *testing.T, l *QuoteLineInfo) {
			assert.Equal(t, "nuvias:GBP", l.ERPPriceListKey)
		}},
		{"upper case", `{"ERPPRODUCTKEY":"logicom:X","USERVALUEOVERRIDE":"total"}`, func(t *testing.T, l *QuoteLineInfo) {
			assert.Equal(t, "logicom:X", l.ERPProductKey)
			assert.Equal(t, OverrideTotal, l.UserValueOverride)
		}},
		{"ExtraData alias", `{"ExtraData":[{"FieldName":"Stock","FieldValue":"[I:4]","FieldType":"Url"}]}`, func(t *testing.T, l *QuoteLineInfo) {
			require.Len(t, l.ExtraInfo, 1)
			assert.Equal(t, ProductExtraDataFieldInfo{Name: "Stock", Value: "[I:4]", Type: ExtraURL}, l.ExtraInfo[0])
		}},
		{"extradata lower case alias", `{"extradata":[{"name":"a","value":"b","type":2}]}`, func(t *testing.T, l *QuoteLineInfo) {
			require.Len(t, l.ExtraInfo, 1)
			assert.Equal(t, ProductExtraDataFieldInfo{Name: "a", Value: "b", Type: ExtraImage}, l.ExtraInfo[0])
		}},
		{"ExtraInfo wins over ExtraData", `{"ExtraInfo":[{"Name":"info"}],"ExtraData":[{"Name":"data"}]}`, func(t *testing.T, l *QuoteLineInfo) {
			require.Len(t, l.ExtraInfo, 1)
			assert.Equal(t, "info", l.ExtraInfo[0].Name)
		}},
		{"null everywhere", `{"QuoteLineId":null,"Status":null,"UserValueOverride":null,"SubscriptionStart":null,"ExtraInfo":null,"ExtraData":null,"Name":null,"Quantity":null,"IsSubscription":null}`, func(t *testing.T, l *QuoteLineInfo) {
			assert.Equal(t, QuoteLineInfo{}, *l)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var l QuoteLineInfo
			require.NoError(t, json.Unmarshal([]byte(tc.in), &l))
			assert.Empty(t, l.Extra, "known members and aliases are not kept as unknown")
			tc.want(t, &l)
			out, err := json.Marshal(l)
			require.NoError(t, err)
			m := members(t, out)
			assert.NotContains(t, m, "ExtraData", "alias is not emitted")
			assert.Contains(t, m, "ExtraInfo")
			assert.Contains(t, m, "ERPPriceListKey")
			assert.Contains(t, m, "VATInfo")
		})
	}
}

func TestUnicodeFoldedNamesAreKnown(t *testing.T) {
	// encoding/json matches "ſ" (long s) to "s" and "K" (Kelvin) to "k";
	// such a member is the known one, not also an unknown one, so a second
	// round trip cannot change the value.
	for _, in := range []string{`{"ſubTotal":1,"SubTotal":2}`, `{"SubTotal":2,"ſubTotal":1}`, `{"ERPProductKey":"a","ERPProduct\u212Aey":"b"}`} {
		var l1 QuoteLineInfo
		require.NoError(t, json.Unmarshal([]byte(in), &l1))
		assert.Empty(t, l1.Extra, in)
		b1, err := json.Marshal(l1)
		require.NoError(t, err)
		var l2 QuoteLineInfo
		require.NoError(t, json.Unmarshal(b1, &l2))
		assert.Equal(t, l1.SubTotal, l2.SubTotal, in)
		assert.Equal(t, l1.ERPProductKey, l2.ERPProductKey, in)
		assert.Empty(t, l2.Extra, in)
		b2, err := json.Marshal(l2)
		require.NoError(t, err)
		assert.Equal(t, string(b1), string(b2), in)
	}
	assert.Equal(t, foldKey("subtotal"), foldKey("ſubTotal"))
	assert.Equal(t, foldKey("erpproductkey"), foldKey("ERPProductKey"))
	assert.NotEqual(t, foldKey("PoNumber"), foldKey("PoNumbers"))
}

func TestNullObjects(t *testing.T) {
	l := QuoteLineInfo{Name: "old", Extra: Extra{"x": json.RawMessage(`1`)}}
	require.NoError(t, json.Unmarshal([]byte(`null`), &l))
	assert.Equal(t, QuoteLineInfo{}, l)

	a := QuoteAlternativeInfo{Name: "old"}
	require.NoError(t, json.Unmarshal([]byte(` null `), &a))
	assert.Equal(t, QuoteAlternativeInfo{}, a)

	var ctx struct {
		V *QuoteVersionInfo `json:"V"`
		Q *QuoteInfo        `json:"Q"`
		A *AddressInfo      `json:"A"`
		P *ProductInfo      `json:"P"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"V":null,"Q":null,"A":null,"P":null}`), &ctx))
	assert.Nil(t, ctx.V)
	assert.Nil(t, ctx.Q)
	assert.Nil(t, ctx.A)
	assert.Nil(t, ctx.P)

	var v QuoteVersionInfo
	require.NoError(t, json.Unmarshal([]byte(`{"State":null,"ArchivedState":null,"SentDate":null,"Updated":null,"Number":null}`), &v))
	assert.Equal(t, StateUnknown, v.State.Code())
	assert.True(t, v.SentDate.IsZero())
	assert.Empty(t, v.Extra)
}

func TestWrongTypesAreErrors(t *testing.T) {
	for _, in := range []string{
		`{"Quantity":"two"}`,
		`{"QuoteLineId":1.5}`,
		`{"ExtraInfo":{}}`,
		`{"IsSubscription":"yes"}`,
		`{"SubscriptionStart":12}`,
		`{"SubscriptionStart":"yesterday"}`,
		`[]`,
		`"line"`,
	} {
		var l QuoteLineInfo
		assert.Error(t, json.Unmarshal([]byte(in), &l), in)
	}
}

func TestVersionAndQuoteFields(t *testing.T) {
	in := `{"quoteversionid":12,"state":"draftnotcalculated","ArchivedState":"SentExpired","SentDate":"2022-06-16T16:21:12.0877887+02:00",
		"ExpirationDate":"2024-01-31T00:00:00","LastRecalculated":"1760-01-01T00:00:00","Updated":"0001-01-01T00:00:00","Status":"Warning","Custom":{"a":1}}`
	v, out := roundTrip[QuoteVersionInfo](t, in)
	assert.Equal(t, 12, v.QuoteVersionId)
	assert.Equal(t, StateDraftNotCalculated, v.State.Code())
	assert.Equal(t, StateOpaque, v.ArchivedState.Code())
	assert.Equal(t, StatusWarning, v.Status)
	m := members(t, out)
	assert.Equal(t, `2`, string(m["State"]))
	assert.Equal(t, `"SentExpired"`, string(m["ArchivedState"]))
	assert.Equal(t, `"2022-06-16T16:21:12.0877887+02:00"`, string(m["SentDate"]))
	assert.Equal(t, `"2024-01-31T00:00:00"`, string(m["ExpirationDate"]))
	assert.Equal(t, `"1760-01-01T00:00:00"`, string(m["LastRecalculated"]))
	assert.Equal(t, `"0001-01-01T00:00:00"`, string(m["Updated"]))
	assert.Equal(t, `"0001-01-01T00:00:00"`, string(m["ApprovedRegisteredDate"]), "unset date")
	assert.Equal(t, `2`, string(m["Status"]))
	assert.Equal(t, `{"a":1}`, string(m["Custom"]))

	q, qout := roundTrip[QuoteInfo](t, `{"quoteid":1,"ponumber":"P-1","ordercomment":"c","PreferredCulture":"nb-NO","X":[1]}`)
	assert.Equal(t, "P-1", q.PoNumber)
	assert.Equal(t, "c", q.OrderComment)
	assert.Equal(t, "nb-NO", q.PreferredCulture)
	qm := members(t, qout)
	assert.Equal(t, `"P-1"`, string(qm["PoNumber"]))
	assert.Equal(t, `[1]`, string(qm["X"]))
	assert.NotContains(t, qm, "ponumber")
}

func TestProductInfoAliases(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want ProductInfo
	}{
		{"docs names", `{"ERPPricelistKey":"logicom:EUR","InAssortement":true,"ERPProductCategoryKey":"cat","ERPProductFamilyKey":"fam","ERPProductTypeKey":"typ","ExtraData":[{"FieldName":"n","FieldValue":"v","FieldType":"image"}]}`,
			ProductInfo{ERPPriceListKey: "logicom:EUR", InAssortment: true, ProductCategoryKey: "cat", ProductFamilyKey: "fam", ProductTypeKey: "typ", ExtraInfo: []ProductExtraDataFieldInfo{{Name: "n", Value: "v", Type: ExtraImage}}}},
		{"sample names", `{"ERPPriceListKey":"x","InAssortment":true,"ProductCategoryKey":"c","ExtraInfo":[{"Name":"n","Value":"v","Type":1}]}`,
			ProductInfo{ERPPriceListKey: "x", InAssortment: true, ProductCategoryKey: "c", ExtraInfo: []ProductExtraDataFieldInfo{{Name: "n", Value: "v", Type: ExtraURL}}}},
		{"InAssortement false overrides", `{"InAssortment":true,"InAssortement":false}`, ProductInfo{InAssortment: false}},
		{"sample key wins over docs key", `{"ProductCategoryKey":"sample","ERPProductCategoryKey":"docs"}`, ProductInfo{ProductCategoryKey: "sample"}},
		{"null", `null`, ProductInfo{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p ProductInfo
			require.NoError(t, json.Unmarshal([]byte(tc.in), &p))
			assert.Equal(t, tc.want, p)
		})
	}
	b, err := json.Marshal(ProductInfo{InAssortment: true})
	require.NoError(t, err)
	m := members(t, b)
	assert.Contains(t, m, "InAssortment")
	assert.NotContains(t, m, "InAssortement")
	assert.NotContains(t, m, "ExtraData")
	assert.Contains(t, m, "ERPPriceListKey")
}

func TestExtraDataFieldAliases(t *testing.T) {
	tests := []struct {
		in   string
		want ProductExtraDataFieldInfo
	}{
		{`{"Name":"a","Value":"b","Type":0}`, ProductExtraDataFieldInfo{Name: "a", Value: "b", Type: ExtraString}},
		{`{"FieldName":"a","FieldValue":"b","FieldType":"Url"}`, ProductExtraDataFieldInfo{Name: "a", Value: "b", Type: ExtraURL}},
		{`{"fieldname":"a","fieldvalue":"b","fieldtype":"IMAGE"}`, ProductExtraDataFieldInfo{Name: "a", Value: "b", Type: ExtraImage}},
		{`{"Name":"main","FieldName":"alias"}`, ProductExtraDataFieldInfo{Name: "main"}},
		{`{"Name":null,"Value":null,"Type":null}`, ProductExtraDataFieldInfo{}},
		{`null`, ProductExtraDataFieldInfo{}},
	}
	for _, tc := range tests {
		var f ProductExtraDataFieldInfo
		require.NoError(t, json.Unmarshal([]byte(tc.in), &f), tc.in)
		assert.Equal(t, tc.want, f, tc.in)
	}
	var f ProductExtraDataFieldInfo
	member, why, ok := InvalidValue(json.Unmarshal([]byte(`{"FieldType":"Video"}`), &f))
	require.True(t, ok)
	assert.Equal(t, "FieldType", member, "named as sent")
	assert.Equal(t, `"Video" is not a valid ExtraDataFieldTypeInfo`, why)
	var te *json.UnmarshalTypeError
	require.ErrorAs(t, json.Unmarshal([]byte(`{"Value":[1]}`), &f), &te)
	assert.Equal(t, "Value", te.Field)
	assert.Equal(t, "array", te.Value)
	require.ErrorAs(t, json.Unmarshal([]byte(`"text"`), &f), &te)
	assert.Equal(t, "string", te.Value)
	b, err := json.Marshal(ProductExtraDataFieldInfo{Name: "n", Value: "v", Type: ExtraURL})
	require.NoError(t, err)
	assert.JSONEq(t, `{"Name":"n","Value":"v","Type":1}`, string(b))
}

func TestAddressTwins(t *testing.T) {
	a := AddressInfo{Line1: "l1", Line2: "l2", Line3: "l3", City: "Oslo", Zip: "0150", ZipGerman: "zg", CountryCode: "NO", Country: "Norway"}
	b, err := json.Marshal(a)
	require.NoError(t, err)
	assert.JSONEq(t, `{"AddressField1":"l1","AddressLine1":"l1","AddressField2":"l2","AddressLine2":"l2","AddressField3":"l3","AddressLine3":"l3",
		"AddressCity":"Oslo","City":"Oslo","AddressZip":"0150","ZipCode":"0150","AddressZipGerman":"zg","CountryCode":"NO","Country":"Norway"}`, string(b))

	empty, err := json.Marshal(AddressInfo{})
	require.NoError(t, err)
	assert.Len(t, members(t, empty), 13, "every twin is emitted even when empty")

	tests := []struct {
		name string
		in   string
		want AddressInfo
	}{
		{"docs names", `{"AddressField1":"a","AddressField2":"b","AddressField3":"c","AddressCity":"d","AddressZip":"e","AddressZipGerman":"f","CountryCode":"g","Country":"h"}`,
			AddressInfo{Line1: "a", Line2: "b", Line3: "c", City: "d", Zip: "e", ZipGerman: "f", CountryCode: "g", Country: "h"}},
		{"sample names", `{"AddressLine1":"a","AddressLine2":"b","AddressLine3":"c","City":"d","ZipCode":"e"}`,
			AddressInfo{Line1: "a", Line2: "b", Line3: "c", City: "d", Zip: "e"}},
		{"lower case", `{"addressline1":"a","city":"d","zipcode":"e","countrycode":"NO"}`, AddressInfo{Line1: "a", City: "d", Zip: "e", CountryCode: "NO"}},
		{"both present", `{"AddressField1":"docs","AddressLine1":"sample"}`, AddressInfo{Line1: "docs"}},
		{"null members", `{"AddressField1":null,"AddressLine1":"x"}`, AddressInfo{Line1: "x"}},
		{"round trip", string(b), a},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := AddressInfo{Line1: "stale"}
			require.NoError(t, json.Unmarshal([]byte(tc.in), &got))
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestAlternativesFolding(t *testing.T) {
	single := &QuoteAlternativeWithLinesInfo{CRMAlternative: &QuoteAlternativeInfo{QuoteAlternativeId: 1}}
	other := &QuoteAlternativeWithLinesInfo{CRMAlternative: &QuoteAlternativeInfo{QuoteAlternativeId: 2}}
	tests := []struct {
		name string
		in   string
		want []int
	}{
		{"array", `{"CRMAlternativesWithLines":[{"CRMAlternative":{"QuoteAlternativeId":1}},{"CRMAlternative":{"QuoteAlternativeId":2}}]}`, []int{1, 2}},
		{"single docs member", `{"CRMQuoteAlternativeWithLines":{"CRMAlternative":{"QuoteAlternativeId":3},"CRMQuoteLines":[{"QuoteLineId":9}]}}`, []int{3}},
		{"array wins over single", `{"CRMAlternativesWithLines":[{"CRMAlternative":{"QuoteAlternativeId":1}}],"CRMQuoteAlternativeWithLines":{"CRMAlternative":{"QuoteAlternativeId":3}}}`, []int{1}},
		{"empty array folds single", `{"CRMAlternativesWithLines":[],"CRMQuoteAlternativeWithLines":{"CRMAlternative":{"QuoteAlternativeId":3}}}`, []int{3}},
		{"null array folds single", `{"CRMAlternativesWithLines":null,"crmquotealternativewithlines":{"CRMAlternative":{"QuoteAlternativeId":4}}}`, []int{4}},
		{"none", `{}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c QuoteVersionContextInfo
			require.NoError(t, json.Unmarshal([]byte(tc.in), &c))
			alts := c.Alternatives()
			var ids []int
			for _, a := range alts {
				ids = append(ids, a.CRMAlternative.QuoteAlternativeId)
			}
			assert.Equal(t, tc.want, ids)
			// Folding is stable: a second call gives the same slice, and the
			// lines are those of the folded alternative.
			assert.Equal(t, alts, c.Alternatives())
		})
	}
	c := QuoteVersionContextInfo{CRMQuoteAlternativeWithLines: single}
	got := c.Alternatives()
	require.Len(t, got, 1)
	assert.Same(t, single, got[0], "the folded alternative is the same object, so edits reach it")
	c2 := QuoteVersionContextInfo{CRMAlternativesWithLines: []*QuoteAlternativeWithLinesInfo{other}, CRMQuoteAlternativeWithLines: single}
	assert.Equal(t, []*QuoteAlternativeWithLinesInfo{other}, c2.Alternatives())
}

func TestParseParty(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want Party
	}{
		{"nil", ``, Party{}},
		{"null", `null`, Party{}},
		{"array", `[1,2]`, Party{}},
		{"string", `"Acme"`, Party{}},
		{"number", `42`, Party{}},
		{"bool", `true`, Party{}},
		{"empty object", `{}`, Party{}},
		{"broken JSON", `{"Name":`, Party{}},
		{"nested address", `{"ContactId":5,"Name":"Acme AS","OrganisationNumber":"999","Email":"a@b.c","Phone":"+47","Address":{"AddressLine1":"Gate 1","City":"Oslo","ZipCode":"0150","CountryCode":"NO"}}`,
			Party{ContactId: 5, Name: "Acme AS", OrganisationNumber: "999", Email: "a@b.c", Phone: "+47", Address: AddressInfo{Line1: "Gate 1", City: "Oslo", Zip: "0150", CountryCode: "NO"}}},
		{"flat address", `{"PersonId":7,"Firstname":"Kari","Lastname":"Nordmann","FullName":"Kari Nordmann","AddressField1":"Vei 2","AddressCity":"Bergen"}`,
			Party{PersonId: 7, Firstname: "Kari", Lastname: "Nordmann", FullName: "Kari Nordmann", Address: AddressInfo{Line1: "Vei 2", City: "Bergen"}}},
		{"lower case", `{"name":"acme","address":{"city":"x"}}`, Party{Name: "acme", Address: AddressInfo{City: "x"}}},
		{"wrong types", `{"Name":5,"Email":"e@x","ContactId":"12"}`, Party{Email: "e@x"}},
		{"null address", `{"Name":"n","Address":null}`, Party{Name: "n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got Party
			require.NotPanics(t, func() { got = ParseParty(json.RawMessage(tc.raw)) })
			assert.Equal(t, tc.want, got)
		})
	}
	// Odd shapes never panic or fail, whatever comes out.
	for _, raw := range []string{`{"Address":"x"}`, `{"Address":[1]}`, `{"Address":{"City":5}}`, `{"AddressLine1":{}}`, `{"Name":{"deep":[{}]}}`, "\x00", `{"Name":"a"}garbage`} {
		assert.NotPanics(t, func() { _ = ParseParty(json.RawMessage(raw)) }, raw)
	}
}

func TestRequestEnvelopes(t *testing.T) {
	var r ValidateRequest
	require.NoError(t, json.Unmarshal([]byte(`{"configvalues":{"logicom.enabled":"[I:1]"},"ConnectionInfo":{"CRMConnectionId":4,"ERPClientKey":"k"},"Action":"Send","QuoteContext":{"UserLanguageCode":"nb-NO"}}`), &r))
	assert.Equal(t, "[I:1]", r.ConfigValues["logicom.enabled"])
	assert.Equal(t, 4, r.ConnectionInfo.CRMConnectionId)
	assert.Equal(t, ActionSendQuote, r.Action)
	assert.Equal(t, "nb-NO", r.QuoteContext.UserLanguageCode)

	var bad ValidateRequest
	member, why, ok := InvalidValue(json.Unmarshal([]byte(`{"Action":"Explode"}`), &bad))
	require.True(t, ok)
	assert.Equal(t, "Action", member)
	assert.Equal(t, `"Explode" is not a valid QuoteAction`, why)
}

func TestSearchRestrictionFieldKeyAndScalarValue(t *testing.T) {
	r, err := decodeInto[SearchRestrictionInfo](`{"fieldkey":"Product.Code","Operator":"in","Values":["A","B"],"ScalarValue":""}`)
	require.NoError(t, err)
	assert.Equal(t, "Code", r.Field())
	assert.Equal(t, []string{"A", "B"}, r.AllValues())
	assert.Equal(t, "A", r.Value())

	r, err = decodeInto[SearchRestrictionInfo](`{"Name":"Code","ScalarValue":"X"}`)
	require.NoError(t, err)
	assert.Equal(t, "Code", r.FieldKey, "Name is an alias")
	assert.Equal(t, "X", r.Value())
	assert.Equal(t, []string{"X"}, r.AllValues())

	r, err = decodeInto[SearchRestrictionInfo](`{"FieldKey":"Name","Name":"Code","Values":["a"],"ScalarValue":"b"}`)
	require.NoError(t, err)
	assert.Equal(t, "Name", r.FieldKey, "FieldKey wins")
	assert.Equal(t, "b", r.Value(), "ScalarValue is the one-value operator's value")

	_, err = decodeInto[SearchRestrictionInfo](`{"FieldKey":3}`)
	assert.Error(t, err)
}
