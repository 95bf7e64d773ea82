package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

var (
	// ErrUnknownModel is returned for a model name NewModel does not know.
	ErrUnknownModel = errors.New("unknown model")
	// ErrBadOption is wrapped by the errors of Options.Validate and
	// BacktestOptions.Validate, which name the field.
	ErrBadOption = errors.New("invalid option")
)

// DefaultLevel is the coverage of prediction intervals when none is given.
const DefaultLevel = 0.9

// ModelNames returns the names NewModel accepts.
func ModelNames() []string { return []string{"snaive", "holt-winters", "mseasonal", "auto", "mstl"} }

// NewModel returns the model called name, with default options: "snaive",
// "holt-winters", "mstl" (the reference multi-seasonal baseline),
// "mseasonal" or "auto" (combining snaive, holt-winters, mseasonal and
// SeasonalAR, which NewModel does not offer alone).
func NewModel(name string) (Model, error) {
	switch name {
	case "snaive":
		return NewSeasonalNaive(0), nil
	case "holt-winters":
		return NewHoltWinters(HoltWintersOptions{}), nil
	case "mstl":
		return NewMSTL(MSTLOptions{}), nil
	case "mseasonal":
		return NewMultiSeasonal(MultiSeasonalOptions{}), nil
	case "auto":
		return NewAuto(), nil
	}
	return nil, fmt.Errorf("%w %q: want one of %s", ErrUnknownModel, name, strings.Join(ModelNames(), ", "))
}

// modelFor returns NewModel(name), with Auto's folds as long as the horizon.
func modelFor(name string, horizon int) (Model, error) {
	m, err := NewModel(name)
	if a, ok := m.(*Auto); ok {
		a.Horizon = horizon
	}
	return m, err
}

// Options configures Forecast. The zero value is valid: model "auto", level
// DefaultLevel, no calendar.
type Options struct {
	// Model is a name NewModel accepts; empty means "auto".
	Model string
	// Level is the coverage of the prediction intervals, in (0, 1); zero
	// means DefaultLevel.
	Level float64
	// Events are the calendar's occurrences, past ones to learn their effect
	// from and future ones to apply it to. Nil means no calendar.
	Events []calendar.Occurrence
	// Location is the time zone whose clock the series' daily and weekly
	// cycle follows; nil means UTC, the grid as it is. When its offset
	// changes over the history or the horizon (summer time) by a whole
	// number of steps, the model is fitted on the wall-clock grid (a slot
	// skipped when the clocks go forward missing, the two steps of a slot
	// repeated when they go back averaged) and its forecast read back at
	// the series' steps, so that the morning stays at its hour. Without a
	// change it forecasts as without Location.
	Location *time.Location
}

func (o Options) withDefaults() Options {
	if o.Model == "" {
		o.Model = "auto"
	}
	if o.Level == 0 {
		o.Level = DefaultLevel
	}
	return o
}

// Validate reports the first invalid field of o, after defaults.
func (o Options) Validate() error {
	o = o.withDefaults()
	if _, err := NewModel(o.Model); err != nil {
		return fmt.Errorf("%w Model: %w", ErrBadOption, err)
	}
	if err := validateLevel(o.Level); err != nil {
		return err
	}
	return validateEvents(o.Events)
}

func validateLevel(level float64) error {
	if !(level > 0 && level < 1) {
		return fmt.Errorf("%w Level %v: want a coverage strictly between 0 and 1, such as 0.9", ErrBadOption, level)
	}
	return nil
}

func validateEvents(events []calendar.Occurrence) error {
	for i, e := range events {
		switch {
		case e.End.Before(e.Start):
			return fmt.Errorf("%w Events[%d] %q: End %s is before Start %s", ErrBadOption, i, e.Name, e.End, e.Start)
		case e.Lead < 0 || e.Lag < 0:
			return fmt.Errorf("%w Events[%d] %q: Lead and Lag must not be negative", ErrBadOption, i, e.Name)
		case e.Uplift < 0 || math.IsNaN(e.Uplift):
			return fmt.Errorf("%w Events[%d] %q: Uplift %v must be a positive multiplier or 0", ErrBadOption, i, e.Name, e.Uplift)
		}
	}
	return nil
}

// Result is a forecast of one series.
type Result struct {
	// Series is the name of the forecast series.
	Series string
	// Model is the resolved model, such as "mseasonal" or "auto→mseasonal".
	Model string
	// Calendar reports whether event effects were applied.
	Calendar bool
	// Level is the coverage of the intervals, in (0, 1).
	Level float64
	// Start is the instant of Point[0], the end of the history; Step the
	// spacing of the forecast steps.
	Start time.Time
	Step  time.Duration
	// Point, Lower and Upper hold, per step, the point forecast and the
	// interval bounds, in the units of the series. Forecasts of a series
	// without negative values are never negative.
	Point, Lower, Upper []float64
	// Calibration says how the intervals were calibrated.
	Calibration Calibration
	// Events reports the effect of each event type, sorted by type; nil
	// without a calendar.
	Events []EventEffect
}

// Len returns the number of forecast steps.
func (r Result) Len() int { return len(r.Point) }

// Time returns the instant of step i of the forecast.
func (r Result) Time(i int) time.Time { return r.Start.Add(time.Duration(i) * r.Step) }

// Forecast fits opts.Model to y and forecasts the horizon steps that follow
// it, with prediction intervals at opts.Level calibrated on the history, and
// the effects of the opts.Events occurrences learned and applied.
func Forecast(ctx context.Context, y timeseries.Series, horizon int, opts Options) (Result, error) {
	opts = opts.withDefaults()
	if err := opts.Validate(); err != nil {
		return Result{}, err
	}
	if err := validateSeries(y, horizon); err != nil {
		return Result{}, err
	}
	model, err := modelFor(opts.Model, horizon)
	if err != nil {
		return Result{}, err
	}
	p, err := predictIn(ctx, model, y, horizon, opts.Level, opts.Events, opts.Location)
	if err != nil {
		return Result{}, err
	}
	return Result{
		Series: y.Name, Model: p.model, Calendar: len(opts.Events) > 0, Level: opts.Level,
		Start: y.End(), Step: y.Step, Point: p.point, Lower: p.lower, Upper: p.upper,
		Calibration: p.cal, Events: p.effects,
	}, nil
}

func validateSeries(y timeseries.Series, horizon int) error {
	switch {
	case horizon < 1:
		return fmt.Errorf("%w horizon %d: want at least one step", ErrBadOption, horizon)
	case y.Step <= 0:
		return fmt.Errorf("%w series %q: step %s is not positive", ErrBadOption, y.Name, y.Step)
	case y.Len() == 0 || y.Missing() == y.Len():
		return fmt.Errorf("series %q: %w", y.Name, ErrNoData)
	}
	return nil
}

// prediction is a fitted model's forecast with its intervals.
type prediction struct {
	model               string
	point, lower, upper []float64
	cal                 Calibration
	effects             []EventEffect
}

// predict fits model (wrapped with events when there are some) to y and
// forecasts h steps with intervals at level. The refits that calibrate the
// intervals run concurrently, with the fit on all of y unless the model
// chooses among others (Auto), whose choice the refits then reuse.
func predict(ctx context.Context, model Model, y timeseries.Series, h int, level float64, events []calendar.Occurrence) (prediction, error) {
	if len(events) > 0 {
		model = WithEvents(model, events)
	}
	clamp := nonNegativeSeries(y.Values)
	fit, refits, err := fitAndRefit(ctx, model, y, h, clamp)
	if err != nil {
		return prediction{}, err
	}
	point := fit.Forecast(h)
	if len(point) != h {
		return prediction{}, fmt.Errorf("%s forecast %d steps of series %q, want %d", model.Name(), len(point), y.Name, h)
	}
	_, name := resolve(model, fit)
	bands := calibrate(refits, y, fit, h, level)
	if clamp {
		for i, v := range point {
			point[i] = max(v, 0)
		}
	}
	p := prediction{model: name, point: point, cal: bands.cal}
	p.lower, p.upper = bands.bounds(point)
	if r, ok := fit.(effectReporter); ok {
		p.effects = r.EventEffects()
	}
	return p, nil
}

// fitAndRefit fits model to y and refits it at the calibration origins.
func fitAndRefit(ctx context.Context, model Model, y timeseries.Series, h int, clamp bool) (Fit, refitErrors, error) {
	var fit Fit
	var fitErr, refitErr error
	var refits refitErrors
	if c, ok := model.(chooser); ok && c.chooses() {
		fit, fitErr = model.Fit(ctx, y)
		if r, ok := fit.(*AutoFit); ok && fitErr == nil {
			var reused bool
			if refits, reused = r.reusedErrors(y, h, clamp); !reused {
				resolved, _ := resolve(model, fit)
				refits, refitErr = rollingErrors(ctx, resolved, y, h, clamp)
			}
		}
	} else {
		var wg sync.WaitGroup
		wg.Go(func() { fit, fitErr = model.Fit(ctx, y) })
		refits, refitErr = rollingErrors(ctx, model, y, h, clamp)
		wg.Wait()
	}
	if fitErr != nil {
		return nil, refits, fmt.Errorf("fitting %s to series %q: %w", model.Name(), y.Name, fitErr)
	}
	return fit, refits, refitErr
}

// chooser is a model that chooses among others at each fit, such as Auto.
type chooser interface {
	chooses() bool
}

// resolver is a fit that knows which model it resolved to, such as Auto's
// choice: the model interval calibration refits, and its display name.
type resolver interface {
	resolved() (Model, string)
}

// resolve returns the model fit resolved to and its name; m itself when fit
// made no choice.
func resolve(m Model, f Fit) (Model, string) {
	if r, ok := f.(resolver); ok {
		return r.resolved()
	}
	return m, m.Name()
}
