package evidence

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRenderGolden renders every block from the hand-written evidence in
// testdata/evidence (bounds, undefined figures, losses and ties included)
// and compares each with testdata/NAME.golden.
func TestRenderGolden(t *testing.T) {
	texts, err := Render(os.DirFS("testdata/evidence"))
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"frontier", "frontier-behavior", "tune", "tune-slo", "m4", "wikipedia", "events", "rate-oracle", "plans", "single", "single-behavior"}, sortedKeys(texts))
	for name, text := range texts {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, string(want), text)
		})
	}
}

// TestRenderMarks checks the rules the golden files encode, so that a
// refreshed golden file cannot silently drop them.
func TestRenderMarks(t *testing.T) {
	texts, err := Render(os.DirFS("testdata/evidence"))
	require.NoError(t, err)
	frontier := texts["frontier"]
	assert.Contains(t, frontier, "| NASA 1995, per minute, 10/pod | 2 min | 0.26 | 0.50 (0.30) | 20.0% | 1.42 |")
	assert.Contains(t, frontier, "| | 10 min | ≤ 0.10 |", "an unserved ratio past predictive's end is a bound")
	assert.Contains(t, frontier, "| 1.11 |\n| NAB ELB", "pod-hours ÷ oracle at the default")
	assert.Contains(t, frontier, "| ≤ 1.20 |\n| NAB tweets", "a pod-hours bound is marked")
	assert.Contains(t, frontier, "| **1.04** | **1.08 (1.03)** | **−3.8%** |", "losses are bold, with a true minus")
	assert.Contains(t, frontier, "| 2 min | — | — (—) | — | — |", "undefined figures are dashes")
	assert.Contains(t, frontier, "- NASA (scheduled events, ratio aim 0.2): ratio **not met** at 2 min, 5 min, 10 min; oracle met at 5 min, 10 min, **not met** at 2 min.\n")
	assert.Contains(t, frontier, "- ELB (no scheduled events, ratio aim 1.1): ratio met at 5 min; oracle met at 5 min.\n", "a bound within the aim meets it")
	assert.Equal(t, "| pod start-up | unserved: HPA at 0.7 | unserved: predictive (risk 0.9) | predictive ÷ HPA | pod-hours: predictive ÷ HPA | pod-hours ÷ oracle (HPA, cron, predictive) |\n"+
		"|---|---:|---:|---:|---:|---|\n| 2 min | 0.504% | 0.294% | 0.58 | 0.907 | 1.66, 1.67, 1.51 |\n", texts["single"])
	plans := texts["plans"]
	assert.Contains(t, plans, "| e-commerce: storefront, checkout, search, recommendations | $1,080 | $1,891 | $1,514 | 42.9% | 3.1% |\n")
	assert.Contains(t, plans, "| $709 | $1,460 | – | 51.5% | 2.2% |\n", "no current nodes")
	m4 := texts["m4"]
	assert.Contains(t, m4, "| **mseasonal** | **9.765** | 0.926 | 0.915 |")
	assert.Contains(t, m4, "| **auto** | 9.823 | **0.827** | 0.909 |")
	assert.Contains(t, m4, "snaive(24) 0.628, auto 0.424.")
	assert.NotContains(t, m4, "naive2 ")
	wiki := texts["wikipedia"]
	assert.Contains(t, wiki, "| **auto + calendar** | 8.073 | 2.052 | **5.935** | **1.744** | 7.667 | 1.882 |")
	assert.Contains(t, wiki, "| **holt-winters** | 7.534 | 1.975 | 20.667 | 5.659 | **4.769** | **1.199** |", "the best outside the windows is bold")
	assert.Contains(t, wiki, "Best outside them: holt-winters (MASE 1.199).")
	assert.Contains(t, wiki, "| **mseasonal + calendar** | 13.162 | 3.232 | **5.935** | 3.555 |", "ties as printed are both bold")
	assert.Equal(t, "| test | policy @ knob | unserved | pod-hours | ÷ oracle |\n|---|---|---:|---:|---:|\n"+
		"| `TestRiskPolicyDominatesHPAOnEvents` | reactive@0.7 | 0.0131% | 15468 | — |\n"+
		"| | predictive@0.9 | 0.0004% | 12498 | — |\n"+
		"| `TestFrontierOnEventTraffic` | reactive@0.5 | 0.0000% | 38854 | 1.97 |\n"+
		"| | predictive@0.98 | 0.0000% | 23606 | 1.20 |\n", texts["events"])
	assert.Equal(t, "```\nchoice: the fewest pod-hours meeting the SLO on the tuning window\n"+
		"  predictive at risk 0.98: 0.098% unserved, 10859.7 pod-hours\n\nThe holdout meets the SLO.\n\n"+
		"# prescale trigger (type: external)\nmetadata:\n  risk: \"0.98\"\n```\n", texts["tune"])
	assert.Equal(t, "```\nchoice: the HPA\n```\n", texts["tune-slo"], "without the snippet")
}

// TestRenderErrors names the file and the problem when the evidence is
// missing or not what the commands write.
func TestRenderErrors(t *testing.T) {
	base := fstest.MapFS{}
	entries, err := os.ReadDir("testdata/evidence")
	require.NoError(t, err)
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join("testdata/evidence", e.Name()))
		require.NoError(t, err)
		base[e.Name()] = &fstest.MapFile{Data: raw}
	}
	tests := []struct {
		name, file, data, want string
	}{
		{"missing file", "frontier-elb.json", "", "frontier-elb.json"},
		{"not JSON", "frontier-aapl.json", "| trace |", "reading frontier-aapl.json"},
		{"no runs", "frontier-genai.json", `{"runs": []}`, "frontier-genai.json: no runs"},
		{"no predictive", "frontier-nasa.json", `{"runs": [{"startup": "2m", "comparisons": []}]}`, "start-up 2m: no comparison"},
		{"no default", "frontier-nasa-behavior.json",
			`{"runs": [{"startup": "5m", "comparisons": [{"challenger": "predictive", "baseline": "reactive", "points": []}]}]}`,
			"start-up 5m: no default reactive point"},
		{"no models", "backtest-m4.json", `{"models": []}`, "backtest-m4.json: no models"},
		{"no OWA", "m4-test.txt", "PASS\n", "no OWA lines"},
		{"bad OWA", "m4-test.txt", "    x_test.go:1: auto sMAPE 1 MASE 2 OWA x.y\n", "m4-test.txt line 1: OWA \"x.y\""},
		{"no runs logged", "event-tests.txt", "PASS\n", "event-tests.txt: no runs"},
		{"bad run", "event-tests.txt", "=== RUN   TestX\n    x_test.go:1: run reactive@0.7: 1% served\n", "event-tests.txt line 2: run \"reactive@0.7: 1% served\""},
		{"bad oracle", "event-tests.txt", "    x_test.go:1: run a: 1% unserved, 2 pod-hours (3 oracles)\n", "want (Rx the oracle)"},
		{"no cron", "single-nasa.json", `{"runs": [{"startup": "2m", "policies": [{"policy": "reactive", "unserved_fraction": 0.1, "pod_hours": 1}]}]}`, "start-up 2m: want the reactive, cron and predictive"},
		{"no timeline", "plan-nasa.json", `{"gap": 0.1}`, "plan-nasa.json: no timeline"},
		{"no choice", "tune-nasa.txt", "nothing met\n", "no line starting \"choice:\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range base {
				fsys[k] = v
			}
			if tt.data == "" {
				delete(fsys, tt.file)
			} else {
				fsys[tt.file] = &fstest.MapFile{Data: []byte(tt.data)}
			}
			_, err := Render(fsys)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestBlocks(t *testing.T) {
	doc := "# title\n<!-- evidence:a -->\nold a\n<!-- /evidence:a -->\ntext\n<!-- evidence:b -->\n<!-- /evidence:b -->\nend\n"
	blocks, err := Blocks([]byte(doc))
	require.NoError(t, err)
	require.Len(t, blocks, 2)
	assert.Equal(t, Block{Name: "a", Line: 2, Text: "old a\n", start: 28, end: 34}, blocks[0])
	assert.Equal(t, "b", blocks[1].Name)
	assert.Equal(t, 6, blocks[1].Line)
	assert.Empty(t, blocks[1].Text)

	out, err := Replace([]byte(doc), map[string]string{"a": "new a\nsecond\n", "b": "b\n"})
	require.NoError(t, err)
	assert.Equal(t, "# title\n<!-- evidence:a -->\nnew a\nsecond\n<!-- /evidence:a -->\ntext\n<!-- evidence:b -->\nb\n<!-- /evidence:b -->\nend\n", string(out))

	require.NoError(t, Check(out, map[string]string{"a": "new a\nsecond\n", "b": "b\n"}))
	err = Check(out, map[string]string{"a": "new a\nthird\n", "b": "b\n"})
	var stale *StaleError
	require.True(t, errors.As(err, &stale), "%v", err)
	require.Len(t, stale.Blocks, 1)
	assert.Equal(t, `1 evidence block(s) stale:`+"\n"+`block "a" (line 2): its line 2 reads "second", the evidence gives "third"`, err.Error())
}

func TestBlocksErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"unclosed", "x\n<!-- evidence:a -->\ny\n", `line 2: block "a" is never closed`},
		{"close without open", "<!-- /evidence:a -->\n", `line 1: block "a" closes but was never opened`},
		{"crossed", "<!-- evidence:a -->\n<!-- /evidence:b -->\n", `line 2: block "b" closes where block "a" (line 1) is open`},
		{"nested", "<!-- evidence:a -->\n<!-- evidence:b -->\n", `line 2: block "b" opens inside block "a" (line 1)`},
		{"twice", "<!-- evidence:a -->\n<!-- /evidence:a -->\n<!-- evidence:a -->\n", `line 3: block "a" appears twice`},
		{"malformed", "<!-- evidence:a b -->\n", "line 1: malformed evidence marker"},
		{"no end", "<!-- evidence:a\n", "line 1: malformed evidence marker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Blocks([]byte(tt.doc))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestReplaceNamesDisagree(t *testing.T) {
	doc := []byte("<!-- evidence:a -->\n<!-- /evidence:a -->\n")
	_, err := Replace(doc, map[string]string{})
	assert.ErrorContains(t, err, `line 1: block "a": nothing renders it`)
	_, err = Replace(doc, map[string]string{"a": "", "b": ""})
	assert.ErrorContains(t, err, `block "b" is rendered but the document has no such block`)
	err = Check(doc, map[string]string{"a": "", "b": ""})
	assert.ErrorContains(t, err, `block "b" is rendered`)
}

// FuzzBlocks checks that any document either is rejected or round-trips:
// replacing every block with its own text gives the document back, and
// replacing them with new text leaves everything outside the blocks alone.
func FuzzBlocks(f *testing.F) {
	f.Add("a\n<!-- evidence:x -->\nb\n<!-- /evidence:x -->\nc")
	f.Add("<!-- evidence:x -->\r\n<!-- /evidence:x -->\r\n")
	f.Add("<!-- evidence:x -->")
	f.Fuzz(func(t *testing.T, doc string) {
		blocks, err := Blocks([]byte(doc))
		if err != nil {
			return
		}
		same, fresh := map[string]string{}, map[string]string{}
		for _, b := range blocks {
			same[b.Name], fresh[b.Name] = b.Text, "generated\n"
		}
		out, err := Replace([]byte(doc), same)
		require.NoError(t, err)
		require.Equal(t, doc, string(out))
		out, err = Replace([]byte(doc), fresh)
		require.NoError(t, err)
		again, err := Blocks(out)
		require.NoError(t, err)
		require.Len(t, again, len(blocks))
		for _, b := range again {
			require.Equal(t, "generated\n", b.Text)
		}
		require.Equal(t, strings.Count(doc, "\n")+len(blocks)*1-strings.Count(joinTexts(blocks), "\n"), strings.Count(string(out), "\n"))
	})
}

func joinTexts(blocks []Block) string {
	var b strings.Builder
	for _, bl := range blocks {
		b.WriteString(bl.Text)
	}
	return b.String()
}

func TestReadOWALabels(t *testing.T) {
	log := "=== RUN   TestM4HourlyAccuracy\n" +
		"    m_test.go:1: naive2                sMAPE 19.225  MASE 2.455\n" +
		"    m_test.go:2: auto (no prior)       sMAPE  9.367  MASE 0.792  OWA 0.405  8ms per series\n" +
		"    m_test.go:3: auto                  sMAPE  9.370  MASE 0.796  OWA 0.406  7ms per series\n"
	got, err := readOWA(fstest.MapFS{"m4-test.txt": {Data: []byte(log)}}, "m4-test.txt")
	require.NoError(t, err)
	assert.Equal(t, []owaLine{{"auto (no prior)", 0.405}, {"auto", 0.406}}, got)
}
