package chart

import (
	"path"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// TestChart renders the chart for several value sets, decodes every
// manifest strictly and checks the properties the scaler relies on.
func TestChart(t *testing.T) {
	tests := []struct {
		name       string
		files      []string
		overrides  map[string]any
		tls        bool
		monitor    bool
		rbac       bool
		calendars  int
		configMaps int
		budget     int64 // the store's maxBytes
	}{
		{name: "defaults", rbac: true, configMaps: 1, budget: 5000 * 450000},
		{name: "store budget", overrides: map[string]any{"config": map[string]any{"store": map[string]any{"maxBytes": 1 << 30}}},
			rbac: true, configMaps: 1, budget: 1 << 30},
		{name: "tls and servicemonitor", files: []string{"testdata/tls-servicemonitor-values.yaml"},
			tls: true, monitor: true, rbac: true, calendars: 2, configMaps: 2, budget: 5000 * 450000},
		{name: "no rbac", overrides: map[string]any{"rbac": map[string]any{"create": false}}, configMaps: 1, budget: 5000 * 450000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := decode(t, render(t, tt.overrides, tt.files...))
			if t.Failed() {
				t.FailNow()
			}
			d := one(t, "Deployments", m.deployments)
			c := scalerContainer(t, d)
			checkDeployment(t, d, c)
			checkProbes(t, c, tt.tls)
			checkSecurity(t, d, c)
			checkService(t, one(t, "Services", m.services), d)
			one(t, "ServiceAccounts", m.serviceAccounts)
			if pdb := one(t, "PodDisruptionBudgets", m.pdbs); pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() != 1 {
				t.Errorf("PodDisruptionBudget minAvailable = %v, want 1", pdb.Spec.MinAvailable)
			}
			checkRBAC(t, m, tt.rbac)
			if got := len(m.serviceMonitors) == 1; got != tt.monitor {
				t.Errorf("ServiceMonitors = %d, want enabled=%v", len(m.serviceMonitors), tt.monitor)
			}
			if len(m.configMaps) != tt.configMaps {
				t.Errorf("ConfigMaps = %d, want %d", len(m.configMaps), tt.configMaps)
			}
			mounts := mountedVolumes(t, d, c)
			_, cfg := scalerConfig(t, m)
			checkConfigPaths(t, cfg.Store.Path, mounts)
			checkStoreBudget(t, cfg.Store.MaxBytes, mounts[path.Dir(cfg.Store.Path)], tt.budget)
			if len(cfg.Calendars) != tt.calendars {
				t.Errorf("calendars = %d, want %d", len(cfg.Calendars), tt.calendars)
			}
			checkCalendars(t, m, cfg, mounts)
			checkTLS(t, cfg.GRPC.TLS.CertFile, cfg.GRPC.TLS.KeyFile, cfg.GRPC.TLS.ClientCAFile, mounts, tt.tls)
			if want := map[bool]string{true: ":8081"}[tt.tls]; cfg.HTTP.HealthAddress != want {
				t.Errorf("http.healthAddress = %q, want %q", cfg.HTTP.HealthAddress, want)
			}
			if tt.tls && !strings.Contains(m.notes, "tlsClientCert") {
				t.Error("NOTES.txt shows no TriggerAuthentication with tlsClientCert")
			}
		})
	}
}

// scalerContainer returns the Deployment's only container.
func scalerContainer(t *testing.T, d appsv1.Deployment) corev1.Container {
	t.Helper()
	return one(t, "containers", d.Spec.Template.Spec.Containers)
}

func checkDeployment(t *testing.T, d appsv1.Deployment, c corev1.Container) {
	t.Helper()
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
		t.Errorf("replicas = %v, want 2", d.Spec.Replicas)
	}
	if !slices.Contains(c.Args, "serve") || !slices.Contains(c.Args, "--config=/etc/prescale/config/scaler.yaml") {
		t.Errorf("args = %q, want serve --config=/etc/prescale/config/scaler.yaml", c.Args)
	}
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if ports["grpc"] != 6000 || ports["http"] != 8080 {
		t.Errorf("container ports = %v, want grpc 6000 and http 8080", ports)
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources = %+v, want cpu requests and a memory limit", c.Resources)
	}
}

// checkProbes: native gRPC probes on 6000 without TLS (the kubelet's gRPC
// probe cannot do TLS), GET /healthz on the HTTP port with it.
func checkProbes(t *testing.T, c corev1.Container, tls bool) {
	t.Helper()
	// Under TLS the kubelet, which cannot present a client certificate,
	// probes the plaintext /healthz-only port.
	health := slices.ContainsFunc(c.Ports, func(p corev1.ContainerPort) bool { return p.Name == "health" && p.ContainerPort == 8081 })
	if tls != health {
		t.Errorf("container ports %+v: port health 8081 wanted exactly under TLS", c.Ports)
	}
	for name, p := range map[string]*corev1.Probe{"startup": c.StartupProbe, "liveness": c.LivenessProbe, "readiness": c.ReadinessProbe} {
		switch {
		case p == nil:
			t.Errorf("no %s probe", name)
		case tls && (p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" || p.HTTPGet.Port.String() != "health" || p.GRPC != nil):
			t.Errorf("%s probe = %+v, want GET /healthz on port health under TLS", name, p.ProbeHandler)
		case !tls && (p.GRPC == nil || p.GRPC.Port != 6000 || p.HTTPGet != nil):
			t.Errorf("%s probe = %+v, want grpc on port 6000", name, p.ProbeHandler)
		}
	}
}

func checkSecurity(t *testing.T, d appsv1.Deployment, c corev1.Container) {
	t.Helper()
	pod, sc := d.Spec.Template.Spec.SecurityContext, c.SecurityContext
	if pod == nil || pod.RunAsNonRoot == nil || !*pod.RunAsNonRoot || pod.SeccompProfile == nil || pod.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("pod securityContext = %+v, want runAsNonRoot and seccomp RuntimeDefault", pod)
	}
	if sc == nil {
		t.Fatal("no container securityContext")
	}
	if sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Errorf("container securityContext = %+v, want non-root, read-only root, no privilege escalation", sc)
	}
	if sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0 {
		t.Errorf("capabilities = %+v, want drop [ALL] and none added", sc.Capabilities)
	}
	if sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("container seccompProfile = %+v, want RuntimeDefault", sc.SeccompProfile)
	}
}

func checkService(t *testing.T, s corev1.Service, d appsv1.Deployment) {
	t.Helper()
	ports := map[string]int32{}
	for _, p := range s.Spec.Ports {
		ports[p.Name] = p.Port
	}
	if ports["grpc"] != 6000 || ports["http"] != 8080 {
		t.Errorf("service ports = %v, want grpc 6000 and http 8080", ports)
	}
	for k, v := range s.Spec.Selector {
		if d.Spec.Template.Labels[k] != v {
			t.Errorf("service selector %s=%s does not match the pods' labels", k, v)
		}
	}
}

// checkRBAC: a ClusterRole of get/list/watch on exactly the inventory's
// resources, bound to the pods' service account, or nothing.
func checkRBAC(t *testing.T, m manifests, want bool) {
	t.Helper()
	if !want {
		if len(m.clusterRoles)+len(m.bindings) > 0 {
			t.Errorf("rbac.create=false rendered %d ClusterRoles and %d bindings", len(m.clusterRoles), len(m.bindings))
		}
		return
	}
	role, b := one(t, "ClusterRoles", m.clusterRoles), one(t, "ClusterRoleBindings", m.bindings)
	got := map[string]bool{}
	for _, r := range role.Rules {
		if !slices.Equal(slices.Sorted(slices.Values(r.Verbs)), []string{"get", "list", "watch"}) {
			t.Errorf("rule %+v: verbs %q, want only get, list, watch", r, r.Verbs)
		}
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				got[g+"/"+res] = true
			}
		}
	}
	// The inventory's reads, and the autoscalers whose replicas triggers
	// with hpaTolerance read.
	wantResources := []string{"/nodes", "/pods", "apps/deployments", "autoscaling/horizontalpodautoscalers", "metrics.k8s.io/pods"}
	if keys := slices.Sorted(func(yield func(string) bool) {
		for k := range got {
			if !yield(k) {
				return
			}
		}
	}); !slices.Equal(keys, wantResources) {
		t.Errorf("RBAC resources = %q, want %q", keys, wantResources)
	}
	if b.RoleRef.Name != role.Name || len(b.Subjects) != 1 || b.Subjects[0].Name != one(t, "ServiceAccounts", m.serviceAccounts).Name {
		t.Errorf("ClusterRoleBinding %+v does not bind %s to the service account", b, role.Name)
	}
}

// mountedVolumes maps the container's mount paths to their volumes.
func mountedVolumes(t *testing.T, d appsv1.Deployment, c corev1.Container) map[string]corev1.Volume {
	t.Helper()
	vols := map[string]corev1.Volume{}
	for _, v := range d.Spec.Template.Spec.Volumes {
		vols[v.Name] = v
	}
	mounts := map[string]corev1.Volume{}
	for _, vm := range c.VolumeMounts {
		v, ok := vols[vm.Name]
		if !ok {
			t.Errorf("mount %s names no volume", vm.Name)
		}
		mounts[path.Clean(vm.MountPath)] = v
	}
	return mounts
}

// checkConfigPaths: the store is on a writable emptyDir mount.
func checkConfigPaths(t *testing.T, store string, mounts map[string]corev1.Volume) {
	t.Helper()
	if v, ok := mounts[path.Dir(store)]; !ok || v.EmptyDir == nil {
		t.Errorf("store %s is not on a mounted emptyDir", store)
	}
}

// checkStoreBudget: the scaler's store budget is the expected one and its
// emptyDir holds two and a half times it (the file, its compacted copy
// while a compaction runs, free pages).
func checkStoreBudget(t *testing.T, maxBytes int64, v corev1.Volume, want int64) {
	t.Helper()
	if maxBytes != want {
		t.Errorf("store.maxBytes = %d, want %d", maxBytes, want)
	}
	if v.EmptyDir == nil || v.EmptyDir.SizeLimit == nil {
		t.Fatalf("the store's emptyDir has no sizeLimit")
	}
	if got, min := v.EmptyDir.SizeLimit.Value(), maxBytes*5/2; got < min || got > min+2<<20 {
		t.Errorf("store emptyDir sizeLimit = %d bytes, want 2.5 x maxBytes = %d", got, min)
	}
}

// checkTLS: with TLS the three files are keys of the mounted Secret.
func checkTLS(t *testing.T, cert, key, ca string, mounts map[string]corev1.Volume, want bool) {
	t.Helper()
	if !want {
		if cert != "" || key != "" || ca != "" {
			t.Errorf("TLS files %q %q %q set without tls.existingSecret", cert, key, ca)
		}
		return
	}
	for _, f := range []string{cert, key, ca} {
		v, ok := mounts[path.Dir(f)]
		if f == "" || !ok || v.Secret == nil || v.Secret.SecretName != "prescale-tls" {
			t.Errorf("TLS file %q is not on the mounted Secret prescale-tls", f)
		}
	}
	if path.Base(cert) != "tls.crt" || path.Base(key) != "tls.key" || path.Base(ca) != "ca.crt" {
		t.Errorf("TLS files %q %q %q, want tls.crt, tls.key, ca.crt", cert, key, ca)
	}
}
