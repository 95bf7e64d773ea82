package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/prescale-dev/prescale/datasets"
	"github.com/prescale-dev/prescale/demo"
)

// demoFlags are the flags of prescale demo.
type demoFlags struct {
	report   string
	startup  string
	noReport bool
}

func newDemoCommand() *cobra.Command {
	var f demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run prescale end to end on the bundled NASA trace: simulate, plan nodes, ask the scaler",
		Long: `demo needs no cluster and no Prometheus. On the bundled NASA HTTP trace of
the STS-70 launch (1995-07-06..07-14, the first 7 days as history, the last
2 simulated) it compares the reactive HPA (target 0.7), the predictive
policy and the perfect-foresight oracle at 10 requests/min per pod, traces
each policy's cost/unserved frontier over its knob, plans the nodes of the
predictive and the HPA's replicas on an illustrative pool (illustrative
prices), then starts the scaler in-process on loopback with its replay
pinned to the launch's minute, polls it once over gRPC as KEDA does for a
trigger running the page's predictive policy, and shuts it down.

It prints a summary and writes one self-contained HTML report.`,
		Example: `  prescale demo
  prescale demo --report /tmp/demo.html --startup 2m`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(cmd, &f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.report, "report", "prescale-demo.html", "HTML report file to write")
	fs.StringVar(&f.startup, "startup", "5m", "pods' start-up delay")
	fs.BoolVar(&f.noReport, "no-report", false, "print the summary only")
	return cmd
}

func runDemo(cmd *cobra.Command, f *demoFlags) error {
	startup, err := parseDuration(f.startup)
	if err != nil || startup < 0 {
		return fmt.Errorf("--startup: %q is not a duration such as 5m", f.startup)
	}
	dir, err := os.MkdirTemp("", "prescale-demo-")
	if err != nil {
		return fmt.Errorf("scaler store: %w", err)
	}
	defer os.RemoveAll(dir)
	res, err := demo.Run(cmd.Context(), demo.Options{Bundled: datasets.FS(), Startup: startup, StoreDir: dir, Progress: cmd.ErrOrStderr()})
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if err := demo.WriteSummary(out, res); err != nil {
		return err
	}
	if f.noReport {
		return nil
	}
	if err := writeFile("--report", f.report, func(w io.Writer) error { return demo.WriteHTML(w, res) }); err != nil {
		return err
	}
	abs, err := filepath.Abs(f.report)
	if err != nil {
		abs = f.report
	}
	_, err = fmt.Fprintf(out, "\nreport written to %s\n", abs)
	return err
}
