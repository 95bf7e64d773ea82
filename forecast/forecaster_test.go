package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

func TestOptionsValidate(t *testing.T) {
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		opts Options
		want string // substring of the error, "" for valid
	}{
		{"zero value", Options{}, ""},
		{"every model", Options{Model: "mseasonal", Level: 0.5}, ""},
		{"unknown model", Options{Model: "prophet"}, `Model: unknown model "prophet"`},
		{"level one", Options{Level: 1}, "Level 1"},
		{"negative level", Options{Level: -0.1}, "Level -0.1"},
		{"event ends first", Options{Events: []calendar.Occurrence{{Name: "x", Start: day, End: day.Add(-time.Hour)}}}, "Events[0]"},
		{"negative lead", Options{Events: []calendar.Occurrence{{Start: day, End: day, Lead: -time.Hour}}}, "Lead and Lag"},
		{"negative uplift", Options{Events: []calendar.Occurrence{{Start: day, End: day, Uplift: -2}}}, "Uplift -2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrBadOption)):
				t.Errorf("Validate() = %v, want an ErrBadOption containing %q", err, tc.want)
			}
		})
	}
}

func TestNewModelNames(t *testing.T) {
	for _, name := range ModelNames() {
		m, err := NewModel(name)
		if err != nil || m.Name() != name {
			t.Errorf("NewModel(%q) = %v, %v; want a model named %[1]q", name, m, err)
		}
	}
	if _, err := NewModel("arima"); !errors.Is(err, ErrUnknownModel) {
		t.Errorf("NewModel(arima) error = %v, want ErrUnknownModel", err)
	}
}

func TestForecastResult(t *testing.T) {
	y, occ := saleSeries(6, 0.03, 5)
	r, err := Forecast(context.Background(), y, 48, Options{Model: "snaive", Events: occ, Level: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	if r.Series != "shop" || r.Model != "snaive" || !r.Calendar || r.Level != 0.8 || r.Len() != 48 {
		t.Errorf("result header = %q %q calendar=%v level=%v len=%d", r.Series, r.Model, r.Calendar, r.Level, r.Len())
	}
	if !r.Start.Equal(y.End()) || !r.Time(2).Equal(y.End().Add(2*time.Hour)) {
		t.Errorf("Start %v, Time(2) %v; want %v and 2h later", r.Start, r.Time(2), y.End())
	}
	if r.Calibration.Method != CalibrationRollingOrigin || len(r.Events) != 1 {
		t.Errorf("calibration %+v, events %+v", r.Calibration, r.Events)
	}
	for i := range r.Point {
		if !(r.Lower[i] <= r.Point[i] && r.Point[i] <= r.Upper[i]) {
			t.Errorf("step %d: %v not within [%v, %v]", i, r.Point[i], r.Lower[i], r.Upper[i])
		}
	}
}

func TestForecastAutoNamesChoice(t *testing.T) {
	y, _ := saleSeries(4, 0.03, 6)
	r, err := Forecast(context.Background(), y, 24, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Model, "auto→") || r.Calendar || r.Events != nil {
		t.Errorf("model %q calendar %v events %v; want auto→<choice>, no calendar", r.Model, r.Calendar, r.Events)
	}
}

func TestForecastBadInput(t *testing.T) {
	y, _ := saleSeries(2, 0, 1)
	empty := timeseries.Series{Name: "gone", Start: y.Start, Step: time.Hour, Values: []float64{math.NaN()}}
	tests := []struct {
		name    string
		y       timeseries.Series
		horizon int
		want    error
	}{
		{"zero horizon", y, 0, ErrBadOption},
		{"no step", timeseries.Series{Values: []float64{1}}, 3, ErrBadOption},
		{"all missing", empty, 3, ErrNoData},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Forecast(context.Background(), tc.y, tc.horizon, Options{}); !errors.Is(err, tc.want) {
				t.Errorf("Forecast error = %v, want %v", err, tc.want)
			}
		})
	}
}

// constModel forecasts a constant and fits it everywhere.
type constModel struct{ v float64 }

func (constModel) Name() string { return "const" }
func (m constModel) Fit(_ context.Context, y timeseries.Series) (Fit, error) {
	return constFit{m.v, y.Len()}, nil
}

type constFit struct {
	v float64
	n int
}

func (f constFit) Forecast(h int) []float64 {
	out := make([]float64, h)
	for i := range out {
		out[i] = f.v
	}
	return out
}
func (f constFit) InSample() []float64 { return constFit{f.v, 0}.Forecast(f.n) }

func TestPredictClampsNonNegative(t *testing.T) {
	counts := timeseries.Series{Start: mondayEpoch, Step: time.Hour, Values: make([]float64, 200)}
	for i := range counts.Values {
		counts.Values[i] = float64(i % 3)
	}
	p, err := predict(context.Background(), constModel{-4}, counts, 5, 0.9, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.point {
		if p.point[i] != 0 || p.lower[i] != 0 || p.upper[i] < 0 {
			t.Errorf("step %d: %v [%v, %v], want a point at 0 and non-negative bounds", i, p.point[i], p.lower[i], p.upper[i])
		}
	}
	signed := counts.Clone()
	signed.Values[0] = -1
	if p, _ := predict(context.Background(), constModel{-4}, signed, 1, 0.9, nil); p.point[0] != -4 {
		t.Errorf("series with a negative value: point %v, want -4 unclamped", p.point[0])
	}
}

func TestForecastManyMatchesForecast(t *testing.T) {
	var series []timeseries.Series
	for k := range 5 {
		v := make([]float64, 24*21)
		for i := range v {
			v[i] = 100 + float64(10*k) + 30*math.Sin(2*math.Pi*float64(i)/24)
		}
		series = append(series, timeseries.Series{Name: fmt.Sprintf("s%d", k), Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Step: time.Hour, Values: v})
	}
	horizons := []int{24, 24, 48, 12, 24}
	opts := Options{Model: "mseasonal"}
	got, err := ForecastMany(context.Background(), series, horizons, opts, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range series {
		want, err := Forecast(context.Background(), s, horizons[i], opts)
		if err != nil {
			t.Fatal(err)
		}
		if got[i].Series != s.Name || !slices.Equal(got[i].Point, want.Point) || !slices.Equal(got[i].Upper, want.Upper) {
			t.Fatalf("series %s: ForecastMany differs from Forecast", s.Name)
		}
	}
	series[3].Values = series[3].Values[:2]
	if _, err := ForecastMany(context.Background(), series, horizons, opts, 2); err == nil || !strings.Contains(err.Error(), `"s3"`) {
		t.Fatalf("got %v, want an error naming series s3", err)
	}
}
