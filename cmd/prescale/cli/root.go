// Package cli wires prescale's command-line flags to its packages: one file
// per verb, each parsing and validating its flags, then calling a domain
// function. No algorithm lives here.
package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/prescale-dev/prescale/pkg/suggest"
)

// ExitError carries a process exit code other than 1 out of a command, for
// checks that fail without the command itself going wrong.
type ExitError struct {
	Code int
	Err  error
}

// Error returns the message of the wrapped error.
func (e ExitError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e ExitError) Unwrap() error { return e.Err }

// NewRootCommand returns the prescale command with every verb attached.
func NewRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "prescale",
		Short: "Scale Kubernetes workloads before their peaks and plan the nodes they need",
		Long: `prescale forecasts request-rate-like metrics with their daily and weekly
seasonality and the uplift of known events (campaigns, holidays), serves
replica targets to KEDA ahead of the peak, simulates policies on real traces
and plans the nodes each business line needs.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newVersionCommand(),
		newForecastCommand(), newBacktestCommand(),
		newServeCommand(), newAskCommand(), newExplainCommand(),
		newSimulateCommand(), newTuneCommand(),
		newPlanCommand(),
		newDemoCommand(),
	)
	root.SetGlobalNormalizationFunc(normalizeFlag)
	root.SetFlagErrorFunc(suggestFlag)
	return root
}

// normalizeFlag accepts the British spelling of a flag ("utilisation")
// for the Kubernetes one ("utilization"): --target-utilisation is
// --target-utilization.
func normalizeFlag(_ *pflag.FlagSet, name string) pflag.NormalizedName {
	return pflag.NormalizedName(strings.ReplaceAll(name, "utilisation", "utilization"))
}

// suggestFlag adds to an unknown flag's error the closest flag of the
// command, as cobra does for unknown commands.
func suggestFlag(cmd *cobra.Command, err error) error {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return err
	}
	var names []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	best, _ := suggest.Closest(name, names)
	if best == "" {
		return fmt.Errorf("%w (see %s --help)", err, cmd.CommandPath())
	}
	return fmt.Errorf("%w: did you mean --%s?", err, best)
}
