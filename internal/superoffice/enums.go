package superoffice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// enumTable names the members of one SuperOffice enum: names[i] is the
// canonical name of the member whose integer is values[i] (i itself when
// values is nil: most enums count from 0 without gaps, FieldMetadataTypeInfo
// does not); aliases map extra accepted names to integers (protocol §6).
// Lookups are case-insensitive.
type enumTable struct {
	typeName string
	goType   reflect.Type
	names    []string
	values   []int
	aliases  map[string]int
}

// value is the integer of the i-th member.
func (t *enumTable) value(i int) int {
	if t.values == nil {
		return i
	}
	return t.values[i]
}

// member reports whether n is the integer of a member, and its index.
func (t *enumTable) member(n int) (int, bool) {
	for i := range t.names {
		if t.value(i) == n {
			return i, true
		}
	}
	return 0, false
}

func (t *enumTable) parse(data []byte) (int, error) {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		return 0, nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return 0, err
		}
		if n, ok := t.lookup(s); ok {
			return n, nil
		}
		return 0, fmt.Errorf("%s: unknown name %q", t.typeName, s)
	}
	n, ok := smallInt(data)
	if !ok {
		return 0, fmt.Errorf("%s: %s is not a member", t.typeName, data)
	}
	if _, ok := t.member(n); !ok {
		return 0, fmt.Errorf("%s: %s is not a member", t.typeName, data)
	}
	return n, nil
}

// smallInt reads a JSON integer of at most 9 digits without allocating
// (enum members are small; anything else is no member anyway).
func smallInt(data []byte) (int, bool) {
	neg := len(data) > 0 && data[0] == '-'
	if neg {
		data = data[1:]
	}
	if len(data) == 0 || len(data) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range data {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func (t *enumTable) lookup(s string) (int, bool) {
	s = strings.TrimSpace(s)
	for i, name := range t.names {
		if strings.EqualFold(name, s) {
			return t.value(i), true
		}
	}
	for alias, n := range t.aliases {
		if strings.EqualFold(alias, s) {
			return n, true
		}
	}
	return 0, false
}

func (t *enumTable) name(n int) string {
	if i, ok := t.member(n); ok {
		return t.names[i]
	}
	return strconv.Itoa(n)
}

func decodeEnum(t *enumTable, data []byte) (int, error) {
	n, err := t.parse(data)
	if err != nil {
		return 0, invalid(t.goType, data)
	}
	return n, nil
}

// readEnum reads the next value of dec as a member of t. The enums'
// UnmarshalJSONFrom methods are what the decoder calls; their UnmarshalJSON
// twins serve encoding/json.
func readEnum(dec *jsontext.Decoder, t *enumTable) (int, error) {
	v, err := dec.ReadValue()
	if err != nil {
		return 0, err
	}
	return decodeEnum(t, v)
}

// writeInt writes an enum as its integer (protocol §1.3).
func writeInt(enc *jsontext.Encoder, n int) error { return enc.WriteToken(jsontext.Int(int64(n))) }

// QuoteStatus is the problem indicator of a line, alternative or version
// (protocol §6.1). ResponseState shares its members (§6.2).
type QuoteStatus int

const (
	StatusOk QuoteStatus = iota
	StatusOkWithInfo
	StatusWarning
	StatusError
)

var quoteStatusTable = &enumTable{typeName: "QuoteStatus", goType: reflect.TypeFor[QuoteStatus](), names: []string{"Ok", "OkWithInfo", "Warning", "Error"}}

func (s QuoteStatus) String() string                            { return quoteStatusTable.name(int(s)) }
func (s QuoteStatus) MarshalJSON() ([]byte, error)              { return []byte(strconv.Itoa(int(s))), nil }
func (s QuoteStatus) MarshalJSONTo(enc *jsontext.Encoder) error { return writeInt(enc, int(s)) }
func (s *QuoteStatus) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	n, err := readEnum(dec, quoteStatusTable)
	*s = QuoteStatus(n)
	return err
}
func (s *QuoteStatus) UnmarshalJSON(b []byte) error {
	n, err := decodeEnum(quoteStatusTable, b)
	*s = QuoteStatus(n)
	return err
}

// Worst returns the more severe of two statuses.
func (s QuoteStatus) Worst(o QuoteStatus) QuoteStatus {
	if o > s {
		return o
	}
	return s
}

// ResponseState is PluginResponseInfo.State (protocol §6.2).
type ResponseState = QuoteStatus

// ValueOverride names the master value of a line or alternative (§6.3, §9.2).
type ValueOverride int

const (
	OverrideNone ValueOverride = iota
	OverrideTotal
	OverrideDiscountPercent
	OverrideDiscountAmount
	OverrideEarningPercent
	OverrideEarningAmount
)

var valueOverrideTable = &enumTable{
	typeName: "ValueOverrideInfo",
	goType:   reflect.TypeFor[ValueOverride](),
	names:    []string{"None", "OverrideTotal", "OverrideDiscountPercent", "OverrideDiscountAmount", "OverrideEarningPercent", "OverrideEarningAmount"},
	aliases:  map[string]int{"Total": 1, "DiscountPercent": 2, "DiscountAmount": 3, "EarningPercent": 4, "EarningAmount": 5},
}

func (v ValueOverride) String() string                            { return valueOverrideTable.name(int(v)) }
func (v ValueOverride) MarshalJSON() ([]byte, error)              { return []byte(strconv.Itoa(int(v))), nil }
func (v ValueOverride) MarshalJSONTo(enc *jsontext.Encoder) error { return writeInt(enc, int(v)) }
func (v *ValueOverride) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	n, err := readEnum(dec, valueOverrideTable)
	*v = ValueOverride(n)
	return err
}
func (v *ValueOverride) UnmarshalJSON(b []byte) error {
	n, err := decodeEnum(valueOverrideTable, b)
	*v = ValueOverride(n)
	return err
}

// VersionState is a QuoteVersionStateInfo code (§6.4, SuperOffice numbering).
type VersionState int

const (
	StateUnknown VersionState = iota
	StateDraft
	StateDraftNotCalculated
	StateDraftNeedsApproval
	StateDraftApproved
	StateDraftNotApproved
	StateSent
	StateArchived
	StateLost
	StateSold
	// StateOpaque marks a value outside SuperOffice's enum; it is kept as
	// received and §11 leaves it alone.
	StateOpaque VersionState = -1
)

var versionStateTable = &enumTable{
	typeName: "QuoteVersionStateInfo",
	goType:   reflect.TypeFor[QuoteVersionState](),
	names:    []string{"Unknown", "Draft", "DraftNotCalculated", "DraftNeedsApproval", "DraftApproved", "DraftNotApproved", "Sent", "Archived", "Lost", "Sold"},
	aliases:  map[string]int{"DraftCalculated": 1, "DraftApprovalRejected": 5, "Rejected": 8, "Ordered": 9},
}

func (s VersionState) String() string { return versionStateTable.name(int(s)) }

// QuoteVersionState is the wire form of a version's State: a known code, or
// an opaque value re-emitted byte for byte (§6.4).
type QuoteVersionState struct {
	code   VersionState
	opaque json.RawMessage
}

// StateOf returns the wire value for a known state.
func StateOf(c VersionState) QuoteVersionState { return QuoteVersionState{code: c} }

// Code returns the state, or StateOpaque for a value SuperOffice's enum lacks.
func (s QuoteVersionState) Code() VersionState {
	if s.opaque != nil {
		return StateOpaque
	}
	return s.code
}

func (s QuoteVersionState) MarshalJSON() ([]byte, error) {
	if s.opaque != nil {
		return s.opaque, nil
	}
	return []byte(strconv.Itoa(int(s.code))), nil
}

func (s QuoteVersionState) MarshalJSONTo(enc *jsontext.Encoder) error {
	if s.opaque != nil {
		return enc.WriteValue(jsontext.Value(s.opaque))
	}
	return writeInt(enc, int(s.code))
}

func (s *QuoteVersionState) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return s.UnmarshalJSON(v)
}

func (s *QuoteVersionState) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*s = QuoteVersionState{}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if n, err := versionStateTable.parse(b); err == nil {
		s.code = VersionState(n)
		return nil
	}
	// Opaque: any other string or integer is kept as received.
	if b[0] == '"' || (b[0] >= '0' && b[0] <= '9') || b[0] == '-' {
		var probe any
		if err := json.Unmarshal(b, &probe); err != nil {
			return err
		}
		switch probe.(type) {
		case string, float64:
			s.opaque = append(json.RawMessage(nil), b...)
			return nil
		}
	}
	return invalid(versionStateTable.goType, b)
}

// QuoteAction is why ValidateQuoteVersion was called (§6.5).
type QuoteAction int

const (
	ActionUnknown QuoteAction = iota
	ActionValidate
	ActionSendQuote
	ActionPlaceOrder
	ActionUpdatePrices
)

var quoteActionTable = &enumTable{
	typeName: "QuoteAction",
	goType:   reflect.TypeFor[QuoteAction](),
	names:    []string{"Unknown", "Validate", "SendQuote", "PlaceOrder", "UpdatePrices"},
	aliases:  map[string]int{"Send": 2, "UpdatePrice": 4},
}

func (a QuoteAction) String() string                            { return quoteActionTable.name(int(a)) }
func (a QuoteAction) MarshalJSON() ([]byte, error)              { return []byte(strconv.Itoa(int(a))), nil }
func (a QuoteAction) MarshalJSONTo(enc *jsontext.Encoder) error { return writeInt(enc, int(a)) }
func (a *QuoteAction) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	n, err := readEnum(dec, quoteActionTable)
	*a = QuoteAction(n)
	return err
}
func (a *QuoteAction) UnmarshalJSON(b []byte) error {
	n, err := decodeEnum(quoteActionTable, b)
	*a = QuoteAction(n)
	return err
}

// FieldType is FieldMetadataTypeInfo (§6.6).
type FieldType int

const (
	FieldCheckbox FieldType = iota
	FieldText
	FieldPassword
	FieldInteger
	FieldDouble
	FieldList
	FieldDate
	// FieldLabel is 99, not 7: SuperOffice's REST API enum and its
	// published OpenAPI document ([0,1,2,3,4,5,6,99]), protocol §6.6.
	FieldLabel FieldType = 99
)

var fieldTypeTable = &enumTable{
	typeName: "FieldMetadataTypeInfo",
	goType:   reflect.TypeFor[FieldType](),
	names:    []string{"Checkbox", "Text", "Password", "Integer", "Double", "List", "Date", "Label"},
	values:   []int{0, 1, 2, 3, 4, 5, 6, 99},
	aliases:  map[string]int{"Datetime": 6},
}

func (f FieldType) String() string                            { return fieldTypeTable.name(int(f)) }
func (f FieldType) MarshalJSON() ([]byte, error)              { return []byte(strconv.Itoa(int(f))), nil }
func (f FieldType) MarshalJSONTo(enc *jsontext.Encoder) error { return writeInt(enc, int(f)) }
func (f *FieldType) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	n, err := readEnum(dec, fieldTypeTable)
	*f = FieldType(n)
	return err
}
func (f *FieldType) UnmarshalJSON(b []byte) error {
	n, err := decodeEnum(fieldTypeTable, b)
	*f = FieldType(n)
	return err
}

// FieldAccess is FieldAccessInfo (§6.7).
type FieldAccess int

const (
	AccessNormal FieldAccess = iota
	AccessMandatory
	AccessReadOnly
)

var fieldAccessTable = &enumTable{typeName: "FieldAccessInfo", goType: reflect.TypeFor[FieldAccess](), names: []string{"Normal", "Mandatory", "ReadOnly"}}

func (f FieldAccess) String() string                            { return fieldAccessTable.name(int(f)) }
func (f FieldAccess) MarshalJSON() ([]byte, error)              { return []byte(strconv.Itoa(int(f))), nil }
func (f FieldAccess) MarshalJSONTo(enc *jsontext.Encoder) error { return writeInt(enc, int(f)) }
func (f *FieldAccess) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	n, err := readEnum(dec, fieldAccessTable)
	*f = FieldAccess(n)
	return err
}
func (f *FieldAccess) UnmarshalJSON(b []byte) error {
	n, err := decodeEnum(fieldAccessTable, b)
	*f = FieldAccess(n)
	return err
}

// ExtraDataType is ExtraDataFieldTypeInfo (§6.8).
type ExtraDataType int

const (
	ExtraString ExtraDataType = iota
	ExtraURL
	ExtraImage
)

var extraDataTypeTable = &enumTable{typeName: "ExtraDataFieldTypeInfo", goType: reflect.TypeFor[ExtraDataType](), names: []string{"String", "Url", "Image"}}

func (e ExtraDataType) String() string                            { return extraDataTypeTable.name(int(e)) }
func (e ExtraDataType) MarshalJSON() ([]byte, error)              { return []byte(strconv.Itoa(int(e))), nil }
func (e ExtraDataType) MarshalJSONTo(enc *jsontext.Encoder) error { return writeInt(enc, int(e)) }
func (e *ExtraDataType) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	n, err := readEnum(dec, extraDataTypeTable)
	*e = ExtraDataType(n)
	return err
}
func (e *ExtraDataType) UnmarshalJSON(b []byte) error {
	n, err := decodeEnum(extraDataTypeTable, b)
	*e = ExtraDataType(n)
	return err
}

var enumTables = []*enumTable{quoteStatusTable, valueOverrideTable, versionStateTable, quoteActionTable, fieldTypeTable, fieldAccessTable, extraDataTypeTable}

// EnumNames lists the canonical member names of each enum, by type name; the
// OpenAPI document and its test use it.
func EnumNames() map[string][]string {
	out := map[string][]string{}
	for _, t := range enumTables {
		out[t.typeName] = append([]string(nil), t.names...)
	}
	return out
}

// EnumValues lists the integers of each enum's members, by type name, in
// the order of EnumNames.
func EnumValues() map[string][]int {
	out := map[string][]int{}
	for _, t := range enumTables {
		vs := make([]int, len(t.names))
		for i := range vs {
			vs[i] = t.value(i)
		}
		out[t.typeName] = vs
	}
	return out
}
