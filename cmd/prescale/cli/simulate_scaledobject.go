package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/prescale-dev/prescale/pkg/field"
	"github.com/prescale-dev/prescale/policies"
	"github.com/prescale-dev/prescale/simulator"
	"github.com/prescale-dev/prescale/simulator/scaledobject"
)

// kedaFlags give the simulated KEDA and HPA objects: those a ScaledObject
// manifest would create (--scaledobject), and what-ifs the manifest cannot
// say (--hpa-behavior, --pin-phases). Flags given on the command line win
// over the manifest.
type kedaFlags struct {
	file, name  string
	hpaBehavior string
	pinPhases   string

	// Set by load.
	doc      *scaledobject.Document
	so       *scaledobject.Result
	prescale *scaledobject.Trigger // the trigger the predictive policy runs, or nil
	prom     *scaledobject.Trigger // the trigger the reactive and cron policies run, or nil
	crons    []*scaledobject.Cron  // the cron policy's windows, when any
	behavior *simulator.Behavior   // --hpa-behavior's, when behaviorGiven
	// behaviorGiven, leadTime (0: from the start-up and --lead-margin),
	// floors (the prescale trigger's eventFloors replace the calendar's)
	// and phases (nil: drawn from the seed) are what load decided.
	behaviorGiven bool
	leadTime      time.Duration
	floors        bool
	phases        *simulator.Phases
}

// register adds the flags to fs.
func (k *kedaFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&k.file, "scaledobject", "", "KEDA ScaledObject manifest (YAML) to take KEDA's and the HPA's settings and the triggers' targets from, as KEDA 2.21 creates the HPA; flags given explicitly override it")
	fs.StringVar(&k.name, "scaledobject-name", "", "with --scaledobject: the ScaledObject to read when the file holds several")
	fs.StringVar(&k.hpaBehavior, "hpa-behavior", "none", "the HPA's behavior: none (nil: what KEDA creates without advanced.horizontalPodAutoscalerConfig.behavior) or default (the API server's defaults); overrides --scaledobject's")
	fs.StringVar(&k.pinPhases, "pin-phases", "", "pin the first HPA sync and the first KEDA poll at SYNC,POLL after the trace's start, such as 0s,0s (default: drawn from --seed)")
}

// load reads --scaledobject and the what-if flags, and writes the
// manifest's values into the flags the command line did not set; it runs
// before the flags are validated.
func (k *kedaFlags) load(cmd *cobra.Command, f *simulateFlags) error {
	changed := cmd.Flags().Changed
	if err := k.parseWhatIfs(changed); err != nil {
		return err
	}
	if err := k.loadFile(changed, f); err != nil {
		return err
	}
	return k.checkPhases()
}

// checkPhases checks the pinned phases against the periods they fall in.
func (k *kedaFlags) checkPhases() error {
	p := k.phases
	if p == nil {
		return nil
	}
	sync, poll := simulator.DefaultHPA().SyncPeriod, simulator.DefaultSettings().KEDA.PollingInterval
	if k.so != nil {
		poll = k.so.Settings.KEDA.PollingInterval
	}
	if p.Sync >= sync || p.Poll >= poll {
		return fmt.Errorf("--pin-phases: %q: the first sync must come within the HPA's sync period (%s), the first poll within KEDA's polling interval (%s)",
			k.pinPhases, shortDuration(sync), shortDuration(poll))
	}
	return nil
}

// loadFile reads --scaledobject, if given, into the flags.
func (k *kedaFlags) loadFile(changed func(string) bool, f *simulateFlags) error {
	if k.file == "" {
		if changed("scaledobject-name") {
			return errors.New("--scaledobject-name: only meaningful with --scaledobject")
		}
		return nil
	}
	doc, err := scaledobject.Load(k.file, k.name)
	if errors.Is(err, scaledobject.ErrAmbiguous) {
		return fmt.Errorf("--scaledobject: %w: give --scaledobject-name", err)
	}
	if err != nil {
		return fmt.Errorf("--scaledobject: %w", err)
	}
	r, err := doc.Map(simulator.DefaultSettings())
	if err != nil {
		return fmt.Errorf("--scaledobject: %w", err)
	}
	k.doc, k.so = doc, r
	if err := k.classify(); err != nil {
		return fmt.Errorf("--scaledobject: %w", err)
	}
	return k.merge(changed, f)
}

// parseWhatIfs reads --hpa-behavior and --pin-phases.
func (k *kedaFlags) parseWhatIfs(changed func(string) bool) error {
	switch k.hpaBehavior {
	case "none":
	case "default":
		b := simulator.DefaultBehavior()
		k.behavior = &b
	default:
		return fmt.Errorf("--hpa-behavior: %q: use none (nil, as KEDA creates it without one) or default (the API server's defaults)", k.hpaBehavior)
	}
	k.behaviorGiven = changed("hpa-behavior")
	if k.pinPhases == "" {
		return nil
	}
	sync, poll, ok := strings.Cut(k.pinPhases, ",")
	s, err1 := nonNegativeDuration("--pin-phases", strings.TrimSpace(sync))
	p, err2 := nonNegativeDuration("--pin-phases", strings.TrimSpace(poll))
	if !ok || err1 != nil || err2 != nil {
		return fmt.Errorf("--pin-phases: %q: give the first HPA sync's and the first KEDA poll's offsets, such as 0s,0s or 5s,20s", k.pinPhases)
	}
	k.phases = &simulator.Phases{Sync: s, Poll: p}
	return nil
}

// classify assigns the triggers to the policies: the prescale trigger to
// predictive, the prometheus trigger to reactive and cron, the cron
// triggers to cron's windows.
func (k *kedaFlags) classify() error {
	for i := range k.so.Triggers {
		t := &k.so.Triggers[i]
		path := fmt.Sprintf("spec.triggers[%d]", t.Index)
		var slot **scaledobject.Trigger
		switch {
		case t.Cron != nil:
			k.crons = append(k.crons, t.Cron)
			continue
		case t.Prescale != nil:
			slot = &k.prescale
		case t.Prometheus != nil:
			slot = &k.prom
		default:
			continue
		}
		if *slot != nil {
			return k.fieldError(path+".type", "a second %s trigger: simulate gives each of its policies one (spec.triggers[%d] is taken)", t.Type, (*slot).Index)
		}
		if t.MetricType == simulator.ValueMetric {
			return k.fieldError(path+".metricType", "Value: simulate's reactive and predictive policies divide the demand by a per-pod target, an AverageValue one")
		}
		*slot = t
	}
	return nil
}

// fieldError locates a problem with the manifest's file and line.
func (k *kedaFlags) fieldError(path, format string, args ...any) error {
	return &field.Error{File: k.doc.File, Line: k.doc.Line(path), Field: path,
		Err: fmt.Errorf(format+": %w", append(args, scaledobject.ErrNotSupported)...)}
}

// merge writes the manifest's values into the flags not given.
func (k *kedaFlags) merge(changed func(string) bool, f *simulateFlags) error {
	kd := k.so.Settings.KEDA
	if !changed("min-replicas") {
		f.minReplicas = kd.MinReplicaCount
	}
	if !changed("max-replicas") {
		f.maxReplicas = kd.MaxReplicaCount
	}
	if i := kd.IdleReplicaCount; i != nil && *i >= f.minReplicas {
		return fmt.Errorf("--min-replicas: %d: the ScaledObject's idleReplicaCount %d must stay below it", f.minReplicas, *i)
	}
	if t := k.prom; t != nil && !changed("target-utilization") {
		u, err := k.share(t, "threshold", t.Prometheus.Threshold, f.capacity, "--target-utilization")
		if err != nil {
			return err
		}
		f.utilisation = u
	}
	if k.prescale != nil {
		return k.mergePrescale(changed, f)
	}
	return nil
}

// mergePrescale writes the prescale trigger's values into the predictive
// flags not given: its target, quantile, risk and event shift (the
// scaler's defaults included, as they decide what is served), its model,
// step, refit interval and history window when the manifest states them
// (otherwise the simulation's cheaper defaults), and its lead time.
func (k *kedaFlags) mergePrescale(changed func(string) bool, f *simulateFlags) error {
	t := k.prescale
	m := t.Prescale.Metadata
	p := &f.predictive
	if !changed("predictive-utilization") {
		u, err := k.share(t, "targetPerPod", m.Policy.TargetPerPod, f.capacity, "--predictive-utilization")
		if err != nil {
			return err
		}
		p.utilisation = u
	}
	set := func(flag, key string, always bool, apply func()) {
		if !changed(flag) && (always || t.Prescale.States(key)) {
			apply()
		}
	}
	set("quantile", "quantile", true, func() { p.quantile = m.Quantile })
	set("predictive-tolerance", "hpaTolerance", true, func() { p.tolerance = m.Policy.Tolerance })
	set("risk", "risk", true, func() { p.risk = m.Policy.Risk })
	set("event-shift", "eventShift", true, func() { p.eventShift = shortDuration(m.EventShift) })
	set("time-zone", "timeZone", true, func() { p.timeZone = m.TimeZone.String() })
	set("model", "model", false, func() { p.model = m.Model })
	set("forecast-step", "step", false, func() { p.forecastStep = shortDuration(m.Step) })
	set("refit-interval", "refitInterval", false, func() { p.refit = shortDuration(m.RefitInterval) })
	set("fit-window", "historyWindow", false, func() { p.fitWindow = shortDuration(m.HistoryWindow) })
	if !changed("lead-margin") {
		k.leadTime = m.Policy.LeadTime
	}
	if len(m.EventFloors) == 0 || changed("event-types") || changed("cron-replicas") {
		return nil
	}
	if f.trace.calendar == "" && !f.trace.bundled() {
		path := fmt.Sprintf("spec.triggers[%d].metadata.eventFloors", t.Index)
		return &field.Error{File: k.doc.File, Line: k.doc.Line(path), Field: path,
			Err: fmt.Errorf("needs the events of calendar %q: give them with --calendar (or set --event-types or --cron-replicas to use the flags' floors)", m.Calendar)}
	}
	k.floors = true
	return nil
}

// share returns target as a share of the pods' capacity, the utilisation
// the simulate policies take; above 1 the manifest loads each pod past the
// capacity --capacity-per-pod says it has.
func (k *kedaFlags) share(t *scaledobject.Trigger, key string, target, capacity float64, flag string) (float64, error) {
	if !(capacity > 0) {
		return 0, nil // --capacity-per-pod is required: validate says so
	}
	u := target / capacity
	if u > 1 {
		path := fmt.Sprintf("spec.triggers[%d].metadata.%s", t.Index, key)
		return 0, &field.Error{File: k.doc.File, Line: k.doc.Line(path), Field: path,
			Err: fmt.Errorf("%g per pod is above --capacity-per-pod %g: the HPA would load each pod past its capacity; check --capacity-per-pod, or give %s", target, capacity, flag)}
	}
	return u, nil
}

// apply sets s's KEDA and HPA objects: the manifest's (the replica bounds
// stay the flags'), then --hpa-behavior and --pin-phases when given.
func (k *kedaFlags) apply(s *simulator.Settings) {
	if k.so != nil {
		kd := k.so.Settings.KEDA
		kd.MinReplicaCount, kd.MaxReplicaCount = s.KEDA.MinReplicaCount, s.KEDA.MaxReplicaCount
		s.KEDA = kd
		s.HPA.Behavior = k.so.Settings.HPA.Behavior
	}
	if k.so == nil || k.behaviorGiven {
		s.HPA.Behavior = k.behavior
	}
	if k.phases != nil {
		s.Phases, s.PinPhases = *k.phases, true
	}
}

// lead returns the predictive lead time: the prescale trigger's leadTime
// unless --lead-margin is given, else byStartup (the start-up plus the
// margin).
func (k *kedaFlags) lead(byStartup time.Duration) time.Duration {
	if k.leadTime > 0 {
		return k.leadTime
	}
	return byStartup
}

// reactiveActivation is the prometheus trigger's activationThreshold, 0
// without one.
func (k *kedaFlags) reactiveActivation() float64 {
	if k.prom == nil {
		return 0
	}
	return k.prom.Prometheus.ActivationThreshold
}

// cronWindows returns the cron policy's windows: the manifest's cron
// triggers over the simulated trace when it has any, else a window per
// calendar floor opened lead early.
func (sc *scenario) cronWindows(lead time.Duration) ([]simulator.CronWindow, error) {
	k := &sc.f.keda
	if len(k.crons) == 0 {
		return simulator.CronWindows(sc.floors, lead), nil
	}
	var out []simulator.CronWindow
	for _, c := range k.crons {
		ws, err := c.Windows(sc.demand.Start, sc.demand.End())
		if err != nil {
			return nil, fmt.Errorf("--scaledobject: %w", err)
		}
		out = append(out, ws...)
	}
	return out, nil
}

// withScaledObject applies the manifest's prescale trigger to the
// predictive policy: its mode, replica bounds, rate limits, activation
// value and event floors, as the scaler reads them. The target, the risk
// and the forecast's settings come through the flags (see mergePrescale),
// the lead time through lead.
func (sc *scenario) withScaledObject(cfg simulator.PredictiveConfig) simulator.PredictiveConfig {
	k := &sc.f.keda
	if k.prescale == nil {
		return cfg
	}
	m := k.prescale.Prescale.Metadata
	p := &cfg.Policy
	p.Mode = m.Policy.Mode
	p.MinReplicas, p.MaxReplicas = m.Policy.MinReplicas, m.Policy.MaxReplicas
	p.MaxScaleUpPerMinute, p.MaxScaleDownPerMinute = m.Policy.MaxScaleUpPerMinute, m.Policy.MaxScaleDownPerMinute
	cfg.Activation = m.ActivationValue
	if k.floors {
		cfg.Floors = nil
		for _, fl := range m.EventFloors {
			cfg.Floors = append(cfg.Floors, simulator.EventFloors(sc.demand, sc.events,
				simulator.FloorOptions{Types: []string{fl.Type}, Replicas: fl.Replicas})...)
		}
	}
	return cfg
}

// parameters describes, for the report's header, where the simulated
// KEDA and HPA come from.
func (k *kedaFlags) parameters() []simulator.Parameter {
	var out []simulator.Parameter
	add := func(name, value string) { out = append(out, simulator.Parameter{Name: name, Value: value}) }
	if k.so != nil {
		add("scaledobject", fmt.Sprintf("%s/%s from %s: %s", k.so.Namespace, k.so.Name, k.file, k.policiesFrom()))
		if k.prescale != nil {
			add("scaledobject.predictive", k.predictiveFrom())
		}
		for i, line := range k.so.Describe()[1:] {
			add(fmt.Sprintf("scaledobject[%d]", i), line)
		}
	}
	if k.behaviorGiven {
		add("hpa_behavior", k.hpaBehavior)
	}
	if k.phases != nil {
		add("pinned_phases", fmt.Sprintf("first HPA sync at +%s, first KEDA poll at +%s", shortDuration(k.phases.Sync), shortDuration(k.phases.Poll)))
	}
	return out
}

// predictiveFrom says what the predictive policy takes from the prescale
// trigger beyond the flags the report shows.
func (k *kedaFlags) predictiveFrom() string {
	m := k.prescale.Prescale.Metadata
	lead := "start-up + --lead-margin"
	if k.leadTime > 0 {
		lead = shortDuration(k.leadTime) + " (leadTime)"
	}
	floors := "from --event-types and --cron-replicas"
	if k.floors {
		var fs []string
		for _, f := range m.EventFloors {
			fs = append(fs, fmt.Sprintf("%s=%d", f.Type, f.Replicas))
		}
		floors = strings.Join(fs, ",") + " (eventFloors)"
	}
	return fmt.Sprintf("lead time %s, floors %s, mode %s, activationValue %s", lead, floors, m.Policy.Mode, strconv.FormatFloat(m.ActivationValue, 'g', -1, 64))
}

// policiesFrom says which trigger drives which policy.
func (k *kedaFlags) policiesFrom() string {
	var parts []string
	at := func(t *scaledobject.Trigger) string { return "spec.triggers[" + strconv.Itoa(t.Index) + "]" }
	if k.prom != nil {
		parts = append(parts, "reactive and cron from "+at(k.prom))
	}
	if len(k.crons) > 0 {
		parts = append(parts, fmt.Sprintf("cron windows from its %d cron triggers", len(k.crons)))
	}
	if k.prescale != nil {
		from := "predictive from " + at(k.prescale)
		if m := k.prescale.Prescale.Metadata; m.Policy.Mode != policies.ModePredictive {
			from += " (mode " + string(m.Policy.Mode) + ")"
		}
		parts = append(parts, from)
	}
	if k.prescale != nil && (k.prom != nil || len(k.crons) > 0) {
		parts = append(parts, "each policy runs its own triggers, where the cluster's HPA would take the largest proposal of all")
	}
	if len(parts) == 0 {
		return "KEDA and HPA settings only"
	}
	return strings.Join(parts, "; ")
}
