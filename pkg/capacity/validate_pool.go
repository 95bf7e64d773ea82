package capacity

import (
	"fmt"
	"math"
	"slices"
)

// validate checks one pool: names, zones, instance types, node bounds and
// that every instance type leaves room for pods after overhead.
func (pool Pool) validate(errs *fieldErrors, path string, h Headroom) {
	if pool.Name == "" {
		errs.add(path+".name", "required")
	}
	validateNames(errs, path+".businessLines", "business line", pool.BusinessLines)
	validateNames(errs, path+".zones", "zone", pool.Zones)
	if h.ZoneLoss && len(pool.Zones) == 1 {
		errs.add(path+".zones", "headroom.zoneLoss needs at least 2 zones")
	}
	if pool.MinNodes < 0 {
		errs.add(path+".minNodes", "must not be negative, got %d", pool.MinNodes)
	}
	if pool.MaxNodes < 0 {
		errs.add(path+".maxNodes", "must not be negative, got %d", pool.MaxNodes)
	} else if pool.MaxNodes > 0 && pool.MaxNodes < pool.MinNodes {
		errs.add(path+".maxNodes", "must be at least minNodes (%d), got %d", pool.MinNodes, pool.MaxNodes)
	}
	validateAmount(errs, path+".overhead", pool.Overhead, false)
	if len(pool.InstanceTypes) == 0 {
		errs.add(path+".instanceTypes", "at least one instance type is required")
	}
	seen := map[string]bool{}
	for j, t := range pool.InstanceTypes {
		tp := fmt.Sprintf("%s.instanceTypes[%d]", path, j)
		if t.Name == "" {
			errs.add(tp+".name", "required")
		} else if seen[t.Name] {
			errs.add(tp+".name", "duplicate instance type %q", t.Name)
		}
		seen[t.Name] = true
		if !math.IsNaN(t.PricePerHour) && (!(t.PricePerHour > 0) || math.IsInf(t.PricePerHour, 0)) {
			errs.add(tp+".pricePerHour", "must be positive, got %g", t.PricePerHour)
		}
		if validateAmount(errs, tp+".allocatable", t.Allocatable, true) && validateAmount(nil, "", pool.Overhead, false) {
			if u := usable(t.Allocatable, pool.Overhead, h.UtilizationTarget); u[0] <= 0 || u[1] <= 0 || u[2] <= 0 {
				errs.add(tp+".allocatable", "leaves no room for pods after overhead and utilization target")
			}
		}
	}
}

// validateNames checks a non-empty list of distinct non-empty names.
func validateNames(errs *fieldErrors, path, what string, names []string) {
	if len(names) == 0 {
		errs.add(path, "at least one %s is required", what)
	}
	for i, n := range names {
		if n == "" {
			errs.add(fmt.Sprintf("%s[%d]", path, i), "must not be empty")
		} else if slices.Index(names, n) < i {
			errs.add(fmt.Sprintf("%s[%d]", path, i), "duplicate %s %q", what, n)
		}
	}
}

// validateAmount checks resources for finiteness and sign: positive when
// positive is set (allocatable), otherwise not negative (overhead). A nil
// errs only reports validity.
func validateAmount(errs *fieldErrors, path string, r Resources, positive bool) bool {
	ok := true
	bad := func(field, format string, args ...any) {
		ok = false
		if errs != nil {
			errs.add(path+"."+field, format, args...)
		}
	}
	switch {
	case math.IsNaN(r.CPU) || math.IsInf(r.CPU, 0) || r.CPU > maxCores:
		bad("cpu", "must be a finite number of cores up to %g, got %g", float64(maxCores), r.CPU)
	case positive && r.CPU <= 0:
		bad("cpu", "must be positive")
	case r.CPU < 0:
		bad("cpu", "must not be negative")
	}
	switch {
	case positive && r.Memory <= 0:
		bad("memory", "must be positive")
	case r.Memory < 0:
		bad("memory", "must not be negative")
	case r.Memory > maxBytes:
		bad("memory", "must be at most %d bytes", int64(maxBytes))
	}
	switch {
	case positive && r.Pods <= 0:
		bad("pods", "must be positive")
	case r.Pods < 0:
		bad("pods", "must not be negative")
	}
	return ok
}

// Bounds that keep the packer's integer arithmetic far from overflow.
const (
	maxCores = 1 << 30 // cores
	maxBytes = 1 << 52 // bytes, 4 PiB
)

// validate checks one workload against the pools.
func (w Workload) validate(errs *fieldErrors, path string, pools []Pool) {
	if w.Name == "" {
		errs.add(path+".name", "required")
	}
	if w.BusinessLine == "" {
		errs.add(path+".businessLine", "required")
	} else if w.NodePool == "" && !slices.ContainsFunc(pools, func(p Pool) bool { return slices.Contains(p.BusinessLines, w.BusinessLine) }) {
		errs.add(path+".businessLine", "no node pool serves business line %q", w.BusinessLine)
	}
	if w.NodePool != "" {
		if p := findPool(pools, w.NodePool); p == nil {
			errs.add(path+".nodePool", "no node pool %q", w.NodePool)
		} else if !slices.Contains(p.BusinessLines, w.BusinessLine) {
			errs.add(path+".nodePool", "pool %q does not serve business line %q", w.NodePool, w.BusinessLine)
		}
	}
	validateAmount(errs, path+".requests", Resources{CPU: w.Requests.CPU, Memory: w.Requests.Memory}, false)
	w.Replicas.validate(errs, path+".replicas")
	if w.MaxSurge.Value < 0 {
		errs.add(path+".maxSurge", "must not be negative")
	}
	if w.MaxSkew < 0 {
		errs.add(path+".zoneSpread.maxSkew", "must not be negative")
	}
	if w.MinAvailable.Value < 0 || (w.MinAvailable.Percent && w.MinAvailable.Value > 100) {
		errs.add(path+".pdb.minAvailable", "must be a count or a percentage in [0, 100]")
	}
}

// validate checks counts and the order of points.
func (r Replicas) validate(errs *fieldErrors, path string) {
	if r.Fixed < 0 {
		errs.add(path, "must not be negative, got %d", r.Fixed)
	}
	if r.Fixed > maxReplicas {
		errs.add(path, "must be at most %d, got %d", maxReplicas, r.Fixed)
	}
	for i, pt := range r.Points {
		pp := fmt.Sprintf("%s[%d]", path, i)
		if pt.Time.IsZero() {
			errs.add(pp+".time", "required")
		} else if i > 0 && !pt.Time.After(r.Points[i-1].Time) {
			errs.add(pp+".time", "must be after the previous point's time")
		}
		if pt.Replicas < 0 || pt.Replicas > maxReplicas {
			errs.add(pp+".replicas", "must be in [0, %d], got %d", maxReplicas, pt.Replicas)
		}
	}
}

// maxReplicas bounds one workload's replicas.
const maxReplicas = 1_000_000
