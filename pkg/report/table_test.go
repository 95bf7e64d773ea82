package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTableHighlightAndSwatches sets highlighted rows apart and draws a
// swatch before the cells a column colors, escaping the color.
func TestTableHighlightAndSwatches(t *testing.T) {
	table := Table{
		Columns: []Column{{Title: "pool", Colors: map[string]string{"web": "#0072B2", "api": `"><b>`}}, {Title: "nodes", Numeric: true}},
		Rows:    [][]string{{"web", "3"}, {"api", "2"}, {"data", "1"}},
		Footer:  [][]string{{"total", "6"}},
		// Row 2 is set apart; the footer never is.
		Highlight: []int{2},
	}
	var buf bytes.Buffer
	require.NoError(t, Page{Title: "t", Blocks: []Block{table}}.WriteHTML(&buf))
	out := buf.String()
	tests := []struct {
		name, want string
	}{
		{"swatch", `<tr><td><span class="swatch" style="background:#0072B2"></span>web</td><td class="num">3</td></tr>`},
		{"escaped color", `<tr><td><span class="swatch" style="background:&#34;&gt;&lt;b&gt;"></span>api</td>`},
		{"highlighted row without a color", `<tr class="flag"><td>data</td><td class="num">1</td></tr>`},
		{"footer", "<tfoot>\n<tr><td>total</td>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, out, tc.want)
		})
	}
	assert.Equal(t, 1, strings.Count(out, `<tr class="flag">`), "only the listed row is highlighted")
}

// TestTableWithoutHighlight keeps the plain rows of a table that sets
// nothing apart and colors nothing.
func TestTableWithoutHighlight(t *testing.T) {
	var buf bytes.Buffer
	table := Table{Columns: []Column{{Title: "pool"}}, Rows: [][]string{{"web"}}}
	require.NoError(t, Page{Title: "t", Blocks: []Block{table}}.WriteHTML(&buf))
	assert.Contains(t, buf.String(), "<tbody>\n<tr><td>web</td></tr>\n</tbody>")
	assert.NotContains(t, buf.String(), `class="flag"`)
	assert.NotContains(t, buf.String(), `<span class="swatch"`)
}

// TestPaletteColor cycles through the series palette in both directions.
func TestPaletteColor(t *testing.T) {
	tests := []struct {
		i    int
		want string
	}{
		{0, "#0072B2"}, {1, "#E69F00"}, {7, "#7F7F7F"}, {8, "#0072B2"}, {-1, "#7F7F7F"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, PaletteColor(tc.i), "color %d", tc.i)
	}
	assert.Equal(t, PaletteColor(2), colorOf(Series{}, 2, palette), "the charts' color for the same position")
}
