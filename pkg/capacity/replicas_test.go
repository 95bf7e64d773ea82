package capacity

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

func TestReplicasAt(t *testing.T) {
	t0 := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	r := Replicas{Points: []ReplicaPoint{{Time: t0, Replicas: 4}, {Time: t0.Add(time.Hour), Replicas: 10}, {Time: t0.Add(2 * time.Hour), Replicas: 2}}}
	tests := []struct {
		name string
		at   time.Time
		want int
	}{
		{"before the first point", t0.Add(-time.Hour), 4},
		{"at a point", t0.Add(time.Hour), 10},
		{"between points", t0.Add(90 * time.Minute), 10},
		{"after the last point", t0.Add(48 * time.Hour), 2},
		{"zero time is the peak", time.Time{}, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.At(tc.at); got != tc.want {
				t.Errorf("At(%v) = %d, want %d", tc.at, got, tc.want)
			}
		})
	}
	if got := FixedReplicas(3).At(t0); got != 3 {
		t.Errorf("fixed 3 at %v = %d", t0, got)
	}
}

func TestSeriesReplicas(t *testing.T) {
	t0 := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	s := timeseries.Series{Start: t0, Step: time.Hour, Values: []float64{2.2, 3, math.NaN(), 3, -1, 7.0000000001}}
	r := SeriesReplicas(s)
	want := []ReplicaPoint{{Time: t0, Replicas: 3}, {Time: t0.Add(4 * time.Hour), Replicas: 0}, {Time: t0.Add(5 * time.Hour), Replicas: 7}}
	if len(r.Points) != len(want) {
		t.Fatalf("points = %+v, want %+v", r.Points, want)
	}
	for i := range want {
		if !r.Points[i].Time.Equal(want[i].Time) || r.Points[i].Replicas != want[i].Replicas {
			t.Errorf("point %d = %+v, want %+v", i, r.Points[i], want[i])
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	t0 := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	type doc struct {
		Fixed  Replicas     `json:"fixed"`
		Series Replicas     `json:"series"`
		Count  IntOrPercent `json:"count"`
		Pct    IntOrPercent `json:"pct"`
		Step   Duration     `json:"step"`
	}
	in := doc{
		Fixed: FixedReplicas(5), Series: Replicas{Points: []ReplicaPoint{{Time: t0, Replicas: 2}}},
		Count: IntOrPercent{Value: 2}, Pct: IntOrPercent{Value: 25, Percent: true}, Step: Duration(90 * time.Minute),
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"fixed":5,"series":[{"time":"2025-11-28T00:00:00Z","replicas":2}],"count":2,"pct":"25%","step":"1h30m0s"}`
	if string(b) != want {
		t.Errorf("marshal = %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Fixed.Fixed != 5 || !out.Series.Points[0].Time.Equal(t0) || out.Count != in.Count || out.Pct != in.Pct || out.Step != in.Step {
		t.Errorf("round trip = %+v, want %+v", out, in)
	}
}
