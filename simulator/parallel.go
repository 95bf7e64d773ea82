package simulator

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/prescale-dev/prescale/pkg/timeseries"
)

// RunAll runs the jobs on up to workers goroutines (GOMAXPROCS when
// workers <= 0) and returns their results in job order. Each job is
// independent, so the results do not depend on the number of workers or on
// scheduling. On the first error the remaining jobs are abandoned and the
// error is returned, naming the job's index.
func RunAll(ctx context.Context, jobs []Job, workers int) ([]Result, error) {
	results := make([]Result, len(jobs))
	err := forEach(ctx, len(jobs), workers, func(ctx context.Context, i int) error {
		r, err := Run(ctx, jobs[i])
		if err != nil {
			return fmt.Errorf("job %d (%s): %w", i, jobs[i].Demand.Name, err)
		}
		results[i] = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// forEach calls fn for 0..n-1 on up to workers goroutines (GOMAXPROCS when
// workers <= 0), each index once, in increasing order of start. The first
// error cancels the context fn gets, abandons the indices not started and
// is returned; so is ctx's cause when it ends first.
func forEach(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := fn(ctx, i); err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}

// Report is the comparison of policies on one trace.
type Report struct {
	// Oracle is the perfect-foresight bound.
	Oracle Result
	// Results holds one Result per policy, in the order given, each with
	// VsOracle filled.
	Results []Result
}

// Compare runs the oracle and each policy on demand with the same settings
// (hence the same seed) and fills each result's VsOracle. newNodes, when
// not nil, gives each policy's run its own node capacity.
func Compare(ctx context.Context, demand timeseries.Series, s Settings, policies []Policy, newNodes func() NodeCapacity) (Report, error) {
	jobs := make([]Job, 0, len(policies)+1)
	jobs = append(jobs, Job{Demand: demand, Policy: Oracle{}, Settings: s})
	for _, p := range policies {
		j := Job{Demand: demand, Policy: p, Settings: s}
		if newNodes != nil {
			j.Nodes = newNodes()
		}
		jobs = append(jobs, j)
	}
	rs, err := RunAll(ctx, jobs, 0)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Oracle: rs[0], Results: rs[1:]}
	rep.Oracle.VsOracle = rep.Oracle.Relative(rep.Oracle)
	for i := range rep.Results {
		rep.Results[i].VsOracle = rep.Results[i].Relative(rep.Oracle)
	}
	return rep, nil
}
