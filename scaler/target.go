package scaler

import (
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prescale-dev/prescale/policies"
)

// targetID names a ScaledObject.
type targetID struct{ namespace, name string }

// String returns "namespace/name".
func (id targetID) String() string { return id.namespace + "/" + id.name }

// target is one prescale trigger of one ScaledObject: its parsed metadata,
// its resolved source and calendar, its cached forecast and its last
// decision. The gRPC path reads snap without locking and holds mu only
// around Decide.
type target struct {
	id     targetID
	raw    map[string]string // the ScalerMetadata it was registered with
	meta   Metadata
	query  string // the query sent to source: meta.Query confined to the namespace
	metric string // metric name, also the last part of key
	key    string // store key: namespace/name/metric
	source Source
	events Events // nil without a calendar

	snap atomic.Pointer[snapshot]

	mu       sync.Mutex
	last     policies.Decision     // guarded by mu; valid when hasLast
	hasLast  bool                  // guarded by mu
	dirty    bool                  // guarded by mu: last not yet stored
	liveErr  error                 // guarded by mu: the last live query's error
	apeValue float64               // guarded by mu: the last forecast error, NaN if none
	recent   *policies.Recent      // guarded by mu: the live values of the last hour, for risk anchors
	anchors  *policies.AnchorCache // the anchor windows chosen by the refits of its growth

	lastCall   atomic.Int64 // unix nanoseconds of the last RPC
	nextRefit  atomic.Int64 // unix nanoseconds when the next refit is due
	refitting  atomic.Bool  // queued or running
	degraded   atomic.Bool
	refitErr   atomic.Pointer[string] // the last refit's error, nil after a success
	tuned      atomic.Pointer[Tuning] // the last risk tuning, nil before the first (Metadata.SLO)
	nextRetune atomic.Int64           // unix nanoseconds when the next tuning is due
	replicaErr atomic.Pointer[string] // the last failed replica read's error, nil after a success
}

// snapshot is an immutable view of a target's forecast and event floors,
// replaced whole by each refit.
type snapshot struct {
	// forecast is the served quantile per step; point the point forecast.
	// Both are empty before the first fit.
	forecast, point policies.Forecast
	// floors are the event floors from the calendar over the horizon.
	floors []policies.Floor
	// model is the fitted model's name; fittedAt when it was fitted.
	model    string
	fittedAt time.Time
	// older is the previous forecast, kept while the forecast error
	// metric may still need it.
	older atomic.Pointer[snapshot]
}

// hasForecast reports whether s holds a fitted forecast.
func (s *snapshot) hasForecast() bool { return s != nil && len(s.forecast.Values) > 0 }

// pointAt returns the point forecast for instant at made no later than
// madeBy, from the newest snapshot in the chain that qualifies.
func (s *snapshot) pointAt(at, madeBy time.Time) (float64, bool) {
	for cur := s; cur != nil; cur = cur.older.Load() {
		if !cur.hasForecast() || cur.fittedAt.After(madeBy) {
			continue
		}
		f := cur.point
		i := int(math.Floor(float64(at.Sub(f.Start)) / float64(f.Step)))
		if i < 0 || i >= len(f.Values) || math.IsNaN(f.Values[i]) {
			return 0, false
		}
		return f.Values[i], true
	}
	return 0, false
}

// chain links next after prev and drops the snapshots that the forecast
// error metric can no longer need: those older than the newest one fitted
// at least lead before now.
func chain(next, prev *snapshot, now time.Time, lead time.Duration) {
	if !prev.hasForecast() {
		return
	}
	next.older.Store(prev)
	for cur := prev; cur != nil; cur = cur.older.Load() {
		if !cur.fittedAt.After(now.Add(-lead)) {
			cur.older.Store(nil)
			return
		}
	}
}

// lastDecision returns the last decision and whether there is one.
func (t *target) lastDecision() (policies.Decision, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last, t.hasLast
}
