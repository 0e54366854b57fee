package nuvias

import (
	"math"

	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// Nuvias's ConfigValues keys; a fixed contract (configuration.md). Never
// rename.
const (
	KeyEnabled      = "nuvias.enabled"
	KeyClientID     = "nuvias.clientId"
	KeyClientSecret = "nuvias.clientSecret"
	KeyShippingType = "nuvias.shippingType"
	KeyPartShip     = "nuvias.partShip"
)

// Settings are a connection's Nuvias settings.
type Settings struct {
	Enabled      bool
	ClientID     string
	ClientSecret settings.Secret
	ShippingType int
	PartShip     bool
}

// ReadSettings reads a connection's Nuvias settings with r, which collects
// the problems.
func ReadSettings(r *settings.Reader) Settings {
	return Settings{
		Enabled:      r.Bool(KeyEnabled, false),
		ClientID:     r.Text(KeyClientID, ""),
		ClientSecret: r.Secret(KeyClientSecret),
		ShippingType: r.Int(KeyShippingType, 0, 0, math.MaxInt32),
		PartShip:     r.Bool(KeyPartShip, true),
	}
}

// Parse is ReadSettings for the registry (distributors.Factory).
func (f *Factory) Parse(r *settings.Reader) any { return ReadSettings(r) }

// Dialog is Nuvias's part of the admin dialog (distributors.Factory).
func (f *Factory) Dialog() settings.Section { return dialogSection }

var dialogSection = settings.Section{
	Order: 3,
	Use:   settings.Field{Key: KeyEnabled, Kind: settings.KindCheckbox, Default: "0", Name: settings.Text{US: "Use Nuvias", NO: "Bruk Nuvias", GE: "Nuvias verwenden"}, Help: settings.Text{US: "Search, price and order products at Nuvias Hub", NO: "Søk, pris og bestill produkter hos Nuvias Hub", GE: "Produkte bei Nuvias Hub suchen, bepreisen und bestellen"}},
	Fields: []settings.Field{
		{Key: KeyClientID, Kind: settings.KindText, Required: true, Name: settings.Text{US: "Nuvias client ID", NO: "Nuvias klient-ID", GE: "Nuvias Client-ID"}},
		{Key: KeyClientSecret, Kind: settings.KindPassword, Required: true, Name: settings.Text{US: "Nuvias client secret", NO: "Nuvias klienthemmelighet", GE: "Nuvias Client-Geheimnis"}},
		{Key: KeyShippingType, Kind: settings.KindInteger, Name: settings.Text{US: "Nuvias shipping type", NO: "Nuvias fraktmåte", GE: "Nuvias Versandart"}, Help: settings.Text{US: "shipping_type on orders", NO: "shipping_type på ordrer", GE: "shipping_type bei Bestellungen"}},
		{Key: KeyPartShip, Kind: settings.KindCheckbox, Default: "1", Name: settings.Text{US: "Allow part shipments", NO: "Tillat delleveranser", GE: "Teillieferungen erlauben"}},
	},
}
