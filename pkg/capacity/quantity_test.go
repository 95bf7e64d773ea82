package capacity

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"0", 0},
		{"4", 4},
		{"3920m", 3.92},
		{"100m", 0.1},
		{"0.5", 0.5},
		{".5", 0.5},
		{"5.", 5},
		{"+2", 2},
		{"-1", -1},
		{"1k", 1000},
		{"2M", 2e6},
		{"1G", 1e9},
		{"1T", 1e12},
		{"1P", 1e15},
		{"1E", 1e18},
		{"250n", 250e-9},
		{"3u", 3e-6},
		{"1Ki", 1024},
		{"128Mi", 128 << 20},
		{"15Gi", 15 << 30},
		{"1.5Gi", 3 << 29},
		{"2Ti", 2 << 40},
		{"1Pi", 1 << 50},
		{"1Ei", 1 << 60},
		{"1e3", 1000},
		{"1E3", 1000},
		{"12e-3", 0.012},
		{"5e+2", 500},
		{"0.1e1", 1},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseQuantity(tc.in)
			if err != nil {
				t.Fatalf("ParseQuantity(%q): %v", tc.in, err)
			}
			if math.Abs(got-tc.want) > 1e-12*math.Max(1, math.Abs(tc.want)) {
				t.Errorf("ParseQuantity(%q) = %g, want %g", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseQuantityErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrQuantitySyntax},
		{"m", ErrQuantitySyntax},
		{".", ErrQuantitySyntax},
		{"1..2", ErrQuantitySyntax},
		{"1.2.3", ErrQuantitySyntax},
		{"--1", ErrQuantitySyntax},
		{"1 Gi", ErrQuantitySyntax},
		{"1GB", ErrQuantitySyntax},
		{"1gi", ErrQuantitySyntax},
		{"1K", ErrQuantitySyntax},
		{"1e", ErrQuantitySyntax},
		{"1e+", ErrQuantitySyntax},
		{"1e1.5", ErrQuantitySyntax},
		{"1e--2", ErrQuantitySyntax},
		{"0x10", ErrQuantitySyntax},
		{"inf", ErrQuantitySyntax},
		{"NaN", ErrQuantitySyntax},
		{"1e400", ErrQuantityRange},
		{"1" + strings.Repeat("0", 300) + "Ei", ErrQuantityRange},
		{"1e99999999999999999999", ErrQuantityRange},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseQuantity(tc.in)
			if !errors.Is(err, tc.want) {
				t.Errorf("ParseQuantity(%q) = %g, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestQuantityJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    Quantity
		wantErr bool
	}{
		{`"3920m"`, 3.92, false},
		{`4`, 4, false},
		{`1.5e3`, 1500, false},
		{`" 2Gi "`, 2 << 30, false},
		{`null`, 0, false},
		{`true`, 0, true},
		{`"2 cores"`, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var q Quantity
			err := json.Unmarshal([]byte(tc.in), &q)
			if (err != nil) != tc.wantErr || q != tc.want {
				t.Errorf("unmarshal %s = %g, %v; want %g, error %v", tc.in, q, err, tc.want, tc.wantErr)
			}
		})
	}
}

// FuzzParseQuantity checks that parsing never panics, that accepted values
// are finite, that suffixes scale the number as documented, and that a
// value printed back parses to itself.
func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{"3920m", "15Gi", "0.5", ".5", "1e3", "-2k", "1E", "12Ei", "1e-400", "+.1Mi", "7u"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseQuantity(s)
		if err != nil {
			if !errors.Is(err, ErrQuantitySyntax) && !errors.Is(err, ErrQuantityRange) {
				t.Fatalf("ParseQuantity(%q): unexpected error kind %v", s, err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseQuantity(%q) = %g", s, v)
		}
		if again, err := ParseQuantity(strconv.FormatFloat(v, 'g', -1, 64)); err != nil || again != v {
			t.Fatalf("ParseQuantity(%q) = %g, but its printed form parses to %g, %v", s, v, again, err)
		}
		if num, ok := strings.CutSuffix(s, "Ki"); ok {
			if base, err := ParseQuantity(num); err == nil && math.Abs(base*1024-v) > 1e-9*math.Abs(v) {
				t.Fatalf("ParseQuantity(%q) = %g, want 1024 × %g", s, v, base)
			}
		}
		if num, ok := strings.CutSuffix(s, "m"); ok {
			if base, err := ParseQuantity(num); err == nil && math.Abs(base/1000-v) > 1e-9*math.Abs(v) {
				t.Fatalf("ParseQuantity(%q) = %g, want %g / 1000", s, v, base)
			}
		}
	})
}
