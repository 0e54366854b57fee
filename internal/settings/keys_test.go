package settings

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// That the secret keys are exactly the dialog's Password fields is pinned
// in package dialog, which owns the field types.
func TestServiceAndSecretKeys(t *testing.T) {
	for _, k := range Keys() {
		assert.True(t, IsServiceKey(k), k)
	}
	assert.True(t, IsSecret("LOGICOM.CONSUMERSECRET"))
	assert.False(t, IsSecret(KeyLogicomCustomerID))
	for _, own := range []string{"SharedSecret", "ApplicationId", "QuoteConnectorUrl"} {
		assert.False(t, IsServiceKey(own), own)
	}
}
