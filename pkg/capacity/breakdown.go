package capacity

import "slices"

// Breakdown is the cost of each pool, zone and business line over a
// timeline's horizon under each strategy.
type Breakdown struct {
	// ByPool, ByZone and ByBusinessLine list the pools in the problem's
	// order, and the zones and business lines in the order the pools name
	// them.
	ByPool         []StrategyCosts `json:"by_pool"`
	ByZone         []StrategyCosts `json:"by_zone"`
	ByBusinessLine []StrategyCosts `json:"by_business_line"`
}

// StrategyCosts is what one pool, zone or business line costs over the
// horizon under each strategy, in $.
type StrategyCosts struct {
	// Name is the pool, zone or business line.
	Name string `json:"name"`
	// Predictive follows the steps' plans; StaticPeak holds the peak
	// plan's nodes throughout.
	Predictive float64 `json:"predictive"`
	StaticPeak float64 `json:"static_peak"`
	// Current holds Problem.Current throughout; nil without it. The pods
	// of today's nodes are unknown, so a business line's current cost is
	// the price of the nodes of the pools it has to itself plus an equal
	// share of each pool it shares, the rule Summary.ByBusinessLine applies
	// to empty nodes.
	Current *float64 `json:"current,omitempty"`
}

// costTable accumulates StrategyCosts by name in first-seen order.
type costTable struct {
	rows    []StrategyCosts
	current []float64
	at      map[string]int
}

// row returns the row called name, adding it if needed.
func (t *costTable) row(name string) int {
	if t.at == nil {
		t.at = map[string]int{}
	}
	i, ok := t.at[name]
	if !ok {
		i = len(t.rows)
		t.at[name] = i
		t.rows = append(t.rows, StrategyCosts{Name: name})
		t.current = append(t.current, 0)
	}
	return i
}

// add adds hours of the lines' $/hour to the predictive or static-peak
// column.
func (t *costTable) add(ls []CostLine, hours float64, static bool) {
	for _, l := range ls {
		r := &t.rows[t.row(l.Name)]
		if static {
			r.StaticPeak += l.CostPerHour * hours
		} else {
			r.Predictive += l.CostPerHour * hours
		}
	}
}

// list returns the rows, with the current column when withCurrent.
func (t *costTable) list(withCurrent bool) []StrategyCosts {
	out := slices.Clone(t.rows)
	if out == nil {
		out = []StrategyCosts{}
	}
	if withCurrent {
		for i := range out {
			out[i].Current = &t.current[i]
		}
	}
	return out
}

// breakdown compares the strategies of tl per pool, zone and business line.
func (s *solver) breakdown(tl *Timeline) Breakdown {
	var pools, zones, bls costTable
	for _, pool := range s.p.Pools {
		pools.row(pool.Name)
		for _, z := range pool.Zones {
			zones.row(z)
		}
		for _, bl := range pool.BusinessLines {
			bls.row(bl)
		}
	}
	for _, st := range tl.Steps {
		for _, ps := range st.Pools {
			pools.rows[pools.row(ps.Pool)].Predictive += ps.CostPerHour * st.Hours
		}
		zones.add(st.Zones, st.Hours, false)
		bls.add(st.BusinessLines, st.Hours, false)
	}
	peak := tl.PeakPlan.Summary
	pools.add(peak.ByPool, tl.HorizonHours, true)
	zones.add(peak.ByZone, tl.HorizonHours, true)
	bls.add(peak.ByBusinessLine, tl.HorizonHours, true)
	for _, n := range s.p.Current {
		pool := findPool(s.p.Pools, n.Pool)
		t := slices.IndexFunc(pool.InstanceTypes, func(it InstanceType) bool { return it.Name == n.InstanceType })
		cost := pool.InstanceTypes[t].PricePerHour * float64(n.Count) * tl.HorizonHours
		pools.current[pools.row(n.Pool)] += cost
		zones.current[zones.row(n.Zone)] += cost
		for _, bl := range pool.BusinessLines {
			bls.current[bls.row(bl)] += cost / float64(len(pool.BusinessLines))
		}
	}
	cur := len(s.p.Current) > 0
	return Breakdown{ByPool: pools.list(cur), ByZone: zones.list(cur), ByBusinessLine: bls.list(cur)}
}
