package planreport

import (
	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/report"
)

// categoryColors gives each pool, zone and business line one color of
// report's palette, the same in every chart and table of a page. Each kind
// has its own sequence: the plan's pools in order, and their business
// lines and zones in the order the pools name them, take the palette's
// colors in turn; any other name takes the next color when first asked for.
type categoryColors struct {
	pools, zones, lines palette
}

// newCategoryColors gives the pools, zones and business lines of pl their
// colors.
func newCategoryColors(pl capacity.Plan) categoryColors {
	cc := categoryColors{pools: palette{}, zones: palette{}, lines: palette{}}
	for _, p := range pl.Pools {
		cc.pools.color(p.Name)
		for _, bl := range p.BusinessLines {
			cc.lines.color(bl)
		}
		for _, z := range p.Zones {
			cc.zones.color(z)
		}
	}
	return cc
}

// palette maps names to colors, in the order the names were first asked
// for; it is the Colors of the table columns naming them.
type palette map[string]string

// color returns name's color, giving it the palette's next one when it has
// none yet; the empty name has none.
func (p palette) color(name string) string {
	if name == "" {
		return ""
	}
	c, ok := p[name]
	if !ok {
		c = report.PaletteColor(len(p))
		p[name] = c
	}
	return c
}
