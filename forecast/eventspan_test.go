package forecast

import (
	"math"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

func TestEventSpans(t *testing.T) {
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return start.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	tests := []struct {
		name string
		occ  calendar.Occurrence
		want eventSpan
	}{
		{"aligned", calendar.Occurrence{Start: at(10, 0), End: at(12, 0), Lead: time.Hour, Lag: 2 * time.Hour},
			eventSpan{from: 9, start: 10, end: 12, to: 14}},
		{"off-grid covers partial steps", calendar.Occurrence{Start: at(10, 30), End: at(11, 15), Lead: 45 * time.Minute},
			eventSpan{from: 9, start: 10, end: 12, to: 12}},
		{"instant event covers its step", calendar.Occurrence{Start: at(5, 0), End: at(5, 0)},
			eventSpan{from: 5, start: 5, end: 6, to: 6}},
		{"before the series", calendar.Occurrence{Start: at(-3, 0), End: at(-2, 0), Lag: time.Hour},
			eventSpan{from: -3, start: -3, end: -2, to: -1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := eventSpans(start, time.Hour, []calendar.Occurrence{tc.occ})[0]
			got.occ = calendar.Occurrence{}
			if got != tc.want {
				t.Errorf("span of %v..%v = %+v, want %+v", tc.occ.Start, tc.occ.End, got, tc.want)
			}
		})
	}
}

func TestEventSpanLocate(t *testing.T) {
	s := eventSpan{from: 8, start: 10, end: 13, to: 15}
	tests := []struct {
		i, part, k int
		ok         bool
	}{
		{7, 0, 0, false}, {8, partLead, 1, true}, {9, partLead, 0, true}, {10, partEvent, 0, true},
		{12, partEvent, 2, true}, {13, partLag, 0, true}, {14, partLag, 1, true}, {15, 0, 0, false},
	}
	for _, tc := range tests {
		part, k, ok := s.locate(tc.i)
		if part != tc.part || k != tc.k || ok != tc.ok {
			t.Errorf("locate(%d) = %d, %d, %v; want %d, %d, %v", tc.i, part, k, ok, tc.part, tc.k, tc.ok)
		}
	}
}

func TestMaskSpans(t *testing.T) {
	y := timeseries.Series{Start: time.Unix(0, 0).UTC(), Step: time.Hour, Values: []float64{1, 2, 3, 4, 5, math.NaN()}}
	spans := []eventSpan{{from: -2, start: -1, end: 1, to: 2}, {from: 5, start: 5, end: 7, to: 8}}
	m, masked := maskSpans(y, spans)
	if !masked {
		t.Error("masked = false, want true")
	}
	want := []float64{math.NaN(), math.NaN(), 3, 4, 5, math.NaN()}
	for i := range want {
		if !(m.Values[i] == want[i] || math.IsNaN(m.Values[i]) && math.IsNaN(want[i])) {
			t.Errorf("masked[%d] = %v, want %v", i, m.Values[i], want[i])
		}
	}
	if y.Values[0] != 1 {
		t.Error("maskSpans modified its input")
	}
}

func TestFillGapsAndSmooth(t *testing.T) {
	nan := math.NaN()
	got := fillGaps([]float64{nan, 1, nan, nan, 4, nan})
	want := []float64{1, 1, 2, 3, 4, 4}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("fillGaps[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if fillGaps([]float64{nan, nan}) != nil {
		t.Error("fillGaps of all-NaN is not nil")
	}
	short := []float64{0, 5, 0}
	if s := smoothProfile(short); s[1] != 5 {
		t.Errorf("smoothProfile changed a 3-step profile: %v", s)
	}
	long := make([]float64, 16)
	long[8] = 16
	s := smoothProfile(long) // half-width 2: weights 1 2 3 2 1
	if math.Abs(s[8]-16*3.0/9) > 1e-12 || math.Abs(s[6]-16*1.0/9) > 1e-12 || s[5] != 0 {
		t.Errorf("smoothProfile spike = %v", s[4:13])
	}
}
