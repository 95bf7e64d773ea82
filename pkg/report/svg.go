package report

import (
	"fmt"
	"strings"
)

// SVG is an SVG image drawn elsewhere, such as the simulator's frontier
// chart, placed in the page as a captioned figure. Its markup is trusted:
// it is written as given, not escaped.
type SVG struct {
	// Caption names the figure.
	Caption string
	// Markup is one <svg> element.
	Markup string
}

// check checks that the markup is one svg element.
func (s SVG) check() error {
	m := strings.TrimSpace(s.Markup)
	if !strings.HasPrefix(m, "<svg") || !strings.HasSuffix(m, "</svg>") {
		return fmt.Errorf("figure %q: %w", s.Caption, ErrSVG)
	}
	return nil
}

func (s SVG) render(w *writer) {
	w.printf("<figure class=\"chart\"><figcaption>%s</figcaption>\n", esc(s.Caption))
	w.raw(strings.TrimSpace(s.Markup))
	w.raw("\n</figure>\n")
}
