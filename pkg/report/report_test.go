package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// hours returns n hourly instants from a fixed start.
func hours(n int) []time.Time {
	t0 := time.Date(2025, 11, 27, 0, 0, 0, 0, time.UTC)
	out := make([]time.Time, n)
	for i := range out {
		out[i] = t0.Add(time.Duration(i) * time.Hour)
	}
	return out
}

// ramp returns n values from a, rising by step.
func ramp(n int, a, step float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = a + step*float64(i)
	}
	return out
}

// testPage has one chart of each kind, a table, figures and a row.
func testPage() Page {
	times := hours(48)
	gap := ramp(48, 10, 0.5)
	gap[20] = math.NaN()
	return Page{
		Title: "Plan <shop> & co", Subtitle: "48 hours",
		Blocks: []Block{
			Figures{{Label: "saving", Value: "31 %", Note: "vs static peak"}, {Label: "cost", Value: "1,234 $"}},
			Heading{Text: "Nodes"},
			&TimeChart{Title: "Nodes by pool", Unit: "nodes", Times: times, Stacked: true, Steps: true,
				Series:  []Series{{Name: "web", Values: ramp(48, 3, 0.1)}, {Name: "api", Values: ramp(48, 2, 0)}, {Name: "data <&>", Values: gap}},
				Overlay: []Series{{Name: "static peak", Values: ramp(48, 30, 0)}, {Name: "current", Values: ramp(48, 40, 0)}}},
			Row{
				&TimeChart{Title: "Utilisation", Unit: "%", Times: times, YMax: 100, Width: 560,
					Series: []Series{{Name: "cpu", Values: ramp(48, 50, 0.2)}, {Name: "memory", Values: gap}}},
				&BarChart{Title: "Cost by strategy", Unit: "$", Categories: []string{"predictive", "static peak"}, Width: 560,
					Series: []Series{{Name: "web", Values: []float64{10, 20}}, {Name: "api", Values: []float64{5, math.NaN()}}}},
			},
			Paragraph{Text: "Costs are list prices."},
			Table{Caption: "Peak", Columns: []Column{{Title: "pool"}, {Title: "nodes", Numeric: true}},
				Rows: [][]string{{"web", "21"}, {"api"}}, Footer: [][]string{{"total", "21"}}},
		},
	}
}

// TestWriteHTMLStructure parses the page as HTML and each chart as XML and
// checks the charts, their series counts and that nothing is fetched.
func TestWriteHTMLStructure(t *testing.T) {
	var buf bytes.Buffer
	if err := testPage().WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	checkSelfContained(t, doc)
	svgs := findAll(doc, "svg")
	want := []struct{ series, overlays, legend int }{{3, 2, 5}, {2, 0, 2}, {2, 0, 2}}
	if len(svgs) != len(want) {
		t.Fatalf("%d charts, want %d", len(svgs), len(want))
	}
	for i, n := range svgs {
		counts := svgCounts(t, n)
		if counts.series != want[i].series || counts.overlays != want[i].overlays || counts.legend != want[i].legend {
			t.Errorf("chart %d: %+v, want %+v", i, counts, want[i])
		}
	}
	if got := len(findAll(doc, "td")); got != 6 {
		t.Errorf("%d table cells, want 6 (the missing cell is empty)", got)
	}
	if !strings.Contains(buf.String(), "data &lt;&amp;&gt;") || strings.Contains(buf.String(), "data <&>") {
		t.Error("series name not escaped")
	}
}

// checkSelfContained fails on any element or attribute that loads
// something: scripts, style sheets, images, frames, links to other
// documents.
func checkSelfContained(t *testing.T, n *html.Node) {
	t.Helper()
	if n.Type == html.ElementNode {
		switch n.Data {
		case "script", "link", "img", "iframe", "object", "embed", "image", "use", "foreignobject":
			t.Errorf("element <%s> in a self-contained page", n.Data)
		}
		for _, a := range n.Attr {
			if (a.Key == "href" || a.Key == "src" || strings.HasSuffix(a.Key, ":href")) && !strings.HasPrefix(a.Val, "#") {
				t.Errorf("<%s %s=%q> refers outside the page", n.Data, a.Key, a.Val)
			}
			if strings.Contains(a.Val, "url(") || strings.Contains(a.Val, "://") {
				t.Errorf("<%s %s=%q> refers to a URL", n.Data, a.Key, a.Val)
			}
		}
	}
	if n.Type == html.TextNode && n.Parent != nil && n.Parent.Data == "style" && (strings.Contains(n.Data, "url(") || strings.Contains(n.Data, "@import")) {
		t.Error("style sheet loads a resource")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		checkSelfContained(t, c)
	}
}

// findAll returns the elements called tag under n, in document order.
func findAll(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	if n.Type == html.ElementNode && n.Data == tag {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, findAll(c, tag)...)
	}
	return out
}

// chartCounts counts a chart's drawn series, overlays and legend entries.
type chartCounts struct{ series, overlays, legend int }

// svgCounts renders an <svg> node back to text, decodes it as XML and
// counts its parts.
func svgCounts(t *testing.T, n *html.Node) chartCounts {
	t.Helper()
	var buf bytes.Buffer
	if err := html.Render(&buf, n); err != nil {
		t.Fatal(err)
	}
	return xmlCounts(t, buf.Bytes())
}

// xmlCounts decodes an SVG document strictly and counts its parts.
func xmlCounts(t *testing.T, data []byte) chartCounts {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var c chartCounts
	var stack []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			class := attr(e, "class")
			switch {
			case class == "series":
				c.series++
			case class == "overlay":
				c.overlays++
			case len(stack) > 0 && stack[len(stack)-1] == "legend" && e.Name.Local == "text":
				c.legend++
			}
			stack = append(stack, class)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	return c
}

// attr returns the value of e's attribute called name.
func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// TestWriteSVG writes charts alone: well-formed SVG documents in the SVG
// namespace, with the title drawn.
func TestWriteSVG(t *testing.T) {
	page := testPage()
	charts := []interface{ WriteSVG(io.Writer) error }{page.Blocks[2].(*TimeChart), page.Blocks[3].(Row)[1].(*BarChart)}
	for i, c := range charts {
		var buf bytes.Buffer
		if err := c.WriteSVG(&buf); err != nil {
			t.Fatal(err)
		}
		var root struct {
			XMLName xml.Name
		}
		if err := xml.Unmarshal(buf.Bytes(), &root); err != nil {
			t.Fatal(err)
		}
		if root.XMLName.Space != "http://www.w3.org/2000/svg" || root.XMLName.Local != "svg" {
			t.Errorf("chart %d: root %v, want svg in the SVG namespace", i, root.XMLName)
		}
		if c := xmlCounts(t, buf.Bytes()); c.series == 0 {
			t.Errorf("chart %d: no series", i)
		}
	}
}

// TestWriteHTMLErrors rejects malformed charts without writing.
func TestWriteHTMLErrors(t *testing.T) {
	times := hours(3)
	tests := []struct {
		name  string
		block Block
		want  string
		is    error
	}{
		{"short series", &TimeChart{Title: "c", Times: times, Series: []Series{{Name: "s", Values: []float64{1}}}}, `chart "c", series "s": 1 values for 3 positions`, ErrSeriesLength},
		{"short overlay", &TimeChart{Title: "c", Times: times, Overlay: []Series{{Name: "o"}}}, `series "o": 0 values`, ErrSeriesLength},
		{"no times", &TimeChart{Title: "c"}, "no times", ErrTimes},
		{"times out of order", &TimeChart{Title: "c", Times: []time.Time{times[1], times[0]}}, "time 1: times must be strictly increasing", ErrTimes},
		{"bar lengths", &BarChart{Title: "b", Categories: []string{"x"}, Series: []Series{{Name: "s", Values: []float64{1, 2}}}}, `chart "b", series "s"`, ErrSeriesLength},
		{"no categories", &BarChart{Title: "b"}, "no categories", ErrNoCategories},
		{"inside a row", Row{&BarChart{Title: "r"}}, `chart "r": no categories`, ErrNoCategories},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Page{Title: "x", Blocks: []Block{tc.block}}.WriteHTML(&buf)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want it to contain %q and wrap %v", err, tc.want, tc.is)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

// TestWriteHTMLDeterministic renders the same page twice.
func TestWriteHTMLDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := testPage().WriteHTML(&a); err != nil {
		t.Fatal(err)
	}
	if err := testPage().WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renders of one page differ")
	}
}

// TestTimeChartGeometry checks where a rising line starts and ends, and
// that a stack's top edge is its total.
func TestTimeChartGeometry(t *testing.T) {
	c := &TimeChart{Title: "g", Times: hours(2), YMax: 10, Series: []Series{{Name: "s", Values: []float64{0, 10}}}}
	f := newFrame(c.Width, c.Height, false, c.legend(), 0, 10, nil)
	d := linePath(c.vertices(f, c.xScale(f), c.Series[0].Values))
	want := "M64 " + num(f.bottom) + "L940 " + num(f.top)
	if d != want {
		t.Errorf("path %q, want %q", d, want)
	}
	s := &TimeChart{Title: "s", Times: hours(2), Stacked: true, Series: []Series{{Name: "a", Values: []float64{1, 2}}, {Name: "b", Values: []float64{3, math.NaN()}}}}
	tops := s.stackTops()
	if tops[1][0] != 4 || tops[1][1] != 2 {
		t.Errorf("stack tops %v, want [4 2] (NaN counts as zero)", tops[1])
	}
	if got := s.tooltip(0, tops); !strings.Contains(got, "b: 3\na: 1\ntotal: 4") {
		t.Errorf("tooltip %q lists the stack top first and its total", got)
	}
}

func BenchmarkWriteHTML(b *testing.B) {
	for _, n := range []int{72, 1440} {
		times := make([]time.Time, n)
		for i := range times {
			times[i] = time.Date(2025, 11, 27, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		}
		var series []Series
		for k := range 5 {
			series = append(series, Series{Name: string(rune('a' + k)), Values: ramp(n, float64(k), 0.01)})
		}
		page := Page{Title: "bench", Blocks: []Block{&TimeChart{Title: "t", Times: times, Stacked: true, Steps: true, Series: series}}}
		b.Run("points="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				var buf bytes.Buffer
				if err := page.WriteHTML(&buf); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			b.ReportMetric(float64(size), "bytes/page")
		})
	}
}
