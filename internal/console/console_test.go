package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/config"
	"github.com/quoteconnector/quoteconnector/internal/distributors/logicom"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
	"github.com/quoteconnector/quoteconnector/internal/store"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// The console over real HTTP, in the whole service (apptest): sandbox
// simulators, the SQLite store, the real router.

// orderContext is a PlaceOrder context of one Logicom line for quote
// quoteID, referenced "Q-<quoteID>".
func orderContext(env *apptest.Env, quoteID int) map[string]any {
	ref := fmt.Sprintf("Q-%d", quoteID)
	line := &so.QuoteLineInfo{ERPProductKey: "logicom:" + env.Example.InStockSKU, ERPPriceListKey: "logicom:EUR", Quantity: 2, UnitListPrice: 10}
	return map[string]any{
		"CRMQuote":        map[string]any{"QuoteId": quoteID, "PoNumber": ref},
		"CRMQuoteVersion": map[string]any{"QuoteVersionId": quoteID + 1, "QuoteId": quoteID, "Number": ref, "State": 2},
		"CRMAlternativeWithLines": map[string]any{
			"CRMAlternative": map[string]any{"QuoteAlternativeId": quoteID + 2, "Name": "A"},
			"CRMQuoteLines":  []*so.QuoteLineInfo{line},
		},
	}
}

func placeOrder(t *testing.T, env *apptest.Env, quoteID int) so.PlaceOrderResponseInfo {
	t.Helper()
	r := env.Post(t, "PlaceOrder", map[string]any{"Context": orderContext(env, quoteID)})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var pr so.PlaceOrderResponseInfo
	r.JSON(t, &pr)
	return pr
}

func get(t *testing.T, env *apptest.Env, path string) string {
	t.Helper()
	r := env.Console(t, http.MethodGet, path, nil, nil)
	require.Equal(t, http.StatusOK, r.Status, "GET %s: %s", path, r.Body)
	return string(r.Body)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is a token from a page the console user loaded.
func csrf(t *testing.T, env *apptest.Env) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(get(t, env, "/console/orders"))
	if m == nil {
		// The orders page has forms only with rows; the tenants page has
		// one per connection in sandbox mode.
		m = csrfField.FindStringSubmatch(get(t, env, "/console/tenants"))
	}
	require.NotNil(t, m, "no form with a CSRF token")
	return m[1]
}

// uncertainRow is the only uncertain ledger row.
func uncertainRow(t *testing.T, env *apptest.Env) store.OrderRecord {
	t.Helper()
	rows, err := env.Main.Store.ListOrders(t.Context(), store.OrderFilter{State: store.OrderUncertain})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	return rows[0]
}

func keyForm(rec store.OrderRecord, token string) url.Values {
	k := rec.Key
	return url.Values{"csrf": {token}, "tenant": {k.Tenant}, "connection": {fmt.Sprint(k.ConnectionID)}, "quote": {fmt.Sprint(k.QuoteID)},
		"version": {fmt.Sprint(k.VersionID)}, "alternative": {fmt.Sprint(k.AlternativeID)}, "distributor": {k.Distributor},
		"attempt": {fmt.Sprint(rec.Attempt)}, "ftenant": {""}, "fstate": {""}}
}

func TestOnlyConsoleUsersGetIn(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	for name, edit := range map[string]func(*http.Request){
		"no credentials":     func(r *http.Request) { r.Header.Del("Authorization") },
		"wrong password":     func(r *http.Request) { r.SetBasicAuth(apptest.ConsoleUser, "guess") },
		"unknown user":       func(r *http.Request) { r.SetBasicAuth("mallory", apptest.ConsolePassword) },
		"tenant credentials": func(r *http.Request) { r.SetBasicAuth(apptest.Tenant, apptest.Secret) },
		"sandbox tenant":     func(r *http.Request) { r.SetBasicAuth("sandbox", "sandbox") },
	} {
		r := env.Console(t, http.MethodGet, "/console/", nil, edit)
		assert.Equal(t, http.StatusUnauthorized, r.Status, name)
		assert.Equal(t, `Basic realm="quoteconnector console", charset="UTF-8"`, r.Header.Get("WWW-Authenticate"), name)
		assert.Equal(t, "DENY", r.Header.Get("X-Frame-Options"), name)
		assert.NotContains(t, string(r.Body), "Tenants and connections", name)
	}
	assert.Contains(t, env.Logs.String(), `"detail":"wrong password"`)
	assert.Contains(t, env.Logs.String(), `"detail":"unknown console user"`)
	assert.NotContains(t, env.Logs.String(), "mallory", "an unknown name may be a mistyped password")

	r := env.Console(t, http.MethodGet, "/console/", nil, nil)
	assert.Equal(t, http.StatusOK, r.Status)
	assert.Contains(t, string(r.Body), "Signed in as <strong>ops</strong>")
	r = env.Console(t, http.MethodGet, "/console", nil, nil)
	assert.Equal(t, http.StatusOK, r.Status, "without the slash too")
	assert.Contains(t, string(r.Body), "<h1>Overview</h1>")
	r = env.Console(t, http.MethodGet, "/console/static/console.css", nil, nil)
	assert.Equal(t, http.StatusOK, r.Status)
	assert.Contains(t, r.Header.Get("Content-Type"), "text/css")
	// Tenant credentials still serve SuperOffice, and console users do not.
	assert.Equal(t, http.StatusOK, env.Post(t, "GetCapabilities", "{}").Status)
	assert.Equal(t, http.StatusUnauthorized, env.PostAs(t, apptest.ConsoleUser, apptest.ConsolePassword, "GetCapabilities", "{}").Status)
}

func TestConsoleIsOffWithoutUsersOutsideSandboxMode(t *testing.T) {
	sims := apptest.StartSimulators(t)
	env := apptest.Start(t, apptest.Options{Simulators: sims, Configure: func(c *config.Config) { c.ConsoleUsers = "" }})
	for _, path := range []string{"/console", "/console/", "/console/orders", "/console/static/console.css"} {
		r := env.Console(t, http.MethodGet, path, nil, nil)
		assert.Equal(t, http.StatusNotFound, r.Status, path)
	}

	// Sandbox mode with no users: sandbox/sandbox.
	sandbox := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.ConsoleUsers = "" }})
	r := sandbox.Console(t, http.MethodGet, "/console/", nil, func(r *http.Request) { r.SetBasicAuth("sandbox", "sandbox") })
	assert.Equal(t, http.StatusOK, r.Status)
	r = sandbox.Console(t, http.MethodGet, "/console/", nil, nil)
	assert.Equal(t, http.StatusUnauthorized, r.Status, "only the sandbox user")

	// Users set outside sandbox mode: on.
	on := apptest.Start(t, apptest.Options{Simulators: sims})
	assert.Equal(t, http.StatusOK, on.Console(t, http.MethodGet, "/console/", nil, nil).Status)
}

// Every page sends the security headers and shows no secret: not the
// distributor credentials (stored or sandbox), not the tenant's secret,
// not the store key, not a console password.
func TestPagesShowNoSecrets(t *testing.T) {
	sims := apptest.StartSimulators(t)
	env := apptest.Start(t, apptest.Options{Simulators: sims})
	values := sims.ConfigValues()
	values["pricing.fxRates"] = "NOK=11.7215"
	data := map[string]any{}
	for k, v := range values {
		data[k] = v
	}
	data["SharedSecret"] = "superoffice-shared-secret-value"
	r := env.Post(t, "TestConnection", map[string]any{"ConnectionData": data, "ConnectionInfo": map[string]any{"CRMConnectionId": 7}})
	require.Equal(t, http.StatusOK, r.Status)
	r = env.Post(t, "PlaceOrder", map[string]any{"Context": orderContext(env, 501), "ConnectionInfo": map[string]any{"CRMConnectionId": 7}})
	require.Equal(t, http.StatusOK, r.Status)
	env.Post(t, "FindProduct", map[string]any{"UserInput": env.Example.SharedPart, "ConnectionInfo": map[string]any{"CRMConnectionId": 7}})

	var secrets []string
	for k, v := range values {
		if env.Main.Engine.Registry().IsSecret(k) {
			secrets = append(secrets, v)
		}
	}
	require.Len(t, secrets, 6, "every Password-type value of the sandbox accounts")
	secrets = append(secrets, "superoffice-shared-secret-value", apptest.Secret, apptest.StoreKey, apptest.ConsolePassword)

	pages := []string{"/console/", "/console/tenants", "/console/orders", "/console/orders?state=placed&tenant=" + apptest.Tenant, "/console/no-such-page"}
	for _, path := range pages {
		r := env.Console(t, http.MethodGet, path, nil, nil)
		body := string(r.Body)
		for _, s := range secrets {
			assert.NotContains(t, body, s, "%s shows a secret", path)
		}
		assert.Contains(t, r.Header.Get("Content-Security-Policy"), "default-src 'none'", path)
		assert.Contains(t, r.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'", path)
		assert.Equal(t, "DENY", r.Header.Get("X-Frame-Options"), path)
		assert.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"), path)
		assert.Equal(t, "no-store", r.Header.Get("Cache-Control"), path)
		assert.NotContains(t, body, " style=", "%s: no inline style (the CSP forbids it)", path)
		assert.NotContains(t, body, "<script>", "%s: no inline script", path)
	}
	tenants := get(t, env, "/console/tenants")
	assert.Contains(t, tenants, apptest.Tenant+", connection 7")
	assert.Contains(t, tenants, "logicom.consumerSecret</code></td><td><span class=\"badge ok\">set</span>")
	assert.Contains(t, tenants, "logicom.customerId</code></td><td>"+values[logicom.KeyCustomerID]+"<")
	assert.NotContains(t, tenants, "SharedSecret", "SuperOffice's own keys are not stored")
	assert.Contains(t, tenants, "fetched 1 time", "the token state")
	assert.Regexp(t, `Search, [0-9.]+ ms`, tenants, "the last good call with its latency")
	for _, s := range secrets {
		assert.NotContains(t, env.Logs.String(), s, "the log shows a secret")
	}
}

func TestActionsNeedACSRFTokenFromTheConsole(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	token := csrf(t, env)
	form := url.Values{"tenant": {apptest.Tenant}, "connection": {"0"}}

	r := env.Console(t, http.MethodPost, "/console/tenants/test", form, nil)
	assert.Equal(t, http.StatusForbidden, r.Status, "no token")
	form.Set("csrf", "1."+strings.Repeat("0", 64))
	r = env.Console(t, http.MethodPost, "/console/tenants/test", form, nil)
	assert.Equal(t, http.StatusForbidden, r.Status, "a forged token")
	old := fmt.Sprintf("%d.%s", time.Now().Add(-13*time.Hour).Unix(), strings.Split(token, ".")[1])
	form.Set("csrf", old)
	r = env.Console(t, http.MethodPost, "/console/tenants/test", form, nil)
	assert.Equal(t, http.StatusForbidden, r.Status, "an old token")

	form.Set("csrf", token)
	r = env.Console(t, http.MethodPost, "/console/tenants/test", form, func(r *http.Request) {
		r.Header.Set("Sec-Fetch-Site", "cross-site")
	})
	assert.Equal(t, http.StatusForbidden, r.Status, "a form posted from another site")
	r = env.Console(t, http.MethodPost, "/console/tenants/test", form, func(r *http.Request) {
		r.Header.Set("Origin", "https://evil.example")
	})
	assert.Equal(t, http.StatusForbidden, r.Status, "another origin")

	r = env.Console(t, http.MethodGet, "/console/tenants/test", nil, nil)
	assert.Equal(t, http.StatusMethodNotAllowed, r.Status, "actions are POSTs")

	r = env.Console(t, http.MethodPost, "/console/tenants/test", form, nil)
	require.Equal(t, http.StatusSeeOther, r.Status, "%s", r.Body)
	assert.Equal(t, "/console/tenants#conn-acme-0", r.Header.Get("Location"))
	page := get(t, env, "/console/tenants")
	assert.Contains(t, page, `class="flash ok" role="status">Test connection of acme, no connection id works.`)
	assert.Contains(t, page, "Logicom: connection works. Logicom account Sandbox Reseller AS")
	assert.Regexp(t, `<td>Logicom</td>\s*<td><span class="badge ok">yes</span></td>\s*<td><code>[0-9a-f]{12}</code></td>\s*<td>valid until [^<]+, fetched 1 time</td>\s*<td>Test, [0-9.]+ ms`, page)
	assert.NotContains(t, get(t, env, "/console/tenants"), "class=\"flash", "a result is shown once")
}

// A 503 on the order POST leaves the order uncertain. The operator checks
// with the distributor (nothing there), marks it as not placed after a
// confirmation, and the next PlaceOrder sends it.
func TestUncertainOrderMarkedNotPlaced(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	env.Sandbox.Logicom.Faults().Set(faults.Config{Burst503: 1, Path: "PostOrder"})
	first := placeOrder(t, env, 601)
	require.False(t, first.IsOk)
	assert.Contains(t, so.ParseText(first.UserExplanation).US, "may have been placed")

	page := get(t, env, "/console/orders?state=uncertain")
	assert.Contains(t, page, "Check with Logicom")
	assert.NotContains(t, page, "Mark as not placed", "only after a check")
	rec := uncertainRow(t, env)
	token := csrf(t, env)

	r := env.Console(t, http.MethodPost, "/console/orders/not-placed", keyForm(rec, token), nil)
	require.Equal(t, http.StatusSeeOther, r.Status)
	assert.Contains(t, get(t, env, "/console/orders"), "Nothing changed: check the order with the distributor first.")

	r = env.Console(t, http.MethodPost, "/console/orders/check", keyForm(rec, token), nil)
	require.Equal(t, http.StatusSeeOther, r.Status, "%s", r.Body)
	assert.Equal(t, "/console/orders", r.Header.Get("Location"))
	page = get(t, env, "/console/orders")
	assert.Contains(t, page, "Logicom has no order with this reference.")
	assert.Contains(t, page, "Mark as not placed")
	assert.Contains(t, page, "by ops")
	assert.Empty(t, env.Sandbox.Logicom.OrdersWithReference("Q-601"))

	// Asking first: a confirmation page, nothing changed.
	r = env.Console(t, http.MethodPost, "/console/orders/not-placed", keyForm(rec, token), nil)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	assert.Contains(t, string(r.Body), "Mark the order as not placed?")
	assert.Contains(t, string(r.Body), `name="confirm" value="yes"`)
	assert.Equal(t, store.OrderUncertain, uncertainRow(t, env).State)

	form := keyForm(rec, token)
	form.Set("confirm", "yes")
	r = env.Console(t, http.MethodPost, "/console/orders/not-placed", form, nil)
	require.Equal(t, http.StatusSeeOther, r.Status, "%s", r.Body)
	page = get(t, env, "/console/orders")
	assert.Contains(t, page, "marked as not placed by ops")
	got, err := env.Main.Store.GetOrder(t.Context(), rec.Key)
	require.NoError(t, err)
	assert.Equal(t, store.OrderFailed, got.State)
	assert.Equal(t, apptest.ConsoleUser, got.ResolvedBy)

	// The same form again: the row has changed.
	r = env.Console(t, http.MethodPost, "/console/orders/not-placed", form, nil)
	require.Equal(t, http.StatusSeeOther, r.Status)
	assert.Contains(t, get(t, env, "/console/orders"), "Nothing changed: the order changed meanwhile")

	again := placeOrder(t, env, 601)
	require.True(t, again.IsOk, again.UserExplanation)
	assert.Len(t, env.Sandbox.Logicom.OrdersWithReference("Q-601"), 1)

	metrics := string(env.Do(t, http.MethodGet, "/metrics", nil, nil).Body)
	assert.Contains(t, metrics, `qc_orders_total{distributor="logicom",outcome="uncertain"} 1`)
	assert.Contains(t, metrics, `qc_orders_total{distributor="logicom",outcome="checked_not_found"} 1`)
	assert.Contains(t, metrics, `qc_orders_total{distributor="logicom",outcome="marked_not_placed"} 1`)
	assert.Contains(t, metrics, `qc_orders_total{distributor="logicom",outcome="placed"} 1`)
	assert.Contains(t, env.Logs.String(), `"operator":"ops"`)
}

// The distributor created the order but its answer was lost: the check
// finds it, and SuperOffice gets that order without a second one.
func TestUncertainOrderFoundByCheck(t *testing.T) {
	// The lost answer costs one deadline; the check and the retry must fit
	// in one on a busy machine too.
	env := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.UpstreamTimeout = 3 * time.Second }})
	env.Sandbox.Logicom.Faults().Set(faults.Config{LoseResponse: true, Path: "PostOrder"})
	first := placeOrder(t, env, 602)
	require.False(t, first.IsOk)
	env.Sandbox.Logicom.Faults().Reset()
	created := env.Sandbox.Logicom.OrdersWithReference("Q-602")
	require.Len(t, created, 1)

	overview := get(t, env, "/console/")
	assert.Contains(t, overview, "1 uncertain")
	rec := uncertainRow(t, env)
	r := env.Console(t, http.MethodPost, "/console/orders/check", keyForm(rec, csrf(t, env)), nil)
	require.Equal(t, http.StatusSeeOther, r.Status)
	page := get(t, env, "/console/orders")
	assert.Contains(t, page, "Logicom has the order as "+created[0]+": it is recorded as placed")
	assert.Contains(t, page, `<span class="badge placed">placed</span>`)

	again := placeOrder(t, env, 602)
	require.True(t, again.IsOk, again.UserExplanation)
	assert.Equal(t, "logicom:"+created[0], again.CRMQuote.ERPOrderKey)
	assert.Len(t, env.Sandbox.Logicom.OrdersWithReference("Q-602"), 1, "not sent again")
}

func TestOverviewShowsTheReplicaAndTheLastHour(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	env.Post(t, "FindProduct", map[string]any{"UserInput": env.Example.SharedPart})
	env.Post(t, "FindProduct", "not json")
	require.Eventually(t, func() bool {
		list, err := env.Main.Store.ListReplicas(t.Context(), time.Now().Add(-time.Minute))
		return err == nil && len(list) == 1
	}, 10*time.Second, 20*time.Millisecond, "the heartbeat is written at start")

	page := get(t, env, "/console/")
	assert.Contains(t, page, "<code>"+env.Main.Instance+"</code> (this one)")
	assert.Contains(t, page, "<code>"+env.Main.Store.Describe()+"</code>")
	assert.Regexp(t, `<tr><td>FindProduct</td><td class="num">2</td><td class="num">1</td><td class="num">0</td><td class="num">0 %</td></tr>`, page)
	assert.Regexp(t, `<td>Logicom</td>\s*<td><span class="badge ok">working</span></td>`, page)
	assert.NotContains(t, page, "<td>console", "the console's own requests are left out")
}
