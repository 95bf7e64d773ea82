package scaler

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/timeseries"
	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/simulator"
)

// Tuning is the outcome of a trigger's last risk tuning (Metadata.SLO): the
// scaler replays its stored history through the simulator, running the
// trigger's own policy at each of simulator.DefaultTuneRisks, then at
// simulator.DefaultUtilisationRisk with each of Metadata.TuneUtilisations,
// and serves the cheapest point whose unserved demand on the replay meets
// the SLO, as prescale tune does on a trace.
type Tuning struct {
	// At is when the tuning ran; SLO the objective it tuned for.
	At  time.Time `json:"at"`
	SLO float64   `json:"slo"`
	// Risk is the risk in force, chosen by the tuning at ChosenAt (this
	// one, or the last that succeeded when this one failed); 0 when no
	// tuning has succeeded: the metadata's risk stays. Met is false when
	// no risk met the SLO on the replay: Risk is then the one with the
	// least unserved demand.
	Risk     float64   `json:"risk,omitempty"`
	ChosenAt time.Time `json:"chosenAt,omitzero"`
	Met      bool      `json:"met"`
	// Utilisation is the chosen point's target utilisation of the pods'
	// capacity when it is one of Metadata.TuneUtilisations, 0 for a risk
	// point; Headroom is then the policy's headroom
	// (policies.Policy.Headroom) it is served as: the utilisation
	// targetPerPod stands for (simulator.DefaultPredictiveUtilisation)
	// over Utilisation.
	Utilisation float64 `json:"utilisation,omitempty"`
	Headroom    float64 `json:"headroom,omitempty"`
	// Unserved and PodHours are the chosen risk's figures on the replay:
	// the fraction of the demand unserved, and the pod-hours used.
	Unserved float64 `json:"unserved"`
	PodHours float64 `json:"podHours"`
	// From and Until bound the replayed history; the history before it
	// was the policy's past.
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until,omitzero"`
	// Risks is how many risks were tried, Utilisations how many target
	// utilisations after them.
	Risks        int `json:"risks,omitempty"`
	Utilisations int `json:"utilisations,omitempty"`
	// Error says why the tuning did not run or failed (too short a
	// history, a simulation error); empty otherwise.
	Error string `json:"error,omitempty"`
}

// Tuning's replay: the last half of the stored history, at most
// maxTuneReplay, the rest being the policy's past; nothing under
// minTuneHistory is tuned on.
const (
	maxTuneReplay  = 7 * 24 * time.Hour
	minTuneHistory = 48 * time.Hour
)

// tuneRetry is how soon a tuning that could not run is tried again.
const tuneRetry = 6 * time.Hour

// retuneDue reports whether t tunes its risk at now.
func (t *target) retuneDue(now time.Time) bool {
	return t.meta.SLO > 0 && now.UnixNano() >= t.nextRetune.Load()
}

// retune tunes the trigger's risk on its stored history and publishes the
// outcome; the next tuning is due a RetuneInterval later (tuneRetry when
// it could not run).
func (s *Server) retune(ctx context.Context, t *target, now time.Time) {
	tn := s.tune(ctx, t, now)
	next := now.Add(t.meta.RetuneInterval)
	if tn.Risk == 0 {
		next = now.Add(min(tuneRetry, t.meta.RetuneInterval))
		if prev := t.tuned.Load(); prev != nil && prev.Risk > 0 {
			kept := *prev // keep serving the last risk chosen
			kept.At, kept.Error = tn.At, tn.Error
			tn = kept
		}
		s.log.Warn("risk tuning failed: keeping the risk in force", "scaledObject", t.id.String(), "metric", t.metric,
			"error", tn.Error, "retryIn", next.Sub(now))
	} else {
		s.log.Info("risk tuned", "scaledObject", t.id.String(), "metric", t.metric, "risk", tn.Risk, "utilisation", tn.Utilisation,
			"headroom", tn.Headroom, "slo", tn.SLO, "met", tn.Met, "unserved", tn.Unserved, "podHours", tn.PodHours)
	}
	t.tuned.Store(&tn)
	t.nextRetune.Store(next.UnixNano())
}

// tune replays the trigger's stored history at each risk.
func (s *Server) tune(ctx context.Context, t *target, now time.Time) Tuning {
	tn := Tuning{At: now.UTC(), SLO: t.meta.SLO}
	h, err := s.opts.Store.History(t.key)
	if err != nil {
		tn.Error = fmt.Sprintf("reading the stored history: %v", err)
		return tn
	}
	job, err := s.tuningJob(t, h, now)
	if err != nil {
		tn.Error = err.Error()
		return tn
	}
	tn.From, tn.Until = job.Demand.Start.UTC(), job.Demand.End().UTC()
	tn.Risks, tn.Utilisations = len(simulator.DefaultTuneRisks), len(job.Utilisations)
	res, err := simulator.TuneRisk(ctx, job)
	if err != nil {
		tn.Error = fmt.Sprintf("replaying the history: %v", err)
		return tn
	}
	tn.Risk, tn.Met, tn.ChosenAt = res.Chosen.Knob, res.OK, tn.At
	if res.Headroom > 1 {
		tn.Utilisation, tn.Headroom = res.Chosen.Second, res.Headroom
	}
	tn.Unserved, tn.PodHours = res.Chosen.UnservedFraction, res.Chosen.PodHours
	return tn
}

// tuningJob builds the replay of the stored history h: the trigger's
// policy, forecaster and growth options as its refits use them, on the
// simulator's default cluster, KEDA and HPA. The pods are taken to serve
// targetPerPod / simulator.DefaultPredictiveUtilisation each (the served
// value's headroom within the HPA's tolerance, as prescale tune derives
// targetPerPod from the capacity), or targetPerPod each when the trigger
// sets hpaTolerance (the policy works around the tolerance), and to start in the lead time less
// simulator.DefaultLeadMargin; the lower utilisations of
// Metadata.TuneUtilisations run as headroom on that target.
func (s *Server) tuningJob(t *target, h timeseries.Series, now time.Time) (simulator.RiskTuning, error) {
	m := t.meta
	// The last whole steps within the history window, up to now.
	end := min(h.Len(), h.Index(now.Truncate(m.Step)))
	lo := max(0, end-int(m.HistoryWindow/m.Step))
	for lo < end && math.IsNaN(h.Values[lo]) {
		lo++
	}
	h = h.Slice(lo, max(lo, end))
	if span := time.Duration(h.Len()) * h.Step; span < minTuneHistory {
		return simulator.RiskTuning{}, fmt.Errorf("history of %s stored: tuning needs at least %s", FormatDuration(span), FormatDuration(minTuneHistory))
	}
	replay := min(h.Len()/2, int(maxTuneReplay/h.Step))
	past, demand := h.Slice(0, h.Len()-replay), h.Slice(h.Len()-replay, h.Len())
	set := simulator.DefaultSettings()
	set.Pods.Capacity = m.Policy.TargetPerPod / simulator.DefaultPredictiveUtilisation
	if m.Policy.Tolerance > 0 {
		// targetPerPod is the pods' capacity; the HPA's tolerance is the
		// one the policy works around.
		set.Pods.Capacity = m.Policy.TargetPerPod
		set.HPA.Tolerance = m.Policy.Tolerance
	}
	set.Pods.Startup = simulator.Fixed(max(m.Policy.LeadTime-simulator.DefaultLeadMargin, 0))
	set.KEDA.MinReplicaCount = m.Policy.MinReplicas
	set.KEDA.MaxReplicaCount = m.Policy.MaxReplicas
	if set.KEDA.MaxReplicaCount == 0 {
		set.KEDA.MaxReplicaCount = maxTuneReplicas
	}
	opts := forecast.Options{Model: m.Model, Location: m.TimeZone}
	if t.events != nil {
		opts.Events = t.events.Occurrences(h.Start, now.Add(m.Policy.LeadTime+m.RefitInterval))
	}
	growth := policies.NewGrowthOptions(m.Policy, m.Step, m.EventShift, nil, m.TimeZone)
	growth.Cache = t.anchors
	return simulator.RiskTuning{
		Demand:   demand,
		Settings: set,
		Config: simulator.PredictiveConfig{
			Policy:        m.Policy,
			Forecaster:    simulator.QuantileForecaster{Options: opts, Quantile: max(m.Quantile, 0.5), Growth: &growth},
			RefitInterval: m.RefitInterval,
			FitWindow:     m.HistoryWindow,
			Past:          past,
			StaleAfter:    staleAfter(m.Step),
			Activation:    m.ActivationValue,
		},
		Utilisations: m.TuneUtilisations,
		SLO:          m.SLO,
	}, nil
}

// maxTuneReplicas caps the replicas of a replay whose trigger sets no
// maxReplicas.
const maxTuneReplicas = 100_000

// servedPolicy returns the policy decisions use: the metadata's, with the
// tuned risk and headroom when a tuning chose them.
func (t *target) servedPolicy() policies.Policy {
	p := t.meta.Policy
	if tn := t.tuned.Load(); tn != nil && tn.Risk > 0 {
		p.Risk = tn.Risk
		if tn.Headroom > 1 {
			p.Headroom = tn.Headroom
		}
	}
	return p
}
