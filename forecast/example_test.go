package forecast_test

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

func ExampleForecast() {
	// Two weeks of hourly requests per second with a daily cycle.
	y := timeseries.Series{Name: "checkout", Start: time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC), Step: time.Hour}
	for i := range 14 * 24 {
		daily := 100 + 60*math.Sin(2*math.Pi*float64(i%24)/24)
		y.Values = append(y.Values, math.Round(daily*(1+0.05*math.Sin(float64(i)*1.7))))
	}
	// A launch tomorrow from 09:00 to 11:00 that the business expects to
	// double demand; the history holds no launch to learn from.
	tomorrow := y.End()
	launch := calendar.Occurrence{Name: "spring launch", Type: "launch",
		Start: tomorrow.Add(9 * time.Hour), End: tomorrow.Add(11 * time.Hour), Uplift: 2}

	r, err := forecast.Forecast(context.Background(), y, 12, forecast.Options{
		Model: "snaive", Events: []calendar.Occurrence{launch},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	e := r.Events[0]
	fmt.Printf("%s by %s, intervals %s; %s uplift x%g (%s)\n", r.Series, r.Model, r.Calibration.Method, e.Type, e.MeanUplift, e.Source)
	for i := 7; i < 12; i++ {
		fmt.Printf("%s %5.1f [%5.1f, %5.1f]\n", r.Time(i).Format("Jan 2 15:04"), r.Point[i], r.Lower[i], r.Upper[i])
	}
	// Output:
	// checkout by snaive, intervals rolling-origin; launch uplift x2 (business)
	// Mar 17 07:00 165.0 [148.7, 182.5]
	// Mar 17 08:00 148.0 [133.3, 163.8]
	// Mar 17 09:00 274.0 [247.5, 302.4]
	// Mar 17 10:00 268.0 [242.1, 295.8]
	// Mar 17 11:00 119.0 [107.0, 131.9]
}
