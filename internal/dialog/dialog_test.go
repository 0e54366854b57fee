package dialog

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/settings"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// The dialog of the service with its distributors is pinned in
// internal/app (contract) and internal/handlers (the whole answer, byte
// for byte); these tests lay out groups of no one.

var multiLang = regexp.MustCompile(`^US:"[^"]+";NO:"[^"]+";GE:"[^"]+"$`)

func langs(s string) settings.Text { return settings.Text{US: s, NO: s + " (no)", GE: s + " (ge)"} }

var groups = []settings.Group{
	{Fields: []settings.Field{
		{Key: "general.section", Kind: settings.KindLabel, Name: langs("General")},
		{Key: "acme.enabled", Kind: settings.KindCheckbox, Default: "0", Name: langs("Use Acme"), Help: langs("Order at Acme")},
		{Key: "pricing.listPrice", Kind: settings.KindList, Default: "markup", List: "qc_listprice_source", Name: langs("List price")},
	}},
	{Title: "Acme", Fields: []settings.Field{
		{Key: "acme.section", Kind: settings.KindLabel, Name: langs("Acme")},
		{Key: "acme.apiKey", Kind: settings.KindPassword, Required: true, Name: langs("Acme API key"), Help: langs("From Acme's portal")},
		{Key: "acme.account", Kind: settings.KindText, Required: true, Name: langs("Acme account")},
		{Key: "acme.count", Kind: settings.KindInteger, Default: "4", Name: langs("Count")},
		{Key: "acme.ratio", Kind: settings.KindDouble, Name: langs("Ratio")},
	}},
}

func TestFields(t *testing.T) {
	fields := Fields(groups)
	require.Len(t, fields, 8)

	// Ranks by group: the first 101..., the second 201..., each opened by
	// its label.
	ranks := map[string]int{}
	for k, f := range fields {
		assert.Equal(t, k, f.FieldKey)
		ranks[k] = f.Rank
	}
	assert.Equal(t, map[string]int{"general.section": 101, "acme.enabled": 102, "pricing.listPrice": 103,
		"acme.section": 201, "acme.apiKey": 202, "acme.account": 203, "acme.count": 204, "acme.ratio": 205}, ranks)

	// Kinds as SuperOffice numbers them; a label is 99.
	types := map[string]so.FieldType{}
	for k, f := range fields {
		types[k] = f.FieldType
	}
	assert.Equal(t, map[string]so.FieldType{"general.section": so.FieldLabel, "acme.enabled": so.FieldCheckbox, "pricing.listPrice": so.FieldList,
		"acme.section": so.FieldLabel, "acme.apiKey": so.FieldPassword, "acme.account": so.FieldText, "acme.count": so.FieldInteger, "acme.ratio": so.FieldDouble}, types)
	assert.Equal(t, so.FieldType(99), fields["acme.section"].FieldType)

	// Texts in three languages; without help the name describes the field.
	for k, f := range fields {
		assert.Regexp(t, multiLang, f.DisplayName, k)
		assert.Regexp(t, multiLang, f.DisplayDescription, k)
	}
	assert.Equal(t, `US:"Use Acme";NO:"Use Acme (no)";GE:"Use Acme (ge)"`, fields["acme.enabled"].DisplayName)
	assert.Equal(t, `US:"Order at Acme";NO:"Order at Acme (no)";GE:"Order at Acme (ge)"`, fields["acme.enabled"].DisplayDescription)
	assert.Equal(t, fields["acme.ratio"].DisplayName, fields["acme.ratio"].DisplayDescription)

	// Required fields are Mandatory and say when they are needed, naming
	// the group's title.
	assert.Equal(t, so.AccessMandatory, fields["acme.apiKey"].Access)
	assert.Equal(t, `US:"From Acme's portal. Needed when Acme is used";NO:"From Acme's portal (no). Påkrevd når Acme brukes";GE:"From Acme's portal (ge). Erforderlich, wenn Acme verwendet wird"`,
		fields["acme.apiKey"].DisplayDescription)
	assert.Contains(t, fields["acme.account"].DisplayDescription, `US:"Acme account. Needed when Acme is used"`)
	assert.Equal(t, so.AccessNormal, fields["acme.count"].Access)

	// Defaults and list names as described.
	assert.Equal(t, "4", fields["acme.count"].DefaultValue)
	assert.Equal(t, "qc_listprice_source", fields["pricing.listPrice"].ListName)
	assert.Empty(t, fields["acme.count"].ListName)

	// Every neutral kind has a SuperOffice type.
	for k := settings.KindText; k <= settings.KindLabel; k++ {
		_, ok := kinds[k]
		assert.True(t, ok, "kind %d", k)
	}
}

func TestItems(t *testing.T) {
	items := Items(settings.List{Name: "qc_x", Items: []settings.ListItem{{Key: "a", Name: langs("A")}, {Key: "b", Name: langs("B")}}})
	assert.Equal(t, []so.QuoteListItemInfo{
		{ERPQuoteListItemKey: "a", DisplayValue: `US:"A";NO:"A (no)";GE:"A (ge)"`},
		{ERPQuoteListItemKey: "b", DisplayValue: `US:"B";NO:"B (no)";GE:"B (ge)"`},
	}, items)
	assert.NotNil(t, Items(settings.List{}), "an array, never null")
}
