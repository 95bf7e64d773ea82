package scaler

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{in: "0", want: 0},
		{in: "90s", want: 90 * time.Second},
		{in: "1h30m", want: 90 * time.Minute},
		{in: "4w", want: 28 * 24 * time.Hour},
		{in: "28d", want: 28 * 24 * time.Hour},
		{in: "1.5h", want: 90 * time.Minute},
		{in: "250ms", want: 250 * time.Millisecond},
		{in: "1d12h", want: 36 * time.Hour},
		{in: "", wantErr: true},
		{in: "5", wantErr: true},
		{in: "-5m", wantErr: true},
		{in: "5x", wantErr: true},
		{in: "m", wantErr: true},
		{in: "1.2.3s", wantErr: true},
		{in: "9999999999999w", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseDuration(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestFormatDurationRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{0, time.Second, 90 * time.Second, 36 * time.Hour, 28 * 24 * time.Hour,
		29*24*time.Hour + 5*time.Millisecond, 1500 * time.Microsecond} {
		s := FormatDuration(d)
		back, err := ParseDuration(s)
		if d%time.Millisecond != 0 {
			if err == nil {
				t.Errorf("FormatDuration(%v) = %q parsed back without error", d, s)
			}
			continue
		}
		if err != nil || back != d {
			t.Errorf("FormatDuration(%v) = %q, parsed back as %v, %v", d, s, back, err)
		}
	}
	if got := FormatDuration(4 * 7 * 24 * time.Hour); got != "4w" {
		t.Errorf("FormatDuration(4 weeks) = %q, want 4w", got)
	}
}
