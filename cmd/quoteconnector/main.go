// Command quoteconnector is the SuperOffice online REST quote connector for
// Logicom, Westcon and Nuvias. main only wires: read the settings, build the
// logger and the service, run until SIGINT or SIGTERM.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/app"
	"github.com/quoteconnector/quoteconnector/internal/config"
)

func main() {
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "quoteconnector: configuration:", err)
		os.Exit(2)
	}
	level, err := zerolog.ParseLevel(cfg.LogLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "quoteconnector: QC_LOG_LEVEL:", err)
		os.Exit(2)
	}
	zerolog.TimeFieldFormat = time.RFC3339Nano
	logger := zerolog.New(os.Stdout).Level(level).With().Timestamp().Str("service", "quoteconnector").Logger()

	m, err := app.New(cfg, logger)
	if err != nil {
		logger.Error().Err(err).Msg("cannot start")
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := m.Run(ctx); err != nil {
		logger.Error().Err(err).Msg("stopped with error")
		os.Exit(1)
	}
}
