package settings

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
		KeyLogicomCustomerID, KeyLogicomConsumerKey, KeyLogicomConsumerSecret, KeyLogicomAccessTokenKey,
		KeyLogicomEnvironment, KeyLogicomCurrencies, KeyLogicomShopAccountEmail, KeyLogicomStockVerification,
		KeyLogicomDeliveryMethod, KeyLogicomShipToAddressID, KeyLogicomInvoiceType,
		KeyWestconTenantID, KeyWestconClientID, KeyWestconClientSecret, KeyWestconResource,
		KeyWestconSubscriptionKey, KeyWestconPartnerKey, KeyWestconLanguage,
		KeyNuviasClientID, KeyNuviasClientSecret, KeyNuviasShippingType, KeyNuviasPartShip,
		KeyLogicomSignatureIncludesCustomerID,
	}
}
