package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/prescale-dev/prescale/pkg/capacity"
	"github.com/prescale-dev/prescale/pkg/capacity/planreport"
	"github.com/prescale-dev/prescale/pkg/inventory"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// planFlags are the flags of prescale plan.
type planFlags struct {
	config, output, out, at string
	deadline                time.Duration
	cluster                 planClusterFlags
}

func newPlanCommand() *cobra.Command {
	var f planFlags
	cmd := &cobra.Command{
		Use:   "plan --config FILE",
		Short: "Plan the nodes each business line needs over time, and what it costs",
		Long: `plan packs the workloads of a planning file (kind CapacityPlan) onto the
node pools it offers: which instance types, how many nodes per zone, at what
cost, keeping the headroom it asks for (zone loss, rollout surge, a
utilization target). With a spec.timeline section it plans every step, then
compares following these plans (predictive) with holding the peak's nodes
throughout (static peak) and with today's nodes (current), in total and per
pool, zone and business line, with the CPU and memory cost split into
requested, overhead and idle. --at plans one instant; without a timeline and
--at, the peak. --deadline bounds the time spent improving the packing.

A workload's replicas are a count, a list of {time, replicas}, or
replicasFrom: a demand trace forecast ahead (replicas = ceil(demand /
capacityPerPod) at the chosen quantile) or a timeline written by prescale
simulate --timeline.

--kubeconfig reads the cluster: today's nodes (by their pool, zone and
instance type labels) become the current inventory, the workloads named like
a Deployment take its live requests, and the other Deployments of the
planned business lines are added at their current replicas. A workload an
HPA or KEDA ScaledObject scales is planned within its autoscaler's range
(raised to its min, capped at its max, with a note when the source asks for
more than the max allows), or at its max throughout with --autoscaled-at
max: the capacity the worst case the autoscaler allows needs.

Output: a table, markdown, JSON (the peak plan's nodes, pods, pools and
cost at the top level, the timeline under "timeline") or one self-contained
HTML file with charts.`,
		Example: `  prescale plan --config deploy/examples/capacity/ecommerce.yaml
  prescale plan --config deploy/examples/capacity/ecommerce.yaml --output html --out plan.html
  prescale plan --config deploy/examples/capacity/staffing.yaml --at 2026-01-05T19:00:00Z --output json
  prescale plan --config plan.yaml --kubeconfig ~/.kube/config --context prod --output markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runPlan(cmd, &f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.config, "config", "", "planning file (kind CapacityPlan)")
	fs.StringVar(&f.output, "output", "table", "output format: table, json, markdown or html")
	fs.StringVar(&f.out, "out", "", "file to write the output to (default: standard output)")
	fs.StringVar(&f.at, "at", "", "plan this one instant (RFC 3339, or YYYY-MM-DD[ HH:MM] in UTC) instead of the timeline")
	fs.DurationVar(&f.deadline, "deadline", 0, "stop improving the packing after this long and keep the best plan found (0: no deadline, the plan depends only on the input)")
	f.cluster.register(cmd)
	return cmd
}

// validate checks the flags that need no file.
func (f *planFlags) validate() (time.Time, error) {
	if f.config == "" {
		return time.Time{}, errors.New("--config: required: give a planning file (kind CapacityPlan)")
	}
	if f.deadline < 0 {
		return time.Time{}, fmt.Errorf("--deadline: must not be negative, got %s", f.deadline)
	}
	switch f.output {
	case "table", "json", "markdown", "html":
	default:
		return time.Time{}, fmt.Errorf("--output: unknown format %q: use table, json, markdown or html", f.output)
	}
	var at time.Time
	if f.at != "" {
		var err error
		if at, err = timeseries.ParseTime(f.at, time.UTC); err != nil {
			return time.Time{}, fmt.Errorf("--at: %w", err)
		}
	}
	return at, f.cluster.validate()
}

func runPlan(cmd *cobra.Command, f *planFlags) error {
	at, err := f.validate()
	if err != nil {
		return err
	}
	c, err := capacity.LoadConfig(f.config)
	if err != nil {
		return err
	}
	p, err := c.Problem()
	if err != nil {
		return err
	}
	res := planreport.Result{Name: c.Metadata.Name, At: at}
	if res.Name == "" {
		res.Name = filepath.Base(f.config)
	}
	sources, err := resolvePlanSources(cmd.Context(), c, f.config, &p)
	if err != nil {
		return err
	}
	for _, s := range sources {
		res.Sources = append(res.Sources, s)
	}
	if f.cluster.kubeconfig != "" {
		var cluster *planClusterInfo
		if p, cluster, err = f.cluster.merge(cmd.Context(), p); err != nil {
			return err
		}
		res.Cluster = &planreport.Cluster{Inventory: cluster.inventory, Notes: cluster.notes()}
		for _, n := range res.Cluster.Notes {
			fmt.Fprintln(cmd.ErrOrStderr(), "prescale plan:", n)
		}
	}
	p.Deadline = f.deadline
	if err := solvePlan(cmd, c, p, &res); err != nil {
		return err
	}
	return f.write(cmd.OutOrStdout(), &res)
}

// solvePlan packs the instant of --at, the timeline, or the peak.
func solvePlan(cmd *cobra.Command, c *capacity.Config, p capacity.Problem, res *planreport.Result) error {
	times := c.Times()
	if !res.At.IsZero() || len(times) == 0 {
		p.At = res.At
		pl, err := capacity.Pack(cmd.Context(), p)
		res.Plan = pl
		return err
	}
	tl, err := capacity.PlanTimeline(cmd.Context(), p, times)
	if err != nil {
		return err
	}
	res.Plan, res.Timeline = tl.PeakPlan, &tl
	return nil
}

// write writes the result in the chosen format to --out or stdout.
func (f *planFlags) write(stdout io.Writer, res *planreport.Result) error {
	w := stdout
	var file *os.File
	if f.out != "" {
		var err error
		if file, err = os.Create(f.out); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		w = file
	}
	var err error
	switch f.output {
	case "json":
		err = planreport.WriteJSON(w, res)
	case "html":
		err = planreport.WriteHTML(w, res)
	case "markdown":
		err = planreport.WriteMarkdown(w, res)
	default:
		err = planreport.WriteText(w, res)
	}
	if file != nil {
		if cerr := file.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("--out: %w", cerr)
		}
	}
	return err
}

// planClusterInfo is what was read from the cluster.
type planClusterInfo struct {
	inventory inventory.Inventory
	merged    []string // Merge's notes
}

// notes returns the inventory's warnings and the merge's notes.
func (c *planClusterInfo) notes() []string {
	return append(append([]string(nil), c.inventory.Warnings...), c.merged...)
}
