package scaledobject

import "github.com/prescale-dev/prescale/pkg/suggest"

// didYouMean returns ": did you mean X?" for the known name closest to
// name (suggest.Closest), or "" when none is close.
func didYouMean(name string, known []string) string {
	if best, ok := suggest.Closest(name, known); ok {
		return ": did you mean " + best + "?"
	}
	return ""
}
