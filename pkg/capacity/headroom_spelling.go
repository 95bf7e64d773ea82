package capacity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// Spellings of HeadroomSpec.UtilizationTarget: Kubernetes' (the one
// written back) and the British one, accepted as an alias.
const (
	utilizationTargetKey = "utilizationTarget"
	utilisationTargetKey = "utilisationTarget"
)

// UnmarshalJSON decodes a headroom, accepting utilisationTarget as an
// alias of utilizationTarget (not both). Unknown fields are errors, as in
// the rest of the configuration.
func (h *HeadroomSpec) UnmarshalJSON(data []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return errors.New("must be a mapping")
	}
	if _, ok := fields[utilisationTargetKey]; ok {
		if _, both := fields[utilizationTargetKey]; both {
			return fmt.Errorf("%s and %s are the same field: give one", utilizationTargetKey, utilisationTargetKey)
		}
		fields[utilizationTargetKey] = fields[utilisationTargetKey]
		delete(fields, utilisationTargetKey)
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out HeadroomSpec
	for _, k := range keys {
		var dst any
		switch k {
		case "zoneLoss":
			dst = &out.ZoneLoss
		case utilizationTargetKey:
			dst = &out.UtilizationTarget
		case "rolloutSurge":
			dst = &out.RolloutSurge
		default:
			return fmt.Errorf("%s: unknown field", k)
		}
		dec := json.NewDecoder(bytes.NewReader(fields[k]))
		if err := dec.Decode(dst); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	*h = out
	return nil
}
