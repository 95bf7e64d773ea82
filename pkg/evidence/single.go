package evidence

import (
	"fmt"
	"io/fs"
	"strings"
)

// singleFile is the part of `prescale simulate --output json` (single
// operating points) the README quotes.
type singleFile struct {
	Runs []struct {
		Startup  string `json:"startup"`
		Policies []struct {
			Policy           string  `json:"policy"`
			UnservedFraction float64 `json:"unserved_fraction"`
			PodHours         float64 `json:"pod_hours"`
			PodHoursVsOracle float64 `json:"pod_hours_vs_oracle"`
		} `json:"policies"`
	} `json:"runs"`
}

// renderSingle renders the README's table of single operating points:
// per start-up, the HPA's and predictive's unserved demand, their ratios,
// and each policy's pod-hours over the oracle's.
func renderSingle(fsys fs.FS, name string) (string, error) {
	var f singleFile
	if err := readJSON(fsys, name, &f); err != nil {
		return "", err
	}
	if len(f.Runs) == 0 {
		return "", fmt.Errorf("reading %s: no runs", name)
	}
	var b strings.Builder
	b.WriteString("| pod start-up | unserved: HPA at 0.7 | unserved: predictive (risk 0.9) | predictive ÷ HPA | pod-hours: predictive ÷ HPA | pod-hours ÷ oracle (HPA, cron, predictive) |\n")
	b.WriteString("|---|---:|---:|---:|---:|---|\n")
	for _, run := range f.Runs {
		type point struct{ unserved, hours, vsOracle float64 }
		pts := map[string]point{}
		for _, p := range run.Policies {
			pts[p.Policy] = point{p.UnservedFraction, p.PodHours, p.PodHoursVsOracle}
		}
		hpa, okH := pts["reactive"]
		pred, okP := pts["predictive"]
		cron, okC := pts["cron"]
		if !okH || !okP || !okC || hpa.unserved <= 0 || hpa.hours <= 0 {
			return "", fmt.Errorf("reading %s: start-up %s: want the reactive, cron and predictive policies, the HPA leaving some demand unserved", name, run.Startup)
		}
		fmt.Fprintf(&b, "| %s | %.3f%% | %.3f%% | %.2f | %.3f | %.2f, %.2f, %.2f |\n", minutes(run.Startup),
			100*hpa.unserved, 100*pred.unserved, pred.unserved/hpa.unserved, pred.hours/hpa.hours,
			hpa.vsOracle, cron.vsOracle, pred.vsOracle)
	}
	return b.String(), nil
}
