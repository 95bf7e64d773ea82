// Package report renders self-contained HTML reports: one file holding its
// text, tables and charts, with no script, style sheet, font or image to
// fetch, readable offline, in a mail attachment or in a CI artifact.
//
// A Page is a title and a list of blocks: Heading, Paragraph, Figures (a
// row of headline numbers), Table, Row (blocks side by side) and two chart
// primitives drawn as inline SVG:
//
//   - TimeChart: several series over time, as lines or stacked areas,
//     straight or as steps (a value holds until the next instant), with
//     dashed reference lines on top.
//   - BarChart: one stacked bar per category.
//
// Charts have an axis with round ticks, a legend, and a tooltip (an SVG
// title, shown by browsers on hover without any script) on every step of a
// time chart and every bar segment. Colors come from a palette chosen to
// stay distinct for common forms of color blindness; a Series may set its
// own. WriteSVG writes a chart alone, as an SVG document.
//
// Rendering is deterministic: the same page gives the same bytes.
package report
