package evidence

import (
	"fmt"
	"io/fs"
	"math"
	"strconv"
	"strings"
)

// planFile is the part of `prescale plan --output json` the README quotes.
type planFile struct {
	Gap      *float64 `json:"gap"`
	Timeline *struct {
		Predictive *struct {
			Cost float64 `json:"cost"`
		} `json:"predictive"`
		StaticPeak *struct {
			Cost float64 `json:"cost"`
		} `json:"static_peak"`
		Current *struct {
			Cost float64 `json:"cost"`
		} `json:"current"`
	} `json:"timeline"`
}

// planExample is one row of the README's table of example plans.
type planExample struct {
	file, label string
}

func planExamples() []planExample {
	return []planExample{
		{"plan-ecommerce.json", "e-commerce: storefront, checkout, search, recommendations"},
		{"plan-staffing.json", "staffing: job search, applicant tracking, matching, payroll (144 half-hour steps)"},
		{"plan-nasa.json", "NASA trace, replicas forecast from the bundled trace"},
	}
}

// renderPlans renders the example plans' costs over their timelines and
// the gap of their peak plan to the lower bound.
func renderPlans(fsys fs.FS) (string, error) {
	var b strings.Builder
	b.WriteString("| example (72 h around a campaign, 3 zones) | predictive | static peak | current nodes | saving vs static peak | peak plan above the bound |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|\n")
	for _, ex := range planExamples() {
		var p planFile
		if err := readJSON(fsys, ex.file, &p); err != nil {
			return "", err
		}
		tl := p.Timeline
		if tl == nil || tl.Predictive == nil || tl.StaticPeak == nil {
			return "", fmt.Errorf("reading %s: no timeline with predictive and static-peak costs", ex.file)
		}
		current := "–"
		if tl.Current != nil {
			current = dollars(tl.Current.Cost)
		}
		gap := "–"
		if p.Gap != nil {
			gap = fmt.Sprintf("%.1f%%", 100**p.Gap)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %.1f%% | %s |\n", ex.label, dollars(tl.Predictive.Cost),
			dollars(tl.StaticPeak.Cost), current, 100*(1-tl.Predictive.Cost/tl.StaticPeak.Cost), gap)
	}
	return b.String(), nil
}

// dollars spells v as whole dollars with thousands separators: "$1,080".
func dollars(v float64) string {
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return "$" + s
}
