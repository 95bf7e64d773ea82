package inventory

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestPodRequests(t *testing.T) {
	always := corev1.ContainerRestartPolicyAlways
	c := func(cpu, mem string) corev1.Container {
		return corev1.Container{Resources: corev1.ResourceRequirements{Requests: requests(cpu, mem)}}
	}
	sidecar := func(cpu, mem string) corev1.Container {
		s := c(cpu, mem)
		s.RestartPolicy = &always
		return s
	}
	limitOnly := corev1.Container{Resources: corev1.ResourceRequirements{Limits: requests("2", "1Gi")}}
	tests := []struct {
		name     string
		spec     corev1.PodSpec
		cpu, mem string
	}{
		{"containers add up", corev1.PodSpec{Containers: []corev1.Container{c("500m", "1Gi"), c("250m", "512Mi")}}, "750m", "1536Mi"},
		{"limit without request", corev1.PodSpec{Containers: []corev1.Container{limitOnly, c("100m", "0")}}, "2100m", "1Gi"},
		{"no requests", corev1.PodSpec{Containers: []corev1.Container{{}}}, "0", "0"},
		{"larger init container", corev1.PodSpec{
			InitContainers: []corev1.Container{c("2", "256Mi"), c("100m", "4Gi")},
			Containers:     []corev1.Container{c("500m", "1Gi")},
		}, "2", "4Gi"},
		{"sidecar runs alongside", corev1.PodSpec{
			InitContainers: []corev1.Container{sidecar("200m", "128Mi")},
			Containers:     []corev1.Container{c("500m", "1Gi")},
		}, "700m", "1152Mi"},
		{"init after a sidecar", corev1.PodSpec{
			InitContainers: []corev1.Container{sidecar("200m", "128Mi"), c("1", "256Mi")},
			Containers:     []corev1.Container{c("500m", "1Gi")},
		}, "1200m", "1152Mi"},
		{"overhead", corev1.PodSpec{Containers: []corev1.Container{c("500m", "1Gi")}, Overhead: requests("250m", "120Mi")}, "750m", "1144Mi"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := PodRequests(tc.spec)
			want := requests(tc.cpu, tc.mem)
			if got.Cpu().Cmp(*want.Cpu()) != 0 || got.Memory().Cmp(*want.Memory()) != 0 {
				t.Errorf("requests cpu %s memory %s, want %s %s", got.Cpu(), got.Memory(), tc.cpu, tc.mem)
			}
		})
	}
}
