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
//   - when a metrics client is given, the usage of each Deployment's pods
//     from the metrics API (metrics.k8s.io PodMetrics), summed over the
//     pods its selector matches.
//
// Inventory.NodeCounts prices today's cluster; Merge folds the inventory
// into a capacity.Problem: today's nodes as Problem.Current, the live
// requests of the workloads the problem names, and the other Deployments
// of the business lines it plans for.
//
// The package does not log; what it could not read without failing (the
// metrics API missing) is returned in Inventory.Warnings, and what Merge
// leaves out in its notes.
package inventory
