package report

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// niceStep returns the smallest step of the form {1, 2, 2.5, 5} x 10^k
// that covers span in at most n steps.
func niceStep(span float64, n int) float64 {
	if !(span > 0) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw*(1-1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// valueTicks returns round ticks from 0 (or below, for negative data) up
// to at least hi, about n of them.
func valueTicks(lo, hi float64, n int) []float64 {
	lo, hi = min(lo, 0), max(hi, 0)
	if hi == lo {
		hi = lo + 1
	}
	step := niceStep(hi-lo, n)
	start := math.Floor(lo/step+1e-9) * step
	var out []float64
	for v := start; v < hi+step*(1-1e-9); v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// timeSteps returns the tick intervals a time axis may use, shortest
// first.
func timeSteps() []time.Duration {
	return []time.Duration{
		time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
		24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 28 * 24 * time.Hour,
	}
}

// timeTicks returns instants in [from, to] on whole multiples of a round
// interval in loc (whole hours, local midnights), at most n of them, and
// the interval.
func timeTicks(from, to time.Time, n int, loc *time.Location) ([]time.Time, time.Duration) {
	span := to.Sub(from)
	steps := timeSteps()
	step := steps[len(steps)-1]
	for _, s := range steps {
		if float64(span)/float64(s) <= float64(n) {
			step = s
			break
		}
	}
	var out []time.Time
	for t := firstTick(from, step, loc); !t.After(to); t = nextTick(t, step, loc) {
		out = append(out, t)
	}
	return out, step
}

// firstTick returns the first round instant at or after from.
func firstTick(from time.Time, step time.Duration, loc *time.Location) time.Time {
	l := from.In(loc)
	if step < 24*time.Hour {
		day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
		t := day.Add(l.Sub(day).Truncate(step))
		if t.Before(from) {
			t = t.Add(step)
		}
		return t
	}
	t := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	if t.Before(from) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// nextTick returns the tick after t; days step in calendar days.
func nextTick(t time.Time, step time.Duration, loc *time.Location) time.Time {
	if step >= 24*time.Hour {
		return t.In(loc).AddDate(0, 0, int(step/(24*time.Hour)))
	}
	return t.Add(step)
}

// timeLabel labels a tick: the date at midnight or for daily steps, the
// time of day otherwise.
func timeLabel(t time.Time, step time.Duration, loc *time.Location) string {
	l := t.In(loc)
	if step >= 24*time.Hour || (l.Hour() == 0 && l.Minute() == 0) {
		return l.Format("Jan 2")
	}
	return l.Format("15:04")
}

// FormatNumber formats v compactly for axes and tooltips: three
// significant digits or fewer, k and M for thousands and millions, no
// trailing zeros.
func FormatNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	a := math.Abs(v)
	switch {
	case a >= 1e6:
		return trim(strconv.FormatFloat(v/1e6, 'f', 2, 64)) + "M"
	case a >= 1e4:
		return trim(strconv.FormatFloat(v/1e3, 'f', 1, 64)) + "k"
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return trim(strconv.FormatFloat(v, 'f', 1, 64))
	case a >= 1:
		return trim(strconv.FormatFloat(v, 'f', 2, 64))
	}
	return trim(strconv.FormatFloat(v, 'f', 3, 64))
}

// trim removes trailing zeros after a decimal point, and "-0".
func trim(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}
