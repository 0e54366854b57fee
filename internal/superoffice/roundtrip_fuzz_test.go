package superoffice

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzQuoteLineRoundTrip checks that whatever decodes as a QuoteLineInfo
// encodes, decodes again, and then encodes to the same bytes: SuperOffice
// stores what comes back, so a second pass must not change anything.
func FuzzQuoteLineRoundTrip(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`null`,
		`{"QuoteLineId":1,"Quantity":2.5,"ERPProductKey":"logicom:210-AZKS","Status":"Warning","UserValueOverride":"Total"}`,
		`{"erppricelistkey":"best:EUR","VatInfo":"25%","PoNumber":"PO-1","IsIncluded":true,"ParentQuoteLine":3}`,
		`{"ExtraData":[{"FieldName":"Stock","FieldValue":"[I:4]","FieldType":"Url"}],"Nested":{"a":[1,{"b":null}]}}`,
		`{"ExtraInfo":[{"Name":"n","Value":"v","Type":2}],"ExtraData":[{"Name":"x"}]}`,
		`{"SubscriptionStart":"2022-06-16T16:21:12.0877887+02:00","Reason":"US:\"a\";NO:\"b\""}`,
		`{"SubscriptionStart":"0001-01-01T00:00:00","Rank":null,"Name":null,"X":null}`,
		`{"a":1,"A":2,"Quantity":1,"quantity":3}`,
		`{"Zeta":1.0e2,"Alpha":"A&B<>","Beta":"\u00f8\u2028"}`,
		`{"SubTotal":1e300,"TotalPrice":-0,"DiscountPercent":0.1}`,
		`{"ExtraInfo":null,"ExtraData":[]}`,
		`{"ſubTotal":1,"SubTotal":2}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var l1 QuoteLineInfo
		if err := json.Unmarshal(in, &l1); err != nil {
			return
		}
		b1, err := json.Marshal(l1)
		if err != nil {
			t.Fatalf("marshal of decoded %q: %v", in, err)
		}
		var l2 QuoteLineInfo
		if err := json.Unmarshal(b1, &l2); err != nil {
			t.Fatalf("re-decode of %s (from %q): %v", b1, in, err)
		}
		b2, err := json.Marshal(l2)
		if err != nil {
			t.Fatalf("marshal of re-decoded: %v", err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("unstable round trip of %q:\nfirst  %s\nsecond %s", in, b1, b2)
		}
		// Every unknown member survives with its value.
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b2, &m); err != nil {
			t.Fatalf("output is not an object: %s", b2)
		}
		for k := range l1.Extra {
			if _, ok := m[k]; !ok {
				t.Fatalf("unknown member %q lost: %s", k, b2)
			}
		}
	})
}
