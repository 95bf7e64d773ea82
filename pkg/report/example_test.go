package report_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/pkg/report"
)

// A page with headline figures, a stacked step chart of nodes over a day
// with a reference line, a bar chart and a table, written as one file.
func ExamplePage_WriteHTML() {
	t0 := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	var times []time.Time
	web, api, budget := []float64{}, []float64{}, []float64{}
	for h := range 24 {
		times = append(times, t0.Add(time.Duration(h)*time.Hour))
		n := 4.0
		if h >= 9 && h < 21 {
			n = 12
		}
		web, api, budget = append(web, n), append(api, 3), append(budget, 15)
	}
	page := report.Page{
		Title: "Black Friday", Subtitle: "nodes and cost of the shop",
		Blocks: []report.Block{
			report.Figures{{Label: "Saving", Value: "38 %", Note: "against the static peak"}},
			&report.TimeChart{Title: "Nodes by pool", Unit: "nodes", Times: times, Stacked: true, Steps: true,
				Series:  []report.Series{{Name: "web", Values: web}, {Name: "api", Values: api}},
				Overlay: []report.Series{{Name: "static peak", Values: budget}}},
			&report.BarChart{Title: "Cost by strategy", Unit: "$", Categories: []string{"predictive", "static peak"},
				Series: []report.Series{{Name: "cost", Values: []float64{52.4, 86.4}}}},
			report.Table{Columns: []report.Column{{Title: "pool"}, {Title: "nodes", Numeric: true}}, Rows: [][]string{{"web", "12"}, {"api", "3"}}},
		},
	}
	var buf bytes.Buffer
	if err := page.WriteHTML(&buf); err != nil {
		log.Fatal(err)
	}
	out := buf.String()
	fmt.Println(strings.Count(out, "<svg"), "charts,", strings.Count(out, `class="series"`), "series,", strings.Count(out, "<table"), "table")
	// Output: 2 charts, 3 series, 1 table
}
