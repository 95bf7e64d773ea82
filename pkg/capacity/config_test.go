package capacity

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// badConfigs maps each testdata/config/*.bad.yaml file to the errors
// ParseConfig must report, one substring per error, in order.
var badConfigs = map[string][]string{
	"duplicate-key.bad.yaml": {`parsing YAML: yaml: unmarshal errors:` + "\n" + `  line 3: key "kind" already set in map`},
	"empty.bad.yaml":         {"empty document"},
	"kind.bad.yaml": {
		`apiVersion: must be "prescale.dev/v1alpha1", got "apps/v1"`,
		`kind: must be "CapacityPlan", got "Deployment"`,
		"spec.nodePools: at least one node pool is required",
		"spec.workloads: at least one workload is required",
	},
	"many.bad.yaml": {
		`apiVersion: must be "prescale.dev/v1alpha1", got "prescale.dev/v1"`,
		"spec.nodePools[0].instanceTypes[0].allocatable.cpu: must be positive",
		`spec.nodePools[1].name: duplicate pool "web"`,
		`spec.nodePools[1].zones[1]: duplicate zone "a"`,
		"spec.nodePools[1].instanceTypes[0].pricePerHour: must be positive, got -1",
		"spec.nodePools[1].instanceTypes[0].allocatable.pods: must be positive",
		"spec.workloads[0].replicas: must not be negative, got -3",
	},
	"unknown.bad.yaml": {
		"unknown.bad.yaml:7:7: spec.nodePools[0].zone: unknown field: did you mean zones?",
		"unknown.bad.yaml:10:25: spec.nodePools[0].instanceTypes[0].allocatable.CPU: unknown field: did you mean cpu?",
		"unknown.bad.yaml:17:53: spec.workloads[0].replicas[0].weight: unknown field (known: replicas, time)",
	},
	"quantity.bad.yaml": {
		`spec.nodePools[0].instanceTypes[0].allocatable.cpu: parsing quantity "3920x": unknown suffix "x": invalid quantity syntax`,
		`spec.nodePools[0].instanceTypes[0].allocatable.memory: parsing quantity "15GB": unknown suffix "GB"`,
		"spec.workloads[0].requests.cpu: quantity must be a number or a string",
		`spec.workloads[0].requests.memory: parsing quantity "1..5Gi": invalid quantity syntax`,
	},
	"types.bad.yaml": {
		":6:22: spec.nodePools[0].businessLines: must be a list",
		":8:17: spec.nodePools[0].minNodes: must be a whole number",
		":11:53: spec.nodePools[0].instanceTypes[0].allocatable.pods: must be a whole number",
		":12:25: spec.nodePools[0].instanceTypes[0].pricePerHour: must be a number",
		`:17:17: spec.workloads[0].replicas: replicas must be a whole count or a list of {time, replicas}, got "lots"`,
		`:18:17: spec.workloads[0].maxSurge: must be a whole number or a percentage such as "25%", got "25 percent"`,
	},
	"price.bad.yaml": {
		`spec.priceBook.prices["m.xlarge"]: must be positive, got 0`,
		`spec.nodePools[0].instanceTypes[0].pricePerHour: missing, and the price book has no price for "m.xlarge"`,
		`spec.nodePools[0].instanceTypes[1].pricePerHour: missing, and the price book has no price for "c.xlarge"`,
	},
	"pricebook-file.bad.yaml": {"spec.priceBook.file: reading price book: open no-such-prices.yaml"},
	"workloads.bad.yaml": {
		"spec.workloads[1].replicas: required",
		"spec.workloads[2].zoneSpread.maxSkew: must be at least 1, got 0",
		`spec.workloads[2].antiAffinity: must be "hostname" or absent, got "zone"`,
		`spec.workloads[0].nodePool: no node pool "batch"`,
		"spec.workloads[0].requests.cpu: must not be negative",
		`spec.workloads[1].businessLine: no node pool serves business line "payroll"`,
		"spec.workloads[2].replicas[1].time: must be after the previous point's time",
		"spec.workloads[2].replicas[1].replicas: must be in [0, 1000000], got -1",
		"spec.workloads[2].pdb.minAvailable: must be a count or a percentage in [0, 100]",
		`spec.workloads[3].name: duplicate workload "search"`,
	},
	"headroom.bad.yaml": {
		"spec.timeline.end: must be after start",
		"spec.headroom.utilizationTarget: must be in (0, 1], got 1.5",
		"spec.costSplit.cpuShare: must be in (0, 1), or 0 to derive it from instance prices, got 1",
		"spec.nodePools[0].zones: headroom.zoneLoss needs at least 2 zones",
		"spec.nodePools[0].maxNodes: must be at least minNodes (3), got 2",
		"spec.nodePools[0].instanceTypes[0].allocatable: leaves no room for pods after overhead and utilization target",
		`spec.currentNodes[0].pool: no node pool "api"`,
		"spec.currentNodes[1].count: must not be negative, got -1",
		`spec.currentNodes[1].zone: pool "web" has no zone "z"`,
		`spec.currentNodes[1].instanceType: pool "web" offers no instance type "c.large"`,
	},
	"replicas-from.bad.yaml": {
		"spec.workloads[0].replicasFrom: give replicas or replicasFrom, not both",
		"spec.workloads[1].replicasFrom: needs trace (a demand trace to forecast) or simulation (a simulator timeline)",
		"spec.workloads[2].replicasFrom.capacityPerPod: must be a positive demand per replica, in the trace's units, got 0",
		"spec.workloads[2].replicasFrom.quantile: must be in (0, 1), such as 0.9, got 1.5",
		"spec.workloads[2].replicasFrom.horizon: required without spec.timeline",
		`spec.workloads[2].replicasFrom.timeZone: unknown time zone "Mars/Olympus"`,
		"spec.workloads[2].replicasFrom.policy: only applies to a simulation",
		"spec.workloads[3].replicasFrom.simulation: give trace or simulation, not both",
		"spec.workloads[4].replicasFrom.policy: required: the policy whose replicas to plan for",
		`spec.workloads[4].replicasFrom.column: must be desired_replicas or ready_replicas, got "demand"`,
		"spec.workloads[4].replicasFrom.quantile: only applies to a trace",
		"spec.workloads[5].replicasFrom.horizon: must not be negative",
		"spec.workloads[5].replicasFrom.resample: must not be negative",
		"spec.workloads[6].replicasFrom.horizon: required without spec.timeline",
	},
	"steps.bad.yaml": {"spec.timeline.step: gives more than 100000 steps"},
	"unquoted.bad.yaml": {
		`:7:9: metadata.name: must be a string, but YAML 1.1 reads 2024 as a number: quote it ("2024")`,
		`:11:7: spec.priceBook.prices["on"]: key must be a string, but YAML 1.1 reads on as a boolean: quote it ("on")`,
		`:13:13: spec.nodePools[0].name: must be a string, but YAML 1.1 reads no as a boolean: quote it ("no")`,
		`:14:23: spec.nodePools[0].businessLines[0]: must be a string, but YAML 1.1 reads no as a boolean: quote it ("no")`,
		`:14:27: spec.nodePools[0].businessLines[1]: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`,
		`:15:18: spec.nodePools[0].zones[1]: must be a string, but YAML 1.1 reads 1 as a number: quote it ("1")`,
		`:22:21: spec.workloads[0].businessLine: must be a string, but YAML 1.1 reads off as a boolean: quote it ("off")`,
		`:23:17: spec.workloads[0].nodePool: must be a string, but YAML 1.1 reads ~ as null: quote it ("~")`,
	},
	"timeline.bad.yaml": {
		`spec.timeline.start: parsing time "yesterday"`,
		`spec.timeline.step: must be a duration such as "1h" or "15m": time: invalid duration "hourly"`,
	},
}

// TestParseConfigBad checks every bad file's errors, and that no bad file
// lacks an entry in badConfigs.
func TestParseConfigBad(t *testing.T) {
	files, err := filepath.Glob("testdata/config/*.bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, ok := badConfigs[filepath.Base(f)]; !ok {
			t.Errorf("%s has no expected errors in badConfigs", f)
		}
	}
	for name, want := range badConfigs {
		t.Run(name, func(t *testing.T) {
			_, err := LoadConfig(filepath.Join("testdata/config", name))
			if err == nil {
				t.Fatal("no error")
			}
			got := unjoin(err)
			if len(got) != len(want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(got), len(want), err)
			}
			for i := range want {
				var fe *FieldError
				if !errors.As(got[i], &fe) || !strings.HasSuffix(fe.File, name) {
					t.Errorf("error %d %q is not a *FieldError naming the file", i, got[i])
				}
				if !strings.Contains(got[i].Error(), want[i]) {
					t.Errorf("error %d = %q, want it to contain %q", i, got[i], want[i])
				}
			}
		})
	}
}

// unjoin splits an errors.Join result.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// TestParseConfigGood loads every good file and converts it.
func TestParseConfigGood(t *testing.T) {
	files, err := filepath.Glob("testdata/config/*.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			c, err := LoadConfig(f)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Problem(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestParseConfigFull checks the decoded values of the full example:
// quantities, price book merging, anchors, defaults and replica points.
func TestParseConfigFull(t *testing.T) {
	c, err := LoadConfig("testdata/config/full.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Problem()
	if err != nil {
		t.Fatal(err)
	}
	shop, shared := p.Pools[0], p.Pools[1]
	if got := shop.InstanceTypes[0]; got.PricePerHour != 0.192 || got.Allocatable != (Resources{CPU: 3.92, Memory: 15032385536, Pods: 58}) {
		t.Errorf("m.xlarge = %+v, want price 0.192 from the file and allocatable 3.92 cores, 14Gi, 58 pods", got)
	}
	if got := shared.InstanceTypes[1]; got.PricePerHour != 0.26 || got.Allocatable.Memory != 29<<30 {
		t.Errorf("r.xlarge through the anchor = %+v, want its own price 0.26 and 29Gi", got)
	}
	if shop.Overhead != (Resources{CPU: 0.2, Memory: 512 << 20, Pods: 4}) || shop.MinNodes != 1 || shop.MaxNodes != 20 {
		t.Errorf("shop pool = %+v", shop)
	}
	if h := p.Headroom; !h.ZoneLoss || h.UtilizationTarget != 0.85 || h.RolloutSurge {
		t.Errorf("headroom = %+v", h)
	}
	fe := p.Workloads[0]
	peak := time.Date(2025, 11, 28, 9, 0, 0, 0, time.UTC)
	if fe.Replicas.At(peak) != 30 || fe.Replicas.Peak() != 30 || fe.Replicas.At(peak.Add(-24*time.Hour)) != 6 {
		t.Errorf("frontend replicas = %+v", fe.Replicas)
	}
	if fe.MaxSurge != (IntOrPercent{Value: 25, Percent: true}) || fe.MaxSkew != 1 || !fe.AntiAffinity || fe.MinAvailable.Of(30) != 15 {
		t.Errorf("frontend = %+v", fe)
	}
	if times := c.Times(); len(times) != 24 || !times[0].Equal(time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("timeline = %d steps from %v, want 24 from midnight", len(times), times)
	}
	if !slices.Equal(p.Current, []NodeCount{{Pool: "shop", Zone: "a", InstanceType: "m.xlarge", Count: 4}}) {
		t.Errorf("current = %+v", p.Current)
	}
}

// TestParseConfigNoFS rejects a price book file without a directory.
func TestParseConfigNoFS(t *testing.T) {
	data, err := os.ReadFile("testdata/config/full.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ParseConfig(data, nil)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "spec.priceBook.file" {
		t.Fatalf("err = %v, want a spec.priceBook.file error", err)
	}
}

// FuzzParseConfig checks that parsing never panics and that a file it
// accepts converts to a valid Problem.
func FuzzParseConfig(f *testing.F) {
	files, _ := filepath.Glob("testdata/config/*.yaml")
	examples, _ := filepath.Glob("testdata/examples/*.yaml")
	for _, name := range append(files, examples...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	fsys := os.DirFS("testdata/config")
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data, fsys)
		if err != nil {
			if c != nil {
				t.Fatal("config returned with an error")
			}
			return
		}
		p, err := c.Problem()
		if err != nil {
			t.Fatalf("accepted file fails conversion: %v", err)
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted file gives an invalid problem: %v", err)
		}
	})
}

// TestParseConfigCause checks that field errors keep their cause.
func TestParseConfigCause(t *testing.T) {
	_, err := LoadConfig("testdata/config/quantity.bad.yaml")
	if !errors.Is(err, ErrQuantitySyntax) {
		t.Errorf("err = %v, want it to wrap ErrQuantitySyntax", err)
	}
}
