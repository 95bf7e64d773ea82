package cli

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListFlag(t *testing.T) {
	utils := []float64{0.8, 0.7}
	v := optionalFloats(&utils)
	assert.Equal(t, "[0.8,0.7]", v.String(), "the default")
	require.NoError(t, v.Set("0.5, 0.4"))
	assert.Equal(t, []float64{0.5, 0.4}, utils, "the first Set replaces the default")
	require.NoError(t, v.Set("0.3"))
	assert.Equal(t, []float64{0.5, 0.4, 0.3}, utils, "later ones append")
	assert.EqualError(t, v.Set("0.2,low"), `"low" is not a number`)

	none := []float64{0.8}
	require.NoError(t, optionalFloats(&none).Set(""))
	assert.Empty(t, none, `"" sets an empty list`)

	points := []predictivePoint{{0.9, math.NaN()}}
	p := predictivePointsFlag(&points)
	require.NoError(t, p.Set("0.5,0.98/0.7"))
	assert.Equal(t, "[0.5,0.98/0.7]", p.String())
	assert.ErrorContains(t, p.Set(""), `"": the risk "" is not in (0,1)`, "an empty point is not an empty list")
}
