package store

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentReadersWriters runs writers on their own keys while readers
// list keys and read histories; run it with -race.
func TestConcurrentReadersWriters(t *testing.T) {
	const writers, readers, steps = 4, 4, 150
	s := openTemp(t, Options{NoSync: true})
	key := func(w int) string { return fmt.Sprintf("ns/app-%d/0", w) }
	var wg sync.WaitGroup
	errs := make(chan error, writers+readers)
	for w := range writers {
		wg.Go(func() {
			for i := range steps {
				if err := s.AppendHistory(key(w), series(i, float64(w*steps+i))); err != nil {
					errs <- err
					return
				}
				if err := s.PutDecision(key(w), Decision{Value: float64(i), At: t0}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for r := range readers {
		wg.Go(func() {
			for i := range steps {
				if _, err := s.Keys(); err != nil {
					errs <- err
					return
				}
				h, err := s.History(key((r + i) % writers))
				if err == nil && !isPrefixRamp(h.Values, float64((r+i)%writers*steps)) {
					errs <- fmt.Errorf("reader saw a torn history: %v", head(h.Values))
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for w := range writers {
		h, err := s.History(key(w))
		if err != nil || h.Len() != steps || !isPrefixRamp(h.Values, float64(w*steps)) {
			t.Errorf("history of %s: %d values, %v", key(w), h.Len(), err)
		}
		if d, err := s.Decision(key(w)); err != nil || d.Value != steps-1 {
			t.Errorf("decision of %s = %v, %v; want %d", key(w), d.Value, err, steps-1)
		}
	}
}

// isPrefixRamp reports whether v is base, base+1, … with nothing missing.
func isPrefixRamp(v []float64, base float64) bool {
	for i, x := range v {
		if x != base+float64(i) {
			return false
		}
	}
	return true
}
