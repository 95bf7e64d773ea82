package scaler

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/prescale-dev/prescale/policies"
)

// metrics are the scaler's own Prometheus metrics. The children the gRPC
// path updates are resolved once, so a call does no label lookup.
type metrics struct {
	decisions     map[decisionLabels]prometheus.Counter
	decisionsVec  *prometheus.CounterVec
	noSafeValue   prometheus.Counter
	degraded      prometheus.Gauge
	forecastAPE   prometheus.Histogram
	instantOK     prometheus.Observer
	instantErr    prometheus.Observer
	rangeDuration *prometheus.HistogramVec
	refitDuration *prometheus.HistogramVec
	scaledObjects prometheus.Gauge
	rpcs          *prometheus.CounterVec
}

// decisionLabels are the labels of the decisions counter.
type decisionLabels struct {
	source   policies.Source
	mode     policies.Mode
	degraded bool
}

// allSources lists the decision sources, for resolving counters up front.
func allSources() []policies.Source {
	return []policies.Source{
		policies.SourceLive, policies.SourceForecast, policies.SourceEvent, policies.SourceRisk, policies.SourceHeadroom, policies.SourceTolerance, policies.SourceHold,
		policies.SourceMinReplicas, policies.SourceMaxReplicas, policies.SourceScaleUpLimit, policies.SourceScaleDownLimit,
	}
}

// newMetrics creates the metrics and registers them with reg (nil: none);
// scaledObjects counts the ScaledObjects registered.
func newMetrics(reg prometheus.Registerer, scaledObjects func() float64) (*metrics, error) {
	m := &metrics{
		decisionsVec: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "prescale_scaler_decisions_total",
			Help: "Values served to KEDA, by the source that set the value, the policy mode and whether the live demand was unknown.",
		}, []string{"source", "mode", "degraded"}),
		noSafeValue: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "prescale_scaler_no_safe_value_total",
			Help: "GetMetrics calls answered Unavailable: live demand unknown and no forecast, event floor or previous value.",
		}),
		degraded: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "prescale_scaler_degraded_triggers",
			Help: "Triggers whose last live query failed or returned no finite value: served from the forecast or the last value.",
		}),
		forecastAPE: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "prescale_scaler_forecast_abs_percentage_error",
			Help:    "Absolute percentage error, as a ratio, of the point forecast made at least the lead time earlier against the live demand now.",
			Buckets: []float64{0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2},
		}),
		rangeDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "prescale_scaler_range_query_duration_seconds",
			Help:    "Duration of the background range queries that backfill and refresh history.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 10),
		}, []string{"outcome"}),
		refitDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "prescale_scaler_refit_duration_seconds",
			Help:    "Duration of a background refit: history refresh, calendar expansion and forecast fit.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 10),
		}, []string{"outcome"}),
		scaledObjects: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "prescale_scaler_triggers",
			Help: "ScaledObject triggers registered (seen by GetMetricSpec, GetMetrics or IsActive, not idle).",
		}),
		rpcs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "prescale_scaler_rpcs_total",
			Help: "gRPC calls handled, by method and status code.",
		}, []string{"method", "code"}),
	}
	instant := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "prescale_scaler_live_query_duration_seconds",
		Help:    "Duration of the live (instant) query of a GetMetrics or IsActive call, by outcome.",
		Buckets: []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5},
	}, []string{"outcome"})
	m.instantOK, m.instantErr = instant.WithLabelValues("ok"), instant.WithLabelValues("error")
	m.decisions = map[decisionLabels]prometheus.Counter{}
	for _, src := range allSources() {
		for _, mode := range []policies.Mode{policies.ModePredictive, policies.ModeReactive, policies.ModeShadow} {
			for _, deg := range []bool{false, true} {
				m.decisions[decisionLabels{src, mode, deg}] = m.decisionsVec.WithLabelValues(string(src), string(mode), boolLabel(deg))
			}
		}
	}
	if reg == nil {
		return m, nil
	}
	objects := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "prescale_scaler_scaledobjects",
		Help: "ScaledObjects with at least one trigger registered.",
	}, scaledObjects)
	for _, c := range []prometheus.Collector{m.decisionsVec, m.noSafeValue, m.degraded, m.forecastAPE, instant,
		m.rangeDuration, m.refitDuration, m.scaledObjects, objects, m.rpcs} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// decided counts a served decision.
func (m *metrics) decided(d policies.Decision, degraded bool) {
	if c, ok := m.decisions[decisionLabels{d.Source, d.Mode, degraded}]; ok {
		c.Inc()
		return
	}
	m.decisionsVec.WithLabelValues(string(d.Source), string(d.Mode), boolLabel(degraded)).Inc()
}

func boolLabel(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
