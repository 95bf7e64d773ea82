package timeseries

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
	_ "time/tzdata" // time zones in tests do not depend on the host
)

// genCounts returns n request counts with a daily cycle, seeded.
func genCounts(n int, step time.Duration, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	v := make([]float64, n)
	perDay := float64(24 * time.Hour / step)
	for i := range v {
		rate := 2 + 1.5*math.Sin(2*math.Pi*float64(i)/perDay)
		v[i] = float64(r.IntN(int(2*rate) + 1))
	}
	return v
}

// linesText formats values as integers separated by sep.
func linesText(vals []float64, sep byte) []byte {
	var b bytes.Buffer
	b.Grow(len(vals) * 3)
	for _, v := range vals {
		b.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
		b.WriteByte(sep)
	}
	return b.Bytes()
}

// csvText writes a timestamp,value csv of vals from start by step; layout
// "unix" writes unix seconds.
func csvText(vals []float64, start time.Time, step time.Duration, layout string) []byte {
	var b bytes.Buffer
	b.WriteString("timestamp,value\n")
	for i, v := range vals {
		t := start.Add(time.Duration(i) * step)
		if layout == "unix" {
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		} else {
			b.WriteString(t.Format(layout))
		}
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// nan is a NaN literal for test tables.
var nan = math.NaN()

// sameValues reports whether got and want are equal, NaN equal to NaN.
func sameValues(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			return false
		}
	}
	return true
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkSeries fails t unless got and want hold the same series.
func checkSeries(t *testing.T, input string, got, want []Series) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("input %q: got %d series %v, want %d %v", input, len(got), got, len(want), want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Name != w.Name || !g.Start.Equal(w.Start) || g.Start.Location() != time.UTC ||
			g.Step != w.Step || !sameValues(g.Values, w.Values) {
			t.Errorf("input %q series %d:\n got  %q %v step %v %v\n want %q %v step %v %v",
				input, i, g.Name, g.Start, g.Step, g.Values, w.Name, w.Start, w.Step, w.Values)
		}
	}
}
