package settings

import "strings"

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
