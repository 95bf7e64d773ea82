package promtest

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
)

// decoded is a WriteRequest parsed back by decodeRequest.
type decoded struct {
	labels  [][2]string
	samples []Sample
}

// decodeRequest parses an encoded WriteRequest with protowire alone.
func decodeRequest(t *testing.T, b []byte) []decoded {
	t.Helper()
	var out []decoded
	eachField(t, b, func(num protowire.Number, v []byte, _ uint64) {
		if num != 1 {
			t.Fatalf("WriteRequest field %d, want 1", num)
		}
		var d decoded
		eachField(t, v, func(num protowire.Number, v []byte, _ uint64) {
			switch num {
			case 1:
				var l [2]string
				eachField(t, v, func(num protowire.Number, v []byte, _ uint64) { l[num-1] = string(v) })
				d.labels = append(d.labels, l)
			case 2:
				var smp Sample
				eachField(t, v, func(num protowire.Number, _ []byte, x uint64) {
					if num == 1 {
						smp.Value = math.Float64frombits(x)
					} else {
						smp.Time = time.UnixMilli(int64(x)).UTC()
					}
				})
				d.samples = append(d.samples, smp)
			}
		})
		out = append(out, d)
	})
	return out
}

// eachField calls fn for each field of a message: bytes fields as v,
// varint and fixed64 fields as x.
func eachField(t *testing.T, b []byte, fn func(protowire.Number, []byte, uint64)) {
	t.Helper()
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		switch typ {
		case protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			fn(num, v, 0)
			n = m
		case protowire.VarintType:
			x, m := protowire.ConsumeVarint(b)
			fn(num, nil, x)
			n = m
		case protowire.Fixed64Type:
			x, m := protowire.ConsumeFixed64(b)
			fn(num, nil, x)
			n = m
		default:
			t.Fatalf("unexpected wire type %d", typ)
		}
		if n < 0 {
			t.Fatalf("bad field %d: %v", num, protowire.ParseError(n))
		}
		b = b[n:]
	}
}

func TestBatchesEncoding(t *testing.T) {
	t0 := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	series := []Series{
		{Name: "b_metric", Labels: map[string]string{"pod": "x", "app": "y"}, Samples: []Sample{{at(2), 2}, {at(0), math.Inf(1)}}},
		{Name: "a_metric", Samples: []Sample{{at(1), -1.5}}},
	}
	reqs := batches(series, 2)
	if len(reqs) != 2 {
		t.Fatalf("%d requests for 3 samples in batches of 2, want 2", len(reqs))
	}
	first, second := decodeRequest(t, reqs[0]), decodeRequest(t, reqs[1])
	if len(first) != 2 || len(second) != 1 {
		t.Fatalf("series per request = %d, %d; want 2, 1", len(first), len(second))
	}
	wantLabels := [][2]string{{"__name__", "b_metric"}, {"app", "y"}, {"pod", "x"}}
	if got := first[0].labels; len(got) != 3 || got[0] != wantLabels[0] || got[1] != wantLabels[1] || got[2] != wantLabels[2] {
		t.Errorf("labels = %q, want %q (sorted by name)", got, wantLabels)
	}
	if got := first[0].samples; len(got) != 1 || !got[0].Time.Equal(at(0)) || !math.IsInf(got[0].Value, 1) {
		t.Errorf("first request, first series samples = %v, want the +Inf at minute 0", got)
	}
	if got := first[1]; got.labels[0][1] != "a_metric" || got.samples[0].Value != -1.5 {
		t.Errorf("first request, second series = %+v, want a_metric -1.5", got)
	}
	if got := second[0].samples; len(got) != 1 || got[0].Value != 2 || !got[0].Time.Equal(at(2)) {
		t.Errorf("second request samples = %v, want 2 at minute 2", got)
	}
}

func TestServerWriteAndQuery(t *testing.T) {
	srv := Start(t)
	at := time.Date(2025, 1, 6, 12, 0, 0, 0, time.UTC)
	srv.Write(Series{Name: "promtest_value", Labels: map[string]string{"job": "t"}, Samples: []Sample{{at, 42.25}}})
	if got := queryOne(t, srv.URL(), "promtest_value", at); got != 42.25 {
		t.Errorf("promtest_value = %v, want 42.25", got)
	}
	// A later call may go back in time: the out-of-order window takes it.
	older := at.Add(-20 * 24 * time.Hour)
	srv.Write(Series{Name: "promtest_older", Samples: []Sample{{older, -3}}})
	if got := queryOne(t, srv.URL(), "promtest_older", older); got != -3 {
		t.Errorf("promtest_older = %v, want -3", got)
	}
	srv.Stop()
	srv.Stop()
	if _, err := http.Get(srv.URL() + "/-/ready"); err == nil {
		t.Error("server still answers after Stop")
	}
}

// queryOne runs an instant query through the HTTP API and returns the
// value of its single result.
func queryOne(t *testing.T, base, q string, at time.Time) float64 {
	t.Helper()
	v := url.Values{"query": {q}, "time": {strconv.FormatInt(at.Unix(), 10)}}
	resp, err := http.Get(base + "/api/v1/query?" + v.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Data struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if len(body.Data.Result) != 1 {
		t.Fatalf("query %q: %d results, want 1", q, len(body.Data.Result))
	}
	f, err := strconv.ParseFloat(body.Data.Result[0].Value[1].(string), 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// BenchmarkWrite loads four weeks of one-minute samples of one series.
func BenchmarkWrite(b *testing.B) {
	srv := Start(b)
	t0 := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	const n = 28 * 1440
	smp := make([]Sample, n)
	for i := range smp {
		smp[i] = Sample{Time: t0.Add(time.Duration(i) * time.Minute), Value: float64(i % 1440)}
	}
	i := 0
	for b.Loop() {
		srv.Write(Series{Name: "bench_write", Labels: map[string]string{"i": strconv.Itoa(i)}, Samples: smp})
		i++
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}
