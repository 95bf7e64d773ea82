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
// own, and PaletteColor gives the palette's colors to callers that keep
// one color per category across charts. WriteSVG writes a chart alone, as
// an SVG document.
//
// A Table's column may draw a color swatch before its cells (Colors), such
// as the color of the pool a cell names, and a table may set rows apart
// (Highlight), such as those breaking a limit.
//
// Rendering is deterministic: the same page gives the same bytes.
package report
