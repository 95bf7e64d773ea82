package demo

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prescale-dev/prescale/datasets"
)

// chromium returns the chromium binary, skipping the test without one
// unless PRESCALE_REQUIRE_CHROMIUM is set.
func chromium(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if os.Getenv("PRESCALE_REQUIRE_CHROMIUM") != "" {
		t.Fatal("chromium not found and PRESCALE_REQUIRE_CHROMIUM is set")
	}
	t.Skip("chromium not found")
	return ""
}

func TestDemoReportRendersInBrowser(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	ctx := t.Context()
	res, err := Run(ctx, Options{Bundled: datasets.FS(), Startup: 5 * time.Minute, StoreDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "demo.html")
	var b bytes.Buffer
	if err := WriteHTML(&b, res); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "demo.png")
	cctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(cctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--enable-logging=stderr", "--v=0", "--screenshot="+shot, "--window-size=1400,2400", "file://"+page)
	logs, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, logs)
	}
	for _, line := range strings.Split(string(logs), "\n") {
		if strings.Contains(line, "Uncaught") || strings.Contains(line, ":CONSOLE(") {
			t.Errorf("page error: %s", line)
		}
	}
	checkScreenshot(t, shot)
}

// checkScreenshot checks that the PNG has the window's size and is not one
// colour.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if r := img.Bounds(); r.Dx() < 1000 || r.Dy() < 2000 {
		t.Fatalf("screenshot is %v, want 1400x2400", r)
	}
	if colours(img, 16) < 5 {
		t.Error("screenshot is nearly one colour: nothing rendered")
	}
}

// colours counts the distinct colours seen on a grid of every step-th
// pixel.
func colours(img image.Image, step int) int {
	seen := map[[4]uint32]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += step {
		for x := r.Min.X; x < r.Max.X; x += step {
			c0, c1, c2, c3 := img.At(x, y).RGBA()
			seen[[4]uint32{c0, c1, c2, c3}] = true
		}
	}
	return len(seen)
}
