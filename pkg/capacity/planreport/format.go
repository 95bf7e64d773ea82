package planreport

import (
	"math"
	"strconv"
	"strings"
)

// money formats dollars with two decimals and thousands separators.
func money(v float64) string { return thousands(v, 2) }

// rate formats $/hour with three decimals.
func rate(v float64) string { return thousands(v, 3) }

// amount formats a quantity with one decimal and thousands separators.
func amount(v float64) string { return thousands(v, 1) }

// percent formats a fraction as a percentage with one decimal.
func percent(frac float64) string { return strconv.FormatFloat(100*frac, 'f', 1, 64) + " %" }

// thousands formats v with decimals and comma thousands separators.
func thousands(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}
