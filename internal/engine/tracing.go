package engine

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// tracer is the global provider's: a no-op unless OpenTelemetry export is
// configured (internal/tracing).
var tracer = otel.Tracer("github.com/quoteconnector/quoteconnector/internal/engine")

// startSpan opens the span of one distributor operation; end closes it
// with the outcome. The error text is a distributor error's, free of
// secrets.
func startSpan(ctx context.Context, distributor, op string) (context.Context, func(error)) {
	ctx, span := tracer.Start(ctx, distributor+" "+op, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("distributor", distributor), attribute.String("operation", op)))
	return ctx, func(err error) {
		if err != nil {
			span.SetStatus(codes.Error, userMessage(err))
		}
		span.End()
	}
}
