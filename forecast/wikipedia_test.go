package forecast

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// wikipediaEvents reads the daily log page views of Peyton Manning and the
// calendar of his playoff games and Super Bowls.
func wikipediaEvents(t testing.TB) (timeseries.Series, []calendar.Occurrence) {
	t.Helper()
	series, err := timeseries.ReadFile("../datasets/wikipedia_pageviews/example_wp_log_peyton_manning.csv",
		timeseries.ReadOptions{TimeCol: "ds", ValueCol: "y"})
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Load("../datasets/calendars/wikipedia-peyton-manning.yaml", calendar.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	y := series[0]
	return y, cal.Occurrences(y.Start, y.End().AddDate(0, 1, 0))
}

// TestWikipediaEventsBeatPlainModel backtests with folds whose origins lie a
// week before each game of the last years, so that every fold forecasts a
// game two weeks ahead, and checks that learning the games' effect from the
// calendar beats the same model without it inside the event windows.
func TestWikipediaEventsBeatPlainModel(t *testing.T) {
	y, events := wikipediaEvents(t)
	var origins []time.Time
	for _, o := range events {
		if o.Start.Year() >= 2013 {
			origins = append(origins, o.Start.AddDate(0, 0, -7))
		}
	}
	models := []string{"mseasonal", "auto"}
	if testing.Short() {
		models = models[:1]
	}
	rep, err := Backtest(context.Background(), []timeseries.Series{y}, BacktestOptions{
		Horizon: 14, Origins: origins, Models: models, Events: events,
	})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]ModelSummary{}
	for _, m := range rep.Models {
		byName[m.Model] = m
		t.Logf("%-16s all steps: sMAPE %6.3f MASE %.3f coverage %.3f | event windows: sMAPE %6.3f MASE %.3f coverage %.3f",
			m.Model, m.SMAPE, m.MASE, m.Coverage, m.Event.SMAPE, m.Event.MASE, m.Event.Coverage)
	}
	folds := rep.Series[0].Folds
	if folds < 4 || rep.Series[0].EventSteps < 2*folds {
		t.Fatalf("%d folds with %d event steps: the folds do not cover the games", folds, rep.Series[0].EventSteps)
	}
	for _, model := range models {
		plain, aware := byName[model], byName[model+EventsSuffix]
		t.Logf("%s inside event windows: MASE %.3f -> %.3f, sMAPE %.3f -> %.3f with the calendar; all steps: MASE %.3f -> %.3f",
			model, plain.Event.MASE, aware.Event.MASE, plain.Event.SMAPE, aware.Event.SMAPE, plain.MASE, aware.MASE)
		if !(aware.Event.MASE < plain.Event.MASE && aware.Event.SMAPE < plain.Event.SMAPE) {
			t.Errorf("%s inside event windows: MASE %.3f with the calendar vs %.3f without, sMAPE %.3f vs %.3f: want both lower",
				model, aware.Event.MASE, plain.Event.MASE, aware.Event.SMAPE, plain.Event.SMAPE)
		}
	}
}

// TestWikipediaFutureGames forecasts the month after the series, which holds
// two known games (2016-01-24 and the Super Bowl of 2016-02-07), and checks
// that the calendar raises the forecast on those days and leaves the others.
func TestWikipediaFutureGames(t *testing.T) {
	y, events := wikipediaEvents(t)
	plain, err := Forecast(context.Background(), y, 30, Options{Model: "mseasonal"})
	if err != nil {
		t.Fatal(err)
	}
	aware, err := Forecast(context.Background(), y, 30, Options{Model: "mseasonal", Events: events})
	if err != nil {
		t.Fatal(err)
	}
	spans := eventSpans(aware.Start, aware.Step, events)
	in := inAnyWindow(spans, 0, aware.Len())
	games := 0
	for i := range aware.Point {
		lift := aware.Point[i] - plain.Point[i]
		if in[i] {
			games++
			t.Logf("%s: %.2f with the calendar, %.2f without", aware.Time(i).Format("2006-01-02"), aware.Point[i], plain.Point[i])
			if !(lift > 0.5) {
				t.Errorf("%s is a game day: forecast raised by %.3f log views, want more than 0.5", aware.Time(i).Format("2006-01-02"), lift)
			}
		}
	}
	if games != 4 {
		t.Errorf("%d forecast steps in game windows, want 4 (two games and the day after each)", games)
	}
	for _, e := range aware.Events {
		if e.Source != SourceLearned || e.Occurrences < 2 || math.IsNaN(e.MeanUplift) {
			t.Errorf("effect %+v: want learned from past games", e)
		}
	}
}
