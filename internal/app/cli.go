package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/buildinfo"
	"github.com/quoteconnector/quoteconnector/internal/config"
	"github.com/quoteconnector/quoteconnector/internal/tracing"
)

// Exit codes of CLI.
const (
	ExitOK      = 0
	ExitFailure = 1 // the service could not start or stopped with an error
	ExitUsage   = 2 // bad flags or settings
)

// CLI is the command line of quoteconnector: -h and --version answer
// without any configuration; otherwise it reads the settings, builds the
// service and serves until ctx ends. Every log line goes to stdout as one
// JSON object, configuration errors included, so a log pipeline reads
// them like any other line. It returns the exit code.
func CLI(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quoteconnector", flag.ContinueOnError)
	fs.SetOutput(stderr)
	// The flag package would print its own usage; ours lists the settings.
	fs.Usage = func() {}
	version := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			// Asked for: the help is the answer, on stdout.
			config.Usage(stdout, "quoteconnector")
			return ExitOK
		}
		fmt.Fprintln(stderr, "quoteconnector: see -h")
		return ExitUsage
	}
	if *version {
		fmt.Fprintln(stdout, buildinfo.Get())
		return ExitOK
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quoteconnector: unexpected argument %q (settings are environment variables; see -h)\n", fs.Arg(0))
		return ExitUsage
	}

	zerolog.TimeFieldFormat = time.RFC3339Nano
	logger := zerolog.New(stdout).With().Timestamp().Str("service", "quoteconnector").Logger()
	cfg, err := config.Load()
	if err != nil {
		configError(logger, err)
		return ExitUsage
	}
	level, err := zerolog.ParseLevel(cfg.LogLevel)
	if err != nil || level == zerolog.NoLevel {
		configError(logger, fmt.Errorf("QC_LOG_LEVEL %q is not a level (debug, info, warn, error)", cfg.LogLevel))
		return ExitUsage
	}
	logger = logger.Level(level)

	m, err := New(cfg, logger)
	if err != nil {
		logger.Error().Err(err).Msg("cannot start")
		return ExitFailure
	}
	shutdown, err := tracing.Setup(ctx, buildinfo.Get().Version, m.Instance)
	if err != nil {
		m.Close()
		configError(logger, fmt.Errorf("OpenTelemetry export (OTEL_EXPORTER_OTLP_*): %w", err))
		return ExitUsage
	}
	if tracing.Enabled() {
		logger.Info().Msg("tracing: spans are exported over OTLP/HTTP")
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := shutdown(sctx); err != nil {
			logger.Warn().Err(err).Msg("tracing: spans not all exported at shutdown")
		}
	}()
	if err := m.Run(ctx); err != nil {
		logger.Error().Err(err).Msg("stopped with error")
		return ExitFailure
	}
	return ExitOK
}

// configError logs every problem of the settings on one line: "problems"
// lists them, "error" joins them.
func configError(logger zerolog.Logger, err error) {
	var problems []string
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			problems = append(problems, e.Error())
		}
	} else {
		problems = []string{err.Error()}
	}
	logger.Error().Str("error", strings.Join(problems, "; ")).Strs("problems", problems).
		Msg("configuration error: the service does not start (quoteconnector -h lists every setting)")
}
