package settings

import "slices"

// Text is a user-facing text of the admin dialog in the languages
// SuperOffice must be given (protocol §1.5).
type Text struct {
	US, NO, GE string
}

// Kind is how the admin dialog edits a setting (configuration.md's
// "Type" column).
type Kind int

// The kinds of dialog fields; the zero Kind is none, so a field must say.
const (
	KindText Kind = iota + 1
	// KindPassword is a credential: remembered only encrypted, never
	// logged, shown to an operator as set or unset.
	KindPassword
	KindCheckbox
	KindInteger
	KindDouble
	// KindList picks one item of the dialog list Field.List names.
	KindList
	// KindLabel is a group heading, no setting.
	KindLabel
)

// Field describes one ConfigValues key for the admin dialog
// (GetConfigurationFields), in neutral terms.
type Field struct {
	Key     string
	Kind    Kind
	Default string
	// List names the dialog list a KindList field picks from (List.Name).
	List string
	// Required fields are Mandatory in the dialog.
	Required bool
	Name     Text
	// Help is the field's description; empty shows the name.
	Help Text
}

// List is one of the dialog's own lists, answered by GetQuoteList without
// any capability and without reading ConfigValues (protocol §4.2 #1).
type List struct {
	Name  string
	Items []ListItem
}

// ListItem is a value a KindList field may take.
type ListItem struct {
	Key  string
	Name Text
}

// Section is one distributor's part of the admin dialog. The registry
// titles the distributor's group with a label ("<name>.section") and opens
// it with the group's Fields.
type Section struct {
	// Use is the distributor's checkbox among the general settings,
	// "<name>.enabled".
	Use Field
	// Fields are the distributor's own group, in order.
	Fields []Field
	// Lists are the dialog lists its KindList fields name.
	Lists []List
	// Order places the distributor where users see the distributors in
	// configuration.md's order: its group in the dialog, its problems in
	// TestConnection, its row on the console (ascending; ties keep the
	// registry's order).
	Order int
}

// Group is one group of the admin dialog, in order: its label first.
type Group struct {
	// Title names whose settings the group holds, for texts that need it
	// ("Needed when Logicom is used"); empty for the general group.
	Title  string
	Fields []Field
}

// ListListPriceSource is the dialog list of pricing.listPrice.
const ListListPriceSource = "qc_listprice_source"

// GeneralLabel opens the dialog's general group; the distributors' Use
// checkboxes follow it, then GeneralFields.
func GeneralLabel() Field {
	return Field{Key: "general.section", Kind: KindLabel, Name: Text{US: "General", NO: "Generelt", GE: "Allgemein"}}
}

// GeneralFields are the general settings' fields, in dialog order.
func GeneralFields() []Field { return slices.Clone(generalFields) }

// GeneralLists are the dialog lists the general fields name.
func GeneralLists() []List { return slices.Clone(generalLists) }

var generalFields = []Field{
	{Key: KeyPricingListPrice, Kind: KindList, Default: "markup", List: ListListPriceSource, Name: Text{US: "List price", NO: "Listepris", GE: "Listenpreis"}, Help: Text{US: "Distributor RRP when it has one, or cost plus markup", NO: "Distributørens veiledende pris når den finnes, eller kost pluss påslag", GE: "UVP des Distributors, falls vorhanden, oder Kosten plus Aufschlag"}},
	{Key: KeyPricingMarkupPercent, Kind: KindDouble, Default: "20", Name: Text{US: "Markup %", NO: "Påslag %", GE: "Aufschlag %"}, Help: Text{US: "Markup on distributor cost, percent", NO: "Påslag på distributørens kost, prosent", GE: "Aufschlag auf den Einkaufspreis, Prozent"}},
	{Key: KeyPricingMinMarginPercent, Kind: KindDouble, Default: "5", Name: Text{US: "Minimum margin %", NO: "Minste margin %", GE: "Mindestmarge %"}, Help: Text{US: "Lowest allowed price = cost plus this percent", NO: "Laveste tillatte pris = kost pluss denne prosenten", GE: "Niedrigster erlaubter Preis = Kosten plus dieser Prozentsatz"}},
	{Key: KeySearchMaxResults, Kind: KindInteger, Default: "50", Name: Text{US: "Maximum search results", NO: "Maks antall søkeresultater", GE: "Maximale Suchergebnisse"}, Help: Text{US: "Cap on products returned by a search, at most 500", NO: "Øvre grense for produkter i et søk, høyst 500", GE: "Obergrenze für Produkte pro Suche, höchstens 500"}},
	{Key: KeyPricingCurrencies, Kind: KindText, Name: Text{US: "Quote currencies", NO: "Tilbudsvalutaer", GE: "Angebotswährungen"},
		Help: Text{
			US: "Comma list of ISO codes offered as converted price lists besides each distributor's own currencies, e.g. NOK,SEK,DKK. Empty: every currency the exchange rates know",
			NO: "Kommaliste med ISO-koder som tilbys som omregnede prislister i tillegg til distributørenes egne valutaer, f.eks. NOK,SEK,DKK. Tom: alle valutaer valutakursene kjenner",
			GE: "Kommaliste von ISO-Codes, die zusätzlich zu den Währungen der Distributoren als umgerechnete Preislisten angeboten werden, z. B. NOK,SEK,DKK. Leer: alle Währungen, die die Wechselkurse kennen",
		}},
	{Key: KeyPricingFXMarginPercent, Kind: KindDouble, Default: "0", Name: Text{US: "Currency margin %", NO: "Valutamargin %", GE: "Währungsaufschlag %"},
		Help: Text{
			US: "Added to a converted cost for the currency risk, percent (0 to 100)",
			NO: "Legges til en omregnet kost for valutarisikoen, prosent (0 til 100)",
			GE: "Wird einem umgerechneten Einkaufspreis für das Währungsrisiko hinzugefügt, Prozent (0 bis 100)",
		}},
	{Key: KeyPricingFXRates, Kind: KindText, Name: Text{US: "Fixed exchange rates", NO: "Faste valutakurser", GE: "Feste Wechselkurse"},
		Help: Text{
			US: "Rates that replace the daily reference rates for this connection, units per 1 EUR, e.g. NOK=11.7215,SEK=11.0480",
			NO: "Kurser som erstatter de daglige referansekursene for denne koblingen, enheter per 1 EUR, f.eks. NOK=11.7215,SEK=11.0480",
			GE: "Kurse, die für diese Verbindung die täglichen Referenzkurse ersetzen, Einheiten je 1 EUR, z. B. NOK=11.7215,SEK=11.0480",
		}},
}

var generalLists = []List{
	{Name: ListListPriceSource, Items: []ListItem{
		{Key: "markup", Name: Text{US: "Cost plus markup", NO: "Kost pluss påslag", GE: "Kosten plus Aufschlag"}},
		{Key: "rrp", Name: Text{US: "Distributor RRP", NO: "Distributørens veiledende pris", GE: "UVP des Distributors"}},
	}},
}
