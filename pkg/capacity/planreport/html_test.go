package planreport

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// TestWriteHTML parses the HTML report: one self-contained document, its
// charts well-formed SVG with the expected series, and the tables of the
// other outputs.
func TestWriteHTML(t *testing.T) {
	types := func(r *Result) int { // instance types in use
		seen := map[string]bool{}
		for _, n := range r.Plan.Nodes {
			seen[n.InstanceType] = true
		}
		return len(seen)
	}
	timeline := resultOf(t, ecommerce, time.Time{})
	instant := resultOf(t, staffing, time.Date(2026, 1, 5, 19, 30, 0, 0, time.UTC))
	type chart struct{ series, overlays int }
	tests := []struct {
		name    string
		result  *Result
		figures int
		charts  []chart
		tables  int
	}{
		{"timeline", timeline, 5, []chart{
			{3, 0}, // nodes by pool
			{3, 2}, // cost by pool, static peak and current
			{4, 0}, // cost by business line
			{3, 0}, // cost by zone
			{3, 0}, // utilization: CPU, memory, pod slots
			{3, 0}, // cost over the horizon by pool
			{6, 0}, // requested, overhead and idle, per resource
			{types(timeline), 0},
			{len(timeline.Plan.Summary.ByBusinessLine), 0}, // peak cost, one series per business line
		}, 8},
		{"instant", instant, 4, []chart{{types(instant), 0}, {len(instant.Plan.Summary.ByBusinessLine), 0}}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := WriteHTML(&b, tc.result); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.Contains(out, "://") || strings.Contains(out, "<script") || strings.Contains(out, "<link") || strings.Contains(out, "url(") {
				t.Error("the report refers to something outside itself")
			}
			doc, err := html.Parse(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if got := len(elements(doc, "div", "figure")); got != tc.figures {
				t.Errorf("%d headline figures, want %d", got, tc.figures)
			}
			if got := len(elements(doc, "table", "")); got != tc.tables {
				t.Errorf("%d tables, want %d", got, tc.tables)
			}
			svgs := elements(doc, "svg", "")
			if len(svgs) != len(tc.charts) {
				t.Fatalf("%d charts, want %d", len(svgs), len(tc.charts))
			}
			for i, n := range svgs {
				series, overlays := svgSeries(t, n)
				if series != tc.charts[i].series || overlays != tc.charts[i].overlays {
					t.Errorf("chart %d: %d series and %d reference lines, want %+v", i, series, overlays, tc.charts[i])
				}
			}
		})
	}
}

// elements returns the elements called tag under n, with class among
// their classes when class is not empty.
func elements(n *html.Node, tag, class string) []*html.Node {
	var out []*html.Node
	if n.Type == html.ElementNode && n.Data == tag {
		for _, a := range n.Attr {
			if class == "" || (a.Key == "class" && a.Val == class) {
				out = append(out, n)
				break
			}
		}
		if class == "" && len(n.Attr) == 0 {
			out = append(out, n)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, elements(c, tag, class)...)
	}
	return out
}

// svgSeries decodes a chart as XML and counts its series and reference
// lines.
func svgSeries(t *testing.T, n *html.Node) (series, overlays int) {
	t.Helper()
	var buf bytes.Buffer
	if err := html.Render(&buf, n); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&buf)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return series, overlays
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v", err)
		}
		if e, ok := tok.(xml.StartElement); ok {
			for _, a := range e.Attr {
				switch {
				case a.Name.Local == "class" && a.Value == "series":
					series++
				case a.Name.Local == "class" && a.Value == "overlay":
					overlays++
				}
			}
		}
	}
}
