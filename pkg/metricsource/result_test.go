package metricsource

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"
)

func TestOneSample(t *testing.T) {
	at := model.TimeFromUnix(1736121600)
	vec := func(vals ...float64) model.Vector {
		v := model.Vector{}
		for _, x := range vals {
			v = append(v, &model.Sample{Value: model.SampleValue(x), Timestamp: at})
		}
		return v
	}
	cases := []struct {
		name    string
		val     model.Value
		want    float64
		wantErr error
	}{
		{"scalar", &model.Scalar{Value: 4, Timestamp: at}, 4, nil},
		{"one series", vec(3.5), 3.5, nil},
		{"no series", vec(), 0, ErrEmpty},
		{"three series", vec(1, 2, 3), 0, ErrMultipleSeries},
		{"nan scalar", &model.Scalar{Value: model.SampleValue(math.NaN())}, 0, ErrNotFinite},
		{"inf series", vec(math.Inf(1)), 0, ErrNotFinite},
		{"histogram", model.Vector{{Histogram: &model.SampleHistogram{}}}, 0, ErrResultType},
		{"matrix", model.Matrix{}, 0, ErrResultType},
		{"nil", nil, 0, ErrResultType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := oneSample(tc.val)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("oneSample = %v, %v; want %v", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got.Value != tc.want || !got.Time.Equal(at.Time()) {
				t.Errorf("oneSample = %v, %v; want %v at %s", got, err, tc.want, at.Time())
			}
		})
	}
}

// fakeRange answers range queries with value = unix seconds of each step,
// or, when offset is set, with points shifted off the grid; it records the
// requested ranges.
type fakeRange struct {
	mu     sync.Mutex
	ranges [][2]float64
	offset float64
}

func (f *fakeRange) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	start, _ := strconv.ParseFloat(r.Form.Get("start"), 64)
	end, _ := strconv.ParseFloat(r.Form.Get("end"), 64)
	step, _ := strconv.ParseFloat(r.Form.Get("step"), 64)
	f.mu.Lock()
	f.ranges = append(f.ranges, [2]float64{start, end})
	f.mu.Unlock()
	var pts []string
	for ts := start; ts <= end; ts += step {
		pts = append(pts, fmt.Sprintf(`[%s,"%s"]`, strconv.FormatFloat(ts+f.offset, 'f', -1, 64),
			strconv.FormatFloat(ts, 'f', -1, 64)))
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[%s]}]}}`,
		strings.Join(pts, ","))
}

func TestRangeSplitsRequests(t *testing.T) {
	start := time.Unix(1736121600, 0).UTC()
	cases := []struct {
		name      string
		steps     int
		maxPoints int
		wantReqs  int
	}{
		{"one point", 1, 10, 1},
		{"exactly one request", 10, 10, 1},
		{"one more", 11, 10, 2},
		{"four weeks of minutes", 40320, 0, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeRange{}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			p, err := NewPrometheus(PrometheusConfig{Address: srv.URL, MaxPoints: tc.maxPoints})
			if err != nil {
				t.Fatal(err)
			}
			end := start.Add(time.Duration(tc.steps-1) * time.Minute)
			got, err := p.Range(context.Background(), "q", start, end, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if got.Len() != tc.steps || len(fake.ranges) != tc.wantReqs {
				t.Fatalf("%d steps in %d requests, want %d in %d", got.Len(), len(fake.ranges), tc.steps, tc.wantReqs)
			}
			for i, v := range got.Values {
				if want := float64(got.Time(i).Unix()); v != want {
					t.Fatalf("step %d = %v, want %v", i, v, want)
				}
			}
			for i := 1; i < len(fake.ranges); i++ {
				if fake.ranges[i][0] != fake.ranges[i-1][1]+60 {
					t.Errorf("request %d starts at %v, previous ended at %v", i, fake.ranges[i][0], fake.ranges[i-1][1])
				}
			}
		})
	}
}

func TestRangeOffGrid(t *testing.T) {
	srv := httptest.NewServer(&fakeRange{offset: 30})
	defer srv.Close()
	p, err := NewPrometheus(PrometheusConfig{Address: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1736121600, 0)
	_, err = p.Range(context.Background(), "q", start, start.Add(time.Hour), time.Minute)
	if err == nil || !strings.Contains(err.Error(), "off the requested grid") {
		t.Errorf("Range = %v, want an off-grid error", err)
	}
}
