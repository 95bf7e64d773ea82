package capacity

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/examples")

// TestExamplePlans plans the user-facing example files over their timelines:
// every replica placed, every invariant held, predictive cheaper than the
// static peak, and the figures as in the golden files.
func TestExamplePlans(t *testing.T) {
	for _, name := range []string{"ecommerce", "staffing"} {
		t.Run(name, func(t *testing.T) {
			c, err := LoadConfig(filepath.Join("testdata/examples", name+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			p, err := c.Problem()
			if err != nil {
				t.Fatal(err)
			}
			tl, err := PlanTimeline(context.Background(), p, c.Times())
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, 0, p, tl.PeakPlan)
			for _, st := range tl.Steps {
				if st.Unplaceable > 0 {
					t.Errorf("%s: %d pods unplaceable", st.At, st.Unplaceable)
				}
			}
			if len(tl.PeakPlan.Unplaceable) > 0 {
				t.Errorf("peak: unplaceable %+v", tl.PeakPlan.Unplaceable)
			}
			if tl.SavingsVsStaticPeak.Dollars <= 0 {
				t.Errorf("predictive %g $ not below static peak %g $", tl.Predictive.Cost, tl.StaticPeak.Cost)
			}
			t.Logf("%d steps over %g h: predictive %.2f $, static peak %.2f $ (saves %.1f%%), peak plan %d nodes at %.2f $/h, gap %.1f%%",
				len(tl.Steps), tl.HorizonHours, tl.Predictive.Cost, tl.StaticPeak.Cost, tl.SavingsVsStaticPeak.Percent,
				len(tl.PeakPlan.Nodes), tl.PeakPlan.CostPerHour, 100*tl.PeakPlan.Gap)
			golden(t, filepath.Join("testdata/examples", name+".golden.txt"), report(tl))
		})
	}
}

// report renders a timeline as text: one line per step, then the peak
// plan's breakdown and the strategies.
func report(tl Timeline) []byte {
	var b bytes.Buffer
	for _, st := range tl.Steps {
		fmt.Fprintf(&b, "%s %4.1fh %3d nodes %8.4f $/h (bound %8.4f)", st.At.Format(time.RFC3339), st.Hours, st.Nodes, st.CostPerHour, st.LowerBoundCostPerHour)
		for _, ps := range st.Pools {
			fmt.Fprintf(&b, " %s=%d", ps.Pool, ps.Nodes)
		}
		b.WriteByte('\n')
	}
	pl := tl.PeakPlan
	fmt.Fprintf(&b, "peak: %d nodes %.4f $/h, bound %.4f $/h, %d unplaceable\n", len(pl.Nodes), pl.CostPerHour, pl.LowerBoundCostPerHour, len(pl.Unplaceable))
	for _, group := range []struct {
		name  string
		lines []CostLine
	}{{"pool", pl.Summary.ByPool}, {"zone", pl.Summary.ByZone}, {"type", pl.Summary.ByInstanceType}, {"business line", pl.Summary.ByBusinessLine}} {
		for _, l := range group.lines {
			fmt.Fprintf(&b, "peak %s %s: %d nodes %.4f $/h\n", group.name, l.Name, l.Nodes, l.CostPerHour)
		}
	}
	u := pl.Summary.Utilization
	fmt.Fprintf(&b, "peak utilization: cpu %.3f memory %.3f pods %.3f\n", u.CPU, u.Memory, u.Pods)
	strategies := []struct {
		name string
		s    *Strategy
	}{{"predictive", &tl.Predictive}, {"static peak", &tl.StaticPeak}, {"current", tl.Current}}
	for _, st := range strategies {
		if st.s == nil {
			continue
		}
		fmt.Fprintf(&b, "%s: %.2f $ over %g h, %.1f node-hours, cpu %.1f core-hours (idle %.2f $), memory %.1f GiB-hours (idle %.2f $)\n",
			st.name, st.s.Cost, tl.HorizonHours, st.s.NodeHours, st.s.CPU.Allocatable, st.s.CPU.IdleCost, st.s.Memory.Allocatable, st.s.Memory.IdleCost)
	}
	fmt.Fprintf(&b, "saving vs static peak: %.2f $ (%.1f%%)\n", tl.SavingsVsStaticPeak.Dollars, tl.SavingsVsStaticPeak.Percent)
	if sv := tl.SavingsVsCurrent; sv != nil {
		fmt.Fprintf(&b, "saving vs current: %.2f $ (%.1f%%)\n", sv.Dollars, sv.Percent)
	}
	return b.Bytes()
}

// golden compares got with the file at path, or rewrites the file under
// -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from this run's output (check the change, then run with -update)", path)
	}
}
