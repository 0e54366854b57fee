package logicom

import (
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// Logicom's ConfigValues keys; a fixed contract (configuration.md). Never
// rename.
const (
	KeyEnabled           = "logicom.enabled"
	KeyCustomerID        = "logicom.customerId"
	KeyConsumerKey       = "logicom.consumerKey"
	KeyConsumerSecret    = "logicom.consumerSecret"
	KeyAccessTokenKey    = "logicom.accessTokenKey"
	KeyEnvironment       = "logicom.environment"
	KeyCurrencies        = "logicom.currencies"
	KeyShopAccountEmail  = "logicom.shopAccountEmail"
	KeyStockVerification = "logicom.stockVerification"
	KeyDeliveryMethod    = "logicom.deliveryMethod"
	KeyShipToAddressID   = "logicom.shipToAddressId"
	KeyInvoiceType       = "logicom.invoiceType"
	// KeySignatureIncludesCustomerID: "1" (default) puts CustomerId into
	// GenerateSignature as the seed's table says, "0" leaves it out as the
	// seed's worked example does. Added by the service, not in the
	// contract's table.
	KeySignatureIncludesCustomerID = "logicom.signatureIncludesCustomerId"
	// KeySyncConcurrency: how many GetProducts listings the catalog sync
	// pages at once (1..16, default 4). Added by the service.
	KeySyncConcurrency = "logicom.syncConcurrency"
)

// ListEnvironment is the dialog list of logicom.environment.
const ListEnvironment = "qc_logicom_environment"

// Settings are a connection's Logicom settings.
type Settings struct {
	Enabled           bool
	CustomerID        string
	ConsumerKey       settings.Secret
	ConsumerSecret    settings.Secret
	AccessTokenKey    settings.Secret
	Environment       string // "production" or "staging"
	Currencies        []string
	ShopAccountEmail  string
	StockVerification bool
	DeliveryMethod    string
	ShipToAddressID   string
	InvoiceType       string
	// SyncConcurrency is how many GetProducts listings the catalog sync
	// pages at once (logicom.syncConcurrency, 1..16, default 4).
	SyncConcurrency int
	// SignatureOmitsCustomerID leaves CustomerId out of GenerateSignature,
	// as the seed's worked example does (its table puts it in; the zero
	// value keeps it, the default). logicom.signatureIncludesCustomerId.
	SignatureOmitsCustomerID bool
}

// ReadSettings reads a connection's Logicom settings with r, which
// collects the problems.
func ReadSettings(r *settings.Reader) Settings {
	return Settings{
		Enabled:           r.Bool(KeyEnabled, false),
		CustomerID:        r.Text(KeyCustomerID, ""),
		ConsumerKey:       r.Secret(KeyConsumerKey),
		ConsumerSecret:    r.Secret(KeyConsumerSecret),
		AccessTokenKey:    r.Secret(KeyAccessTokenKey),
		Environment:       r.Choice(KeyEnvironment, "production", "production", "staging"),
		Currencies:        r.Codes(KeyCurrencies, []string{"EUR"}),
		ShopAccountEmail:  r.Text(KeyShopAccountEmail, ""),
		StockVerification: r.Bool(KeyStockVerification, true),
		DeliveryMethod:    r.Text(KeyDeliveryMethod, "Default"),
		ShipToAddressID:   r.Text(KeyShipToAddressID, "DEFAULT"),
		InvoiceType:       r.Text(KeyInvoiceType, ""),
		SyncConcurrency:   r.Int(KeySyncConcurrency, 4, 1, 16),
		// Zero value = included, so a struct built by hand signs as
		// before.
		SignatureOmitsCustomerID: !r.Bool(KeySignatureIncludesCustomerID, true),
	}
}

// Parse is ReadSettings for the registry (distributors.Factory).
func (f *Factory) Parse(r *settings.Reader) any { return ReadSettings(r) }

// Dialog is Logicom's part of the admin dialog (distributors.Factory).
func (f *Factory) Dialog() settings.Section { return dialogSection }

var dialogSection = settings.Section{
	Order: 1,
	Use:   settings.Field{Key: KeyEnabled, Kind: settings.KindCheckbox, Default: "0", Name: settings.Text{US: "Use Logicom", NO: "Bruk Logicom", GE: "Logicom verwenden"}, Help: settings.Text{US: "Search, price and order products at Logicom", NO: "Søk, pris og bestill produkter hos Logicom", GE: "Produkte bei Logicom suchen, bepreisen und bestellen"}},
	Fields: []settings.Field{
		{Key: KeyCustomerID, Kind: settings.KindInteger, Required: true, Name: settings.Text{US: "Logicom customer ID", NO: "Logicom kunde-ID", GE: "Logicom Kundennummer"}, Help: settings.Text{US: "CustomerId from the credential creation", NO: "CustomerId fra opprettelsen av tilgangen", GE: "CustomerId aus der Zugangserstellung"}},
		{Key: KeyConsumerKey, Kind: settings.KindPassword, Required: true, Name: settings.Text{US: "Logicom consumer key", NO: "Logicom consumer key", GE: "Logicom Consumer Key"}},
		{Key: KeyConsumerSecret, Kind: settings.KindPassword, Required: true, Name: settings.Text{US: "Logicom consumer secret", NO: "Logicom consumer secret", GE: "Logicom Consumer Secret"}},
		{Key: KeyAccessTokenKey, Kind: settings.KindPassword, Required: true, Name: settings.Text{US: "Logicom access token key", NO: "Logicom access token key", GE: "Logicom Access Token Key"}, Help: settings.Text{US: "The shared AES key, base64", NO: "Den delte AES-nøkkelen, base64", GE: "Der gemeinsame AES-Schlüssel, Base64"}},
		{Key: KeyEnvironment, Kind: settings.KindList, Default: "production", List: ListEnvironment, Name: settings.Text{US: "Logicom environment", NO: "Logicom miljø", GE: "Logicom Umgebung"}},
		{Key: KeyCurrencies, Kind: settings.KindText, Default: "EUR", Name: settings.Text{US: "Logicom currencies", NO: "Logicom valutaer", GE: "Logicom Währungen"}, Help: settings.Text{US: "Comma list of ISO codes offered as price lists, e.g. EUR,USD", NO: "Kommaliste med ISO-koder som tilbys som prislister, f.eks. EUR,USD", GE: "Kommaliste von ISO-Codes als Preislisten, z. B. EUR,USD"}},
		{Key: KeyShopAccountEmail, Kind: settings.KindText, Name: settings.Text{US: "Order confirmation e-mail", NO: "E-post for ordrebekreftelse", GE: "E-Mail für Auftragsbestätigung"}},
		{Key: KeyStockVerification, Kind: settings.KindCheckbox, Default: "1", Name: settings.Text{US: "Verify stock on order", NO: "Kontroller lager ved bestilling", GE: "Bestand bei Bestellung prüfen"}},
		{Key: KeyDeliveryMethod, Kind: settings.KindText, Default: "Default", Name: settings.Text{US: "Delivery method", NO: "Leveringsmåte", GE: "Versandart"}},
		{Key: KeyShipToAddressID, Kind: settings.KindText, Default: "DEFAULT", Name: settings.Text{US: "Ship-to address ID", NO: "Leveringsadresse-ID", GE: "Lieferadressen-ID"}},
		{Key: KeyInvoiceType, Kind: settings.KindText, Name: settings.Text{US: "Invoice type (Dubai only)", NO: "Fakturatype (kun Dubai)", GE: "Rechnungsart (nur Dubai)"}},
		{Key: KeySignatureIncludesCustomerID, Kind: settings.KindCheckbox, Default: "1", Name: settings.Text{US: "Customer ID in the token signature", NO: "Kunde-ID i tokensignaturen", GE: "Kundennummer in der Token-Signatur"},
			Help: settings.Text{
				US: "Logicom's API document signs the token request with ConsumerKey, CustomerId and Timestamp in its table, but without CustomerId in its worked example. Keep this on unless Logicom says your account signs without it (the connection test then fails at the access token)",
				NO: "Logicoms API-dokument signerer tokenforespørselen med ConsumerKey, CustomerId og Timestamp i tabellen, men uten CustomerId i eksempelet. La dette være på med mindre Logicom sier at kontoen signerer uten (koblingstesten feiler da ved tilgangstokenet)",
				GE: "Logicoms API-Dokument signiert die Token-Anfrage laut Tabelle mit ConsumerKey, CustomerId und Timestamp, im Beispiel aber ohne CustomerId. Lassen Sie dies aktiviert, außer Logicom bestätigt, dass Ihr Konto ohne signiert (der Verbindungstest scheitert dann beim Zugriffstoken)",
			}},
		{Key: KeySyncConcurrency, Kind: settings.KindInteger, Default: "4", Name: settings.Text{US: "Catalog sync concurrency", NO: "Samtidighet i katalogsynk", GE: "Parallelität der Katalogsynchronisierung"},
			Help: settings.Text{
				US: "How many product listings the service pages at once while it copies the Logicom catalog for search (1 to 16). The copy is refreshed in full once a day and updated in between",
				NO: "Hvor mange produktlister tjenesten blar gjennom samtidig når den kopierer Logicom-katalogen for søk (1 til 16). Kopien fornyes helt én gang i døgnet og oppdateres innimellom",
				GE: "Wie viele Produktlisten der Dienst gleichzeitig abruft, während er den Logicom-Katalog für die Suche kopiert (1 bis 16). Die Kopie wird einmal täglich vollständig erneuert und dazwischen aktualisiert",
			}},
	},
	Lists: []settings.List{
		{Name: ListEnvironment, Items: []settings.ListItem{
			{Key: "production", Name: settings.Text{US: "Production", NO: "Produksjon", GE: "Produktion"}},
			{Key: "staging", Name: settings.Text{US: "Staging (test)", NO: "Staging (test)", GE: "Staging (Test)"}},
		}},
	},
}
