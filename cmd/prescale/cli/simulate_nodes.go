package cli

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/simulator"
)

// unneededTime is how long a node's worth of room stays unused before the
// cluster autoscaler removes a node (its --scale-down-unneeded-time).
const unneededTime = 10 * time.Minute

// nodeFlags describe the node pool the workload's pods run in.
type nodeFlags struct {
	plan        string
	workload    string
	podsPerNode int
	maxNodes    int
	price       float64
	startup     string
}

// register adds the node pool's flags to fs.
func (f *nodeFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.plan, "capacity-plan", "", "capacity planning file (kind CapacityPlan) whose node pool the --workload runs in: pods wait for a node with room, cost = node-hours × node price")
	fs.StringVar(&f.workload, "workload", "", "workload of --capacity-plan the trace drives")
	fs.IntVar(&f.podsPerNode, "pods-per-node", 0, "without --capacity-plan: pods of the workload one node holds (enables the node pool)")
	fs.IntVar(&f.maxNodes, "max-nodes", 0, "cap on the pool's nodes (default: the plan's maxNodes × zones, else no cap)")
	fs.Float64Var(&f.price, "node-price-per-hour", 0, "without --capacity-plan: price of one node for one hour, in $")
	fs.StringVar(&f.startup, "node-startup", "3m", "node provisioning delay: from asking for a node to pods starting on it")
}

// enabled reports whether a node pool is asked for.
func (f *nodeFlags) enabled() bool { return f.plan != "" || f.podsPerNode != 0 }

// validate checks the node flags that need no file.
func (f *nodeFlags) validate(podPrice float64) error {
	switch {
	case f.workload != "" && f.plan == "":
		return errors.New("--workload: needs --capacity-plan")
	case f.plan != "" && f.workload == "":
		return errors.New("--workload: required with --capacity-plan: name the workload the trace drives")
	case f.plan != "" && f.podsPerNode != 0:
		return errors.New("--pods-per-node: conflicts with --capacity-plan, which gives it")
	case f.plan != "" && f.price != 0:
		return errors.New("--node-price-per-hour: conflicts with --capacity-plan, which gives it")
	case f.podsPerNode < 0:
		return fmt.Errorf("--pods-per-node: %d: use 1 or more", f.podsPerNode)
	case f.maxNodes < 0:
		return fmt.Errorf("--max-nodes: %d: use 1 or more, or 0 for the plan's cap", f.maxNodes)
	case !(f.price >= 0) || math.IsInf(f.price, 0):
		return fmt.Errorf("--node-price-per-hour: %v: use a price of 0 or more", f.price)
	case !f.enabled() && (f.maxNodes != 0 || f.price != 0):
		flag := "--max-nodes"
		if f.maxNodes == 0 {
			flag = "--node-price-per-hour"
		}
		return fmt.Errorf("%s: needs --pods-per-node or --capacity-plan", flag)
	case f.enabled() && podPrice != 0:
		return errors.New("--price-per-pod-hour: with a node pool the cost is node-hours × node price: drop it")
	}
	_, err := nonNegativeDuration("--node-startup", f.startup)
	return err
}

// billing returns the node pool and its price, nil without one, and a
// description for the report's parameters.
func (f *nodeFlags) billing() (*simulator.NodeBilling, string, error) {
	if !f.enabled() {
		return nil, "", nil
	}
	startup, _ := nonNegativeDuration("--node-startup", f.startup)
	choice := simulator.NodeChoice{PodsPerNode: f.podsPerNode, PricePerNodeHour: f.price}
	desc := "from --pods-per-node"
	if f.plan != "" {
		var err error
		if choice, err = f.choose(); err != nil {
			return nil, "", err
		}
		desc = fmt.Sprintf("%s of %s: pool %s, %s", f.workload, f.plan, choice.Pool, choice.InstanceType)
	}
	maxNodes := choice.MaxNodes
	if f.maxNodes > 0 {
		maxNodes = f.maxNodes
	}
	if maxNodes == 0 {
		maxNodes = simulator.UnlimitedNodes
	}
	if choice.MinNodes > maxNodes {
		return nil, "", fmt.Errorf("--max-nodes: %d is below the pool's %d minimum nodes", maxNodes, choice.MinNodes)
	}
	b := &simulator.NodeBilling{PricePerNodeHour: choice.PricePerNodeHour, Pool: simulator.NodePoolSettings{
		PodsPerNode: choice.PodsPerNode, MinNodes: choice.MinNodes, MaxNodes: maxNodes, InitialNodes: choice.MinNodes,
		StartupDelay: startup, UnneededTime: unneededTime,
	}}
	return b, desc, nil
}

// choose loads the plan and picks the workload's node pool.
func (f *nodeFlags) choose() (simulator.NodeChoice, error) {
	cfg, err := capacity.LoadConfig(f.plan)
	if err != nil {
		return simulator.NodeChoice{}, fmt.Errorf("--capacity-plan: %w", err)
	}
	prob, err := cfg.Problem()
	if err != nil {
		return simulator.NodeChoice{}, fmt.Errorf("--capacity-plan: %q: %w", f.plan, err)
	}
	choice, err := simulator.PlanNodes(prob, f.workload)
	var unknown *simulator.UnknownWorkloadError
	if errors.As(err, &unknown) {
		return choice, fmt.Errorf("--workload: %q is not a workload of %s: have %s", f.workload, f.plan, strings.Join(unknown.Have, ", "))
	}
	if err != nil {
		return choice, fmt.Errorf("--workload: %w", err)
	}
	return choice, nil
}
