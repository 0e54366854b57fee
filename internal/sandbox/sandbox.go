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

	"github.com/quoteconnector/quoteconnector/internal/distributors/logicom"
	"github.com/quoteconnector/quoteconnector/internal/distributors/nuvias"
	"github.com/quoteconnector/quoteconnector/internal/distributors/westcon"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/catalog"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/fxsim"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/logicomsim"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/nuviassim"
	"github.com/quoteconnector/quoteconnector/internal/sandbox/westconsim"
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
	// LogicomItems is the number of Logicom SKUs generated
	// (QC_SANDBOX_CATALOG_SIZE); 0 = catalog.LogicomItemCount.
	LogicomItems int
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
	if o.LogicomItems <= 0 {
		o.LogicomItems = catalog.LogicomItemCount
	}
	cat := catalog.GenerateSize(o.Seed, o.Now(), o.LogicomItems)
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
		logicom.KeyEnabled:          "1",
		logicom.KeyCustomerID:       strconv.Itoa(l.CustomerID),
		logicom.KeyConsumerKey:      l.ConsumerKey,
		logicom.KeyConsumerSecret:   l.ConsumerSecret,
		logicom.KeyAccessTokenKey:   l.AccessTokenKey,
		logicom.KeyEnvironment:      "production",
		logicom.KeyCurrencies:       curs,
		logicom.KeyShopAccountEmail: l.EcommerceEmail,
		nuvias.KeyEnabled:           "1",
		nuvias.KeyClientID:          n.ClientID,
		nuvias.KeyClientSecret:      n.ClientSecret,
		nuvias.KeyShippingType:      strconv.Itoa(s.firstShippingType()),
		westcon.KeyEnabled:          "1",
		westcon.KeyTenantID:         w.TenantID,
		westcon.KeyClientID:         w.ClientID,
		westcon.KeyClientSecret:     w.ClientSecret,
		westcon.KeyResource:         w.Resource,
		westcon.KeySubscriptionKey:  w.SubscriptionKey,
		westcon.KeyPartnerKey:       w.PartnerKey,
	}
}

func (s *Sandbox) firstShippingType() int {
	if len(s.Catalog.Nuvias.ShippingTypes) > 0 {
		return s.Catalog.Nuvias.ShippingTypes[0].ID
	}
	return 1
}
