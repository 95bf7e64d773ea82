package report

import (
	"html"
	"io"
)

// Page is one HTML document: a title, an optional subtitle, then blocks in
// order.
type Page struct {
	// Title is the document's title and top heading.
	Title string
	// Subtitle is a line under the title, such as what the report covers.
	Subtitle string
	// Blocks are the page's content.
	Blocks []Block
}

// Block is one element of a page: Heading, Paragraph, Figures, Table, Row,
// SVG, *TimeChart or *BarChart.
type Block interface {
	render(w *writer)
}

// Heading is a section heading.
type Heading struct {
	// Text is the heading.
	Text string
}

// Paragraph is a paragraph of plain text.
type Paragraph struct {
	// Text is the paragraph; it is escaped, not interpreted as HTML.
	Text string
}

// Figures is a row of headline numbers.
type Figures []Figure

// Figure is one headline number.
type Figure struct {
	// Label says what the number is, Value is the number as it should
	// read ("1,234 $", "-31 %"), and Note adds a line of context.
	Label, Value, Note string
}

// Row lays blocks out side by side, wrapping on narrow screens.
type Row []Block

// WriteHTML writes the page as one self-contained HTML document. It
// checks the charts first: a series whose length differs from its chart's
// times or categories, or times out of order, is an error naming the chart
// and series, and nothing is written.
func (p Page) WriteHTML(w io.Writer) error {
	if err := checkBlocks(p.Blocks); err != nil {
		return err
	}
	out := newWriter(w)
	out.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	out.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	out.printf("<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", esc(p.Title), css)
	out.printf("<header><h1>%s</h1>", esc(p.Title))
	if p.Subtitle != "" {
		out.printf("<p class=\"subtitle\">%s</p>", esc(p.Subtitle))
	}
	out.raw("</header>\n")
	for _, b := range p.Blocks {
		b.render(out)
	}
	out.raw("</main>\n</body>\n</html>\n")
	return out.flush()
}

func (h Heading) render(w *writer) { w.printf("<h2>%s</h2>\n", esc(h.Text)) }

func (p Paragraph) render(w *writer) { w.printf("<p>%s</p>\n", esc(p.Text)) }

func (f Figures) render(w *writer) {
	w.raw("<div class=\"figures\">\n")
	for _, fig := range f {
		w.printf("<div class=\"figure\"><div class=\"label\">%s</div><div class=\"value\">%s</div>", esc(fig.Label), esc(fig.Value))
		if fig.Note != "" {
			w.printf("<div class=\"note\">%s</div>", esc(fig.Note))
		}
		w.raw("</div>\n")
	}
	w.raw("</div>\n")
}

func (r Row) render(w *writer) {
	w.raw("<div class=\"row\">\n")
	for _, b := range r {
		w.raw("<div class=\"cell\">\n")
		b.render(w)
		w.raw("</div>\n")
	}
	w.raw("</div>\n")
}

// checker is a block that can be malformed.
type checker interface {
	check() error
}

// checkBlocks checks the blocks that can be malformed, rows included.
func checkBlocks(blocks []Block) error {
	for _, b := range blocks {
		if c, ok := b.(checker); ok {
			if err := c.check(); err != nil {
				return err
			}
		}
	}
	return nil
}

// check checks the row's blocks.
func (r Row) check() error { return checkBlocks(r) }

// esc escapes text for HTML and SVG text and attribute values.
func esc(s string) string { return html.EscapeString(s) }

// css styles the page: system fonts, cards for figures, striped tables,
// charts as wide as the page.
const css = "body{margin:0;background:#f6f7f9;color:#1d2733;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}\n" +
	"main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}\n" +
	"header{border-bottom:1px solid #d9dee5;margin-bottom:20px}\n" +
	"h1{font-size:26px;margin:0 0 4px}\n" +
	".subtitle{color:#5b6877;margin:0 0 14px}\n" +
	"h2{font-size:19px;margin:32px 0 10px}\n" +
	"p{max-width:860px}\n" +
	".figures{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 8px}\n" +
	".figure{background:#fff;border:1px solid #d9dee5;border-radius:8px;padding:12px 16px;min-width:150px;flex:1}\n" +
	".figure .label{color:#5b6877;font-size:13px}\n" +
	".figure .value{font-size:24px;font-weight:600;font-variant-numeric:tabular-nums;margin-top:2px}\n" +
	".figure .note{color:#5b6877;font-size:12px;margin-top:2px}\n" +
	".row{display:flex;flex-wrap:wrap;gap:16px}\n" +
	".row>.cell{flex:1 1 460px;min-width:0;display:flex;flex-direction:column}\n" +
	".row>.cell>figure.chart{flex:1}\n" +
	"figure.chart{background:#fff;border:1px solid #d9dee5;border-radius:8px;margin:12px 0;padding:10px 12px 4px}\n" +
	"figure.chart figcaption{font-weight:600;margin:0 0 2px}\n" +
	"figure.chart svg{display:block;width:100%;height:auto}\n" +
	hoverCSS +
	".tablewrap{overflow-x:auto;margin:12px 0}\n" +
	"table{border-collapse:collapse;background:#fff;border:1px solid #d9dee5;font-size:14px;min-width:50%}\n" +
	"caption{text-align:left;font-weight:600;padding:0 0 6px}\n" +
	"th,td{padding:5px 10px;border-bottom:1px solid #e7eaef;text-align:left;white-space:nowrap}\n" +
	"th{background:#eef1f5;font-weight:600}\n" +
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n" +
	"tbody tr:nth-child(even){background:#fafbfc}\n" +
	"tbody tr.flag{background:#fbe5d6}\n" +
	"tbody tr.flag td:first-child{box-shadow:inset 4px 0 #D55E00}\n" +
	".swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}\n" +
	"tfoot td{font-weight:600;border-top:2px solid #d9dee5}\n" +
	"@media print{body{background:#fff}figure.chart,.figure{break-inside:avoid}}\n"
