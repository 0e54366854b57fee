package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/ledger"
	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
)

// fakeSender is a distributor that counts what it is asked.
type fakeSender struct {
	mu     sync.Mutex
	sends  int
	finds  int
	sendFn func(ctx context.Context, n int) (string, error)
	findFn func(ref string, lines []ledger.Line) (string, bool, error)
}

func (f *fakeSender) Send(ctx context.Context) (string, error) {
	f.mu.Lock()
	f.sends++
	n := f.sends
	f.mu.Unlock()
	if f.sendFn != nil {
		return f.sendFn(ctx, n)
	}
	return fmt.Sprintf("O%d", n), nil
}

func (f *fakeSender) Find(_ context.Context, ref string, lines []ledger.Line, _ time.Time) (string, bool, error) {
	f.mu.Lock()
	f.finds++
	f.mu.Unlock()
	if f.findFn != nil {
		return f.findFn(ref, lines)
	}
	return "", false, nil
}

var errUncertain = errors.New("timeout after sending")

func newLedger(st store.Ledger, owner string) *ledger.Ledger {
	return ledger.New(ledger.Options{Store: st, Owner: owner, PollInterval: 5 * time.Millisecond,
		IsUncertain: func(err error) bool { return errors.Is(err, errUncertain) }})
}

var key = store.OrderKey{Tenant: "acme", ConnectionID: 1, QuoteID: 42, VersionID: 43, AlternativeID: 44, Distributor: "logicom"}

func req(lines ...ledger.Line) ledger.Request {
	return ledger.Request{Key: key, Lines: lines, Reference: "Q-1042"}
}

var a2 = ledger.Line{ProductKey: "logicom:A", Quantity: 2}
var b1 = ledger.Line{ProductKey: "logicom:B", Quantity: 1}

func TestContentIgnoresLineOrder(t *testing.T) {
	c1, h1 := ledger.Content([]ledger.Line{a2, b1})
	c2, h2 := ledger.Content([]ledger.Line{b1, a2})
	assert.Equal(t, c1, c2)
	assert.Equal(t, h1, h2)
	_, h3 := ledger.Content([]ledger.Line{a2})
	assert.NotEqual(t, h1, h3)
	lines, err := ledger.Lines(c1)
	require.NoError(t, err)
	assert.Equal(t, []ledger.Line{a2, b1}, lines)
}

func TestRetryReturnsRecordedResult(t *testing.T) {
	st, _ := storetest.SQLite(t)
	l, s := newLedger(st, "a"), &fakeSender{}
	ctx := context.Background()

	r := l.Place(ctx, req(a2, b1), s)
	assert.Equal(t, ledger.Placed, r.Outcome)
	assert.True(t, r.Sent)
	assert.Equal(t, "O1", r.OrderID)

	// A restart is a new Ledger on the same store.
	r = newLedger(st, "b").Place(ctx, req(b1, a2), s)
	assert.Equal(t, ledger.Placed, r.Outcome)
	assert.False(t, r.Sent)
	assert.Equal(t, "O1", r.OrderID)

	r = l.Place(ctx, req(a2), s)
	assert.Equal(t, ledger.Conflict, r.Outcome, "other content under a placed key")
	assert.Equal(t, "O1", r.OrderID)
	assert.Equal(t, 1, s.sends)
}

func TestDefiniteFailureMaySendAgain(t *testing.T) {
	st, _ := storetest.SQLite(t)
	s := &fakeSender{sendFn: func(_ context.Context, n int) (string, error) {
		if n == 1 {
			return "", errors.New("out of stock")
		}
		return "O2", nil
	}}
	l := newLedger(st, "a")
	r := l.Place(context.Background(), req(a2), s)
	assert.Equal(t, ledger.Failed, r.Outcome)
	assert.EqualError(t, r.Err, "out of stock")
	rec, err := st.GetOrder(context.Background(), key)
	require.NoError(t, err)
	assert.Equal(t, store.OrderFailed, rec.State)
	assert.Equal(t, "out of stock", rec.Message)

	r = l.Place(context.Background(), req(a2, b1), s)
	assert.Equal(t, ledger.Placed, r.Outcome)
	assert.Equal(t, "O2", r.OrderID)
	assert.Equal(t, 0, s.finds, "a failed order is not looked up")
}

func TestUncertainIsLookedUpFirst(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		find      func(string, []ledger.Line) (string, bool, error)
		want      ledger.Outcome
		wantID    string
		wantSends int
	}{
		{"found: placed, nothing sent", func(ref string, lines []ledger.Line) (string, bool, error) {
			if ref == "Q-1042" && len(lines) == 1 && lines[0] == a2 {
				return "O1", true, nil
			}
			return "", false, nil
		}, ledger.Placed, "O1", 1},
		{"not found: sent again", nil, ledger.Placed, "O2", 2},
		{"lookup fails: still uncertain, nothing sent", func(string, []ledger.Line) (string, bool, error) {
			return "", false, errors.New("distributor down")
		}, ledger.Uncertain, "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := storetest.SQLite(t)
			s := &fakeSender{findFn: tc.find, sendFn: func(_ context.Context, n int) (string, error) {
				if n == 1 {
					return "", errUncertain
				}
				return fmt.Sprintf("O%d", n), nil
			}}
			l := newLedger(st, "a")
			r := l.Place(ctx, req(a2), s)
			require.Equal(t, ledger.Uncertain, r.Outcome)

			r = l.Place(ctx, req(a2), s)
			assert.Equal(t, tc.want, r.Outcome)
			assert.Equal(t, tc.wantID, r.OrderID)
			assert.Equal(t, tc.wantSends, s.sends)
			assert.Equal(t, 1, s.finds)
			if tc.wantID != "" {
				rec, err := st.GetOrder(ctx, key)
				require.NoError(t, err)
				assert.Equal(t, store.OrderPlaced, rec.State)
				assert.Equal(t, tc.wantID, rec.OrderID)
			}
		})
	}
}

// Two replicas and many concurrent identical requests: one order.
func TestConcurrentReplicasSendOnce(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { st, _ := storetest.SQLite(t); sendOnce(t, st) })
	t.Run("postgres", func(t *testing.T) { sendOnce(t, storetest.Postgres(t)) })
}

func sendOnce(t *testing.T, st store.Ledger) {
	var sends atomic.Int32
	s := &fakeSender{sendFn: func(context.Context, int) (string, error) {
		sends.Add(1)
		time.Sleep(50 * time.Millisecond)
		return "O1", nil
	}}
	replicas := []*ledger.Ledger{newLedger(st, "a"), newLedger(st, "b")}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			r := replicas[i%2].Place(ctx, req(a2), s)
			assert.Equal(t, ledger.Placed, r.Outcome)
			assert.Equal(t, "O1", r.OrderID)
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 1, sends.Load())
}

func TestWaiterGivesUpAtItsDeadline(t *testing.T) {
	st, _ := storetest.SQLite(t)
	release := make(chan struct{})
	slow := &fakeSender{sendFn: func(context.Context, int) (string, error) { <-release; return "O1", nil }}
	done := make(chan ledger.Result)
	go func() { done <- newLedger(st, "a").Place(context.Background(), req(a2), slow) }()
	require.Eventually(t, func() bool { _, err := st.GetOrder(context.Background(), key); return err == nil }, 2*time.Second, time.Millisecond)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	other := &fakeSender{}
	r := newLedger(st, "b").Place(ctx, req(a2), other)
	assert.Equal(t, ledger.Busy, r.Outcome)
	assert.Zero(t, other.sends)
	close(release)
	assert.Equal(t, ledger.Placed, (<-done).Outcome)
}

// A caller that hangs up after the distributor answered does not lose the
// order: the outcome is written with a context of its own.
func TestOutcomeRecordedAfterHangUp(t *testing.T) {
	st, _ := storetest.SQLite(t)
	ctx, cancel := context.WithCancel(context.Background())
	s := &fakeSender{sendFn: func(context.Context, int) (string, error) { cancel(); return "O1", nil }}
	r := newLedger(st, "a").Place(ctx, req(a2), s)
	assert.Equal(t, ledger.Placed, r.Outcome)
	rec, err := st.GetOrder(context.Background(), key)
	require.NoError(t, err)
	assert.Equal(t, store.OrderPlaced, rec.State)
	assert.Equal(t, "O1", rec.OrderID)
}

// An attempt that died between claim and outcome is uncertain once stale.
func TestStalePlacingIsReconciled(t *testing.T) {
	st, _ := storetest.SQLite(t)
	content, hash := ledger.Content([]ledger.Line{a2})
	_, won, err := st.ClaimOrder(context.Background(), store.OrderRecord{Key: key, Content: content, ContentHash: hash, Reference: "Q-1042", Owner: "crashed"})
	require.NoError(t, err)
	require.True(t, won)

	later := time.Now().Add(time.Hour)
	l := ledger.New(ledger.Options{Store: st, Owner: "b", StaleAfter: time.Minute, Now: func() time.Time { return later }})
	s := &fakeSender{findFn: func(string, []ledger.Line) (string, bool, error) { return "O7", true, nil }}
	r := l.Place(context.Background(), req(a2), s)
	assert.Equal(t, ledger.Placed, r.Outcome)
	assert.Equal(t, "O7", r.OrderID)
	assert.True(t, r.Reconciled)
	assert.Zero(t, s.sends)
}

func TestPrune(t *testing.T) {
	st, _ := storetest.SQLite(t)
	newLedger(st, "a").Place(context.Background(), req(a2), &fakeSender{})
	n, err := ledger.Prune(context.Background(), st, 400*24*time.Hour, time.Now())
	require.NoError(t, err)
	assert.Zero(t, n)
	n, err = ledger.Prune(context.Background(), st, 400*24*time.Hour, time.Now().Add(401*24*time.Hour))
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
}
