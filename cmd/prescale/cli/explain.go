package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/prescale-dev/prescale/scaler"
)

// explainFlags are the flags of prescale explain.
type explainFlags struct {
	addr    string
	output  string
	timeout time.Duration
}

func newExplainCommand() *cobra.Command {
	var f explainFlags
	cmd := &cobra.Command{
		Use:   "explain [NAMESPACE/NAME | NAMESPACE]",
		Short: "Show why the running scaler served what it served to a ScaledObject",
		Long: `explain asks a running prescale serve (its HTTP address) for the last answer
given to each trigger of a ScaledObject, a namespace or every ScaledObject, and
shows the live demand, the forecast peak over the lead time, the calendar
event and the clamp that produced it, with each step of the decision. For a
risk-based trigger (risk > 0) it also shows the risk in force, the growth
table learned at the last refit (its history, anchor window and event types
with their past occurrences) and the growth the last decision applied: the
ratio, the hour or event it was learned for, and the recent demand it
multiplied.`,
		Example: `  prescale explain shop/checkout
  prescale explain shop --addr http://prescale.keda:8080
  prescale explain --output json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			so := ""
			if len(args) == 1 {
				so = args[0]
			}
			return runExplain(cmd, &f, so)
		},
	}
	cmd.Flags().StringVar(&f.addr, "addr", "http://127.0.0.1:8080", "HTTP address of the running scaler")
	cmd.Flags().StringVar(&f.output, "output", "text", "output format: text or json")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 10*time.Second, "how long to wait for the scaler")
	return cmd
}

func runExplain(cmd *cobra.Command, f *explainFlags, so string) error {
	if f.output != "text" && f.output != "json" {
		return fmt.Errorf("--output: unknown format %q: use text or json", f.output)
	}
	u, err := url.Parse(strings.TrimRight(f.addr, "/") + "/debug/decisions")
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--addr: %q is not an http URL such as http://127.0.0.1:8080", f.addr)
	}
	if so != "" {
		u.RawQuery = url.Values{"scaledObject": {so}}.Encode()
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), f.timeout)
	defer cancel()
	resp, err := fetchDecisions(ctx, http.DefaultClient, u.String())
	if err != nil {
		return err
	}
	if len(resp.Decisions) == 0 {
		return ExitError{Code: 3, Err: noDecisions(so)}
	}
	w := cmd.OutOrStdout()
	if f.output == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(resp)
	}
	for i, e := range resp.Decisions {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeExplanation(w, e)
	}
	return nil
}

// noDecisions says that the scaler has no trigger matching so.
func noDecisions(so string) error {
	const hint = "prescale ask --scaledobject FILE calls the scaler as KEDA does"
	if so == "" {
		return errors.New("the scaler has no ScaledObject registered yet: " + hint)
	}
	return fmt.Errorf("the scaler has no trigger of %q: KEDA has not called it for this ScaledObject since it started; %s", so, hint)
}

// fetchDecisions GETs and decodes the scaler's debug endpoint with client.
func fetchDecisions(ctx context.Context, client *http.Client, u string) (scaler.DecisionsResponse, error) {
	var out scaler.DecisionsResponse
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return out, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return out, fmt.Errorf("asking the scaler: %w%s", err, serveHint(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return out, fmt.Errorf("reading the scaler's answer: %w", err)
	}
	if resp.StatusCode == http.StatusNotFound && !json.Valid(body) {
		return out, fmt.Errorf("the scaler at %s serves no /debug/decisions: start it with prescale serve --debug (http.debug)", req.URL.Host)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound {
		return out, fmt.Errorf("scaler answered %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return out, fmt.Errorf("decoding the scaler's answer from %s: %w", u, err)
	}
	return out, nil
}

// serveHint suggests starting the scaler when err says nothing listens
// at the address dialled; it returns "" for other errors.
func serveHint(err error) string {
	if errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(err.Error(), "connection refused") {
		return " (nothing listens there: start the scaler with prescale serve --debug, or give its address)"
	}
	return ""
}

// writeExplanation prints one trigger's last answer for people.
func writeExplanation(w io.Writer, e scaler.Explanation) {
	fmt.Fprintf(w, "%s  %s  (%s, %s/pod, lead time %s, quantile %s", e.ScaledObject, e.Metric, e.Mode,
		num(e.TargetPerPod), e.LeadTime, num(e.Quantile))
	if e.BusinessLine != "" {
		fmt.Fprintf(w, ", %s", e.BusinessLine)
	}
	fmt.Fprintln(w, ")")
	if !e.Decided {
		fmt.Fprintln(w, "  no decision since the scaler started")
		return
	}
	fmt.Fprintf(w, "  served     %s -> %d replicas, set by %s, at %s\n", num(e.Value), e.Replicas, e.DecidedBy, stamp(e.At))
	live := "unknown"
	if e.Live != nil {
		live = num(*e.Live)
	}
	if e.LiveError != "" {
		live += " (" + e.LiveError + ")"
	}
	fmt.Fprintf(w, "  live       %s\n", live)
	fmt.Fprintf(w, "  forecast   %s\n", forecastLine(e))
	if e.Risk > 0 {
		fmt.Fprintf(w, "  risk       %s\n", riskLine(e))
		if e.Tuning != nil {
			fmt.Fprintf(w, "  tuning     %s\n", tuningLine(e.Tuning))
		}
		fmt.Fprintf(w, "  growth     %s\n", growthLine(e))
	}
	if e.HPATolerance > 0 {
		fmt.Fprintf(w, "  tolerance  %s of HorizontalPodAutoscaler %s, worked around with its replicas (the value is raised past it; x%s when they cannot be read)\n",
			num(e.HPATolerance), e.HPAName, num(1+e.HPATolerance))
	}
	event := "none within the lead time"
	if e.Event != "" {
		event = fmt.Sprintf("%q floor %s", e.Event, num(e.EventFloor))
	}
	fmt.Fprintf(w, "  event      %s\n", event)
	fmt.Fprintf(w, "  clamp      %s\n", clampLine(e.DecidedBy))
	if e.Mode == "shadow" && e.Predictive != nil {
		fmt.Fprintf(w, "  predictive %s (what predictive mode would serve)\n", num(*e.Predictive))
	}
	if e.Degraded {
		fmt.Fprintln(w, "  degraded   live demand unknown: served from the forecast, event floors or last value")
	}
	fmt.Fprintln(w, "  because:")
	for _, r := range e.Reasons {
		fmt.Fprintf(w, "    - %s\n", r)
	}
}

// forecastLine describes the forecast peak and the model behind it.
func forecastLine(e scaler.Explanation) string {
	s := "none"
	if e.ForecastPeak != nil {
		s = fmt.Sprintf("peak %s at %s", num(*e.ForecastPeak), stamp(e.ForecastAt))
	}
	if e.Model != "" {
		s += fmt.Sprintf(" (%s fitted %s", e.Model, stamp(e.FittedAt))
		if e.ForecastAPE != nil {
			s += fmt.Sprintf(", last error %s%%", strconv.FormatFloat(100**e.ForecastAPE, 'f', 1, 64))
		}
		s += ")"
	} else if e.RefitError == "" {
		s += " (not fitted yet)"
	}
	if e.RefitError != "" {
		s += " (last refit failed: " + e.RefitError + ")"
	}
	return s
}

// riskLine describes the risk in force and the growth table learned.
func riskLine(e scaler.Explanation) string {
	s := num(e.Risk)
	if e.Headroom > 1 {
		s += fmt.Sprintf(" with headroom x%s (the tuned target utilisation)", num(e.Headroom))
	}
	g := e.Growth
	if g == nil {
		return s + ": no growth learned yet (the forecast peak and event floors stand in)"
	}
	s += fmt.Sprintf(": growth learned on %s .. %s, anchor window %s, by %s", stamp(g.From), stamp(g.Until), g.AnchorWindow, cmp.Or(g.Level, "hour of the week"))
	if g.TimeZone != "" && g.TimeZone != "UTC" {
		s += " in " + g.TimeZone
	}
	s += ", "
	if len(g.EventTypes) == 0 {
		return s + "no event type"
	}
	types := make([]string, len(g.EventTypes))
	for i, t := range g.EventTypes {
		types[i] = fmt.Sprintf("%s (%d past)", t.Type, t.Occurrences)
		if t.EndAligned {
			types[i] = fmt.Sprintf("%s (%d past, aligned on their ends)", t.Type, t.Occurrences)
		}
	}
	return s + "events " + strings.Join(types, ", ")
}

// tuningLine says where the risk in force comes from: the last tuning on
// the stored history, and whether it met the SLO there.
func tuningLine(t *scaler.Tuning) string {
	at := stamp(t.At)
	if t.Error != "" && t.Risk == 0 {
		return fmt.Sprintf("slo %s: tuning at %s did not run (%s); the metadata's risk is in force", percent(t.SLO), at, t.Error)
	}
	point, tried := "risk "+num(t.Risk), fmt.Sprintf("%d risks", t.Risks)
	if t.Utilisation > 0 {
		point += fmt.Sprintf(" at target utilisation %s (headroom x%s)", num(t.Utilisation), num(t.Headroom))
	}
	if t.Utilisations > 0 {
		tried += fmt.Sprintf(" and %d utilisations", t.Utilisations)
	}
	s := fmt.Sprintf("%s chosen at %s for slo %s from %s, replaying %s .. %s: %s unserved, %s pod-hours",
		point, stamp(t.ChosenAt), percent(t.SLO), tried, stamp(t.From), stamp(t.Until), percent(t.Unserved), num(t.PodHours))
	switch {
	case t.Error != "":
		s += fmt.Sprintf(" (kept: the tuning at %s did not run: %s)", at, t.Error)
	case !t.Met:
		s += " (no point met the slo on the replay: the one leaving the least unserved is in force)"
	}
	return s
}

// growthLine describes the growth the last decision applied.
func growthLine(e scaler.Explanation) string {
	if e.GrowthRatio == nil {
		return "none applied (live demand unknown, or no growth learned yet)"
	}
	from := "this hour"
	if e.GrowthSource != "hour" {
		from = fmt.Sprintf("event %q", e.GrowthSource)
	}
	anchor := "unknown"
	if e.Anchor != nil {
		anchor = num(*e.Anchor)
	}
	return fmt.Sprintf("x%s learned for %s, on recent demand %s (the highest over the anchor window)", num(*e.GrowthRatio), from, anchor)
}

// clampLine names the clamp that set the value, if one did.
func clampLine(source string) string {
	switch source {
	case "min-replicas", "max-replicas", "scale-up-limit", "scale-down-limit":
		return source
	}
	return "none"
}

// num formats a value with at most four decimals.
func num(v float64) string {
	if s := number(v); s != "" {
		return s
	}
	return "unknown"
}
