package catalog

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"

	"github.com/quoteconnector/quoteconnector/internal/store"
)

// job keeps one account's catalog in sync.
type job struct {
	c                    *Catalog
	distributor, account string
	log                  zerolog.Logger

	mu          sync.Mutex
	lister      Lister
	concurrency int
	isReady     bool
	loaded      bool // the state was read once
	// The running sync, for Status and the progress log.
	running   string
	holder    bool
	started   time.Time
	doneStart int // items done when this run started (a resumed sync)
	done      int
	expected  int
	lastLog   time.Time
	lastTenth int
}

func (j *job) setLister(l Lister, concurrency int) {
	j.mu.Lock()
	j.lister, j.concurrency = l, concurrency
	j.mu.Unlock()
}

func (j *job) ready() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.isReady
}

func (j *job) listerOf() (Lister, int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.lister, j.concurrency
}

// fill adds what only this instance knows to s.
func (j *job) fill(s *Status) {
	j.mu.Lock()
	defer j.mu.Unlock()
	s.Concurrency, s.Running, s.Holder = j.concurrency, j.running, j.holder
	if j.running == "" {
		return
	}
	s.Done, s.Expected, s.Started = j.done, j.expected, j.started
	s.Rate, s.ETA = j.rateLocked(j.c.o.Now())
}

// rateLocked is items per second of this run and the time left when the
// total is known.
func (j *job) rateLocked(now time.Time) (float64, time.Duration) {
	el := now.Sub(j.started).Seconds()
	if el <= 0 {
		return 0, 0
	}
	rate := float64(j.done-j.doneStart) / el
	var eta time.Duration
	if rate > 0 && j.expected > j.done {
		eta = time.Duration(float64(j.expected-j.done) / rate * float64(time.Second)).Round(time.Second)
	}
	return rate, eta
}

func (j *job) loop(ctx context.Context) {
	for {
		wait, err := j.step(ctx, "")
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			j.log.Warn().Err(err).Dur("retry_in", j.c.o.Retry).Msg("catalog sync failed; the last complete catalog stays searchable")
			wait = j.c.o.Retry
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// due says which sync the state calls for now, or how long until one is
// due.
func (j *job) due(st store.CatalogState, now time.Time) (string, time.Duration) {
	o := j.c.o
	if !st.LastErrorAt.IsZero() && st.LastErrorAt.After(st.LastFull) && st.LastErrorAt.After(st.LastIncremental) {
		if wait := st.LastErrorAt.Add(o.Retry).Sub(now); wait > 0 {
			return "", wait
		}
	}
	switch {
	case st.FullRunning, st.LastFull.IsZero():
		return KindFull, 0
	case now.Sub(st.LastFull) >= o.Refresh:
		return KindFull, 0
	}
	last := st.LastFull
	if st.LastIncremental.After(last) {
		last = st.LastIncremental
	}
	if wait := last.Add(o.Incremental).Sub(now); wait > 0 {
		return "", min(wait, st.LastFull.Add(o.Refresh).Sub(now))
	}
	return KindIncremental, 0
}

func (j *job) state(ctx context.Context) (store.CatalogState, error) {
	st, err := j.c.o.Store.GetCatalogState(ctx, j.account)
	if errors.Is(err, store.ErrNotFound) {
		return store.CatalogState{Account: j.account, Distributor: j.distributor}, nil
	}
	if err != nil {
		return st, fmt.Errorf("catalog state: %w", err)
	}
	if st.Distributor == "" {
		st.Distributor = j.distributor
	}
	j.mu.Lock()
	first := !j.loaded
	j.isReady, j.loaded = !st.LastFull.IsZero(), true
	j.mu.Unlock()
	if first && j.c.o.Observer != nil && !st.LastFull.IsZero() {
		// A catalog synced before this process (or by another replica)
		// shows in the gauges from the start.
		if n, err := j.c.o.Store.CountCatalogItems(ctx, j.account); err == nil {
			j.c.o.Observer.CatalogLoaded(j.distributor, j.account, n, st.LastFull, st.LastIncremental)
		}
	}
	return st, nil
}

// step does the due sync (or the one kind names) and says when to look
// again. Another replica holding the account is no error: it syncs, this
// one looks again later.
func (j *job) step(ctx context.Context, kind string) (time.Duration, error) {
	o := j.c.o
	st, err := j.state(ctx)
	if err != nil {
		return 0, err
	}
	now := o.Now()
	if kind == "" {
		var wait time.Duration
		if kind, wait = j.due(st, now); kind == "" {
			// Look again at least once a lease, so a replica that does not
			// sync learns that another one completed.
			return min(max(wait, time.Second), o.Lease), nil
		}
	}
	ok, err := o.Store.LeaseCatalog(ctx, j.account, o.Owner, now.Add(o.Lease))
	if err != nil {
		return 0, fmt.Errorf("catalog lease: %w", err)
	}
	if !ok {
		return o.Lease / 2, nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var renew sync.WaitGroup
	renew.Add(1)
	go func() {
		defer renew.Done()
		t := time.NewTicker(o.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if ok, err := o.Store.LeaseCatalog(ctx, j.account, o.Owner, o.Now().Add(o.Lease)); err == nil && !ok {
					cancel(errLeaseLost)
					return
				}
			}
		}
	}()
	defer func() {
		cancel(nil)
		renew.Wait()
		// A fresh context: the sync's own may have ended.
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer rcancel()
		_ = o.Store.ReleaseCatalog(rctx, j.account, o.Owner)
	}()
	// Read again under the lease: another replica may just have finished.
	if st, err = j.state(ctx); err != nil {
		return 0, err
	}
	j.mu.Lock()
	j.holder = true
	j.mu.Unlock()
	defer func() {
		j.mu.Lock()
		j.holder, j.running = false, ""
		j.mu.Unlock()
	}()
	if kind == KindIncremental && st.LastFull.IsZero() {
		kind = KindFull // nothing to update yet
	}
	if kind == KindFull {
		err = j.full(ctx, st)
	} else {
		err = j.incremental(ctx, st)
	}
	if cause := context.Cause(ctx); errors.Is(cause, errLeaseLost) {
		err = cause
	}
	if err != nil {
		if o.Observer != nil {
			o.Observer.CatalogFailed(j.distributor, j.account, kind)
		}
		return 0, err
	}
	return time.Second, nil
}

// saver stores a sync's state; partitions share it.
type saver struct {
	j  *job
	mu sync.Mutex
	st store.CatalogState
}

func (s *saver) save(ctx context.Context, change func(*store.CatalogState)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if change != nil {
		change(&s.st)
	}
	ok, err := s.j.c.o.Store.PutCatalogState(ctx, s.st, s.j.c.o.Owner)
	if err != nil {
		return fmt.Errorf("catalog state: %w", err)
	}
	if !ok {
		return errLeaseLost
	}
	return nil
}

// fail records a sync's error in the state, keeping its cursors, so the
// next attempt resumes.
func (s *saver) fail(ctx context.Context, err error) error {
	if ctx.Err() != nil && context.Cause(ctx) != errLeaseLost {
		// Stopped (a shutdown), not failed: the cursors are stored, and
		// the next start resumes at once.
		return err
	}
	msg := err.Error()
	now := s.j.c.o.Now()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if serr := s.save(sctx, func(st *store.CatalogState) { st.LastError, st.LastErrorAt = msg, now }); serr != nil && !errors.Is(serr, errLeaseLost) {
		s.j.log.Warn().Err(serr).Msg("catalog sync state not stored")
	}
	return err
}

// full runs (or resumes) a full sync: every partition paged at most
// concurrency at a time, each page batch stored with its cursor, then
// everything the sync did not list removed. Until that last step the
// previous complete catalog stays as it was, only updated.
func (j *job) full(ctx context.Context, st store.CatalogState) error {
	o := j.c.o
	lister, concurrency := j.listerOf()
	now := o.Now()
	s := &saver{j: j, st: st}
	if !st.FullRunning {
		prev, err := o.Store.CountCatalogItems(ctx, j.account)
		if err != nil {
			return err
		}
		if err := s.save(ctx, func(st *store.CatalogState) {
			st.Generation++
			st.FullRunning, st.Cursors, st.Done, st.Expected, st.FullStarted = true, map[string]string{}, 0, prev, now
		}); err != nil {
			return err
		}
		j.log.Info().Int64("generation", s.st.Generation).Int("expected", prev).Int("concurrency", concurrency).Msg("catalog full sync started")
	} else {
		j.log.Info().Int64("generation", st.Generation).Int("done", st.Done).Int("expected", st.Expected).Msg("catalog full sync resumed where it stopped")
	}
	if s.st.Cursors == nil {
		s.st.Cursors = map[string]string{}
	}
	j.begin(KindFull, s.st.Done, s.st.Expected)

	parts, err := lister.Partitions(ctx)
	if err != nil {
		return s.fail(ctx, err)
	}
	if len(parts) == 0 {
		parts = []string{""}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(concurrency)
	for _, part := range parts {
		s.mu.Lock()
		cursor := s.st.Cursors[part]
		s.mu.Unlock()
		if cursor == store.CursorDone {
			continue
		}
		g.Go(func() error { return j.page(gctx, s, lister, part, cursor, Window{}, s.st.Generation) })
	}
	if err := g.Wait(); err != nil {
		return s.fail(ctx, err)
	}
	removed, err := o.Store.DeleteCatalogItemsBefore(ctx, j.account, s.st.Generation)
	if err != nil {
		return s.fail(ctx, err)
	}
	if err := o.Store.OptimizeCatalog(ctx); err != nil {
		j.log.Warn().Err(err).Msg("catalog index not optimised; searches work, a little slower")
	}
	count, err := o.Store.CountCatalogItems(ctx, j.account)
	if err != nil {
		return s.fail(ctx, err)
	}
	end := o.Now()
	if err := s.save(ctx, func(st *store.CatalogState) {
		st.FullRunning, st.Cursors, st.LastFull, st.ChangedSince = false, map[string]string{}, end, st.FullStarted
		st.Expected, st.LastError, st.LastErrorAt = count, "", time.Time{}
	}); err != nil {
		return err
	}
	j.mu.Lock()
	j.isReady = true
	rate, _ := j.rateLocked(end)
	j.mu.Unlock()
	j.log.Info().Int("items", count).Int64("removed", removed).Float64("items_per_second", round1(rate)).
		Str("took", end.Sub(s.st.FullStarted).Round(time.Millisecond).String()).Msg("catalog full sync completed")
	if o.Observer != nil {
		o.Observer.CatalogItems(j.distributor, j.account, count)
		o.Observer.CatalogProgress(j.distributor, j.account, 1)
		o.Observer.CatalogSynced(j.distributor, j.account, KindFull, end, s.st.Done)
	}
	return nil
}

// incremental stores what changed since the last sync (DateFrom/DateTo),
// with a few minutes' overlap for clocks that disagree.
func (j *job) incremental(ctx context.Context, st store.CatalogState) error {
	o := j.c.o
	lister, _ := j.listerOf()
	from := st.ChangedSince
	if from.IsZero() {
		from = st.FullStarted
	}
	// DateTo has whole seconds: the end of this second includes what
	// changed a moment ago.
	to := o.Now().Truncate(time.Second).Add(time.Second)
	w := Window{From: from.Add(-5 * time.Minute), To: to}
	s := &saver{j: j, st: st}
	j.begin(KindIncremental, 0, 0)
	before := s.st.Done
	if err := j.page(ctx, s, lister, "", "", w, st.Generation); err != nil {
		return s.fail(ctx, err)
	}
	changed := s.st.Done - before
	if err := s.save(ctx, func(st *store.CatalogState) {
		st.Done, st.LastIncremental, st.ChangedSince, st.LastError, st.LastErrorAt = before, o.Now(), to, "", time.Time{}
	}); err != nil {
		return err
	}
	j.log.Info().Int("changed", changed).Time("since", w.From).Msg("catalog incremental update completed")
	if o.Observer != nil {
		if count, err := o.Store.CountCatalogItems(ctx, j.account); err == nil {
			o.Observer.CatalogItems(j.distributor, j.account, count)
		}
		o.Observer.CatalogSynced(j.distributor, j.account, KindIncremental, o.Now(), changed)
	}
	return nil
}

// page pages one partition from cursor to its end, storing a batch at a
// time and, in a full sync, the cursor after it.
func (j *job) page(ctx context.Context, s *saver, l Lister, part, cursor string, w Window, gen int64) error {
	o := j.c.o
	full := w.IsZero()
	var buf []store.CatalogItem
	flush := func(next string) error {
		if len(buf) > 0 {
			if err := o.Store.PutCatalogItems(ctx, buf); err != nil {
				return err
			}
		}
		n := len(buf)
		buf = buf[:0]
		if !full {
			s.mu.Lock()
			s.st.Done += n
			s.mu.Unlock()
			return nil
		}
		if err := s.save(ctx, func(st *store.CatalogState) {
			st.Cursors[part] = next
			st.Done += n
		}); err != nil {
			return err
		}
		j.progress(s)
		return nil
	}
	for {
		ps, next, err := l.Page(ctx, part, cursor, w)
		if err != nil {
			return err
		}
		for _, p := range ps {
			it, err := item(j.account, gen, p)
			if err != nil {
				return err
			}
			buf = append(buf, it)
		}
		last := next == "" || next == cursor || len(ps) == 0
		if last {
			return flush(store.CursorDone)
		}
		cursor = next
		if len(buf) >= o.Batch {
			if err := flush(cursor); err != nil {
				return err
			}
		}
	}
}

func (j *job) begin(kind string, done, expected int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.c.o.Now()
	j.running, j.started, j.doneStart, j.done, j.expected = kind, now, done, done, expected
	j.lastLog, j.lastTenth = now, tenth(done, expected)
}

func tenth(done, expected int) int {
	if expected <= 0 {
		return 0
	}
	return min(done*10/expected, 10)
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

// progress logs a full sync's progress once per tenth of the expected
// items or once a minute, whichever comes first, and reports the ratio.
func (j *job) progress(s *saver) {
	s.mu.Lock()
	done, expected := s.st.Done, s.st.Expected
	s.mu.Unlock()
	now := j.c.o.Now()
	j.mu.Lock()
	j.done = done
	ratio := 0.0
	if expected > 0 {
		ratio = min(float64(done)/float64(expected), 1)
	}
	t := tenth(done, expected)
	logIt := t > j.lastTenth || now.Sub(j.lastLog) >= time.Minute
	if logIt {
		j.lastTenth, j.lastLog = t, now
	}
	rate, eta := j.rateLocked(now)
	j.mu.Unlock()
	if j.c.o.Observer != nil {
		j.c.o.Observer.CatalogProgress(j.distributor, j.account, ratio)
	}
	if !logIt {
		return
	}
	ev := j.log.Info().Int("done", done).Float64("items_per_second", round1(rate))
	if expected > 0 {
		ev = ev.Int("expected", expected).Int("percent", int(ratio*100)).Str("eta", eta.String())
	}
	ev.Msg("catalog full sync progress")
}
