package store_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/prescale-dev/prescale/pkg/store"
	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// ExampleStore keeps history across appends: the second append overlaps
// the first by one step and the third leaves a one-step gap.
func ExampleStore() {
	dir, _ := os.MkdirTemp("", "prescale")
	defer os.RemoveAll(dir)
	s, info, err := store.OpenOrRebuild(filepath.Join(dir, "state.db"), store.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	fmt.Println("rebuilt:", info.Rebuilt)

	const key = "shop/checkout/0"
	t0 := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }
	_ = s.AppendHistory(key, timeseries.Series{Start: at(0), Step: time.Minute, Values: []float64{10, 11, 12}})
	_ = s.AppendHistory(key, timeseries.Series{Start: at(2), Step: time.Minute, Values: []float64{13, 14}})
	_ = s.AppendHistory(key, timeseries.Series{Start: at(5), Step: time.Minute, Values: []float64{16}})
	h, _ := s.History(key)
	fmt.Println(h.Start.Format(time.Kitchen), h.Step, h.Values[:4], math.IsNaN(h.Values[4]), h.Values[5])

	_ = s.PutDecision(key, store.Decision{Value: 7, At: at(6)})
	d, _ := s.Decision(key)
	fmt.Println("last decision:", d.Value, "at", d.At.Format(time.Kitchen))
	// Output:
	// rebuilt: false
	// 9:00AM 1m0s [10 11 13 14] true 16
	// last decision: 7 at 9:06AM
}
