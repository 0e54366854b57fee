package connections_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/connections"
	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
)

func newKey(t *testing.T) []byte {
	k := make([]byte, 32)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return k
}

func resolver(t *testing.T, st store.Connections, keys *connections.Keyring) *connections.Resolver {
	return connections.New(connections.Options{Store: st, Keys: keys, IsServiceKey: isServiceKey, IsSecret: isSecret})
}

// isServiceKey and isSecret answer for the keys of these tests as the
// service's registry does (distributors.Registry).
func isServiceKey(key string) bool {
	lk := strings.ToLower(key)
	for _, ns := range []string{"pricing.", "logicom.", "nuvias.", "westcon."} {
		if strings.HasPrefix(lk, ns) {
			return true
		}
	}
	return false
}

func isSecret(key string) bool {
	return strings.EqualFold(key, "logicom.consumerSecret") || strings.EqualFold(key, "nuvias.clientSecret")
}

var sent = map[string]string{
	"logicom.enabled":        "1",
	"logicom.consumerSecret": "s3cret-consumer-value",
	"nuvias.clientSecret":    "nuvias-secret-value",
	"pricing.markupPercent":  "[F:25]",
	"SharedSecret":           "superoffice-shared-secret",
	"ApplicationId":          "app-1",
}

func TestKeyring(t *testing.T) {
	a, b := newKey(t), newKey(t)
	ka, err := connections.NewKeyring(a, nil)
	require.NoError(t, err)
	sealed := ka.Seal("hunter2", "t\x001\x00k")
	assert.True(t, connections.IsSealed(sealed))
	assert.NotContains(t, sealed, "hunter2")
	pt, err := ka.Open(sealed, "t\x001\x00k")
	require.NoError(t, err)
	assert.Equal(t, "hunter2", pt)
	assert.NotEqual(t, sealed, ka.Seal("hunter2", "t\x001\x00k"), "a fresh nonce each time")

	_, err = ka.Open(sealed, "other\x001\x00k")
	assert.ErrorIs(t, err, connections.ErrUnreadable, "bound to its row and field")

	rotated, err := connections.NewKeyring(b, a)
	require.NoError(t, err)
	pt, err = rotated.Open(sealed, "t\x001\x00k")
	require.NoError(t, err, "the previous key still opens old values")
	assert.Equal(t, "hunter2", pt)
	onlyB, _ := connections.NewKeyring(b, nil)
	_, err = onlyB.Open(sealed, "t\x001\x00k")
	assert.ErrorIs(t, err, connections.ErrUnreadable)

	assert.Equal(t, ka.Fingerprint(map[string]string{"a": "1"}), ka.Fingerprint(map[string]string{"a": "1"}))
	assert.NotEqual(t, ka.Fingerprint(map[string]string{"a": "1"}), ka.Fingerprint(map[string]string{"a": "2"}))
	assert.NotEqual(t, ka.Fingerprint(map[string]string{"a": "1"}), rotated.Fingerprint(map[string]string{"a": "1"}))
}

func TestParseKey(t *testing.T) {
	k := newKey(t)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawURLEncoding} {
		got, err := connections.ParseKey("QC_STORE_KEY", enc.EncodeToString(k))
		require.NoError(t, err)
		assert.Equal(t, k, got)
	}
	_, err := connections.ParseKey("QC_STORE_KEY", base64.StdEncoding.EncodeToString(k[:16]))
	require.ErrorContains(t, err, "32 random bytes, not 16")
	_, err = connections.ParseKey("QC_STORE_KEY", "not base64 at all: ***")
	require.ErrorContains(t, err, "QC_STORE_KEY is not base64")
	assert.NotContains(t, err.Error(), "***")
}

func TestRememberedSettings(t *testing.T) {
	ctx := context.Background()
	st, dir := storetest.SQLite(t)
	keys, _ := connections.NewKeyring(newKey(t), nil)
	r := resolver(t, st, keys)

	got, err := r.Resolve(ctx, "acme", connections.IDs{CRM: 7}, sent)
	require.NoError(t, err)
	assert.Equal(t, connections.Sent, got.Source)
	assert.NotContains(t, got.Values, "SharedSecret", "SuperOffice's own keys are not the service's")
	assert.Equal(t, "s3cret-consumer-value", got.Values["logicom.consumerSecret"])

	// A fresh resolver (another replica, or after a restart) finds them.
	r2 := resolver(t, st, keys)
	for _, ids := range []connections.IDs{{CRM: 7}, {Quote: 7}, {EIS: 7}, {Quote: 7, EIS: 9}, {}} {
		got, err = r2.Resolve(ctx, "acme", ids, nil)
		require.NoError(t, err)
		assert.Equal(t, connections.Stored, got.Source, "%+v", ids)
		assert.Equal(t, 7, got.ConnectionID)
		assert.Equal(t, "s3cret-consumer-value", got.Values["logicom.consumerSecret"])
		assert.Equal(t, "[F:25]", got.Values["pricing.markupPercent"])
		assert.Len(t, got.Values, 4)
	}

	// Another id of the same tenant, and any id of another tenant, find nothing.
	got, err = r2.Resolve(ctx, "acme", connections.IDs{CRM: 8}, nil)
	require.NoError(t, err)
	assert.Equal(t, connections.None, got.Source)
	for _, ids := range []connections.IDs{{CRM: 7}, {}} {
		got, err = r2.Resolve(ctx, "intruder", ids, nil)
		require.NoError(t, err)
		assert.Equal(t, connections.None, got.Source)
		assert.Empty(t, got.Values)
	}

	// With two connections, a call naming none is ambiguous.
	_, err = r2.Resolve(ctx, "acme", connections.IDs{CRM: 8}, map[string]string{"nuvias.enabled": "1"})
	require.NoError(t, err)
	got, err = r2.Resolve(ctx, "acme", connections.IDs{}, nil)
	require.NoError(t, err)
	assert.Equal(t, connections.None, got.Source)

	// Nothing secret is readable in the data folder.
	assertNoPlaintext(t, dir, "s3cret-consumer-value", "nuvias-secret-value", "superoffice-shared-secret")
}

func TestReplacedAndRotated(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	oldKey, newKeyBytes := newKey(t), newKey(t)
	oldRing, _ := connections.NewKeyring(oldKey, nil)
	_, err := resolver(t, st, oldRing).Resolve(ctx, "acme", connections.IDs{CRM: 1}, sent)
	require.NoError(t, err)
	before, err := st.GetConnection(ctx, "acme", 1)
	require.NoError(t, err)

	rotated, _ := connections.NewKeyring(newKeyBytes, oldKey)
	r := resolver(t, st, rotated)
	got, err := r.Resolve(ctx, "acme", connections.IDs{CRM: 1}, nil)
	require.NoError(t, err)
	assert.Equal(t, "nuvias-secret-value", got.Values["nuvias.clientSecret"], "read with the previous key")

	// The next call that carries settings re-seals them under the new key.
	_, err = r.Resolve(ctx, "acme", connections.IDs{CRM: 1}, sent)
	require.NoError(t, err)
	after, err := st.GetConnection(ctx, "acme", 1)
	require.NoError(t, err)
	assert.NotEqual(t, before.Values["nuvias.clientSecret"], after.Values["nuvias.clientSecret"])
	newOnly, _ := connections.NewKeyring(newKeyBytes, nil)
	got, err = resolver(t, st, newOnly).Resolve(ctx, "acme", connections.IDs{CRM: 1}, nil)
	require.NoError(t, err)
	assert.Equal(t, "nuvias-secret-value", got.Values["nuvias.clientSecret"])

	// Settings sent again replace the whole set.
	_, err = r.Resolve(ctx, "acme", connections.IDs{CRM: 1}, map[string]string{"westcon.enabled": "1"})
	require.NoError(t, err)
	got, err = resolver(t, st, rotated).Resolve(ctx, "acme", connections.IDs{CRM: 1}, nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"westcon.enabled": "1"}, got.Values)

	// A wrong key is an error, never garbage credentials.
	wrong, _ := connections.NewKeyring(newKey(t), nil)
	_, err = resolver(t, st, wrong).Resolve(ctx, "acme", connections.IDs{CRM: 1}, nil)
	assert.NoError(t, err, "nothing sealed is left in this set")
	_, err = resolver(t, st, rotated).Resolve(ctx, "acme", connections.IDs{CRM: 2}, sent)
	require.NoError(t, err)
	_, err = resolver(t, st, wrong).Resolve(ctx, "acme", connections.IDs{CRM: 2}, nil)
	require.ErrorIs(t, err, connections.ErrUnreadable)
	assert.NotContains(t, err.Error(), "secret-value")
}

func TestOnlyConnectionWithoutID(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	keys, _ := connections.NewKeyring(newKey(t), nil)
	r := resolver(t, st, keys)
	_, err := r.Resolve(ctx, "acme", connections.IDs{}, sent)
	require.NoError(t, err)
	got, err := resolver(t, st, keys).Resolve(ctx, "acme", connections.IDs{Quote: 12}, nil)
	require.NoError(t, err)
	assert.Equal(t, connections.Stored, got.Source, "settings stored without an id serve the tenant's calls")
	assert.Equal(t, 0, got.ConnectionID)
}

func assertNoPlaintext(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			assert.False(t, bytes.Contains(b, []byte(s)), "%s holds %q", path, s)
			assert.False(t, strings.Contains(strings.ToLower(string(b)), strings.ToLower(s)))
		}
		return nil
	})
	require.NoError(t, err)
}

// countingStore counts the store calls a resolver makes.
type countingStore struct {
	store.Connections
	puts, gets int
}

func (c *countingStore) PutConnection(ctx context.Context, r store.ConnectionRecord) error {
	c.puts++
	return c.Connections.PutConnection(ctx, r)
}

func (c *countingStore) GetConnection(ctx context.Context, tenant string, id int) (store.ConnectionRecord, error) {
	c.gets++
	return c.Connections.GetConnection(ctx, tenant, id)
}

// Settings sent again unchanged are neither stored again nor read back:
// the cached set answers, on every call that carries them.
func TestRepeatedSettingsStayInMemory(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	cs := &countingStore{Connections: st}
	keys, _ := connections.NewKeyring(newKey(t), nil)
	r := resolver(t, cs, keys)
	for i := 0; i < 5; i++ {
		got, err := r.Resolve(ctx, "acme", connections.IDs{CRM: 7}, sent)
		require.NoError(t, err)
		assert.Equal(t, "s3cret-consumer-value", got.Values["logicom.consumerSecret"])
	}
	assert.Equal(t, 1, cs.puts)
	assert.Equal(t, 1, cs.gets, "only the first call looks at the store")

	// A changed value is stored.
	changed := map[string]string{"logicom.enabled": "0"}
	for k, v := range sent {
		if _, ok := changed[k]; !ok {
			changed[k] = v
		}
	}
	_, err := r.Resolve(ctx, "acme", connections.IDs{CRM: 7}, changed)
	require.NoError(t, err)
	assert.Equal(t, 2, cs.puts)
	rec, err := st.GetConnection(ctx, "acme", 7)
	require.NoError(t, err)
	assert.Equal(t, "0", rec.Values["logicom.enabled"])
}

type cacheCounter struct{ hits, misses int }

func (c *cacheCounter) CacheLookup(cache string, hit bool) {
	if cache != "connections" {
		return
	}
	if hit {
		c.hits++
	} else {
		c.misses++
	}
}

// Lookups of remembered settings are counted; Stored reads the store itself.
func TestCacheLookupsCountedAndStoredReadsTheStore(t *testing.T) {
	st, _ := storetest.SQLite(t)
	keys, err := connections.NewKeyring(newKey(t), nil)
	require.NoError(t, err)
	counter := &cacheCounter{}
	r := connections.New(connections.Options{Store: st, Keys: keys, IsServiceKey: isServiceKey, IsSecret: isSecret, Cache: counter})
	ctx := context.Background()
	_, err = r.Resolve(ctx, "acme", connections.IDs{CRM: 3}, sent)
	require.NoError(t, err)
	other := connections.New(connections.Options{Store: st, Keys: keys, IsServiceKey: isServiceKey, IsSecret: isSecret, Cache: counter})
	for range 2 {
		got, err := other.Resolve(ctx, "acme", connections.IDs{CRM: 3}, nil)
		require.NoError(t, err)
		assert.Equal(t, "s3cret-consumer-value", got.Values["logicom.consumerSecret"])
	}
	assert.Equal(t, 1, counter.misses, "a new replica reads the store once")
	assert.Equal(t, 1, counter.hits)

	got, err := r.Stored(ctx, "acme", 3)
	require.NoError(t, err)
	assert.Equal(t, connections.Stored, got.Source)
	assert.Equal(t, "nuvias-secret-value", got.Values["nuvias.clientSecret"])
	assert.NotContains(t, got.Values, "SharedSecret")
	_, err = r.Stored(ctx, "acme", 4)
	assert.ErrorIs(t, err, store.ErrNotFound)
}
