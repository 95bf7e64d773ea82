// Package capacity plans the nodes a cluster needs: how many nodes, of which
// instance type, in which zone, for each business line, and at what cost,
// from the workloads' requests and their replicas over time.
//
// # Model
//
// A planning file (apiVersion prescale.dev/v1alpha1, kind CapacityPlan) is
// decoded strictly by ParseConfig or LoadConfig: unknown fields, duplicate
// keys and wrongly typed values are errors, and every error found is
// reported at once, each a *FieldError naming its field path. CPU and
// memory are Kubernetes quantities ("3920m", "15Gi") or plain numbers;
// ParseQuantity parses them without depending on the Kubernetes libraries.
// Config.Problem converts the file into a Problem, which other code (an
// inventory read from a cluster, a forecast) may also build directly. A
// workload's replicas are a count, a list of {time, replicas}, or a source
// to read (replicasFrom: a demand trace to forecast, or a simulator
// timeline); this package does not read sources, its caller does and sets
// the workload's Replicas (SeriesReplicas converts a replica series).
//
// Rules the planner follows:
//
//   - Isolation. A pool lists the business lines it serves. A workload runs
//     only in a pool that lists its business line, so a pool listing one
//     business line never hosts another's pods, and a pool listing several
//     is shared by exactly those. Among the pools of its business line, a
//     workload goes to its NodePool if set, otherwise to the pool with the
//     lowest estimated cost per replica (the price of the best-suited type
//     times the replica's largest share of that type's room).
//   - Room on a node. Pods may request up to UtilizationTarget × allocatable
//     CPU and memory, less the pool's per-node overhead (daemonsets, system
//     reserves); pod slots are allocatable pods less the overhead's. The
//     target does not apply to pod slots.
//   - Spread. Each workload's pods are spread over all the pool's zones as
//     evenly as possible. A workload with a zone spread constraint
//     (maxSkew) then has pods taken off the fullest zones until the placed
//     pods respect it, as a scheduler with whenUnsatisfiable: DoNotSchedule
//     would; those pods are reported unplaceable.
//   - Headroom. With RolloutSurge, a workload provisions replicas + maxSurge
//     pods (percentages round up). With ZoneLoss, every zone of a pool with Z
//     zones provisions at least ceil(replicas/(Z-1)) pods of each workload,
//     so that the Z-1 zones left after losing any one hold every replica.
//     The two are alternatives, not added: a zone provisions the larger of
//     its share of replicas+surge and the zone-loss count, on the view that
//     a rollout and a zone outage are not planned for at the same time.
//     The zone-loss check of a plan compares what survives the loss of the
//     worst zone with the PodDisruptionBudget's minAvailable.
//   - Anti-affinity (hostname) allows at most one pod of the workload on a
//     node. MaxNodes caps the nodes of each zone of a pool; pods beyond it
//     are unplaceable. MinNodes nodes are kept (and paid) in each zone even
//     when empty, of the cheapest type.
//
// # Packing
//
// Pack solves one instant; pools, and the zones within a pool, are packed
// independently. Within a zone, nodes are opened one at a time: a new node
// takes the largest pod left (first-fit decreasing on the pods' size
// normalised by the largest type), and every instance type is tried with
// greedy fills under two rules, aligning each next pod with the node's
// remaining room (the dot-product heuristic) or keeping the node's CPU and
// memory utilisation level; the type and fill packing the most value per
// dollar win. A pod's value is its requests priced at the dual prices of
// the covering LP (below) for the demand left, so value per dollar measures
// how close a node comes to the fractional optimum. A third fill rule is
// leftover aware: it favours the pods that fit fewest types, so a
// memory-heavy pod goes on the large node being filled rather than being
// left to open another large node. Then improvement passes move every node
// to the cheapest type still holding its pods, merge two or more nodes
// into one cheaper node that holds all their pods, empty the least
// efficient nodes into the others' free room, repack pairs and triples of
// the least efficient nodes (freely, and onto one node fewer), and run a
// large-neighbourhood search that repacks small sets of nodes with
// perturbed fills and keeps cheaper results; its budget grows with the
// zone's nodes and pods, and Problem.Deadline can cut it short. minNodes
// is handled by cost: the packer does not aim for more nodes, but every
// move prices the empty nodes of the cheapest type that minNodes would add,
// so removing a node below minNodes saves only the difference. The search's
// random source is seeded from the zone's contents, so without a deadline
// Pack's result depends only on its input.
//
// # Lower bound
//
// Every plan carries a lower bound on the cost of any placement of the same
// placed pods, per pool and zone the largest of three bounds: the demand
// in each dimension priced at the best capacity per dollar in that
// dimension; the LP relaxation of choosing instance-type counts that cover
// the demand, the anti-affinity node count and minNodes (over all types,
// and over the types that are the only home of the larger pods), solved
// through its dual with gonum's simplex; and the Gilmore-Gomory bound, the
// LP relaxation over node patterns (any set of pods that fits one node of
// a type, at most one pod of an anti-affine workload), solved by column
// generation: a dense tableau simplex solves the master over the packer's
// own nodes and the columns found so far, and a branch-and-bound knapsack
// per instance type prices new columns at the master's duals. Each round's
// duals give a valid bound whatever their accuracy (Farley's bound: the
// duals scaled down until no pattern, by the knapsack's proven upper bound,
// violates them), so the bound holds when the search stops early. Zones are
// bounded independently (pods never cross pools or zones); maxNodes is
// left out, which can only lower the bound. Plan.Bound says how many zones'
// LPs were solved. Gap = cost/bound - 1 bounds the plan's excess over the
// optimum from above.
//
// # Cost
//
// Plan.Summary splits the cost per pool, zone, instance type and business
// line, and per resource in the OpenCost spirit: each node's price is split
// between CPU and memory (by CostSplit.CPUShare, or by the relative price
// of a core and a GiB fitted to the instance types' prices), spread over its
// allocatable cores and GiB, and divided into requested, overhead and idle
// cost. PlanTimeline integrates plans over time (price × hours) and compares
// following them with holding the peak's nodes throughout and with today's
// inventory, in total and per pool, zone and business line (Breakdown).
//
// The package is pure: no I/O besides LoadConfig reading the files it is
// given, no logging, no global state.
package capacity
