// Package westcon is the Westcon-Comstor adapter. Westcon offers order
// status only (seed westcon-order-status-api.txt, distributors.md →
// Westcon): an Azure AD client-credentials token, then
// POST /Orders/orderStatus with the token and an API Management
// subscription key. Every other Distributor method answers NotSupported
// through the embedded distributors.Unsupported.
package westcon

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/quoteconnector/quoteconnector/internal/distributors"
	"github.com/quoteconnector/quoteconnector/internal/distributors/upstream"
)

// Name is the key prefix; Title is how users see the distributor.
const (
	Name  = "westcon"
	Title = "Westcon"
)

// Service-setting defaults (configuration.md).
const (
	DefaultBaseURL  = "https://api.westconcomstor.com"
	DefaultTokenURL = "https://login.microsoftonline.com/{tenant}/oauth2/token"
)

// tenantPlaceholder is replaced by the connection's westcon.tenantId.
const tenantPlaceholder = "{tenant}"

const (
	pathOrderStatus = "/Orders/orderStatus"

	callToken       = "token"
	callOrderStatus = "orderStatus"

	// tokenMargin: reuse a token until expires_in minus 60 s
	// (distributors.md → Westcon).
	tokenMargin = 60 * time.Second
	// tokenLifetime applies when the answer has no expires_in: the seed's.
	tokenLifetime = 3599 * time.Second

	// Order types of the orderStatus request (seed: W Westcon order number,
	// C the customer's own order number).
	orderTypeWestcon  = "W"
	orderTypeCustomer = "C"

	// testOrder is the order number Test asks for: it exists nowhere, so an
	// empty answer proves token, subscription key and partner key.
	testOrder = "0000000000"
)

// Options configure a Factory. They come from service settings only: a
// tenant can change neither where the token is fetched nor where orders are
// read (configuration.md).
type Options struct {
	BaseURL  string // QC_WESTCON_URL; DefaultBaseURL when empty
	TokenURL string // QC_WESTCON_TOKEN_URL with {tenant}; DefaultTokenURL when empty
	HTTP     *http.Client
	Observer upstream.Observer
	Timeout  time.Duration // QC_UPSTREAM_TIMEOUT, per operation
	Now      func() time.Time
}

// Factory builds Westcon adapters and holds their tokens, keyed by
// credentials. Create one per process.
type Factory struct {
	base, tokenURL string
	up             *upstream.Client
	now            func() time.Time
	timeout        time.Duration
	tokens         *upstream.Accounts[*upstream.Tokens]
}

var _ distributors.Factory = (*Factory)(nil)

// NewFactory returns a factory with an empty token cache.
func NewFactory(o Options) *Factory {
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if o.TokenURL == "" {
		o.TokenURL = DefaultTokenURL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Factory{
		base:     strings.TrimRight(o.BaseURL, "/"),
		tokenURL: o.TokenURL,
		up:       upstream.New(upstream.Options{Distributor: Name, HTTP: o.HTTP, Observer: o.Observer, Timeout: o.Timeout}),
		now:      o.Now,
		timeout:  o.Timeout,
		tokens:   upstream.NewAccounts[*upstream.Tokens](0),
	}
}

// Name is "westcon".
func (f *Factory) Name() string { return Name }

// Title is "Westcon".
func (f *Factory) Title() string { return Title }

// Enabled reports whether the connection uses Westcon; s is its Settings.
func (f *Factory) Enabled(s any) bool { return s.(Settings).Enabled }

// New returns the adapter for the connection's Westcon credentials (s, its
// Settings); every credential is required.
func (f *Factory) New(s any) (distributors.Distributor, error) { return f.newClient(s.(Settings)) }

func (f *Factory) newClient(s Settings) (*Client, error) {
	var missing []string
	for _, x := range []struct{ key, val string }{
		{KeyTenantID, s.TenantID},
		{KeyClientID, s.ClientID},
		{KeyClientSecret, s.ClientSecret.Reveal()},
		{KeyResource, s.Resource},
		{KeySubscriptionKey, s.SubscriptionKey.Reveal()},
		{KeyPartnerKey, s.PartnerKey},
	} {
		if strings.TrimSpace(x.val) == "" {
			missing = append(missing, x.key)
		}
	}
	if len(missing) > 0 {
		return nil, distributors.Errorf(Name, "settings", distributors.KindConfig, "missing %s", strings.Join(missing, ", "))
	}
	if strings.TrimSpace(s.Language) == "" {
		s.Language = "EN"
	}
	// The tenant is escaped as one path segment, so it cannot change the
	// token URL's host or path.
	tokenURL := strings.ReplaceAll(f.tokenURL, tenantPlaceholder, url.PathEscape(strings.TrimSpace(s.TenantID)))
	tokens := f.tokens.Get(func(string) *upstream.Tokens {
		cfg := &clientcredentials.Config{ClientID: s.ClientID, ClientSecret: s.ClientSecret.Reveal(), TokenURL: tokenURL,
			EndpointParams: url.Values{"resource": {s.Resource}}, AuthStyle: oauth2.AuthStyleInParams}
		return f.up.NewTokens(upstream.TokenOptions{Distributor: Name, Call: callToken, Account: f.account(s), Margin: tokenMargin,
			FetchTimeout: f.timeout, Now: f.now, Fetch: f.up.ClientCredentials(callToken, cfg, tokenLifetime, f.now)})
	}, tokenURL, s.ClientID, s.ClientSecret.Reveal(), s.Resource)
	subscriptionKey := s.SubscriptionKey.Reveal()
	return &Client{
		Unsupported: distributors.Unsupported{Distributor: Name},
		f:           f,
		settings:    s,
		tokenURL:    tokenURL,
		tokens:      tokens,
		up: f.up.WithAuth(&upstream.Auth{Tokens: tokens, Secrets: []string{s.ClientSecret.Reveal(), subscriptionKey},
			Apply: func(r *http.Request, tok string) {
				r.Header.Set("Authorization", "Bearer "+tok)
				r.Header.Set("Ocp-Apim-Subscription-Key", subscriptionKey)
			}}),
	}, nil
}

// Client is one connection's Westcon account. It is safe for concurrent use.
type Client struct {
	distributors.Unsupported
	f        *Factory
	settings Settings
	tokenURL string
	tokens   *upstream.Tokens
	up       *upstream.Client // with this connection's credentials
}

var _ distributors.Distributor = (*Client)(nil)

// Name is "westcon".
func (c *Client) Name() string { return Name }

// Capabilities: order status only, also of orders placed elsewhere, by the
// reseller's own order number (distributors.md → Westcon).
func (c *Client) Capabilities() distributors.Capabilities {
	return distributors.Capabilities{OrderStatus: true, FindsOrdersByCustomerNumber: true}
}

// ---- orderStatus ----

// statusRequest is the orderStatus body; member names exactly as
// distributors.md → Westcon, "Decided details".
type statusRequest struct {
	Req statusRequestBody `json:"mT_OrderStatus_API_REQ"`
}

type statusRequestBody struct {
	PartnerKey string   `json:"partnerKey"`
	OrderType  string   `json:"orderType"`
	Language   string   `json:"language"`
	Order      []string `json:"order"`
}

// query asks for the orders of one type in one call and returns the lines.
func (c *Client) query(ctx context.Context, orderType string, orders []string) ([]line, error) {
	payload, err := json.Marshal(statusRequest{Req: statusRequestBody{
		PartnerKey: c.settings.PartnerKey, OrderType: orderType, Language: c.settings.Language, Order: orders,
	}})
	if err != nil {
		return nil, c.up.Errorf(callOrderStatus, distributors.KindInvalid, "cannot encode request")
	}
	// orderStatus is a POST but a pure read: retried like one, and a
	// failure is never Uncertain.
	resp, err := c.up.Do(ctx, upstream.Request{Call: callOrderStatus, Method: http.MethodPost, URL: c.f.base + pathOrderStatus,
		Header: http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}}, Body: payload, Read: true})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.up.StatusError(callOrderStatus, resp, upstream.MessageOf(resp.Body))
	}
	var ans statusResponse
	if err := json.Unmarshal(resp.Body, &ans); err != nil {
		return nil, c.up.DecodeError(callOrderStatus, err)
	}
	return ans.Lines, nil
}

// Test obtains a token and asks for an order that does not exist
// ("0000000000", type W): an empty answer proves the token, the
// subscription key and the partner key.
func (c *Client) Test(ctx context.Context) (string, error) {
	ctx, cancel := c.up.WithTimeout(ctx)
	defer cancel()
	if _, err := c.tokens.Token(ctx); err != nil {
		return "", c.up.Scrub(err)
	}
	if _, err := c.query(ctx, orderTypeWestcon, []string{testOrder}); err != nil {
		return "", err
	}
	return fmt.Sprintf("Westcon order status for partner %s (tenant %s)", c.settings.PartnerKey, c.settings.TenantID), nil
}

// Account identifies the Westcon account: API base, Azure AD tenant,
// client id and partner key, digested.
// s is the connection's Settings.
func (f *Factory) Account(s any) string { return f.account(s.(Settings)) }

func (f *Factory) account(s Settings) string {
	return distributors.AccountID(Name, f.base, strings.TrimSpace(s.TenantID), strings.TrimSpace(s.ClientID), strings.TrimSpace(s.PartnerKey))
}

// Account is the factory's Account of this client's settings.
func (c *Client) Account() string {
	return c.f.account(c.settings)
}
