package simulator

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestBacklog(t *testing.T) {
	q := backlog{timeout: 30 * time.Second}
	sec := func(s int) time.Duration { return time.Duration(s) * time.Second }
	steps := []struct {
		at                 int
		capv, arrive       float64
		wantDrop, wantLeft float64
	}{
		{0, 0, 100, 0, 100}, // nothing served: 100 queued at 0 s
		{10, 30, 10, 0, 80}, // 30 served from the queue, 10 new arrivals queued
		{20, 75, 0, 0, 5},   // the 70 left of 0 s and 5 of the 10 s entry served
		{30, 0, 0, 0, 5},    // the 0 s entry is gone; the 10 s one has 10 s left
		{40, 0, 0, 5, 0},    // 10 s + 30 s = 40 s: dropped
	}
	for _, st := range steps {
		if got := q.step(sec(st.at), st.capv, st.arrive); got != st.wantDrop {
			t.Errorf("at %ds: dropped %v, want %v", st.at, got, st.wantDrop)
		}
		if got := q.total(); got != st.wantLeft {
			t.Errorf("at %ds: queued %v, want %v", st.at, got, st.wantLeft)
		}
	}
}

func TestBacklogBoundedMemory(t *testing.T) {
	q := backlog{timeout: time.Minute}
	for i := range 100000 {
		q.step(time.Duration(i)*time.Second, 1, 1.5)
	}
	if len(q.vol) > 200 {
		t.Errorf("after 100000 steps the queue holds %d entries, want at most ~60 live plus slack", len(q.vol))
	}
}

// TestQueueNeverServesLess checks on random runs that queueing the excess
// demand never leaves more unserved than dropping it at once.
func TestQueueNeverServesLess(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for i := range 40 {
		job := randomJob(r, true)
		job.Settings.Queue.Timeout = 0
		without, err := Run(context.Background(), job)
		if err != nil {
			t.Fatal(err)
		}
		job.Settings.Queue.Timeout = time.Duration(1+r.IntN(300)) * time.Second
		with, err := Run(context.Background(), job)
		if err != nil {
			t.Fatal(err)
		}
		if with.UnservedVolume > without.UnservedVolume*(1+1e-9)+1e-9 {
			t.Errorf("case %d: unserved %v with a queue, %v without", i, with.UnservedVolume, without.UnservedVolume)
		}
		if math.Abs(with.PodHours-without.PodHours) > 1e-9 {
			t.Errorf("case %d: the queue changed the scaling (%v vs %v pod-hours)", i, with.PodHours, without.PodHours)
		}
	}
}
