package settings

import "strings"

// ConfigValues keys; a fixed contract (configuration.md). Never rename.
const (
	KeyLogicomEnabled          = "logicom.enabled"
	KeyWestconEnabled          = "westcon.enabled"
	KeyNuviasEnabled           = "nuvias.enabled"
	KeyPricingListPrice        = "pricing.listPrice"
	KeyPricingMarkupPercent    = "pricing.markupPercent"
	KeyPricingMinMarginPercent = "pricing.minMarginPercent"
	KeySearchMaxResults        = "search.maxResults"
	KeyPricingCurrencies       = "pricing.currencies"
	KeyPricingFXMarginPercent  = "pricing.fxMarginPercent"
	KeyPricingFXRates          = "pricing.fxRates"

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
	// KeyLogicomSignatureIncludesCustomerID: "1" (default) puts CustomerId
	// into GenerateSignature as the seed's table says, "0" leaves it out as
	// the seed's worked example does. Added by the service, not in the
	// contract's table.
	KeyLogicomSignatureIncludesCustomerID = "logicom.signatureIncludesCustomerId"

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

// Keys lists every ConfigValues key the service reads, in the order of
// configuration.md, the service's own additions last.
func Keys() []string {
	return []string{
		KeyLogicomEnabled, KeyWestconEnabled, KeyNuviasEnabled,
		KeyPricingListPrice, KeyPricingMarkupPercent, KeyPricingMinMarginPercent, KeySearchMaxResults,
		KeyPricingCurrencies, KeyPricingFXMarginPercent, KeyPricingFXRates,
		KeyLogicomCustomerID, KeyLogicomConsumerKey, KeyLogicomConsumerSecret, KeyLogicomAccessTokenKey,
		KeyLogicomEnvironment, KeyLogicomCurrencies, KeyLogicomShopAccountEmail, KeyLogicomStockVerification,
		KeyLogicomDeliveryMethod, KeyLogicomShipToAddressID, KeyLogicomInvoiceType,
		KeyWestconTenantID, KeyWestconClientID, KeyWestconClientSecret, KeyWestconResource,
		KeyWestconSubscriptionKey, KeyWestconPartnerKey, KeyWestconLanguage,
		KeyNuviasClientID, KeyNuviasClientSecret, KeyNuviasShippingType, KeyNuviasPartShip,
		KeyLogicomSignatureIncludesCustomerID,
	}
}

// namespaces are the prefixes of the service's own ConfigValues keys.
// SuperOffice adds keys of its own without them (SharedSecret,
// ApplicationId, QuoteConnectorUrl): those are never remembered.
var namespaces = []string{"general.", "pricing.", "search.", "logicom.", "westcon.", "nuvias."}

// secretKeys are the Password-type keys (configuration.md): remembered
// only encrypted, never logged, shown to an operator as set or unset.
var secretKeys = []string{
	KeyLogicomConsumerKey, KeyLogicomConsumerSecret, KeyLogicomAccessTokenKey,
	KeyWestconClientSecret, KeyWestconSubscriptionKey,
	KeyNuviasClientSecret,
}

// IsServiceKey reports whether a ConfigValues key belongs to the service
// (as opposed to SuperOffice's own bookkeeping keys).
func IsServiceKey(key string) bool {
	lk := strings.ToLower(key)
	for _, ns := range namespaces {
		if strings.HasPrefix(lk, ns) {
			return true
		}
	}
	return false
}

// IsSecret reports whether a ConfigValues key holds a credential (a
// Password-type field), whatever its case.
func IsSecret(key string) bool {
	for _, k := range secretKeys {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}
