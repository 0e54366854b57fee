package ledger

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/store"
)

// Prune deletes ledger rows last changed more than keep ago.
func Prune(ctx context.Context, st store.Ledger, keep time.Duration, now time.Time) (int64, error) {
	return st.DeleteOrdersBefore(ctx, now.Add(-keep))
}

// RunRetention prunes at once and then every interval until ctx ends
// (QC_LEDGER_RETENTION). Every replica may run it: a delete of old rows is
// the same whoever runs it.
func RunRetention(ctx context.Context, st store.Ledger, keep, every time.Duration, log zerolog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := Prune(ctx, st, keep, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error().Err(err).Msg("ledger retention failed; will try again")
		case n > 0:
			log.Info().Int64("deleted", n).Str("retention", keep.String()).Msg("old ledger rows deleted")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
