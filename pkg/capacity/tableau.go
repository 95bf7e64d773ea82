package capacity

import (
	"math"
	"slices"
)

// Tableau simplex tolerances: reduced costs and pivots smaller than
// tableauEps are zero; after tableauStall degenerate pivots in a row the
// entering column is chosen by Bland's rule, which cannot cycle.
const (
	tableauEps   = 1e-10
	tableauStall = 50
)

// solveDense returns the same optimum as solve, by a dense tableau simplex
// on the dual
//
//	maximise  sum_r d_r y_r   s.t.  sum_r a[r][t] y_r <= price_t,  y >= 0,
//
// started from the slack basis. Column generation solves masters with many
// columns (rows of this dual) and few rows, where a tableau pivot costs
// O(columns × rows) against the O(columns³) factorisations of a general
// solver. The dual solution is repaired like solve's, so the value is a
// valid lower bound even when rounding stops the simplex early.
func (c *coverLP) solveDense() (float64, []float64) {
	v, y, _ := c.solveDensePrimal()
	return v, y
}

// solveDensePrimal is solveDense that also returns the primal solution x
// (one value per column), read from the reduced costs of the dual's
// slacks in the final tableau; it is optimal when the simplex finished,
// and non-negative always.
func (c *coverLP) solveDensePrimal() (float64, []float64, []float64) {
	rows, cols := len(c.d), len(c.price)
	if rows == 0 {
		return 0, nil, make([]float64, cols)
	}
	scale := make([]float64, rows)
	for r := range rows {
		scale[r] = slices.Max(c.a[r])
		if scale[r] <= 0 {
			return math.NaN(), nil, nil
		}
	}
	// width: rows y variables, cols slacks, the right-hand side.
	width := rows + cols + 1
	tab := make([]float64, (cols+1)*width)
	row := func(i int) []float64 { return tab[i*width : (i+1)*width] }
	basis := make([]int, cols)
	for t := range cols {
		rt := row(t)
		for r := range rows {
			rt[r] = c.a[r][t] / scale[r]
		}
		rt[rows+t] = 1
		rt[width-1] = c.price[t]
		basis[t] = rows + t
	}
	obj := row(cols)
	for r := range rows {
		obj[r] = -c.d[r] / scale[r]
	}
	pivots(tab, width, cols, basis)
	y := make([]float64, rows)
	for t, b := range basis {
		if b < rows {
			y[b] = max(0, row(t)[width-1]) / scale[b]
		}
	}
	x := make([]float64, cols)
	for t := range cols {
		x[t] = max(0, obj[rows+t])
	}
	return c.repair(y), y, x
}

// pivots runs the simplex on a tableau of m constraint rows and an
// objective row (minimised, as reduced costs) until no reduced cost is
// negative or the iteration limit is reached.
func pivots(tab []float64, width, m int, basis []int) {
	row := func(i int) []float64 { return tab[i*width : (i+1)*width] }
	obj := row(m)
	stall := 0
	for range 50 * (m + width) {
		enter := -1
		for j := range width - 1 {
			if obj[j] < -tableauEps && (enter < 0 || (stall < tableauStall && obj[j] < obj[enter])) {
				enter = j
				if stall >= tableauStall {
					break
				}
			}
		}
		if enter < 0 {
			return
		}
		leave, ratio := -1, math.Inf(1)
		for i := range m {
			ri := row(i)
			if ri[enter] > tableauEps {
				q := ri[width-1] / ri[enter]
				if q < ratio-tableauEps || (q <= ratio+tableauEps && leave >= 0 && basis[i] < basis[leave]) {
					leave, ratio = i, q
				}
			}
		}
		if leave < 0 {
			return // unbounded: cannot happen with positive prices
		}
		if ratio <= tableauEps {
			stall++
		} else {
			stall = 0
		}
		pivot(tab, width, m, leave, enter)
		basis[leave] = enter
	}
}

// pivot makes column j basic in row i.
func pivot(tab []float64, width, m, i, j int) {
	ri := tab[i*width : (i+1)*width]
	p := ri[j]
	for k := range ri {
		ri[k] /= p
	}
	for k := 0; k <= m; k++ {
		if k == i {
			continue
		}
		rk := tab[k*width : (k+1)*width]
		f := rk[j]
		if f == 0 {
			continue
		}
		for l := range rk {
			rk[l] -= f * ri[l]
		}
		rk[j] = 0
	}
}
