package simulator

import "time"

// backlog is the FIFO queue of demand that found no free capacity: volumes
// (demand × seconds) stamped with the start of the interval in which they
// arrived. Spare capacity drains it oldest first; what waits longer than
// the timeout is dropped. Expiry is checked at interval starts, so an
// entry may be served up to one interval (at most the HPA sync period or a
// demand step) after its deadline.
type backlog struct {
	timeout time.Duration
	at      []time.Duration
	vol     []float64
	head    int
}

// step runs the interval starting at now with capacity volume capv and
// arriving volume arrive: it drops the expired entries, serves the queue
// then the arrivals, and queues the arrivals left over. It returns the
// volume dropped.
func (q *backlog) step(now time.Duration, capv, arrive float64) (dropped float64) {
	dropped = q.expire(now)
	for q.head < len(q.vol) && capv > 0 {
		take := min(capv, q.vol[q.head])
		capv -= take
		q.vol[q.head] -= take
		if q.vol[q.head] > 0 {
			break
		}
		q.head++
	}
	if left := arrive - capv; left > 0 {
		q.push(now, left)
	}
	q.compact()
	return dropped
}

// expire drops the entries whose deadline is at or before now.
func (q *backlog) expire(now time.Duration) float64 {
	var dropped float64
	for q.head < len(q.vol) && q.at[q.head]+q.timeout <= now {
		dropped += q.vol[q.head]
		q.head++
	}
	return dropped
}

func (q *backlog) push(now time.Duration, v float64) {
	q.at = append(q.at, now)
	q.vol = append(q.vol, v)
}

// compact reuses the space of the served entries once they are the
// majority, keeping the queue's memory bounded without allocating.
func (q *backlog) compact() {
	if q.head == len(q.vol) {
		q.at, q.vol, q.head = q.at[:0], q.vol[:0], 0
		return
	}
	if q.head > 64 && q.head*2 > len(q.vol) {
		n := copy(q.at, q.at[q.head:])
		copy(q.vol, q.vol[q.head:])
		q.at, q.vol, q.head = q.at[:n], q.vol[:n], 0
	}
}

// total returns the volume still queued.
func (q *backlog) total() float64 {
	var t float64
	for _, v := range q.vol[q.head:] {
		t += v
	}
	return t
}
