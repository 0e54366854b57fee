package settings

import (
	"strings"

	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// ConfigValues keys; a fixed contract (configuration.md). Never rename.
const (
	KeyLogicomEnabled          = "logicom.enabled"
	KeyWestconEnabled          = "westcon.enabled"
	KeyNuviasEnabled           = "nuvias.enabled"
	KeyPricingListPrice        = "pricing.listPrice"
	KeyPricingMarkupPercent    = "pricing.markupPercent"
	KeyPricingMinMarginPercent = "pricing.minMarginPercent"
	KeySearchMaxResults        = "search.maxResults"

	KeyLogicomCustomerID        = "logicom.customerId"
	KeyLogicomConsumerKey       = "logicom.consumerKey"
	KeyLogicomConsumerSecret    = "logicom.consumerSecret"
	KeyLogicomAccessTokenKey    = "logicom.accessTokenKey"
	KeyLogicomEnvironment       = "logicom.environment"
	KeyLogicomCurrencies        = "logicom.currencies"
	KeyLogicomShopAccountEmail  = "logicom.shopAccountEmail"
	KeyLogicomStockVerification = "logicom.stockVerification"
	KeyLogicomDeliveryMethod    = "logicom.deliveryMethod"
	KeyLogicomShipToAddressID   = "logicom.shipToAddressId"
	KeyLogicomInvoiceType       = "logicom.invoiceType"

	KeyWestconTenantID        = "westcon.tenantId"
	KeyWestconClientID        = "westcon.clientId"
	KeyWestconClientSecret    = "westcon.clientSecret"
	KeyWestconResource        = "westcon.resource"
	KeyWestconSubscriptionKey = "westcon.subscriptionKey"
	KeyWestconPartnerKey      = "westcon.partnerKey"
	KeyWestconLanguage        = "westcon.language"

	KeyNuviasClientID     = "nuvias.clientId"
	KeyNuviasClientSecret = "nuvias.clientSecret"
	KeyNuviasShippingType = "nuvias.shippingType"
	KeyNuviasPartShip     = "nuvias.partShip"
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
	{key: KeyLogicomEnabled, kind: so.FieldCheckbox, def: "0", name: so.Text{US: "Use Logicom", NO: "Bruk Logicom", GE: "Logicom verwenden"}, help: so.Text{US: "Search, price and order products at Logicom", NO: "Søk, pris og bestill produkter hos Logicom", GE: "Produkte bei Logicom suchen, bepreisen und bestellen"}},
	{key: KeyNuviasEnabled, kind: so.FieldCheckbox, def: "0", name: so.Text{US: "Use Nuvias", NO: "Bruk Nuvias", GE: "Nuvias verwenden"}, help: so.Text{US: "Search, price and order products at Nuvias Hub", NO: "Søk, pris og bestill produkter hos Nuvias Hub", GE: "Produkte bei Nuvias Hub suchen, bepreisen und bestellen"}},
	{key: KeyWestconEnabled, kind: so.FieldCheckbox, def: "0", name: so.Text{US: "Use Westcon", NO: "Bruk Westcon", GE: "Westcon verwenden"}, help: so.Text{US: "Read the status of Westcon orders", NO: "Les status for Westcon-ordrer", GE: "Status von Westcon-Bestellungen abrufen"}},
	{key: KeyPricingListPrice, kind: so.FieldList, def: "markup", list: ListListPriceSource, name: so.Text{US: "List price", NO: "Listepris", GE: "Listenpreis"}, help: so.Text{US: "Distributor RRP when it has one, or cost plus markup", NO: "Distributørens veiledende pris når den finnes, eller kost pluss påslag", GE: "UVP des Distributors, falls vorhanden, oder Kosten plus Aufschlag"}},
	{key: KeyPricingMarkupPercent, kind: so.FieldDouble, def: "20", name: so.Text{US: "Markup %", NO: "Påslag %", GE: "Aufschlag %"}, help: so.Text{US: "Markup on distributor cost, percent", NO: "Påslag på distributørens kost, prosent", GE: "Aufschlag auf den Einkaufspreis, Prozent"}},
	{key: KeyPricingMinMarginPercent, kind: so.FieldDouble, def: "5", name: so.Text{US: "Minimum margin %", NO: "Minste margin %", GE: "Mindestmarge %"}, help: so.Text{US: "Lowest allowed price = cost plus this percent", NO: "Laveste tillatte pris = kost pluss denne prosenten", GE: "Niedrigster erlaubter Preis = Kosten plus dieser Prozentsatz"}},
	{key: KeySearchMaxResults, kind: so.FieldInteger, def: "50", name: so.Text{US: "Maximum search results", NO: "Maks antall søkeresultater", GE: "Maximale Suchergebnisse"}, help: so.Text{US: "Cap on products returned by a search, at most 500", NO: "Øvre grense for produkter i et søk, høyst 500", GE: "Obergrenze für Produkte pro Suche, höchstens 500"}},

	{key: "logicom.section", kind: so.FieldLabel, name: so.Text{US: "Logicom", NO: "Logicom", GE: "Logicom"}},
	{key: KeyLogicomCustomerID, kind: so.FieldInteger, required: true, name: so.Text{US: "Logicom customer ID", NO: "Logicom kunde-ID", GE: "Logicom Kundennummer"}, help: so.Text{US: "CustomerId from the credential creation", NO: "CustomerId fra opprettelsen av tilgangen", GE: "CustomerId aus der Zugangserstellung"}},
	{key: KeyLogicomConsumerKey, kind: so.FieldPassword, required: true, name: so.Text{US: "Logicom consumer key", NO: "Logicom consumer key", GE: "Logicom Consumer Key"}},
	{key: KeyLogicomConsumerSecret, kind: so.FieldPassword, required: true, name: so.Text{US: "Logicom consumer secret", NO: "Logicom consumer secret", GE: "Logicom Consumer Secret"}},
	{key: KeyLogicomAccessTokenKey, kind: so.FieldPassword, required: true, name: so.Text{US: "Logicom access token key", NO: "Logicom access token key", GE: "Logicom Access Token Key"}, help: so.Text{US: "The shared AES key, base64", NO: "Den delte AES-nøkkelen, base64", GE: "Der gemeinsame AES-Schlüssel, Base64"}},
	{key: KeyLogicomEnvironment, kind: so.FieldList, def: "production", list: ListLogicomEnvironment, name: so.Text{US: "Logicom environment", NO: "Logicom miljø", GE: "Logicom Umgebung"}},
	{key: KeyLogicomCurrencies, kind: so.FieldText, def: "EUR", name: so.Text{US: "Logicom currencies", NO: "Logicom valutaer", GE: "Logicom Währungen"}, help: so.Text{US: "Comma list of ISO codes offered as price lists, e.g. EUR,USD", NO: "Kommaliste med ISO-koder som tilbys som prislister, f.eks. EUR,USD", GE: "Kommaliste von ISO-Codes als Preislisten, z. B. EUR,USD"}},
	{key: KeyLogicomShopAccountEmail, kind: so.FieldText, name: so.Text{US: "Order confirmation e-mail", NO: "E-post for ordrebekreftelse", GE: "E-Mail für Auftragsbestätigung"}},
	{key: KeyLogicomStockVerification, kind: so.FieldCheckbox, def: "1", name: so.Text{US: "Verify stock on order", NO: "Kontroller lager ved bestilling", GE: "Bestand bei Bestellung prüfen"}},
	{key: KeyLogicomDeliveryMethod, kind: so.FieldText, def: "Default", name: so.Text{US: "Delivery method", NO: "Leveringsmåte", GE: "Versandart"}},
	{key: KeyLogicomShipToAddressID, kind: so.FieldText, def: "DEFAULT", name: so.Text{US: "Ship-to address ID", NO: "Leveringsadresse-ID", GE: "Lieferadressen-ID"}},
	{key: KeyLogicomInvoiceType, kind: so.FieldText, name: so.Text{US: "Invoice type (Dubai only)", NO: "Fakturatype (kun Dubai)", GE: "Rechnungsart (nur Dubai)"}},

	{key: "westcon.section", kind: so.FieldLabel, name: so.Text{US: "Westcon", NO: "Westcon", GE: "Westcon"}},
	{key: KeyWestconTenantID, kind: so.FieldText, required: true, name: so.Text{US: "Westcon Azure AD tenant", NO: "Westcon Azure AD-tenant", GE: "Westcon Azure-AD-Mandant"}},
	{key: KeyWestconClientID, kind: so.FieldText, required: true, name: so.Text{US: "Westcon client ID", NO: "Westcon klient-ID", GE: "Westcon Client-ID"}},
	{key: KeyWestconClientSecret, kind: so.FieldPassword, required: true, name: so.Text{US: "Westcon client secret", NO: "Westcon klienthemmelighet", GE: "Westcon Client-Geheimnis"}},
	{key: KeyWestconResource, kind: so.FieldText, required: true, name: so.Text{US: "Westcon resource", NO: "Westcon ressurs", GE: "Westcon Ressource"}},
	{key: KeyWestconSubscriptionKey, kind: so.FieldPassword, required: true, name: so.Text{US: "Westcon subscription key", NO: "Westcon abonnementsnøkkel", GE: "Westcon Abonnementschlüssel"}},
	{key: KeyWestconPartnerKey, kind: so.FieldText, required: true, name: so.Text{US: "Westcon partner key", NO: "Westcon partnernøkkel", GE: "Westcon Partnerschlüssel"}},
	{key: KeyWestconLanguage, kind: so.FieldText, def: "EN", name: so.Text{US: "Westcon language", NO: "Westcon språk", GE: "Westcon Sprache"}},

	{key: "nuvias.section", kind: so.FieldLabel, name: so.Text{US: "Nuvias", NO: "Nuvias", GE: "Nuvias"}},
	{key: KeyNuviasClientID, kind: so.FieldText, required: true, name: so.Text{US: "Nuvias client ID", NO: "Nuvias klient-ID", GE: "Nuvias Client-ID"}},
	{key: KeyNuviasClientSecret, kind: so.FieldPassword, required: true, name: so.Text{US: "Nuvias client secret", NO: "Nuvias klienthemmelighet", GE: "Nuvias Client-Geheimnis"}},
	{key: KeyNuviasShippingType, kind: so.FieldInteger, name: so.Text{US: "Nuvias shipping type", NO: "Nuvias fraktmåte", GE: "Nuvias Versandart"}, help: so.Text{US: "shipping_type on orders", NO: "shipping_type på ordrer", GE: "shipping_type bei Bestellungen"}},
	{key: KeyNuviasPartShip, kind: so.FieldCheckbox, def: "1", name: so.Text{US: "Allow part shipments", NO: "Tillat delleveranser", GE: "Teillieferungen erlauben"}},
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

// DialogList answers GetQuoteList for the dialog's own lists; ok is false for
// any other name.
func DialogList(name string) (items []so.QuoteListItemInfo, ok bool) {
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
