// Command quoteconnector is the SuperOffice online REST quote connector for
// Logicom, Westcon and Nuvias. main only wires: the command line and the
// service live in internal/app; main turns SIGINT and SIGTERM into the end
// of the context and the result into the exit code.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/quoteconnector/quoteconnector/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.CLI(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
