// Package nuvias is the Nuvias UC Hub adapter: catalog search, product
// detail with price and stock, addresses, order placement and order state
// (seed nuvias-hub-api.txt; paths and decisions in distributors.md → Nuvias
// Hub).
//
// The Hub authenticates with OAuth2 client credentials. The token source
// lives in the Factory, keyed by the connection's credentials, so one
// tenant's token never serves another; so do the per-account caches of /me,
// /vendors and /shipping-types.
package nuvias

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/upstream"
)

// Name is the key prefix; Title is how users see the distributor.
const (
	Name  = "nuvias"
	Title = "Nuvias"
)

// DefaultBaseURL is QC_NUVIAS_URL's default (configuration.md).
const DefaultBaseURL = "https://hub.nuvias-uc.com/api/v1"

// Paths below the base (distributors.md → Nuvias Hub, "Paths used").
const (
	pathToken         = "/oauth/token"
	pathMe            = "/me"
	pathAddresses     = "/organisations/%d/addresses"
	pathProducts      = "/products"
	pathProduct       = "/products/%s"
	pathVendors       = "/vendors"
	pathShippingTypes = "/shipping-types"
	pathOrders        = "/orders"
	pathOrder         = "/orders/%s"
)

// Call names used in errors and metrics.
const (
	callToken         = "token"
	callMe            = "me"
	callAddresses     = "addresses"
	callProducts      = "products"
	callProduct       = "product"
	callVendors       = "vendors"
	callShippingTypes = "shipping-types"
	callCreateOrder   = "create-order"
	callOrder         = "order"
)

const (
	// tokenMargin: a token is reused until expires_in minus 60 s
	// (distributors.md → Nuvias Hub).
	tokenMargin = 60 * time.Second
	// tokenLifetime applies when the answer has no expires_in: the seed's
	// example lifetime.
	tokenLifetime = time.Hour
	// maxPerPage is the Hub's page size limit (distributors.md, Pagination).
	maxPerPage = 1000
	// defaultConcurrency bounds parallel GET /products/{id} and
	// GET /orders/{id} of one operation.
	defaultConcurrency = 8
	// defaultCacheTTL is how long /me, /vendors and /shipping-types answers
	// are reused.
	defaultCacheTTL = 10 * time.Minute
	// maxAccounts bounds the per-credential state of one factory.
	maxAccounts = 1000
)

// Options configure a Factory. They come from service settings only, never
// from request data (configuration.md: a tenant cannot redirect traffic).
type Options struct {
	BaseURL  string // QC_NUVIAS_URL; DefaultBaseURL when empty
	HTTP     *http.Client
	Observer upstream.Observer
	Timeout  time.Duration // QC_UPSTREAM_TIMEOUT, per operation
	Now      func() time.Time
	// Concurrency bounds parallel per-id calls; default 8.
	Concurrency int
	// CacheTTL is the lifetime of cached /me, /vendors and /shipping-types
	// answers; default 10 minutes.
	CacheTTL time.Duration
}

// Factory builds Nuvias adapters. Create one per process.
type Factory struct {
	base        string
	up          *upstream.Client
	now         func() time.Time
	concurrency int
	timeout     time.Duration
	accounts    *upstream.Accounts[*account]
	memo        *upstream.Memo // /me, /vendors, /shipping-types per account
}

var _ distributors.Factory = (*Factory)(nil)

// NewFactory returns a factory with its own token and account caches.
func NewFactory(o Options) *Factory {
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Concurrency <= 0 {
		o.Concurrency = defaultConcurrency
	}
	if o.CacheTTL <= 0 {
		o.CacheTTL = defaultCacheTTL
	}
	return &Factory{
		base:        strings.TrimRight(o.BaseURL, "/"),
		up:          upstream.New(upstream.Options{Distributor: Name, HTTP: o.HTTP, Observer: o.Observer, Timeout: o.Timeout}),
		now:         o.Now,
		concurrency: o.Concurrency,
		timeout:     o.Timeout,
		accounts:    upstream.NewAccounts[*account](maxAccounts),
		memo:        upstream.NewMemo(Name, 3*maxAccounts, o.CacheTTL, o.Timeout),
	}
}

// Name is "nuvias".
func (f *Factory) Name() string { return Name }

// Title is "Nuvias".
func (f *Factory) Title() string { return Title }

// Enabled reports whether the connection uses Nuvias; s is its Settings.
func (f *Factory) Enabled(s any) bool { return s.(Settings).Enabled }

// New returns the adapter for the connection's Nuvias account; s is its
// Settings.
func (f *Factory) New(s any) (distributors.Distributor, error) { return f.newClient(s.(Settings)) }

func (f *Factory) newClient(s Settings) (*Client, error) {
	var missing []string
	if strings.TrimSpace(s.ClientID) == "" {
		missing = append(missing, KeyClientID)
	}
	if strings.TrimSpace(s.ClientSecret.Reveal()) == "" {
		missing = append(missing, KeyClientSecret)
	}
	if len(missing) > 0 {
		return nil, distributors.Errorf(Name, "settings", distributors.KindConfig, "missing %s", strings.Join(missing, ", "))
	}
	acct := f.accounts.Get(func(key string) *account {
		cfg := &clientcredentials.Config{ClientID: s.ClientID, ClientSecret: s.ClientSecret.Reveal(),
			TokenURL: f.base + pathToken, AuthStyle: oauth2.AuthStyleInParams}
		return &account{key: key, types: map[string]bool{}, tokens: f.up.NewTokens(upstream.TokenOptions{
			Distributor: Name, Call: callToken, Account: f.account(s), Margin: tokenMargin, FetchTimeout: f.timeout, Now: f.now,
			Fetch: f.up.ClientCredentials(callToken, cfg, tokenLifetime, f.now)})}
	}, f.base, s.ClientID, s.ClientSecret.Reveal())
	return &Client{f: f, settings: s, acct: acct,
		up: f.up.WithAuth(&upstream.Auth{Tokens: acct.tokens, Secrets: []string{s.ClientSecret.Reveal()},
			Apply: func(r *http.Request, tok string) { r.Header.Set("Authorization", "Bearer "+tok) }}),
	}, nil
}

// Client is one connection's Nuvias account. It is safe for concurrent use.
type Client struct {
	f        *Factory
	settings Settings
	acct     *account
	up       *upstream.Client // with this connection's credentials
}

var _ distributors.Distributor = (*Client)(nil)

// Name is "nuvias".
func (c *Client) Name() string { return Name }

// Capabilities: catalog with images, orders, order state, addresses and the
// ProductFamily (vendors), ProductType and DeliveryType (shipping types)
// lists.
func (c *Client) Capabilities() distributors.Capabilities {
	return distributors.Capabilities{
		Catalog: true, Images: true, PlaceOrder: true, FindOrder: true, OrderStatus: true, Addresses: true,
		// Without part shipments the Hub refuses a line above stock (422).
		RejectsOverStock: !c.settings.PartShip,
		Lists:            []distributors.ListKind{distributors.ListProductFamily, distributors.ListProductType, distributors.ListDeliveryType},
	}
}

// account is what one credential set keeps between requests: its token
// and the product types seen in answers.
type account struct {
	key    string // for its entries in Factory.memo
	tokens *upstream.Tokens

	mu    sync.Mutex
	types map[string]bool // product type labels seen in answers
}

// ---- requests ----

// request is one Hub call.
type request struct {
	call   string
	method string
	path   string // below the base, already escaped
	query  url.Values
	body   any // JSON-encoded when not nil
}

// send performs an authenticated request and returns any completed answer
// (a 401 is refreshed and retried once by the transport: the Hub did not
// act on it, so this holds for POST /orders too).
func (c *Client) send(ctx context.Context, r request) (*upstream.Response, error) {
	h := http.Header{"Accept": {"application/json"}}
	var payload []byte
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, c.up.Errorf(r.call, distributors.KindInvalid, "cannot encode request")
		}
		payload = b
		h.Set("Content-Type", "application/json")
	}
	u := c.f.base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	return c.up.Do(ctx, upstream.Request{Call: r.call, Method: r.method, URL: u, Header: h, Body: payload})
}

// do sends r and decodes a 2xx JSON answer into v (when not nil). Other
// answers become errors of the fitting kind (404 → KindNotFound).
func (c *Client) do(ctx context.Context, r request, v any) (*upstream.Response, error) {
	resp, err := c.send(ctx, r)
	if err != nil {
		return resp, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp, c.statusError(r.call, resp)
	}
	if v != nil {
		if err := json.Unmarshal(resp.Body, v); err != nil {
			return resp, c.up.DecodeError(r.call, err)
		}
	}
	return resp, nil
}

// statusError reads the Hub's message from an error answer ("Errors are
// HTTP status codes; read a JSON body's message when present",
// distributors.md).
func (c *Client) statusError(call string, resp *upstream.Response) error {
	return c.up.StatusError(call, resp, upstream.MessageOf(resp.Body))
}

// ---- flexible JSON values ----

// flexNum reads a JSON number, a numeric string or null (0).
type flexNum float64

func (n *flexNum) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*n = 0
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		s = strings.ReplaceAll(strings.TrimSpace(str), ",", "")
		if s == "" {
			*n = 0
			return nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not a number: %s", upstream.Clip(string(b)))
	}
	*n = flexNum(f)
	return nil
}

// id formats a numeric id without a fraction.
func (n flexNum) id() string {
	if n == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(n), 'f', -1, 64)
}

// flexBool reads a JSON bool, "true"/"false" strings or null.
type flexBool bool

func (v *flexBool) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.ToLower(strings.TrimSpace(string(b))), `",`)
	*v = s == "true" || s == "1" || s == "yes"
	return nil
}

// parseID accepts a positive integer id (Nuvias ids are integers).
func parseID(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil && n > 0
}
