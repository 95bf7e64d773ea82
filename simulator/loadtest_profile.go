package simulator

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Stage is one stage of a load profile: the rate ramps linearly from the
// previous stage's target (the profile's start rate for the first) to
// Target over Duration.
type Stage struct {
	// Duration is the stage's length.
	Duration time.Duration
	// Target is the rate at the stage's end, in requests per RateUnit.
	Target float64
}

// Profile is a load-test profile shaped on a forecast peak.
type Profile struct {
	// RateUnit is the time unit of the rates: the trace's values are
	// requests per RateUnit (1s for requests/s, 1m for requests/min).
	RateUnit time.Duration
	// StartRate is the rate at the profile's start.
	StartRate float64
	// Stages follow one another.
	Stages []Stage
	// VUs is the number of virtual users to pre-allocate: the requests in
	// flight at the highest rate with the latency target, twice over
	// (Little's law with slack).
	VUs int
}

// ProfileOptions shape a Profile.
type ProfileOptions struct {
	// RateUnit is what the trace's values are per; it must be positive.
	RateUnit time.Duration
	// Ramp is how long before the peak the profile starts, following the
	// forecast; Step is the length of each ramp stage (Ramp is rounded up
	// to whole stages).
	Ramp, Step time.Duration
	// Hold is how long the profile holds the peak rate, times 1+Overload,
	// before ramping down to zero in one Step.
	Hold     time.Duration
	Overload float64
}

// Profile returns the load profile of the forecast around its peak,
// shaped like the point forecast and scaled so that its top is the peak at
// the quantile: stages of opts.Step from opts.Ramp before the point
// forecast's highest step, each ramping to the highest scaled forecast in
// its interval, then the hold at the peak times 1+Overload, then the ramp
// down. Without a point forecast the quantile forecast gives the shape.
func (r LoadTestReport) Profile(opts ProfileOptions) (Profile, error) {
	switch {
	case opts.RateUnit <= 0:
		return Profile{}, fieldErr("profile.rateUnit", "must be positive")
	case opts.Step <= 0:
		return Profile{}, fieldErr("profile.step", "must be positive")
	case opts.Ramp < 0 || opts.Hold < 0:
		return Profile{}, fieldErr("profile.ramp", "ramp and hold must not be negative")
	case !(opts.Overload >= 0) || math.IsInf(opts.Overload, 0):
		return Profile{}, fieldErr("profile.overload", "must be finite and not negative")
	case r.Forecast.Len() == 0:
		return Profile{}, errors.New("report has no forecast")
	}
	shape := r.Point
	if shape.Len() == 0 {
		shape = r.Forecast
	}
	top, at := seriesMax(shape)
	scale := 1.0
	if top > 0 {
		scale = r.PeakDemand / top
	}
	n := int((opts.Ramp + opts.Step - 1) / opts.Step)
	from := at.Add(-time.Duration(n) * opts.Step)
	p := Profile{RateUnit: opts.RateUnit, StartRate: scale * intervalMax(shape, from, from.Add(time.Nanosecond))}
	for i := range n {
		lo := from.Add(time.Duration(i) * opts.Step)
		p.Stages = append(p.Stages, Stage{Duration: opts.Step, Target: scale * intervalMax(shape, lo, lo.Add(opts.Step))})
	}
	hold := r.PeakDemand * (1 + opts.Overload)
	if opts.Hold > 0 {
		p.Stages = append(p.Stages, Stage{Duration: opts.Step, Target: hold}, Stage{Duration: opts.Hold, Target: hold})
	}
	p.Stages = append(p.Stages, Stage{Duration: opts.Step, Target: 0})
	perSecond := hold / opts.RateUnit.Seconds()
	p.VUs = max(1, int(ceilRate(2*perSecond*r.Config.LatencyTarget.Seconds())))
	return p, nil
}

// seriesMax returns the highest value of f and the start of its step.
func seriesMax(f timeseries.Series) (float64, time.Time) {
	best, at := math.Inf(-1), f.Start
	for i, v := range f.Values {
		if v > best {
			best, at = v, f.Time(i)
		}
	}
	return best, at
}

// intervalMax returns the highest value of the steps of f overlapping
// [from, to), clamped to f's range; 0 when none is known.
func intervalMax(f timeseries.Series, from, to time.Time) float64 {
	lo := min(max(f.Index(from), 0), f.Len()-1)
	hi := min(max(f.Index(to.Add(-time.Nanosecond)), lo), f.Len()-1)
	best := 0.0
	for _, v := range f.Values[lo : hi+1] {
		if !math.IsNaN(v) {
			best = max(best, v)
		}
	}
	return best
}

// WriteK6 writes p as a k6 script's options: one ramping-arrival-rate
// scenario whose stages are p's, rates rounded up to whole requests per
// time unit.
func WriteK6(w io.Writer, p Profile, comment string) error {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(comment), "\n") {
		fmt.Fprintf(&b, "// %s\n", line)
	}
	fmt.Fprintf(&b, "export const options = {\n  scenarios: {\n    forecast_peak: {\n")
	fmt.Fprintf(&b, "      executor: 'ramping-arrival-rate',\n      startRate: %d,\n      timeUnit: '%s',\n",
		ceilRate(p.StartRate), shortDuration(p.RateUnit))
	fmt.Fprintf(&b, "      preAllocatedVUs: %d,\n      maxVUs: %d,\n      stages: [\n", p.VUs, 2*p.VUs)
	for _, s := range p.Stages {
		fmt.Fprintf(&b, "        { duration: '%s', target: %d },\n", shortDuration(s.Duration), ceilRate(s.Target))
	}
	b.WriteString("      ],\n    },\n  },\n};\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJMeter writes p as the rows of a JMeter Throughput Shaping Timer
// schedule (line from start_rps to end_rps over duration_s seconds), as
// CSV with those three columns, rates in requests per second.
func WriteJMeter(w io.Writer, p Profile) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"start_rps", "end_rps", "duration_s"}); err != nil {
		return err
	}
	per := p.RateUnit.Seconds()
	prev := p.StartRate
	for _, s := range p.Stages {
		row := []string{decimal(prev / per), decimal(s.Target / per), strconv.FormatInt(int64(math.Ceil(s.Duration.Seconds())), 10)}
		if err := cw.Write(row); err != nil {
			return err
		}
		prev = s.Target
	}
	cw.Flush()
	return cw.Error()
}

// ceilRate rounds a rate up to a whole number of requests.
func ceilRate(v float64) int64 {
	if !(v > 0) {
		return 0
	}
	return int64(math.Ceil(v - 1e-9))
}
