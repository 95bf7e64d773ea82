package scaler

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"math"
	"time"

	"github.com/prescale-dev/prescale/forecast"
	"github.com/prescale-dev/prescale/pkg/store"
	"github.com/prescale-dev/prescale/policies"
)

// blobVersion is the encoding of the forecast kept in a store.ModelRecord:
// a forecast.Result, gob-encoded.
const blobVersion = 1

// modelRecord returns the store record of a forecast fitted at fittedAt.
func modelRecord(res forecast.Result, fittedAt time.Time) (store.ModelRecord, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(res); err != nil {
		return store.ModelRecord{}, fmt.Errorf("encoding forecast: %w", err)
	}
	return store.ModelRecord{
		Name: res.Model, FormatVersion: blobVersion, FittedAt: fittedAt, HistoryEnd: res.Start, Blob: buf.Bytes(),
	}, nil
}

// decodeResult returns the forecast a store.ModelRecord holds.
func decodeResult(rec store.ModelRecord) (forecast.Result, error) {
	if rec.FormatVersion != blobVersion {
		return forecast.Result{}, fmt.Errorf("forecast record format %d, this build reads %d", rec.FormatVersion, blobVersion)
	}
	var res forecast.Result
	if err := gob.NewDecoder(bytes.NewReader(rec.Blob)).Decode(&res); err != nil {
		return forecast.Result{}, fmt.Errorf("decoding forecast record: %w", err)
	}
	if res.Step <= 0 || len(res.Upper) != len(res.Point) {
		return forecast.Result{}, fmt.Errorf("forecast record with step %s, %d points and %d upper bounds", res.Step, len(res.Point), len(res.Upper))
	}
	return res, nil
}

// servedForecast returns, from a forecast result, the values the trigger
// serves (the point forecast for the median, else the upper bound of the
// interval at level 2q-1, or the point forecast at steps without a bound)
// and the point forecast. ok is false when res was made for another step or
// quantile.
func servedForecast(res forecast.Result, m Metadata) (served, point policies.Forecast, ok bool) {
	level := m.Level()
	if res.Step != m.Step || (level > 0 && math.Abs(res.Level-level) > 1e-9) {
		return policies.Forecast{}, policies.Forecast{}, false
	}
	point = policies.Forecast{Start: res.Start, Step: res.Step, Values: res.Point}
	served = point
	if level > 0 {
		served.Values = make([]float64, len(res.Upper))
		for i, u := range res.Upper {
			if math.IsNaN(u) {
				u = res.Point[i]
			}
			served.Values[i] = u
		}
	}
	return served, point, true
}
