package suggest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClosest(t *testing.T) {
	known := []string{"minReplicaCount", "maxReplicaCount", "pollingInterval", "target-utilization", "risk"}
	tests := []struct {
		name, want string
	}{
		{"MINREPLICACOUNT", "minReplicaCount"}, // case only
		{"minReplicaCont", "minReplicaCount"},  // one edit
		{"minReplica", "minReplicaCount"},      // a long shared prefix
		{"target-utilisation", "target-utilization"},
		{"rsik", "risk"}, // two edits on a short name
		{"query", ""},    // nothing close
		{"min", ""},      // too short a prefix
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Closest(tc.name, known)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want != "", ok)
		})
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "ab", 2}, {"kitten", "sitting", 3}, {"flaw", "lawn", 2}, {"same", "same", 0},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Distance(tc.a, tc.b), "%q %q", tc.a, tc.b)
		assert.Equal(t, tc.want, Distance(tc.b, tc.a), "symmetric: %q %q", tc.b, tc.a)
	}
}

func FuzzDistance(f *testing.F) {
	f.Add("kitten", "sitting")
	f.Fuzz(func(t *testing.T, a, b string) {
		d := Distance(a, b)
		if d < max(len(a), len(b))-min(len(a), len(b)) || d > max(len(a), len(b)) {
			t.Fatalf("Distance(%q, %q) = %d out of its bounds", a, b, d)
		}
		if d != Distance(b, a) {
			t.Fatalf("Distance not symmetric for %q, %q", a, b)
		}
	})
}
