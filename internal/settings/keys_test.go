package settings

import (
	"testing"

	"github.com/stretchr/testify/assert"

	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// The secret keys are exactly the dialog's Password fields, so a new
// credential field cannot be stored in plaintext by oversight.
func TestSecretKeysArePasswordFields(t *testing.T) {
	for key, f := range Fields() {
		assert.Equal(t, f.FieldType == so.FieldPassword, IsSecret(key), key)
		if f.FieldType != so.FieldLabel {
			assert.True(t, IsServiceKey(key), key)
		}
	}
	assert.True(t, IsSecret("LOGICOM.CONSUMERSECRET"))
	for _, own := range []string{"SharedSecret", "ApplicationId", "QuoteConnectorUrl"} {
		assert.False(t, IsServiceKey(own), own)
	}
}
