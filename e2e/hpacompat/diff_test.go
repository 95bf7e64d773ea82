package hpacompat

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// firstDiff returns the index of the first sync at which a and b differ,
// or -1.
func firstDiff(a, b []int32) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return -1
}

// formatTimelines lays out two replica timelines side by side, one row per
// sync with the metric read then, marking the rows that differ.
func formatTimelines(sc scenario, a, b []int32, aName, bName string) string {
	var sb strings.Builder
	if i := firstDiff(a, b); i >= 0 {
		fmt.Fprintf(&sb, "first difference at sync %d (t=%v)\n", i, sc.syncAt(i))
	}
	w := tabwriter.NewWriter(&sb, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "sync\tt\tmetric\t%s\t%s\t\n", aName, bName)
	cell := func(tl []int32, i int) string {
		if i < len(tl) {
			return fmt.Sprint(tl[i])
		}
		return "-"
	}
	for i := range max(len(a), len(b)) {
		at := sc.syncAt(i)
		mark := ""
		if cell(a, i) != cell(b, i) {
			mark = "  <--"
		}
		fmt.Fprintf(w, "%d\t%v\t%s\t%s\t%s\t%s\n", i, at, milliString(sc.valueAt(at)), cell(a, i), cell(b, i), mark)
	}
	w.Flush()
	return sb.String()
}
