package forecast

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// naive2 is the M4 competition's Naive2 benchmark, the reference of its
// overall weighted average (OWA): the last value of the seasonally adjusted
// history, reseasonalised, where the seasonal indices are those of a
// classical multiplicative decomposition of period m, used only when the
// autocorrelation at lag m is significant at 90% (else the naive forecast).
func naive2(y []float64, m, h int) []float64 {
	idx := make([]float64, m)
	for i := range idx {
		idx[i] = 1
	}
	if len(y) >= 3*m && seasonalAt90(y, m) {
		idx = multiplicativeIndices(y, m)
	}
	n := len(y)
	last := y[n-1] / idx[(n-1)%m]
	out := make([]float64, h)
	for k := range out {
		out[k] = last * idx[(n+k)%m]
	}
	return out
}

// seasonalAt90 is M4's seasonality test: |r_m| > 1.645·sqrt((1 + 2·Σ_{k<m} r_k²)/n).
func seasonalAt90(y []float64, m int) bool {
	n := len(y)
	mu := 0.0
	for _, v := range y {
		mu += v
	}
	mu /= float64(n)
	var den float64
	for _, v := range y {
		den += (v - mu) * (v - mu)
	}
	acf := func(k int) float64 {
		s := 0.0
		for i := k; i < n; i++ {
			s += (y[i] - mu) * (y[i-k] - mu)
		}
		return s / den
	}
	sum := 0.0
	for k := 1; k < m; k++ {
		r := acf(k)
		sum += r * r
	}
	return math.Abs(acf(m)) > 1.645*math.Sqrt((1+2*sum)/float64(n))
}

// multiplicativeIndices returns the seasonal indices of a classical
// multiplicative decomposition: the per-phase means of y over its centred
// moving average (2×m for even m), normalised to mean 1.
func multiplicativeIndices(y []float64, m int) []float64 {
	n := len(y)
	sum, cnt := make([]float64, m), make([]float64, m)
	half := m / 2
	for i := half; i < n-half; i++ {
		var c float64
		if m%2 == 0 {
			for j := i - half; j <= i+half; j++ {
				w := 1.0
				if j == i-half || j == i+half {
					w = 0.5
				}
				c += w * y[j]
			}
		} else {
			for j := i - half; j <= i+half; j++ {
				c += y[j]
			}
		}
		c /= float64(m)
		if c != 0 {
			sum[i%m] += y[i] / c
			cnt[i%m]++
		}
	}
	mean := 0.0
	for i := range sum {
		sum[i] /= max(cnt[i], 1)
		mean += sum[i]
	}
	mean /= float64(m)
	for i := range sum {
		sum[i] /= mean
	}
	return sum
}

// owa is M4's overall weighted average of a method's sMAPE and MASE
// relative to Naive2's on the same series and horizons.
func owa(s, naive m4Score) float64 {
	return (s.smape/naive.smape + s.mase/naive.mase) / 2
}

// naive2Score scores Naive2 on the M4 Hourly holdouts.
func naive2Score(holdouts []m4Holdout) m4Score {
	var s m4Score
	for _, h := range holdouts {
		fc := naive2(h.hist.Values, 24, 48)
		s.smape += SMAPE(h.actual, fc)
		s.mase += MASE(h.hist.Values, h.actual, fc, 24)
	}
	n := float64(len(holdouts))
	s.smape, s.mase = s.smape/n, s.mase/n
	return s
}

func TestNaive2(t *testing.T) {
	seasonal := make([]float64, 24*6)
	for i := range seasonal {
		seasonal[i] = 10 * (1 + 0.5*math.Sin(2*math.Pi*float64(i)/24))
	}
	flat := make([]float64, 50)
	for i := range flat {
		flat[i] = float64(i % 3)
	}
	tests := []struct {
		name string
		y    []float64
		m    int
		want []float64
	}{
		{"seasonal series repeats its cycle", seasonal, 24, seasonal[:24]},
		{"too short for the test: naive", flat, 24, []float64{1, 1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := naive2(tc.y, tc.m, len(tc.want))
			require.Len(t, got, len(tc.want))
			for i := range got {
				assert.InDelta(t, tc.want[i], got[i], 1e-9*max(1, math.Abs(tc.want[i])), "step %d", i)
			}
		})
	}
}
