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
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/upstream"
	"github.com/quoteconnector/quoteconnector/internal/settings"
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
	// maxPerPage is the Hub's page size limit (distributors.md, Pagination).
	maxPerPage = 1000
	// defaultConcurrency bounds parallel GET /products/{id} and
	// GET /orders/{id} of one operation.
	defaultConcurrency = 8
	// defaultCacheTTL is how long /me, /vendors and /shipping-types answers
	// are reused.
	defaultCacheTTL = 10 * time.Minute
	// maxAccounts bounds the per-credential caches of one factory.
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
	ttl         time.Duration
	timeout     time.Duration
	tokens      *upstream.TokenCache

	mu       sync.Mutex
	accounts map[string]*account
}

var _ distributors.Factory = (*Factory)(nil)

// NewFactory returns a factory with its own token and account caches.
func NewFactory(o Options) *Factory {
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{}
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
		up:          &upstream.Client{Distributor: distributors.Nuvias, HTTP: o.HTTP, Observer: o.Observer, Timeout: o.Timeout},
		now:         o.Now,
		concurrency: o.Concurrency,
		ttl:         o.CacheTTL,
		timeout:     o.Timeout,
		tokens:      upstream.NewTokenCache(maxAccounts),
		accounts:    map[string]*account{},
	}
}

// Name is "nuvias".
func (f *Factory) Name() string { return distributors.Nuvias }

// Enabled reports whether the connection uses Nuvias.
func (f *Factory) Enabled(c settings.Connection) bool { return c.Nuvias.Enabled }

// New returns the adapter for the connection's Nuvias account.
func (f *Factory) New(c settings.Connection) (distributors.Distributor, error) {
	s := c.Nuvias
	var missing []string
	if strings.TrimSpace(s.ClientID) == "" {
		missing = append(missing, settings.KeyNuviasClientID)
	}
	if strings.TrimSpace(s.ClientSecret.Reveal()) == "" {
		missing = append(missing, settings.KeyNuviasClientSecret)
	}
	if len(missing) > 0 {
		return nil, distributors.Errorf(distributors.Nuvias, "settings", distributors.KindConfig, "missing %s", strings.Join(missing, ", "))
	}
	cl := &Client{f: f, settings: s}
	cl.tokens = f.tokens.Source(func() *upstream.TokenSource {
		return upstream.NewTokenSource(cl.fetchToken, tokenMargin, f.timeout, f.now)
	}, f.base, s.ClientID, s.ClientSecret.Reveal())
	cl.acct = f.account(s.ClientID, s.ClientSecret.Reveal())
	return cl, nil
}

// account returns the cache of one credential set (hashed, never kept in the
// clear as a key).
func (f *Factory) account(creds ...string) *account {
	h := sha256.New()
	for _, c := range creds {
		h.Write([]byte(c))
		h.Write([]byte{0})
	}
	key := hex.EncodeToString(h.Sum(nil))
	f.mu.Lock()
	defer f.mu.Unlock()
	if a, ok := f.accounts[key]; ok {
		return a
	}
	if len(f.accounts) >= maxAccounts {
		for k := range f.accounts { // drop an arbitrary one; caches refill
			delete(f.accounts, k)
			break
		}
	}
	a := &account{types: map[string]bool{}}
	f.accounts[key] = a
	return a
}

// Client is one connection's Nuvias account. It is safe for concurrent use.
type Client struct {
	f        *Factory
	settings settings.Nuvias
	tokens   *upstream.TokenSource
	acct     *account
}

var _ distributors.Distributor = (*Client)(nil)

// Name is "nuvias".
func (c *Client) Name() string { return distributors.Nuvias }

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

// ---- token ----

type tokenResponse struct {
	AccessToken string  `json:"access_token"`
	TokenType   string  `json:"token_type"`
	ExpiresIn   flexNum `json:"expires_in"`
}

// fetchToken is POST /oauth/token with the client credentials as a form
// (seed: "Creates OAuth token from API client credentials").
func (c *Client) fetchToken(ctx context.Context) (upstream.Token, error) {
	form := url.Values{
		"client_id":     {c.settings.ClientID},
		"client_secret": {c.settings.ClientSecret.Reveal()},
		"grant_type":    {"client_credentials"},
	}.Encode()
	resp, err := c.f.up.Do(ctx, callToken, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.f.base+pathToken, strings.NewReader(form))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		return req, nil
	})
	if err != nil {
		return upstream.Token{}, c.clean(err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := c.statusError(callToken, resp)
		// The token endpoint answers bad credentials with 400 or 401.
		if resp.StatusCode == 400 || resp.StatusCode == 401 || resp.StatusCode == 403 {
			var de *distributors.Error
			if errors.As(e, &de) {
				de.Kind = distributors.KindAuth
			}
		}
		return upstream.Token{}, e
	}
	var t tokenResponse
	if err := json.Unmarshal(resp.Body, &t); err != nil || t.AccessToken == "" {
		if err == nil {
			err = errors.New("no access_token")
		}
		return upstream.Token{}, c.f.up.DecodeError(callToken, err)
	}
	ttl := time.Duration(float64(t.ExpiresIn) * float64(time.Second))
	if ttl <= 0 {
		ttl = time.Hour // expires_in missing: the seed's example lifetime
	}
	return upstream.Token{Value: t.AccessToken, Expires: c.f.now().Add(ttl)}, nil
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

// send performs an authenticated request and returns any completed answer.
// A 401 drops the token and the request is sent once more with a fresh one
// (the Hub did not act on it, so this is safe for POST /orders too).
func (c *Client) send(ctx context.Context, r request) (*upstream.Response, error) {
	var payload []byte
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, &distributors.Error{Distributor: distributors.Nuvias, Call: r.call, Kind: distributors.KindInvalid, Message: "cannot encode request", Err: err}
		}
		payload = b
	}
	u := c.f.base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	for attempt := 0; ; attempt++ {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return nil, c.clean(c.tokenError(err))
		}
		resp, err := c.f.up.Do(ctx, r.call, func(ctx context.Context) (*http.Request, error) {
			var body *bytes.Reader
			if payload != nil {
				body = bytes.NewReader(payload)
			}
			var req *http.Request
			var err error
			if body != nil {
				req, err = http.NewRequestWithContext(ctx, r.method, u, body)
			} else {
				req, err = http.NewRequestWithContext(ctx, r.method, u, nil)
			}
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Accept", "application/json")
			if payload != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			return req, nil
		})
		if err != nil {
			return resp, c.clean(err)
		}
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 {
			c.tokens.Invalidate(tok)
			continue
		}
		return resp, nil
	}
}

// tokenError keeps a token failure's own call name ("token") so errors
// name the failing step; a cancelled wait becomes a timeout error.
func (c *Client) tokenError(err error) error {
	var de *distributors.Error
	if errors.As(err, &de) {
		return err
	}
	e := &distributors.Error{Distributor: distributors.Nuvias, Call: callToken, Kind: distributors.KindUnavailable, Message: "no token", Err: err}
	if errors.Is(err, context.DeadlineExceeded) {
		e.Message = "no answer in time"
	}
	return e
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
			return resp, c.f.up.DecodeError(r.call, err)
		}
	}
	return resp, nil
}

// errorBody is what the Hub's error answers may carry; the seed gives no
// schema ("Errors are HTTP status codes; read a JSON body's message when
// present", distributors.md).
type errorBody struct {
	Message          any    `json:"message"`
	Error            any    `json:"error"`
	ErrorDescription string `json:"error_description"`
	Detail           string `json:"detail"`
	Title            string `json:"title"`
	Errors           any    `json:"errors"`
}

// messageOf returns the human text of an error answer, or "".
func messageOf(body []byte) string {
	var eb errorBody
	if json.Unmarshal(body, &eb) != nil {
		return ""
	}
	for _, m := range []any{eb.Message, eb.ErrorDescription, eb.Detail, eb.Error, eb.Title} {
		if s := textOf(m); s != "" {
			return clip(s)
		}
	}
	return ""
}

func textOf(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case map[string]any:
		for _, k := range []string{"message", "description", "detail"} {
			if s, ok := x[k].(string); ok && s != "" {
				return strings.TrimSpace(s)
			}
		}
	}
	return ""
}

func clip(s string) string {
	if len(s) > 500 {
		s = s[:500] + "…"
	}
	return s
}

func (c *Client) statusError(call string, resp *upstream.Response) error {
	return c.clean(c.f.up.StatusError(call, resp, messageOf(resp.Body)))
}

// clean removes the connection's secret from an error's message, should an
// upstream answer ever echo it (style.md §3.10).
func (c *Client) clean(err error) error {
	var de *distributors.Error
	if err == nil || !errors.As(err, &de) {
		return err
	}
	if s := c.settings.ClientSecret.Reveal(); s != "" && strings.Contains(de.Message, s) {
		de.Message = strings.ReplaceAll(de.Message, s, "[redacted]")
	}
	for i := range de.Problems {
		if s := c.settings.ClientSecret.Reveal(); s != "" {
			de.Problems[i].Message = strings.ReplaceAll(de.Problems[i].Message, s, "[redacted]")
		}
	}
	return err
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
		return fmt.Errorf("not a number: %s", clip(string(b)))
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
