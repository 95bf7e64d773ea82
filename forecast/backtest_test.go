package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

func TestBacktestRuns(t *testing.T) {
	tests := []struct {
		name   string
		models []string
		events bool
		want   []string
	}{
		{"baselines only", nil, false, []string{"snaive", "holt-winters", "mstl"}},
		{"baselines without events", nil, true, []string{"snaive", "holt-winters", "mstl"}},
		{"requested", []string{"mseasonal", "auto"}, false, []string{"snaive", "holt-winters", "mstl", "mseasonal", "auto"}},
		{"requested with events", []string{"mseasonal"}, true, []string{"snaive", "holt-winters", "mstl", "mseasonal", "mseasonal+events"}},
		{"requested baseline gets events", []string{"snaive", "snaive"}, true, []string{"snaive", "holt-winters", "mstl", "snaive+events"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, r := range backtestRuns(tc.models, tc.events) {
				got = append(got, r.label)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("runs(%v, %v) = %v, want %v", tc.models, tc.events, got, tc.want)
			}
		})
	}
}

func TestFoldOrigins(t *testing.T) {
	y := timeseries.Series{Start: mondayEpoch, Step: time.Hour, Values: make([]float64, 100)}
	tests := []struct {
		name string
		opts BacktestOptions
		want []int
	}{
		{"rolling", BacktestOptions{Horizon: 10, Folds: 3}, []int{90, 80, 70}},
		{"short history", BacktestOptions{Horizon: 40, Folds: 3}, []int{60, 20}},
		{"explicit", BacktestOptions{Horizon: 10, Origins: []time.Time{
			y.Time(20), y.Time(30).Add(-time.Minute), y.Time(95), y.Time(-5),
		}}, []int{20, 30}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := foldOrigins(y, tc.opts); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("foldOrigins = %v, want %v", got, tc.want)
			}
		})
	}
}

// backtestSet returns a few hourly sale series of different seeds and one
// too short for any fold.
func backtestSet() ([]timeseries.Series, BacktestOptions) {
	var set []timeseries.Series
	y, occ := saleSeries(5, 0.05, 0)
	for seed := range 3 {
		s, _ := saleSeries(5, 0.05, uint64(seed))
		s.Name = fmt.Sprintf("shop-%d", seed)
		set = append(set, s)
	}
	set = append(set, timeseries.Series{Name: "tiny", Start: y.Start, Step: y.Step, Values: []float64{1, 2, 3}})
	origins := []time.Time{occ[4].Start.Add(-12 * time.Hour), occ[3].Start.Add(-12 * time.Hour)}
	return set, BacktestOptions{Horizon: 24, Origins: origins, Models: []string{"mseasonal"}, Events: occ}
}

func TestBacktestReport(t *testing.T) {
	set, opts := backtestSet()
	var progress []int
	opts.Progress = func(done, total int) {
		if total != len(set) {
			t.Errorf("progress total %d, want %d", total, len(set))
		}
		progress = append(progress, done)
	}
	rep, err := Backtest(context.Background(), set, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(progress, []int{1, 2, 3, 4}) {
		t.Errorf("progress calls %v, want 1..4", progress)
	}
	wantModels := []string{"snaive", "holt-winters", "mstl", "mseasonal", "mseasonal+events"}
	if len(rep.Series) != len(set)*len(wantModels) {
		t.Fatalf("%d series scores, want %d", len(rep.Series), len(set)*len(wantModels))
	}
	for i, s := range rep.Series {
		k := len(wantModels)
		if s.Series != set[i/k].Name || s.Model != wantModels[i%k] {
			t.Errorf("score %d is %s/%s, want %s/%s", i, s.Series, s.Model, set[i/k].Name, wantModels[i%k])
		}
		if s.Series == "tiny" && s.Err == "" {
			t.Errorf("tiny series scored without error: %+v", s)
		}
		if s.Err == "" {
			assert.Equal(t, s.Folds*opts.Horizon, s.EventSteps+s.OutsideSteps, "%s/%s: every step is inside or outside the windows", s.Series, s.Model)
			assert.Positive(t, s.EventSteps, "%s/%s", s.Series, s.Model)
			assert.False(t, math.IsNaN(s.Outside.MASE), "%s/%s: outside MASE", s.Series, s.Model)
		}
	}
	for i, m := range rep.Models {
		if m.Model != wantModels[i] || m.Series != 3 || m.Failed != 1 {
			t.Errorf("summary %d = %s series=%d failed=%d, want %s 3 1", i, m.Model, m.Series, m.Failed, wantModels[i])
		}
		if math.IsNaN(m.SMAPE) || math.IsNaN(m.MASE) || math.IsNaN(m.Coverage) || m.EventSeries != 3 || math.IsNaN(m.Event.MASE) {
			t.Errorf("summary %s has missing scores: %+v", m.Model, m)
		}
	}
	plain, events := rep.Models[2], rep.Models[3]
	if events.Event.MASE >= plain.Event.MASE {
		t.Errorf("event-window MASE with events %.3f, without %.3f: want an improvement", events.Event.MASE, plain.Event.MASE)
	}
}

func TestBacktestDeterministic(t *testing.T) {
	set, opts := backtestSet()
	var reps [2]BacktestReport
	for i, workers := range []int{1, 3} {
		opts.Workers = workers
		rep, err := Backtest(context.Background(), set, opts)
		if err != nil {
			t.Fatal(err)
		}
		for j := range rep.Series {
			rep.Series[j].FitTime = 0
		}
		for j := range rep.Models {
			rep.Models[j].FitTime = 0
		}
		reps[i] = rep
	}
	if fmt.Sprint(reps[0]) != fmt.Sprint(reps[1]) {
		t.Errorf("reports differ between 1 and 3 workers:\n%v\n%v", reps[0], reps[1])
	}
}

func TestBacktestNoEvents(t *testing.T) {
	set, opts := backtestSet()
	opts.Events = nil
	rep, err := Backtest(context.Background(), set[:1], opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Series {
		if s.EventSteps != 0 || !math.IsNaN(s.Event.SMAPE) {
			t.Errorf("%s: %d event steps, event sMAPE %v; want 0 and NaN", s.Model, s.EventSteps, s.Event.SMAPE)
		}
		assert.Equal(t, s.Scores, s.Outside, "%s: without events every step is outside", s.Model)
	}
}

func TestBacktestCancelled(t *testing.T) {
	set, opts := backtestSet()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Backtest(ctx, set, opts); !errors.Is(err, context.Canceled) {
		t.Errorf("Backtest with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestBacktestOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		opts BacktestOptions
		ok   bool
	}{
		{"valid", BacktestOptions{Horizon: 1}, true},
		{"no horizon", BacktestOptions{}, false},
		{"negative folds", BacktestOptions{Horizon: 1, Folds: -1}, false},
		{"unknown model", BacktestOptions{Horizon: 1, Models: []string{"lstm"}}, false},
		{"bad level", BacktestOptions{Horizon: 1, Level: 2}, false},
		{"negative period", BacktestOptions{Horizon: 1, Period: -24}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.opts.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}
