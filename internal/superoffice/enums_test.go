package superoffice

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type enumCase struct {
	in   string
	want int
}

func decodeInto[T any](in string) (T, error) {
	var v T
	err := json.Unmarshal([]byte(in), &v)
	return v, err
}

func TestEnumsDecode(t *testing.T) {
	tests := []struct {
		name   string
		decode func(string) (int, error)
		encode func(int) (string, error)
		ok     []enumCase
		bad    []string
	}{
		{
			name:   "QuoteStatus",
			decode: func(s string) (int, error) { v, err := decodeInto[QuoteStatus](s); return int(v), err },
			encode: func(n int) (string, error) { b, err := json.Marshal(QuoteStatus(n)); return string(b), err },
			ok:     []enumCase{{`0`, 0}, {`3`, 3}, {`"Ok"`, 0}, {`"okwithinfo"`, 1}, {`"WARNING"`, 2}, {`"Error"`, 3}, {`" error "`, 3}, {`null`, 0}},
			bad:    []string{`4`, `-1`, `"Fatal"`, `""`, `1.5`, `true`, `{}`, `[]`, `"OK1"`},
		},
		{
			name:   "ValueOverride",
			decode: func(s string) (int, error) { v, err := decodeInto[ValueOverride](s); return int(v), err },
			encode: func(n int) (string, error) { b, err := json.Marshal(ValueOverride(n)); return string(b), err },
			ok: []enumCase{{`0`, 0}, {`5`, 5}, {`"None"`, 0}, {`"OverrideTotal"`, 1}, {`"Total"`, 1}, {`"total"`, 1},
				{`"DiscountPercent"`, 2}, {`"overridediscountpercent"`, 2}, {`"DiscountAmount"`, 3}, {`"EarningPercent"`, 4}, {`"EARNINGAMOUNT"`, 5}, {`"OverrideEarningAmount"`, 5}},
			bad: []string{`6`, `-1`, `"Override"`, `"Price"`, `false`},
		},
		{
			name:   "QuoteAction",
			decode: func(s string) (int, error) { v, err := decodeInto[QuoteAction](s); return int(v), err },
			encode: func(n int) (string, error) { b, err := json.Marshal(QuoteAction(n)); return string(b), err },
			ok:     []enumCase{{`0`, 0}, {`4`, 4}, {`"Unknown"`, 0}, {`"Validate"`, 1}, {`"SendQuote"`, 2}, {`"Send"`, 2}, {`"send"`, 2}, {`"PlaceOrder"`, 3}, {`"UpdatePrices"`, 4}, {`"UpdatePrice"`, 4}},
			bad:    []string{`5`, `"Order"`, `"Sent"`},
		},
		{
			name:   "FieldType",
			decode: func(s string) (int, error) { v, err := decodeInto[FieldType](s); return int(v), err },
			encode: func(n int) (string, error) { b, err := json.Marshal(FieldType(n)); return string(b), err },
			// Label is 99 in SuperOffice's enum (protocol §6.6, its OpenAPI
			// document: [0,1,2,3,4,5,6,99]); 7 is no member.
			ok:  []enumCase{{`0`, 0}, {`6`, 6}, {`99`, 99}, {`"Checkbox"`, 0}, {`"Text"`, 1}, {`"Password"`, 2}, {`"Integer"`, 3}, {`"Double"`, 4}, {`"List"`, 5}, {`"Date"`, 6}, {`"Datetime"`, 6}, {`"DATETIME"`, 6}, {`"Label"`, 99}, {`"label"`, 99}},
			bad: []string{`7`, `8`, `98`, `100`, `"Number"`, `"DateTimeOffset"`},
		},
		{
			name:   "FieldAccess",
			decode: func(s string) (int, error) { v, err := decodeInto[FieldAccess](s); return int(v), err },
			encode: func(n int) (string, error) { b, err := json.Marshal(FieldAccess(n)); return string(b), err },
			ok:     []enumCase{{`0`, 0}, {`"Normal"`, 0}, {`"mandatory"`, 1}, {`"ReadOnly"`, 2}, {`2`, 2}},
			bad:    []string{`3`, `"Hidden"`},
		},
		{
			name:   "ExtraDataType",
			decode: func(s string) (int, error) { v, err := decodeInto[ExtraDataType](s); return int(v), err },
			encode: func(n int) (string, error) { b, err := json.Marshal(ExtraDataType(n)); return string(b), err },
			ok:     []enumCase{{`0`, 0}, {`"String"`, 0}, {`"url"`, 1}, {`"Image"`, 2}},
			bad:    []string{`3`, `"Link"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range tc.ok {
				got, err := tc.decode(c.in)
				require.NoError(t, err, c.in)
				assert.Equal(t, c.want, got, c.in)
				out, err := tc.encode(got)
				require.NoError(t, err)
				assert.JSONEq(t, jsonInt(c.want), out, "emitted as an integer")
			}
			for _, in := range tc.bad {
				_, err := tc.decode(in)
				_, why, ok := InvalidValue(err)
				require.True(t, ok, "%s must be an invalid value: %v", in, err)
				assert.Contains(t, why, " is not a valid ")
			}
		})
	}
}

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestEnumErrorNamesMemberValueAndType(t *testing.T) {
	_, err := decodeInto[QuoteStatus](`"Fatal"`)
	member, why, ok := InvalidValue(err)
	require.True(t, ok)
	assert.Equal(t, "", member, "top level")
	assert.Equal(t, `"Fatal" is not a valid QuoteStatus`, why)

	// Inside a carrier the error names the member, through the carrier's
	// own UnmarshalJSON.
	_, err = decodeInto[QuoteLineInfo](`{"UserValueOverride":"Everything"}`)
	member, why, ok = InvalidValue(err)
	require.True(t, ok)
	assert.Equal(t, "UserValueOverride", member)
	assert.Equal(t, `"Everything" is not a valid ValueOverrideInfo`, why)
	_, err = decodeInto[QuoteAlternativeInfo](`{"Status":9}`)
	member, why, _ = InvalidValue(err)
	assert.Equal(t, "Status", member)
	assert.Equal(t, "9 is not a valid QuoteStatus", why)
	_, err = decodeInto[QuoteVersionContextInfo](`{"CRMQuoteVersion":{"Status":"bad"}}`)
	member, _, _ = InvalidValue(err)
	assert.Equal(t, "CRMQuoteVersion.Status", member)
	_, err = decodeInto[QuoteVersionInfo](`{"SentDate":"soon"}`)
	member, why, _ = InvalidValue(err)
	assert.Equal(t, "SentDate", member)
	assert.Equal(t, `"soon" is not an ISO 8601 date`, why)

	// A long value is cut.
	_, err = decodeInto[QuoteStatus](`"` + strings.Repeat("ø", 100) + `"`)
	_, why, _ = InvalidValue(err)
	assert.Less(t, len(why), 120)
	assert.True(t, utf8.ValidString(why))

	// Other errors are not invalid values.
	_, _, ok = InvalidValue(json.Unmarshal([]byte(`{"Quantity":"x"}`), &QuoteLineInfo{}))
	assert.False(t, ok)
	_, _, ok = InvalidValue(nil)
	assert.False(t, ok)
}

func TestEnumStrings(t *testing.T) {
	assert.Equal(t, "Warning", StatusWarning.String())
	assert.Equal(t, "OverrideEarningPercent", OverrideEarningPercent.String())
	assert.Equal(t, "DraftNeedsApproval", StateDraftNeedsApproval.String())
	assert.Equal(t, "SendQuote", ActionSendQuote.String())
	assert.Equal(t, "Date", FieldDate.String())
	assert.Equal(t, "ReadOnly", AccessReadOnly.String())
	assert.Equal(t, "Url", ExtraURL.String())
	assert.Equal(t, "42", QuoteStatus(42).String())
	assert.Equal(t, "-1", StateOpaque.String())
}

func TestEnumOrdinals(t *testing.T) {
	// SuperOffice's numbering (protocol §6).
	assert.Equal(t, []int{0, 1, 2, 3}, []int{int(StatusOk), int(StatusOkWithInfo), int(StatusWarning), int(StatusError)})
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5}, []int{int(OverrideNone), int(OverrideTotal), int(OverrideDiscountPercent), int(OverrideDiscountAmount), int(OverrideEarningPercent), int(OverrideEarningAmount)})
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, []int{int(StateUnknown), int(StateDraft), int(StateDraftNotCalculated), int(StateDraftNeedsApproval),
		int(StateDraftApproved), int(StateDraftNotApproved), int(StateSent), int(StateArchived), int(StateLost), int(StateSold)})
	assert.Equal(t, []int{0, 1, 2, 3, 4}, []int{int(ActionUnknown), int(ActionValidate), int(ActionSendQuote), int(ActionPlaceOrder), int(ActionUpdatePrices)})
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 99}, []int{int(FieldCheckbox), int(FieldText), int(FieldPassword), int(FieldInteger), int(FieldDouble), int(FieldList), int(FieldDate), int(FieldLabel)})
	assert.Equal(t, "Label", FieldLabel.String())

	names := EnumNames()
	assert.Equal(t, []string{"Ok", "OkWithInfo", "Warning", "Error"}, names["QuoteStatus"])
	assert.Equal(t, []string{"Unknown", "Draft", "DraftNotCalculated", "DraftNeedsApproval", "DraftApproved", "DraftNotApproved", "Sent", "Archived", "Lost", "Sold"}, names["QuoteVersionStateInfo"])
	assert.Len(t, names, 7)
	values := EnumValues()
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 99}, values["FieldMetadataTypeInfo"])
	assert.Equal(t, []int{0, 1, 2, 3}, values["QuoteStatus"])
	for typ, ns := range names {
		assert.Len(t, values[typ], len(ns), typ)
	}
	names["QuoteStatus"][0] = "changed"
	assert.Equal(t, "Ok", EnumNames()["QuoteStatus"][0], "EnumNames returns a copy")
}

func TestWorst(t *testing.T) {
	assert.Equal(t, StatusError, StatusOk.Worst(StatusError))
	assert.Equal(t, StatusError, StatusError.Worst(StatusWarning))
	assert.Equal(t, StatusOkWithInfo, StatusOkWithInfo.Worst(StatusOk))
}

func TestQuoteVersionState(t *testing.T) {
	tests := []struct {
		in     string
		code   VersionState
		out    string // emitted form
		opaque bool
	}{
		{`0`, StateUnknown, `0`, false},
		{`1`, StateDraft, `1`, false},
		{`9`, StateSold, `9`, false},
		{`"Draft"`, StateDraft, `1`, false},
		{`"DraftCalculated"`, StateDraft, `1`, false},
		{`"draftcalculated"`, StateDraft, `1`, false},
		{`"DraftNotCalculated"`, StateDraftNotCalculated, `2`, false},
		{`"DraftApprovalRejected"`, StateDraftNotApproved, `5`, false},
		{`"Rejected"`, StateLost, `8`, false},
		{`"Ordered"`, StateSold, `9`, false},
		{`"SENT"`, StateSent, `6`, false},
		{`null`, StateUnknown, `0`, false},
		{`"SentExpired"`, StateOpaque, `"SentExpired"`, true},
		{`"sentexpired"`, StateOpaque, `"sentexpired"`, true},
		{`42`, StateOpaque, `42`, true},
		{`10`, StateOpaque, `10`, true},
		{`-3`, StateOpaque, `-3`, true},
		{`""`, StateOpaque, `""`, true},
		{`"Distribu\u00f8ren"`, StateOpaque, `"Distribu\u00f8ren"`, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var s QuoteVersionState
			require.NoError(t, json.Unmarshal([]byte(tc.in), &s))
			assert.Equal(t, tc.code, s.Code())
			b, err := s.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tc.out, string(b), "emitted byte for byte")

			// Inside a version, through json.Marshal.
			v, out := roundTrip[QuoteVersionInfo](t, `{"State":`+tc.in+`,"ArchivedState":`+tc.in+`}`)
			assert.Equal(t, tc.code, v.State.Code())
			m := members(t, out)
			assert.Equal(t, tc.out, string(m["State"]))
			assert.Equal(t, tc.out, string(m["ArchivedState"]))
		})
	}
	for _, bad := range []string{`true`, `{}`, `[1]`, `{"State":1}`} {
		var s QuoteVersionState
		_, why, ok := InvalidValue(json.Unmarshal([]byte(bad), &s))
		require.True(t, ok, bad)
		assert.Equal(t, bad+" is not a valid QuoteVersionStateInfo", why)
	}
	assert.Equal(t, StateSent, StateOf(StateSent).Code())
	b, err := json.Marshal(StateOf(StateDraftNeedsApproval))
	require.NoError(t, err)
	assert.Equal(t, `3`, string(b))
	var zero QuoteVersionState
	assert.Equal(t, StateUnknown, zero.Code())

	// A decoded opaque value does not share memory with the input.
	in := []byte(`"SentExpired"`)
	var s QuoteVersionState
	require.NoError(t, s.UnmarshalJSON(in))
	copy(in, `"XXXXXXXXXXX"`)
	out, _ := s.MarshalJSON()
	assert.Equal(t, `"SentExpired"`, string(out))
}
