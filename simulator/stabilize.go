package simulator

import "time"

// extremes is a monotonic queue of recommendations recorded at increasing
// times: it answers the lowest (or highest) recommendation recorded after
// a cut-off that only moves forward. Each recommendation is pushed and
// popped at most once.
type extremes struct {
	lowest bool
	recs   []recommendation
	head   int
}

// extreme drops the recommendations recorded at or before cut and returns
// the lowest (highest) of the others, or def when there are none.
func (q *extremes) extreme(cut time.Duration, def int32) int32 {
	for q.head < len(q.recs) && q.recs[q.head].at <= cut {
		q.head++
	}
	if q.head == len(q.recs) {
		return def
	}
	return q.recs[q.head].replicas
}

// push records p at now, dropping the recommendations that can no longer
// be the extreme: older ones that are not better than p.
func (q *extremes) push(now time.Duration, p int32) {
	n := len(q.recs)
	for n > q.head && q.dominated(q.recs[n-1].replicas, p) {
		n--
	}
	q.recs = append(q.recs[:n], recommendation{at: now, replicas: p})
	if q.head > 32 && 2*q.head > len(q.recs) {
		k := copy(q.recs, q.recs[q.head:])
		q.recs, q.head = q.recs[:k], 0
	}
}

// dominated reports whether an older recommendation old can never be the
// extreme again once p is recorded.
func (q *extremes) dominated(old, p int32) bool {
	if q.lowest {
		return old >= p
	}
	return old <= p
}
