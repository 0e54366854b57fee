package westcon

import (
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// Westcon's ConfigValues keys; a fixed contract (configuration.md). Never
// rename.
const (
	KeyEnabled         = "westcon.enabled"
	KeyTenantID        = "westcon.tenantId"
	KeyClientID        = "westcon.clientId"
	KeyClientSecret    = "westcon.clientSecret"
	KeyResource        = "westcon.resource"
	KeySubscriptionKey = "westcon.subscriptionKey"
	KeyPartnerKey      = "westcon.partnerKey"
	KeyLanguage        = "westcon.language"
)

// Settings are a connection's Westcon settings.
type Settings struct {
	Enabled         bool
	TenantID        string
	ClientID        string
	ClientSecret    settings.Secret
	Resource        string
	SubscriptionKey settings.Secret
	PartnerKey      string
	Language        string
}

// ReadSettings reads a connection's Westcon settings with r, which collects
// the problems.
func ReadSettings(r *settings.Reader) Settings {
	return Settings{
		Enabled:         r.Bool(KeyEnabled, false),
		TenantID:        r.Text(KeyTenantID, ""),
		ClientID:        r.Text(KeyClientID, ""),
		ClientSecret:    r.Secret(KeyClientSecret),
		Resource:        r.Text(KeyResource, ""),
		SubscriptionKey: r.Secret(KeySubscriptionKey),
		PartnerKey:      r.Text(KeyPartnerKey, ""),
		Language:        r.Text(KeyLanguage, "EN"),
	}
}

// Parse is ReadSettings for the registry (distributors.Factory).
func (f *Factory) Parse(r *settings.Reader) any { return ReadSettings(r) }

// Dialog is Westcon's part of the admin dialog (distributors.Factory).
func (f *Factory) Dialog() settings.Section { return dialogSection }

var dialogSection = settings.Section{
	Order: 2,
	Use:   settings.Field{Key: KeyEnabled, Kind: settings.KindCheckbox, Default: "0", Name: settings.Text{US: "Use Westcon", NO: "Bruk Westcon", GE: "Westcon verwenden"}, Help: settings.Text{US: "Read the status of Westcon orders", NO: "Les status for Westcon-ordrer", GE: "Status von Westcon-Bestellungen abrufen"}},
	Fields: []settings.Field{
		{Key: KeyTenantID, Kind: settings.KindText, Required: true, Name: settings.Text{US: "Westcon Azure AD tenant", NO: "Westcon Azure AD-tenant", GE: "Westcon Azure-AD-Mandant"}},
		{Key: KeyClientID, Kind: settings.KindText, Required: true, Name: settings.Text{US: "Westcon client ID", NO: "Westcon klient-ID", GE: "Westcon Client-ID"}},
		{Key: KeyClientSecret, Kind: settings.KindPassword, Required: true, Name: settings.Text{US: "Westcon client secret", NO: "Westcon klienthemmelighet", GE: "Westcon Client-Geheimnis"}},
		{Key: KeyResource, Kind: settings.KindText, Required: true, Name: settings.Text{US: "Westcon resource", NO: "Westcon ressurs", GE: "Westcon Ressource"}},
		{Key: KeySubscriptionKey, Kind: settings.KindPassword, Required: true, Name: settings.Text{US: "Westcon subscription key", NO: "Westcon abonnementsnøkkel", GE: "Westcon Abonnementschlüssel"}},
		{Key: KeyPartnerKey, Kind: settings.KindText, Required: true, Name: settings.Text{US: "Westcon partner key", NO: "Westcon partnernøkkel", GE: "Westcon Partnerschlüssel"}},
		{Key: KeyLanguage, Kind: settings.KindText, Default: "EN", Name: settings.Text{US: "Westcon language", NO: "Westcon språk", GE: "Westcon Sprache"}},
	},
}
