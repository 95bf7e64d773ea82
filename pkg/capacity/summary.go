package capacity

// Summary breaks a plan's cost down. Per-resource costs follow the OpenCost
// idea: every node's price is split between CPU and memory (see
// CostSplit), each part is spread evenly over the node's allocatable cores
// or GiB, and the part of it requested by pods is their cost, the part
// taken by the pool's overhead is overhead cost, and the rest (including
// the margin the utilization target keeps free) is idle cost.
type Summary struct {
	// ByPool, ByZone and ByInstanceType give nodes and cost per pool, zone
	// name and instance type name.
	ByPool         []CostLine `json:"by_pool"`
	ByZone         []CostLine `json:"by_zone"`
	ByInstanceType []CostLine `json:"by_instance_type"`
	// ByBusinessLine attributes every node's price to the business lines
	// of its pods in proportion to their requests' cost; the node's
	// overhead and idle cost follow the same proportions, and an empty
	// node's price is shared equally by the business lines of its pool.
	// Nodes is left zero: nodes may be shared.
	ByBusinessLine []CostLine `json:"by_business_line"`
	// Utilization is requested over allocatable, per dimension.
	Utilization Utilization `json:"utilization"`
	// CPU (in cores) and Memory (in GiB) split the cost per resource.
	CPU    ResourceCost `json:"cpu"`
	Memory ResourceCost `json:"memory"`
}

// CostLine is the nodes and cost of one pool, zone, type or business line.
type CostLine struct {
	// Name is the pool, zone, type or business line.
	Name string `json:"name"`
	// Nodes is the number of nodes.
	Nodes int `json:"nodes"`
	// CostPerHour is in $/hour.
	CostPerHour float64 `json:"cost_per_hour"`
}

// Utilization is a fraction of allocatable, per dimension.
type Utilization struct {
	// CPU, Memory and Pods are fractions in [0, 1].
	CPU    float64 `json:"cpu"`
	Memory float64 `json:"memory"`
	Pods   float64 `json:"pods"`
}

// ResourceCost is one resource's share of the cost, per hour. Amounts are
// in Unit ("core" or "GiB"); costs in $/hour, so an amount is also that many
// core-hours or GiB-hours per hour.
type ResourceCost struct {
	// Unit is "core" or "GiB".
	Unit string `json:"unit"`
	// Allocatable, Requested and Overhead are amounts of the resource.
	Allocatable float64 `json:"allocatable"`
	Requested   float64 `json:"requested"`
	Overhead    float64 `json:"overhead"`
	// CostPerHour is the resource's part of the node prices; it is the sum
	// of the requested, overhead and idle costs.
	CostPerHour float64 `json:"cost_per_hour"`
	// RequestedCostPerHour, OverheadCostPerHour and IdleCostPerHour are the
	// parts of CostPerHour.
	RequestedCostPerHour float64 `json:"requested_cost_per_hour"`
	OverheadCostPerHour  float64 `json:"overhead_cost_per_hour"`
	IdleCostPerHour      float64 `json:"idle_cost_per_hour"`
	// PricePerUnitHour is CostPerHour/Allocatable: $ per core-hour or per
	// GiB-hour.
	PricePerUnitHour float64 `json:"price_per_unit_hour"`
}

// add accumulates r into c.
func (c *ResourceCost) add(r ResourceCost) {
	c.Allocatable += r.Allocatable
	c.Requested += r.Requested
	c.Overhead += r.Overhead
	c.CostPerHour += r.CostPerHour
	c.RequestedCostPerHour += r.RequestedCostPerHour
	c.OverheadCostPerHour += r.OverheadCostPerHour
	c.IdleCostPerHour += r.IdleCostPerHour
}

// finish sets the unit price.
func (c *ResourceCost) finish() {
	if c.Allocatable > 0 {
		c.PricePerUnitHour = c.CostPerHour / c.Allocatable
	}
}

// lines accumulates CostLines by name in first-seen order.
type lines struct {
	out []CostLine
	at  map[string]int
}

// add adds nodes and cost to the line called name.
func (l *lines) add(name string, nodes int, cost float64) {
	if l.at == nil {
		l.at = map[string]int{}
	}
	i, ok := l.at[name]
	if !ok {
		i = len(l.out)
		l.at[name] = i
		l.out = append(l.out, CostLine{Name: name})
	}
	l.out[i].Nodes += nodes
	l.out[i].CostPerHour += cost
}

// list returns the lines, never nil.
func (l *lines) list() []CostLine {
	if l.out == nil {
		return []CostLine{}
	}
	return l.out
}
