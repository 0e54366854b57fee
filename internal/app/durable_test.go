package app_test

// End-to-end tests of the durable state over HTTP: the service in production
// mode (no sandbox defaults) against shared simulators, restarted, run as
// two replicas, and with distributor faults around the order POST.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/apptest"
	"github.com/quoteconnector/quoteconnector/internal/config"
	"github.com/quoteconnector/quoteconnector/internal/sandbox"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/faults"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

const connectionID = 7

// superOfficeKeys are what SuperOffice adds to ConfigValues on its own.
var superOfficeKeys = map[string]string{"SharedSecret": "so-shared-secret-value", "ApplicationId": "app-123", "QuoteConnectorUrl": "https://qc.example"}

// testConnection sends the settings as SuperOffice's TestConnection does
// (ConnectionData) and requires them to work.
func testConnection(t *testing.T, env *apptest.Env, id int, values map[string]string) so.PluginResponseInfo {
	t.Helper()
	data := map[string]string{}
	for k, v := range values {
		data[k] = v
	}
	for k, v := range superOfficeKeys {
		data[k] = v
	}
	r := env.Post(t, "TestConnection", map[string]any{"ConnectionData": data, "ConnectionInfo": map[string]any{"CRMConnectionId": id}})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var pr so.PluginResponseInfo
	r.JSON(t, &pr)
	return pr
}

// orderContext is a PlaceOrder context of one Logicom and one Nuvias line
// for connection id, referenced ref (the quote version number and PO).
func orderContext(ex sandbox.Sandbox, id int, ref string) map[string]any {
	e := ex.Catalog.Example()
	l := &so.QuoteLineInfo{ERPProductKey: "logicom:" + e.InStockSKU, ERPPriceListKey: "logicom:EUR", Quantity: 2, UnitListPrice: 10}
	n := &so.QuoteLineInfo{ERPProductKey: fmt.Sprintf("nuvias:%d", e.NuviasIDOf[e.SharedNuviasCheaper]), ERPPriceListKey: "nuvias:EUR", Quantity: 1, UnitListPrice: 10}
	ctx := alternativeContext(quoteContext(l, n))
	// Each reference is a quote of its own (its digits are the quote id).
	quoteID, _ := strconv.Atoi(strings.TrimLeft(ref, "Q-"))
	ctx["CRMQuote"] = map[string]any{"QuoteId": quoteID, "QuoteConnectionId": id, "PoNumber": ref}
	ctx["CRMQuoteVersion"] = map[string]any{"QuoteVersionId": 21, "QuoteId": quoteID, "Number": ref, "State": 2}
	return ctx
}

func placeOrder(t *testing.T, env *apptest.Env, ctx map[string]any) so.PlaceOrderResponseInfo {
	t.Helper()
	r := env.Post(t, "PlaceOrder", map[string]any{"Context": ctx})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var pr so.PlaceOrderResponseInfo
	r.JSON(t, &pr)
	return pr
}

// ordersAt counts the orders the simulators hold under a reference.
func ordersAt(sb *sandbox.Sandbox, ref string) (logicom, nuvias int) {
	return len(sb.Logicom.OrdersWithReference(ref)), len(sb.Nuvias.OrdersWithPurchaseOrder(ref))
}

func TestRememberedConnectionInProductionMode(t *testing.T) {
	sims := apptest.StartSimulators(t)
	dir := t.TempDir()
	env := apptest.Start(t, apptest.Options{Simulators: sims, DataDir: dir})
	ex := env.Example
	shared := map[string]any{"UserInput": ex.SharedLogicomCheaper, "CurrencyCode": "EUR", "ConnectionInfo": map[string]any{"CRMConnectionId": connectionID}}

	// Nothing sent or stored yet: no distributor, and the answers say why.
	assert.Equal(t, "[]", string(env.Post(t, "FindProduct", shared).Body))
	assert.Contains(t, env.Logs.String(), "no connection settings sent or stored")
	var pr so.PluginResponseInfo
	env.Post(t, "TestConnection", map[string]any{"ConnectionInfo": map[string]any{"CRMConnectionId": connectionID}}).JSON(t, &pr)
	assert.False(t, pr.IsOk)
	assert.Contains(t, so.ParseText(pr.UserExplanation).US, "No connection settings have been received yet")
	line := env.Post(t, "GetQuoteLinesFromProduct", map[string]any{"ErpProductKey": "logicom:" + ex.InStockSKU,
		"Context": map[string]any{"CRMQuote": map[string]any{"QuoteConnectionId": connectionID}}})
	var noLines []so.QuoteLineInfo
	line.JSON(t, &noLines)
	require.Len(t, noLines, 1)
	assert.Equal(t, so.StatusError, noLines[0].Status)
	assert.Contains(t, so.ParseText(noLines[0].Reason).US, "No connection settings have been received yet")

	edited := &so.QuoteLineInfo{ERPProductKey: "logicom:" + ex.InStockSKU, ERPPriceListKey: "logicom:EUR", Quantity: 3, UnitListPrice: 10}
	var changedLine so.QuoteLineInfo
	env.Post(t, "OnQuoteLineChanged", map[string]any{"QuoteLine": edited, "ChangedFields": []string{"Quantity"},
		"Context": map[string]any{"CRMQuote": map[string]any{"QuoteConnectionId": connectionID}}}).JSON(t, &changedLine)
	assert.Equal(t, so.StatusWarning, changedLine.Status)
	assert.Contains(t, so.ParseText(changedLine.Reason).US, "No connection settings have been received yet")
	assert.Equal(t, 30.0, changedLine.TotalPrice, "the line is still calculated")

	// SuperOffice's TestConnection carries the settings once.
	pr = testConnection(t, env, connectionID, sims.ConfigValues())
	require.True(t, pr.IsOk, pr.UserExplanation)

	// Later calls carry none, and name the connection in any of the ways
	// SuperOffice does.
	searchFinds := func(env *apptest.Env) {
		var ps []so.ProductInfo
		env.Post(t, "FindProduct", shared).JSON(t, &ps)
		assert.Contains(t, keys(ps), "logicom:"+ex.SharedLogicomCheaper)
		assert.Contains(t, keys(ps), "nuvias:"+strconv.Itoa(ex.NuviasIDOf[ex.SharedLogicomCheaper]))
	}
	searchFinds(env)
	var lines []so.QuoteLineInfo
	env.Post(t, "GetQuoteLinesFromProduct", map[string]any{"ErpProductKey": "logicom:" + ex.InStockSKU,
		"Context": map[string]any{"CRMQuote": map[string]any{"QuoteConnectionId": connectionID}}}).JSON(t, &lines)
	require.Len(t, lines, 1)
	assert.Equal(t, so.StatusOk, lines[0].Status, lines[0].Reason)
	assert.Positive(t, lines[0].UnitCost)
	ctx := orderContext(*sims, 0, "Q-5001")
	ctx["EISConnectionId"] = connectionID
	placed := placeOrder(t, env, ctx)
	require.True(t, placed.IsOk, placed.UserExplanation)

	// A restart remembers both the settings and the order.
	env.Stop()
	env = apptest.Start(t, apptest.Options{Simulators: sims, DataDir: dir})
	searchFinds(env)
	again := placeOrder(t, env, ctx)
	require.True(t, again.IsOk, again.UserExplanation)
	assert.Equal(t, placed.CRMQuote.ERPOrderKey, again.CRMQuote.ERPOrderKey)
	l, n := ordersAt(sims, "Q-5001")
	assert.Equal(t, 1, l, "one Logicom order")
	assert.Equal(t, 1, n, "one Nuvias order")

	// No secret is readable in the data folder.
	var secrets []string
	for k, v := range sims.ConfigValues() {
		if env.Main.Engine.Registry().IsSecret(k) {
			secrets = append(secrets, v)
		}
	}
	for _, v := range superOfficeKeys {
		secrets = append(secrets, v)
	}
	require.NotEmpty(t, secrets)
	scanForSecrets(t, dir, secrets)
}

func scanForSecrets(t *testing.T, dir string, secrets []string) {
	t.Helper()
	files := 0
	require.NoError(t, filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		files++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			assert.False(t, bytes.Contains(b, []byte(s)), "%s holds a secret in plaintext", path)
		}
		return nil
	}))
	assert.Positive(t, files, "the data folder holds the store")
}

func TestConnectionsOfOneTenantAndAnotherTenant(t *testing.T) {
	sims := apptest.StartSimulators(t)
	env := apptest.Start(t, apptest.Options{Simulators: sims, Configure: func(c *config.Config) {
		c.SharedSecrets = config.Secret(apptest.Tenant + "=" + apptest.Secret + ",intruder=intruder-secret")
	}})
	ex := env.Example
	all := sims.ConfigValues()
	only := func(name string) map[string]string {
		out := map[string]string{}
		for k, v := range all {
			if strings.HasPrefix(k, name+".") {
				out[k] = v
			}
		}
		return out
	}
	require.True(t, testConnection(t, env, 1, only("logicom")).IsOk)
	require.True(t, testConnection(t, env, 2, only("nuvias")).IsOk)

	search := func(tenant, secret string, id int) []string {
		body := map[string]any{"UserInput": ex.SharedLogicomCheaper, "CurrencyCode": "EUR"}
		if id != 0 {
			body["ConnectionInfo"] = map[string]any{"CRMConnectionId": id}
		}
		var ps []so.ProductInfo
		env.PostAs(t, tenant, secret, "FindProduct", body).JSON(t, &ps)
		return keys(ps)
	}
	assert.Equal(t, []string{"logicom:" + ex.SharedLogicomCheaper}, search(apptest.Tenant, apptest.Secret, 1))
	assert.Equal(t, []string{"nuvias:" + strconv.Itoa(ex.NuviasIDOf[ex.SharedLogicomCheaper])}, search(apptest.Tenant, apptest.Secret, 2))
	assert.Empty(t, search(apptest.Tenant, apptest.Secret, 3), "an unknown connection has no settings")
	assert.Empty(t, search(apptest.Tenant, apptest.Secret, 0), "two connections: a call naming none is ambiguous")
	assert.Empty(t, search("intruder", "intruder-secret", 1), "another tenant never reaches this tenant's connection")
	assert.Empty(t, search("intruder", "intruder-secret", 0))

	// A third connection with the same Logicom product but a broken
	// account does not see the first connection's cached cost and stock.
	broken := only("logicom")
	broken["logicom.consumerSecret"] = "wrong"
	testConnection(t, env, 3, broken)
	lineOf := func(id int) apptest.Response {
		return env.Post(t, "GetQuoteLinesFromProduct", map[string]any{"ErpProductKey": "logicom:" + ex.InStockSKU,
			"ConnectionInfo": map[string]any{"CRMConnectionId": id}})
	}
	var lines []so.QuoteLineInfo
	lineOf(1).JSON(t, &lines)
	require.Len(t, lines, 1)
	require.Positive(t, lines[0].UnitCost)
	bad := lineOf(3)
	assert.Equal(t, http.StatusBadGateway, bad.Status, "no cost from another connection's cache: %s", bad.Body)
	assert.Contains(t, string(bad.Body), "credentials rejected")
}

// The acceptance run: two service processes on one PostgreSQL, an
// order, a restart of one of them, then 10 concurrent identical PlaceOrders
// to each: exactly one order per distributor, and every answer names them.
func TestTwoReplicasOnePostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	sims := apptest.StartSimulators(t)
	a := apptest.Start(t, apptest.Options{Simulators: sims, DatabaseURL: url})
	b := apptest.Start(t, apptest.Options{Simulators: sims, DatabaseURL: url})
	require.True(t, testConnection(t, a, connectionID, sims.ConfigValues()).IsOk)

	ctx := orderContext(*sims, connectionID, "Q-6001")
	first := placeOrder(t, b, ctx) // settings stored through a, used by b
	require.True(t, first.IsOk, first.UserExplanation)

	b.Stop()
	b = apptest.Start(t, apptest.Options{Simulators: sims, DatabaseURL: url})
	var wg sync.WaitGroup
	answers := make([]so.PlaceOrderResponseInfo, 20)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env := a
			if i%2 == 1 {
				env = b
			}
			answers[i] = placeOrder(t, env, orderContext(*sims, connectionID, "Q-6001"))
		}()
	}
	wg.Wait()
	for _, ans := range answers {
		assert.True(t, ans.IsOk, ans.UserExplanation)
		assert.Equal(t, first.CRMQuote.ERPOrderKey, ans.CRMQuote.ERPOrderKey)
	}
	l, n := ordersAt(sims, "Q-6001")
	assert.Equal(t, 1, l, "one Logicom order")
	assert.Equal(t, 1, n, "one Nuvias order")
}

// Concurrent first orders on two replicas: the ledger's unique claim lets
// exactly one of them send.
func TestConcurrentFirstOrdersOnTwoReplicas(t *testing.T) {
	url := storetest.PostgresURL(t)
	sims := apptest.StartSimulators(t)
	replicas := []*apptest.Env{
		apptest.Start(t, apptest.Options{Simulators: sims, DatabaseURL: url}),
		apptest.Start(t, apptest.Options{Simulators: sims, DatabaseURL: url}),
	}
	require.True(t, testConnection(t, replicas[0], connectionID, sims.ConfigValues()).IsOk)
	var wg sync.WaitGroup
	answers := make([]so.PlaceOrderResponseInfo, 10)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = placeOrder(t, replicas[i%2], orderContext(*sims, connectionID, "Q-6101"))
		}()
	}
	wg.Wait()
	for _, ans := range answers {
		assert.True(t, ans.IsOk, ans.UserExplanation)
		assert.Equal(t, answers[0].CRMQuote.ERPOrderKey, ans.CRMQuote.ERPOrderKey)
	}
	l, n := ordersAt(sims, "Q-6101")
	assert.Equal(t, 1, l)
	assert.Equal(t, 1, n)
}

// A 503 on the order POST: the order is uncertain; the retry looks it up,
// finds nothing, and sends it.
func Test503ThenRetry(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := orderContext(*env.Sandbox, 0, "Q-7001")
	env.Sandbox.Logicom.Faults().Set(faults.Config{Burst503: 1, Path: "PostOrder"})
	env.Sandbox.Nuvias.Faults().Set(faults.Config{Burst503: 1, Path: "POST /api/v1/orders"})

	first := placeOrder(t, env, ctx)
	assert.False(t, first.IsOk)
	assert.Contains(t, so.ParseText(first.UserExplanation).US, "may have been placed")
	assert.Empty(t, first.CRMQuote.ERPOrderKey)

	second := placeOrder(t, env, ctx)
	require.True(t, second.IsOk, second.UserExplanation)
	l, n := ordersAt(env.Sandbox, "Q-7001")
	assert.Equal(t, 1, l)
	assert.Equal(t, 1, n)
	assert.Contains(t, second.CRMQuote.ERPOrderKey, "logicom:")
	assert.Contains(t, second.CRMQuote.ERPOrderKey, "nuvias:")
}

// The distributor creates the order but its answer never arrives: the
// retry finds the order by its reference and does not send it again.
func TestTimeoutAfterCreateThenRetry(t *testing.T) {
	env := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.UpstreamTimeout = 3 * time.Second }})
	ctx := orderContext(*env.Sandbox, 0, "Q-7002")
	env.Sandbox.Logicom.Faults().Set(faults.Config{LoseResponse: true, Path: "PostOrder"})
	env.Sandbox.Nuvias.Faults().Set(faults.Config{LoseResponse: true, Path: "POST /api/v1/orders"})

	first := placeOrder(t, env, ctx)
	assert.False(t, first.IsOk)
	assert.Contains(t, so.ParseText(first.UserExplanation).US, "may have been placed")
	l, n := ordersAt(env.Sandbox, "Q-7002")
	require.Equal(t, 1, l, "Logicom created the order")
	require.Equal(t, 1, n, "Nuvias created the order")

	env.Sandbox.Logicom.Faults().Reset()
	env.Sandbox.Nuvias.Faults().Reset()
	second := placeOrder(t, env, ctx)
	require.True(t, second.IsOk, second.UserExplanation)
	l, n = ordersAt(env.Sandbox, "Q-7002")
	assert.Equal(t, 1, l, "not sent again")
	assert.Equal(t, 1, n, "not sent again")
	assert.Contains(t, second.CRMQuote.ERPOrderKey, "logicom:"+env.Sandbox.Logicom.OrdersWithReference("Q-7002")[0])
	assert.Contains(t, second.CRMQuote.ERPOrderKey, fmt.Sprintf("nuvias:%d", env.Sandbox.Nuvias.OrdersWithPurchaseOrder("Q-7002")[0]))
}

// Other lines under a placed key are refused and nothing is sent; a
// distributor named in the incoming ERPOrderKey is never ordered again.
func TestChangedLinesAfterPlacedOrder(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := orderContext(*env.Sandbox, 0, "Q-7003")
	first := placeOrder(t, env, ctx)
	require.True(t, first.IsOk, first.UserExplanation)

	changed := orderContext(*env.Sandbox, 0, "Q-7003")
	lines := changed["CRMAlternativeWithLines"].(map[string]any)["CRMQuoteLines"].([]*so.QuoteLineInfo)
	lines[0].Quantity = 5
	r := placeOrder(t, env, changed)
	assert.False(t, r.IsOk)
	logicomOrder := env.Sandbox.Logicom.OrdersWithReference("Q-7003")[0]
	assert.Contains(t, so.ParseText(r.UserExplanation).US, "Logicom order "+logicomOrder+" was already placed for this alternative with other lines")
	assert.Contains(t, r.CRMQuote.ERPOrderKey, "logicom:"+logicomOrder, "the existing order stays named")
	l, n := ordersAt(env.Sandbox, "Q-7003")
	assert.Equal(t, 1, l)
	assert.Equal(t, 1, n)

	// A quote whose ERPOrderKey already names the Nuvias order, on a fresh
	// alternative: only Logicom is ordered.
	fresh := orderContext(*env.Sandbox, 0, "Q-7004")
	fresh["CRMQuote"].(map[string]any)["ERPOrderKey"] = "nuvias:424242"
	r = placeOrder(t, env, fresh)
	require.True(t, r.IsOk, r.UserExplanation)
	assert.Contains(t, r.CRMQuote.ERPOrderKey, "nuvias:424242")
	l, n = ordersAt(env.Sandbox, "Q-7004")
	assert.Equal(t, 1, l)
	assert.Zero(t, n, "Nuvias is not ordered again")
}

// In sandbox mode the simulators start fresh, so the embedded store's
// order ledger starts fresh too; remembered connections stay.
func TestSandboxRestartClearsTheLedgerOnly(t *testing.T) {
	dir := t.TempDir()
	env := apptest.Start(t, apptest.Options{DataDir: dir})
	ctx := orderContext(*env.Sandbox, connectionID, "Q-8001")
	require.True(t, testConnection(t, env, connectionID, env.Sandbox.ConfigValues()).IsOk)
	require.True(t, placeOrder(t, env, ctx).IsOk)
	env.Stop()

	env = apptest.Start(t, apptest.Options{DataDir: dir})
	again := placeOrder(t, env, orderContext(*env.Sandbox, connectionID, "Q-8001"))
	require.True(t, again.IsOk, again.UserExplanation)
	l, n := ordersAt(env.Sandbox, "Q-8001")
	assert.Equal(t, 1, l, "placed at the new simulators, which know it")
	assert.Equal(t, 1, n)
	assert.Contains(t, env.Logs.String(), "order ledger of earlier runs was cleared")
	conns, err := env.Main.Store.ListConnections(context.Background(), apptest.Tenant)
	require.NoError(t, err)
	assert.Len(t, conns, 1, "connections are remembered")
}

// The console's Rates page shows the service's own exchange-rate feed.
func TestConsoleShowsTheRates(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	r := env.Console(t, http.MethodGet, "/console/rates", nil, nil)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	assert.Contains(t, string(r.Body), "NOK")
	assert.Contains(t, string(r.Body), "11.7215")
}
