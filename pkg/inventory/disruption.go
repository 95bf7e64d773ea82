package inventory

import (
	"context"
	"strconv"

	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"

	"github.com/prescale-dev/prescale/pkg/capacity"
)

// PDB is a PodDisruptionBudget (policy/v1) selecting a workload's pods.
type PDB struct {
	// Name is the budget's name, in the workload's namespace.
	Name string `json:"name"`
	// MinAvailable and MaxUnavailable are the budget's, nil when unset.
	MinAvailable   *capacity.IntOrPercent `json:"min_available,omitempty"`
	MaxUnavailable *capacity.IntOrPercent `json:"max_unavailable,omitempty"`
}

// MinAvailableOf returns the pods the budget keeps available out of
// replicas, rounding percentages up as the disruption controller does;
// with neither field set it keeps none.
func (p PDB) MinAvailableOf(replicas int) int {
	switch {
	case p.MinAvailable != nil:
		return p.MinAvailable.Of(replicas)
	case p.MaxUnavailable != nil:
		return max(replicas-p.MaxUnavailable.Of(replicas), 0)
	}
	return 0
}

// String describes the budget, such as "web-pdb minAvailable 2".
func (p PDB) String() string {
	switch {
	case p.MinAvailable != nil:
		return p.Name + " minAvailable " + intOrPercentString(*p.MinAvailable)
	case p.MaxUnavailable != nil:
		return p.Name + " maxUnavailable " + intOrPercentString(*p.MaxUnavailable)
	}
	return p.Name
}

// intOrPercentString writes 2 or 25%.
func intOrPercentString(v capacity.IntOrPercent) string {
	s := strconv.Itoa(v.Value)
	if v.Percent {
		s += "%"
	}
	return s
}

// readPDBs lists the PodDisruptionBudgets of o.Namespace and sets the PDB
// of each workload whose pod template a budget's selector matches. When
// several match one workload the first by name is kept and the others are
// returned as notes (Kubernetes refuses evictions of such pods).
func readPDBs(ctx context.Context, kube kubernetes.Interface, o Options, ws []workloadRef) ([]string, error) {
	pdbs, err := listAll(ctx, "poddisruptionbudgets", o.PageSize, func(ctx context.Context, lo metav1.ListOptions) ([]policyv1.PodDisruptionBudget, string, error) {
		l, err := kube.PolicyV1().PodDisruptionBudgets(o.Namespace).List(ctx, lo)
		if err != nil {
			return nil, "", err
		}
		return l.Items, l.Continue, nil
	})
	if err != nil {
		return nil, err
	}
	var notes []string
	for _, b := range pdbs {
		sel, err := metav1.LabelSelectorAsSelector(b.Spec.Selector)
		if err != nil {
			notes = append(notes, "PodDisruptionBudget "+b.Namespace+"/"+b.Name+" has an invalid selector: "+err.Error())
			continue
		}
		p := &PDB{Name: b.Name, MinAvailable: intOrPercent(b.Spec.MinAvailable), MaxUnavailable: intOrPercent(b.Spec.MaxUnavailable)}
		for _, w := range ws {
			if w.namespace != b.Namespace || !sel.Matches(labels.Set(w.podLabels)) {
				continue
			}
			cur := *w.pdb
			switch {
			case cur == nil:
				*w.pdb = p
			case p.Name < cur.Name:
				*w.pdb = p
				notes = append(notes, "several PodDisruptionBudgets select "+w.kind+" "+w.id()+": "+p.Name+" and "+cur.Name)
			default:
				notes = append(notes, "several PodDisruptionBudgets select "+w.kind+" "+w.id()+": "+cur.Name+" and "+p.Name)
			}
		}
	}
	return notes, nil
}

// intOrPercent converts a Kubernetes int-or-string, nil when unset or not
// a count or a percentage.
func intOrPercent(v *intstr.IntOrString) *capacity.IntOrPercent {
	if v == nil {
		return nil
	}
	if v.Type == intstr.Int {
		return &capacity.IntOrPercent{Value: v.IntValue()}
	}
	p, err := intstr.GetScaledValueFromIntOrPercent(v, 100, true)
	if err != nil {
		return nil
	}
	return &capacity.IntOrPercent{Value: p, Percent: true}
}
