package simulator

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Delay is a distribution of durations, such as a pod's start-up time.
// Implementations must be immutable: one value is shared by parallel runs,
// each drawing from its own random source.
type Delay interface {
	// Draw returns one duration, not negative, using r for any randomness.
	Draw(r *rand.Rand) time.Duration
}

// Fixed is a constant delay; it consumes no randomness.
type Fixed time.Duration

// Draw returns d.
func (d Fixed) Draw(*rand.Rand) time.Duration { return time.Duration(d) }

// Validate reports a negative delay.
func (d Fixed) Validate() error {
	if d < 0 {
		return errors.New("fixed delay must not be negative")
	}
	return nil
}

// String formats d as a time.Duration.
func (d Fixed) String() string { return time.Duration(d).String() }

// Uniform is a delay drawn uniformly from [Min, Max].
type Uniform struct {
	// Min and Max bound the draws, inclusive.
	Min, Max time.Duration
}

// Draw returns a uniform draw from [u.Min, u.Max].
func (u Uniform) Draw(r *rand.Rand) time.Duration {
	return u.Min + time.Duration(r.Float64()*float64(u.Max-u.Min))
}

// Validate checks 0 <= Min <= Max.
func (u Uniform) Validate() error {
	if u.Min < 0 || u.Max < u.Min {
		return fmt.Errorf("uniform delay needs 0 <= min <= max, got [%v,%v]", u.Min, u.Max)
	}
	return nil
}

// LogNormal is a delay whose logarithm is normal: half the draws are below
// Median, and Sigma is the standard deviation of the log (0.5 puts the 95th
// percentile at about 2.3 × Median). Pod start-up times are right-skewed
// like this: image pulls and slow nodes make a long tail.
type LogNormal struct {
	// Median is the 50th percentile of the draws.
	Median time.Duration
	// Sigma is the standard deviation of the draws' natural logarithm.
	Sigma float64
}

// LogNormalFromQuantiles returns the LogNormal whose median is p50 and
// whose 95th percentile is p95 (p95 >= p50 > 0).
func LogNormalFromQuantiles(p50, p95 time.Duration) LogNormal {
	const z95 = 1.6448536269514722 // standard normal 95th percentile
	return LogNormal{Median: p50, Sigma: math.Log(float64(p95)/float64(p50)) / z95}
}

// Draw returns Median × exp(Sigma × N(0,1)), capped at about 146 years.
func (l LogNormal) Draw(r *rand.Rand) time.Duration {
	return time.Duration(min(float64(l.Median)*math.Exp(l.Sigma*r.NormFloat64()), 1<<62))
}

// Validate checks Median > 0 and 0 <= Sigma <= 5.
func (l LogNormal) Validate() error {
	if l.Median <= 0 || !(l.Sigma >= 0 && l.Sigma <= 5) {
		return fmt.Errorf("lognormal delay needs median > 0 and sigma in [0,5], got %v and %v", l.Median, l.Sigma)
	}
	return nil
}

// Quantile is one point of an empirical distribution: a fraction P of the
// draws are at most D.
type Quantile struct {
	// P is the cumulative probability, in [0, 1].
	P float64
	// D is the delay at that probability.
	D time.Duration
}

// Empirical is a delay distribution given by measured quantiles, such as
// the p0, p50, p90, p99 and p100 of observed pod start-ups. Draws
// interpolate linearly between the quantiles and are clamped to the first
// and last.
type Empirical []Quantile

// Draw inverts the piecewise-linear distribution at a uniform draw.
func (e Empirical) Draw(r *rand.Rand) time.Duration {
	u := r.Float64()
	if u <= e[0].P {
		return e[0].D
	}
	for i := 1; i < len(e); i++ {
		if u <= e[i].P {
			lo, hi := e[i-1], e[i]
			f := (u - lo.P) / (hi.P - lo.P)
			return lo.D + time.Duration(f*float64(hi.D-lo.D))
		}
	}
	return e[len(e)-1].D
}

// Validate checks at least one quantile, P strictly increasing in [0,1]
// and D non-decreasing and not negative.
func (e Empirical) Validate() error {
	if len(e) == 0 {
		return errors.New("empirical delay needs at least one quantile")
	}
	for i, q := range e {
		if !(q.P >= 0 && q.P <= 1) || q.D < 0 {
			return fmt.Errorf("empirical quantile %d needs p in [0,1] and a delay >= 0", i)
		}
		if i > 0 && (q.P <= e[i-1].P || q.D < e[i-1].D) {
			return fmt.Errorf("empirical quantile %d must follow quantile %d in p and delay", i, i-1)
		}
	}
	return nil
}
