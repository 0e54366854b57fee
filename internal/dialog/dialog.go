// Package dialog is the admin dialog of a quote connection
// (GetConfigurationFields, protocol §4.2 #1) and its own lists: how
// SuperOffice shows and edits the ConfigValues that package settings reads.
package dialog

import (
	"strings"

	"github.com/quoteconnector/quoteconnector/internal/settings"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// Names of the dialog's own lists, answered by GetQuoteList without any
// capability and without reading ConfigValues (protocol §4.2 #1).
const (
	ListListPriceSource    = "qc_listprice_source"
	ListLogicomEnvironment = "qc_logicom_environment"
)

// field is one row of the admin dialog.
type field struct {
	key      string
	kind     so.FieldType
	def      string
	list     string
	required bool
	name     so.Text
	help     so.Text
}

// The dialog, grouped by distributor: general settings rank 10..., Logicom
// 100..., Westcon 200..., Nuvias 300... Each group opens with a label.
var dialog = []field{
	{key: "general.section", kind: so.FieldLabel, name: so.Text{US: "General", NO: "Generelt", GE: "Allgemein"}},
	{key: settings.KeyLogicomEnabled, kind: so.FieldCheckbox, def: "0", name: so.Text{US: "Use Logicom", NO: "Bruk Logicom", GE: "Logicom verwenden"}, help: so.Text{US: "Search, price and order products at Logicom", NO: "Søk, pris og bestill produkter hos Logicom", GE: "Produkte bei Logicom suchen, bepreisen und bestellen"}},
	{key: settings.KeyNuviasEnabled, kind: so.FieldCheckbox, def: "0", name: so.Text{US: "Use Nuvias", NO: "Bruk Nuvias", GE: "Nuvias verwenden"}, help: so.Text{US: "Search, price and order products at Nuvias Hub", NO: "Søk, pris og bestill produkter hos Nuvias Hub", GE: "Produkte bei Nuvias Hub suchen, bepreisen und bestellen"}},
	{key: settings.KeyWestconEnabled, kind: so.FieldCheckbox, def: "0", name: so.Text{US: "Use Westcon", NO: "Bruk Westcon", GE: "Westcon verwenden"}, help: so.Text{US: "Read the status of Westcon orders", NO: "Les status for Westcon-ordrer", GE: "Status von Westcon-Bestellungen abrufen"}},
	{key: settings.KeyPricingListPrice, kind: so.FieldList, def: "markup", list: ListListPriceSource, name: so.Text{US: "List price", NO: "Listepris", GE: "Listenpreis"}, help: so.Text{US: "Distributor RRP when it has one, or cost plus markup", NO: "Distributørens veiledende pris når den finnes, eller kost pluss påslag", GE: "UVP des Distributors, falls vorhanden, oder Kosten plus Aufschlag"}},
	{key: settings.KeyPricingMarkupPercent, kind: so.FieldDouble, def: "20", name: so.Text{US: "Markup %", NO: "Påslag %", GE: "Aufschlag %"}, help: so.Text{US: "Markup on distributor cost, percent", NO: "Påslag på distributørens kost, prosent", GE: "Aufschlag auf den Einkaufspreis, Prozent"}},
	{key: settings.KeyPricingMinMarginPercent, kind: so.FieldDouble, def: "5", name: so.Text{US: "Minimum margin %", NO: "Minste margin %", GE: "Mindestmarge %"}, help: so.Text{US: "Lowest allowed price = cost plus this percent", NO: "Laveste tillatte pris = kost pluss denne prosenten", GE: "Niedrigster erlaubter Preis = Kosten plus dieser Prozentsatz"}},
	{key: settings.KeySearchMaxResults, kind: so.FieldInteger, def: "50", name: so.Text{US: "Maximum search results", NO: "Maks antall søkeresultater", GE: "Maximale Suchergebnisse"}, help: so.Text{US: "Cap on products returned by a search, at most 500", NO: "Øvre grense for produkter i et søk, høyst 500", GE: "Obergrenze für Produkte pro Suche, höchstens 500"}},
	{key: settings.KeyPricingCurrencies, kind: so.FieldText, name: so.Text{US: "Quote currencies", NO: "Tilbudsvalutaer", GE: "Angebotswährungen"},
		help: so.Text{
			US: "Comma list of ISO codes offered as converted price lists besides each distributor's own currencies, e.g. NOK,SEK,DKK. Empty: every currency the exchange rates know",
			NO: "Kommaliste med ISO-koder som tilbys som omregnede prislister i tillegg til distributørenes egne valutaer, f.eks. NOK,SEK,DKK. Tom: alle valutaer valutakursene kjenner",
			GE: "Kommaliste von ISO-Codes, die zusätzlich zu den Währungen der Distributoren als umgerechnete Preislisten angeboten werden, z. B. NOK,SEK,DKK. Leer: alle Währungen, die die Wechselkurse kennen",
		}},
	{key: settings.KeyPricingFXMarginPercent, kind: so.FieldDouble, def: "0", name: so.Text{US: "Currency margin %", NO: "Valutamargin %", GE: "Währungsaufschlag %"},
		help: so.Text{
			US: "Added to a converted cost for the currency risk, percent (0 to 100)",
			NO: "Legges til en omregnet kost for valutarisikoen, prosent (0 til 100)",
			GE: "Wird einem umgerechneten Einkaufspreis für das Währungsrisiko hinzugefügt, Prozent (0 bis 100)",
		}},
	{key: settings.KeyPricingFXRates, kind: so.FieldText, name: so.Text{US: "Fixed exchange rates", NO: "Faste valutakurser", GE: "Feste Wechselkurse"},
		help: so.Text{
			US: "Rates that replace the daily reference rates for this connection, units per 1 EUR, e.g. NOK=11.7215,SEK=11.0480",
			NO: "Kurser som erstatter de daglige referansekursene for denne koblingen, enheter per 1 EUR, f.eks. NOK=11.7215,SEK=11.0480",
			GE: "Kurse, die für diese Verbindung die täglichen Referenzkurse ersetzen, Einheiten je 1 EUR, z. B. NOK=11.7215,SEK=11.0480",
		}},

	{key: "logicom.section", kind: so.FieldLabel, name: so.Text{US: "Logicom", NO: "Logicom", GE: "Logicom"}},
	{key: settings.KeyLogicomCustomerID, kind: so.FieldInteger, required: true, name: so.Text{US: "Logicom customer ID", NO: "Logicom kunde-ID", GE: "Logicom Kundennummer"}, help: so.Text{US: "CustomerId from the credential creation", NO: "CustomerId fra opprettelsen av tilgangen", GE: "CustomerId aus der Zugangserstellung"}},
	{key: settings.KeyLogicomConsumerKey, kind: so.FieldPassword, required: true, name: so.Text{US: "Logicom consumer key", NO: "Logicom consumer key", GE: "Logicom Consumer Key"}},
	{key: settings.KeyLogicomConsumerSecret, kind: so.FieldPassword, required: true, name: so.Text{US: "Logicom consumer secret", NO: "Logicom consumer secret", GE: "Logicom Consumer Secret"}},
	{key: settings.KeyLogicomAccessTokenKey, kind: so.FieldPassword, required: true, name: so.Text{US: "Logicom access token key", NO: "Logicom access token key", GE: "Logicom Access Token Key"}, help: so.Text{US: "The shared AES key, base64", NO: "Den delte AES-nøkkelen, base64", GE: "Der gemeinsame AES-Schlüssel, Base64"}},
	{key: settings.KeyLogicomEnvironment, kind: so.FieldList, def: "production", list: ListLogicomEnvironment, name: so.Text{US: "Logicom environment", NO: "Logicom miljø", GE: "Logicom Umgebung"}},
	{key: settings.KeyLogicomCurrencies, kind: so.FieldText, def: "EUR", name: so.Text{US: "Logicom currencies", NO: "Logicom valutaer", GE: "Logicom Währungen"}, help: so.Text{US: "Comma list of ISO codes offered as price lists, e.g. EUR,USD", NO: "Kommaliste med ISO-koder som tilbys som prislister, f.eks. EUR,USD", GE: "Kommaliste von ISO-Codes als Preislisten, z. B. EUR,USD"}},
	{key: settings.KeyLogicomShopAccountEmail, kind: so.FieldText, name: so.Text{US: "Order confirmation e-mail", NO: "E-post for ordrebekreftelse", GE: "E-Mail für Auftragsbestätigung"}},
	{key: settings.KeyLogicomStockVerification, kind: so.FieldCheckbox, def: "1", name: so.Text{US: "Verify stock on order", NO: "Kontroller lager ved bestilling", GE: "Bestand bei Bestellung prüfen"}},
	{key: settings.KeyLogicomDeliveryMethod, kind: so.FieldText, def: "Default", name: so.Text{US: "Delivery method", NO: "Leveringsmåte", GE: "Versandart"}},
	{key: settings.KeyLogicomShipToAddressID, kind: so.FieldText, def: "DEFAULT", name: so.Text{US: "Ship-to address ID", NO: "Leveringsadresse-ID", GE: "Lieferadressen-ID"}},
	{key: settings.KeyLogicomInvoiceType, kind: so.FieldText, name: so.Text{US: "Invoice type (Dubai only)", NO: "Fakturatype (kun Dubai)", GE: "Rechnungsart (nur Dubai)"}},
	{key: settings.KeyLogicomSignatureIncludesCustomerID, kind: so.FieldCheckbox, def: "1", name: so.Text{US: "Customer ID in the token signature", NO: "Kunde-ID i tokensignaturen", GE: "Kundennummer in der Token-Signatur"},
		help: so.Text{
			US: "Logicom's API document signs the token request with ConsumerKey, CustomerId and Timestamp in its table, but without CustomerId in its worked example. Keep this on unless Logicom says your account signs without it (the connection test then fails at the access token)",
			NO: "Logicoms API-dokument signerer tokenforespørselen med ConsumerKey, CustomerId og Timestamp i tabellen, men uten CustomerId i eksempelet. La dette være på med mindre Logicom sier at kontoen signerer uten (koblingstesten feiler da ved tilgangstokenet)",
			GE: "Logicoms API-Dokument signiert die Token-Anfrage laut Tabelle mit ConsumerKey, CustomerId und Timestamp, im Beispiel aber ohne CustomerId. Lassen Sie dies aktiviert, außer Logicom bestätigt, dass Ihr Konto ohne signiert (der Verbindungstest scheitert dann beim Zugriffstoken)",
		}},

	{key: "westcon.section", kind: so.FieldLabel, name: so.Text{US: "Westcon", NO: "Westcon", GE: "Westcon"}},
	{key: settings.KeyWestconTenantID, kind: so.FieldText, required: true, name: so.Text{US: "Westcon Azure AD tenant", NO: "Westcon Azure AD-tenant", GE: "Westcon Azure-AD-Mandant"}},
	{key: settings.KeyWestconClientID, kind: so.FieldText, required: true, name: so.Text{US: "Westcon client ID", NO: "Westcon klient-ID", GE: "Westcon Client-ID"}},
	{key: settings.KeyWestconClientSecret, kind: so.FieldPassword, required: true, name: so.Text{US: "Westcon client secret", NO: "Westcon klienthemmelighet", GE: "Westcon Client-Geheimnis"}},
	{key: settings.KeyWestconResource, kind: so.FieldText, required: true, name: so.Text{US: "Westcon resource", NO: "Westcon ressurs", GE: "Westcon Ressource"}},
	{key: settings.KeyWestconSubscriptionKey, kind: so.FieldPassword, required: true, name: so.Text{US: "Westcon subscription key", NO: "Westcon abonnementsnøkkel", GE: "Westcon Abonnementschlüssel"}},
	{key: settings.KeyWestconPartnerKey, kind: so.FieldText, required: true, name: so.Text{US: "Westcon partner key", NO: "Westcon partnernøkkel", GE: "Westcon Partnerschlüssel"}},
	{key: settings.KeyWestconLanguage, kind: so.FieldText, def: "EN", name: so.Text{US: "Westcon language", NO: "Westcon språk", GE: "Westcon Sprache"}},

	{key: "nuvias.section", kind: so.FieldLabel, name: so.Text{US: "Nuvias", NO: "Nuvias", GE: "Nuvias"}},
	{key: settings.KeyNuviasClientID, kind: so.FieldText, required: true, name: so.Text{US: "Nuvias client ID", NO: "Nuvias klient-ID", GE: "Nuvias Client-ID"}},
	{key: settings.KeyNuviasClientSecret, kind: so.FieldPassword, required: true, name: so.Text{US: "Nuvias client secret", NO: "Nuvias klienthemmelighet", GE: "Nuvias Client-Geheimnis"}},
	{key: settings.KeyNuviasShippingType, kind: so.FieldInteger, name: so.Text{US: "Nuvias shipping type", NO: "Nuvias fraktmåte", GE: "Nuvias Versandart"}, help: so.Text{US: "shipping_type on orders", NO: "shipping_type på ordrer", GE: "shipping_type bei Bestellungen"}},
	{key: settings.KeyNuviasPartShip, kind: so.FieldCheckbox, def: "1", name: so.Text{US: "Allow part shipments", NO: "Tillat delleveranser", GE: "Teillieferungen erlauben"}},
}

// Fields returns the admin dialog (GetConfigurationFields): one field per
// ConfigValues key, ranked by group. A distributor's credentials are
// Mandatory; SuperOffice cannot make that conditional on the checkbox, so the
// descriptions say they are needed only when the distributor is used.
func Fields() map[string]so.FieldMetadataInfo {
	out := make(map[string]so.FieldMetadataInfo, len(dialog))
	group, rank := 0, 0
	for _, f := range dialog {
		if f.kind == so.FieldLabel {
			group += 100
			rank = group
		}
		rank++
		access := so.AccessNormal
		if f.required {
			access = so.AccessMandatory
		}
		help := f.help
		if help.US == "" {
			help = f.name
		}
		if f.required {
			help = so.JoinTexts(". ", help, so.Text{US: "Needed when " + distributorOf(f.key) + " is used", NO: "Påkrevd når " + distributorOf(f.key) + " brukes", GE: "Erforderlich, wenn " + distributorOf(f.key) + " verwendet wird"})
		}
		out[f.key] = so.FieldMetadataInfo{
			FieldKey: f.key, Rank: rank, DisplayName: f.name.String(), DisplayDescription: help.String(),
			FieldType: f.kind, ListName: f.list, DefaultValue: f.def, Access: access,
		}
	}
	return out
}

func distributorOf(key string) string {
	d, _, _ := strings.Cut(key, ".")
	return strings.ToUpper(d[:1]) + d[1:]
}

// List answers GetQuoteList for the dialog's own lists; ok is false for
// any other name.
func List(name string) (items []so.QuoteListItemInfo, ok bool) {
	switch strings.ToLower(name) {
	case ListListPriceSource:
		return []so.QuoteListItemInfo{
			{ERPQuoteListItemKey: "markup", DisplayValue: so.Text{US: "Cost plus markup", NO: "Kost pluss påslag", GE: "Kosten plus Aufschlag"}.String()},
			{ERPQuoteListItemKey: "rrp", DisplayValue: so.Text{US: "Distributor RRP", NO: "Distributørens veiledende pris", GE: "UVP des Distributors"}.String()},
		}, true
	case ListLogicomEnvironment:
		return []so.QuoteListItemInfo{
			{ERPQuoteListItemKey: "production", DisplayValue: so.Text{US: "Production", NO: "Produksjon", GE: "Produktion"}.String()},
			{ERPQuoteListItemKey: "staging", DisplayValue: so.Text{US: "Staging (test)", NO: "Staging (test)", GE: "Staging (Test)"}.String()},
		}, true
	}
	return nil, false
}
