// Command distsim serves the three distributor simulators (Logicom, Nuvias,
// Westcon) and the sandbox exchange-rate feed on fixed ports, for manual exploration and for docker compose. It
// prints the simulators' URLs, the QC_* settings that point quoteconnector at
// them, and the ConfigValues carrying the sandbox credentials, then runs
// until SIGINT or SIGTERM. main only wires; the simulators live in
// internal/sandbox.
//
// Every flag has an environment fallback (DISTSIM_HOST, DISTSIM_ADVERTISE_HOST,
// DISTSIM_LOGICOM_PORT, DISTSIM_NUVIAS_PORT, DISTSIM_WESTCON_PORT, DISTSIM_FX_PORT,
// DISTSIM_SEED, DISTSIM_AUTO_ADVANCE); a flag given on the command line wins.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/quoteconnector/quoteconnector/internal/sandbox"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "distsim:", err)
		os.Exit(1)
	}
}

// options are the command line after environment fallbacks.
type options struct {
	host, advertise                      string
	logicomPort, nuviasPort, westconPort int
	fxPort                               int
	seed                                 int64
	autoAdvance                          time.Duration
}

func parseFlags(args []string, out io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("distsim", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintln(out, "usage: distsim [flags]\n\nServes the Logicom, Nuvias and Westcon simulators on fixed ports.\nEach flag falls back to DISTSIM_<FLAG> (upper case, - becomes _).\n\nflags:")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.host, "host", "127.0.0.1", "listen host (0.0.0.0 in a container)")
	fs.StringVar(&o.advertise, "advertise-host", "", "host used in the printed URLs (default: -host, or localhost when -host is unspecified such as 0.0.0.0)")
	fs.IntVar(&o.logicomPort, "logicom-port", 9101, "Logicom simulator port (0 = any free port)")
	fs.IntVar(&o.nuviasPort, "nuvias-port", 9102, "Nuvias simulator port (0 = any free port)")
	fs.IntVar(&o.westconPort, "westcon-port", 9103, "Westcon simulator port (0 = any free port)")
	fs.IntVar(&o.fxPort, "fx-port", 9104, "exchange-rate feed port (0 = any free port)")
	fs.Int64Var(&o.seed, "seed", 1, "catalog seed (same seed, same catalog and credentials)")
	fs.DurationVar(&o.autoAdvance, "auto-advance", 2*time.Minute, "move placed orders one status on by this interval (0 = only through /_control)")

	// Environment first, so flags on the command line override it.
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		name := "DISTSIM_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok && v != "" {
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return o, err
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if o.advertise == "" {
		o.advertise = o.host
		if ip := net.ParseIP(o.host); o.host == "" || (ip != nil && ip.IsUnspecified()) {
			o.advertise = "localhost"
		}
	}
	return o, nil
}

// run starts the simulators, prints how to use them and serves until ctx
// ends.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parseFlags(args, stdout)
	if err != nil {
		return err
	}
	sb, err := sandbox.Start(sandbox.Options{
		Seed: o.seed, Host: o.host,
		LogicomPort: o.logicomPort, NuviasPort: o.nuviasPort, WestconPort: o.westconPort, FXPort: o.fxPort,
		AutoAdvance: o.autoAdvance,
	})
	if err != nil {
		return err
	}
	defer sb.Close()

	adv := func(u string) string { return advertised(u, o.advertise) }
	logicom, nuvias := adv(sb.LogicomURL), adv(sb.NuviasURL)
	westcon, westconToken := adv(sb.WestconURL), adv(sb.WestconTokenURL)
	rates := adv(sb.FXURL)
	values, err := json.MarshalIndent(sb.ConfigValues(), "", "  ")
	if err != nil {
		return err
	}

	var b strings.Builder
	fmt.Fprintf(&b, "distsim: distributor simulators (seed %d, auto-advance %s, listening on %s)\n", o.seed, o.autoAdvance, o.host)
	fmt.Fprintf(&b, "  logicom  %-40s control: %s/_control/info\n", logicom, root(logicom))
	fmt.Fprintf(&b, "  nuvias   %-40s control: %s/_control/info\n", nuvias, root(nuvias))
	fmt.Fprintf(&b, "  westcon  %-40s control: %s/_control/info\n", westcon, root(westcon))
	fmt.Fprintf(&b, "  rates    %-40s control: %s/_control/faults\n", rates, root(rates))
	fmt.Fprintf(&b, "\n# quoteconnector settings for these simulators (leave QC_SANDBOX unset):\n")
	fmt.Fprintf(&b, "QC_LOGICOM_URL=%s\n", logicom)
	fmt.Fprintf(&b, "QC_LOGICOM_STAGING_URL=%s\n", logicom)
	fmt.Fprintf(&b, "QC_NUVIAS_URL=%s\n", nuvias)
	fmt.Fprintf(&b, "QC_WESTCON_URL=%s\n", westcon)
	fmt.Fprintf(&b, "QC_WESTCON_TOKEN_URL=%s\n", westconToken)
	fmt.Fprintf(&b, "QC_FX_URL=%s\n", rates)
	fmt.Fprintf(&b, "\n# ConfigValues of a connection using the sandbox accounts (SANDBOX CREDENTIALS, not secrets):\n")
	fmt.Fprintf(&b, "%s\n\ndistsim: running; SIGINT or SIGTERM stops it\n", values)
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return err
	}

	<-ctx.Done()
	sb.Close()
	fmt.Fprintln(stdout, "distsim: stopped")
	return nil
}

// advertised replaces the listen host of a simulator URL by host, keeping
// the port and the path (the Westcon token URL's {tenant} stays as it is).
func advertised(u, host string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	_, port, err := net.SplitHostPort(p.Host)
	if err != nil {
		return u
	}
	return strings.Replace(u, "//"+p.Host, "//"+net.JoinHostPort(host, port), 1)
}

// root is scheme://host:port of a URL: where the /_control endpoints are.
func root(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Scheme + "://" + p.Host
}
