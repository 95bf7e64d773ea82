// Package inventory reads what a Kubernetes cluster runs today, through
// client-go, and turns it into capacity planning inputs.
//
// Read lists:
//
//   - the nodes, each with its pool, zone and instance type taken from its
//     labels (the first label present of each configurable list: by
//     default Karpenter's, GKE's, EKS's and AKS's pool labels, and the
//     well-known topology.kubernetes.io/zone and
//     node.kubernetes.io/instance-type labels, then their deprecated beta
//     forms) and its allocatable CPU, memory and pod slots;
//   - the Deployments, each with its replicas, its rolling update's
//     maxSurge, its business line (a label, prescale.dev/business-line by
//     default, on the Deployment or else on its pod template) and one pod's
//     effective requests as the scheduler counts them: the sum of the
//     containers' requests and of restartable (sidecar) init containers',
//     or the largest regular init container's plus the sidecars started
//     before it if that is more, plus the pod overhead; a container that
//     sets a limit but no request requests its limit, as the API server
//     defaults it for pods;
//   - the StatefulSets, read like the Deployments but without maxSurge
//     (their rolling updates do not surge);
//   - the DaemonSets of every namespace, each with one pod's requests and
//     the nodes (and so the pools) its node selector, required node
//     affinity and tolerations admit, matched against the nodes' labels
//     and taints;
//   - the replica range (min, max) of each Deployment and StatefulSet from
//     the HorizontalPodAutoscalers (autoscaling/v2) targeting it and, with
//     Options.Dynamic, KEDA's ScaledObjects, which win over the HPA KEDA
//     creates for them;
//   - the PodDisruptionBudget (policy/v1) whose selector matches each
//     workload's pod template;
//   - every pod, to check that today's nodes hold today's pods (Fit);
//   - when a metrics client is given, the usage of each Deployment's and
//     StatefulSet's pods from the metrics API (metrics.k8s.io PodMetrics),
//     summed over the pods its selector matches.
//
// Inventory.NodeCounts prices today's cluster; Merge and MergeWith fold
// the inventory into a capacity.Problem: today's nodes as
// Problem.Current, the live requests and budgets of the workloads the
// problem names, the other Deployments and StatefulSets of the business
// lines it plans for, the DaemonSets' pods as per-node pool overhead, and
// the replica ranges of the autoscalers: an autoscaled workload is planned
// within its range (raised to its min, capped at its max, which the
// autoscaler cannot exceed) or, with AutoscaledMax, at its max. Each
// planned workload's PlannedReplicas says where its count came from.
//
// The package does not log; what it could not read without failing (the
// metrics API missing, autoscalers, budgets, ScaledObjects or the pods of
// other namespaces not readable) is returned in Inventory.Warnings, and
// what Merge leaves out in its notes.
package inventory
