package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimeChartMarks(t *testing.T) {
	times := hours(24)
	c := &TimeChart{Title: "marks", Times: times, Series: []Series{{Name: "a", Values: ramp(24, 1, 1)}},
		Marks: []Mark{
			{Name: "launch", From: times[5], To: times[7]},
			{Name: "asked", From: times[6]},
			{Name: "before", From: times[0].Add(-5 * time.Hour), To: times[0].Add(-time.Hour)},
			{Name: "clipped", From: times[20], To: times[23].Add(10 * time.Hour)},
		}}
	var b bytes.Buffer
	require.NoError(t, c.WriteSVG(&b))
	svg := b.String()
	for _, name := range []string{"launch", "asked", "clipped"} {
		assert.Contains(t, svg, `<g class="mark" data-name="`+name+`">`, "mark %q", name)
	}
	assert.NotContains(t, svg, `data-name="before"`, "a mark outside the chart is drawn")
	assert.Equal(t, 1, strings.Count(svg, `stroke-dasharray="3 3"`), "one instant marked by a line")
	assert.Less(t, strings.Index(svg, `class="marks"`), strings.Index(svg, `class="series"`), "marks drawn behind the series")
}

func TestSVGBlock(t *testing.T) {
	ok := Page{Title: "t", Blocks: []Block{SVG{Caption: "drawn elsewhere", Markup: `<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>` + "\n"}}}
	var b bytes.Buffer
	require.NoError(t, ok.WriteHTML(&b))
	assert.Contains(t, b.String(), "<figcaption>drawn elsewhere</figcaption>\n<svg")
	bad := Page{Title: "t", Blocks: []Block{SVG{Caption: "not svg", Markup: "<div></div>"}}}
	err := bad.WriteHTML(&bytes.Buffer{})
	assert.True(t, errors.Is(err, ErrSVG), "error %v, want ErrSVG", err)
}
