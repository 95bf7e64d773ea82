package evidence

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
)

// renderer builds one block's text from the evidence directory.
type renderer func(fs.FS) (string, error)

// renderers are the blocks the README holds, by name.
func renderers() map[string]renderer {
	return map[string]renderer{
		"frontier":          renderFrontier,
		"frontier-behavior": renderBehavior,
		"tune":              func(fsys fs.FS) (string, error) { return renderTune(fsys, "tune-nasa.txt", true) },
		"tune-slo":          func(fsys fs.FS) (string, error) { return renderTune(fsys, "tune-nasa-slo0.002.txt", false) },
		"m4":                renderM4,
		"wikipedia":         renderWikipedia,
		"events":            func(fsys fs.FS) (string, error) { return renderRuns(fsys, "event-tests.txt") },
		"plans":             renderPlans,
		"single":            func(fsys fs.FS) (string, error) { return renderSingle(fsys, "single-nasa.json") },
		"single-behavior":   func(fsys fs.FS) (string, error) { return renderSingle(fsys, "single-nasa-behavior.json") },
		"rate-oracle":       func(fsys fs.FS) (string, error) { return renderRuns(fsys, "rate-oracle-test.txt") },
	}
}

// Render builds the text of every block from the files `make evidence`
// writes to fsys.
func Render(fsys fs.FS) (map[string]string, error) {
	out := map[string]string{}
	for name, r := range renderers() {
		text, err := r(fsys)
		if err != nil {
			return nil, fmt.Errorf("rendering block %q: %w", name, err)
		}
		out[name] = text
	}
	return out, nil
}

// readJSON decodes the file name of fsys into v.
func readJSON(fsys fs.FS, name string, v any) error {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	return nil
}

// renderTune renders the end of `prescale tune`'s output in name, from
// its choice on, as a code block; without the metadata snippet unless
// snippet.
func renderTune(fsys fs.FS, name string, snippet bool) (string, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", name, err)
	}
	text := string(raw)
	i := strings.Index(text, "\nchoice:")
	if i < 0 {
		return "", fmt.Errorf("reading %s: no line starting %q", name, "choice:")
	}
	text = text[i+1:]
	if j := strings.Index(text, "\n# prescale trigger"); j >= 0 && !snippet {
		text = text[:j]
	}
	return "```\n" + strings.TrimRight(text, "\n") + "\n```\n", nil
}
