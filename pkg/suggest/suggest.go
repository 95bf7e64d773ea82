// Package suggest finds, among the names prescale knows, the one a user
// most likely meant by a name it does not know: a flag, a field, a
// metadata key. The "did you mean …?" of prescale's errors comes from it.
package suggest

import "strings"

// Closest returns the name of known closest to name, and false when none
// is close: one that differs only in case, else one within an edit
// distance of a third of name's length (at least 2), else one sharing a
// prefix of at least half of name (at least 4 bytes), as minReplica shares
// one with minReplicaCount. Of names equally close, the first in known.
func Closest(name string, known []string) (string, bool) {
	best, bestScore := "", 0
	for _, k := range known {
		if s := closeness(name, k); s > bestScore {
			best, bestScore = k, s
		}
	}
	return best, best != ""
}

// closeness scores how likely known is what name meant; 0 means not at
// all. Higher is closer.
func closeness(name, known string) int {
	if strings.EqualFold(name, known) {
		return 1000
	}
	a, b := strings.ToLower(name), strings.ToLower(known)
	if d := Distance(a, b); d <= max(2, len(a)/3) {
		return 500 - d
	}
	if p := commonPrefix(a, b); p >= max(4, (len(a)+1)/2) {
		return p
	}
	return 0
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// Distance is the Levenshtein distance between a and b, in bytes: the
// fewest insertions, deletions and substitutions that turn a into b.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
