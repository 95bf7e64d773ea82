package cli

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestDemo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.html")
	out, err := run(t, "demo", "--report", path)
	if err != nil {
		t.Fatalf("prescale demo: %v", err)
	}
	for _, want := range []string{"reactive", "predictive", "oracle", "unserved", "pod-hours", "vs oracle", "peak replicas",
		"vs the HPA's", "static peak", "live scaler at 1995-07-13 09:41 EDT", "decided by", "Predictive ", "report written to " + path} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`predictive\s+\d+\.\d{3}%\s+\d+\.\d\s+\d+\.\d\dx\s+\d+`).MatchString(out) {
		t.Errorf("summary has no predictive figures:\n%s", out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := html.Parse(bytes.NewReader(b)); err != nil {
		t.Fatalf("report does not parse: %v", err)
	}
	svgs := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindAll(b, -1)
	if len(svgs) < 5 {
		t.Fatalf("report has %d charts, want 5", len(svgs))
	}
	if bytes.Contains(b, []byte("127.0.0.1")) {
		t.Error("report shows the scaler's loopback address")
	}
	for i, svg := range svgs {
		dec := xml.NewDecoder(bytes.NewReader(svg))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("chart %d is not well-formed: %v", i, err)
			}
		}
	}
	for _, want := range []string{"Demand vs ready capacity", "Desired replicas", "Nodes per instance type", "Node cost per hour",
		"Cost/unserved frontier", "STS-70 launch"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("report lacks the chart %q", want)
		}
	}
}

func TestDemoNoReport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.html")
	out, err := run(t, "demo", "--no-report", "--report", path, "--startup", "2m")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("--no-report wrote %s", path)
	}
	if !strings.Contains(out, "start-up 2m\n") || strings.Contains(out, "2m0s") || strings.Contains(out, "report written") {
		t.Errorf("summary:\n%s", out)
	}
}

func TestDemoBadStartup(t *testing.T) {
	if _, err := run(t, "demo", "--startup", "soon"); err == nil || !strings.Contains(err.Error(), "--startup") {
		t.Errorf("error %v, want one naming --startup", err)
	}
}
