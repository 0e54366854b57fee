package ledger_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
)

// uncertainOrder leaves key uncertain at attempt 1 and returns the sender.
func uncertainOrder(t *testing.T, l *ledger.Ledger) *fakeSender {
	t.Helper()
	s := &fakeSender{sendFn: func(context.Context, int) (string, error) { return "", errUncertain }}
	r := l.Place(context.Background(), req(a2), s)
	require.Equal(t, ledger.Uncertain, r.Outcome)
	return s
}

func TestCheckFindsTheOrder(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	l := newLedger(st, "a")
	uncertainOrder(t, l)

	finder := &fakeSender{findFn: func(ref string, lines []ledger.Line) (string, bool, error) {
		if ref == "Q-1042" && len(lines) == 1 && lines[0] == a2 {
			return "O77", true, nil
		}
		return "", false, nil
	}}
	_, err := l.Check(ctx, key, 2, finder, "ops")
	require.ErrorIs(t, err, ledger.ErrChanged, "the operator saw another attempt")

	r, err := l.Check(ctx, key, 1, finder, "ops")
	require.NoError(t, err)
	assert.Equal(t, ledger.Placed, r.Outcome)
	assert.Equal(t, "O77", r.OrderID)
	assert.Equal(t, ledger.LabelReconciled, r.Label())
	assert.Zero(t, finder.sends, "a check never sends")

	rec, err := st.GetOrder(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, store.OrderPlaced, rec.State)
	assert.Equal(t, "O77", rec.OrderID)
	assert.Equal(t, "ops", rec.ResolvedBy)
	assert.Contains(t, rec.Message, "checked by ops")

	// SuperOffice asking again gets the recorded order.
	r = l.Place(ctx, req(a2), &fakeSender{})
	assert.Equal(t, ledger.Placed, r.Outcome)
	assert.Equal(t, "O77", r.OrderID)
	assert.Equal(t, ledger.LabelReplayed, r.Label())

	_, err = l.Check(ctx, key, 1, finder, "ops")
	assert.ErrorIs(t, err, ledger.ErrChanged, "a placed order is not checked again")
}

func TestCheckNotFoundThenMarkNotPlaced(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	l := newLedger(st, "a")
	uncertainOrder(t, l)

	require.ErrorIs(t, l.MarkNotPlaced(ctx, key, 1, "ops"), ledger.ErrNotChecked, "only after a check")

	finder := &fakeSender{}
	r, err := l.Check(ctx, key, 1, finder, "ops")
	require.NoError(t, err)
	assert.Equal(t, ledger.Uncertain, r.Outcome)
	rec, err := st.GetOrder(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, store.OrderUncertain, rec.State)
	assert.False(t, rec.CheckedAt.IsZero())
	assert.Equal(t, "ops", rec.ResolvedBy)

	require.ErrorIs(t, l.MarkNotPlaced(ctx, key, 2, "boss"), ledger.ErrChanged)
	require.NoError(t, l.MarkNotPlaced(ctx, key, 1, "boss"))
	rec, err = st.GetOrder(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, store.OrderFailed, rec.State)
	assert.Equal(t, "boss", rec.ResolvedBy)
	assert.Contains(t, rec.Message, "marked as not placed by boss")

	// The next PlaceOrder sends it, without looking it up again.
	s := &fakeSender{}
	r = l.Place(ctx, req(a2), s)
	assert.Equal(t, ledger.Placed, r.Outcome)
	assert.Equal(t, 1, s.sends)
	assert.Zero(t, s.finds)
	assert.Equal(t, "placed", r.Label())
}

func TestCheckThatCannotReachTheDistributorChangesNothing(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	l := newLedger(st, "a")
	uncertainOrder(t, l)
	down := errors.New("distributor down")
	r, err := l.Check(ctx, key, 1, &fakeSender{findFn: func(string, []ledger.Line) (string, bool, error) { return "", false, down }}, "ops")
	require.NoError(t, err)
	assert.Equal(t, ledger.Uncertain, r.Outcome)
	assert.ErrorIs(t, r.Err, down)
	rec, err := st.GetOrder(ctx, key)
	require.NoError(t, err)
	assert.True(t, rec.CheckedAt.IsZero(), "not checked: the distributor did not answer")
	assert.ErrorIs(t, l.MarkNotPlaced(ctx, key, 1, "ops"), ledger.ErrNotChecked)
}

// A placing row whose attempt died counts as uncertain for a check.
func TestCheckOfAStalePlacingRow(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.SQLite(t)
	_, _, err := st.ClaimOrder(ctx, store.OrderRecord{Key: key, Content: `[{"key":"logicom:A","qty":2}]`, ContentHash: "h", Reference: "Q-1042", Owner: "dead"})
	require.NoError(t, err)
	later := func() time.Time { return time.Now().Add(time.Hour) }
	l := ledger.New(ledger.Options{Store: st, Owner: "a", StaleAfter: time.Minute, Now: later})
	rec, err := st.GetOrder(ctx, key)
	require.NoError(t, err)
	assert.True(t, l.Stale(rec))
	assert.False(t, newLedger(st, "a").Stale(rec), "young: an attempt in flight")
	r, err := l.Check(ctx, key, 1, &fakeSender{findFn: func(string, []ledger.Line) (string, bool, error) { return "O5", true, nil }}, "ops")
	require.NoError(t, err)
	assert.Equal(t, "O5", r.OrderID)

	fresh := store.OrderKey{Tenant: "acme", ConnectionID: 1, QuoteID: 1, Distributor: "logicom"}
	_, _, err = st.ClaimOrder(ctx, store.OrderRecord{Key: fresh, Content: `[]`, ContentHash: "h", Owner: "alive"})
	require.NoError(t, err)
	_, err = newLedger(st, "a").Check(ctx, fresh, 1, &fakeSender{}, "ops")
	assert.ErrorIs(t, err, ledger.ErrChanged, "an attempt in flight is left alone")
}

func TestResultLabels(t *testing.T) {
	for want, r := range map[string]ledger.Result{
		"placed":    {Outcome: ledger.Placed, Sent: true},
		"replayed":  {Outcome: ledger.Placed},
		"conflict":  {Outcome: ledger.Conflict},
		"failed":    {Outcome: ledger.Failed, Sent: true},
		"uncertain": {Outcome: ledger.Uncertain, Sent: true},
		"busy":      {Outcome: ledger.Busy},
	} {
		assert.Equal(t, want, r.Label())
	}
}
