package console

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/activity"
	"github.com/quoteconnector/quoteconnector/internal/engine"
	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/store"
)

var funcs = template.FuncMap{
	"ts":   timestamp,
	"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"ago":  ago,
	"dur":  duration,
	"span": func(d time.Duration) string { return d.Round(time.Second).String() },
	"pct":  func(f float64) string { return strconv.FormatFloat(math.Round(f*1000)/10, 'f', -1, 64) + " %" },
	"conn": connName,
	// dict hands an order row and the page's CSRF token to the orderkey
	// partial.
	"dict": func(csrf string, row orderRow) map[string]any { return map[string]any{"CSRF": csrf, "Row": row} },
}

// connName is how a connection id reads: 0 is a connection SuperOffice
// named no id for.
func connName(id int) string {
	if id == 0 {
		return "no connection id"
	}
	return "connection " + strconv.Itoa(id)
}

func timestamp(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func ago(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		s = strconv.Itoa(int(d/time.Second)) + " s"
	case d < time.Hour:
		s = strconv.Itoa(int(d/time.Minute)) + " min"
	case d < 48*time.Hour:
		s = strconv.Itoa(int(d/time.Hour)) + " h"
	default:
		s = strconv.Itoa(int(d/(24*time.Hour))) + " days"
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

func duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0 ms"
	case d < 10*time.Millisecond:
		return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
	case d < 10*time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	case d < time.Hour:
		return d.Round(time.Second).String()
	}
	return d.Round(time.Minute).String()
}

// --- overview ---

type overviewData struct {
	Instance     string
	Started      time.Time
	Uptime       time.Duration
	Store        string
	Replicas     []store.ReplicaRecord
	ReplicaError string
	Requests     []activity.EndpointStats
	Distributors []activity.DistributorHealth
	Uncertain    int
	OrdersError  string
}

func (c *Console) overview(w http.ResponseWriter, r *http.Request) {
	ctx, log := r.Context(), zerolog.Ctx(r.Context())
	now := c.o.Now()
	d := overviewData{Instance: c.o.Instance, Started: c.o.Started, Uptime: now.Sub(c.o.Started).Round(time.Second), Store: c.o.Store.Describe()}
	var err error
	if d.Replicas, err = c.o.Store.ListReplicas(ctx, now.Add(-c.o.ReplicaWindow)); err != nil {
		log.Error().Err(err).Msg("console: replicas unreadable")
		d.ReplicaError = "the store did not answer"
	}
	for _, e := range c.o.Activity.Requests() {
		// The console's own reloads would drown the calls that matter.
		if !strings.HasPrefix(e.Endpoint, strings.TrimPrefix(Path, "/")) {
			d.Requests = append(d.Requests, e)
		}
	}
	d.Distributors = c.o.Activity.Distributors()
	uncertain, err := c.o.Store.ListOrders(ctx, store.OrderFilter{State: store.OrderUncertain, Limit: 1000})
	if err != nil {
		log.Error().Err(err).Msg("console: ledger unreadable")
		d.OrdersError = "the store did not answer"
	}
	d.Uncertain = len(uncertain)
	c.render(w, r, http.StatusOK, "overview", c.newPage(r, "overview", "Overview", d))
}

// --- tenants and connections ---

type tenantsData struct {
	Connections []connectionView
	// Idle are configured tenants with no connection yet.
	Idle []string
}

type connectionView struct {
	Tenant       string
	ID           int
	Anchor       string
	Source       string
	UpdatedAt    time.Time
	Problem      string
	Settings     []settingView
	Distributors []distributorView
	Testable     bool
}

type settingView struct {
	Key    string
	Value  string // "" for a secret
	Secret bool
	Set    bool
}

type distributorView struct {
	Name    string
	Enabled bool
	Account string
	Token   *activity.TokenState
	activity.DistributorCalls
}

func (c *Console) tenants(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	keys, err := c.connectionKeys(ctx)
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("console: connections unreadable")
		c.renderError(w, r, http.StatusServiceUnavailable, "The store did not answer; try again.")
		return
	}
	var d tenantsData
	seen := map[string]bool{}
	for _, k := range keys {
		d.Connections = append(d.Connections, c.connectionView(ctx, k))
		seen[k.Tenant] = true
	}
	for _, t := range c.o.Tenants {
		if !seen[t] {
			d.Idle = append(d.Idle, t)
		}
	}
	sort.Strings(d.Idle)
	c.render(w, r, http.StatusOK, "tenants", c.newPage(r, "tenants", "Tenants and connections", d))
}

// connectionKeys are the stored connections, those this replica has
// called distributors for, and in sandbox mode the sandbox tenant's own,
// by tenant and id.
func (c *Console) connectionKeys(ctx context.Context) ([]activity.ConnectionKey, error) {
	stored, err := c.o.Store.ListConnections(ctx, "")
	if err != nil {
		return nil, err
	}
	set := map[activity.ConnectionKey]bool{}
	for _, s := range stored {
		set[activity.ConnectionKey{Tenant: s.Tenant, ConnectionID: s.ConnectionID}] = true
	}
	for _, k := range c.o.Activity.Connections() {
		set[k] = true
	}
	if c.o.Defaults != nil {
		for _, t := range c.o.Tenants {
			set[activity.ConnectionKey{Tenant: t}] = true
		}
	}
	out := make([]activity.ConnectionKey, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b activity.ConnectionKey) int {
		if a.Tenant != b.Tenant {
			return strings.Compare(a.Tenant, b.Tenant)
		}
		return a.ConnectionID - b.ConnectionID
	})
	return out, nil
}

var anchorUnsafe = regexp.MustCompile(`[^A-Za-z0-9_-]`)

func anchor(tenant string, id int) string {
	return "conn-" + anchorUnsafe.ReplaceAllString(tenant, "_") + "-" + strconv.Itoa(id)
}

// effective are a connection's settings as its calls get them: stored,
// else (sandbox mode) the defaults. source says which.
type effective struct {
	values    map[string]string
	source    string
	updatedAt time.Time
	problem   string
}

func (c *Console) settingsOf(ctx context.Context, tenant string, id int) effective {
	var e effective
	s, err := c.o.Connections.Stored(ctx, tenant, id)
	switch {
	case err == nil:
		e.values, e.source = s.Values, "stored"
		if rec, err := c.o.Store.GetConnection(ctx, tenant, id); err == nil {
			e.updatedAt = rec.UpdatedAt
		}
	case errors.Is(err, store.ErrNotFound):
		e.source = "not stored"
	default:
		// The error names the connection and the setting, never a value.
		e.source, e.problem = "stored, unreadable", err.Error()
		return e
	}
	if merged, used := c.o.Engine.Registry().WithDefaults(e.values, c.o.Defaults); used {
		e.values = merged
		if e.source == "stored" {
			e.source = "stored, with the sandbox accounts"
		} else {
			e.source = "the sandbox accounts (not stored)"
		}
	}
	return e
}

func (c *Console) connectionView(ctx context.Context, k activity.ConnectionKey) connectionView {
	e := c.settingsOf(ctx, k.Tenant, k.ConnectionID)
	v := connectionView{Tenant: k.Tenant, ID: k.ConnectionID, Anchor: anchor(k.Tenant, k.ConnectionID), Source: e.source,
		UpdatedAt: e.updatedAt, Problem: e.problem, Testable: len(e.values) > 0}
	keys := make([]string, 0, len(e.values))
	for key := range e.values {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		val := e.values[key]
		if c.o.IsSecret(key) {
			v.Settings = append(v.Settings, settingView{Key: key, Secret: true, Set: strings.TrimSpace(val) != ""})
			continue
		}
		v.Settings = append(v.Settings, settingView{Key: key, Value: val, Set: val != ""})
	}

	accounts := map[string]string{}
	if len(e.values) > 0 {
		accounts = c.o.Engine.NewCall(k.Tenant, k.ConnectionID, e.values, "", false).Accounts
	}
	calls := c.o.Activity.Calls(k.Tenant, k.ConnectionID)
	names := map[string]bool{}
	for n := range accounts {
		names[n] = true
	}
	for n := range calls {
		names[n] = true
	}
	for _, n := range sortedNames(names, c.o.Engine.Registry().SettingsOrder()) {
		dv := distributorView{Name: n, DistributorCalls: calls[n]}
		dv.Account, dv.Enabled = accounts[n]
		if dv.Enabled {
			if t, ok := c.o.Activity.Token(n, dv.Account); ok {
				dv.Token = &t
			}
		}
		v.Distributors = append(v.Distributors, dv)
	}
	return v
}

// sortedNames orders distributors as users know them: the registered ones
// in configuration.md's order (known), then any other by name.
func sortedNames(set map[string]bool, known []string) []string {
	order := make(map[string]int, len(known))
	for i, n := range known {
		order[n] = i + 1
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b string) int {
		oa, ob := order[a], order[b]
		if oa == 0 {
			oa = 100
		}
		if ob == 0 {
			ob = 100
		}
		if oa != ob {
			return oa - ob
		}
		return strings.Compare(a, b)
	})
	return out
}

// --- orders ---

// states are the ledger states an operator filters by.
var states = []store.OrderState{store.OrderUncertain, store.OrderPlacing, store.OrderPlaced, store.OrderFailed}

type ordersData struct {
	Tenant, State string
	Tenants       []string
	States        []store.OrderState
	Rows          []orderRow
	Error         string
	Limit         int
}

type orderRow struct {
	store.OrderRecord
	Lines     string
	Reference string
	CanCheck  bool
	CanMark   bool
	// Filter is the list's filter, carried through actions.
	FilterTenant, FilterState string
}

const ordersLimit = 200

func (c *Console) orders(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	d := ordersData{Tenant: strings.TrimSpace(q.Get("tenant")), State: q.Get("state"), States: states, Limit: ordersLimit}
	if !slices.Contains(states, store.OrderState(d.State)) {
		d.State = ""
	}
	rows, err := c.o.Store.ListOrders(ctx, store.OrderFilter{Tenant: d.Tenant, State: store.OrderState(d.State), Limit: ordersLimit})
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("console: ledger unreadable")
		d.Error = "The store did not answer; try again."
	}
	for _, rec := range rows {
		d.Rows = append(d.Rows, c.orderRow(rec, d.Tenant, d.State))
	}
	tenants := map[string]bool{}
	for _, t := range c.o.Tenants {
		tenants[t] = true
	}
	if keys, err := c.connectionKeys(ctx); err == nil {
		for _, k := range keys {
			tenants[k.Tenant] = true
		}
	}
	if d.Tenant != "" {
		tenants[d.Tenant] = true
	}
	for t := range tenants {
		d.Tenants = append(d.Tenants, t)
	}
	sort.Strings(d.Tenants)
	c.render(w, r, http.StatusOK, "orders", c.newPage(r, "orders", "Orders", d))
}

func (c *Console) orderRow(rec store.OrderRecord, tenant, state string) orderRow {
	row := orderRow{OrderRecord: rec, Reference: engine.ReferenceText(rec.Reference), FilterTenant: tenant, FilterState: state}
	if lines, err := ledger.Lines(rec.Content); err == nil {
		parts := make([]string, len(lines))
		for i, l := range lines {
			parts[i] = l.ProductKey + " × " + strconv.FormatFloat(l.Quantity, 'f', -1, 64)
		}
		row.Lines = strings.Join(parts, ", ")
	}
	// A placing row whose attempt died counts as uncertain (the ledger
	// looks it up the same way).
	row.CanCheck = rec.State == store.OrderUncertain || c.o.Ledger.Stale(rec)
	row.CanMark = rec.State == store.OrderUncertain && !rec.CheckedAt.IsZero()
	return row
}

// ordersURL is the orders page with a list's filter.
func ordersURL(tenant, state string) string {
	q := url.Values{}
	if tenant != "" {
		q.Set("tenant", tenant)
	}
	if state != "" {
		q.Set("state", state)
	}
	if len(q) == 0 {
		return Path + "/orders"
	}
	return Path + "/orders?" + q.Encode()
}

// --- catalog and rates ---

type catalogRow struct {
	CatalogStatus
	Percent int
	ETA     time.Duration
}

func (c *Console) catalogStatus(ctx context.Context) ([]CatalogStatus, error) {
	p, _ := c.providers()
	if p == nil {
		return nil, nil
	}
	return p.CatalogStatus(ctx)
}

func (c *Console) hasCatalog(ctx context.Context) bool {
	s, err := c.catalogStatus(ctx)
	return err == nil && len(s) > 0
}

func (c *Console) catalog(w http.ResponseWriter, r *http.Request) {
	list, err := c.catalogStatus(r.Context())
	if err != nil {
		zerolog.Ctx(r.Context()).Error().Err(err).Msg("console: catalog status unreadable")
		c.renderError(w, r, http.StatusServiceUnavailable, "The catalog status could not be read; try again.")
		return
	}
	if len(list) == 0 {
		c.renderError(w, r, http.StatusNotFound, "This service keeps no catalog of its own yet.")
		return
	}
	now := c.o.Now()
	rows := make([]catalogRow, len(list))
	for i, s := range list {
		rows[i] = catalogRow{CatalogStatus: s, Percent: s.Percent(), ETA: s.ETA(now)}
	}
	c.render(w, r, http.StatusOK, "catalog", c.newPage(r, "catalog", "Catalog", rows))
}

type ratesData struct {
	Current   Rates
	Overrides []overrideView
}

// overrideView is one connection's currency settings (its pricing.fxRates
// override the rate source for it).
type overrideView struct {
	Tenant     string
	ID         int
	Rates      string
	Currencies string
	Margin     string
}

func (c *Console) currentRates(ctx context.Context) (Rates, error) {
	_, p := c.providers()
	if p == nil {
		return Rates{}, nil
	}
	return p.Rates(ctx)
}

func (c *Console) hasRates(ctx context.Context) bool {
	rs, err := c.currentRates(ctx)
	return err == nil && (len(rs.Rates) > 0 || rs.LastError != "")
}

// Connection settings of the currency work (configuration.md, General).
const (
	keyFXRates    = "pricing.fxRates"
	keyCurrencies = "pricing.currencies"
	keyFXMargin   = "pricing.fxMarginPercent"
)

func (c *Console) rates(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rs, err := c.currentRates(ctx)
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("console: rates unreadable")
		c.renderError(w, r, http.StatusServiceUnavailable, "The exchange rates could not be read; try again.")
		return
	}
	if len(rs.Rates) == 0 && rs.LastError == "" {
		c.renderError(w, r, http.StatusNotFound, "This service converts no currencies yet.")
		return
	}
	d := ratesData{Current: rs}
	// A copy: the provider's slice is its own.
	d.Current.Rates = slices.Clone(rs.Rates)
	slices.SortFunc(d.Current.Rates, func(a, b Rate) int { return strings.Compare(a.Currency, b.Currency) })
	if keys, err := c.connectionKeys(ctx); err == nil {
		for _, k := range keys {
			e := c.settingsOf(ctx, k.Tenant, k.ConnectionID)
			get := func(key string) string { return strings.TrimSpace(lookup(e.values, key)) }
			o := overrideView{Tenant: k.Tenant, ID: k.ConnectionID, Rates: get(keyFXRates), Currencies: get(keyCurrencies), Margin: get(keyFXMargin)}
			if o.Rates != "" || o.Currencies != "" || o.Margin != "" {
				d.Overrides = append(d.Overrides, o)
			}
		}
	}
	c.render(w, r, http.StatusOK, "rates", c.newPage(r, "rates", "Exchange rates", d))
}

// lookup finds a setting case-insensitively, as settings.Parse does.
func lookup(values map[string]string, key string) string {
	if v, ok := values[key]; ok {
		return v
	}
	for k, v := range values {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return ""
}

// --- forms ---

// formKey reads a ledger key and attempt from an action's form.
func formKey(r *http.Request) (store.OrderKey, int, error) {
	f := r.PostForm
	num := func(name string) (int, error) {
		n, err := strconv.Atoi(f.Get(name))
		if err != nil {
			return 0, fmt.Errorf("%s is not a number", name)
		}
		return n, nil
	}
	var k store.OrderKey
	var err error
	k.Tenant, k.Distributor = f.Get("tenant"), f.Get("distributor")
	if k.Tenant == "" || k.Distributor == "" {
		return k, 0, errors.New("tenant and distributor are required")
	}
	if k.ConnectionID, err = num("connection"); err != nil {
		return k, 0, err
	}
	if k.QuoteID, err = num("quote"); err != nil {
		return k, 0, err
	}
	if k.VersionID, err = num("version"); err != nil {
		return k, 0, err
	}
	if k.AlternativeID, err = num("alternative"); err != nil {
		return k, 0, err
	}
	attempt, err := num("attempt")
	return k, attempt, err
}
