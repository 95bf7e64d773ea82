package cli

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/scaler"
)

// metadataEntry is one key of the trigger's metadata.
type metadataEntry struct{ key, value string }

// trigger sets the prescale trigger's metadata for the chosen risk on
// sc's scenario with the start-up st, each key checked by the scaler's
// own parser. An optional key the scaler would refuse is left out with a
// note saying why.
func (r *tuneReport) trigger(sc *scenario, st startupSpec) error {
	lead := sc.f.keda.lead(st.p95 + sc.pred.leadMargin)
	r.metadata = []metadataEntry{
		{"risk", strconv.FormatFloat(r.predictive.tuned.Knob, 'g', -1, 64)},
		{"leadTime", scaler.FormatDuration(lead)},
		{"targetPerPod", strconv.FormatFloat(floorSignificant(sc.capacity*r.predictive.tuned.Second, 4), 'g', -1, 64)},
		{"eventShift", scaler.FormatDuration(sc.pred.eventShift)},
	}
	if tol := sc.toleranceAt(r.predictive.tuned.Second); tol > 0 {
		r.metadata = append(r.metadata, metadataEntry{"hpaTolerance", strconv.FormatFloat(tol, 'g', -1, 64)})
	}
	if tz := sc.pred.timeZone; tz != nil && tz != time.UTC {
		r.metadata = append(r.metadata, metadataEntry{"timeZone", tz.String()})
	}
	if err := checkTrigger(r.metadata); err != nil {
		return fmt.Errorf("checking the trigger's metadata with the scaler's parser: %w", err)
	}
	var optional []metadataEntry
	if q := sc.f.trace.prom.query; q != "" {
		optional = append(optional, metadataEntry{"query", q})
	}
	if step := sc.demand.Step; step != time.Minute {
		optional = append(optional, metadataEntry{"step", scaler.FormatDuration(step)})
	}
	cal, err := sc.f.trace.loadCalendar()
	if err != nil {
		return err
	}
	if cal != nil {
		optional = append(optional, metadataEntry{"calendar", cal.Name})
	}
	for _, e := range optional {
		if err := checkTrigger(append(slices.Clone(r.metadata), e)); err != nil {
			r.notes = append(r.notes, fmt.Sprintf("%s %q left out: the scaler refuses it (%v)", e.key, e.value, err))
			continue
		}
		r.metadata = append(r.metadata, e)
	}
	return nil
}

// triggerPlaceholders complete the printed metadata into what the scaler
// accepts: the keys tune cannot know.
var triggerPlaceholders = map[string]string{"query": "demand"}

// checkTrigger parses md, with the placeholders, as the scaler does.
func checkTrigger(md []metadataEntry) error {
	m := map[string]string{}
	for k, v := range triggerPlaceholders {
		m[k] = v
	}
	for _, e := range md {
		m[e.key] = e.value
	}
	_, err := scaler.ParseMetadata(m)
	return err
}

// floorSignificant rounds v > 0 down to n significant digits, so that a
// rounded targetPerPod never asks for fewer pods than the one simulated.
func floorSignificant(v float64, n int) float64 {
	if !(v > 0) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, float64(n-1)-math.Floor(math.Log10(v)))
	return math.Floor(v*p*(1+1e-12)) / p
}

// snippet returns the YAML of the trigger's metadata, ready to paste.
func (r *tuneReport) snippet() string {
	var b strings.Builder
	if slices.ContainsFunc(r.metadata, func(e metadataEntry) bool { return e.key == "query" }) {
		b.WriteString("# prescale trigger (type: external, metricType: AverageValue), on the query tuned on\n")
	} else {
		b.WriteString("# prescale trigger (type: external, metricType: AverageValue); add your query, in the trace's unit\n")
	}
	for _, n := range r.notes {
		b.WriteString("# " + n + "\n")
	}
	b.WriteString("metadata:\n")
	for _, e := range r.metadata {
		fmt.Fprintf(&b, "  %s: %s\n", e.key, strconv.Quote(e.value))
	}
	return b.String()
}
