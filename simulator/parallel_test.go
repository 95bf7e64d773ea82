package simulator

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestRunAllMatchesRun(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	jobs := make([]Job, 24)
	for i := range jobs {
		jobs[i] = randomJob(r, true)
	}
	for _, workers := range []int{1, 2, 5, 0} {
		got, err := RunAll(context.Background(), jobs, workers)
		if err != nil {
			t.Fatal(err)
		}
		for i, j := range jobs {
			want, err := Run(context.Background(), j)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(encode(t, got[i]), encode(t, want)) {
				t.Errorf("workers=%d job %d: RunAll result differs from Run", workers, i)
			}
		}
	}
}

func TestRunAllError(t *testing.T) {
	y := minuteTrace(1, 2, 3)
	good := Job{Demand: y, Policy: NewReactive(100), Settings: validSettings()}
	bad := good
	bad.Settings.HPA.Tolerance = 3
	_, err := RunAll(context.Background(), []Job{good, good, bad, good}, 2)
	if err == nil || !strings.Contains(err.Error(), "job 2") || !strings.Contains(err.Error(), "hpa.tolerance") {
		t.Errorf("RunAll error = %v, want one naming job 2 and hpa.tolerance", err)
	}
}

func TestCompare(t *testing.T) {
	y := syntheticDemand(2*24*60, time.Minute, 700, 9)
	s := validSettings()
	s.Pods.PricePerHour = 0.1
	rep, err := Compare(context.Background(), y, s, []Policy{NewReactive(100), Cron{Reactive: NewReactive(100)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Oracle.Policy != "oracle" || len(rep.Results) != 2 || rep.Results[1].Policy != "cron" {
		t.Fatalf("report policies = %s, %d results", rep.Oracle.Policy, len(rep.Results))
	}
	for _, r := range rep.Results {
		if want := r.PodHours / rep.Oracle.PodHours; r.VsOracle.PodHours != want {
			t.Errorf("%s: pod-hours ratio %v, want %v", r.Policy, r.VsOracle.PodHours, want)
		}
		if r.PodHours <= rep.Oracle.PodHours {
			t.Errorf("%s: %v pod-hours, not above the oracle's %v at 70%% utilisation", r.Policy, r.PodHours, rep.Oracle.PodHours)
		}
		if r.Cost != r.PodHours*0.1 {
			t.Errorf("%s: cost %v, want pod-hours × price %v", r.Policy, r.Cost, r.PodHours*0.1)
		}
	}
	if rep.Oracle.VsOracle.PodHours != 1 {
		t.Errorf("oracle's own ratio = %v, want 1", rep.Oracle.VsOracle.PodHours)
	}
}
