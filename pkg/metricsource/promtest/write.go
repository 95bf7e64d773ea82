package promtest

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/klauspost/compress/snappy"
	"google.golang.org/protobuf/encoding/protowire"
)

// Series is one time series to load: a metric name, labels and samples.
type Series struct {
	// Name is the metric name (the __name__ label).
	Name string
	// Labels are the other labels; nil means none.
	Labels map[string]string
	// Samples are the points; any order, each timestamp at most once.
	Samples []Sample
}

// Sample is one point of a Series. Prometheus keeps millisecond timestamps.
type Sample struct {
	Time  time.Time
	Value float64
}

// maxBatch is the number of samples sent in one remote-write request.
const maxBatch = 50_000

// Write loads series through the remote-write API, in requests of at most
// 50,000 samples ordered by time across all series. NaN and ±Inf values
// are stored as they are. It fails the test if Prometheus rejects a request.
func (s *Server) Write(series ...Series) {
	s.tb.Helper()
	for _, req := range batches(series, maxBatch) {
		if err := s.post(req); err != nil {
			s.tb.Fatalf("promtest: remote write: %v", err)
		}
	}
}

// point is a sample tagged with its series.
type point struct {
	series int
	Sample
}

// batches splits the samples of series into requests of at most max
// samples, in time order; each request is an encoded WriteRequest.
func batches(series []Series, max int) [][]byte {
	var pts []point
	for i, ser := range series {
		for _, smp := range ser.Samples {
			pts = append(pts, point{series: i, Sample: smp})
		}
	}
	sort.SliceStable(pts, func(a, b int) bool { return pts[a].Time.Before(pts[b].Time) })
	var out [][]byte
	for len(pts) > 0 {
		n := min(len(pts), max)
		out = append(out, encodeRequest(series, pts[:n]))
		pts = pts[n:]
	}
	return out
}

// encodeRequest encodes a prometheus.WriteRequest holding pts:
// field 1 (repeated TimeSeries) with labels (field 1) and samples (field 2).
func encodeRequest(series []Series, pts []point) []byte {
	bySeries := map[int][]Sample{}
	var order []int
	for _, p := range pts {
		if _, ok := bySeries[p.series]; !ok {
			order = append(order, p.series)
		}
		bySeries[p.series] = append(bySeries[p.series], p.Sample)
	}
	var b []byte
	for _, i := range order {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendBytes(b, encodeSeries(series[i], bySeries[i]))
	}
	return b
}

// encodeSeries encodes a prometheus.TimeSeries: labels sorted by name,
// each Label{name=1, value=2}; each Sample{value=1 double, timestamp=2 ms}.
func encodeSeries(ser Series, samples []Sample) []byte {
	labels := map[string]string{"__name__": ser.Name}
	for k, v := range ser.Labels {
		labels[k] = v
	}
	names := make([]string, 0, len(labels))
	for k := range labels {
		names = append(names, k)
	}
	slices.Sort(names)
	var b []byte
	for _, k := range names {
		var l []byte
		l = protowire.AppendTag(l, 1, protowire.BytesType)
		l = protowire.AppendString(l, k)
		l = protowire.AppendTag(l, 2, protowire.BytesType)
		l = protowire.AppendString(l, labels[k])
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendBytes(b, l)
	}
	for _, smp := range samples {
		var p []byte
		p = protowire.AppendTag(p, 1, protowire.Fixed64Type)
		p = protowire.AppendFixed64(p, math.Float64bits(smp.Value))
		p = protowire.AppendTag(p, 2, protowire.VarintType)
		p = protowire.AppendVarint(p, uint64(smp.Time.UnixMilli()))
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendBytes(b, p)
	}
	return b
}

// post sends one encoded WriteRequest, snappy-compressed, per the
// remote-write 1.0 protocol.
func (s *Server) post(req []byte) error {
	hr, err := http.NewRequest(http.MethodPost, s.url+"/api/v1/write", bytes.NewReader(snappy.Encode(nil, req)))
	if err != nil {
		return err
	}
	hr.Header.Set("Content-Type", "application/x-protobuf")
	hr.Header.Set("Content-Encoding", "snappy")
	hr.Header.Set("X-Prometheus-Remote-Write-Version", "0.1.0")
	resp, err := s.client.Do(hr)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(body))
	}
	return nil
}
