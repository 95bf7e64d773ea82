package forecast

import (
	"context"
	"fmt"
	"math"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Constants of SeasonalAR, documented on it.
const (
	// arMaxOrder is the largest autoregressive order: a day of hourly data.
	arMaxOrder = 24
	// arFitPoints caps the steps the autoregression is fitted on, the most
	// recent ones.
	arFitPoints = 4096
	// arRidge is the relative ridge penalty on the lag coefficients, added to
	// the diagonal of the normal equations; it keeps nearly collinear lags
	// (a smooth series) from giving explosive coefficients.
	arRidge = 1e-3
)

// SeasonalAR is an autoregression on MultiSeasonal's deseasonalised series:
// it fits MultiSeasonal (cleaning, transform, seasonal profiles), removes the
// seasonal profiles from the transformed, cleaned window, and fits by least
// squares an AR model with an intercept to the result. Its forecasts iterate
// the autoregression and add the profiles back, brought back from the
// transform and guarded as MultiSeasonal's are.
//
// Where MultiSeasonal extrapolates a level and a damped trend, SeasonalAR
// lets the recent deviations from the seasonal pattern decay toward the mean
// of the fitted window at the rate the history shows; the two err
// differently, which is what Auto's combination needs.
//
// The order is the shortest period divided by profileWidth (24 lags for
// periods of 24 steps or more, a lag per hour of a daily period), at most
// 24, and the autoregression is fitted on at most the last 4,096 steps of
// the window, steps with a missing value or lag left out. Missing values
// among the last lags (an outage, an event window masked by WithEvents)
// are replaced by the autoregression's own one-step predictions. Without a
// period, or with too few complete steps (under four per coefficient), it
// forecasts as MultiSeasonal does. Its in-sample values are MultiSeasonal's,
// the reference WithEvents learns effects against. Its Name is
// "mseasonal-ar".
type SeasonalAR struct {
	base *MultiSeasonal
}

// NewSeasonalAR returns a SeasonalAR model over a MultiSeasonal model with
// the given options.
func NewSeasonalAR(opts MultiSeasonalOptions) *SeasonalAR {
	return &SeasonalAR{base: NewMultiSeasonal(opts)}
}

// Name returns "mseasonal-ar".
func (m *SeasonalAR) Name() string { return "mseasonal-ar" }

// Fit fits MultiSeasonal to y, then the autoregression to its deseasonalised
// window. Its errors are MultiSeasonal's.
func (m *SeasonalAR) Fit(ctx context.Context, y timeseries.Series) (Fit, error) {
	f, err := m.base.Fit(ctx, y)
	if err != nil {
		return nil, fmt.Errorf("mseasonal-ar: %w", err)
	}
	ms, ok := f.(*msFit)
	if !ok || len(ms.seasonal.profiles) == 0 {
		return f, nil
	}
	p := len(ms.seasonal.profiles[0])
	order := min(arMaxOrder, p/profileWidth(p))
	a := make([]float64, len(ms.z))
	for i, v := range ms.z {
		a[i] = v - ms.seasonal.at(i)
	}
	coef, mean, ok := fitAR(a[max(0, len(a)-arFitPoints):], order)
	if !ok {
		return f, nil
	}
	af := &arFit{msFit: ms, coef: coef, mean: mean}
	af.fillMissing(a, len(a)-arFitPoints)
	return af, nil
}

// fitAR fits a_t − μ = c + Σ_{l=1..order} φ_l (a_{t−l} − μ) by ridge least
// squares over the steps of a whose value and lags are present, μ the mean
// of a's values; it returns [c, φ_1, …, φ_order] and μ, and false when fewer
// than four steps per coefficient are complete or the system is singular.
func fitAR(a []float64, order int) (coef []float64, mean float64, ok bool) {
	mean = nanMean(a)
	k := order + 1
	xtx, xty := make([]float64, k*k), make([]float64, k)
	rows := 0
	if countPresent(a) == len(a) {
		rows = arNormalEquations(a, mean, order, xtx, xty)
	} else {
		rows = arNormalEquationsMissing(a, mean, order, xtx, xty)
	}
	if rows < 4*k {
		return nil, mean, false
	}
	for i := range k {
		for j := range i {
			xtx[i*k+j] = xtx[j*k+i]
		}
		if i > 0 {
			xtx[i*k+i] *= 1 + arRidge
		}
	}
	coef, ok = solveLinear(xtx, xty, k)
	return coef, mean, ok
}

// arNormalEquations adds to the upper triangle of xtx and to xty the normal
// equations of fitAR for a without missing values, and returns the number of
// rows, len(a) − order. The products of two lag columns are the same sums
// shifted by a step along each diagonal, so each diagonal is computed once
// and then updated at its two ends: O(len(a)·order), not O(len(a)·order²).
func arNormalEquations(a []float64, mean float64, order int, xtx, xty []float64) int {
	n, k := len(a), order+1
	if n <= order {
		return 0
	}
	x := make([]float64, n)
	for i, v := range a {
		x[i] = v - mean
	}
	// c[l][m] = Σ_{t=order}^{n-1} x[t-l]·x[t-m] for 0 ≤ l ≤ m ≤ order;
	// column 0 is the target, column l ≥ 1 the lag l.
	c := func(l, m int) float64 { return xtx[l*k+m] }
	for m := range k {
		s := 0.0
		for t := order; t < n; t++ {
			s += x[t] * x[t-m]
		}
		xtx[m] = s
	}
	for l := 0; l < order; l++ {
		for m := l; m < order; m++ {
			xtx[(l+1)*k+m+1] = c(l, m) + x[order-1-l]*x[order-1-m] - x[n-1-l]*x[n-1-m]
		}
	}
	copy(xty, xtx[:k])
	// Column 0 becomes the intercept: sums of each column.
	sum := 0.0
	for t := order; t < n; t++ {
		sum += x[t]
	}
	xty[0] = sum
	xtx[0] = float64(n - order)
	for l := 0; l < order; l++ {
		sum += x[order-1-l] - x[n-1-l]
		xtx[l+1] = sum
	}
	return n - order
}

// arNormalEquationsMissing is arNormalEquations for a with missing values,
// whose rows with a missing value or lag are left out.
func arNormalEquationsMissing(a []float64, mean float64, order int, xtx, xty []float64) int {
	k := order + 1
	row := make([]float64, k)
	rows := 0
	for t := order; t < len(a); t++ {
		if math.IsNaN(a[t]) {
			continue
		}
		row[0] = 1
		complete := true
		for l := 1; l <= order && complete; l++ {
			row[l] = a[t-l] - mean
			complete = !math.IsNaN(row[l])
		}
		if !complete {
			continue
		}
		rows++
		yt := a[t] - mean
		for i := range k {
			xty[i] += row[i] * yt
			for j := i; j < k; j++ {
				xtx[i*k+j] += row[i] * row[j]
			}
		}
	}
	return rows
}

// solveLinear solves the k×k system a·x = b (a row-major) by Gaussian
// elimination with partial pivoting, overwriting a and b; false when a is
// singular.
func solveLinear(a, b []float64, k int) ([]float64, bool) {
	for c := range k {
		p := c
		for r := c + 1; r < k; r++ {
			if math.Abs(a[r*k+c]) > math.Abs(a[p*k+c]) {
				p = r
			}
		}
		if math.Abs(a[p*k+c]) < 1e-12 {
			return nil, false
		}
		if p != c {
			for j := range k {
				a[c*k+j], a[p*k+j] = a[p*k+j], a[c*k+j]
			}
			b[c], b[p] = b[p], b[c]
		}
		for r := c + 1; r < k; r++ {
			f := a[r*k+c] / a[c*k+c]
			for j := c; j < k; j++ {
				a[r*k+j] -= f * a[c*k+j]
			}
			b[r] -= f * b[c]
		}
	}
	for c := k - 1; c >= 0; c-- {
		s := b[c]
		for j := c + 1; j < k; j++ {
			s -= a[c*k+j] * b[j]
		}
		b[c] = s / a[c*k+c]
	}
	return b, true
}

// arFit is a fitted SeasonalAR: MultiSeasonal's fit (its in-sample values
// are the fit's) and the autoregression of its deseasonalised window a.
type arFit struct {
	*msFit
	a    []float64
	coef []float64 // intercept, then lags 1, 2, …
	mean float64
}

// fillMissing replaces each missing value of the deseasonalised window a
// from step from on by its one-step prediction, in time order (a lag still
// missing, before from, counts as the mean), and keeps a as the
// autoregression's state.
func (f *arFit) fillMissing(a []float64, from int) {
	order := len(f.coef) - 1
	for t := max(from, 0); t < len(a); t++ {
		if !math.IsNaN(a[t]) {
			continue
		}
		v := f.coef[0]
		for l := 1; l <= order && t-l >= 0; l++ {
			if x := a[t-l]; !math.IsNaN(x) {
				v += f.coef[l] * (x - f.mean)
			}
		}
		a[t] = v + f.mean
	}
	f.a = a
}

// Forecast iterates the autoregression h steps from the window's last
// values (missing ones replaced by their predictions, see fillMissing) and
// adds the seasonal profiles back.
func (f *arFit) Forecast(h int) []float64 {
	order, n := len(f.coef)-1, len(f.a)
	ext := make([]float64, order+max(h, 0))
	for l := range order {
		if i := n - order + l; i >= 0 {
			ext[l] = f.a[i] - f.mean
		}
	}
	out := make([]float64, max(h, 0))
	for k := range out {
		t := order + k
		v := f.coef[0]
		for l := 1; l <= order; l++ {
			v += f.coef[l] * ext[t-l]
		}
		ext[t] = v
		z := v + f.mean + f.seasonal.at(n+k)
		out[k] = min(max(invBoxCox(z, f.lambda), f.lo), f.hi)
	}
	return out
}
