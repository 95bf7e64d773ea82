package scaler

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"

	"github.com/prescale-dev/prescale/pkg/store"
	"github.com/prescale-dev/prescale/policies"
)

// lookup returns the target of a ScaledObject reference, registering it
// the first time its metadata is seen. A known trigger costs a read lock
// and a comparison of its metadata.
func (s *Server) lookup(ref *externalscaler.ScaledObjectRef) (*target, error) {
	if err := checkRef(ref); err != nil {
		return nil, err
	}
	id := targetID{ref.Namespace, ref.Name}
	s.mu.RLock()
	for _, t := range s.targets[id] {
		if maps.Equal(t.raw, ref.ScalerMetadata) {
			s.mu.RUnlock()
			return t, nil
		}
	}
	s.mu.RUnlock()
	return s.register(id, ref.ScalerMetadata)
}

// register parses and resolves a trigger's metadata, restores its state
// from the store and adds it. A trigger of the same ScaledObject with the
// same metric (its policy was edited) is replaced.
func (s *Server) register(id targetID, md map[string]string) (*target, error) {
	meta, err := ParseMetadata(md)
	if err != nil {
		return nil, fmt.Errorf("scaledObject %s: %w", id, err)
	}
	t, err := s.newTarget(id, md, meta)
	if err != nil {
		return nil, fmt.Errorf("scaledObject %s: %w", id, err)
	}
	s.restore(t)
	old, existing, err := s.insert(t)
	if err != nil {
		return nil, fmt.Errorf("scaledObject %s: %w", id, err)
	}
	if existing != nil {
		return existing, nil
	}
	for _, o := range old {
		s.flushTarget(o)
	}
	s.log.Info("trigger registered", "scaledObject", id.String(), "metric", t.metric, "mode", meta.Policy.Mode,
		"source", meta.Prometheus, "calendar", meta.Calendar, "businessLine", meta.BusinessLine,
		"forecast", t.snap.Load().hasForecast())
	return t, nil
}

// insert adds t, unless a target with the same metadata was added
// meanwhile (then returned as existing); it returns the targets t replaces,
// whose last decision t takes over when it is newer than t's. A new
// trigger over MaxTriggers, or over MaxTriggersPerNamespace in its
// namespace, is refused with an error wrapping ErrTooManyTriggers.
func (s *Server) insert(t *target) (replaced []*target, existing *target, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.targets[t.id]
	for _, o := range list {
		if maps.Equal(o.raw, t.raw) {
			return nil, o, nil
		}
	}
	if !slices.ContainsFunc(list, func(o *target) bool { return o.metric == t.metric }) {
		if err := s.checkCaps(t.id.namespace); err != nil {
			return nil, nil, err
		}
	}
	list = slices.DeleteFunc(slices.Clone(list), func(o *target) bool {
		if o.metric != t.metric {
			return false
		}
		if d, ok := o.lastDecision(); ok && (!t.hasLast || d.At.After(t.last.At)) {
			t.last, t.hasLast = d, true // t is not published yet: no lock needed
		}
		s.forget(o)
		s.count(o.id.namespace, -1)
		replaced = append(replaced, o)
		return true
	})
	s.targets[t.id] = append(list, t)
	s.count(t.id.namespace, 1)
	s.metrics.scaledObjects.Inc()
	return replaced, nil, nil
}

// checkCaps refuses one more trigger in namespace when a cap is reached;
// the caller holds s.mu.
func (s *Server) checkCaps(namespace string) error {
	if n := s.perNamespace[namespace]; n >= s.opts.MaxTriggersPerNamespace {
		return fmt.Errorf("%w: namespace %q has %d triggers, the most one namespace may have (limits.maxTriggersPerNamespace); remove unused ScaledObjects or ask the scaler's operator to raise the limit",
			ErrTooManyTriggers, namespace, n)
	}
	if s.total >= s.opts.MaxTriggers {
		return fmt.Errorf("%w: the scaler serves %d triggers, its limit (limits.maxTriggers); idle triggers are forgotten after idleAfter",
			ErrTooManyTriggers, s.total)
	}
	return nil
}

// count adds d to the trigger counts; the caller holds s.mu.
func (s *Server) count(namespace string, d int) {
	s.total += d
	s.perNamespace[namespace] += d
	if s.perNamespace[namespace] <= 0 {
		delete(s.perNamespace, namespace)
	}
}

// newTarget resolves the source and calendar names of meta.
func (s *Server) newTarget(id targetID, md map[string]string, meta Metadata) (*target, error) {
	src, err := s.resolveSource(&meta)
	if err != nil {
		return nil, err
	}
	asked, sent, err := s.resolveQuery(id, meta)
	if err != nil {
		return nil, err
	}
	meta.Query = asked
	t := &target{id: id, raw: maps.Clone(md), meta: meta, query: sent, source: src, apeValue: nan(), anchors: policies.NewAnchorCache()}
	if meta.Calendar != "" {
		ev, ok := s.opts.Calendars[meta.Calendar]
		if !ok {
			return nil, &MetadataError{Key: "calendar", Value: meta.Calendar, Err: fmt.Errorf("not a calendar of the scaler's configuration (%s)", names(s.opts.Calendars))}
		}
		t.events = ev
		if err := checkFloorTypes(meta.EventFloors, ev.Types()); err != nil {
			return nil, err
		}
	}
	if meta.HistoryWindow > s.opts.Retention {
		return nil, &MetadataError{Key: "historyWindow", Value: FormatDuration(meta.HistoryWindow),
			Err: fmt.Errorf("longer than the store's retention %s (store.retention)", FormatDuration(s.opts.Retention))}
	}
	t.metric = meta.MetricName()
	t.key = id.String() + "/" + t.metric
	return t, nil
}

// resolveSource finds the source meta names, or the only one configured,
// and records its name in meta.
func (s *Server) resolveSource(meta *Metadata) (Source, error) {
	if meta.Prometheus == "" {
		if len(s.opts.Sources) != 1 {
			return nil, &MetadataError{Key: "prometheus", Err: fmt.Errorf("required: the scaler has several sources (%s)", names(s.opts.Sources))}
		}
		for name := range s.opts.Sources {
			meta.Prometheus = name
		}
	}
	src, ok := s.opts.Sources[meta.Prometheus]
	if !ok {
		return nil, &MetadataError{Key: "prometheus", Value: meta.Prometheus,
			Err: fmt.Errorf("not a source of the scaler's configuration (%s); give a name, never a URL", names(s.opts.Sources))}
	}
	return src, nil
}

// checkFloorTypes reports event floors of types the calendar never has.
func checkFloorTypes(floors []EventFloor, types []string) error {
	for _, f := range floors {
		if !slices.Contains(types, f.Type) {
			return &MetadataError{Key: "eventFloors", Value: f.Type,
				Err: fmt.Errorf("the calendar has no event of this type (types: %s)", strings.Join(types, ", "))}
		}
	}
	return nil
}

// names lists the keys of m, sorted, for error messages.
func names[V any](m map[string]V) string {
	if len(m) == 0 {
		return "none configured"
	}
	return strings.Join(slices.Sorted(maps.Keys(m)), ", ")
}

// restore loads the trigger's last forecast and decision from the store,
// so that a restarted scaler answers at once, and sets its first refit:
// now, unless the stored forecast is recent.
func (s *Server) restore(t *target) {
	now := s.opts.Now()
	t.lastCall.Store(now.UnixNano())
	t.nextRefit.Store(now.UnixNano())
	snap := &snapshot{floors: s.floors(t, now)}
	rec, err := s.opts.Store.Model(t.key)
	if err == nil {
		if res, derr := decodeResult(rec); derr != nil {
			s.log.Warn("stored forecast unusable: refitting", "scaledObject", t.id.String(), "metric", t.metric, "error", derr)
		} else if f, p, ok := servedForecast(res, t.meta); ok {
			snap.forecast, snap.point, snap.model, snap.fittedAt = f, p, res.Model, rec.FittedAt
			if next := rec.FittedAt.Add(t.meta.RefitInterval); next.After(now) {
				t.nextRefit.Store(next.UnixNano())
			}
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		s.log.Warn("reading stored forecast", "scaledObject", t.id.String(), "error", err)
	}
	t.snap.Store(snap)
	if d, err := s.opts.Store.Decision(t.key); err == nil {
		t.last, t.hasLast = policies.Decision{At: d.At, Value: d.Value, Mode: t.meta.Policy.Mode, Live: nan(), ForecastPeak: nan()}, true
	}
}

// forget drops a replaced or idle target's gauges; the caller removes it
// from the map, holding s.mu, then stores its last decision.
func (s *Server) forget(t *target) {
	s.metrics.scaledObjects.Dec()
	if t.degraded.Swap(false) {
		s.metrics.degraded.Dec()
	}
}

// evictIdle forgets the targets KEDA has not asked about for IdleAfter and
// deletes their keys from the store: a trigger asked about again is
// backfilled from its source.
func (s *Server) evictIdle(now time.Time) {
	var gone []*target
	defer func() {
		for _, t := range gone {
			s.deleteKey(t.key)
		}
	}()
	cutoff := now.Add(-s.opts.IdleAfter).UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, list := range s.targets {
		kept := slices.DeleteFunc(slices.Clone(list), func(t *target) bool {
			if t.lastCall.Load() >= cutoff || t.refitting.Load() {
				return false
			}
			s.forget(t)
			s.count(id.namespace, -1)
			gone = append(gone, t)
			s.log.Info("trigger idle: forgotten", "scaledObject", id.String(), "metric", t.metric)
			return true
		})
		if len(kept) == 0 {
			delete(s.targets, id)
		} else {
			s.targets[id] = kept
		}
	}
}

// all returns every registered target.
func (s *Server) all() []*target {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*target
	for _, list := range s.targets {
		out = append(out, list...)
	}
	return out
}

// deleteKey deletes key from the store unless a registered target uses it
// again, and reports whether it did.
func (s *Server) deleteKey(key string) bool {
	if s.registered(key) {
		return false
	}
	err := s.opts.Store.Delete(key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.log.Warn("deleting the store key of a forgotten trigger", "key", key, "error", err)
	}
	return err == nil
}

// registered reports whether a registered target uses key.
func (s *Server) registered(key string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, list := range s.targets {
		for _, t := range list {
			if t.key == key {
				return true
			}
		}
	}
	return false
}
