package scaler

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/kedacore/keda/v2/pkg/scalers/externalscaler"
)

// TestManyScaledObjectsConcurrently drives 200 ScaledObjects from 8
// goroutines over gRPC while Run refits them, the clock advances and the
// debug endpoint is read; run it with -race.
func TestManyScaledObjectsConcurrently(t *testing.T) {
	const objects, callers, polls = 200, 8, 150
	// The clock runs hours ahead during the test: IdleAfter is longer, so
	// that no trigger is forgotten (and its store key deleted).
	e := newTestEnv(t, beforeRamp, func(o *Options) { o.FlushInterval, o.IdleAfter = 20*time.Millisecond, 30*24*time.Hour })
	c := grpcClient(t, e.srv)
	refs := make([]*externalscaler.ScaledObjectRef, objects)
	metrics := make([]string, objects)
	for i := range refs {
		refs[i] = &externalscaler.ScaledObjectRef{Namespace: fmt.Sprintf("ns%d", i%7), Name: fmt.Sprintf("app-%d", i),
			ScalerMetadata: fastMeta("minReplicas", "2")}
		spec, err := c.GetMetricSpec(context.Background(), refs[i])
		if err != nil {
			t.Fatal(err)
		}
		metrics[i] = spec.MetricSpecs[0].MetricName
	}
	ctx, cancel := context.WithCancel(context.Background())
	var bg sync.WaitGroup
	bg.Go(func() { _ = e.srv.Run(ctx) })
	bg.Go(func() {
		for ctx.Err() == nil {
			e.clock.Advance(20 * time.Second)
			_ = e.srv.Explain("")
			time.Sleep(5 * time.Millisecond)
		}
	})
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for g := range callers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			for range polls {
				i := rng.IntN(objects)
				at := e.clock.Now()
				v, _, err := kedaPoll(context.Background(), c, refs[i], metrics[i])
				if err != nil {
					errs <- err
					return
				}
				if low := min(dailyRamp(at), dailyRamp(e.clock.Now())); v < low {
					errs <- fmt.Errorf("%s served %v below the live %v", refs[i].Name, v, low)
					return
				}
			}
		})
	}
	wg.Wait()
	cancel()
	bg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	fitted := 0
	for _, x := range e.srv.Explain("") {
		if x.Model != "" {
			fitted++
		}
	}
	if fitted == 0 {
		t.Error("Run fitted no forecast")
	}
	keys, err := e.store.Keys()
	if err != nil || len(keys) != objects {
		t.Errorf("store holds %d keys (%v), want %d", len(keys), err, objects)
	}
	t.Logf("%d of %d triggers fitted during the run", fitted, objects)
}
