package chart

import (
	"path"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/prescale-dev/prescale/pkg/calendar"
	"github.com/prescale-dev/prescale/scaler"
)

// scalerConfig finds the ConfigMap holding scaler.yaml and parses it with
// the scaler's own strict loader, then validates it.
func scalerConfig(t *testing.T, m manifests) (corev1.ConfigMap, scaler.Config) {
	t.Helper()
	for _, cm := range m.configMaps {
		data, ok := cm.Data["scaler.yaml"]
		if !ok {
			continue
		}
		cfg, err := scaler.ParseConfig([]byte(data), cm.Name+"/scaler.yaml")
		if err != nil {
			t.Fatalf("scaler configuration: %v\n%s", err, data)
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("scaler configuration: %v\n%s", err, data)
		}
		return cm, cfg
	}
	t.Fatal("no ConfigMap with scaler.yaml rendered")
	return corev1.ConfigMap{}, scaler.Config{}
}

// checkCalendars checks that every calendar of cfg is a file the
// calendars ConfigMap provides (or bundled in the binary), mounted where cfg expects it, and that
// each parses as a prescale calendar.
func checkCalendars(t *testing.T, m manifests, cfg scaler.Config, mounts map[string]corev1.Volume) {
	t.Helper()
	for _, c := range cfg.Calendars {
		if strings.HasPrefix(c.Path, "bundled:") {
			continue // shipped inside the binary
		}
		dir, file := path.Split(c.Path)
		vol, ok := mounts[path.Clean(dir)]
		if !ok || vol.ConfigMap == nil {
			t.Errorf("calendar %s: %s is not on a mounted ConfigMap", c.Name, c.Path)
			continue
		}
		var data string
		for _, cm := range m.configMaps {
			if cm.Name == vol.ConfigMap.Name {
				data = cm.Data[file]
			}
		}
		if data == "" {
			t.Errorf("calendar %s: ConfigMap %s has no key %s", c.Name, vol.ConfigMap.Name, file)
			continue
		}
		if _, err := calendar.Parse([]byte(data), c.Path); err != nil {
			t.Errorf("calendar %s: %v", c.Name, err)
		}
	}
}
