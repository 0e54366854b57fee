// Package sandbox runs the three distributor simulators and an
// exchange-rate feed on loopback HTTP listeners: in-process for
// QC_SANDBOX=true and the tests, on fixed ports for cmd/distsim. It also
// hands out the ConfigValues that point a connection at the simulators'
// accounts.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/fxsim"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/logicomsim"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/nuviassim"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/westconsim"
	"github.com/quoteconnector/quoteconnector/internal/settings"
)

// Options configure the sandbox.
type Options struct {
	Seed int64
	// Host is the listen host; default 127.0.0.1 (loopback only).
	Host string
	// Ports for Logicom, Nuvias, Westcon and the rate feed; 0 picks a free
	// port.
	LogicomPort, NuviasPort, WestconPort, FXPort int
	// AutoAdvance moves placed orders one status on by this interval
	// (0 = only through the control endpoints).
	AutoAdvance time.Duration
	Now         func() time.Time
}

// Sandbox is the running simulators.
type Sandbox struct {
	Catalog *catalog.Catalog
	Logicom *logicomsim.Server
	Nuvias  *nuviassim.Server
	Westcon *westconsim.Server
	// FX is the exchange-rate feed (fixed rates, dated today).
	FX *fxsim.Server

	// Base URLs in the form of the service settings (QC_LOGICOM_URL ...,
	// QC_FX_URL).
	LogicomURL, NuviasURL, WestconURL, WestconTokenURL, FXURL string

	servers []*http.Server
}

// Start generates the catalog and serves the simulators.
func Start(o Options) (*Sandbox, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	cat := catalog.Generate(o.Seed, o.Now())
	s := &Sandbox{
		Catalog: cat,
		Logicom: logicomsim.New(cat, logicomsim.Options{Now: o.Now, AutoAdvance: o.AutoAdvance}),
		Nuvias:  nuviassim.New(cat, nuviassim.Options{Now: o.Now, AutoAdvance: o.AutoAdvance}),
		Westcon: westconsim.New(cat, westconsim.Options{Now: o.Now, AutoAdvance: o.AutoAdvance}),
		FX:      fxsim.New(o.Now),
	}
	lu, err := s.serve(o.Host, o.LogicomPort, s.Logicom.Handler())
	if err == nil {
		s.LogicomURL = lu + "/api"
		var nu string
		if nu, err = s.serve(o.Host, o.NuviasPort, s.Nuvias.Handler()); err == nil {
			s.NuviasURL = nu + nuviassim.BasePath
			var wu string
			if wu, err = s.serve(o.Host, o.WestconPort, s.Westcon.Handler()); err == nil {
				s.WestconURL = wu
				s.WestconTokenURL = wu + "/{tenant}/oauth2/token"
				var fu string
				if fu, err = s.serve(o.Host, o.FXPort, s.FX.Handler()); err == nil {
					s.FXURL = fu + fxsim.Path
				}
			}
		}
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// serve listens first, so a busy port fails at once, then serves.
func (s *Sandbox) serve(host string, port int, h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return "", fmt.Errorf("sandbox listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	s.servers = append(s.servers, srv)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the listener closed under us; Close reports nothing more
		}
	}()
	return "http://" + ln.Addr().String(), nil
}

// Close stops the listeners and the simulators' schedules.
func (s *Sandbox) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, srv := range s.servers {
		_ = srv.Shutdown(ctx)
	}
	if s.Logicom != nil {
		s.Logicom.Close()
	}
}

// ConfigValues is a connection with all three distributors enabled and the
// simulators' accounts: what calls that configure no distributor get in
// sandbox mode.
func (s *Sandbox) ConfigValues() map[string]string {
	l, n, w := s.Catalog.Logicom.Account, s.Catalog.Nuvias.Credentials, s.Catalog.Westcon.Credentials
	curs := ""
	for i, c := range l.Currencies {
		if i > 0 {
			curs += ","
		}
		curs += c
	}
	return map[string]string{
		settings.KeyLogicomEnabled:          "1",
		settings.KeyLogicomCustomerID:       strconv.Itoa(l.CustomerID),
		settings.KeyLogicomConsumerKey:      l.ConsumerKey,
		settings.KeyLogicomConsumerSecret:   l.ConsumerSecret,
		settings.KeyLogicomAccessTokenKey:   l.AccessTokenKey,
		settings.KeyLogicomEnvironment:      "production",
		settings.KeyLogicomCurrencies:       curs,
		settings.KeyLogicomShopAccountEmail: l.EcommerceEmail,
		settings.KeyNuviasEnabled:           "1",
		settings.KeyNuviasClientID:          n.ClientID,
		settings.KeyNuviasClientSecret:      n.ClientSecret,
		settings.KeyNuviasShippingType:      strconv.Itoa(s.firstShippingType()),
		settings.KeyWestconEnabled:          "1",
		settings.KeyWestconTenantID:         w.TenantID,
		settings.KeyWestconClientID:         w.ClientID,
		settings.KeyWestconClientSecret:     w.ClientSecret,
		settings.KeyWestconResource:         w.Resource,
		settings.KeyWestconSubscriptionKey:  w.SubscriptionKey,
		settings.KeyWestconPartnerKey:       w.PartnerKey,
	}
}

func (s *Sandbox) firstShippingType() int {
	if len(s.Catalog.Nuvias.ShippingTypes) > 0 {
		return s.Catalog.Nuvias.ShippingTypes[0].ID
	}
	return 1
}
