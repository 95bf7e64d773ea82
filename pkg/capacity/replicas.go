package capacity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// Replicas is a workload's replica count: fixed, or a step function of time
// given by points (each point's count holds until the next point).
type Replicas struct {
	// Fixed is the count when Points is empty.
	Fixed int
	// Points, when not empty, give the count over time in increasing time
	// order. Before the first point the first count applies.
	Points []ReplicaPoint
}

// ReplicaPoint is the replica count from one instant on.
type ReplicaPoint struct {
	// Time is the instant the count starts to apply.
	Time time.Time `json:"time"`
	// Replicas is the number of replicas.
	Replicas int `json:"replicas"`
}

// FixedReplicas returns a constant replica count.
func FixedReplicas(n int) Replicas { return Replicas{Fixed: n} }

// At returns the replicas at t; the zero t gives the peak.
func (r Replicas) At(t time.Time) int {
	if t.IsZero() {
		return r.Peak()
	}
	if len(r.Points) == 0 {
		return r.Fixed
	}
	i := sort.Search(len(r.Points), func(i int) bool { return r.Points[i].Time.After(t) })
	if i == 0 {
		return r.Points[0].Replicas
	}
	return r.Points[i-1].Replicas
}

// Peak returns the largest count.
func (r Replicas) Peak() int {
	if len(r.Points) == 0 {
		return r.Fixed
	}
	peak := r.Points[0].Replicas
	for _, p := range r.Points[1:] {
		peak = max(peak, p.Replicas)
	}
	return peak
}

// SeriesReplicas turns a replica forecast into Replicas: each value is
// rounded up to whole replicas (a negative value gives 0) and applies from
// its step's start; NaN steps are skipped, so the previous count holds.
func SeriesReplicas(s timeseries.Series) Replicas {
	var r Replicas
	for i, v := range s.Values {
		if math.IsNaN(v) {
			continue
		}
		n := 0
		if v > 0 {
			n = int(math.Ceil(v - 1e-9))
		}
		if k := len(r.Points); k > 0 && r.Points[k-1].Replicas == n {
			continue
		}
		r.Points = append(r.Points, ReplicaPoint{Time: s.Time(i), Replicas: n})
	}
	return r
}

// UnmarshalJSON accepts a number (a fixed count) or a list of
// {time, replicas} objects; unknown fields in the list are errors.
func (r *Replicas) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	if len(data) > 0 && data[0] == '[' {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		var pts []ReplicaPoint
		if err := dec.Decode(&pts); err != nil {
			return fmt.Errorf("replicas must be a count or a list of {time, replicas}: %s", strings.TrimPrefix(err.Error(), "json: "))
		}
		*r = Replicas{Points: pts}
		return nil
	}
	n, err := strconv.Atoi(string(data))
	if err != nil {
		return fmt.Errorf("replicas must be a whole count or a list of {time, replicas}, got %s", data)
	}
	*r = Replicas{Fixed: n}
	return nil
}

// MarshalJSON writes a number or the list of points.
func (r Replicas) MarshalJSON() ([]byte, error) {
	if len(r.Points) == 0 {
		return []byte(strconv.Itoa(r.Fixed)), nil
	}
	return json.Marshal(r.Points)
}

// UnmarshalJSON accepts a whole number or a percentage string such as "25%".
func (v *IntOrPercent) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		p, ok := strings.CutSuffix(strings.TrimSpace(s), "%")
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if !ok || err != nil {
			return fmt.Errorf("must be a whole number or a percentage such as \"25%%\", got %q", s)
		}
		*v = IntOrPercent{Value: n, Percent: true}
		return nil
	}
	n, err := strconv.Atoi(string(data))
	if err != nil {
		return fmt.Errorf("must be a whole number or a percentage such as \"25%%\", got %s", data)
	}
	*v = IntOrPercent{Value: n}
	return nil
}

// MarshalJSON writes a number or a percentage string.
func (v IntOrPercent) MarshalJSON() ([]byte, error) {
	if v.Percent {
		return json.Marshal(strconv.Itoa(v.Value) + "%")
	}
	return []byte(strconv.Itoa(v.Value)), nil
}
