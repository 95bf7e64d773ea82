package scaler

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/prescale-dev/prescale/pkg/store"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// refreshOverlap is the number of trailing stored steps a refresh fetches
// again: the last points may have been evaluated before every sample of
// their window had arrived.
const refreshOverlap = 5

// history brings the trigger's stored history up to now and returns its
// last HistoryWindow, from its first known value. The first time (or when the store lost it, or the
// step changed) it backfills the whole window with range queries; later it
// fetches only the steps since the stored end. A failed refresh of a stored
// history is logged and the stored history used.
func (s *Server) history(ctx context.Context, t *target, now time.Time) (timeseries.Series, error) {
	step, window := t.meta.Step, t.meta.HistoryWindow
	end := now.Truncate(step)
	winStart := end.Add(-window / step * step)
	from, backfill, err := s.refreshFrom(t, winStart)
	if err != nil {
		return timeseries.Series{}, err
	}
	if !from.After(end) {
		if err := s.fetch(ctx, t, from, end); err != nil {
			if backfill {
				return timeseries.Series{}, fmt.Errorf("backfilling %s of history: %w", FormatDuration(window), err)
			}
			s.log.Warn("refreshing history: using the stored history", "scaledObject", t.id.String(), "metric", t.metric, "error", err)
		} else if backfill {
			s.log.Info("history backfilled", "scaledObject", t.id.String(), "metric", t.metric,
				"from", from.UTC().Format(time.RFC3339), "to", end.UTC().Format(time.RFC3339))
		}
	}
	h, err := s.opts.Store.History(t.key)
	if err != nil {
		return timeseries.Series{}, err
	}
	first := max(h.Index(winStart), 0)
	for first < h.Len() && math.IsNaN(h.Values[first]) {
		first++ // a young workload's window starts before its first sample
	}
	return h.Slice(min(first, h.Len()), h.Len()), nil
}

// refreshFrom returns the first step to fetch: the window's start when the
// store has no usable history (backfill), else the stored end less the
// overlap.
func (s *Server) refreshFrom(t *target, winStart time.Time) (time.Time, bool, error) {
	h, err := s.opts.Store.History(t.key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return winStart, true, nil
	case err != nil:
		return time.Time{}, false, err
	case h.Step != t.meta.Step:
		if err := s.opts.Store.Delete(t.key); err != nil {
			return time.Time{}, false, err
		}
		return winStart, true, nil
	}
	from := h.End().Add(-refreshOverlap * h.Step)
	if from.Before(winStart) {
		return winStart, h.End().Before(winStart), nil
	}
	return from, false, nil
}

// fetch runs the range query over [from, end] and appends it to the store.
func (s *Server) fetch(ctx context.Context, t *target, from, end time.Time) error {
	start := time.Now()
	rng, err := t.source.Range(ctx, t.query, from, end, t.meta.Step)
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	s.metrics.rangeDuration.WithLabelValues(outcome).Observe(time.Since(start).Seconds())
	if err != nil {
		return err
	}
	return s.opts.Store.AppendHistory(t.key, rng)
}
