package scaler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/store"
	"github.com/prescale-dev/prescale/policies"
)

// scheduleTick is how often Run looks for due refits and idle triggers.
const scheduleTick = time.Second

// Run fits the triggers' forecasts in the background, each when its
// refitInterval has passed, on a pool of RefitWorkers (the most overdue
// first); writes decisions to the store every FlushInterval; and forgets
// idle triggers. It returns when ctx is done, after the running refits
// stop and the last decisions are written.
func (s *Server) Run(ctx context.Context) error {
	jobs := make(chan *target)
	var wg sync.WaitGroup
	for range s.opts.RefitWorkers {
		wg.Go(func() {
			for t := range jobs {
				s.refit(ctx, t)
			}
		})
	}
	wg.Go(func() {
		s.feed(ctx, jobs)
		close(jobs)
	})
	tick := time.NewTicker(scheduleTick)
	defer tick.Stop()
	flush := time.NewTicker(s.opts.FlushInterval)
	defer flush.Stop()
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-tick.C:
			s.evictIdle(s.opts.Now())
		case <-flush.C:
			s.flush()
		}
	}
	wg.Wait()
	s.flush()
	return nil
}

// feed hands the due targets to the workers, the most overdue first,
// waiting for a free worker; then waits a tick and looks again.
func (s *Server) feed(ctx context.Context, jobs chan<- *target) {
	tick := time.NewTicker(scheduleTick)
	defer tick.Stop()
	for {
		due := s.due()
		for i, t := range due {
			select {
			case jobs <- t:
			case <-ctx.Done():
				for _, left := range due[i:] {
					left.refitting.Store(false)
				}
				return
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// due marks and returns the targets whose refit is due and not already
// queued, the most overdue first.
func (s *Server) due() []*target {
	now := s.opts.Now().UnixNano()
	var out []*target
	for _, t := range s.all() {
		if t.nextRefit.Load() <= now && t.refitting.CompareAndSwap(false, true) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *target) int { return cmp.Compare(a.nextRefit.Load(), b.nextRefit.Load()) })
	return out
}

// refit refreshes the target's history, fits its forecast, learns its
// growth (a risk-based policy), recomputes its event floors and publishes
// them in a new snapshot; the forecast is stored so that a restarted
// scaler answers at once. A failed fit keeps the previous forecast and is
// retried sooner; the growth, learned from the same history, is published
// whether the model's fit succeeded or not, as the simulator does. When
// the trigger tunes its risk (Metadata.SLO) and a tuning is due, it runs
// next, on the history just refreshed.
func (s *Server) refit(ctx context.Context, t *target) {
	defer t.refitting.Store(false)
	start, now := time.Now(), s.opts.Now()
	res, growth, err := s.fit(ctx, t, now)
	old := t.snap.Load()
	next := &snapshot{forecast: old.forecast, point: old.point, model: old.model, fittedAt: old.fittedAt, floors: s.floors(t, now)}
	if err == nil {
		next.forecast, next.point, _ = servedForecast(res, t.meta)
		next.model, next.fittedAt = res.Model, now
		chain(next, old, now, t.meta.Policy.LeadTime)
		err = s.storeForecast(t, res, now)
	} else {
		next.older.Store(old.older.Load())
	}
	if growth != nil {
		next.forecast.Growth = growth
	}
	t.snap.Store(next)
	s.refitted(t, now, time.Since(start), res, err)
	if t.retuneDue(now) {
		s.retune(ctx, t, now) // on the history just refreshed
	}
}

// fit returns the forecast of the target's refreshed history and, for a
// risk-based policy, the growth learned from it (nil when none was: no
// usable sample, or the history could not be read). A growth learned is
// returned even when the model's fit fails.
func (s *Server) fit(ctx context.Context, t *target, now time.Time) (forecast.Result, *policies.GrowthTable, error) {
	h, err := s.history(ctx, t, now)
	if err != nil {
		return forecast.Result{}, nil, err
	}
	horizon := t.meta.HorizonSteps()
	opts := forecast.Options{Model: t.meta.Model, Level: t.meta.Level(), Location: t.meta.TimeZone}
	if t.events != nil {
		opts.Events = t.events.Occurrences(h.Start, h.Time(h.Len()+horizon))
	}
	var growth *policies.GrowthTable
	if t.meta.Policy.Risk > 0 {
		o := policies.NewGrowthOptions(t.meta.Policy, t.meta.Step, t.meta.EventShift, opts.Events, t.meta.TimeZone)
		o.Cache = t.anchors
		growth, err = policies.LearnGrowth(h, o)
		if err != nil && !errors.Is(err, policies.ErrNoGrowth) {
			return forecast.Result{}, nil, fmt.Errorf("learning the growth from %d steps of history: %w", h.Len(), err)
		}
	}
	res, err := forecast.Forecast(ctx, h, horizon, opts)
	if err != nil {
		return forecast.Result{}, growth, fmt.Errorf("forecasting %d steps from %d of history: %w", horizon, h.Len(), err)
	}
	return res, growth, nil
}

// storeForecast keeps the fitted forecast in the store.
func (s *Server) storeForecast(t *target, res forecast.Result, now time.Time) error {
	rec, err := modelRecord(res, now)
	if err == nil {
		err = s.opts.Store.PutModel(t.key, rec)
	}
	return err
}

// refitted records a refit's outcome: its next due time, metrics and logs.
func (s *Server) refitted(t *target, now time.Time, took time.Duration, res forecast.Result, err error) {
	if err == nil {
		t.nextRefit.Store(now.Add(t.meta.RefitInterval).UnixNano())
		s.metrics.refitDuration.WithLabelValues("ok").Observe(took.Seconds())
		if t.refitErr.Swap(nil) != nil {
			s.log.Info("forecast refitted after failures", "scaledObject", t.id.String(), "metric", t.metric, "model", res.Model)
		}
		s.log.Debug("forecast refitted", "scaledObject", t.id.String(), "metric", t.metric, "model", res.Model,
			"steps", res.Len(), "took", took)
		return
	}
	retry := min(max(t.meta.RefitInterval/4, 10*time.Second), t.meta.RefitInterval)
	t.nextRefit.Store(now.Add(retry).UnixNano())
	s.metrics.refitDuration.WithLabelValues("error").Observe(took.Seconds())
	msg := err.Error()
	if prev := t.refitErr.Swap(&msg); prev == nil || *prev != msg {
		s.log.Warn("refit failed: serving the previous forecast, event floors and live demand", "scaledObject", t.id.String(),
			"metric", t.metric, "retryIn", retry, "error", err)
	}
}

// floors returns the trigger's event floors over the next lead time, two
// refit intervals and a day (so that floors outlive refits that fail):
// each occurrence of an eventFloors type gives its replicas from its
// affected window's start to its end.
func (s *Server) floors(t *target, now time.Time) []policies.Floor {
	if t.events == nil || len(t.meta.EventFloors) == 0 {
		return nil
	}
	until := now.Add(t.meta.Policy.LeadTime + 2*t.meta.RefitInterval + 24*time.Hour)
	var out []policies.Floor
	for _, o := range t.events.Occurrences(now, until) {
		for _, f := range t.meta.EventFloors {
			if f.Type == o.Type {
				out = append(out, policies.Floor{Event: o.Name, Start: o.WindowStart(), End: o.WindowEnd(), Replicas: f.Replicas})
			}
		}
	}
	return out
}

// flush writes the decisions made since the last flush to the store.
func (s *Server) flush() {
	for _, t := range s.all() {
		s.flushTarget(t)
	}
}

// flushTarget writes t's last decision if it has not been written.
func (s *Server) flushTarget(t *target) {
	t.mu.Lock()
	d, dirty := t.last, t.dirty
	t.dirty = false
	t.mu.Unlock()
	if !dirty {
		return
	}
	if err := s.opts.Store.PutDecision(t.key, store.Decision{Value: d.Value, At: d.At}); err != nil {
		s.log.Warn("storing decision", "scaledObject", t.id.String(), "metric", t.metric, "error", err)
		t.mu.Lock()
		t.dirty = true
		t.mu.Unlock()
	}
}
