package scaler

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/prescale-dev/prescale/datasets"
)

func TestConfigGood(t *testing.T) {
	files, _ := filepath.Glob("testdata/config/*.good.yaml")
	files = append(files, filepath.Join("..", "deploy", "examples", "scaler-config.yaml"))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			c, err := LoadConfig(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	c, err := LoadConfig("testdata/config/minimal.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.GRPC.Address != DefaultGRPCAddress || c.HTTP.Address != DefaultHTTPAddress || c.HTTP.Pprof ||
		time.Duration(c.Store.Retention) != DefaultRetention || c.RefitWorkers != DefaultRefitWorkers ||
		time.Duration(c.QueryTimeout) != DefaultQueryTimeout || c.Store.Path != "" || c.Store.Fsync {
		t.Errorf("defaults not applied: %+v", c)
	}
	d := DefaultConfig()
	if err := d.Validate(); err != nil {
		t.Fatalf("DefaultConfig does not validate: %v", err)
	}
	if len(d.Replays) != 1 || d.Replays[0].Name != "nasa" || len(d.Calendars) != 1 || d.Calendars[0].Replay != "nasa" {
		t.Errorf("DefaultConfig = %+v, want the NASA replay and its calendar", d)
	}
}

func TestConfigBad(t *testing.T) {
	tests := []struct {
		file   string
		fields []string // every path the errors must name
	}{
		{"unknown-fields.bad.yaml", []string{"grpc.adress", "prometheus[0].timout", "storePath"}},
		{"invalid-values.bad.yaml", []string{"apiVersion", "grpc.address", "grpc.tls", "store.retention", "refitWorkers",
			"queryTimeout", "prometheus[0].address", "prometheus[0].caFile", "prometheus[1].name", "prometheus[1]:",
			"calendars[0].path", "calendars[0].replay"}},
		{"no-source.bad.yaml", []string{"prometheus: no metric source"}},
		{"wrong-type.bad.yaml", []string{"refitWorkers"}},
		{"duplicate-key.bad.yaml", []string{"refitWorkers"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, err := LoadConfig(filepath.Join("testdata", "config", tt.file))
			if err == nil {
				err = c.Validate()
			}
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("got %v, want an ErrConfig", err)
			}
			for _, f := range tt.fields {
				if !strings.Contains(err.Error(), f) {
					t.Errorf("error does not name %q:\n%v", f, err)
				}
			}
		})
	}
}

func TestDefaultStorePath(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"xdg", map[string]string{"XDG_STATE_HOME": "/state", "HOME": "/home/u"}, "/state/prescale/store.db"},
		{"home", map[string]string{"HOME": "/home/u"}, "/home/u/.local/state/prescale/store.db"},
		{"relative xdg ignored", map[string]string{"XDG_STATE_HOME": "state", "HOME": "/home/u"}, "/home/u/.local/state/prescale/store.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DefaultStorePath(env(tt.env))
			if err != nil || got != tt.want {
				t.Errorf("DefaultStorePath(%v) = %q, %v; want %q", tt.env, got, err, tt.want)
			}
		})
	}
}

// scaledObject is the part of a KEDA ScaledObject the examples test reads.
type scaledObject struct {
	Kind string `json:"kind"`
	Spec struct {
		Triggers []struct {
			Type     string            `json:"type"`
			Metadata map[string]string `json:"metadata"`
		} `json:"triggers"`
	} `json:"spec"`
}

// TestExampleScaledObjects parses the trigger metadata of every example
// and registers it with a scaler configured like the examples: the demo
// against the default configuration, the others with a Prometheus named
// main and the bundled ecommerce-cn calendar as shop.
func TestExampleScaledObjects(t *testing.T) {
	demoSources, replays, err := sources(DefaultConfig(), datasets.FS())
	if err != nil {
		t.Fatal(err)
	}
	demoCals, err := calendars(DefaultConfig(), datasets.FS(), replays)
	if err != nil {
		t.Fatal(err)
	}
	shop, err := loadCalendar("bundled:calendars/ecommerce-cn.yaml", datasets.FS())
	if err != nil {
		t.Fatal(err)
	}
	demo := newTestEnv(t, beforeRamp, func(o *Options) { o.Sources, o.Calendars = demoSources, demoCals })
	prod := newTestEnv(t, beforeRamp, func(o *Options) { o.Calendars = map[string]Events{"shop": shop} })
	files, _ := filepath.Glob(filepath.Join("..", "deploy", "examples", "scaledobject*.yaml"))
	if len(files) == 0 {
		t.Fatal("no example ScaledObjects found")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, doc := range strings.Split(string(data), "\n---\n") {
				var so scaledObject
				if err := yaml.Unmarshal([]byte(doc), &so); err != nil {
					t.Fatal(err)
				}
				for i, tr := range so.Spec.Triggers {
					env := prod
					if tr.Metadata["prometheus"] == "nasa" {
						env = demo
					}
					if _, err := env.srv.lookup(ref(fmt.Sprintf("%s-%d", filepath.Base(f), i), tr.Metadata)); err != nil {
						t.Errorf("trigger metadata: %v", err)
					}
					n++
				}
			}
			if n == 0 {
				t.Error("no trigger in the example")
			}
		})
	}
}

// FuzzParseConfig checks that any document either parses, with defaults
// filled, or fails with *ConfigError values naming fields.
func FuzzParseConfig(f *testing.F) {
	for _, name := range []string{"minimal.good.yaml", "full.good.yaml", "unknown-fields.bad.yaml", "wrong-type.bad.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", "config", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data, "fuzz.yaml")
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("error %v is not an ErrConfig", err)
			}
			return
		}
		if c.GRPC.Address == "" || c.RefitWorkers == 0 || c.QueryTimeout == 0 {
			t.Fatalf("defaults missing: %+v", c)
		}
		again, err := ParseConfig(data, "fuzz.yaml")
		if err != nil || !reflect.DeepEqual(again, c) {
			t.Fatalf("second parse differs: %v", err)
		}
		_ = c.Validate()
	})
}
